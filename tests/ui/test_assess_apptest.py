"""The Assess page run by streamlit.testing.v1.AppTest on the demo store, and its logic module on its own."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assessments import repository
from assessments.db import Store
from assessments.demo import DEMO_USERS
from assessments.models import AssessmentStatus, User
from checklists.loader import default_catalogue
from checklists.responses import NA, AnswerError, Flicker
from ui import assess_logic as logic
from ui import state

PAGE = str(Path(__file__).resolve().parents[2] / "ui" / "pages" / "assess.py")
CATALOGUE = default_catalogue()
CLASSROOM = CATALOGUE.checklist("school", "classroom")


def user(store: Store, n: int = 0) -> User:
    with store.session() as session:
        found = repository.get_user_by_email(session, DEMO_USERS[n].email)
    assert found is not None
    return found


def new_draft(store: Store, room_name: str = "Year 1 classroom") -> int:
    staff = user(store)
    with store.session() as session:
        room = next(r for r in repository.list_rooms(session, staff) if r.name == room_name)
        return repository.start_assessment(session, staff, room.id).id


def page(assessment_id: int | None = None, as_user: User | None = None) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    if assessment_id is not None:
        at.query_params["assessment"] = str(assessment_id)
    if as_user is not None:
        at.session_state[state.USER_ID] = as_user.id
    return at.run()


def key(assessment_id: int, item_id: str, part: str = "answer") -> str:
    return state.assess_widget(assessment_id, item_id, part)


def texts(at: AppTest) -> str:
    return "\n".join(
        [m.value for m in at.markdown] + [e.value for e in at.error] + [w.value for w in at.warning]
        + [i.value for i in at.info] + [s.value for s in at.success] + [c.value for c in at.caption]
    )  # fmt: skip


def answers(store: Store, assessment_id: int) -> dict[str, object]:
    with store.session() as session:
        return dict(repository.assessment_answers(session, user(store), assessment_id))


# --------------------------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------------------------


def test_asks_for_a_site_first(demo_store: Store) -> None:
    at = page()
    assert not at.exception
    assert "Choose the site" in texts(at)
    assert [s.label for s in at.selectbox][:2] == ["Try as", "Site"] or "Site" in [s.label for s in at.selectbox]


def test_a_draft_opens_with_every_saved_answer(demo_store: Store) -> None:
    staff = user(demo_store)
    with demo_store.session() as session:
        draft = next(
            a for a in repository.list_assessments(session, staff, status="draft") if a.room.name == "Year 2 classroom"
        )
    saved = answers(demo_store, draft.id)
    at = page(draft.id)
    assert not at.exception
    for item_id, answer in saved.items():
        resolved = CLASSROOM.by_id()[item_id]
        for part, value in logic.widget_values(resolved.item, answer).items():
            assert at.session_state[key(draft.id, item_id, part)] == value, item_id
    assert "Score " in texts(at)
    assert f"{len(saved)} of {len(CLASSROOM.items)} answered" in texts(at)


def test_a_tap_saves_at_once_and_the_score_follows(demo_store: Store) -> None:
    draft = new_draft(demo_store)
    at = page(draft)
    assert "No score yet" in texts(at)
    at.segmented_control(key=key(draft, "lighting.glare")).set_value("yes").run()
    assert answers(demo_store, draft) == {"lighting.glare": True}
    assert "Saved " in texts(at)
    assert "1 of 48 answered" in texts(at)
    at.segmented_control(key=key(draft, "lighting.glare")).set_value(None).run()
    assert answers(demo_store, draft) == {}
    assert "Answer cleared" in texts(at)


def test_readings_flicker_and_n_a(demo_store: Store) -> None:
    draft = new_draft(demo_store)
    at = page(draft)
    at.text_input(key=key(draft, "lighting.illuminance")).set_value("420, 610 lx").run()
    at.text_input(key=key(draft, "lighting.flicker", "percent")).set_value("4").run()
    assert "frequency too" in texts(at)
    at.text_input(key=key(draft, "lighting.flicker", "frequency")).set_value("100 Hz").run()
    at.checkbox(key=key(draft, "quiet_zones.walking_distance", "na")).check().run()
    assert answers(demo_store, draft) == {
        "lighting.illuminance": (420.0, 610.0),
        "lighting.flicker": Flicker(4.0, 100.0),
        "quiet_zones.walking_distance": NA,
    }


@pytest.mark.parametrize(
    ("item_id", "typed", "says"),
    [
        ("lighting.illuminance", "bright", "not a number"),
        ("lighting.illuminance", "-5", "not physically possible"),
        ("noise.background_level", "300", "not physically possible"),
    ],
)
def test_impossible_readings_give_a_message_and_save_nothing(
    demo_store: Store, item_id: str, typed: str, says: str
) -> None:
    draft = new_draft(demo_store)
    at = page(draft)
    at.text_input(key=key(draft, item_id)).set_value(typed).run()
    assert not at.exception
    messages = " ".join(e.value for e in at.error)
    assert says in messages
    assert "Nothing was saved" in messages
    assert answers(demo_store, draft) == {}
    # What was typed stays beside its message after a full rerun.
    at.run()
    assert at.text_input(key=key(draft, item_id)).value == typed


def test_a_stale_save_is_refused_with_a_way_to_reload(demo_store: Store) -> None:
    draft = new_draft(demo_store)
    at = page(draft)
    staff = user(demo_store)
    with demo_store.session() as session:  # another tablet answers first
        version = repository.get_assessment(session, staff, draft).version_id
        repository.save_answer(session, staff, draft, "noise.door_noise", "yes", version)
    at.segmented_control(key=key(draft, "noise.equipment_hum")).set_value("no").run()
    assert "Someone else saved this assessment" in texts(at)
    assert answers(demo_store, draft) == {"noise.door_noise": True}
    at.button(key="assess_reload").click().run()
    assert "Someone else saved" not in texts(at)
    assert at.segmented_control(key=key(draft, "noise.door_noise")).value == "yes"
    assert at.segmented_control(key=key(draft, "noise.equipment_hum")).value is None
    at.segmented_control(key=key(draft, "noise.equipment_hum")).set_value("no").run()
    assert answers(demo_store, draft) == {"noise.door_noise": True, "noise.equipment_hum": False}


def test_submit_needs_a_reason_while_items_are_missing(demo_store: Store) -> None:
    draft = new_draft(demo_store)
    at = page(draft)
    at.segmented_control(key=key(draft, "lighting.glare")).set_value("yes").run()
    at.button(key="assess_do_submit").click().run()
    refused = " ".join(e.value for e in at.error)
    assert "items are still unanswered" in refused
    assert "quiet_zones.retreat_space" in refused  # the critical item is named
    at.text_area(key=state.ASSESS_SUBMIT_REASON).set_value("Meter away for calibration.").run()
    at.button(key="assess_do_submit").click().run()
    assert not at.exception
    with demo_store.session() as session:
        stored = repository.get_assessment(session, user(demo_store), draft)
    assert stored.status is AssessmentStatus.submitted
    assert stored.provisional_reason == "Meter away for calibration."
    # Read-only for staff now.
    assert at.segmented_control(key=key(draft, "lighting.glare")).disabled
    assert "read-only for staff" in texts(at)


def test_a_manager_marks_a_submitted_assessment_reviewed(demo_store: Store) -> None:
    draft = new_draft(demo_store)
    staff, manager = user(demo_store), user(demo_store, 1)
    with demo_store.session() as session:
        version = repository.get_assessment(session, staff, draft).version_id
        repository.submit(session, staff, draft, version, "Only a test.")
    at = page(draft, as_user=manager)
    at.button(key="assess_do_review").click().run()
    assert not at.exception
    with demo_store.session() as session:
        assert repository.get_assessment(session, staff, draft).status is AssessmentStatus.reviewed
    assert at.segmented_control(key=key(draft, "lighting.glare")).disabled


# --------------------------------------------------------------------------------------------
# The logic on its own
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "readings"),
    [("420", [420.0]), ("420, 610", [420.0, 610.0]), ("420 lx; 610 lx", [420.0, 610.0]), (" 0.55 ", [0.55])],
)
def test_readings_are_parsed(typed: str, readings: list[float]) -> None:
    assert logic.parse_readings(typed, "lx") == readings


@pytest.mark.parametrize("typed", ["abc", "4 2 0x", "1,2,three", "lx"])
def test_text_is_not_a_reading(typed: str) -> None:
    with pytest.raises(AnswerError):
        logic.parse_readings(typed, "lx")


@pytest.mark.parametrize("resolved", CLASSROOM.items, ids=lambda r: r.item.id)
def test_widget_values_round_trip(resolved) -> None:
    """What an input shows for a saved answer turns back into that answer."""
    from checklists.responses import parse_answer

    item = resolved.item
    samples: list[object] = []
    if logic.control_for(item) is logic.Control.segments:
        samples = list(logic.segment_options(item))
    elif item.kind.value == "measurement":
        low = (item.valid[0] if item.valid and item.valid[0] is not None else 0) + 1.5
        samples = [low, [low, low + 10]]
    elif item.kind.value == "flicker":
        samples = [{"percent": 4, "frequency_hz": 100}]
    for raw in samples + ([NA] if item.allow_na else []):
        if logic.control_for(item) is logic.Control.segments and item.kind.value == "rating" and raw != NA:
            raw = int(str(raw))
        answer = parse_answer(resolved, raw)
        values = logic.widget_values(item, answer)
        assert parse_answer(resolved, logic.raw_answer(item, values)) == answer


def test_hint_and_target_are_short() -> None:
    illuminance = CLASSROOM.by_id()["lighting.illuminance"]
    tip = logic.hint(illuminance.item)
    assert tip.good.startswith("Good: ")
    assert tip.good.endswith(".")
    assert tip.how is not None
    assert tip.how.startswith("How to measure:")
    assert logic.target_text(illuminance, "Classroom") == (
        "Target for a classroom: ideal 300 to 500 lx; scores 0 below 150 or above 1000 lx"
    )
    for resolved in CLASSROOM.items:
        assert len(logic.hint(resolved.item).good) < 400, resolved.item.id


def test_summary_counts_sections_and_missing_critical_items() -> None:
    summary = logic.summarise(CATALOGUE, CLASSROOM, {"quiet_zones.retreat_space": False})
    assert summary.done == 1
    assert summary.total == len(CLASSROOM.items)
    assert summary.critical_failures[0][0] == "quiet_zones.retreat_space"
    assert summary.band is not None
    assert summary.band.value == "D"
    assert "lighting.flicker" in [m.id for m in summary.critical_missing]
    assert "Quiet zones and retreat 1/9" in summary.sections_line()


def test_who_may_answer() -> None:
    from assessments.models import Role

    assert logic.can_answer(Role.staff, AssessmentStatus.draft)
    assert not logic.can_answer(Role.staff, AssessmentStatus.submitted)
    assert logic.can_answer(Role.manager, AssessmentStatus.submitted)
    assert not logic.can_answer(Role.admin, AssessmentStatus.reviewed)
    assert not logic.can_answer(Role.consultant, AssessmentStatus.draft)


def test_thumbnail_is_small() -> None:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (3000, 2000), (10, 20, 30)).save(out, format="PNG")
    with Image.open(io.BytesIO(logic.thumbnail(out.getvalue()))) as small:
        assert max(small.size) == logic.THUMBNAIL_SIDE
