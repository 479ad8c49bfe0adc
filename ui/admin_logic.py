"""What the Admin page works out: the organisations, sites, rooms and people one user may manage, as
plain rows and tables; each form's change sent to the store with its answer in words, naming the
field it is about; organisation files out and in; and the audit trail told as who did what, when.
No Streamlit here: the page draws, this module decides."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from assessments import repository, transfer
from assessments.accounts import LINK_HOURS
from assessments.db import Store
from assessments.errors import ImportProblems, StoreError
from assessments.models import AuditEvent, Role
from assessments.repository import SYSTEM_ACTOR, UserLike
from checklists.schema import Catalogue
from ui.reports_logic import slug
from ui.state import LINK_PARAM

__all__ = [
    "RECORD_KINDS",
    "ROLE_TITLES",
    "SHOWN_PROBLEMS",
    "AdminData",
    "ExportFile",
    "ImportOutcome",
    "OrganisationRow",
    "Outcome",
    "RoomRow",
    "SiteRow",
    "UserRow",
    "add_organisation",
    "add_room",
    "add_site",
    "add_user",
    "changes_table",
    "describe_event",
    "export_file",
    "field_of",
    "import_file",
    "link_address",
    "organisations_table",
    "read",
    "recent_events",
    "reset_link",
    "room_type_titles",
    "rooms_table",
    "save_room",
    "save_site",
    "save_user",
    "sites_table",
    "users_table",
]

# The kinds of record the audit trail can be filtered by: table name -> words.
RECORD_KINDS = {
    "sites": "Sites",
    "rooms": "Rooms",
    "assessments": "Assessments",
    "responses": "Answers",
    "evidence": "Photos",
    "users": "Users (and sign-ins)",
    "organisations": "Organisations",
}

# Problems of a refused organisation file listed on the page; the count says how many more there are.
SHOWN_PROBLEMS = 50
ROLE_TITLES = {
    Role.staff: "Staff",
    Role.manager: "Manager",
    Role.consultant: "Consultant",
    Role.viewer: "Viewer",
    Role.admin: "Admin",
}


# --------------------------------------------------------------------------------------------
# What one user may manage, as plain rows (safe to keep after the session closes)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationRow:
    id: int
    name: str


@dataclass(frozen=True)
class SiteRow:
    id: int
    organisation_id: int
    name: str
    setting: str
    address: str | None


@dataclass(frozen=True)
class RoomRow:
    id: int
    site_id: int
    name: str
    room_type: str
    floor: int | None
    capacity: int | None


@dataclass(frozen=True)
class UserRow:
    id: int
    name: str
    email: str
    role: Role
    organisation_ids: tuple[int, ...]
    active: bool


@dataclass(frozen=True)
class AdminData:
    organisations: tuple[OrganisationRow, ...]
    sites: tuple[SiteRow, ...]
    rooms: tuple[RoomRow, ...]
    # Admins see every account, managers the members of their organisations.
    users: tuple[UserRow, ...]

    def sites_of(self, organisation_id: int) -> list[SiteRow]:
        return [s for s in self.sites if s.organisation_id == organisation_id]

    def rooms_of(self, site_id: int) -> list[RoomRow]:
        return [r for r in self.rooms if r.site_id == site_id]

    def site(self, site_id: int) -> SiteRow:
        return next(s for s in self.sites if s.id == site_id)

    @property
    def people(self) -> dict[str, str]:
        """{email: name}, to tell who did what."""
        return {u.email: u.name for u in self.users}


def read(store: Store, user: UserLike) -> AdminData:
    """Everything the Admin page lists, as far as this user may see it, in one session."""
    with store.session() as session:
        organisations = tuple(OrganisationRow(o.id, o.name) for o in repository.list_organisations(session, user))
        sites = tuple(
            SiteRow(s.id, s.organisation_id, s.name, s.setting, s.address) for s in repository.list_sites(session, user)
        )
        rooms = tuple(
            RoomRow(r.id, r.site_id, r.name, r.room_type, r.floor, r.capacity)
            for r in repository.list_rooms(session, user)
        )
        users = tuple(
            UserRow(u.id, u.name, u.email, u.role, tuple(o.id for o in u.organisations), u.active)
            for u in repository.list_users(session, user)
        )
    return AdminData(organisations, sites, rooms, users)


def room_type_titles(catalogue: Catalogue, setting: str) -> dict[str, str]:
    """{room type: title} of a setting, by title: {'corridor': 'Corridor', 'waiting_room': 'Waiting room'}."""
    titles = {rt: catalogue.checklist(setting, rt).room_type_title for rt in catalogue.room_types(setting)}
    return dict(sorted(titles.items(), key=lambda kv: kv[1]))


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------


def sites_table(data: AdminData, organisation_id: int, catalogue: Catalogue) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Site": [s.name for s in data.sites_of(organisation_id)],
            "Setting": [catalogue.settings.get(s.setting, s.setting) for s in data.sites_of(organisation_id)],
            "Address": [s.address or "" for s in data.sites_of(organisation_id)],
            "Rooms": [len(data.rooms_of(s.id)) for s in data.sites_of(organisation_id)],
        }
    )


def rooms_table(data: AdminData, site: SiteRow, catalogue: Catalogue) -> pd.DataFrame:
    titles = room_type_titles(catalogue, site.setting)
    rooms = data.rooms_of(site.id)
    return pd.DataFrame(
        {
            "Room": [r.name for r in rooms],
            "Room type": [titles.get(r.room_type, r.room_type) for r in rooms],
            "Floor": pd.array([r.floor for r in rooms], dtype="Int64"),
            "Capacity": pd.array([r.capacity for r in rooms], dtype="Int64"),
        }
    )


def users_table(data: AdminData) -> pd.DataFrame:
    names = {o.id: o.name for o in data.organisations}
    return pd.DataFrame(
        {
            "Name": [u.name for u in data.users],
            "Email": [u.email for u in data.users],
            "Role": [ROLE_TITLES[u.role] for u in data.users],
            "Active": ["yes" if u.active else "no" for u in data.users],
            "Organisations": [", ".join(names.get(i, str(i)) for i in u.organisation_ids) for u in data.users],
        }
    )


def organisations_table(data: AdminData) -> pd.DataFrame:
    rows = data.organisations
    return pd.DataFrame(
        {
            "Organisation": [o.name for o in rows],
            "Sites": [len(data.sites_of(o.id)) for o in rows],
            "Rooms": [sum(len(data.rooms_of(s.id)) for s in data.sites_of(o.id)) for o in rows],
            "Members": [sum(1 for u in data.users if o.id in u.organisation_ids) for o in rows],
        }
    )


# --------------------------------------------------------------------------------------------
# Forms: each change goes to the store, which checks it; the answer names the field it is about
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    ok: bool
    message: str
    # A one-time link to hand over (an invite or a password reset), shown as text to copy.
    link: str | None = None


# The store's refusals name the thing ("This site already has a room called 'Quiet room'."); the form
# names the field. The first entry whose words appear in the message wins, so the order matters.
# The store's record fields (StoreError.field) -> the form inputs that hold them.
FORM_FIELDS = {
    "name": "Name",
    "email": "Email",
    "role": "Role",
    "organisations": "Organisations",
    "setting": "Setting",
    "room_type": "Room type",
    "floor": "Floor",
    "capacity": "Capacity",
}


def field_of(error: StoreError, fields: Iterable[str]) -> str | None:
    """The form input a store's refusal is about, among the form's `fields`; None when it names none."""
    name = FORM_FIELDS.get(error.field or "")
    return name if name in set(fields) else None


def _refused(error: StoreError, fields: Sequence[str]) -> Outcome:
    message = str(error)
    name = field_of(error, fields)
    return Outcome(False, f"{name}: {message}" if name else message)


def _clean(text: str | None) -> str:
    return (text or "").strip()


def add_site(
    store: Store, user: UserLike, organisation_id: int, *, name: str, setting: str | None, address: str | None
) -> Outcome:
    if not setting:
        return Outcome(False, "Setting: choose whether the site is a clinic, a school or a workplace.")
    try:
        with store.session() as session:
            site = repository.create_site(
                session, user, organisation_id, _clean(name), setting, _clean(address) or None
            )
    except StoreError as error:
        return _refused(error, ("Name", "Setting"))
    return Outcome(True, f"Added the site “{site.name}”.")


def save_site(store: Store, user: UserLike, site_id: int, *, name: str, address: str | None) -> Outcome:
    try:
        with store.session() as session:
            site = repository.update_site(session, user, site_id, name=_clean(name), address=_clean(address))
    except StoreError as error:
        return _refused(error, ("Name", "Address"))
    return Outcome(True, f"Saved the site “{site.name}”.")


def add_room(
    store: Store,
    user: UserLike,
    site_id: int,
    *,
    name: str,
    room_type: str | None,
    floor: int | None,
    capacity: int | None,
) -> Outcome:
    if not room_type:
        return Outcome(False, "Room type: choose the kind of room; it decides the checklist.")
    try:
        with store.session() as session:
            room = repository.create_room(session, user, site_id, _clean(name), room_type, floor, capacity)
    except StoreError as error:
        return _refused(error, ("Name", "Room type", "Floor", "Capacity"))
    return Outcome(True, f"Added the room “{room.name}”.")


def save_room(
    store: Store, user: UserLike, room_id: int, *, name: str, floor: int | None, capacity: int | None
) -> Outcome:
    try:
        with store.session() as session:
            room = repository.update_room(session, user, room_id, name=_clean(name), floor=floor, capacity=capacity)
    except StoreError as error:
        return _refused(error, ("Name", "Floor", "Capacity"))
    return Outcome(True, f"Saved the room “{room.name}”.")


def add_user(
    store: Store,
    user: UserLike,
    *,
    name: str,
    email: str,
    role: Role | None,
    organisation_ids: Sequence[int],
    base_url: str = "",
) -> Outcome:
    if role is None:
        return Outcome(False, "Role: choose what the person may do.")
    if not _clean(name):
        return Outcome(False, "Name: a user needs a name.")
    if "@" not in _clean(email):
        return Outcome(False, "Email: a user needs an email address, like name@example.org.")
    try:
        with store.session() as session:
            created = repository.create_user(
                session, user, name=_clean(name), email=email, role=role, organisation_ids=organisation_ids
            )
            token = repository.create_link(session, user, created.id, "invite")
    except StoreError as error:
        return _refused(error, ("Name", "Email", "Role", "Organisations"))
    return Outcome(
        True,
        f"Added {created.name} ({created.email}) as {ROLE_TITLES[created.role].lower()}. Hand them this "
        f"one-time invite link (valid for {LINK_HOURS['invite']} hours); they choose their own password with it.",
        link=link_address(base_url, token),
    )


def link_address(base_url: str, token: str) -> str:
    """The address of a one-time link: the app's address with ?link=TOKEN."""
    parts = urlsplit(base_url or "")
    root = f"{parts.scheme}://{parts.netloc}/" if parts.scheme and parts.netloc else "/"
    return f"{root}?{LINK_PARAM}={token}"


