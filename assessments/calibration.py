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

Managers, consultants and admins read rounds and their answers (`calibration_units`), which
`scoring.agreement.round_agreement` turns into agreement figures. Every change writes an audit event.
One cohesive thing, kept whole on purpose: a calibration round from its making to its closing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from assessments.access import (
    _ASSESSORS,
    _CALIBRATION_READERS,
    _CALIBRATORS,
    Actor,
    UserLike,
    _acting,
    _assessment,
    _catalogue,
    _missing_or_refused,
    _organisation,
    _require,
    _room,
    _round_assessments,
    _round_complete,
    round_last_day,
)
from assessments.audit import _audit, _writing
from assessments.errors import InvalidAnswer
from assessments.models import (
    Assessment,
    AssessmentStatus,
    CalibrationMember,
    CalibrationMode,
    CalibrationRound,
    CalibrationRoundAssessor,
    CalibrationRoundRoom,
    Response,
    Room,
    Site,
    User,
    memberships,
)
from checklists.i18n import N_, _
from checklists.responses import Answer, decode_stored

__all__ = [
    "DEFAULT_WINDOW_DAYS",
    "CalibrationUnit",
    "RoundAssessment",
    "RoundSummary",
    "calibration_units",
    "close_calibration_round",
    "get_calibration_round",
    "list_calibration_rounds",
    "mark_calibration_round",
    "start_calibration_round",
]

DEFAULT_WINDOW_DAYS = 7
_MAX_WINDOW_DAYS = 90


@dataclass(frozen=True)
class CalibrationUnit:
    """One room of a round with each assessor's typed answers (assessor name -> item id -> answer).

    The fields of `scoring.agreement.RatedUnit`, which the screens and reports build from it.
    """

    key: str
    label: str
    setting: str
    room_type: str
    ratings: dict[str, dict[str, Answer]]


@dataclass(frozen=True)
class RoundAssessment:
    assessment_id: int
    room_id: int
    room: str
    site: str
    assessor: str
    assessed_on: dt.date
    status: AssessmentStatus


@dataclass(frozen=True)
class RoundSummary:
    """A calibration round as the Calibration screen lists it."""

    id: int
    organisation_id: int
    name: str
    mode: CalibrationMode
    starts_on: dt.date
    window_days: int
    rooms: tuple[str, ...]
    assessors: tuple[str, ...]
    assessments: tuple[RoundAssessment, ...]
    # Independent rounds: every assessor has submitted every room, the window has passed or the
    # round was closed (answers are no longer hidden). Marked rounds are always complete.
    complete: bool
    # The last day an assessment counts in the round, and the day a manager closed it early.
    last_day: dt.date
    closed_on: dt.date | None = None


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


def _round(session: Session, actor: Actor, round_id: int) -> CalibrationRound:
    found = session.get(CalibrationRound, round_id, populate_existing=True)
    if found is None or not actor.may_see(found.organisation_id):
        raise _missing_or_refused(actor, "calibration round", round_id)
    return found


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


def _members(session: Session, round_: CalibrationRound) -> list[Assessment]:
    if round_.mode is CalibrationMode.independent:
        return _round_assessments(session, round_)
    stmt = (
        select(Assessment)
        .join(CalibrationMember, CalibrationMember.assessment_id == Assessment.id)
        .where(CalibrationMember.round_id == round_.id)
        .order_by(Assessment.assessed_on, Assessment.id)
    )
    return list(session.scalars(stmt))


