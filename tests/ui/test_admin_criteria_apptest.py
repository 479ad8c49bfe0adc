"""The Admin page's Criteria tab run by AppTest on the demo store: a bad file lists its problems and
saves nothing; a good one is previewed (changes, scores before -> after) and saved with a reason."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from assessments import repository
from assessments.db import Store
from assessments.demo import DEMO_USERS, SCHOOL
from checklists.loader import default_catalogue
from tests.ui.conftest import shown
from ui import admin_criteria, state, version_view

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


def test_compare_names_the_organisation_with_its_own_criteria_and_offers_the_shipped_catalogue(
    demo_store: Store,
) -> None:
    with demo_store.session() as session:
        admin = repository.get_user_by_email(session, DEMO_USERS[3].email)
        assert admin is not None
        organisations = {o.name: o.id for o in repository.list_organisations(session, admin)}
        school = organisations[SCHOOL]
        repository.save_criteria(session, admin, school, QUIETER, "Quieter classrooms still")
        classroom = next(r for r in repository.list_rooms(session, admin) if r.room_type == "classroom"
                         and repository.get_site(session, admin, r.site_id).organisation_id == school)  # fmt: skip
        other = next(r for r in repository.list_rooms(session, admin)
                     if repository.get_site(session, admin, r.site_id).organisation_id != school)  # fmt: skip
        draft = repository.start_assessment(session, admin, classroom.id)
        version = repository.save_answer(session, admin, draft.id, "noise.background_level", 33, draft.version_id)
        repository.submit(session, admin, draft.id, version, provisional_reason="noise only, this time")
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[state.USER_ID] = admin.id
    at.session_state[state.COMPARE_ROOMS] = [classroom.id, other.id]
    at.run()
    at.switch_page("ui/pages/compare.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    notes = [shown(i.value) for i in at.info]
    assert any(f"{SCHOOL} uses criteria of its own" in n for n in notes), notes
    stored = next(t.value for t in at.dataframe if "Criteria version" in t.value.columns)
    own = stored[stored["Criteria version"].str.contains(f"\\+org{school}\\.")]
    assert len(own) == 1
    # 33 dBA is beyond the organisation's limit of 30: the only answer scores 0, so the room does too.
    assert own["Overall"].iloc[0] == 0.0
    at.toggle(key=state.COMPARE_SHIPPED).set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    shipped = next(t.value for t in at.dataframe if "Criteria version" in t.value.columns)
    assert set(shipped["Criteria version"]) == {"2026.1"}
    # Under the shipped classroom target (ideal at most 35 dBA) the same reading scores full marks.
    assert shipped.loc[own.index[0], "Overall"] == 100.0
    assert any("Re-scored under the shipped catalogue" in shown(c.value) for c in at.caption)


NIGHT_LIGHT = """\
items:
  - id: lighting.night_light
    kind: yes_no
    question: Is there a *night light* by the door?
    guidance: A low, warm light at floor level, on its own switch.
    how_to_fix: Fit a plug-in night light on its own switch.
    effort: low
    principles: [safety]
    source: Hillview estates policy EP-4 (2026)
    evidence: D
    good_answer: yes
    applies_to: [school/classroom]
"""


def test_an_added_item_is_asked_on_the_tablet_and_saved(demo_store: Store) -> None:
    teacher = DEMO_USERS[4].email
    with demo_store.session() as session:
        manager = repository.get_user_by_email(session, MANAGER)
        staff = repository.get_user_by_email(session, teacher)
        assert manager is not None
        assert staff is not None
        school = next(o for o in repository.list_organisations(session, manager) if o.name == SCHOOL).id
        repository.save_criteria(session, manager, school, NIGHT_LIGHT, "Night lights in classrooms")
        room = next(r for r in repository.list_rooms(session, staff) if r.room_type == "classroom")
        draft = repository.start_assessment(session, staff, room.id).id
    at = AppTest.from_file(str(Path(APP).parent / "ui" / "pages" / "assess.py"), default_timeout=60)
    at.query_params["assessment"] = str(draft)
    at.session_state[state.USER_ID] = staff.id
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    control = at.segmented_control(key=state.assess_widget(draft, "lighting.night_light", "answer"))
    assert shown(control.label) == "Is there a *night light* by the door?"
    control.set_value("no").run()
    assert not at.exception, [e.value for e in at.exception]
    with demo_store.session() as session:
        assert repository.assessment_answers(session, staff, draft)["lighting.night_light"] is False


def test_a_consultant_adapts_the_criteria_on_the_criteria_screen(demo_store: Store) -> None:
    consultant = DEMO_USERS[2].email
    with demo_store.session() as session:
        user = repository.get_user_by_email(session, consultant)
        assert user is not None
        school = next(o for o in repository.list_organisations(session, user) if o.name == SCHOOL).id
    before = _kept(demo_store, school)
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[state.USER_ID] = user.id
    at.run()
    at.switch_page("ui/pages/criteria.py")
    at.run()
    assert any(e.label == "Adapt the criteria of an organisation you advise" for e in at.expander)
    at.selectbox(key=state.ADMIN_CRITERIA_ORGANISATION).set_value(school).run()
    at.text_area(key=state.admin_criteria(school, "text")).set_value("critical: [lighting.dimmable]\n")
    at.button(key=state.admin_criteria(school, "check")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    at.text_input(key=state.admin_criteria(school, "reason")).set_value("Dimming is policy")
    at.button(key=state.admin_criteria(school, "save")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    saved = _kept(demo_store, school)[-1]
    assert (saved.number, saved.saved_by, saved.reason) == (len(before) + 1, consultant, "Dimming is policy")


def test_every_screen_renders_with_scores_under_organisation_criteria(demo_store: Store) -> None:
    from assessments.roles import SCREENS_BY_ROLE

    with demo_store.session() as session:
        admin = repository.get_user_by_email(session, DEMO_USERS[3].email)
        assert admin is not None
        school = next(o for o in repository.list_organisations(session, admin) if o.name == SCHOOL).id
        repository.save_criteria(
            session, admin, school, QUIETER + NIGHT_LIGHT.replace("items:\n", "items:\n", 1), "all"
        )
        room = next(r for r in repository.list_rooms(session, admin) if r.room_type == "classroom"
                    and repository.get_site(session, admin, r.site_id).organisation_id == school)  # fmt: skip
        draft = repository.start_assessment(session, admin, room.id)
        version = repository.save_answer(session, admin, draft.id, "lighting.night_light", "no", draft.version_id)
        repository.submit(session, admin, draft.id, version, provisional_reason="night light only")
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[state.USER_ID] = admin.id
    at.session_state[state.ROOM_ID] = room.id
    at.run()
    for screen in SCREENS_BY_ROLE[admin.role]:
        at.switch_page(f"ui/pages/{screen}.py")
        at.run()
        assert not at.exception, (screen, [e.value for e in at.exception])
        if screen == "overview":
            captions = " ".join(shown(c.value) for c in at.caption)
            assert f"{SCHOOL} uses criteria of its own" in captions
        if screen == "room":
            assert any("+org" in shown(c.value) for c in at.caption)
            at.toggle(key=version_view.RESCORE_KEY).set_value(True).run()
            assert not at.exception, [e.value for e in at.exception]
            rescored = next(t.value for t in at.dataframe if "Stored under" in t.value.columns)
            # The room's history under the school's newest criteria, beside the versions it was stored under.
            newest = f"Re-scored under {default_catalogue().version}+org{school}."
            assert any(str(c).startswith(newest) for c in rescored.columns), list(rescored.columns)
            assert "2026.1" in set(rescored["Stored under"])
