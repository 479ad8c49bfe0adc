"""Calibration rounds as the Calibration screen and the reports read them: each round's rooms,
assessors and assessments (`list_calibration_rounds`, `get_calibration_round`), and each room's
answers by assessor (`calibration_units`), which `scoring.agreement.round_agreement` turns into
agreement figures (managers, consultants and admins). Making and closing a round is
`assessments.calibration`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessments.access import (
    _CALIBRATION_READERS,
    Actor,
    UserLike,
    _acting,
    _catalogue,
    _missing_or_refused,
    _organisation,
    _require,
    _round_assessments,
    _round_complete,
    round_last_day,
)
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
)
from checklists.i18n import N_
from checklists.responses import Answer
from checklists.stored_answers import decode_stored

__all__ = [
    "CalibrationUnit",
    "RoundAssessment",
    "RoundSummary",
    "calibration_units",
    "get_calibration_round",
    "list_calibration_rounds",
]


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


def _round(session: Session, actor: Actor, round_id: int) -> CalibrationRound:
    found = session.get(CalibrationRound, round_id, populate_existing=True)
    if found is None or not actor.may_see(found.organisation_id):
        raise _missing_or_refused(actor, "calibration round", round_id)
    return found


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
