"""Calibration rounds: several assessors rating the same rooms, so their agreement can be measured.

Two ways to make one (managers and admins, in their own organisations):

- `mark_calibration_round`: assessments already taken become a round. Each room in it needs two or
  more assessments by different assessors within the round's window (7 days unless told otherwise).
- `start_calibration_round`: several assessors are asked to assess the same rooms independently
  from a start date, within the window. Until every one of them has submitted every room, staff
  see only their own assessments of the round (enforced in `assessments.access`). The round
  opens up by itself when its window has passed, or earlier when a manager closes it
  (`close_calibration_round`: an assessor fell ill, a room was closed for works); assessments
  taken after that day no longer count in it.

Managers, consultants and admins read rounds and their answers (`assessments.calibration_views`),
which `scoring.agreement.round_agreement` turns into agreement figures. Every change writes an
audit event.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from assessments.access import (
    _ASSESSORS,
    _CALIBRATORS,
    UserLike,
    _acting,
    _assessment,
    _require,
    _room,
    round_last_day,
)
from assessments.audit import _audit, _writing
from assessments.calibration_views import _round
from assessments.errors import InvalidAnswer
from assessments.models import (
    Assessment,
    CalibrationMember,
    CalibrationMode,
    CalibrationRound,
    CalibrationRoundAssessor,
    CalibrationRoundRoom,
    Room,
    User,
    memberships,
)
from checklists.i18n import N_, _

__all__ = [
    "DEFAULT_WINDOW_DAYS",
    "close_calibration_round",
    "mark_calibration_round",
    "start_calibration_round",
]

DEFAULT_WINDOW_DAYS = 7
_MAX_WINDOW_DAYS = 90


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise InvalidAnswer(_("A calibration round needs a name."), field="name")
    if len(name) > 200:
        raise InvalidAnswer(_("A round's name can have at most 200 characters."), field="name")
    return name


def _check_window(window_days: int) -> None:
    if not 0 <= window_days <= _MAX_WINDOW_DAYS:
        raise InvalidAnswer(
            _("The window of a round is 0 to {maximum} days; {days} is outside it.").format(
                maximum=_MAX_WINDOW_DAYS, days=window_days
            ),
            field="window_days",
        )


def mark_calibration_round(
    session: Session,
    user: UserLike,
    name: str,
    assessment_ids: Sequence[int],
    *,
    window_days: int = DEFAULT_WINDOW_DAYS,
) -> CalibrationRound:
    """Mark assessments already taken as a calibration round (managers and admins).

    Every room in it needs two or more assessments by different assessors, all dated within
    `window_days` of each other, and every assessment one organisation's.
    """
    with _writing(session):
        actor = _acting(session, user)
        _require(actor, _CALIBRATORS, N_("mark calibration rounds"))
        name = _clean_name(name)
        _check_window(window_days)
        scopes = [_assessment(session, actor, assessment_id) for assessment_id in sorted(set(assessment_ids))]
        if not scopes:
            raise InvalidAnswer(_("Choose the assessments of the round."), field="assessments")
        organisations = {s.site.organisation_id for s in scopes}
        if len(organisations) > 1:
            raise InvalidAnswer(_("A calibration round stays within one organisation."), field="assessments")
        by_room: dict[int, list[Assessment]] = defaultdict(list)
        rooms: dict[int, Room] = {}
        for scope in scopes:
            by_room[scope.room.id].append(scope.assessment)
            rooms[scope.room.id] = scope.room
        problems = []
        for room_id, assessments in sorted(by_room.items(), key=lambda kv: rooms[kv[0]].name):
            room = rooms[room_id].name
            assessors = {a.assessor_id or a.assessor for a in assessments}
            if len(assessors) < 2:
                problems.append(_("{room}: needs assessments by at least two different assessors.").format(room=room))
                continue
            days = [a.assessed_on for a in assessments]
            if (max(days) - min(days)).days > window_days:
                problems.append(
                    _("{room}: the assessments are {apart} days apart; the round's window is {window} days.").format(
                        room=room, apart=(max(days) - min(days)).days, window=window_days
                    )
                )
        if problems:
            raise InvalidAnswer(" ".join(problems), field="assessments")
        organisation_id = organisations.pop()
        round_ = CalibrationRound(
            organisation_id=organisation_id,
            name=name,
            mode=CalibrationMode.marked,
            starts_on=min(s.assessment.assessed_on for s in scopes),
            window_days=window_days,
            created_by_id=actor.id,
        )
        session.add(round_)
        session.flush()
        session.execute(
            insert(CalibrationMember), [{"round_id": round_.id, "assessment_id": s.assessment.id} for s in scopes]
        )
        _audit(
            session, actor, organisation_id, "create", "calibration_rounds", round_.id, None,
            {"name": name, "mode": "marked", "window_days": window_days,
             "assessments": [s.assessment.id for s in scopes]},
        )  # fmt: skip
    return round_


def start_calibration_round(
    session: Session,
    user: UserLike,
    name: str,
    room_ids: Sequence[int],
    assessor_ids: Sequence[int],
    *,
    starts_on: dt.date | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
) -> CalibrationRound:
    """Ask several assessors to assess the same rooms independently (managers and admins).

    The round's assessments are those the assessors take of its rooms from `starts_on` (today
    unless told otherwise) to `window_days` later. Until all are submitted, staff see only their own.
    """
    with _writing(session):
        actor = _acting(session, user)
        _require(actor, _CALIBRATORS, N_("start calibration rounds"))
        name = _clean_name(name)
        _check_window(window_days)
        room_scopes = [_room(session, actor, room_id) for room_id in sorted(set(room_ids))]
        if not room_scopes:
            raise InvalidAnswer(_("Choose the rooms of the round."), field="rooms")
        organisations = {site.organisation_id for _room_row, site in room_scopes}
        if len(organisations) > 1:
            raise InvalidAnswer(_("A calibration round stays within one organisation."), field="rooms")
        organisation_id = organisations.pop()
        people = sorted(set(assessor_ids))
        if len(people) < 2:
            raise InvalidAnswer(_("A calibration round needs at least two assessors."), field="assessors")
        members = set(
            session.scalars(
                select(User.id)
                .join(memberships, memberships.c.user_id == User.id)
                .where(memberships.c.organisation_id == organisation_id, User.active.is_(True))
                .where(User.role.in_(sorted(_ASSESSORS)), User.id.in_(people))
            )
        )
        if set(people) - members:
            raise InvalidAnswer(
                _("Every assessor of a round must be an active member of the organisation who may assess rooms."),
                field="assessors",
            )
        round_ = CalibrationRound(
            organisation_id=organisation_id,
            name=name,
            mode=CalibrationMode.independent,
            starts_on=starts_on or dt.date.today(),
            window_days=window_days,
            created_by_id=actor.id,
        )
        session.add(round_)
        session.flush()
        session.execute(
            insert(CalibrationRoundRoom), [{"round_id": round_.id, "room_id": room.id} for room, _site in room_scopes]
        )
        session.execute(insert(CalibrationRoundAssessor), [{"round_id": round_.id, "user_id": p} for p in people])
        _audit(
            session, actor, organisation_id, "create", "calibration_rounds", round_.id, None,
            {"name": name, "mode": "independent", "window_days": window_days,
             "starts_on": round_.starts_on.isoformat(), "rooms": [room.id for room, _site in room_scopes],
             "assessors": people},
        )  # fmt: skip
    return round_


def close_calibration_round(session: Session, user: UserLike, round_id: int) -> CalibrationRound:
    """Close an independent round before its window ends (managers and admins).

    Its answers are no longer hidden from staff, and assessments taken after today no longer count.
    """
    with _writing(session):
        actor = _acting(session, user)
        round_ = _round(session, actor, round_id)
        _require(actor, _CALIBRATORS, N_("close calibration rounds"))
        if round_.mode is not CalibrationMode.independent:
            raise InvalidAnswer(_("Only a round that asked assessors to assess rooms can be closed."), field="round")
        today = dt.date.today()
        if round_.closed_on is not None:
            raise InvalidAnswer(
                _("This round was already closed on {date}.").format(date=f"{round_.closed_on:%d %b %Y}"), field="round"
            )
        if today > round_last_day(round_):
            raise InvalidAnswer(
                _("This round's window ended on {date}; it is closed already.").format(
                    date=f"{round_last_day(round_):%d %b %Y}"
                ),
                field="round",
            )
        round_.closed_on = today
        _audit(
            session, actor, round_.organisation_id, "close", "calibration_rounds", round_.id,
            {"closed_on": None}, {"closed_on": today.isoformat()},
        )  # fmt: skip
    return round_
