"""Two assessors in one room: the conflict check is per answer, on SQLite and PostgreSQL.

Two people on one assessment who answer different items never conflict and their answers merge,
each with who gave it; only two answers to the same item conflict, and the later one is told the
earlier one's value and who gave it, and may then save theirs over it.
"""

from __future__ import annotations

import threading

import pytest

from assessments import repository as repo
from assessments.db import Store
from assessments.errors import AnswerConflict, ConflictError
from tests.assessments.conftest import TODAY, World


def _stamps(store: Store, world: World, assessment_id: int) -> dict[str, tuple[int, str | None]]:
    with store.session() as s:
        return {k: (v.version, v.answered_by) for k, v in repo.answer_stamps(s, world.staff_a, assessment_id).items()}


def test_answers_to_different_items_merge_and_say_who_gave_each(store: Store, world: World) -> None:
    with store.session() as s:
        a = repo.start_assessment(s, world.staff_a, world.room_a, TODAY)
    with store.session() as tablet_1, store.session() as tablet_2:
        # Both opened the assessment with nothing answered; each answers their own section.
        repo.save_answer(tablet_1, world.staff_a, a.id, "lighting.glare", "no", None, answer_version=0)
        repo.save_answer(tablet_2, world.manager_a, a.id, "noise.background_level", 38, None, answer_version=0)
        repo.save_answer(tablet_1, world.staff_a, a.id, "lighting.illuminance", [420, 610], None, answer_version=0)
        repo.save_note(tablet_2, world.manager_a, a.id, "lighting.glare", "Low sun at 9", None)
        answers = repo.assessment_answers(tablet_1, world.staff_a, a.id)
    assert answers == {
        "lighting.illuminance": (420.0, 610.0),
        "lighting.glare": False,
        "noise.background_level": (38.0,),
    }
    stamps = _stamps(store, world, a.id)
    # A note on someone else's answer changes neither who gave it nor its version.
    assert {k: by for k, (_v, by) in stamps.items()} == {
        "lighting.glare": "Sam Staff",
        "lighting.illuminance": "Sam Staff",
        "noise.background_level": "Mo Manager",
    }
    assert len({v for v, _by in stamps.values()}) == 3  # each answer has its own version


def test_two_answers_to_one_item_conflict_and_the_later_one_can_keep_theirs(store: Store, world: World) -> None:
    with store.session() as s:
        a = repo.start_assessment(s, world.staff_a, world.room_a, TODAY)
    with store.session() as tablet_1, store.session() as tablet_2:
        first = repo.save_answer(tablet_1, world.staff_a, a.id, "lighting.daylight_control", "partial", None,
                                 answer_version=0)  # fmt: skip
        with pytest.raises(AnswerConflict) as raised:
            repo.save_answer(
                tablet_2, world.manager_a, a.id, "lighting.daylight_control", "yes", None, answer_version=0
            )
        conflict = raised.value
        assert isinstance(conflict, ConflictError)
        assert (conflict.item_id, conflict.value, conflict.answered_by) == ("lighting.daylight_control", "partial",
                                                                             "Sam Staff")  # fmt: skip
        assert conflict.answer_version == first
        assert "Sam Staff answered this item" in str(conflict)
        assert repo.assessment_answers(tablet_2, world.manager_a, a.id) == {"lighting.daylight_control": "partial"}
        # Keep mine: saved over the answer just seen, naming its version.
        kept = repo.save_answer(tablet_2, world.manager_a, a.id, "lighting.daylight_control", "yes", None,
                                answer_version=conflict.answer_version)  # fmt: skip
        assert repo.assessment_answers(tablet_1, world.staff_a, a.id) == {"lighting.daylight_control": "yes"}
        # The first assessor, still holding the version they saved, now conflicts with the second.
        with pytest.raises(AnswerConflict) as again:
            repo.save_answer(
                tablet_1, world.staff_a, a.id, "lighting.daylight_control", "no", None, answer_version=first
            )
        assert (again.value.value, again.value.answered_by, again.value.answer_version) == ("yes", "Mo Manager", kept)
    assert _stamps(store, world, a.id) == {"lighting.daylight_control": (kept, "Mo Manager")}


def test_clearing_someone_elses_newer_answer_conflicts_and_a_cleared_answer_never_looks_unchanged(
    store: Store, world: World
) -> None:
    with store.session() as s:
        a = repo.start_assessment(s, world.staff_a, world.room_a, TODAY)
        seen = repo.save_answer(s, world.staff_a, a.id, "lighting.glare", "no", None, answer_version=0)
        newer = repo.save_answer(s, world.manager_a, a.id, "lighting.glare", "yes", None, answer_version=seen)
        with pytest.raises(AnswerConflict) as raised:
            repo.clear_answer(s, world.staff_a, a.id, "lighting.glare", None, answer_version=seen)
        assert (raised.value.value, raised.value.answer_version) == ("yes", newer)
        # Cleared and answered again by the manager: a stamp seen before the clear is still stale.
        repo.clear_answer(s, world.manager_a, a.id, "lighting.glare", None, answer_version=newer)
        with pytest.raises(AnswerConflict, match="cleared this item's answer") as cleared:
            repo.save_answer(s, world.staff_a, a.id, "lighting.glare", "no", None, answer_version=newer)
        assert (cleared.value.value, cleared.value.answer_version) == (None, 0)
        repo.save_answer(s, world.manager_a, a.id, "lighting.glare", "yes", None, answer_version=0)
        with pytest.raises(AnswerConflict):
            repo.save_answer(s, world.staff_a, a.id, "lighting.glare", "no", None, answer_version=seen)
        assert repo.assessment_answers(s, world.staff_a, a.id) == {"lighting.glare": True}


def test_simultaneous_saves_of_different_items_all_land_and_of_one_item_exactly_one(store: Store, world: World) -> None:
    with store.session() as s:
        a = repo.start_assessment(s, world.staff_a, world.room_a, TODAY)
    items = {"noise.background_level": 40, "lighting.illuminance": 400, "lighting.colour_temperature": 3500,
             "lighting.colour_rendering": 85}  # fmt: skip
    outcomes: dict[str, object] = {}

    def tablet(barrier: threading.Barrier, key: str, item: str, value: object) -> None:
        user = world.staff_a if len(outcomes) % 2 else world.manager_a
        with store.session() as session:
            barrier.wait()
            try:
                outcomes[key] = repo.save_answer(session, user, a.id, item, value, None, answer_version=0)
            except Exception as error:  # collected and checked below
                outcomes[key] = error

    def together(jobs: list[tuple[str, str, object]]) -> None:
        barrier = threading.Barrier(len(jobs))
        threads = [threading.Thread(target=tablet, args=(barrier, *job)) for job in jobs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    together([(item, item, value) for item, value in items.items()])
    assert all(isinstance(outcome, int) for outcome in outcomes.values()), outcomes
    with store.session() as s:
        assert repo.assessment_answers(s, world.staff_a, a.id) == {k: (float(v),) for k, v in items.items()}
    outcomes.clear()
    together([("first", "lighting.glare", "yes"), ("second", "lighting.glare", "no")])
    conflicts = [o for o in outcomes.values() if isinstance(o, AnswerConflict)]
    saved = [o for o in outcomes.values() if isinstance(o, int)]
    assert (len(saved), len(conflicts)) == (1, 1), outcomes
    with store.session() as s:
        stored = repo.assessment_answers(s, world.staff_a, a.id)["lighting.glare"]
    # The conflict shows the answer that was saved.
    assert conflicts[0].value == ("yes" if stored is True else "no")
