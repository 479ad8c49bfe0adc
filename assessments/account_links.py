"""Invite and reset links: an admin hands a new user an invite link, and anyone who forgot their
password a reset link. A link is one-time and expires (invites after 72 hours, resets after 24);
the person sets the password themself, and using it ends their other sessions. The store keeps
only the token's sha256, as for sessions (`assessments.accounts`).
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from assessments.access import _ADMINS, Actor, UserLike, _acting, _missing_or_refused, _require
from assessments.accounts import _digest, _end_sessions, hash_password
from assessments.audit import _audit, _writing
from assessments.errors import InvalidAnswer
from assessments.models import AccountLink, User, utcnow
from checklists.i18n import N_, _

__all__ = ["LINK_HOURS", "LINK_PURPOSES", "LINK_REFUSED", "create_link", "link_user", "use_link"]

LINK_PURPOSES = ("invite", "reset")
LINK_HOURS = {"invite": 72, "reset": 24}


def create_link(session: Session, user: UserLike, user_id: int, purpose: str) -> str:
    """A one-time link token for `user_id` to set their password (admins only); replaces older ones."""
    if purpose not in LINK_PURPOSES:
        raise InvalidAnswer(
            _("A link is for one of {purposes}, not {purpose}.").format(
                purposes=", ".join(LINK_PURPOSES), purpose=repr(purpose)
            ),
            field="purpose",
        )
    token = secrets.token_urlsafe(32)
    with _writing(session):
        actor = _acting(session, user)
        _require(actor, _ADMINS, N_("invite users and reset passwords"))
        target = session.get(User, user_id)
        if target is None:
            raise _missing_or_refused(actor, "user", user_id)
        session.execute(delete(AccountLink).where(AccountLink.user_id == user_id, AccountLink.used_at.is_(None)))
        now = utcnow()
        session.add(
            AccountLink(
                token_hash=_digest(token),
                user_id=user_id,
                purpose=purpose,
                created_at=now,
                expires_at=now + dt.timedelta(hours=LINK_HOURS[purpose]),
            )
        )
        _audit(session, actor, None, purpose, "users", user_id)
    return token


def _live_link(session: Session, token: str) -> AccountLink | None:
    link = session.scalar(select(AccountLink).where(AccountLink.token_hash == _digest(token)))
    if link is None or link.used_at is not None or link.expires_at <= utcnow():
        return None
    return link


def link_user(session: Session, token: str) -> User | None:
    """The active user a link is for while it is unused and unexpired, else None."""
    link = _live_link(session, token)
    user = None if link is None else session.get(User, link.user_id)
    session.rollback()
    return user if user is not None and user.active else None


# English here; told in the person's language with _(LINK_REFUSED).
LINK_REFUSED = N_("This link has expired or has been used already. Ask an administrator for a new one.")


def use_link(session: Session, token: str, password: str) -> User:
    """Set the password of the link's user and spend the link; ends the user's other sessions."""
    with _writing(session):
        link = _live_link(session, token)
        user = None if link is None else session.get(User, link.user_id)
        if link is None or user is None or not user.active:
            raise InvalidAnswer(_(LINK_REFUSED), field="link")
        user.password_hash = hash_password(password, user.email)
        link.used_at = utcnow()
        _end_sessions(session, user.id)
        _audit(session, Actor.of(user), None, "set_password", "users", user.id, None, {"by": link.purpose})
    return user
