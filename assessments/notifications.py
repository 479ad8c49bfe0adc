"""The inbox: what each person should know about, kept in the store and emailed when SMTP is set.

Events put a notification in the inboxes it concerns, in the same transaction as the change:
an assessment submitted for review (to the organisation's managers), an assessment sent back (to
its assessor), an action assigned (to its owner), an action verified or reopened by a later
assessment (to its owner). Reminders are made when someone opens their inbox
(`refresh_reminders`): their actions due within a week or overdue, and, for managers, rooms due
for re-assessment. Each event has a key, so it never lands twice in one inbox.

Each notification is worded in its reader's language (the one kept with their account, else
English): an event passes a function that words its subject and body, called once per language
inside `checklists.i18n.using`; the words are in the reports' catalogue (babel-reports.cfg), as an
email is a message handed over. Dates read as the language writes them ('1 December 2026',
'1 décembre 2026').
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from babel.dates import format_date
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from assessments.access import UserLike, _acting
from assessments.audit import _writing
from assessments.mail import deliver_pending
from assessments.models import (
    ActionStatus,
    Notification,
    PlannedAction,
    Role,
    Room,
    Site,
    User,
    memberships,
    utcnow,
)
from assessments.schedule import RoomDue, room_schedule
from checklists.i18n import DEFAULT_LANGUAGE, INTERFACE_LANGUAGES, _, language, using

__all__ = [
    "REMINDER_DAYS",
    "deliver",
    "list_notifications",
    "long_date",
    "mark_read",
    "reader_language",
    "refresh_reminders",
    "unread_count",
]

# An action is brought up this many days before it is due.
REMINDER_DAYS = 7
# Until rooms have their own re-assessment intervals, a room is due this long after its latest
# finished assessment.


def long_date(day: dt.date) -> str:
    """A date as messages write it in the current language: '1 December 2026', '1 décembre 2026'."""
    code = language(INTERFACE_LANGUAGES)
    if code == DEFAULT_LANGUAGE:
        return f"{day.day} {day:%B %Y}"
    return format_date(day, format="long", locale=code)


# A notification's subject and body, and what words them in the language in force when called.
Worded = tuple[str, str]
Words = Callable[[], Worded]


def reader_language(session: Session, user_id: int) -> str:
    """The language a person reads their notifications in: their account's, else English."""
    code = session.scalar(select(User.language).where(User.id == user_id))
    return code if code in INTERFACE_LANGUAGES else DEFAULT_LANGUAGE


def _notify(
    session: Session,
    user_ids: Iterable[int | None],
    *,
    kind: str,
    key: str,
    words: Words,
    organisation_id: int | None,
) -> int:
    """Add the notification to each inbox that does not hold this event yet, worded in each reader's
    language; returns how many were added."""
    wanted = sorted({u for u in user_ids if u is not None})
    if not wanted:
        return 0
    present = set(
        session.scalars(select(Notification.user_id).where(Notification.key == key, Notification.user_id.in_(wanted)))
    )
    added = 0
    worded: dict[str, tuple[str, str]] = {}
    for user_id in wanted:
        if user_id in present:
            continue
        code = reader_language(session, user_id)
        if code not in worded:
            with using(code):
                worded[code] = words()
        subject, body = worded[code]
        session.add(
            Notification(
                user_id=user_id, organisation_id=organisation_id, kind=kind, key=key, subject=subject[:300], body=body
            )
        )
        added += 1
    session.flush()
    return added


def _managers_of(session: Session, organisation_id: int) -> list[int]:
    """The active managers of an organisation (who review its assessments)."""
    stmt = (
        select(User.id)
        .join(memberships, memberships.c.user_id == User.id)
        .where(memberships.c.organisation_id == organisation_id, User.role == Role.manager, User.active)
    )
    return list(session.scalars(stmt))


def deliver(session: Session) -> None:
    """Email what waits to be emailed (nothing when SMTP is not configured; failures are logged)."""
    deliver_pending(session)


