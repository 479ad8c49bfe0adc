"""The one way into the store: every screen, report and command reads and writes through here.

Every function takes the session and the acting user, and refuses (PermissionDenied) anything
outside that user's organisations or role. Ids outside the user's organisations and ids that do
not exist are refused alike, so nobody can probe for other organisations' records.

Who may do what:

| action                                          | staff | manager | consultant | admin |
|-------------------------------------------------|:-----:|:-------:|:----------:|:-----:|
| read organisations, sites, rooms, assessments,  |  own  |   own   |    own     |  all  |
| answers, photos and portfolio frames            |       |         |            |       |
| start an assessment, answer, note, add a photo, |  own  |   own   |     -      |  all  |
| submit (while the assessment is a draft)        |       |         |            |       |
| change a submitted assessment, review it, send  |   -   |   own   |     -      |  all  |
| it back, delete a draft                         |       |         |            |       |
| create and rename sites and rooms               |   -   |   own   |     -      |  all  |
| read the audit trail, export an organisation    |   -   |   own   |    own     |  all  |
| users, organisations, import                    |   -   |    -    |     -      |  all  |

"own" means the organisations the user is a member of; an admin acts on every organisation.
A reviewed assessment is locked for everyone until a manager or admin sends it back to draft.

Writes run as one short transaction each: the function commits on success and rolls back on
failure (anything else pending in the session is committed with it, so pass a session that holds
no unsaved changes). Changes to an assessment or its answers name the version the caller last
saw (`expected_version`) and return the new one; a stale version raises ConflictError, so two
tablets on one assessment never silently overwrite each other. Every change writes an audit event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import Connection, Select, String, delete, func, insert, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.sql import ClauseElement

from assessments.db import WRITE_OPTION, data_dir
from assessments.errors import (
    ConflictError,
    IncompleteAssessment,
    InvalidAnswer,
    NotFound,
    PermissionDenied,
)
from assessments.models import (
    AnswerRow,
    Assessment,
    AssessmentStatus,
    AuditEvent,
    Evidence,
    Organisation,
    Response,
    Role,
    Room,
    Site,
    User,
    memberships,
    utcnow,
)
from checklists.loader import default_catalogue
from checklists.responses import (
    NA,
    Answer,
    AnswerError,
    answer_rows,
    answer_to_json,
    parse_answer,
)
from checklists.responses import Assessment as ScoringInput
from checklists.schema import Catalogue, ResolvedItem, RoomChecklist

__all__ = [
    "MAX_PHOTO_BYTES",
    "MAX_PHOTO_SIDE",
    "Actor",
    "add_evidence",
    "assessment_answers",
    "assessment_document",
    "clear_answer",
    "command_line_user",
    "create_organisation",
    "create_room",
    "create_site",
    "create_user",
    "data_version",
    "delete_assessment",
    "evidence_content",
    "get_assessment",
    "get_evidence",
    "get_organisation",
    "get_room",
    "get_site",
    "get_user",
    "get_user_by_email",
    "list_assessments",
    "list_audit_events",
    "list_evidence",
    "list_organisations",
    "list_responses",
    "list_rooms",
    "list_sites",
    "list_users",
    "load_portfolio_frames",
    "review",
    "room_checklist",
    "save_answer",
    "save_note",
    "scoring_input",
    "send_back",
    "set_password_hash",
    "start_assessment",
    "submit",
    "update_room",
    "update_site",
    "update_user",
]

# Photos larger than this are refused; larger sides are shrunk (a tablet camera gives 4000 px).
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTO_SIDE = 2000
# Pillow format -> (content type, file extension) of the photos the store accepts.
PHOTO_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
# A decoded photo above this many pixels is refused before it is decoded (a "decompression bomb").
MAX_PHOTO_PIXELS = 60_000_000
SYSTEM_ACTOR = "system"

_READERS = frozenset({Role.staff, Role.manager, Role.consultant, Role.admin})
_ASSESSORS = frozenset({Role.staff, Role.manager, Role.admin})
_MANAGERS = frozenset({Role.manager, Role.admin})
_AUDIT_READERS = frozenset({Role.manager, Role.consultant, Role.admin})
_ROLE_PLURAL = {Role.staff: "staff", Role.manager: "managers", Role.consultant: "consultants", Role.admin: "admins"}


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
        raise PermissionDenied("Your account is not active; ask an administrator.")
    orgs = session.scalars(select(memberships.c.organisation_id).where(memberships.c.user_id == row.id)).all()
    return Actor(id=row.id, name=row.name, email=row.email, role=row.role, organisation_ids=frozenset(orgs))


def _require(actor: Actor, roles: frozenset[Role], doing: str) -> None:
    if actor.role not in roles:
        names = [_ROLE_PLURAL[r] for r in Role if r in roles]
        allowed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        raise PermissionDenied(f"Only {allowed} can {doing}; you are signed in as {actor.role.value}.")


def _refuse(kind: str, record_id: object) -> PermissionDenied:
    return PermissionDenied(f"You do not have access to {kind} {record_id}: it is not in your organisations.")


def _missing_or_refused(actor: Actor, kind: str, record_id: object) -> Exception:
    # An admin may be told a record does not exist; anyone else must not learn whether it does.
    if actor.sees_everything:
        return NotFound(f"There is no {kind} {record_id}.")
    return _refuse(kind, record_id)


def _scoped(actor: Actor, organisation_id: int | None, kind: str, record_id: object) -> None:
    if organisation_id is None or not actor.may_see(organisation_id):
        raise _missing_or_refused(actor, kind, record_id)


def _org_filter(actor: Actor, stmt: Select[Any]) -> Select[Any]:
    if actor.sees_everything:
        return stmt
    return stmt.where(Site.organisation_id.in_(sorted(actor.organisation_ids)))


# --------------------------------------------------------------------------------------------
# Transactions and the audit trail
# --------------------------------------------------------------------------------------------


@contextmanager
def _writing(session: Session) -> Iterator[None]:
    """One write transaction: commit at the end, roll back on any error, stale rows -> ConflictError."""
    if session.in_transaction():
        session.commit()
    # On SQLite this makes BEGIN take the write lock up front (see assessments.db.make_engine).
    session.connection(execution_options={WRITE_OPTION: True})
    session.info[_WRITING] = True
    try:
        yield
        session.commit()
    except StaleDataError:
        session.rollback()
        raise ConflictError(
            "Someone else changed this assessment at the same moment. Reload it, then make your change again."
        ) from None
    except BaseException:
        session.rollback()
        raise
    finally:
        session.info.pop(_WRITING, None)


def _audit(
    session: Session,
    actor: Actor | None,
    organisation_id: int | None,
    action: str,
    entity: str,
    entity_id: int | None,
    old: Any = None,
    new: Any = None,
) -> None:
    session.add(
        AuditEvent(
            at=utcnow(),
            actor_id=None if actor is None else actor.id,
            actor=SYSTEM_ACTOR if actor is None else actor.email,
            organisation_id=organisation_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            old_value=old,
            new_value=new,
        )
    )


def _catalogue() -> Catalogue:
    return default_catalogue()


# --------------------------------------------------------------------------------------------
# Users and organisations
# --------------------------------------------------------------------------------------------


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


def data_version(session: Session) -> int:
    """A number that grows with every change saved to the store, for keying caches.

    Every change writes an audit event, so the newest event's id moves on every save.
    """
    return int(session.scalar(select(func.max(AuditEvent.id))) or 0)


def _clean_email(email: str) -> str:
    return email.strip().lower()


def list_users(session: Session, user: UserLike) -> list[User]:
    """Admins see every account; managers see the members of their organisations."""
    actor = _acting(session, user)
    _require(actor, _MANAGERS, "see user accounts")
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
        raise InvalidAnswer(f"Unknown role {role!r}: one of {', '.join(r.value for r in Role)}.") from None


def _check_organisations(session: Session, organisation_ids: Iterable[int]) -> list[Organisation]:
    ids = sorted(set(organisation_ids))
    found = list(session.scalars(select(Organisation).where(Organisation.id.in_(ids)))) if ids else []
    missing = sorted(set(ids) - {o.id for o in found})
    if missing:
        raise NotFound(f"There is no organisation {', '.join(map(str, missing))}.")
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
        _require(actor, frozenset({Role.admin}), "add users")
        clean = _clean_email(email)
        if not name.strip() or "@" not in clean:
            raise InvalidAnswer("A user needs a name and an email address.")
        if session.scalar(select(User.id).where(User.email == clean)) is not None:
            raise InvalidAnswer(f"There is already a user with the email {clean}.")
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
        _require(actor, frozenset({Role.admin}), "change users")
        target = session.get(User, user_id)
        if target is None:
            raise NotFound(f"There is no user {user_id}.")
        old = _user_json(target)
        if name is not None:
            if not name.strip():
                raise InvalidAnswer("A user needs a name.")
            target.name = name.strip()
        if role is not None:
            target.role = _check_role(role)
        if organisation_ids is not None:
            target.organisations = _check_organisations(session, organisation_ids)
        if active is not None:
            target.active = active
        _audit(session, actor, None, "update", "users", target.id, old, _user_json(target))
    return target


def set_password_hash(session: Session, user: UserLike, user_id: int, password_hash: str | None) -> None:
    """Store a new password hash (the user themself, or an admin); the hash never enters the audit trail."""
    with _writing(session):
        actor = _acting(session, user)
        if user_id != actor.id:
            _require(actor, frozenset({Role.admin}), "set other users' passwords")
        target = session.get(User, user_id)
        if target is None:
            raise _missing_or_refused(actor, "user", user_id)
        target.password_hash = password_hash
        _audit(session, actor, None, "set_password", "users", user_id)


def list_organisations(session: Session, user: UserLike) -> list[Organisation]:
    actor = _acting(session, user)
    stmt = select(Organisation).order_by(Organisation.name)
    if not actor.sees_everything:
        stmt = stmt.where(Organisation.id.in_(sorted(actor.organisation_ids)))
    return list(session.scalars(stmt))


def get_organisation(session: Session, user: UserLike, organisation_id: int) -> Organisation:
    actor = _acting(session, user)
    found = session.get(Organisation, organisation_id)
    _scoped(actor, None if found is None else found.id, "organisation", organisation_id)
    assert found is not None
    return found


def create_organisation(session: Session, user: UserLike, name: str) -> Organisation:
    with _writing(session):
        actor = _acting(session, user)
        _require(actor, frozenset({Role.admin}), "add organisations")
        name = name.strip()
        if not name:
            raise InvalidAnswer("An organisation needs a name.")
        if session.scalar(select(Organisation.id).where(Organisation.name == name)) is not None:
            raise InvalidAnswer(f"There is already an organisation called {name!r}.")
        created = Organisation(name=name)
        session.add(created)
        session.flush()
        _audit(session, actor, created.id, "create", "organisations", created.id, None, {"name": name})
    return created


# --------------------------------------------------------------------------------------------
# Sites and rooms
# --------------------------------------------------------------------------------------------


def list_sites(session: Session, user: UserLike, organisation_id: int | None = None) -> list[Site]:
    actor = _acting(session, user)
    stmt = _org_filter(actor, select(Site)).order_by(Site.name, Site.id)
    if organisation_id is not None:
        _scoped(actor, organisation_id if session.get(Organisation, organisation_id) else None, "organisation",
                organisation_id)  # fmt: skip
        stmt = stmt.where(Site.organisation_id == organisation_id)
    return list(session.scalars(stmt))


def _site(session: Session, actor: Actor, site_id: int) -> Site:
    found = session.get(Site, site_id)
    _scoped(actor, None if found is None else found.organisation_id, "site", site_id)
    assert found is not None
    return found


def get_site(session: Session, user: UserLike, site_id: int) -> Site:
    return _site(session, _acting(session, user), site_id)


def _site_json(site: Site) -> dict[str, Any]:
    return {"name": site.name, "setting": site.setting, "address": site.address}


def create_site(
    session: Session, user: UserLike, organisation_id: int, name: str, setting: str, address: str | None = None
) -> Site:
    """Add a site (a clinic, a school or a workplace) to an organisation; managers and admins."""
    with _writing(session):
        actor = _acting(session, user)
        org = session.get(Organisation, organisation_id)
        _scoped(actor, None if org is None else org.id, "organisation", organisation_id)
        _require(actor, _MANAGERS, "add sites")
        catalogue = _catalogue()
        if setting not in catalogue.settings:
            raise InvalidAnswer(f"Unknown setting {setting!r}: one of {', '.join(catalogue.settings)}.")
        name = _name(name, "site")
        if session.scalar(select(Site.id).where(Site.organisation_id == organisation_id, Site.name == name)):
            raise InvalidAnswer(f"This organisation already has a site called {name!r}.")
        site = Site(organisation_id=organisation_id, name=name, setting=setting, address=address)
        session.add(site)
        session.flush()
        _audit(session, actor, organisation_id, "create", "sites", site.id, None, _site_json(site))
    return site


def update_site(
    session: Session, user: UserLike, site_id: int, *, name: str | None = None, address: str | None = None
) -> Site:
    """Rename a site or change its address (its setting is fixed once rooms exist in it)."""
    with _writing(session):
        actor = _acting(session, user)
        site = _site(session, actor, site_id)
        _require(actor, _MANAGERS, "change sites")
        old = _site_json(site)
        if name is not None:
            name = _name(name, "site")
            clash = select(Site.id).where(Site.organisation_id == site.organisation_id, Site.name == name)
            if session.scalar(clash.where(Site.id != site.id)):
                raise InvalidAnswer(f"This organisation already has a site called {name!r}.")
            site.name = name
        if address is not None:
            site.address = address.strip() or None
        _audit(session, actor, site.organisation_id, "update", "sites", site.id, old, _site_json(site))
    return site


def _name(name: str, what: str) -> str:
    name = name.strip()
    if not name:
        raise InvalidAnswer(f"A {what} needs a name.")
    if len(name) > 200:
        raise InvalidAnswer(f"A {what} name can have at most 200 characters.")
    return name


def list_rooms(session: Session, user: UserLike, site_id: int | None = None) -> list[Room]:
    actor = _acting(session, user)
    stmt = _org_filter(actor, select(Room).join(Site)).order_by(Site.name, Room.name, Room.id)
    if site_id is not None:
        _site(session, actor, site_id)
        stmt = stmt.where(Room.site_id == site_id)
    return list(session.scalars(stmt))


def _room(session: Session, actor: Actor, room_id: int) -> tuple[Room, Site]:
    row = session.execute(select(Room, Site).join(Site).where(Room.id == room_id)).one_or_none()
    _scoped(actor, None if row is None else row[1].organisation_id, "room", room_id)
    assert row is not None
    return row[0], row[1]


def get_room(session: Session, user: UserLike, room_id: int) -> Room:
    return _room(session, _acting(session, user), room_id)[0]


def room_checklist(session: Session, user: UserLike, room_id: int) -> RoomChecklist:
    """The resolved checklist of a room: the items to ask, with their weights and targets."""
    room, site = _room(session, _acting(session, user), room_id)
    return _catalogue().checklist(site.setting, room.room_type)


def _room_json(room: Room) -> dict[str, Any]:
    return {"name": room.name, "room_type": room.room_type, "floor": room.floor, "capacity": room.capacity}


def _check_room_fields(floor: int | None, capacity: int | None) -> None:
    if floor is not None and (isinstance(floor, bool) or not isinstance(floor, int) or not -20 <= floor <= 200):
        raise InvalidAnswer("The floor is a whole number: 0 for the ground floor, negative below ground.")
    if capacity is not None and (isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 0):
        raise InvalidAnswer("The capacity is a whole number of people, 0 or more.")


def create_room(
    session: Session,
    user: UserLike,
    site_id: int,
    name: str,
    room_type: str,
    floor: int | None = None,
    capacity: int | None = None,
) -> Room:
    """Add a room to a site; its room type must be one the site's setting profiles. Managers and admins."""
    with _writing(session):
        actor = _acting(session, user)
        site = _site(session, actor, site_id)
        _require(actor, _MANAGERS, "add rooms")
        catalogue = _catalogue()
        if (site.setting, room_type) not in catalogue.checklists:
            known = ", ".join(catalogue.room_types(site.setting))
            raise InvalidAnswer(f"Unknown room type {room_type!r} for a {site.setting}: one of {known}.")
        name = _name(name, "room")
        _check_room_fields(floor, capacity)
        if session.scalar(select(Room.id).where(Room.site_id == site_id, Room.name == name)):
            raise InvalidAnswer(f"This site already has a room called {name!r}.")
        room = Room(site_id=site_id, name=name, room_type=room_type, floor=floor, capacity=capacity)
        session.add(room)
        session.flush()
        _audit(session, actor, site.organisation_id, "create", "rooms", room.id, None, _room_json(room))
    return room


