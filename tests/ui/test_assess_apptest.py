"""The Assess page run by streamlit.testing.v1.AppTest on the demo store, and its logic module on its own.

A tap reruns only its item and the summary (fragments named by key), so the tree right after an
interaction holds just those two; `settle` runs the whole page again to see the rest.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assessments import repository
from assessments.db import Store
from assessments.demo import DEMO_USERS
from assessments.models import AssessmentStatus, User
from checklists.loader import default_catalogue
from checklists.responses import NA, AnswerError, AnswerSheet, Flicker
from scoring.engine import score_assessment
from tests.ui.conftest import shown
from ui import assess_logic as logic
from ui import state
from ui.assess_evidence import THUMBNAIL_SIDE

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


def settle(at: AppTest) -> AppTest:
    """Run the whole page once more (after a tap only its item and the summary were drawn)."""
    return at.run()


def key(assessment_id: int, item_id: str, part: str = "answer") -> str:
    return state.assess_widget(assessment_id, item_id, part)


def texts(at: AppTest) -> str:
    """Everything the page says in words, as a reader sees it (user text comes escaped, see ui.text)."""
    return "\n".join(
        shown(t) for t in
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
    assert at.text_input(key=key(draft, "lighting.illuminance")).value == "420, 610"  # as the store keeps it
    settle(at).text_input(key=key(draft, "lighting.flicker", "percent")).set_value("4").run()
    assert "frequency too" in texts(at)
    settle(at)
    assert at.text_input(key=key(draft, "lighting.flicker", "percent")).value == "4"  # half a reading stays
    at.text_input(key=key(draft, "lighting.flicker", "frequency")).set_value("100 Hz").run()
    settle(at).checkbox(key=key(draft, "quiet_zones.walking_distance", "na")).check().run()
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
    assert "Nothing is saved for this item yet" in messages
    assert answers(demo_store, draft) == {}
    # The field shows what the store holds (nothing), before and after a full rerun.
    assert at.text_input(key=key(draft, item_id)).value == ""
    settle(at)
    assert at.text_input(key=key(draft, item_id)).value == ""


def test_a_refused_reading_puts_the_saved_one_back_and_numbers_readings_in_words(demo_store: Store) -> None:
    draft = new_draft(demo_store)
    staff = user(demo_store)
    with demo_store.session() as session:
        version = repository.get_assessment(session, staff, draft).version_id
        repository.save_answer(session, staff, draft, "noise.reverberation_time", 0.6, version)
    at = page(draft)
    # A space between digits could be a thousands separator or two readings: refused, never guessed.
    at.text_input(key=key(draft, "noise.reverberation_time")).set_value("1 234").run()
    message = " ".join(shown(e.value) for e in at.error)
    assert "“1 234” could mean 1234 s (type 1234) or 2 readings, 1 s and 234 s (type 1; 234)" in message
    assert "The saved reading, 0.6 s, still counts and is back in the field." in message
    assert at.text_input(key=key(draft, "noise.reverberation_time")).value == "0.6"
    settle(at).text_input(key=key(draft, "noise.reverberation_time")).set_value("0.5; 234").run()
    message = " ".join(shown(e.value) for e in at.error)
    assert "the second reading, 234 s, is not physically possible (allowed: 0 to 20 s)" in message
    assert "Reading 2" not in message
    assert at.text_input(key=key(draft, "noise.reverberation_time")).value == "0.6"
    assert answers(demo_store, draft) == {"noise.reverberation_time": (0.6,)}
    settle(at)
    assert at.text_input(key=key(draft, "noise.reverberation_time")).value == "0.6"


def test_another_assessors_answer_to_another_item_merges_and_to_the_same_item_asks_which_counts(
    demo_store: Store,
) -> None:
    draft = new_draft(demo_store)
    at = page(draft)
    staff, other = user(demo_store), user(demo_store, 4)
    with demo_store.session() as session:  # another tablet answers another item first: no conflict
        repository.save_answer(session, other, draft, "noise.door_noise", "yes", None, answer_version=0)
    at.segmented_control(key=key(draft, "noise.equipment_hum")).set_value("no").run()
    assert "Someone else" not in texts(at)
    assert answers(demo_store, draft) == {"noise.door_noise": True, "noise.equipment_hum": False}
    assert f"by {staff.name}" in texts(at)

    # The other tablet answers the same item: this screen's answer is not saved, and it is shown
    # the other answer and who gave it, and chooses.
    with demo_store.session() as session:
        stamp = repository.answer_stamps(session, other, draft)["noise.equipment_hum"].version
        repository.save_answer(session, other, draft, "noise.equipment_hum", "yes", None, answer_version=stamp)
    at.segmented_control(key=key(draft, "noise.equipment_hum")).set_value(None).run()
    settle(at).segmented_control(key=key(draft, "lighting.glare")).set_value("yes").run()  # another item saves
    shown = " ".join(w.value for w in at.warning)
    assert f"{other.name} answered Yes" in shown, shown
    assert "Clearing it is not saved yet" in shown
    assert answers(demo_store, draft)["noise.equipment_hum"] is True
    at.button(key=key(draft, "noise.equipment_hum", "take_theirs")).click().run()
    assert at.segmented_control(key=key(draft, "noise.equipment_hum")).value == "yes"
    assert f"Took {other.name}" in texts(at)

    # Once more from the other tablet, and this time this screen keeps its own answer.
    with demo_store.session() as session:
        stamp = repository.answer_stamps(session, other, draft)["noise.equipment_hum"].version
        repository.save_answer(session, other, draft, "noise.equipment_hum", "no", None, answer_version=stamp)
    at.segmented_control(key=key(draft, "noise.equipment_hum")).set_value("no").run()
    shown = " ".join(w.value for w in at.warning)
    assert f"{other.name} answered No" in shown, shown
    assert "Your answer, No, is not saved yet" in shown
    at.button(key=key(draft, "noise.equipment_hum", "keep_mine")).click().run()
    assert answers(demo_store, draft) == {
        "noise.door_noise": True,
        "noise.equipment_hum": False,
        "lighting.glare": True,
    }
    with demo_store.session() as session:
        assert repository.answer_stamps(session, staff, draft)["noise.equipment_hum"].answered_by == staff.name


def test_submit_needs_a_reason_while_items_are_missing(demo_store: Store) -> None:
    draft = new_draft(demo_store)
    at = page(draft)
    at.segmented_control(key=key(draft, "lighting.glare")).set_value("yes").run()
    settle(at).button(key=state.ASSESS_SUBMIT).click().run()
    refused = " ".join(e.value for e in at.error)
    assert "47 items are still unanswered, 2 of them critical" in refused
    assert CATALOGUE.item("quiet_zones.retreat_space").question in refused  # named by its question
    assert "quiet_zones.retreat_space" not in refused
    assert "at least 3 words and 15 characters" in refused
    for too_short in ("ok", "no meter", "n/a n/a n/a"):
        at.text_area(key=state.ASSESS_SUBMIT_REASON).set_value(too_short).run()
        at.button(key=state.ASSESS_SUBMIT).click().run()
        assert f"“{too_short}” is too short" in " ".join(e.value for e in at.error), too_short
        with demo_store.session() as session:
            assert repository.get_assessment(session, user(demo_store), draft).status is AssessmentStatus.draft
    at.text_area(key=state.ASSESS_SUBMIT_REASON).set_value("Meter away for calibration.").run()
    at.button(key=state.ASSESS_SUBMIT).click().run()
    assert not at.exception
    with demo_store.session() as session:
        stored = repository.get_assessment(session, user(demo_store), draft)
    assert stored.status is AssessmentStatus.submitted
    assert stored.provisional_reason == "Meter away for calibration."
    # Read-only for staff now; the result says provisional, and how much was answered, beside its band.
    assert at.segmented_control(key=key(draft, "lighting.glare")).disabled
    assert "read-only for staff" in texts(at)
    result = " ".join(shown(s.value) for s in at.success)
    assert "Submitted as provisional: Score 100.0 · Band A, sensory-supportive (provisional) · 1 of 48" in result


def test_a_manager_marks_a_submitted_assessment_reviewed(demo_store: Store) -> None:
    draft = new_draft(demo_store)
    staff, manager = user(demo_store), user(demo_store, 1)
    with demo_store.session() as session:
        version = repository.get_assessment(session, staff, draft).version_id
        repository.submit(session, staff, draft, version, "Only a test.")
    at = page(draft, as_user=manager)
    left_out = " ".join(w.value for w in at.warning)
    assert "Left unanswered: 48 of 48 items" in left_out
    assert CATALOGUE.item("lighting.flicker").question in left_out
    at.button(key=state.ASSESS_REVIEW).click().run()
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
    assert summary.short() == "0.0, band D (provisional) · 1 of 48 answered"
    assert summary.missing_line() == "Still to answer: 47 items, 1 of them critical"


def test_who_may_answer() -> None:
    from assessments.models import Role

    assert logic.can_answer(Role.staff, AssessmentStatus.draft)
    assert not logic.can_answer(Role.staff, AssessmentStatus.submitted)
    assert logic.can_answer(Role.manager, AssessmentStatus.submitted)
    assert not logic.can_answer(Role.admin, AssessmentStatus.reviewed)
    # Consultants assess and review in the organisations they are granted (the role table's "assess"
    # and "review"): they change a submitted assessment, as a manager does.
    assert logic.can_answer(Role.consultant, AssessmentStatus.draft)
    assert logic.can_answer(Role.consultant, AssessmentStatus.submitted)
    assert logic.can_review(Role.consultant, AssessmentStatus.submitted)
    assert not logic.can_review(Role.staff, AssessmentStatus.submitted)
    assert logic.can_start(Role.consultant)
    assert not logic.can_answer(Role.viewer, AssessmentStatus.draft)
    assert not logic.can_start(Role.viewer)


def test_thumbnail_is_small() -> None:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (3000, 2000), (10, 20, 30)).save(out, format="PNG")
    made = repository.thumbnail(out.getvalue(), THUMBNAIL_SIDE)
    assert made is not None
    with Image.open(io.BytesIO(made)) as small:
        assert max(small.size) == THUMBNAIL_SIDE
    # A damaged file gives no thumbnail (the screen says so), never an error.
    assert repository.thumbnail(out.getvalue()[:200], THUMBNAIL_SIDE) is None


# --------------------------------------------------------------------------------------------
# The room on screen, the summary, readings far outside the target
# --------------------------------------------------------------------------------------------


def room_id(store: Store, name: str) -> int:
    with store.session() as session:
        return next(r.id for r in repository.list_rooms(session, user(store)) if r.name == name)


def test_choosing_another_room_closes_the_open_assessment_and_start_uses_the_room_chosen(demo_store: Store) -> None:
    draft = new_draft(demo_store, "Year 1 classroom")
    year2 = room_id(demo_store, "Year 2 classroom")
    at = page(draft)
    assert at.session_state[state.ASSESS_OPEN] == draft
    at.selectbox(key=state.ASSESS_ROOM).set_value(year2).run()
    assert not at.exception
    assert f"Closed the assessment of Year 1 classroom (no. {draft}); its answers are saved." in texts(at)
    assert at.session_state[state.ASSESS_OPEN] != draft
    assert at.selectbox(key=state.ASSESS_ROOM).value == year2  # no snapping back
    at.button(key=state.ASSESS_START).click().run()
    started = at.session_state[state.ASSESS_OPEN]
    with demo_store.session() as session:
        assert repository.get_assessment(session, user(demo_store), started).room_id == year2
    assert at.query_params["assessment"] == str(started)


def test_closing_keeps_the_room_and_opens_nothing_until_asked(demo_store: Store) -> None:
    draft = new_draft(demo_store, "Year 3 classroom")
    at = page(draft)
    at.button(key=state.ASSESS_CLOSE).click().run()
    assert at.session_state[state.ASSESS_OPEN] is None
    assert "assessment" not in at.query_params
    assert at.selectbox(key=state.ASSESS_ROOM).value == room_id(demo_store, "Year 3 classroom")
    assert at.selectbox(key=state.ASSESS_ASSESSMENT).value is None
    settle(at)
    assert at.session_state[state.ASSESS_OPEN] is None
    at.selectbox(key=state.ASSESS_ASSESSMENT).set_value(draft).run()
    assert at.session_state[state.ASSESS_OPEN] == draft


def test_the_tap_itself_brings_the_summary_up_to_date(demo_store: Store) -> None:
    draft = new_draft(demo_store)
    at = page(draft)
    for n, item_id in enumerate(["lighting.glare", "lighting.dimmable", "noise.door_noise"], start=1):
        at.segmented_control(key=key(draft, item_id)).set_value("no" if n == 2 else "yes").run()
        with demo_store.session() as session:
            engine = score_assessment(CATALOGUE, repository.scoring_input(session, user(demo_store), draft))
        # Only the item and the summary were drawn: the summary is among them, with the engine's numbers.
        bar = " ".join(m.value for m in at.markdown if "answered" in m.value and "Score" in m.value)
        assert f"Score {engine.overall:.1f} · Band {engine.band}" in bar
        assert f"{n} of 48 answered" in bar
        assert "(provisional)" in bar
        settle(at)


def test_a_reading_far_past_the_limit_is_asked_about_before_it_is_saved(demo_store: Store) -> None:
    draft = new_draft(demo_store)
    lux = key(draft, "lighting.illuminance")
    at = page(draft)
    at.text_input(key=lux).set_value("420").run()
    settle(at).text_input(key=lux).set_value("99999").run()
    asked = " ".join(shown(w.value) for w in at.warning)
    assert "99999 lx is far above what a classroom can have (limit 1000 lx). Save it anyway?" in asked
    assert "The saved reading, 420 lx, still counts." in asked
    assert answers(demo_store, draft) == {"lighting.illuminance": (420.0,)}
    at.button(key=key(draft, "lighting.illuminance", "change_it")).click().run()
    assert at.text_input(key=lux).value == "420"
    assert answers(demo_store, draft) == {"lighting.illuminance": (420.0,)}
    settle(at).text_input(key=lux).set_value("420, 99999").run()
    assert "The second reading, 99999 lx, is far above" in " ".join(w.value for w in at.warning)
    settle(at)
    assert at.text_input(key=lux).value == "420, 99999"  # what was typed waits beside the question
    at.button(key=key(draft, "lighting.illuminance", "save_anyway")).click().run()
    assert answers(demo_store, draft) == {"lighting.illuminance": (420.0, 99999.0)}
    assert "Saved " in texts(at)


def test_switching_user_forgets_the_last_persons_messages(demo_store: Store) -> None:
    draft = new_draft(demo_store)
    app = AppTest.from_file(str(Path(PAGE).parents[2] / "app.py"), default_timeout=60)
    app.query_params["assessment"] = str(draft)
    app.run()
    assert not app.exception
    app.session_state[state.ASSESS_DECISION] = {
        draft: logic.Feedback(logic.FeedbackKind.saved, "Submitted as provisional")
    }
    manager = user(demo_store, 1)
    app.selectbox(key=state.SIGNIN_TRY_AS).select(manager).run()
    assert not app.exception
    assert app.session_state[state.USER_ID] == manager.id
    assert state.ASSESS_DECISION not in app.session_state or draft not in app.session_state[state.ASSESS_DECISION]
    assert "Submitted as provisional" not in texts(app)


# --------------------------------------------------------------------------------------------
# The wording and the rules on their own
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "enough"),
    [
        ("ok", False),
        ("", False),
        ("   ", False),
        ("no meter today", False),  # three words, 14 characters
        ("meter away, sorry", True),
        ("The sound level meter was away for calibration.", True),
        ("x y z w v u t s r q", False),  # single letters are not words
    ],
)
def test_a_reason_is_a_sentence(reason: str, enough: bool) -> None:
    assert (logic.reason_problem(reason) is None) is enough


def test_the_refusal_names_items_by_their_question_and_says_the_rule() -> None:
    summary = logic.summarise(CATALOGUE, CLASSROOM, {"lighting.glare": True})
    message = logic.incomplete_feedback(summary, "ok").message
    assert "“ok” is too short to tell a reviewer why" in message
    assert logic.REASON_RULE in message
    for resolved in CLASSROOM.items:
        assert resolved.item.id not in message
    assert CATALOGUE.item("lighting.flicker").question in message


@pytest.mark.parametrize(
    ("item_id", "readings", "asks"),
    [
        ("lighting.illuminance", [99999], "99999 lx is far above what a classroom can have (limit 1000 lx)"),
        ("lighting.illuminance", [10000], None),  # 10 x the limit: a sunlit desk
        ("lighting.illuminance", [14], "14 lx is far below what a classroom can have (limit 150 lx)"),
        ("lighting.illuminance", [420, 20000], "The second reading, 20000 lx, is far above"),
        ("noise.background_level", [79], None),
        ("noise.background_level", [81], "81 dBA is far above what a classroom can have (limit 50 dBA)"),
        ("noise.reverberation_time", [4.8], None),
        ("noise.reverberation_time", [6], "6 s is far above"),
        ("lighting.colour_temperature", [9000], None),
        ("lighting.colour_temperature", [12000], "12000 K is far above"),
        ("lighting.colour_rendering", [10], "10 Ra is far below"),
    ],
)
def test_unlikely_readings(item_id: str, readings: list[float], asks: str | None) -> None:
    question = logic.unlikely_reading(CLASSROOM.by_id()[item_id], readings, "Classroom")
    if asks is None:
        assert question is None
    else:
        assert question is not None
        assert question.startswith(asks)
        assert question.endswith("Save it anyway?")


def test_an_open_limit_is_never_questioned() -> None:
    quiet = CATALOGUE.checklist("school", "quiet_room").by_id()["lighting.illuminance"]
    assert quiet.target is not None
    assert quiet.target.limit[0] is None
    assert logic.unlikely_reading(quiet, [0.5], "Quiet room") is None


def test_saved_answers_in_words() -> None:
    by_id = CLASSROOM.by_id()
    assert logic.describe_answer(by_id["noise.reverberation_time"].item, (0.6,)) == "0.6 s"
    assert logic.describe_answer(by_id["lighting.illuminance"].item, (420.0, 610.0)) == "420 lx and 610 lx"
    assert logic.describe_answer(by_id["lighting.flicker"].item, Flicker(4, 100)) == "4 % at 100 Hz"
    assert logic.describe_answer(by_id["noise.sound_absorption"].item, "partial") == "Partly"
    assert logic.describe_answer(by_id["quiet_zones.walking_distance"].item, NA) == "not applicable"


@pytest.mark.parametrize(
    ("typed", "says"),
    [("abc", "reading “abc” is not a number"), ("420, abc", "the second reading, “abc”, is not a number")],
)
def test_reading_numbers_are_words_in_messages(typed: str, says: str) -> None:
    with pytest.raises(AnswerError, match=re.escape(says)):
        logic.parse_readings(typed, "lx")


def test_unanswered_critical_items_for_the_reviewer() -> None:
    score = score_assessment(CATALOGUE, AnswerSheet("school", "classroom", {"lighting.glare": True}))
    assert [i.id for i in logic.unanswered_critical(CATALOGUE, score)] == [
        "lighting.flicker",
        "quiet_zones.retreat_space",
    ]


def test_example_readings_are_good_ones_for_the_room() -> None:
    by_id = CLASSROOM.by_id()
    assert logic.reading_placeholder(by_id["lighting.illuminance"]) == "Reading in lx; several: 300, 500"
    assert logic.reading_placeholder(by_id["noise.reverberation_time"]) == "Reading in s; several: 0.48, 0.6"
    assert logic.reading_placeholder(by_id["noise.background_level"]) == "Reading in dBA; several: 28, 35"


def test_the_room_page_shows_a_provisional_band_with_what_was_left_unanswered(demo_store: Store) -> None:
    draft = new_draft(demo_store, "Year 6 classroom")
    staff, manager = user(demo_store), user(demo_store, 1)
    with demo_store.session() as session:
        version = repository.get_assessment(session, staff, draft).version_id
        version = repository.save_answer(session, staff, draft, "lighting.glare", "yes", version)
        repository.submit(session, staff, draft, version, "The sound level meter was away.")
    at = AppTest.from_file(str(Path(PAGE).parent / "room.py"), default_timeout=60)
    at.session_state[state.USER_ID] = manager.id
    at.query_params["room"] = str(room_id(demo_store, "Year 6 classroom"))
    at.run()
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "Critical items left unanswered" in warnings
    assert CATALOGUE.item("quiet_zones.retreat_space").question in warnings
    card = " ".join(m.value for m in at.markdown if "band-chip" in m.value)
    assert "sensory-supportive · provisional, 2 % answered" in card