def reset_link(store: Store, user: UserLike, user_id: int, base_url: str) -> Outcome:
    """A one-time link for a person to choose a new password (their old one keeps working until then)."""
    try:
        with store.session() as session:
            token = repository.create_link(session, user, user_id, "reset")
            person = repository.get_user(session, user, user_id)
    except StoreError as error:
        return Outcome(False, str(error))
    return Outcome(
        True,
        f"Hand {person.name} this one-time link to choose a new password (valid for {LINK_HOURS['reset']} "
        "hours; a newer link replaces it).",
        link=link_address(base_url, token),
    )


def save_user(
    store: Store,
    user: UserLike,
    user_id: int,
    *,
    name: str,
    role: Role,
    organisation_ids: Sequence[int],
    active: bool,
) -> Outcome:
    # An admin who switched themself off, or away from admin, could not switch it back.
    if user_id == user.id and not active:
        return Outcome(False, "Active: you cannot switch off your own account; ask another admin.")
    if user_id == user.id and role is not Role.admin:
        return Outcome(False, "Role: you cannot take away your own admin role; ask another admin.")
    try:
        with store.session() as session:
            saved = repository.update_user(
                session, user, user_id, name=name, role=role, organisation_ids=organisation_ids, active=active
            )
    except StoreError as error:
        return _refused(error, ("Name", "Role", "Organisations"))
    return Outcome(True, f"Saved {saved.name}.")


