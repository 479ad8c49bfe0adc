"""People and organisations: user accounts, their roles and memberships, and the organisations themselves.

Each person's interface language is kept with their account (`set_language`, audited), so it follows
them from one tablet to another.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from assessments.access import (
    _ADMINS,
    _USER_READERS,
    UserLike,
    _acting,
    _missing_or_refused,
    _no_such,
    _organisation,
    _refuse,
    _require,
)
from assessments.accounts import hash_password
from assessments.audit import _audit, _writing
from assessments.errors import InvalidAnswer, NotFound
from assessments.models import Organisation, Role, User, UserSession, memberships
from checklists.i18n import INTERFACE_LANGUAGES, N_, _

__all__ = [
    "LANGUAGES",
    "command_line_user",
    "create_first_admin",
    "create_organisation",
    "create_user",
    "get_organisation",
    "get_user",
    "get_user_by_email",
    "list_organisations",
    "list_users",
    "set_language",
    "set_password_hash",
    "update_user",
    "user_language",
]


def get_user_by_email(session: Session, email: str) -> User | None:
    """The account for a sign-in form (no acting user yet); None when there is no such active user."""
    user = session.scalar(select(User).where(User.email == _clean_email(email)))
    return user if user is not None and user.active else None


def command_line_user(session: Session, email: str | None = None) -> User | None:
    """Who a command acts as: the active user with `email`, or else the first administrator."""
    if email is not None:
        return get_user_by_email(session, email)
    stmt = select(User).where(User.role == Role.admin, User.active.is_(True)).order_by(User.id).limit(1)
    return session.scalar(stmt)


def _clean_email(email: str) -> str:
    return email.strip().lower()


def list_users(session: Session, user: UserLike) -> list[User]:
    """Admins see every account; managers see the members of their organisations."""
    actor = _acting(session, user)
    _require(actor, _USER_READERS, N_("see user accounts"))
    stmt = select(User).order_by(User.name, User.id)
    if not actor.sees_everything:
        members = select(memberships.c.user_id).where(memberships.c.organisation_id.in_(sorted(actor.organisation_ids)))
        stmt = stmt.where(User.id.in_(members))
    return list(session.scalars(stmt))


def get_user(session: Session, user: UserLike, user_id: int) -> User:
    actor = _acting(session, user)
    if user_id != actor.id and actor.role is not Role.admin:
        visible = {u.id for u in list_users(session, user)} if actor.role is Role.manager else set()
        if user_id not in visible:
            raise _refuse("user", user_id)
    found = session.get(User, user_id)
    if found is None:
        raise _missing_or_refused(actor, "user", user_id)
    return found


def _check_role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise InvalidAnswer(
            _("Unknown role {role}: one of {roles}.").format(role=repr(role), roles=", ".join(r.value for r in Role)),
            field="role",
        ) from None


def _check_organisations(session: Session, organisation_ids: Iterable[int]) -> list[Organisation]:
    ids = sorted(set(organisation_ids))
    found = list(session.scalars(select(Organisation).where(Organisation.id.in_(ids)))) if ids else []
    missing = sorted(set(ids) - {o.id for o in found})
    if missing:
        raise NotFound(_no_such("organisation", ", ".join(map(str, missing))), field="organisations")
    return found


def _user_json(user: User) -> dict[str, Any]:
    return {
        "name": user.name,
        "email": user.email,
        "role": user.role.value,
        "active": user.active,
        "organisations": sorted(o.id for o in user.organisations),
    }


def create_user(
    session: Session,
    user: UserLike,
    *,
    name: str,
    email: str,
    role: Role | str,
    organisation_ids: Iterable[int] = (),
    password_hash: str | None = None,
) -> User:
    """Add an account (admins only); the email must not be in use."""
    with _writing(session):
        actor = _acting(session, user)
        _require(actor, _ADMINS, N_("add users"))
        clean = _clean_email(email)
        if not name.strip() or "@" not in clean:
            raise InvalidAnswer(
                _("A user needs a name and an email address."), field="name" if not name.strip() else "email"
            )
        if session.scalar(select(User.id).where(User.email == clean)) is not None:
            raise InvalidAnswer(_("There is already a user with the email {email}.").format(email=clean), field="email")
        created = User(
            name=name.strip(),
            email=clean,
            role=_check_role(role),
            password_hash=password_hash,
            organisations=_check_organisations(session, organisation_ids),
        )
        session.add(created)
        session.flush()
        _audit(session, actor, None, "create", "users", created.id, None, _user_json(created))
    return created


def update_user(
    session: Session,
    user: UserLike,
    user_id: int,
    *,
    name: str | None = None,
    role: Role | str | None = None,
    organisation_ids: Iterable[int] | None = None,
    active: bool | None = None,
) -> User:
    """Change an account's name, role, organisations or whether it may sign in (admins only)."""
    with _writing(session):
        actor = _acting(session, user)
        _require(actor, _ADMINS, N_("change users"))
        target = session.get(User, user_id)
        if target is None:
            raise NotFound(_no_such("user", user_id))
        old = _user_json(target)
        if name is not None:
            if not name.strip():
                raise InvalidAnswer(_("A user needs a name."), field="name")
            target.name = name.strip()
        if role is not None:
            target.role = _check_role(role)
        if organisation_ids is not None:
            target.organisations = _check_organisations(session, organisation_ids)
        if active is not None:
            target.active = active
        new = _user_json(target)
        if any(old[key] != new[key] for key in ("role", "active", "organisations")):
            # What the person may see has changed: their sessions end, and they sign in again.
            session.execute(delete(UserSession).where(UserSession.user_id == target.id))
        _audit(session, actor, None, "update", "users", target.id, old, _user_json(target))
    return target