_UNCHANGED: Any = object()


def update_room(
    session: Session,
    user: UserLike,
    room_id: int,
    *,
    name: str | None = None,
    floor: int | None = _UNCHANGED,
    capacity: int | None = _UNCHANGED,
) -> Room:
    """Rename a room or change its floor or capacity (pass None to clear floor or capacity)."""
    with _writing(session):
        actor = _acting(session, user)
        room, site = _room(session, actor, room_id)
        _require(actor, _MANAGERS, "change rooms")
        old = _room_json(room)
        if name is not None:
            name = _name(name, "room")
            clash = select(Room.id).where(Room.site_id == room.site_id, Room.name == name, Room.id != room.id)
            if session.scalar(clash):
                raise InvalidAnswer(f"This site already has a room called {name!r}.")
            room.name = name
        new_floor = room.floor if floor is _UNCHANGED else floor
        new_capacity = room.capacity if capacity is _UNCHANGED else capacity
        _check_room_fields(new_floor, new_capacity)
        room.floor, room.capacity = new_floor, new_capacity
        _audit(session, actor, site.organisation_id, "update", "rooms", room.id, old, _room_json(room))
    return room


# --------------------------------------------------------------------------------------------
# Assessments
# --------------------------------------------------------------------------------------------


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
    return _Scope(*row)