def list_notifications(
    session: Session, user: UserLike, *, unread_only: bool = False, limit: int = 200
) -> list[Notification]:
    """The acting user's own notifications, newest first. Nobody reads another person's inbox."""
    actor = _acting(session, user)
    stmt = select(Notification).where(Notification.user_id == actor.id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    stmt = stmt.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)
    return list(session.scalars(stmt.execution_options(populate_existing=True)))


def unread_count(session: Session, user: UserLike) -> int:
    actor = _acting(session, user)
    stmt = select(func.count()).where(Notification.user_id == actor.id, Notification.read_at.is_(None))
    return int(session.scalar(stmt) or 0)


def mark_read(session: Session, user: UserLike, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the acting user's notifications read (all of them when no ids are given); returns how many."""
    with _writing(session):
        actor = _acting(session, user)
        stmt = update(Notification).where(Notification.user_id == actor.id, Notification.read_at.is_(None))
        if notification_ids is not None:
            stmt = stmt.where(Notification.id.in_(sorted(set(notification_ids))))
        changed = session.execute(stmt.values(read_at=utcnow()))
    return int(getattr(changed, "rowcount", 0) or 0)


def refresh_reminders(session: Session, user: UserLike, today: dt.date | None = None) -> int:
    """Add the acting user's reminders that are due now; returns how many were added.

    Actions they own that are not done, due within REMINDER_DAYS or overdue; for a manager, the
    rooms of their organisations due for re-assessment within as many days (`assessments.schedule`,
    which also counts a room due once its planned fixes are done).
    """

    from assessments.action_views import action_what  # the actions import this module

    today = today or dt.date.today()
    with _writing(session):
        actor = _acting(session, user)
        added = 0
        horizon = today + dt.timedelta(days=REMINDER_DAYS)
        mine = session.execute(
            select(PlannedAction, Room.name, Site.name)
            .join(Room, PlannedAction.room_id == Room.id)
            .join(Site, Room.site_id == Site.id)
            .where(
                PlannedAction.owner_id == actor.id,
                PlannedAction.status.in_([ActionStatus.open, ActionStatus.in_progress]),
                PlannedAction.due_on <= horizon,
            )
        ).all()
        for action, room_name, site_name in mine:
            overdue = action.due_on < today

            def action_words(
                action: PlannedAction = action, room: str = room_name, site: str = site_name
            ) -> tuple[str, str]:
                what = action_what(action.item_id, room, site)
                when = long_date(action.due_on)
                if action.due_on < today:
                    return _("Overdue: {what}").format(what=what), _("The action “{what}” was due on {date}.").format(
                        what=what, date=when
                    )
                return _("Due soon: {what}").format(what=what), _("The action “{what}” is due on {date}.").format(
                    what=what, date=when
                )

            added += _notify(
                session,
                [actor.id],
                kind="action_overdue" if overdue else "action_due",
                key=f"action_{'overdue' if overdue else 'due'}:{action.id}:{action.due_on.isoformat()}",
                words=action_words,
                organisation_id=action.organisation_id,
            )
        if actor.role is Role.manager:
            due = [r for r in room_schedule(session, actor, today=today) if r.due_on <= horizon]
            for room in due:

                def room_words(room: RoomDue = room) -> Worded:
                    subject = _("Re-assessment due: {room} ({site})").format(room=room.room_name, site=room.site_name)
                    if room.last_assessed is None:
                        body = _("{room} at {site} has not been assessed yet; its re-assessment is due on {date}.")
                    else:
                        body = _("{room} at {site} was last assessed on {last}; its re-assessment is due on {date}.")
                    return subject, body.format(
                        room=room.room_name,
                        site=room.site_name,
                        last=long_date(room.last_assessed) if room.last_assessed else "",
                        date=long_date(room.due_on),
                    )

                added += _notify(
                    session,
                    [actor.id],
                    kind="room_due",
                    key=f"room_due:{room.room_id}:{room.due_on.isoformat()}",
                    words=room_words,
                    organisation_id=room.organisation_id,
                )
    if added:
        deliver(session)
    return added