def _summary(session: Session, round_: CalibrationRound) -> RoundSummary:
    assessments = _members(session, round_)
    room_ids = {a.room_id for a in assessments}
    if round_.mode is CalibrationMode.independent:
        room_ids |= set(
            session.scalars(select(CalibrationRoundRoom.room_id).where(CalibrationRoundRoom.round_id == round_.id))
        )
        assessor_names = set(
            session.scalars(
                select(User.name)
                .join(CalibrationRoundAssessor, CalibrationRoundAssessor.user_id == User.id)
                .where(CalibrationRoundAssessor.round_id == round_.id)
            )
        )
        complete = _round_complete(session, round_, assessments)
    else:
        assessor_names = {a.assessor for a in assessments}
        complete = True
    rooms = {room.id: (room, site) for room, site in session.execute(
        select(Room, Site).join(Site).where(Room.id.in_(sorted(room_ids))))}  # fmt: skip
    rows = tuple(
        RoundAssessment(
            assessment_id=a.id, room_id=a.room_id, room=rooms[a.room_id][0].name, site=rooms[a.room_id][1].name,
            assessor=a.assessor, assessed_on=a.assessed_on, status=a.status,
        )
        for a in assessments
    )  # fmt: skip
    return RoundSummary(
        id=round_.id,
        organisation_id=round_.organisation_id,
        name=round_.name,
        mode=round_.mode,
        starts_on=round_.starts_on,
        window_days=round_.window_days,
        rooms=tuple(sorted(room.name for room, _site in rooms.values())),
        assessors=tuple(sorted(assessor_names)),
        assessments=rows,
        complete=complete,
        last_day=round_last_day(round_),
        closed_on=round_.closed_on,
    )


def list_calibration_rounds(session: Session, user: UserLike, organisation_id: int | None = None) -> list[RoundSummary]:
    """The calibration rounds of the user's organisations, newest first (managers, consultants, admins)."""
    actor = _acting(session, user)
    _require(actor, _CALIBRATION_READERS, N_("read calibration rounds"))
    stmt = select(CalibrationRound)
    if organisation_id is not None:
        _organisation(session, actor, organisation_id)
        stmt = stmt.where(CalibrationRound.organisation_id == organisation_id)
    if not actor.sees_everything:
        stmt = stmt.where(CalibrationRound.organisation_id.in_(sorted(actor.organisation_ids)))
    stmt = stmt.order_by(CalibrationRound.starts_on.desc(), CalibrationRound.id.desc())
    return [_summary(session, r) for r in session.scalars(stmt)]


def get_calibration_round(session: Session, user: UserLike, round_id: int) -> RoundSummary:
    actor = _acting(session, user)
    _require(actor, _CALIBRATION_READERS, N_("read calibration rounds"))
    return _summary(session, _round(session, actor, round_id))


def calibration_units(session: Session, user: UserLike, round_id: int) -> list[CalibrationUnit]:
    """The round's rooms with each assessor's typed answers, for `scoring.agreement.round_agreement`.

    Only submitted and reviewed assessments count; where one assessor assessed a room twice in the
    round, the later assessment counts. Rooms rated by fewer than two assessors are left out.
    """
    actor = _acting(session, user)
    _require(actor, _CALIBRATION_READERS, N_("read calibration rounds"))
    round_ = _round(session, actor, round_id)
    chosen: dict[int, dict[str, Assessment]] = defaultdict(dict)
    for assessment in _members(session, round_):
        if assessment.status is not AssessmentStatus.draft:
            chosen[assessment.room_id][assessment.assessor] = assessment  # later ones replace earlier ones
    catalogue = _catalogue()
    units = []
    rooms = {room.id: (room, site) for room, site in session.execute(
        select(Room, Site).join(Site).where(Room.id.in_(sorted(chosen))))}  # fmt: skip
    ids = [a.id for by_rater in chosen.values() for a in by_rater.values()]
    stored: dict[int, dict[str, object]] = defaultdict(dict)
    for response in session.scalars(select(Response).where(Response.assessment_id.in_(ids))):
        if response.value is not None:
            stored[response.assessment_id][response.item_id] = response.value
    for room_id, by_rater in sorted(chosen.items(), key=lambda kv: rooms[kv[0]][0].name):
        if len(by_rater) < 2:
            continue
        room, site = rooms[room_id]
        checklist = catalogue.checklist(site.setting, room.room_type)
        ratings = {rater: decode_stored(catalogue, checklist, stored[a.id]).answers for rater, a in by_rater.items()}
        units.append(
            CalibrationUnit(key=str(room_id), label=room.name, setting=site.setting, room_type=room.room_type,
                      ratings=ratings)
        )  # fmt: skip
    return units
