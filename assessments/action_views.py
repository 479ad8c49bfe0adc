"""Actions as screens, reports and messages show them: an action's view with its names resolved,
its item's short name in the reader's language, and the lists the Action plan screen reads.

The rules of an action's life (who may plan, own and change it) are in `assessments.actions`; what
a later assessment does to it is in `assessments.action_checks`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from assessments.access import Actor, UserLike, _acting, _catalogue, _missing_or_refused, _organisation, _room
from assessments.models import ActionStatus, Assessment, PlannedAction, Room, Site, User
from checklists.i18n import _, language
from checklists.translations import shown_item

__all__ = ["ActionView", "action_what", "get_action", "item_title", "list_actions"]


def item_title(item_id: str) -> str:
    """The item's short name for messages: its question, in the language in force (checklists.i18n)."""
    return _item_title(item_id, language())


@cache
def _item_title(item_id: str, code: str) -> str:
    for item in _catalogue().items:
        if item.id == item_id:
            return shown_item(_catalogue(), item, code).question
    return item_id


def action_what(item_id: str, room: str, site: str) -> str:
    """What an action is about, as its messages name it: 'Is there a quiet space…? in HR office (Harbour Street)'."""
    return _("{item} in {room} ({site})").format(item=item_title(item_id), room=room, site=site)


@dataclass(frozen=True)
class ActionView:
    """An action as screens and reports show it, with names resolved (safe after the session closes)."""

    id: int
    organisation_id: int
    room_id: int
    room_name: str
    site_id: int
    site_name: str
    item_id: str
    question: str
    owner_id: int | None
    owner_name: str | None
    due_on: dt.date
    cost_estimate: float | None
    note: str | None
    status: str
    gain: float | None
    score_before: float | None
    check_note: str | None
    checked_assessment_id: int | None
    # The date of that assessment (a verified action was fixed by then).
    checked_on: dt.date | None
    created_at: dt.datetime
    done_at: dt.datetime | None
    verified_at: dt.datetime | None

    def overdue(self, today: dt.date | None = None) -> bool:
        """Due before today and not done yet."""
        return self.status in (ActionStatus.open, ActionStatus.in_progress) and self.due_on < (today or dt.date.today())


def _view(
    action: PlannedAction, room: Room, site: Site, owner: User | None, checked_on: dt.date | None = None
) -> ActionView:
    return ActionView(
        id=action.id,
        organisation_id=action.organisation_id,
        room_id=room.id,
        room_name=room.name,
        site_id=site.id,
        site_name=site.name,
        item_id=action.item_id,
        question=item_title(action.item_id),
        owner_id=action.owner_id,
        owner_name=None if owner is None else owner.name,
        due_on=action.due_on,
        cost_estimate=action.cost_estimate,
        note=action.note,
        status=action.status.value,
        gain=action.gain,
        score_before=action.score_before,
        check_note=action.check_note,
        checked_assessment_id=action.checked_assessment_id,
        checked_on=checked_on,
        created_at=action.created_at,
        done_at=action.done_at,
        verified_at=action.verified_at,
    )


def _json(action: PlannedAction) -> dict[str, Any]:
    return {
        "room_id": action.room_id,
        "item_id": action.item_id,
        "owner_id": action.owner_id,
        "due_on": action.due_on.isoformat(),
        "cost_estimate": action.cost_estimate,
        "note": action.note,
        "status": action.status.value,
        "check_note": action.check_note,
    }


def _select() -> Select[PlannedAction, Room, Site, User]:
    return (
        select(PlannedAction, Room, Site, User)
        .join(Room, PlannedAction.room_id == Room.id)
        .join(Site, Room.site_id == Site.id)
        .outerjoin(User, PlannedAction.owner_id == User.id)
        .execution_options(populate_existing=True)
    )


def list_actions(
    session: Session,
    user: UserLike,
    *,
    organisation_id: int | None = None,
    room_id: int | None = None,
    owner_id: int | None = None,
    statuses: tuple[ActionStatus | str, ...] | None = None,
) -> list[ActionView]:
    """Actions in the user's organisations, soonest due first (everyone who may read may read them)."""
    actor = _acting(session, user)
    stmt = _select()
    if not actor.sees_everything:
        stmt = stmt.where(Site.organisation_id.in_(sorted(actor.organisation_ids)))
    if organisation_id is not None:
        # Another organisation's id is refused as one that does not exist, not answered with nothing.
        _organisation(session, actor, organisation_id)
        stmt = stmt.where(Site.organisation_id == organisation_id)
    if room_id is not None:
        _room(session, actor, room_id)
        stmt = stmt.where(PlannedAction.room_id == room_id)
    if owner_id is not None:
        stmt = stmt.where(PlannedAction.owner_id == owner_id)
    if statuses is not None:
        stmt = stmt.where(PlannedAction.status.in_([ActionStatus(s) for s in statuses]))
    stmt = stmt.order_by(PlannedAction.due_on, PlannedAction.id)
    rows = list(session.execute(stmt))
    dates = _checked_dates(session, [row[0] for row in rows])
    return [_view(*row, checked_on=dates.get(row[0].checked_assessment_id or 0)) for row in rows]


def _checked_dates(session: Session, actions: list[PlannedAction]) -> dict[int, dt.date]:
    ids = sorted({a.checked_assessment_id for a in actions if a.checked_assessment_id is not None})
    if not ids:
        return {}
    rows = session.execute(select(Assessment.id, Assessment.assessed_on).where(Assessment.id.in_(ids)))
    return {assessment_id: day for assessment_id, day in rows}  # noqa: C416 (a Result is not a mapping)


def _action(session: Session, actor: Actor, action_id: int) -> tuple[PlannedAction, Room, Site, User | None]:
    row = session.execute(_select().where(PlannedAction.id == action_id)).one_or_none()
    if row is None or not actor.may_see(row[2].organisation_id):
        raise _missing_or_refused(actor, "action", action_id)
    return row[0], row[1], row[2], row[3]


def get_action(session: Session, user: UserLike, action_id: int) -> ActionView:
    action, room, site, owner = _action(session, _acting(session, user), action_id)
    return _view(action, room, site, owner, _checked_dates(session, [action]).get(action.checked_assessment_id or 0))
