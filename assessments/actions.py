"""Actions: a fix from the action plan that someone has taken on, and whether a later assessment shows it worked.

A manager, consultant or admin turns a fix (a room and an item) into an action with an owner (an
active member of the room's organisation who may work on actions), a due date, an optional cost
estimate and a note. The owner moves it through open, in progress and done. It becomes verified
only by the store: when a later submitted assessment of the room scores the item at full marks
(`assessments.action_checks`, run by `workflow.submit`). A later submitted assessment that still scores
the item short reopens a done action, saying which assessment and what it scored. Drafts never
verify or reopen anything. Every change writes an audit event.

How an action is shown (its view, its lists) is `assessments.action_views`.
"""

from __future__ import annotations

import datetime as dt
import math

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from assessments.access import _ACTION_PLANNERS, _ACTION_WORKERS, Actor, UserLike, _acting, _catalogue, _require, _room
from assessments.action_views import ActionView, _action, _json, _view, action_what
from assessments.answers import _clean_note, assessment_answers
from assessments.audit import _UNCHANGED, _audit, _writing
from assessments.errors import ConflictError, InvalidAnswer, PermissionDenied
from assessments.models import (
    ActionStatus,
    Assessment,
    AssessmentStatus,
    PlannedAction,
    Room,
    Site,
    User,
    memberships,
    utcnow,
)
from assessments.notifications import _notify, deliver, long_date
from checklists.i18n import N_, _
from scoring.engine import Evaluation, evaluate

__all__ = ["OPEN_STATUSES", "action_owners", "create_action", "update_action"]

# Not verified yet: a later assessment can still verify (or reopen) these.
OPEN_STATUSES = (ActionStatus.open, ActionStatus.in_progress, ActionStatus.done)
MAX_COST = 1e9
FULL_MARKS = 1.0 - 1e-9


def _owner_query(organisation_id: int) -> Select[User]:
    return (
        select(User)
        .join(memberships, memberships.c.user_id == User.id)
        .where(
            memberships.c.organisation_id == organisation_id,
            User.active,
            User.role.in_(sorted(_ACTION_WORKERS)),
        )
        .order_by(User.name, User.id)
    )


def action_owners(session: Session, user: UserLike, room_id: int) -> list[tuple[int, str, str]]:
    """Who may own an action on this room: (id, name, role) of the organisation's active members
    who may work on actions. For those who plan actions only."""
    actor = _acting(session, user)
    _room_row, site = _room(session, actor, room_id)
    _require(actor, _ACTION_PLANNERS, N_("assign actions"))
    return [(u.id, u.name, u.role.value) for u in session.scalars(_owner_query(site.organisation_id))]


def _check_owner(session: Session, organisation_id: int, owner_id: int) -> User:
    owner = session.scalar(_owner_query(organisation_id).where(User.id == owner_id))
    if owner is None:
        raise InvalidAnswer(
            _(
                "User {user_id} cannot own this action: the owner must be an active member of the room's "
                "organisation who works on actions (staff, a manager, a consultant or an admin)."
            ).format(user_id=owner_id),
            field="owner",
        )
    return owner


def _clean_cost(cost: float | None) -> float | None:
    if cost is None:
        return None
    value = float(cost)
    if not math.isfinite(value) or not 0 <= value <= MAX_COST:
        raise InvalidAnswer(
            _("The cost estimate is a amount from 0 to {maximum}, not {cost}.").format(
                maximum=f"{MAX_COST:,.0f}", cost=repr(cost)
            ),
            field="cost",
        )
    return value


def _check_due(due_on: object) -> dt.date:
    if not isinstance(due_on, dt.date) or isinstance(due_on, dt.datetime):
        raise InvalidAnswer(_("The due date must be a date, not {value}.").format(value=repr(due_on)), field="due_on")
    return due_on


def _evaluation(session: Session, actor: Actor, assessment: Assessment, site: Site, room: Room) -> Evaluation:
    checklist = _catalogue().checklist(site.setting, room.room_type)
    answers = assessment_answers(session, actor, assessment.id)
    return evaluate(checklist, answers, tuple(p.id for p in _catalogue().principles))


def _source(session: Session, room_id: int) -> Assessment | None:
    """The assessment a fix is planned from: the room's newest finished assessment, else its newest draft."""
    for statuses in ((AssessmentStatus.submitted, AssessmentStatus.reviewed), (AssessmentStatus.draft,)):
        found = session.scalar(
            select(Assessment)
            .where(Assessment.room_id == room_id, Assessment.status.in_(statuses))
            .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
            .limit(1)
        )
        if found is not None:
            return found
    return None


