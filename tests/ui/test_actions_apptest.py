"""The Action plan, Room and Inbox screens with actions (Streamlit's AppTest on the demo portfolio)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assessments import repository
from assessments.db import Store
from assessments.models import User
from ui import state
from ui.text import literal

PAGES = Path(__file__).resolve().parents[2] / "ui" / "pages"
MANAGER = "manager@demo.sensory-audit.test"
STAFF = "staff@demo.sensory-audit.test"
TEACHER = "teacher@demo.sensory-audit.test"
VIEWER = "viewer@demo.sensory-audit.test"


def person(store: Store, email: str) -> User:
    with store.session() as session:
        found = repository.get_user_by_email(session, email)
    assert found is not None
    return found


def run(store: Store, page: str, email: str, **query: str) -> AppTest:
    app = AppTest.from_file(str(PAGES / f"{page}.py"), default_timeout=90)
    app.session_state[state.USER_ID] = person(store, email).id
    for name, value in query.items():
        app.query_params[name] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def table_with(app: AppTest, column: str):
    return next(d.value for d in app.dataframe if column in d.value.columns)


def test_the_plan_shows_planned_actions_beside_the_fixes_and_plans_one(demo_store: Store) -> None:
    app = run(demo_store, "action_plan", MANAGER)
    planned = table_with(app, "Owner")
    with demo_store.session() as session:
        stored = repository.list_actions(session, person(demo_store, MANAGER))
    assert len(planned) == len(stored)
    assert "Verified" in set(planned["State"])
    assert "Open" in set(planned["State"])
    fixes = table_with(app, "Effort")
    assert {"In progress", "unplanned"} <= set(fixes["Action"])

    # Plan the first unplanned fix for the staff member.
    fix = app.selectbox(key="actions_plan_fix")
    first = fix.options[0]
    fix.set_value(fix.value)
    sam = person(demo_store, STAFF)
    app.selectbox(key="actions_plan_owner").set_value(sam.id)
    app.date_input(key="actions_plan_due").set_value(dt.date(2027, 3, 1))
    app.number_input(key="actions_plan_cost").set_value(75.0)
    app.text_input(key="actions_plan_note").input("Order <b>two</b> [now](x)")
    app.button(key="actions_plan_go").click().run()
    assert not app.exception
    assert app.success[0].value == literal(f"Planned: {first}, owned by Sam Patel, due 1 Mar 2027.")
    assert first not in app.selectbox(key="actions_plan_fix").options  # it is planned now
    with demo_store.session() as session:
        made = max(repository.list_actions(session, sam, owner_id=sam.id), key=lambda a: a.id)
    assert (made.status, made.cost_estimate, made.note) == ("open", 75.0, "Order <b>two</b> [now](x)")
    assert len(table_with(app, "Owner")) == len(stored) + 1

    # Planning needs an owner; the refusal says so and nothing is added.
    app.selectbox(key="actions_plan_owner").set_value(None)
    app.button(key="actions_plan_go").click().run()
    assert app.error[0].value == "Choose who owns the action\\."
    assert len(table_with(app, "Owner")) == len(stored) + 1


def test_a_viewer_sees_actions_but_no_forms(demo_store: Store) -> None:
    with demo_store.session() as session:
        admin = person(demo_store, "admin@demo.sensory-audit.test")
        school = next(o for o in repository.list_organisations(session, admin) if o.name == "Hillview Primary School")
        repository.create_user(session, admin, email=VIEWER, name="Val Viewer", role="viewer",
                               organisation_ids=[school.id])  # fmt: skip
    app = run(demo_store, "action_plan", VIEWER)
    rooms = set(table_with(app, "Owner")["Room"])
    # Only the school's actions: the viewer belongs to the school alone.
    assert "Main corridor · Hillview Primary School" in rooms
    assert all(room.endswith(" · Hillview Primary School") for room in rooms)
    assert not [b for b in app.button if b.key == "actions_plan_go"]


def test_the_room_page_lists_its_actions(demo_store: Store) -> None:
    with demo_store.session() as session:
        manager = person(demo_store, MANAGER)
        [room] = [r for r in repository.list_rooms(session, manager) if r.name == "HR office"]
    app = run(demo_store, "room", MANAGER, room=str(room.id))
    table = table_with(app, "Last check")
    with demo_store.session() as session:
        [reopened] = [a for a in repository.list_actions(session, manager, room_id=room.id) if a.status == "open"]
    overdue = reopened.due_on < dt.date.today()
    # Open and overdue first, verified last; the reopened one says what the follow-up found.
    assert list(table["State"]) == ["Open · overdue" if overdue else "Open", "Verified", "Verified"]
    assert table["Last check"][0].startswith("Reopened: the assessment of 20 November 2026 by Sam Patel scores it")
    assert "Room" not in table.columns
    expected = f"1 to do or to confirm, 2 verified by a later assessment, {int(overdue)} overdue."
    assert expected in [c.value for c in app.caption]


def test_the_inbox_lists_notifications_and_moves_own_actions_on(demo_store: Store) -> None:
    app = run(demo_store, "inbox", TEACHER)
    subjects = [m.value for m in app.markdown if m.value.startswith("**")]
    assert any("Action for you" in s for s in subjects)
    teacher = person(demo_store, TEACHER)
    with demo_store.session() as session:
        [action] = repository.list_actions(session, teacher, owner_id=teacher.id)
    prefix = f"actions_mine_{action.id}"
    app.selectbox(key=f"{prefix}_status").set_value("in_progress")
    app.text_input(key=f"{prefix}_note").input("Caretaker booked for Friday")
    app.button(key=f"{prefix}_go").click().run()
    assert not app.exception
    assert app.success[0].value == literal(f"Saved: {action.question} in Main corridor is In progress.")
    with demo_store.session() as session:
        changed = repository.get_action(session, teacher, action.id)
    assert (changed.status, changed.note) == ("in_progress", "Caretaker booked for Friday")
    unread = repository_unread(demo_store, teacher)
    assert unread > 0
    app.button[0].click().run()  # Mark all as read
    assert repository_unread(demo_store, teacher) == 0
    assert any(c.value.startswith("0 unread of") for c in app.caption)


def repository_unread(store: Store, user: User) -> int:
    with store.session() as session:
        return repository.unread_count(session, user)


@pytest.mark.parametrize("email", [STAFF, MANAGER])
def test_reminders_land_once(demo_store: Store, email: str) -> None:
    run(demo_store, "inbox", email)
    with demo_store.session() as session:
        user = person(demo_store, email)
        before = len(repository.list_notifications(session, user, limit=1000))
        assert repository.refresh_reminders(session, user) == 0
        assert len(repository.list_notifications(session, user, limit=1000)) == before
        kinds = {n.kind for n in repository.list_notifications(session, user, limit=1000)}
    expected = {"action_overdue"} if email == STAFF else {"submitted", "room_due"}
    assert expected <= kinds
