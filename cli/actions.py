"""`sensory-audit actions`: the fixes people have taken on, from a terminal.

`list` prints an organisation's actions (as a table, CSV or JSON), `plan` turns a fix of a room into
an action with an owner and a due date, `move` moves an action to another state. Each command acts
as a user (`--as`, like every store command) and the store applies the same rules as the Action plan
screen: managers, consultants and admins plan and change any action, an owner moves their own.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cli.accounts import print_table
from cli.common import ActingUser, acting_user, fail, store_session

if TYPE_CHECKING:
    from assessments.action_views import ActionView

actions_app = typer.Typer(help="Actions: the fixes people have taken on. List, plan and move them.")

STATES = ("open", "in_progress", "done", "verified")
COLUMNS = (
    "id", "room_id", "room", "site", "item_id", "question", "owner", "due_on", "state", "overdue",
    "cost_estimate", "gain", "note", "check_note",
)  # fmt: skip


class ListShown(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class State(StrEnum):
    open = "open"
    in_progress = "in_progress"
    done = "done"
    verified = "verified"


def _date(option: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: expected a date as YYYY-MM-DD, got {value!r}")


def _record(action: ActionView, today: dt.date) -> dict[str, Any]:
    return {
        "id": action.id,
        "room_id": action.room_id,
        "room": action.room_name,
        "site": action.site_name,
        "item_id": action.item_id,
        "question": action.question,
        "owner": action.owner_name,
        "due_on": action.due_on.isoformat(),
        "state": action.status,
        "overdue": action.overdue(today),
        "cost_estimate": action.cost_estimate,
        "gain": None if action.gain is None else round(action.gain, 2),
        "note": action.note,
        "check_note": action.check_note,
    }


def _said(action: ActionView, today: dt.date) -> str:
    state = action.status.replace("_", " ")
    owner = action.owner_name or "nobody"
    late = ", overdue" if action.overdue(today) else ""
    return (f"Action {action.id}: {action.question} in {action.room_name} ({action.site_name}), "
            f"owned by {owner}, due {action.due_on.isoformat()}: {state}{late}")  # fmt: skip


@actions_app.command("list")
def list_(
    org: Annotated[int, typer.Option("--org", help="Organisation id (see `sensory-audit orgs`).")],
    room: Annotated[int | None, typer.Option("--room", help="Only this room's actions.")] = None,
    state: Annotated[
        list[State] | None, typer.Option("--state", help="Only actions in this state (repeatable).")
    ] = None,
    format: Annotated[ListShown, typer.Option("--format", help="table, csv or json.")] = ListShown.table,
    today: Annotated[str | None, typer.Option("--today", help="Count overdue from this day (YYYY-MM-DD).")] = None,
    acting: ActingUser = None,
) -> None:
    """An organisation's actions, soonest due first: room, item, owner, due date and state."""
    from assessments import repository
    from assessments.errors import StoreError

    day = _date("--today", today) if today else dt.date.today()
    with store_session() as session:
        user = acting_user(session, acting)
        try:
            if room is not None:
                site = repository.get_site(session, user, repository.get_room(session, user, room).site_id)
                if site.organisation_id != org:
                    fail(f"actions list: room {room} is not of organisation {org}")
            found = repository.list_actions(
                session, user, organisation_id=org, room_id=room,
                statuses=None if not state else tuple(s.value for s in state),
            )  # fmt: skip
        except StoreError as error:
            fail(f"actions list: {error}")
    records = [_record(a, day) for a in found]
    if format is ListShown.json:
        sys.stdout.write(json.dumps(records, indent=2, ensure_ascii=False) + "\n")
    elif format is ListShown.csv:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        sys.stdout.write(out.getvalue())
    else:
        rows = [(a.id, a.room_name, a.item_id, a.owner_name or "-", a.due_on.isoformat(),
                 a.status.replace("_", " ") + (" (overdue)" if a.overdue(day) else "")) for a in found]  # fmt: skip
        print_table([("id", "room", "item", "owner", "due on", "state"), *rows] if rows else [], "No actions.")
    sys.stdout.flush()


@actions_app.command()
def plan(
    room: Annotated[int, typer.Option("--room", help="Room id (see `sensory-audit rooms`).")],
    item: Annotated[str, typer.Option("--item", help="The item to fix, e.g. lighting.glare.")],
    owner: Annotated[str, typer.Option("--owner", help="Email of the person who takes it on.")],
    due: Annotated[str, typer.Option("--due", help="Due date, YYYY-MM-DD.")],
    cost: Annotated[float | None, typer.Option("--cost", help="Cost estimate.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note for the owner.")] = None,
    acting: ActingUser = None,
) -> None:
    """Turn a fix of a room into an action (managers, consultants and admins); the owner is told in their inbox."""
    from assessments import repository
    from assessments.errors import StoreError

    due_on = _date("--due", due)
    with store_session() as session:
        user = acting_user(session, acting)
        person = repository.get_user_by_email(session, owner.strip().lower())
        if person is None or not person.active:
            fail(f"--owner: no active user with the email {owner}")
        try:
            made = repository.create_action(
                session, user, room, item, owner_id=person.id, due_on=due_on, cost_estimate=cost, note=note
            )
        except StoreError as error:
            fail(f"actions plan: {error}")
    typer.echo(f"Planned: {_said(made, dt.date.today())}")


@actions_app.command()
def move(
    action: Annotated[int, typer.Option("--action", help="Action id (see `sensory-audit actions list`).")],
    to: Annotated[State, typer.Option("--to", help="open, in_progress or done (verified comes from an assessment).")],
    note: Annotated[str | None, typer.Option("--note", help="Replace the action's note.")] = None,
    acting: ActingUser = None,
) -> None:
    """Move an action to another state: its owner moves it on; managers, consultants and admins move any."""
    from assessments import repository
    from assessments.errors import StoreError

    changes: dict[str, Any] = {"status": to.value} | ({} if note is None else {"note": note})
    with store_session() as session:
        user = acting_user(session, acting)
        try:
            moved = repository.update_action(session, user, action, **changes)
        except StoreError as error:
            fail(f"actions move: {error}")
    typer.echo(f"Moved: {_said(moved, dt.date.today())}")
