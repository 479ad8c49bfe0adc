"""Calendar subscriptions: a secret address per person that a calendar app reads again and again.

A person makes their address on the Inbox screen (`create_calendar_token`): a random token, shown
once, of which the store keeps only the sha256. The address lists the re-assessments of the rooms
that person may see now (`room_schedule` with their role and organisations), read afresh on every
request, so a changed role, a lost membership or a deactivated account shows at the next read.
Making a new address ends the old one; `revoke_calendar_token` ends it without a new one. An unknown,
revoked or malformed token gets nothing (`rooms_for_token` returns None), never another person's rooms.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from assessments.access import Actor, UserLike, _acting
from assessments.audit import _audit, _writing
from assessments.models import CalendarToken, User, utcnow
from assessments.schedule import RoomDue, room_schedule

__all__ = [
    "TOKEN_PATTERN",
    "calendar_path",
    "calendar_since",
    "create_calendar_token",
    "revoke_calendar_token",
    "rooms_for_token",
]

# What `secrets.token_urlsafe(32)` gives: 43 characters of the URL-safe alphabet.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")
USE_RECORDED_EVERY = dt.timedelta(hours=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_path(token: str) -> str:
    """The address path a token is read at: /calendar/<token>.ics."""
    return f"/calendar/{token}.ics"


def _end(session: Session, user_id: int) -> int:
    changed = session.execute(
        update(CalendarToken)
        .where(CalendarToken.user_id == user_id, CalendarToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return int(getattr(changed, "rowcount", 0) or 0)


def create_calendar_token(session: Session, user: UserLike) -> str:
    """A new calendar address for the acting user (any role: each sees only their own rooms); the
    token is returned once and never stored. Their earlier address stops working."""
    token = secrets.token_urlsafe(32)
    with _writing(session):
        actor = _acting(session, user)
        ended = _end(session, actor.id)
        session.add(CalendarToken(token_hash=_digest(token), user_id=actor.id))
        session.flush()
        _audit(session, actor, None, "create", "calendar_tokens", actor.id, None, {"replaced": ended})
    return token


def revoke_calendar_token(session: Session, user: UserLike) -> int:
    """End the acting user's calendar address; returns how many were ended (0 or 1)."""
    with _writing(session):
        actor = _acting(session, user)
        ended = _end(session, actor.id)
        if ended:
            _audit(session, actor, None, "revoke", "calendar_tokens", actor.id, None, {"revoked": ended})
    return ended


def calendar_since(session: Session, user: UserLike) -> tuple[dt.datetime, dt.datetime | None] | None:
    """When the acting user's calendar address was made and last read by a calendar app, or None
    when they have none."""
    actor = _acting(session, user)
    row = session.execute(
        select(CalendarToken.created_at, CalendarToken.last_used_at).where(
            CalendarToken.user_id == actor.id, CalendarToken.revoked_at.is_(None)
        )
    ).one_or_none()
    return None if row is None else (row[0], row[1])


def rooms_for_token(session: Session, token: str, *, today: dt.date) -> list[RoomDue] | None:
    """The re-assessment schedule of the rooms the token's owner may see, or None for a token that
    is malformed, unknown, revoked or whose owner is no longer active."""
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    row = session.execute(
        select(CalendarToken.id, CalendarToken.last_used_at, User)
        .join(User, CalendarToken.user_id == User.id)
        .where(CalendarToken.token_hash == _digest(token), CalendarToken.revoked_at.is_(None), User.active)
    ).one_or_none()
    if row is None:
        return None
    token_id, last_used, owner = row
    rooms = room_schedule(session, Actor.of(owner), today=today)
    now = utcnow()
    # Calendar apps read every few minutes to hours: the time of use is written at most once an hour.
    if last_used is None or now - last_used > USE_RECORDED_EVERY:
        with _writing(session):
            session.execute(update(CalendarToken).where(CalendarToken.id == token_id).values(last_used_at=now))
    return rooms
