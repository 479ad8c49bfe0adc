"""Recent changes on the Admin page: the audit trail filtered, and told as who did what, when. No Streamlit here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from assessments import repository
from assessments.db import Store
from assessments.models import AuditEvent
from assessments.repository import SYSTEM_ACTOR, UserLike
from ui.admin_records import AdminData

__all__ = ["RECORD_KINDS", "changes_table", "describe_event", "recent_events"]

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