def add_organisation(store: Store, user: UserLike, name: str) -> Outcome:
    try:
        with store.session() as session:
            created = repository.create_organisation(session, user, _clean(name))
    except StoreError as error:
        message = str(error)
        return Outcome(False, f"Name: {message}")
    return Outcome(True, f"Added the organisation “{created.name}”. Add its sites on the Sites and rooms tab.")


# --------------------------------------------------------------------------------------------
# Organisation files: export and import
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportFile:
    name: str
    content: bytes


def export_file(store: Store, user: UserLike, organisation_id: int, day: dt.date) -> ExportFile:
    """The organisation as JSON with its photos inside, named 'riverside-community-health-export-2026-11-22.json'.

    Raises StoreError when the user may not export it.
    """
    with store.session() as session:
        organisation = repository.get_organisation(session, user, organisation_id)
        document = transfer.export_organisation(session, user, organisation_id, include_photos=True)
    content = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    return ExportFile(f"{slug(organisation.name)}-export-{day.isoformat()}.json", content)


@dataclass(frozen=True)
class ImportOutcome:
    ok: bool
    headline: str
    # Every problem found, each naming where it is: "sites[0].setting: unknown setting 'zoo' (...)".
    problems: tuple[str, ...] = field(default=())

    @property
    def shown(self) -> tuple[str, ...]:
        return self.problems[:SHOWN_PROBLEMS]

    @property
    def more(self) -> int:
        return max(0, len(self.problems) - SHOWN_PROBLEMS)


