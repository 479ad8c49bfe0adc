"""Who may see and do what: the acting user, role checks, refusals and the lookups scoped to the user's organisations.

Ids outside those organisations and ids that do not exist are refused alike, so nobody can probe
for other organisations' records; the full matrix of who may do what is in `assessments.repository`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from assessments.errors import ConflictError, NotFound, PermissionDenied
from assessments.models import (
    Assessment,
    AssessmentStatus,
    CalibrationMode,
    CalibrationRound,
    CalibrationRoundAssessor,
    CalibrationRoundRoom,
    Organisation,
    Role,
    Room,
    Site,
    User,
    memberships,
)
from assessments.roles import allowed
from checklists.i18n import N_, _
from checklists.loader import default_catalogue
from checklists.schema import Catalogue

__all__ = ["Actor", "UserLike"]

# The role sets the checks use, from the role table (assessments.roles).
_READERS = allowed("read")
_ASSESSORS = allowed("assess")
_MANAGERS = allowed("review")
_PLACE_MANAGERS = allowed("manage_places")
_AUDIT_READERS = allowed("read_audit")
_CALIBRATION_READERS = allowed("read_calibration")
_CALIBRATORS = allowed("run_calibration")
_ACTION_PLANNERS = allowed("plan_actions")
_ACTION_WORKERS = allowed("work_actions")
_USER_READERS = allowed("see_users")
_ADMINS = allowed("administer")
_ROLE_PLURAL = {
    Role.staff: N_("staff"),
    Role.manager: N_("managers"),
    Role.consultant: N_("consultants"),
    Role.viewer: N_("viewers"),
    Role.admin: N_("admins"),
}
# A role refusal in whole sentences, one per role of the person refused: {allowed} names the roles
# that may, {doing} what they may do (one of the phrases the checks pass, marked with N_).
_ONLY = {
    Role.staff: N_("Only {allowed} can {doing}; you are signed in as staff."),
    Role.manager: N_("Only {allowed} can {doing}; you are signed in as manager."),
    Role.consultant: N_("Only {allowed} can {doing}; you are signed in as consultant."),
    Role.viewer: N_("Only {allowed} can {doing}; you are signed in as viewer."),
    Role.admin: N_("Only {allowed} can {doing}; you are signed in as admin."),
}
# The refusals of a record outside the user's organisations, and of one that does not exist (told
# to an admin only), in whole sentences for each kind of record the checks name.
_NO_ACCESS = {
    "organisation": N_("You do not have access to organisation {record_id}: it is not in your organisations."),
    "site": N_("You do not have access to site {record_id}: it is not in your organisations."),
    "room": N_("You do not have access to room {record_id}: it is not in your organisations."),
    "assessment": N_("You do not have access to assessment {record_id}: it is not in your organisations."),
    "user": N_("You do not have access to user {record_id}: it is not in your organisations."),
    "action": N_("You do not have access to action {record_id}: it is not in your organisations."),
    "photo": N_("You do not have access to photo {record_id}: it is not in your organisations."),
    "calibration round": N_(
        "You do not have access to calibration round {record_id}: it is not in your organisations."
    ),
}
_NO_SUCH = {
    "organisation": N_("There is no organisation {record_id}."),
    "site": N_("There is no site {record_id}."),
    "room": N_("There is no room {record_id}."),
    "assessment": N_("There is no assessment {record_id}."),
    "user": N_("There is no user {record_id}."),
    "action": N_("There is no action {record_id}."),
    "photo": N_("There is no photo {record_id}."),
    "calibration round": N_("There is no calibration round {record_id}."),
}


# --------------------------------------------------------------------------------------------
# The acting user
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """The signed-in user as the repository sees them; safe to keep between requests.

    Role and memberships are read again from the database on every call, so a changed role or a
    removed membership takes effect at once.
    """

    id: int
    name: str
    email: str
    role: Role
    organisation_ids: frozenset[int]

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(
            id=user.id,
            name=user.name,
            email=user.email,
            role=user.role,
            organisation_ids=frozenset(o.id for o in user.organisations),
        )

    @property
    def sees_everything(self) -> bool:
        return self.role is Role.admin

    def may_see(self, organisation_id: int) -> bool:
        return self.sees_everything or organisation_id in self.organisation_ids


UserLike = User | Actor


# Marks a session while one of the store's write transactions runs (`assessments.audit._writing`).
_WRITING = "sensory_audit_writing"


def _acting(session: Session, user: UserLike) -> Actor:
    if (
        not session.info.get(_WRITING)
        and session.in_transaction()
        and not session.new | session.dirty | session.deleted
    ):
        # Every call starts from what is committed now: end a read transaction left open by an
        # earlier call (on SQLite it would keep showing an old snapshot, and hold up checkpoints).
        session.commit()
    # Always from the database: a long-lived session must see a changed role or a deactivation at once.
    row = session.get(User, user.id, populate_existing=True)
    if row is None or not row.active:
        raise PermissionDenied(_("Your account is not active; ask an administrator."))
    orgs = session.scalars(select(memberships.c.organisation_id).where(memberships.c.user_id == row.id)).all()
    return Actor(id=row.id, name=row.name, email=row.email, role=row.role, organisation_ids=frozenset(orgs))


def _require(actor: Actor, roles: frozenset[Role], doing: str) -> None:
    """Refuse unless the actor has one of `roles`; `doing` is what they tried, a phrase marked with N_."""
    if actor.role not in roles:
        names = [_(_ROLE_PLURAL[r]) for r in Role if r in roles]
        allowed = (
            names[0] if len(names) == 1 else _("{first} and {last}").format(first=", ".join(names[:-1]), last=names[-1])
        )
        raise PermissionDenied(_(_ONLY[actor.role]).format(allowed=allowed, doing=_(doing)))


def _refuse(kind: str, record_id: object) -> PermissionDenied:
    template = _NO_ACCESS.get(kind)
    if template is None:
        said = _("You do not have access to {kind} {record_id}: it is not in your organisations.").format(
            kind=kind, record_id=record_id
        )
    else:
        said = _(template).format(record_id=record_id)
    return PermissionDenied(said)


def _no_such(kind: str, record_id: object) -> str:
    """The sentence saying there is no record of this kind with this id (several ids: joined with ", ")."""
    template = _NO_SUCH.get(kind)
    if template is None:
        return _("There is no {kind} {record_id}.").format(kind=kind, record_id=record_id)
    return _(template).format(record_id=record_id)


def _missing_or_refused(actor: Actor, kind: str, record_id: object) -> Exception:
    # An admin may be told a record does not exist; anyone else must not learn whether it does.
    if actor.sees_everything:
        return NotFound(_no_such(kind, record_id))
    return _refuse(kind, record_id)


def _scoped(actor: Actor, organisation_id: int | None, kind: str, record_id: object) -> None:
    if organisation_id is None or not actor.may_see(organisation_id):
        raise _missing_or_refused(actor, kind, record_id)


def _org_filter(actor: Actor, stmt: Select[Any]) -> Select[Any]:
    if actor.sees_everything:
        return stmt
    return stmt.where(Site.organisation_id.in_(sorted(actor.organisation_ids)))


# The checklists every answer, room type and setting is checked against.
def _catalogue() -> Catalogue:
    return default_catalogue()


# --------------------------------------------------------------------------------------------
# Records the acting user may see
# --------------------------------------------------------------------------------------------


def _organisation(session: Session, actor: Actor, organisation_id: int) -> Organisation:
    found = session.get(Organisation, organisation_id)
    _scoped(actor, None if found is None else found.id, "organisation", organisation_id)
    assert found is not None
    return found


def _site(session: Session, actor: Actor, site_id: int) -> Site:
    found = session.get(Site, site_id)
    _scoped(actor, None if found is None else found.organisation_id, "site", site_id)
    assert found is not None
    return found


def _room(session: Session, actor: Actor, room_id: int) -> tuple[Room, Site]:
    row = session.execute(select(Room, Site).join(Site).where(Room.id == room_id)).one_or_none()
    _scoped(actor, None if row is None else row[1].organisation_id, "room", room_id)
    assert row is not None
    return row[0], row[1]


@dataclass(frozen=True)
class _Scope:
    assessment: Assessment
    room: Room
    site: Site


def _assessment(session: Session, actor: Actor, assessment_id: int, *, lock: bool = False) -> _Scope:
    stmt = select(Assessment, Room, Site).join(Room, Assessment.room_id == Room.id).join(Site)
    # populate_existing: a session kept open across saves must not answer from its stale copy.
    stmt = stmt.where(Assessment.id == assessment_id).execution_options(populate_existing=True)
    if lock:
        # PostgreSQL: writers of one assessment queue here instead of racing (SQLite locks at BEGIN).
        stmt = stmt.with_for_update(of=Assessment)
    row = session.execute(stmt).one_or_none()
    _scoped(actor, None if row is None else row[2].organisation_id, "assessment", assessment_id)
    assert row is not None
    if actor.role is Role.staff and row[0].assessor_id != actor.id and row[0].id in _hidden_assessments(session, actor):
        raise PermissionDenied(
            _(
                "Assessment {assessment_id} is part of a calibration round that is still open: each assessor "
                "sees only their own answers until every assessor has submitted every room."
            ).format(assessment_id=assessment_id)
        )
    return _Scope(*row)


def _round_assessments(session: Session, round_: CalibrationRound) -> list[Assessment]:
    """The assessments of an independent round: its assessors', of its rooms, inside its window."""
    rooms = select(CalibrationRoundRoom.room_id).where(CalibrationRoundRoom.round_id == round_.id)
    assessors = select(CalibrationRoundAssessor.user_id).where(CalibrationRoundAssessor.round_id == round_.id)
    last_day = round_last_day(round_)
    stmt = (
        select(Assessment)
        .where(Assessment.room_id.in_(rooms), Assessment.assessor_id.in_(assessors))
        .where(Assessment.assessed_on >= round_.starts_on, Assessment.assessed_on <= last_day)
        .order_by(Assessment.assessed_on, Assessment.id)
    )
    return list(session.scalars(stmt))


