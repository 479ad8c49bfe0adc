"""Commands that follow rooms up after an assessment: `changes` (what changed between two
assessments, item by item) and `schedule` (rooms due and overdue for re-assessment, and the
calendar file of their due dates)."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cli.accounts import print_table
from cli.common import ActingUser, acting_user, fail, store_session, write_bytes_atomically


class ChangesShown(StrEnum):
    text = "text"
    csv = "csv"
    json = "json"


def changes(
    room: Annotated[int, typer.Option("--room", help="Room id (see `sensory-audit rooms`).")],
    from_: Annotated[int | None, typer.Option("--from", help="The earlier assessment id.")] = None,
    to: Annotated[int | None, typer.Option("--to", help="The later assessment id.")] = None,
    format: Annotated[ChangesShown, typer.Option("--format", help="text, csv or json.")] = ChangesShown.text,
    out: Annotated[Path | None, typer.Option("--out", help="File to write (default: print).")] = None,
    acting: ActingUser = None,
) -> None:
    """What changed in a room between two assessments, item by item (default: the latest against the one before)."""
    from assessments import repository
    from assessments.errors import StoreError
    from checklists.loader import default_catalogue
    from reports.changes import changes_csv, changes_json, changes_text, compare_stored, default_pair

    if (from_ is None) != (to is None):
        fail("changes: give both --from and --to, or neither (the latest against the one before)")
    cat = default_catalogue()
    with store_session() as session:
        user = acting_user(session, acting)
        try:
            if from_ is None or to is None:
                history = [
                    (a.id, a.assessed_on, a.status.value) for a in repository.list_assessments(session, user, room)
                ]
                pair = default_pair(history)
                if pair is None:
                    fail(f"changes: room {room} has {len(history)} assessment{'s' if len(history) != 1 else ''}; "
                         "what changed needs two")  # fmt: skip
                from_, to = pair
            compared = compare_stored(session, user, cat, from_, to)
        except StoreError as error:
            fail(f"changes: {error}")
    if compared.room_id != room:
        fail(f"changes: assessments {from_} and {to} are not of room {room}")
    if format is ChangesShown.csv:
        content = changes_csv(cat, compared)
    elif format is ChangesShown.json:
        content = (json.dumps(changes_json(cat, compared), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    else:
        content = (changes_text(cat, compared) + "\n").encode("utf-8")
    if out is None:
        sys.stdout.write(content.decode("utf-8"))
        sys.stdout.flush()
    else:
        write_bytes_atomically(out, content)
        typer.echo(f"Wrote {out}")


def schedule(
    org: Annotated[int | None, typer.Option("--org", help="Organisation id (default: every one you see).")] = None,
    ics: Annotated[
        Path | None, typer.Option("--ics", help="Also write the calendar file (.ics) of every room.")
    ] = None,
    every: Annotated[bool, typer.Option("--all", help="List every room, not only those due and overdue.")] = False,
    today: Annotated[
        str | None, typer.Option("--today", help="Count from this day (YYYY-MM-DD) instead of today.")
    ] = None,
    acting: ActingUser = None,
) -> None:
    """Rooms due and overdue for re-assessment, with their dates; --ics writes them as a calendar file."""
    import datetime as dt

    from assessments import repository
    from assessments.errors import StoreError
    from assessments.schedule import DueState
    from checklists.loader import default_catalogue
    from reports.labels import format_date
    from reports.schedule import due_calendar, schedule_rows

    try:
        day = dt.date.fromisoformat(today) if today else dt.date.today()
    except ValueError:
        fail(f"--today: expected a date as YYYY-MM-DD, got {today!r}")
    if ics is not None and ics.suffix.lower() != ".ics":
        fail(f"--ics: {ics}: a calendar file ends in .ics; name the file FILE.ics")
    with store_session() as session:
        user = acting_user(session, acting)
        try:
            rooms = repository.room_schedule(session, user, today=day, organisation_ids=None if org is None else [org])
        except StoreError as error:
            fail(f"schedule: {error}")
    shown = rooms if every else [r for r in rooms if r.state is not DueState.later]
    rows = schedule_rows(default_catalogue(), shown)
    print_table(
        [("room id", "room", "site", "state", "due on", "why"),
         *((r.room_id, r.room, r.site, r.state, format_date(r.due_on), r.why) for r in rows)] if rows else [],
        f"No room is due for re-assessment by {format_date(day)}.",
    )  # fmt: skip
    if ics is not None:
        write_bytes_atomically(ics, due_calendar(rooms))
        typer.echo(f"Wrote {ics}: {len(rooms)} room{'s' if len(rooms) != 1 else ''}")