def _count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def import_file(store: Store, user: UserLike, content: bytes) -> ImportOutcome:
    """Import an exported organisation, all or nothing; any problem means nothing was written."""
    nothing = "Nothing was imported"
    try:
        data: Any = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return ImportOutcome(False, f"{nothing}: the file is not text. Choose a .json file exported by sensory-audit.")
    except json.JSONDecodeError as error:
        return ImportOutcome(
            False, f"{nothing}: the file is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})."
        )
    try:
        with store.session() as session:
            result = transfer.import_organisation(session, data, user=user)
    except ImportProblems as problems:
        found = _count(len(problems.problems), "problem")
        return ImportOutcome(
            False, f"{nothing}: the file has {found}. Fix them and import it again.", tuple(problems.problems)
        )
    except StoreError as error:
        return ImportOutcome(False, f"{nothing}: {error}")
    people = f"; {_count(result.users_created, 'person', 'people')} added" if result.users_created else ""
    return ImportOutcome(
        True,
        f"Imported “{result.organisation_name}”: {_count(result.sites, 'site')}, {_count(result.rooms, 'room')}, "
        f"{_count(result.assessments, 'assessment')}, {_count(result.responses, 'answer')} and "
        f"{_count(result.evidence, 'photo')}{people}.",
    )


# --------------------------------------------------------------------------------------------
# Recent changes: the audit trail in words
# --------------------------------------------------------------------------------------------

_ENTITY_WORDS = {
    "organisations": "organisation",
    "sites": "site",
    "rooms": "room",
    "users": "user",
    "assessments": "assessment",
    "responses": "answer",
    "evidence": "photo",
}
_FIELD_NAMES = {"room_type": "room type", "organisations": "organisations", "active": "active"}


def recent_events(
    store: Store,
    user: UserLike,
    organisation_id: int | None,
    limit: int = 50,
    *,
    actor_email: str | None = None,
    entity: str | None = None,
    entity_id: int | None = None,
    day_from: dt.date | None = None,
    day_to: dt.date | None = None,
) -> list[AuditEvent]:
    """The newest events matching the filters; the days are whole days in UTC, both included."""
    since = None if day_from is None else dt.datetime.combine(day_from, dt.time(), dt.UTC)
    until = None if day_to is None else dt.datetime.combine(day_to + dt.timedelta(days=1), dt.time(), dt.UTC)
    with store.session() as session:
        return repository.list_audit_events(
            session, user, organisation_id=organisation_id, limit=limit, actor_email=actor_email,
            entity=entity, entity_id=entity_id, since=since, until=until,
        )  # fmt: skip


