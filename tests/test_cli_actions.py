"""`sensory-audit actions` as people run it on the demo store: the list equals the store's actions in
every format, planning and moving follow the Action plan screen's rules, and bad input is refused
with a plain message and nothing changed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from assessments import repository
from assessments.action_views import ActionView
from assessments.db import open_store
from assessments.models import User
from cli import app

runner = CliRunner()
MANAGER = "manager@demo.sensory-audit.test"
STAFF = "staff@demo.sensory-audit.test"
TEACHER = "teacher@demo.sensory-audit.test"
OFFICE = "Harbour Street Partners"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli-actions")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SENSORY_AUDIT_DATA_DIR", str(folder))
        patch.delenv("DATABASE_URL", raising=False)
        assert run("demo")[0] == 0
    return folder


@pytest.fixture(autouse=True)
def _store(demo_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENSORY_AUDIT_DATA_DIR", str(demo_dir))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SENSORY_AUDIT_USER", raising=False)


@contextmanager
def session_as(email: str) -> Iterator[tuple[Session, User]]:
    store = open_store()
    try:
        with store.session() as session:
            user = repository.get_user_by_email(session, email)
            assert user is not None
            yield session, user
    finally:
        store.dispose()


def office_id() -> int:
    with session_as(MANAGER) as (session, manager):
        return next(o.id for o in repository.list_organisations(session, manager) if o.name == OFFICE)


def stored(email: str = MANAGER, **filters: object) -> list[ActionView]:
    with session_as(email) as (session, user):
        return repository.list_actions(session, user, **filters)


def test_list_prints_the_organisations_actions_as_table_csv_and_json() -> None:
    org = office_id()
    actions = stored(organisation_id=org)
    assert len(actions) >= 3
    assert len({a.status for a in actions}) >= 2

    code, out, err = run("actions", "list", "--org", str(org), "--as", MANAGER)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["id", "room", "item", "owner", "due", "on", "state"]
    assert [int(line.split()[0]) for line in lines[1:]] == [a.id for a in actions]

    code, out, err = run("actions", "list", "--org", str(org), "--format", "csv", "--as", MANAGER)
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(int(r["id"]), r["item_id"], r["state"], r["due_on"]) for r in rows] == [
        (a.id, a.item_id, a.status, a.due_on.isoformat()) for a in actions
    ]

    code, out, err = run("actions", "list", "--org", str(org), "--format", "json", "--today", "2026-12-01")
    assert code == 0, err
    records = json.loads(out)
    assert [r["id"] for r in records] == [a.id for a in actions]
    assert [r["overdue"] for r in records] == [a.overdue(dt.date(2026, 12, 1)) for a in actions]
    assert {r["owner"] for r in records} == {a.owner_name for a in actions}


def test_list_filters_by_room_and_state() -> None:
    org = office_id()
    actions = stored(organisation_id=org)
    room = actions[0].room_id
    code, out, err = run("actions", "list", "--org", str(org), "--room", str(room), "--format", "json")
    assert code == 0, err
    assert [r["id"] for r in json.loads(out)] == [a.id for a in actions if a.room_id == room]

    code, out, err = run(
        "actions", "list", "--org", str(org), "--state", "verified", "--state", "done", "--format", "json"
    )
    assert code == 0, err
    assert [r["id"] for r in json.loads(out)] == [a.id for a in actions if a.status in ("verified", "done")]
    assert json.loads(out), "the demo has verified and done actions in the office"


def test_list_refuses_what_the_user_may_not_see() -> None:
    org = office_id()
    code, out, err = run("actions", "list", "--org", str(org), "--as", TEACHER)
    assert (code, out) == (2, "")
    assert f"You do not have access to organisation {org}" in err
    school_room = next(a.room_id for a in stored() if a.organisation_id != org)
    code, out, err = run("actions", "list", "--org", str(org), "--room", str(school_room))
    assert (code, out) == (2, "")
    assert f"room {school_room} is not of organisation {org}" in err
    code, _, err = run("actions", "list", "--org", str(org), "--state", "finished")
    assert code == 2
    assert "'finished' is not one of" in err


def _unplanned_item(room_id: int) -> str:
    with session_as(MANAGER) as (session, manager):
        planned = {a.item_id for a in repository.list_actions(session, manager, room_id=room_id)}
        answers = repository.assessment_answers(
            session, manager, repository.list_assessments(session, manager, room_id)[-1].id
        )
    return next(item for item in sorted(answers) if item not in planned)


def test_a_manager_plans_an_action_and_the_owner_moves_it_on() -> None:
    org = office_id()
    room = stored(organisation_id=org)[0].room_id
    item = _unplanned_item(room)
    with session_as(STAFF) as (session, staff):
        unread = repository.unread_count(session, staff)

    code, out, err = run("actions", "plan", "--room", str(room), "--item", item, "--owner", STAFF, "--due",
                         "2027-04-30", "--cost", "120", "--note", "Ask facilities", "--as", MANAGER)  # fmt: skip
    assert code == 0, err
    assert out.startswith("Planned: Action ")
    assert "owned by Sam Patel, due 2027-04-30: open" in out
    [made] = [a for a in stored(room_id=room) if a.item_id == item]
    assert (made.owner_name, made.due_on, made.cost_estimate, made.note, made.status) == (
        "Sam Patel", dt.date(2027, 4, 30), 120.0, "Ask facilities", "open"
    )  # fmt: skip
    with session_as(STAFF) as (session, staff):
        assert repository.unread_count(session, staff) == unread + 1
        assert repository.list_notifications(session, staff, limit=1)[0].subject.startswith("Action for you: ")

    # Planning the same fix twice is refused, and nothing is added.
    code, _, err = run("actions", "plan", "--room", str(room), "--item", item, "--owner", STAFF, "--due", "2027-05-01")
    assert code == 2
    assert f"already planned (action {made.id})" in err

    # The owner moves it on; the state and its note change, nothing else.
    code, out, err = run("actions", "move", "--action", str(made.id), "--to", "in_progress", "--note", "Ordered",
                         "--as", STAFF)  # fmt: skip
    assert code == 0, err
    assert out.startswith(f"Moved: Action {made.id}: ")
    assert out.rstrip().endswith("in progress")
    code, out, err = run("actions", "move", "--action", str(made.id), "--to", "done", "--as", STAFF)
    assert code == 0, err
    moved = next(a for a in stored(room_id=room) if a.id == made.id)
    assert (moved.status, moved.note, moved.due_on) == ("done", "Ordered", dt.date(2027, 4, 30))
    assert moved.done_at is not None


def test_planning_and_moving_follow_the_screens_rules() -> None:
    org = office_id()
    actions = stored(organisation_id=org)
    room = actions[0].room_id
    item = _unplanned_item(room)
    before = [(a.id, a.status, a.note) for a in stored()]
    refusals = [
        (["plan", "--room", str(room), "--item", item, "--owner", STAFF, "--due", "2027-01-01", "--as", STAFF],
         "Only managers, consultants and admins can plan actions"),
        (["plan", "--room", str(room), "--item", item, "--owner", STAFF, "--due", "2027-01-01", "--as", TEACHER],
         f"You do not have access to room {room}"),
        (["plan", "--room", str(room), "--item", "lighting.sparkle", "--owner", STAFF, "--due", "2027-01-01"],
         "lighting.sparkle is not an item of the checklist"),
        (["plan", "--room", str(room), "--item", item, "--owner", TEACHER, "--due", "2027-01-01"],
         "cannot own this action: the owner must be an active member of the room's organisation"),
        (["plan", "--room", str(room), "--item", item, "--owner", "nobody@x.test", "--due", "2027-01-01"],
         "--owner: no active user with the email nobody@x.test"),
        (["plan", "--room", str(room), "--item", item, "--owner", STAFF, "--due", "1 March"],
         "--due: expected a date as YYYY-MM-DD, got '1 March'"),
        (["plan", "--room", str(room), "--item", item, "--owner", STAFF, "--due", "2027-01-01", "--cost", "-5"],
         "The cost estimate is a amount from 0"),
        (["move", "--action", str(actions[0].id), "--to", "verified"], "An action becomes verified by itself"),
        (["move", "--action", str(actions[0].id), "--to", "done", "--as", TEACHER],
         f"You do not have access to action {actions[0].id}"),
        (["move", "--action", "999999", "--to", "done"], "action 999999"),
    ]  # fmt: skip
    jos = next(a for a in stored() if a.owner_name == "Jo Bennett" and a.status == "open")
    refusals.append((["move", "--action", str(jos.id), "--to", "done", "--as", STAFF],
                     "You can change only the actions assigned to you"))  # fmt: skip
    for args, message in refusals:
        code, out, err = run("actions", *args)
        assert (code, out) == (2, ""), args
        assert message in err, (args, err)
        assert "Traceback" not in err
    assert [(a.id, a.status, a.note) for a in stored()] == before
