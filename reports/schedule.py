"""The re-assessment schedule in words and as a calendar file: what the Overview lists, what
`sensory-audit schedule` prints, and the iCalendar file (RFC 5545) a calendar app imports.

The dates come from the store (`assessments.schedule.room_schedule`); this module only words them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from icalendar import Calendar, Event

from assessments.schedule import DueBasis, DueState, RoomDue
from checklists.i18n import DEFAULT_LANGUAGE, N_, _, language, ngettext
from checklists.schema import Catalogue
from checklists.translations import localized
from reports.labels import format_date

__all__ = ["CALENDAR_NAME", "STATE_WORDS", "ScheduleRow", "due_calendar", "due_reason", "schedule_rows"]

CALENDAR_NAME = "Room re-assessments"
# A room's state in words (translate each with `_` where it is shown).
STATE_WORDS = {DueState.overdue: N_("overdue"), DueState.due: N_("due soon"), DueState.later: N_("later")}


def due_reason(room: RoomDue) -> str:
    """Why a room is due when it is: '12 months after 3 Sep 2025' (its last finished assessment),
    'its planned fixes are done: ...', 'not assessed yet', in the reader's language."""
    if room.basis is DueBasis.never:
        return _("not assessed yet")
    if room.basis is DueBasis.actions:
        return _("its planned fixes are done: check that they worked")
    return ngettext("{count} month after {date}", "{count} months after {date}", room.months).format(
        count=room.months, date=format_date(room.last_assessed)
    )


@dataclass(frozen=True)
class ScheduleRow:
    room_id: int
    room: str
    site: str
    room_type: str
    state: str  # "overdue", "due soon", "later", in the reader's language
    due_on: dt.date
    last_assessed: dt.date | None
    why: str


def schedule_rows(catalogue: Catalogue, rooms: Sequence[RoomDue]) -> list[ScheduleRow]:
    """The rooms as the Overview and `sensory-audit schedule` list them, worded in the reader's language."""
    code = language()
    if code != DEFAULT_LANGUAGE:
        catalogue = localized(catalogue, code).catalogue
    rows = []
    for room in rooms:
        try:
            room_type = catalogue.checklist(room.setting, room.room_type).room_type_title
        except KeyError:
            room_type = room.room_type.replace("_", " ").capitalize()
        rows.append(
            ScheduleRow(
                room_id=room.room_id,
                room=room.room_name,
                site=room.site_name,
                room_type=room_type,
                state=_(STATE_WORDS[room.state]),
                due_on=room.due_on,
                last_assessed=room.last_assessed,
                why=due_reason(room),
            )
        )
    return rows


def due_calendar(rooms: Sequence[RoomDue], *, stamp: dt.datetime | None = None) -> bytes:
    """An iCalendar file with one all-day event per room, on the day it is due for re-assessment.

    Each event's UID names the room alone, so importing a newer file moves a room's event to its new
    day instead of adding a second one.
    """
    now = stamp or dt.datetime.now(dt.UTC)
    calendar = Calendar()
    calendar.add("prodid", "-//sensory-audit//re-assessment schedule//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    for room in rooms:
        event = Event()
        event.add("uid", f"reassess-room-{room.room_id}@sensory-audit")
        event.add("dtstamp", now)
        event.add("dtstart", room.due_on)
        event.add("dtend", room.due_on + dt.timedelta(days=1))
        event.add("summary", f"Re-assess {room.room_name} ({room.site_name})")
        event.add(
            "description",
            f"{room.organisation_name} · {room.site_name} · {room.room_name}: due {format_date(room.due_on)}, "
            f"{due_reason(room)} ({STATE_WORDS[room.state]}).",
        )
        event.add("categories", ["Re-assessment"])
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return bytes(calendar.to_ical())
