"""The Admin page's Criteria tab run by AppTest on the demo store: a bad file lists its problems and
saves nothing; a good one is previewed (changes, scores before -> after) and saved with a reason."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from assessments import repository
from assessments.db import Store
from assessments.demo import DEMO_USERS, SCHOOL
from tests.ui.conftest import shown
from ui import admin_criteria, state

APP = str(Path(__file__).resolve().parents[2] / "app.py")
MANAGER = DEMO_USERS[1].email
QUIETER = """\
thresholds:
  school/classroom:
    noise.background_level: {ideal: [null, 25], limit: [null, 30]}
"""


def _open(store: Store, email: str) -> tuple[AppTest, int]:
    with store.session() as session:
        user = repository.get_user_by_email(session, email)
        assert user is not None
        school = next(o for o in repository.list_organisations(session, user) if o.name == SCHOOL)
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[state.USER_ID] = user.id
    at.run()
    at.switch_page("ui/pages/admin.py")
    at.run()
    at.selectbox(key=state.ADMIN_CRITERIA_ORGANISATION).set_value(school.id).run()
    assert not at.exception, [e.value for e in at.exception]
    return at, school.id


def _kept(store: Store, school: int) -> list[repository.SavedCriteria]:
    with store.session() as session:
        user = repository.get_user_by_email(session, MANAGER)
        assert user is not None
        return repository.criteria_versions(session, user, school)


def test_a_bad_file_lists_its_problems_and_saves_nothing(demo_store: Store) -> None:
    at, school = _open(demo_store, MANAGER)
    before = _kept(demo_store, school)
    at.text_area(key=state.admin_criteria(school, "text")).set_value("critical: [noise.quietness]\n")
    at.button(key=state.admin_criteria(school, "check")).click().run()
    problems = next(t.value for t in at.dataframe if "Problem" in t.value.columns)
    assert problems.to_dict("records") == [
        {
            "Where": "criteria.yaml:1",
            "Field": "critical[0]",
            "Problem": "unknown item 'noise.quietness' (not an item of catalogue 2026.1)",
        }
    ]
    assert not [b for b in at.button if b.label.startswith("Save as criteria version")]
    assert _kept(demo_store, school) == before


def test_a_manager_previews_then_saves_the_criteria_with_a_reason(demo_store: Store) -> None:
    at, school = _open(demo_store, MANAGER)
    at.text_area(key=state.admin_criteria(school, "text")).set_value(QUIETER)
    at.button(key=state.admin_criteria(school, "check")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    changes = "\n".join(c.value for c in at.code)
    assert "school/classroom: target of noise.background_level" in changes
    scores = next(t.value for t in at.dataframe if admin_criteria.AFTER in t.value.columns)
    classrooms = scores[scores[admin_criteria.CHANGE] != "no change"]
    assert len(classrooms) > 0
    assert all(float(c) < 0 for c in classrooms[admin_criteria.CHANGE])
    # Rooms that are not classrooms keep their scores.
    assert (scores[admin_criteria.CHANGE] == "no change").any()
    before = _kept(demo_store, school)
    at.text_input(key=state.admin_criteria(school, "reason")).set_value("Trust asked for quieter classrooms")
    at.button(key=state.admin_criteria(school, "save")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    number = len(before) + 1
    assert any(f"Saved as criteria version {number}" in shown(s.value) for s in at.success)
    saved = _kept(demo_store, school)[-1]
    assert (saved.number, saved.content, saved.reason, saved.saved_by) == (
        number, QUIETER, "Trust asked for quieter classrooms", MANAGER,
    )  # fmt: skip
    versions = next(t.value for t in at.dataframe if "Why" in t.value.columns)
    assert versions["Why"].tolist()[-1] == "Trust asked for quieter classrooms"


ODD_ITEM = """\
items:
  - id: quiet_zones.lending_kit
    kind: yes_no
    question: Is there a **sensory kit** [on loan](https://example.test/kit)?
    guidance: Ear defenders, fidgets and a weighted lap pad, kept together.
    how_to_fix: Put a kit together and label the cupboard.
    effort: low
    principles: [regulation]
    source: Hillview inclusion policy (2026)
    evidence: Q
    good_answer: yes
    applies_to: [school]
"""


def test_the_criteria_screen_follows_the_organisations_criteria(demo_store: Store) -> None:
    with demo_store.session() as session:
        manager = repository.get_user_by_email(session, MANAGER)
        assert manager is not None
        school = next(o for o in repository.list_organisations(session, manager) if o.name == SCHOOL).id
        repository.save_criteria(session, manager, school, ODD_ITEM, "A kit in every school")
    teacher = DEMO_USERS[4].email  # staff of the school only
    with demo_store.session() as session:
        user = repository.get_user_by_email(session, teacher)
        assert user is not None
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[state.USER_ID] = user.id
    at.run()
    at.switch_page("ui/pages/criteria.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key=state.CRITERIA_ORGANISATION).value == school
    labels = [shown(e.label) for e in at.expander]
    question = "Is there a **sensory kit** [on loan](https://example.test/kit)?"
    assert any(label.startswith(question) for label in labels), labels
    at.selectbox(key=state.CRITERIA_ORGANISATION).select_index(0).run()
    assert at.selectbox(key=state.CRITERIA_ORGANISATION).value is None
    assert not any(shown(e.label).startswith(question) for e in at.expander)