def create_action(
    session: Session,
    user: UserLike,
    room_id: int,
    item_id: str,
    *,
    owner_id: int,
    due_on: dt.date,
    cost_estimate: float | None = None,
    note: str | None = None,
) -> ActionView:
    """Turn a fix into an action (managers, consultants and admins); the owner is told in their inbox.

    The gain (points the room's overall score would rise) and the item's score are taken from the
    room's latest assessment. An item already planned and not verified cannot be planned twice.
    """
    with _writing(session):
        actor = _acting(session, user)
        room, site = _room(session, actor, room_id)
        _require(actor, _ACTION_PLANNERS, N_("plan actions"))
        checklist = _catalogue().checklist(site.setting, room.room_type)
        if item_id not in checklist.by_id():
            raise InvalidAnswer(
                _("{item} is not an item of the checklist of {room}.").format(item=item_id, room=room.name),
                field="item",
            )
        existing = session.scalar(
            select(PlannedAction.id).where(
                PlannedAction.room_id == room.id,
                PlannedAction.item_id == item_id,
                PlannedAction.status.in_(OPEN_STATUSES),
            )
        )
        if existing is not None:
            raise ConflictError(
                _("This fix of {room} is already planned (action {action_id}).").format(
                    room=room.name, action_id=existing
                )
            )
        owner = _check_owner(session, site.organisation_id, owner_id)
        source = _source(session, room.id)
        score_before = gain = None
        if source is not None:
            evaluation = _evaluation(session, actor, source, site, room)
            score_before = next((ev.score for ev in evaluation.items if ev.resolved.item.id == item_id), None)
            gain = next((c.gain for c in evaluation.candidates if c.item == item_id), None)
        action = PlannedAction(
            organisation_id=site.organisation_id,
            room_id=room.id,
            item_id=item_id,
            owner_id=owner.id,
            due_on=_check_due(due_on),
            cost_estimate=_clean_cost(cost_estimate),
            note=_clean_note(note),
            status=ActionStatus.open,
            source_assessment_id=None if source is None else source.id,
            score_before=score_before,
            gain=gain,
            created_by_id=actor.id,
        )
        session.add(action)
        session.flush()
        _audit(session, actor, site.organisation_id, "create", "actions", action.id, None, _json(action))
        _assigned(session, action, room, site, actor)
        view = _view(action, room, site, owner)
    deliver(session)
    return view


def _assigned(session: Session, action: PlannedAction, room: Room, site: Site, actor: Actor) -> None:
    if action.owner_id is None or action.owner_id == actor.id:
        return

    def words() -> tuple[str, str]:
        what = action_what(action.item_id, room.name, site.name)
        body = _("{name} asked you to take on “{what}”, due on {date}.").format(
            name=actor.name, what=what, date=long_date(action.due_on)
        )
        if action.note:
            body += " " + _("Note: {note}").format(note=action.note)
        return _("Action for you: {what}").format(what=what), body

    _notify(
        session,
        [action.owner_id],
        kind="action_assigned",
        key=f"action_assigned:{action.id}:{action.owner_id}",
        words=words,
        organisation_id=site.organisation_id,
    )


def update_action(
    session: Session,
    user: UserLike,
    action_id: int,
    *,
    status: ActionStatus | str = _UNCHANGED,
    owner_id: int = _UNCHANGED,
    due_on: dt.date = _UNCHANGED,
    cost_estimate: float | None = _UNCHANGED,
    note: str | None = _UNCHANGED,
) -> ActionView:
    """Change an action. Managers, consultants and admins change anything but `verified`, which only a
    later assessment gives (they may reopen a verified action). The owner, whatever their role, moves
    their own action on (open, in progress, done) and writes its note."""
    with _writing(session):
        actor = _acting(session, user)
        action, room, site, owner = _action(session, actor, action_id)
        planner = actor.role in _ACTION_PLANNERS
        if not planner:
            _require(actor, _ACTION_WORKERS, N_("change actions"))
            if action.owner_id != actor.id:
                raise PermissionDenied(_("You can change only the actions assigned to you."))
            if any(value is not _UNCHANGED for value in (owner_id, due_on, cost_estimate)):
                raise PermissionDenied(
                    _("Only managers, consultants and admins can change an action's owner, due date or cost.")
                )
        old = _json(action)
        if status is not _UNCHANGED:
            wanted = ActionStatus(status)
            if wanted is ActionStatus.verified and action.status is not ActionStatus.verified:
                raise InvalidAnswer(
                    _(
                        "An action becomes verified by itself, when a later submitted assessment of the room "
                        "scores the item at full marks."
                    ),
                    field="status",
                )
            if action.status is ActionStatus.verified and not planner:
                raise PermissionDenied(_("This action is verified; only a manager can reopen it."))
            if wanted is not action.status:
                action.status = wanted
                action.done_at = utcnow() if wanted is ActionStatus.done else None
                action.verified_at = None
        if owner_id is not _UNCHANGED and owner_id != action.owner_id:
            owner = _check_owner(session, site.organisation_id, owner_id)
            action.owner_id = owner.id
        if due_on is not _UNCHANGED:
            action.due_on = _check_due(due_on)
        if cost_estimate is not _UNCHANGED:
            action.cost_estimate = _clean_cost(cost_estimate)
        if note is not _UNCHANGED:
            action.note = _clean_note(note)
        new = _json(action)
        if new != old:
            action.updated_at = utcnow()
            session.flush()
            _audit(session, actor, site.organisation_id, "update", "actions", action.id, old, new)
            if new["owner_id"] != old["owner_id"]:
                _assigned(session, action, room, site, actor)
        view = _view(action, room, site, owner)
    deliver(session)
    return view