def _changed(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    return [_FIELD_NAMES.get(k, k) for k in new if old.get(k) != new.get(k)]


def describe_event(event: AuditEvent, rooms: Mapping[int, str], people_by_id: Mapping[int, str]) -> str:
    """One audit event in words: 'added the room “Quiet room 2”', 'changed the site “Clinic” (name, address)'."""
    old: Mapping[str, Any] = event.old_value if isinstance(event.old_value, dict) else {}
    new: Mapping[str, Any] = event.new_value if isinstance(event.new_value, dict) else {}
    thing = _ENTITY_WORDS.get(event.entity, event.entity)
    name = new.get("name") or old.get("name")
    called = f" “{name}”" if name else ""
    room = rooms.get(int(new.get("room_id") or old.get("room_id") or 0))
    in_room = f" of {room}" if room else ""
    action = event.action
    if event.entity == "responses":
        item = new.get("item_id") or old.get("item_id") or ""
        words = {"answer": "answered", "clear": "cleared the answer to", "note": "wrote a note on"}
        return f"{words.get(action, action)} {item}".strip()
    if event.entity == "evidence":
        on = f" on {new['item_id']}" if new.get("item_id") else ""
        return f"{'added' if action == 'create' else 'removed'} a photo{on}"
    if event.entity == "assessments":
        words = {
            "create": "started an assessment",
            "submit": "submitted an assessment",
            "review": "marked an assessment reviewed",
            "send_back": "sent an assessment back to draft",
            "delete": "deleted a draft assessment",
        }
        return f"{words.get(action, action + ' an assessment')}{in_room}"
    if event.entity == "users":
        person = people_by_id.get(event.entity_id or 0, f"user {event.entity_id}")
        if action == "set_password":
            return f"set the password of {person}"
        email = new.get("email", "")
        words = {
            "sign_in": "signed in",
            "sign_out": "signed out",
            "sign_in_failed": f"failed to sign in as {email}",
            "sign_in_locked": f"locked signing in as {email} after repeated failures",
            "invite": f"made an invite link for {person}",
            "reset": f"made a password link for {person}",
        }
        if action in words:
            return words[action]
        if action == "create":
            return f"added the user {name or person} ({new.get('role', '')})"
        return f"changed the user {name or person} ({', '.join(_changed(old, new)) or 'no change'})"
    if action == "import":
        counts = f"{new.get('rooms', 0)} rooms, {new.get('assessments', 0)} assessments"
        return f"imported the organisation{called} ({counts})"
    if action == "create":
        return f"added the {thing}{called}"
    if action == "update":
        renamed = f" (was “{old['name']}”)" if old.get("name") and old.get("name") != new.get("name") else ""
        fields = ", ".join(_changed(old, new)) or "no change"
        return f"changed the {thing}{called}{renamed}: {fields}"
    return f"{action} {thing}{called}"


def _when(at: dt.datetime) -> str:
    utc = at.astimezone(dt.UTC) if at.tzinfo else at
    return f"{utc.day} {utc:%b %Y, %H:%M}"


def changes_table(
    events: Sequence[AuditEvent],
    data: AdminData,
) -> pd.DataFrame:
    """When (UTC), who, what, and in which organisation, newest first."""
    organisations = {o.id: o.name for o in data.organisations}
    rooms = {r.id: r.name for r in data.rooms}
    people = data.people
    by_id = {u.id: u.name for u in data.users}
    return pd.DataFrame(
        {
            "When (UTC)": [_when(e.at) for e in events],
            "Who": ["System" if e.actor == SYSTEM_ACTOR else people.get(e.actor, e.actor) for e in events],
            "What": [describe_event(e, rooms, by_id) for e in events],
            "Organisation": [organisations.get(e.organisation_id or 0, "") for e in events],
        }
    )
