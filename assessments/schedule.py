"""The re-assessment schedule: when each room is due to be assessed again.

A room is due a number of months after its last finished (submitted or reviewed) assessment; the
months are set per organisation and room type (`ReassessmentInterval`, default 12). A room is also
due as soon as the fixes planned for it are done, so the next assessment shows whether they worked:
callers pass the day a room's actions were done (`actions_done`), and the earlier date wins.
A room never assessed is due from the day it was added.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from assessments.access import UserLike, _acting, _catalogue, _org_filter, _organisation, _require
from assessments.audit import _audit, _writing
from assessments.errors import InvalidAnswer
from assessments.latest import FINAL_STATUSES
from assessments.models import (
    ActionStatus,
    Assessment,
    AssessmentStatus,
    Organisation,
    PlannedAction,
    ReassessmentInterval,
    Room,
    Site,
    utcnow,
)
from assessments.roles import allowed
from checklists.i18n import N_, _

__all__ = [
    "DEFAULT_MONTHS",
    "DUE_SOON_DAYS",
    "MAX_MONTHS",
    "MIN_MONTHS",
    "DueBasis",
    "DueState",
    "RoomDue",
    "actions_done_on",
    "add_months",
    "due_on",
    "list_intervals",
    "room_schedule",
    "set_interval",
]

DEFAULT_MONTHS = 12
MIN_MONTHS, MAX_MONTHS = 1, 60
# A room falls due within this many days: the Overview lists it beside the overdue ones.
DUE_SOON_DAYS = 30

_SCHEDULERS = allowed("set_schedule")


class DueBasis(StrEnum):
    interval = "interval"  # the room type's months after the last finished assessment
    actions = "actions"  # the room's planned fixes were done
    never = "never"  # no finished assessment yet: due from the day the room was added


class DueState(StrEnum):
    overdue = "overdue"  # the due day has passed
    due = "due"  # due today or within DUE_SOON_DAYS
    later = "later"


@dataclass(frozen=True)
class RoomDue:
    room_id: int
    room_name: str
    room_type: str
    setting: str
    site_id: int
    site_name: str
    organisation_id: int
    organisation_name: str
    last_assessed: dt.date | None
    months: int
    due_on: dt.date
    basis: DueBasis
    state: DueState


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it is shorter (31 Jan + 1 -> 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_on(
    last_assessed: dt.date | None, months: int, *, added_on: dt.date, actions_done: dt.date | None = None
) -> tuple[dt.date, DueBasis]:
    """When a room is due again and why: the interval after its last assessment, or the day its
    actions were done when that is earlier (and after the assessment); the day it was added if never assessed."""
    if last_assessed is None:
        return added_on, DueBasis.never
    regular = add_months(last_assessed, months)
    if actions_done is not None and last_assessed < actions_done < regular:
        return actions_done, DueBasis.actions
    return regular, DueBasis.interval


def _state(day: dt.date, today: dt.date) -> DueState:
    if day < today:
        return DueState.overdue
    if day <= today + dt.timedelta(days=DUE_SOON_DAYS):
        return DueState.due
    return DueState.later


def list_intervals(session: Session, user: UserLike, organisation_id: int) -> dict[tuple[str, str], int]:
    """The months set for an organisation's room types, (setting, room type) -> months; unset room
    types use DEFAULT_MONTHS. Anyone who may see the organisation may read them."""
    actor = _acting(session, user)
    _organisation(session, actor, organisation_id)
    rows = session.scalars(select(ReassessmentInterval).where(ReassessmentInterval.organisation_id == organisation_id))
    return {(r.setting, r.room_type): r.months for r in rows}


def set_interval(
    session: Session, user: UserLike, organisation_id: int, setting: str, room_type: str, months: object
) -> int:
    """Set how many months after its last assessment a room of this type is due again (managers and
    admins). Refuses an unknown room type and a number of months outside MIN_MONTHS..MAX_MONTHS."""
    with _writing(session):
        actor = _acting(session, user)
        _organisation(session, actor, organisation_id)
        _require(actor, _SCHEDULERS, N_("set re-assessment intervals"))
        catalogue = _catalogue()
        if (setting, room_type) not in catalogue.checklists:
            raise InvalidAnswer(
                _("Unknown room type {room_type} for the setting {setting}: one of {known}.").format(
                    room_type=repr(room_type),
                    setting=repr(setting),
                    known=", ".join(catalogue.room_types(setting)) or _("none"),
                ),
                field="room_type",
            )
        if isinstance(months, bool) or not isinstance(months, int) or not MIN_MONTHS <= months <= MAX_MONTHS:
            raise InvalidAnswer(
                _("Months between assessments must be a whole number from {minimum} to {maximum}, got {value}.").format(
                    minimum=MIN_MONTHS, maximum=MAX_MONTHS, value=repr(months)
                ),
                field="months",
            )
        row = session.get(ReassessmentInterval, (organisation_id, setting, room_type))
        old = None if row is None else row.months
        if row is None:
            row = ReassessmentInterval(organisation_id=organisation_id, setting=setting, room_type=room_type)
            session.add(row)
        row.months = months
        row.updated_at = utcnow()
        session.flush()
        _audit(
            session, actor, organisation_id, "update", "reassessment_intervals", None,
            None if old is None else {"setting": setting, "room_type": room_type, "months": old},
            {"setting": setting, "room_type": room_type, "months": months},
        )  # fmt: skip
    return months


def actions_done_on(session: Session, room_ids: Iterable[int]) -> dict[int, dt.date]:
    """Room id -> the day its planned fixes were all done, for rooms with a fix done and none still
    open or in progress (a verified fix was already seen by a later assessment, so it does not count)."""
    wanted = sorted(set(room_ids))
    if not wanted:
        return {}
    rows = session.execute(
        select(PlannedAction.room_id, PlannedAction.status, PlannedAction.done_at).where(
            PlannedAction.room_id.in_(wanted)
        )
    ).all()
    pending = {room for room, status, _done_at in rows if status in (ActionStatus.open, ActionStatus.in_progress)}
    done: dict[int, dt.date] = {}
    for room, status, done_at in rows:
        if status is ActionStatus.done and done_at is not None and room not in pending:
            done[room] = max(done.get(room, done_at.date()), done_at.date())
    return done


def room_schedule(
    session: Session,
    user: UserLike,
    *,
    today: dt.date,
    organisation_ids: Iterable[int] | None = None,
    actions_done: Mapping[int, dt.date] | None = None,
) -> list[RoomDue]:
    """When every room the user may see (optionally of some organisations) is due, soonest first.

    `actions_done` maps a room id to the day its planned fixes were all done; such a room is due
    from that day (see `due_on`). Unless given, it is read from the store (`actions_done_on`).
    Draft assessments do not count: a room stays due until one is submitted.
    """
    actor = _acting(session, user)
    joined = (
        select(Room, Site, Organisation)
        .join(Site, Room.site_id == Site.id)
        .join(Organisation, Site.organisation_id == Organisation.id)
    )
    stmt = _org_filter(actor, cast("Select[Any]", joined))
    if organisation_ids is not None:
        wanted = sorted(set(organisation_ids))
        for org_id in wanted:
            _organisation(session, actor, org_id)
        stmt = stmt.where(Site.organisation_id.in_(wanted))
    places = session.execute(stmt.order_by(Organisation.name, Site.name, Room.name, Room.id)).all()
    if not places:
        return []
    room_ids = [room.id for room, _site, _org in places]
    finished = [AssessmentStatus(s) for s in FINAL_STATUSES]
    latest = session.execute(
        select(Assessment.room_id, func.max(Assessment.assessed_on))
        .where(Assessment.room_id.in_(room_ids), Assessment.status.in_(finished))
        .group_by(Assessment.room_id)
    )
    last: dict[int, dt.date] = {row[0]: row[1] for row in latest}
    org_ids = sorted({org.id for _room, _site, org in places})
    months = {
        (r.organisation_id, r.setting, r.room_type): r.months
        for r in session.scalars(select(ReassessmentInterval).where(ReassessmentInterval.organisation_id.in_(org_ids)))
    }
    done = actions_done_on(session, room_ids) if actions_done is None else actions_done
    schedule = []
    for room, site, org in places:
        interval = months.get((org.id, site.setting, room.room_type), DEFAULT_MONTHS)
        day, basis = due_on(
            last.get(room.id), interval, added_on=room.created_at.date(), actions_done=done.get(room.id)
        )
        schedule.append(
            RoomDue(
                room_id=room.id,
                room_name=room.name,
                room_type=room.room_type,
                setting=site.setting,
                site_id=site.id,
                site_name=site.name,
                organisation_id=org.id,
                organisation_name=org.name,
                last_assessed=last.get(room.id),
                months=interval,
                due_on=day,
                basis=basis,
                state=_state(day, today),
            )
        )
    return sorted(schedule, key=lambda r: (r.due_on, r.organisation_name, r.site_name, r.room_name, r.room_id))