def round_last_day(round_: CalibrationRound) -> dt.date:
    """The last day an assessment counts in a round: the end of its window, or the day it was closed."""
    last_day = round_.starts_on + dt.timedelta(days=round_.window_days)
    return last_day if round_.closed_on is None else min(last_day, round_.closed_on)


def _round_complete(session: Session, round_: CalibrationRound, assessments: list[Assessment]) -> bool:
    """Whether an independent round's answers are no longer hidden: every assessor has submitted an
    assessment of every room, or the round's window has passed, or a manager closed it."""
    if round_.closed_on is not None or dt.date.today() > round_last_day(round_):
        return True
    rooms = set(session.scalars(select(CalibrationRoundRoom.room_id).where(CalibrationRoundRoom.round_id == round_.id)))
    assessors = set(
        session.scalars(select(CalibrationRoundAssessor.user_id).where(CalibrationRoundAssessor.round_id == round_.id))
    )
    done = {(a.room_id, a.assessor_id) for a in assessments if a.status is not AssessmentStatus.draft}
    return all((room, user) in done for room in rooms for user in assessors)


def _hidden_assessments(session: Session, actor: Actor) -> set[int]:
    """Assessments a staff member may not open yet: other assessors' in an independent round still open."""
    if actor.role is not Role.staff:
        return set()
    stmt = select(CalibrationRound).where(CalibrationRound.mode == CalibrationMode.independent)
    stmt = stmt.where(CalibrationRound.organisation_id.in_(sorted(actor.organisation_ids)))
    hidden: set[int] = set()
    for round_ in session.scalars(stmt):
        assessments = _round_assessments(session, round_)
        if not _round_complete(session, round_, assessments):
            hidden |= {a.id for a in assessments if a.assessor_id != actor.id}
    return hidden


def _editable(session: Session, actor: Actor, assessment_id: int, expected_version: int | None) -> _Scope:
    """Load an assessment for a change to its answers, checking scope, role, status and version."""
    scope = _assessment(session, actor, assessment_id, lock=True)
    _require(actor, _ASSESSORS, N_("change assessments"))
    status = scope.assessment.status
    if status is AssessmentStatus.reviewed:
        raise PermissionDenied(
            _("This assessment has been reviewed and is locked; a manager can send it back to draft.")
        )
    if status is AssessmentStatus.submitted and actor.role not in _MANAGERS:
        raise PermissionDenied(
            _(
                "This assessment has been submitted; only a manager or a consultant can change it now, "
                "or send it back to draft."
            )
        )
    _check_version(scope.assessment, expected_version)
    return scope


def _check_version(assessment: Assessment, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != assessment.version_id:
        raise ConflictError(
            _(
                "Assessment {assessment_id} was changed by someone else since you opened it "
                "(version {version}, you had {expected}). "
                "Reload it to see their changes, then make yours again."
            ).format(assessment_id=assessment.id, version=assessment.version_id, expected=expected_version),
            current_version=assessment.version_id,
        )