def _editable(session: Session, actor: Actor, assessment_id: int, expected_version: int | None) -> _Scope:
    """Load an assessment for a change to its answers, checking scope, role, status and version."""
    scope = _assessment(session, actor, assessment_id, lock=True)
    _require(actor, _ASSESSORS, "change assessments")
    status = scope.assessment.status
    if status is AssessmentStatus.reviewed:
        raise PermissionDenied("This assessment has been reviewed and is locked; a manager can send it back to draft.")
    if status is AssessmentStatus.submitted and actor.role not in _MANAGERS:
        raise PermissionDenied(
            "This assessment has been submitted; only a manager can change it now, or send it back to draft."
        )
    _check_version(scope.assessment, expected_version)
    return scope


def _check_version(assessment: Assessment, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != assessment.version_id:
        raise ConflictError(
            f"Assessment {assessment.id} was changed by someone else since you opened it "
            f"(version {assessment.version_id}, you had {expected_version}). "
            "Reload it to see their changes, then make yours again.",
            current_version=assessment.version_id,
        )


def _touch(assessment: Assessment) -> None:
    # Any change to an assessment's answers bumps its row version (SQLAlchemy's version_id_col).
    assessment.updated_at = utcnow()


def list_assessments(
    session: Session,
    user: UserLike,
    room_id: int | None = None,
    *,
    site_id: int | None = None,
    organisation_id: int | None = None,
    status: AssessmentStatus | str | None = None,
) -> list[Assessment]:
    """Assessments in the user's organisations, oldest first (a room's trend reads left to right)."""
    actor = _acting(session, user)
    stmt = _org_filter(actor, select(Assessment).join(Room, Assessment.room_id == Room.id).join(Site))
    if room_id is not None:
        _room(session, actor, room_id)
        stmt = stmt.where(Assessment.room_id == room_id)
    if site_id is not None:
        _site(session, actor, site_id)
        stmt = stmt.where(Room.site_id == site_id)
    if organisation_id is not None:
        get_organisation(session, user, organisation_id)
        stmt = stmt.where(Site.organisation_id == organisation_id)
    if status is not None:
        stmt = stmt.where(Assessment.status == AssessmentStatus(status))
    stmt = stmt.order_by(Assessment.assessed_on, Assessment.id).execution_options(populate_existing=True)
    return list(session.scalars(stmt))


def get_assessment(session: Session, user: UserLike, assessment_id: int) -> Assessment:
    return _assessment(session, _acting(session, user), assessment_id).assessment


def _assessment_json(assessment: Assessment) -> dict[str, Any]:
    return {
        "status": assessment.status.value,
        "assessed_on": assessment.assessed_on.isoformat(),
        "assessor": assessment.assessor,
        "review_comment": assessment.review_comment,
        "provisional_reason": assessment.provisional_reason,
    }


def start_assessment(session: Session, user: UserLike, room_id: int, assessed_on: dt.date | None = None) -> Assessment:
    """Open a new draft assessment of a room, by the acting user, dated today unless told otherwise."""
    with _writing(session):
        actor = _acting(session, user)
        room, site = _room(session, actor, room_id)
        _require(actor, _ASSESSORS, "start assessments")
        assessment = Assessment(
            room_id=room.id,
            assessor_id=actor.id,
            assessor=actor.name,
            assessed_on=assessed_on or dt.date.today(),
            status=AssessmentStatus.draft,
            catalogue_version=_catalogue().version,
        )
        session.add(assessment)
        session.flush()
        _audit(
            session, actor, site.organisation_id, "create", "assessments", assessment.id, None,
            _assessment_json(assessment) | {"room_id": room.id},
        )  # fmt: skip
    return assessment


def delete_assessment(session: Session, user: UserLike, assessment_id: int, expected_version: int) -> None:
    """Delete a draft assessment with its answers and photos (managers and admins)."""
    with _writing(session):
        actor = _acting(session, user)
        scope = _assessment(session, actor, assessment_id, lock=True)
        _require(actor, _MANAGERS, "delete assessments")
        if scope.assessment.status is not AssessmentStatus.draft:
            raise ConflictError("Only a draft can be deleted; send the assessment back to draft first.")
        _check_version(scope.assessment, expected_version)
        old = _assessment_json(scope.assessment) | {"room_id": scope.room.id}
        session.delete(scope.assessment)
        _audit(session, actor, scope.site.organisation_id, "delete", "assessments", assessment_id, old, None)


def _resolved(scope: _Scope, item_id: str) -> ResolvedItem:
    checklist = _catalogue().checklist(scope.site.setting, scope.room.room_type)
    resolved = checklist.by_id().get(item_id)
    if resolved is None:
        raise InvalidAnswer(f"{item_id}: not an item of the {checklist.room_type_title.lower()} checklist.")
    return resolved


def _response(session: Session, assessment_id: int, item_id: str) -> Response | None:
    return session.scalar(select(Response).where(Response.assessment_id == assessment_id, Response.item_id == item_id))


def _response_json(response: Response | None) -> dict[str, Any] | None:
    return None if response is None else _response_values(response)


def _response_values(response: Response) -> dict[str, Any]:
    return {"item_id": response.item_id, "value": response.value, "note": response.note}


def stored_value(answer: Answer) -> Any:
    """The JSON kept in `responses.value`: the assessment-file form, whole numbers written as integers.

    Readings are floats once parsed; writing 42.0 as 42 keeps exports the same from SQLite and
    PostgreSQL (SQLite's numeric affinity would turn 42.0 into 42 on its own) and matches the files
    people write by hand.
    """
    return _whole_numbers(answer_to_json(answer))


def _whole_numbers(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, list):
        return [_whole_numbers(v) for v in value]
    if isinstance(value, dict):
        return {k: _whole_numbers(v) for k, v in value.items()}
    return value


def _write_answer_rows(session: Session, assessment_id: int, item_id: str, answer: Answer | None) -> None:
    session.execute(delete(AnswerRow).where(AnswerRow.assessment_id == assessment_id, AnswerRow.item_id == item_id))
    if answer is not None:
        session.execute(insert(AnswerRow), answer_row_dicts(assessment_id, item_id, answer))


def answer_row_dicts(assessment_id: int, item_id: str, answer: Answer) -> list[dict[str, Any]]:
    """The `answer_rows` table rows of one typed answer, ready for an executemany insert."""
    return [
        {"assessment_id": assessment_id, "item_id": item_id, "seq": seq, "na": na, "num": num, "freq": freq,
         "text": text}
        for seq, (na, num, freq, text) in enumerate(answer_rows(answer))
    ]  # fmt: skip


def _clean_note(note: str | None) -> str | None:
    if note is None:
        return None
    note = note.strip()
    if len(note) > 4000:
        raise InvalidAnswer("A note can have at most 4000 characters.")
    return note or None


def save_answer(
    session: Session,
    user: UserLike,
    assessment_id: int,
    item_id: str,
    raw_value: object,
    expected_version: int,
    note: str | None = _UNCHANGED,
) -> int:
    """Save one answer (checked against the room's checklist) and return the assessment's new version.

    `raw_value` is what a form or file gives: "yes", 42, [420, 610], {"percent": 4, "frequency_hz":
    100}, "n/a". Raises InvalidAnswer with a sentence saying what is allowed, ConflictError when
    `expected_version` is stale, PermissionDenied outside the user's scope or role. `note` replaces
    the item's note when given (None or "" clears it).
    """
    with _writing(session):
        actor = _acting(session, user)
        scope = _editable(session, actor, assessment_id, expected_version)
        resolved = _resolved(scope, item_id)
        try:
            answer = parse_answer(resolved, raw_value)
        except AnswerError as error:
            raise InvalidAnswer(f"{item_id}: {error}") from None
        response = _response(session, assessment_id, item_id)
        old = _response_json(response)
        if response is None:
            response = Response(assessment_id=assessment_id, item_id=item_id)
            session.add(response)
        response.value = stored_value(answer)
        response.na = answer == NA
        if note is not _UNCHANGED:
            response.note = _clean_note(note)
        response.answered_by_id = actor.id
        response.answered_at = utcnow()
        _write_answer_rows(session, assessment_id, item_id, answer)
        _touch(scope.assessment)
        session.flush()
        _audit(
            session, actor, scope.site.organisation_id, "answer", "responses", response.id, old,
            _response_values(response) | {"assessment_id": assessment_id},
        )  # fmt: skip
    return scope.assessment.version_id


def clear_answer(session: Session, user: UserLike, assessment_id: int, item_id: str, expected_version: int) -> int:
    """Remove an item's answer (its note stays); returns the assessment's new version."""
    with _writing(session):
        actor = _acting(session, user)
        scope = _editable(session, actor, assessment_id, expected_version)
        _resolved(scope, item_id)
        response = _response(session, assessment_id, item_id)
        if response is not None:
            old = _response_json(response)
            response_id = response.id
            if response.note:
                response.value, response.na = None, False
                response.answered_by_id, response.answered_at = actor.id, utcnow()
            else:
                session.delete(response)
            _write_answer_rows(session, assessment_id, item_id, None)
            _touch(scope.assessment)
            session.flush()
            _audit(
                session, actor, scope.site.organisation_id, "clear", "responses", response_id, old,
                {"item_id": item_id, "value": None, "note": response.note, "assessment_id": assessment_id},
            )  # fmt: skip
    return scope.assessment.version_id


def save_note(
    session: Session, user: UserLike, assessment_id: int, item_id: str, note: str | None, expected_version: int
) -> int:
    """Write the assessor's note on one item (None or "" clears it); returns the new version."""
    with _writing(session):
        actor = _acting(session, user)
        scope = _editable(session, actor, assessment_id, expected_version)
        _resolved(scope, item_id)
        clean = _clean_note(note)
        response = _response(session, assessment_id, item_id)
        old = _response_json(response)
        if response is None:
            if clean is None:
                return scope.assessment.version_id
            response = Response(assessment_id=assessment_id, item_id=item_id, value=None, na=False)
            session.add(response)
        response.note = clean
        response.answered_by_id, response.answered_at = actor.id, utcnow()
        _touch(scope.assessment)
        session.flush()
        _audit(
            session, actor, scope.site.organisation_id, "note", "responses", response.id, old,
            _response_values(response) | {"assessment_id": assessment_id},
        )  # fmt: skip
    return scope.assessment.version_id


def _missing_items(session: Session, scope: _Scope) -> list[str]:
    """Scored items of the room's checklist with no answer yet (n/a counts as an answer)."""
    checklist = _catalogue().checklist(scope.site.setting, scope.room.room_type)
    answered = set(
        session.scalars(
            select(Response.item_id).where(Response.assessment_id == scope.assessment.id, Response.value.is_not(None))
        )
    )
    return [r.item.id for r in checklist.items if r.item.scored and r.item.id not in answered]


def submit(
    session: Session, user: UserLike, assessment_id: int, expected_version: int, provisional_reason: str | None = None
) -> int:
    """Hand a draft in for review. With scored items unanswered, a reason is required (it is then provisional)."""
    with _writing(session):
        actor = _acting(session, user)
        scope = _editable(session, actor, assessment_id, expected_version)
        assessment = scope.assessment
        if assessment.status is not AssessmentStatus.draft:
            raise ConflictError("This assessment has already been submitted.", current_version=assessment.version_id)
        missing = _missing_items(session, scope)
        reason = (provisional_reason or "").strip() or None
        if missing and reason is None:
            shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
            raise IncompleteAssessment(
                f"{len(missing)} items are unanswered ({shown}). Answer them, or say why this assessment "
                "is submitted without them.",
                missing=missing,
            )
        old = _assessment_json(assessment)
        assessment.status = AssessmentStatus.submitted
        assessment.submitted_at = utcnow()
        assessment.provisional_reason = reason if missing else None
        _touch(assessment)
        session.flush()
        _audit(session, actor, scope.site.organisation_id, "submit", "assessments", assessment.id, old,
               _assessment_json(assessment))  # fmt: skip
    return assessment.version_id


def review(
    session: Session, user: UserLike, assessment_id: int, expected_version: int, comment: str | None = None
) -> int:
    """Mark a submitted assessment as reviewed (managers and admins); it is then locked."""
    with _writing(session):
        actor = _acting(session, user)
        scope = _assessment(session, actor, assessment_id, lock=True)
        _require(actor, _MANAGERS, "review assessments")
        assessment = scope.assessment
        _check_version(assessment, expected_version)
        if assessment.status is not AssessmentStatus.submitted:
            raise ConflictError(
                f"Only a submitted assessment can be reviewed; this one is {assessment.status.value}.",
                current_version=assessment.version_id,
            )
        old = _assessment_json(assessment)
        assessment.status = AssessmentStatus.reviewed
        assessment.reviewed_at = utcnow()
        assessment.reviewed_by_id = actor.id
        assessment.review_comment = _clean_note(comment)
        _touch(assessment)
        session.flush()
        _audit(session, actor, scope.site.organisation_id, "review", "assessments", assessment.id, old,
               _assessment_json(assessment))  # fmt: skip
    return assessment.version_id


def send_back(session: Session, user: UserLike, assessment_id: int, expected_version: int, comment: str) -> int:
    """Return a submitted or reviewed assessment to draft, saying what to change (managers and admins)."""
    with _writing(session):
        actor = _acting(session, user)
        scope = _assessment(session, actor, assessment_id, lock=True)
        _require(actor, _MANAGERS, "send assessments back")
        assessment = scope.assessment
        _check_version(assessment, expected_version)
        if assessment.status is AssessmentStatus.draft:
            raise ConflictError("This assessment is already a draft.", current_version=assessment.version_id)
        clean = _clean_note(comment)
        if clean is None:
            raise InvalidAnswer("Say what should change before sending the assessment back.")
        old = _assessment_json(assessment)
        assessment.status = AssessmentStatus.draft
        assessment.review_comment = clean
        assessment.submitted_at = None
        assessment.reviewed_at = None
        assessment.reviewed_by_id = None
        _touch(assessment)
        session.flush()
        _audit(session, actor, scope.site.organisation_id, "send_back", "assessments", assessment.id, old,
               _assessment_json(assessment))  # fmt: skip
    return assessment.version_id


def list_responses(session: Session, user: UserLike, assessment_id: int) -> list[Response]:
    """The stored responses of an assessment (answers and notes), by item id."""
    actor = _acting(session, user)
    _assessment(session, actor, assessment_id)
    return list(session.scalars(select(Response).where(Response.assessment_id == assessment_id).order_by(
        Response.item_id)))  # fmt: skip


def notes_by_assessment(session: Session, user: UserLike, assessment_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """The assessors' notes of many assessments at once, {assessment id: {item id: note}}.

    One read per thousand assessments instead of one per assessment, for reports over many rooms.
    Every id must be one the user may see.
    """
    actor = _acting(session, user)
    ids = sorted(set(assessment_ids))
    notes: dict[int, dict[str, str]] = {}
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        owners = dict(
            session.execute(
                select(Assessment.id, Site.organisation_id)
                .join(Room, Assessment.room_id == Room.id)
                .join(Site)
                .where(Assessment.id.in_(chunk))
            ).all()
        )
        for assessment_id in chunk:
            _scoped(actor, owners.get(assessment_id), "assessment", assessment_id)
        rows = session.execute(
            select(Response.assessment_id, Response.item_id, Response.note)
            .where(Response.assessment_id.in_(chunk), Response.note.is_not(None))
            .order_by(Response.assessment_id, Response.item_id)
        )
        for assessment_id, item_id, note in rows:
            if note:
                notes.setdefault(assessment_id, {})[item_id] = note
    return notes


def _typed_answers(checklist: RoomChecklist, responses: Iterable[Response]) -> dict[str, Answer]:
    by_id = checklist.by_id()
    answers: dict[str, Answer] = {}
    for response in responses:
        resolved = by_id.get(response.item_id)
        if response.value is None or resolved is None:
            continue
        try:
            answers[response.item_id] = parse_answer(resolved, response.value)
        except AnswerError:
            # Saved under an older catalogue and no longer valid: the engine reports it as missing.
            continue
    return answers


def assessment_answers(session: Session, user: UserLike, assessment_id: int) -> dict[str, Answer]:
    """The typed answers of an assessment, item id -> Answer, in checklist order, for the scoring engine.

    Answers that no longer fit the current catalogue (an item removed or changed) are left out, so
    the engine counts them as missing rather than guessing.
    """
    actor = _acting(session, user)
    scope = _assessment(session, actor, assessment_id)
    checklist = _catalogue().checklist(scope.site.setting, scope.room.room_type)
    responses = session.scalars(select(Response).where(Response.assessment_id == assessment_id))
    answers = _typed_answers(checklist, responses)
    return {r.item.id: answers[r.item.id] for r in checklist.items if r.item.id in answers}


def scoring_input(session: Session, user: UserLike, assessment_id: int) -> ScoringInput:
    """The assessment as `checklists.responses.Assessment`, what `scoring.engine.score_assessment` takes."""
    actor = _acting(session, user)
    scope = _assessment(session, actor, assessment_id)
    notes = {
        r.item_id: r.note
        for r in session.scalars(select(Response).where(Response.assessment_id == assessment_id))
        if r.note
    }
    return ScoringInput(
        setting=scope.site.setting,
        room_type=scope.room.room_type,
        answers=assessment_answers(session, user, assessment_id),
        room=scope.room.name,
        notes=dict(sorted(notes.items())) or None,
    )


def assessment_document(session: Session, user: UserLike, assessment_id: int) -> dict[str, Any]:
    """The assessment in the assessment-file shape of DESIGN.md, which `sensory-audit score` reads."""
    actor = _acting(session, user)
    scope = _assessment(session, actor, assessment_id)
    organisation = session.get(Organisation, scope.site.organisation_id)
    assert organisation is not None
    responses = list(
        session.scalars(select(Response).where(Response.assessment_id == assessment_id).order_by(Response.item_id))
    )
    checklist = _catalogue().checklist(scope.site.setting, scope.room.room_type)
    order = {r.item.id: n for n, r in enumerate(checklist.items)}
    responses.sort(key=lambda r: (order.get(r.item_id, len(order)), r.item_id))
    document: dict[str, Any] = {
        "setting": scope.site.setting,
        "room_type": scope.room.room_type,
        "room": scope.room.name,
        "site": scope.site.name,
        "organisation": organisation.name,
        "assessor": scope.assessment.assessor,
        "date": scope.assessment.assessed_on.isoformat(),
        "status": scope.assessment.status.value,
        "catalogue_version": scope.assessment.catalogue_version,
        "notes": {r.item_id: r.note for r in responses if r.note},
        "responses": {r.item_id: r.value for r in responses if r.value is not None},
    }
    return document


# --------------------------------------------------------------------------------------------
# Evidence (photos)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Photo:
    """A checked, normalised photo ready to store."""

    content: bytes
    content_type: str
    extension: str
    width: int
    height: int
    sha256: str


def prepare_photo(content: bytes) -> Photo:
    """Check by content that this is a JPEG, PNG or WebP photo; shrink it and strip its metadata.

    Re-encoding drops EXIF data, which on a phone photo includes where it was taken.
    """
    if len(content) > MAX_PHOTO_BYTES:
        raise InvalidAnswer(
            f"The photo is {len(content) / 1024 / 1024:.1f} MB; the limit is {MAX_PHOTO_BYTES // 1024 // 1024} MB."
        )
    if not content:
        raise InvalidAnswer("The photo is empty.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as probe:
                kind = probe.format
                if kind not in PHOTO_FORMATS:
                    raise InvalidAnswer(f"Only JPEG, PNG and WebP photos can be added (this is {kind or 'unknown'}).")
                if probe.width * probe.height > MAX_PHOTO_PIXELS:
                    raise InvalidAnswer("The photo has too many pixels to be a camera picture.")
                probe.verify()
            with Image.open(io.BytesIO(content)) as opened:
                image = ImageOps.exif_transpose(opened)
                image.load()
    except InvalidAnswer:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidAnswer("This file is not a photo the store can read (JPEG, PNG or WebP).") from None
    except (OSError, SyntaxError, ValueError):
        raise InvalidAnswer("The photo file is damaged and cannot be read.") from None
    assert kind is not None
    content_type, extension = PHOTO_FORMATS[kind]
    if max(image.size) > MAX_PHOTO_SIDE:
        image.thumbnail((MAX_PHOTO_SIDE, MAX_PHOTO_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if kind == "JPEG":
        image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
    elif kind == "PNG":
        image.save(out, format="PNG", optimize=True)
    else:
        image.save(out, format="WEBP", quality=85)
    data = out.getvalue()
    return Photo(data, content_type, extension, image.width, image.height, hashlib.sha256(data).hexdigest())


def _stores_files(session: Session) -> bool:
    # SQLite keeps photos as files beside the database; PostgreSQL keeps them in the database,
    # since several app instances may not share a disk.
    return session.get_bind().dialect.name == "sqlite"


def evidence_path(sha256: str, extension: str) -> str:
    """Where a photo is kept, relative to the data folder: named by its content, so stored once."""
    return f"evidence/{sha256[:2]}/{sha256}.{extension}"


def store_photo_file(relative: str, content: bytes) -> None:
    """Write a photo under the data folder unless it is already there (atomically, via a temporary file)."""
    target = data_dir() / relative
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_bytes(content)
    os.replace(temporary, target)


def _safe_file_name(file_name: str, extension: str) -> str:
    base = Path(file_name.replace("\\", "/")).name.strip()
    base = re.sub(r"[^\w.\- ]+", "_", base)[:200] or f"photo.{extension}"
    return base


def new_evidence(
    session: Session,
    *,
    assessment_id: int,
    item_id: str,
    file_name: str,
    photo: Photo,
    uploaded_by_id: int | None,
    uploaded_at: dt.datetime | None = None,
    caption: str | None = None,
) -> Evidence:
    """Store a prepared photo (file or database, see `_stores_files`) and its evidence record."""
    evidence = Evidence(
        assessment_id=assessment_id,
        item_id=item_id,
        file_name=_safe_file_name(file_name, photo.extension),
        content_type=photo.content_type,
        size=len(photo.content),
        sha256=photo.sha256,
        width=photo.width,
        height=photo.height,
        caption=caption,
        uploaded_by_id=uploaded_by_id,
        uploaded_at=uploaded_at or utcnow(),
    )
    if _stores_files(session):
        evidence.stored_path = evidence_path(photo.sha256, photo.extension)
        store_photo_file(evidence.stored_path, photo.content)
    else:
        evidence.content = photo.content
    session.add(evidence)
    return evidence


def _evidence_json(evidence: Evidence) -> dict[str, Any]:
    return {
        "assessment_id": evidence.assessment_id,
        "item_id": evidence.item_id,
        "file_name": evidence.file_name,
        "content_type": evidence.content_type,
        "size": evidence.size,
        "sha256": evidence.sha256,
    }


def add_evidence(
    session: Session,
    user: UserLike,
    assessment_id: int,
    item_id: str,
    filename: str,
    content: bytes,
    caption: str | None = None,
) -> Evidence:
    """Attach a photo to one item of an assessment; refused unless it is a JPEG, PNG or WebP up to 10 MB.

    Adding a photo does not change the assessment's version: a photo never conflicts with answers.
    """
    photo = prepare_photo(content)  # before the transaction: decoding a photo can take a while
    with _writing(session):
        actor = _acting(session, user)
        scope = _editable(session, actor, assessment_id, None)
        _resolved(scope, item_id)
        evidence = new_evidence(
            session,
            assessment_id=assessment_id,
            item_id=item_id,
            file_name=filename,
            photo=photo,
            uploaded_by_id=actor.id,
            caption=_clean_note(caption),
        )
        session.flush()
        _audit(session, actor, scope.site.organisation_id, "create", "evidence", evidence.id, None,
               _evidence_json(evidence))  # fmt: skip
    return evidence


def _evidence(session: Session, actor: Actor, evidence_id: int) -> tuple[Evidence, _Scope]:
    found = session.get(Evidence, evidence_id)
    if found is None:
        raise _missing_or_refused(actor, "photo", evidence_id)
    try:
        scope = _assessment(session, actor, found.assessment_id)
    except PermissionDenied:
        raise _refuse("photo", evidence_id) from None
    return found, scope


def get_evidence(session: Session, user: UserLike, evidence_id: int) -> Evidence:
    return _evidence(session, _acting(session, user), evidence_id)[0]


def list_evidence(session: Session, user: UserLike, assessment_id: int, item_id: str | None = None) -> list[Evidence]:
    actor = _acting(session, user)
    _assessment(session, actor, assessment_id)
    stmt = select(Evidence).where(Evidence.assessment_id == assessment_id)
    if item_id is not None:
        stmt = stmt.where(Evidence.item_id == item_id)
    return list(session.scalars(stmt.order_by(Evidence.item_id, Evidence.id)))


def read_evidence_bytes(evidence: Evidence) -> bytes:
    """The stored image of an evidence record (no scope check: callers have done it)."""
    if evidence.stored_path is None:
        if evidence.content is None:
            raise NotFound(f"The photo {evidence.file_name} has no stored image.")
        return evidence.content
    path = data_dir() / evidence.stored_path
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise NotFound(
            f"The photo {evidence.file_name} is missing from the data folder ({evidence.stored_path})."
        ) from None


def evidence_content(session: Session, user: UserLike, evidence_id: int) -> bytes:
    """The image bytes of a photo, for display or a report."""
    evidence, _scope = _evidence(session, _acting(session, user), evidence_id)
    return read_evidence_bytes(evidence)


def delete_evidence(session: Session, user: UserLike, evidence_id: int) -> None:
    """Remove a photo from an assessment that may still be changed (the file stays: others may share it)."""
    with _writing(session):
        actor = _acting(session, user)
        evidence, scope = _evidence(session, actor, evidence_id)
        _editable(session, actor, scope.assessment.id, None)
        old = _evidence_json(evidence)
        session.delete(evidence)
        _audit(session, actor, scope.site.organisation_id, "delete", "evidence", evidence_id, old, None)


# --------------------------------------------------------------------------------------------
# The audit trail
# --------------------------------------------------------------------------------------------


def list_audit_events(
    session: Session,
    user: UserLike,
    *,
    organisation_id: int | None = None,
    entity: str | None = None,
    entity_id: int | None = None,
    limit: int = 200,
) -> list[AuditEvent]:
    """The newest audit events first; managers and consultants see their organisations' events."""
    actor = _acting(session, user)
    if organisation_id is not None:
        get_organisation(session, user, organisation_id)
    _require(actor, _AUDIT_READERS, "read the audit trail")
    stmt = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    if organisation_id is not None:
        stmt = stmt.where(AuditEvent.organisation_id == organisation_id)
    elif not actor.sees_everything:
        stmt = stmt.where(AuditEvent.organisation_id.in_(sorted(actor.organisation_ids)))
    if entity is not None:
        stmt = stmt.where(AuditEvent.entity == entity)
    if entity_id is not None:
        stmt = stmt.where(AuditEvent.entity_id == entity_id)
    return list(session.scalars(stmt))


# --------------------------------------------------------------------------------------------
# Portfolio frames
# --------------------------------------------------------------------------------------------

ASSESSMENT_COLUMNS = (
    "assessment_id", "setting", "room_type", "room_id", "room_name", "floor", "capacity", "site_id", "site_name",
    "organisation_id", "organisation_name", "assessed_on", "status", "assessor", "catalogue_version",
    "provisional_reason", "version_id",
)  # fmt: skip
ANSWER_COLUMNS = ("assessment_id", "item_id", "na", "num", "freq", "text")


def _driver_rows(connection: Connection, stmt: ClauseElement) -> list[tuple[Any, ...]]:
    """Run a query on the driver's own cursor, skipping SQLAlchemy's per-row work (3x faster here).

    The values are rendered into the SQL by SQLAlchemy's literal rendering; they are only integer
    ids and status names checked against AssessmentStatus, never free text.
    """
    sql = str(stmt.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def load_portfolio_frames(
    session: Session,
    user: UserLike,
    *,
    org_ids: Sequence[int] | None = None,
    site_ids: Sequence[int] | None = None,
    room_ids: Sequence[int] | None = None,
    statuses: Sequence[AssessmentStatus | str] | None = None,
    latest_only: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Many assessments at once, for the portfolio scorer and the dashboard: (assessments, answers).

    The first frame has one row per assessment (columns ASSESSMENT_COLUMNS; `assessed_on` as
    datetime64), the second the long answers table (ANSWER_COLUMNS, the rows of
    `checklists.responses.answer_rows`). `latest_only` keeps each room's newest assessment among
    those matching the other filters. Filters naming ids outside the user's scope are refused.
    """
    actor = _acting(session, user)
    for organisation_id in org_ids or ():
        get_organisation(session, user, organisation_id)
    for site_id in site_ids or ():
        _site(session, actor, site_id)
    for room_id in room_ids or ():
        _room(session, actor, room_id)

    chosen = (
        select(Assessment.id.label("id")).join(Room, Assessment.room_id == Room.id).join(Site, Room.site_id == Site.id)
    )
    chosen = _org_filter(actor, chosen)
    if org_ids is not None:
        chosen = chosen.where(Site.organisation_id.in_(list(org_ids)))
    if site_ids is not None:
        chosen = chosen.where(Room.site_id.in_(list(site_ids)))
    if room_ids is not None:
        chosen = chosen.where(Assessment.room_id.in_(list(room_ids)))
    if statuses is not None:
        chosen = chosen.where(Assessment.status.in_([AssessmentStatus(s) for s in statuses]))
    if latest_only:
        rank = (
            func.row_number()
            .over(partition_by=Assessment.room_id, order_by=(Assessment.assessed_on.desc(), Assessment.id.desc()))
            .label("rank")
        )
        ranked = chosen.add_columns(rank).subquery()
        chosen = select(ranked.c.id).where(ranked.c.rank == 1)
    ids = chosen.subquery()

    head_stmt = (
        select(
            Assessment.id.label("assessment_id"),
            Site.setting,
            Room.room_type,
            Room.id.label("room_id"),
            Room.name.label("room_name"),
            Room.floor,
            Room.capacity,
            Site.id.label("site_id"),
            Site.name.label("site_name"),
            Organisation.id.label("organisation_id"),
            Organisation.name.label("organisation_name"),
            Assessment.assessed_on,
            # plain text rather than the enum, so the frame holds strings
            type_coerce(Assessment.status, String()).label("status"),
            Assessment.assessor,
            Assessment.catalogue_version,
            Assessment.provisional_reason,
            Assessment.version_id,
        )
        .join(Room, Assessment.room_id == Room.id)
        .join(Site, Room.site_id == Site.id)
        .join(Organisation, Site.organisation_id == Organisation.id)
        .where(Assessment.id.in_(select(ids.c.id)))
        .order_by(Assessment.id)
    )
    rows_stmt = (
        select(AnswerRow.assessment_id, AnswerRow.item_id, AnswerRow.na, AnswerRow.num, AnswerRow.freq, AnswerRow.text)
        .where(AnswerRow.assessment_id.in_(select(ids.c.id)))
        .order_by(AnswerRow.assessment_id, AnswerRow.item_id, AnswerRow.seq)
    )
    connection = session.connection()
    head = pd.DataFrame(connection.execute(head_stmt).all(), columns=list(ASSESSMENT_COLUMNS))
    head = head.astype(
        {"assessment_id": "int64", "room_id": "int64", "site_id": "int64", "organisation_id": "int64",
         "version_id": "int64", "floor": "Int64", "capacity": "Int64"}
    )  # fmt: skip
    head["assessed_on"] = pd.to_datetime(head["assessed_on"])
    head["provisional_reason"] = head["provisional_reason"].astype(object)

    rows = _driver_rows(connection, rows_stmt)
    # Hundreds of thousands of rows: one object array, then one typed column each.
    table = np.array(rows, dtype=object).reshape(len(rows), len(ANSWER_COLUMNS))
    answers = pd.DataFrame(
        {
            "assessment_id": table[:, 0].astype(np.int64),
            "item_id": pd.array(table[:, 1], dtype="str"),
            "na": table[:, 2].astype(bool),
            "num": table[:, 3].astype(np.float64),  # None becomes NaN
            "freq": table[:, 4].astype(np.float64),
            "text": pd.Series(table[:, 5], dtype=object),
        }
    )
    return head, answers