def set_password_hash(session: Session, user: UserLike, user_id: int, password_hash: str | None) -> None:
    """Store a new password hash (the user themself, or an admin); the hash never enters the audit trail."""
    with _writing(session):
        actor = _acting(session, user)
        if user_id != actor.id:
            _require(actor, _ADMINS, N_("set other users' passwords"))
        target = session.get(User, user_id)
        if target is None:
            raise _missing_or_refused(actor, "user", user_id)
        target.password_hash = password_hash
        session.execute(delete(UserSession).where(UserSession.user_id == target.id))
        _audit(session, actor, None, "set_password", "users", user_id)


def list_organisations(session: Session, user: UserLike) -> list[Organisation]:
    actor = _acting(session, user)
    stmt = select(Organisation).order_by(Organisation.name)
    if not actor.sees_everything:
        stmt = stmt.where(Organisation.id.in_(sorted(actor.organisation_ids)))
    return list(session.scalars(stmt))


def get_organisation(session: Session, user: UserLike, organisation_id: int) -> Organisation:
    return _organisation(session, _acting(session, user), organisation_id)


def create_organisation(session: Session, user: UserLike, name: str) -> Organisation:
    with _writing(session):
        actor = _acting(session, user)
        _require(actor, _ADMINS, N_("add organisations"))
        name = name.strip()
        if not name:
            raise InvalidAnswer(_("An organisation needs a name."), field="name")
        if session.scalar(select(Organisation.id).where(Organisation.name == name)) is not None:
            raise InvalidAnswer(
                _("There is already an organisation called {name}.").format(name=repr(name)), field="name"
            )
        created = Organisation(name=name)
        session.add(created)
        session.flush()
        _audit(session, actor, created.id, "create", "organisations", created.id, None, {"name": name})
    return created


def create_first_admin(session: Session, *, name: str, email: str, password: str) -> User:
    """The first administrator of an installation (from the command line); refused once one exists."""
    with _writing(session):
        if session.scalar(select(User.id).where(User.role == Role.admin, User.active.is_(True)).limit(1)):
            raise InvalidAnswer(
                _("An administrator exists already: they can invite more people from the Admin screen."), field="email"
            )
        clean = _clean_email(email)
        if not name.strip() or "@" not in clean:
            raise InvalidAnswer(_("An administrator needs a name and an email address."), field="email")
        if session.scalar(select(User.id).where(User.email == clean)) is not None:
            raise InvalidAnswer(_("There is already a user with the email {email}.").format(email=clean), field="email")
        created = User(name=name.strip(), email=clean, role=Role.admin, password_hash=hash_password(password, clean))
        session.add(created)
        session.flush()
        _audit(session, None, None, "create", "users", created.id, None, {"email": clean, "role": "admin"})
    return created


# The interface's languages: English, French, Spanish, German, Arabic.
LANGUAGES = tuple(INTERFACE_LANGUAGES)


def set_language(session: Session, user: UserLike, language: str) -> None:
    """Keep the person's own interface language with their account; refused for a language the app
    does not speak. Nobody sets another person's language."""
    code = language.strip().lower()
    if code not in LANGUAGES:
        raise InvalidAnswer(
            _("There is no interface in {language}; the languages are {languages}.").format(
                language=repr(language), languages=", ".join(LANGUAGES)
            ),
            field="language",
        )
    with _writing(session):
        actor = _acting(session, user)
        row = session.get(User, actor.id)
        if row is None:  # pragma: no cover (_acting refuses a missing user)
            raise _missing_or_refused(actor, "user", actor.id)
        if row.language == code:
            return
        old = row.language
        row.language = code
        _audit(session, actor, None, "set_language", "users", row.id, {"language": old}, {"language": code})


def user_language(session: Session, user_id: int) -> str | None:
    """The interface language kept with an account (None: never chosen)."""
    code = session.scalar(select(User.language).where(User.id == user_id))
    return code if code in LANGUAGES else None
