"""Recent changes on the Admin page: the audit trail filtered, and told as who did what, when. No Streamlit here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from babel.dates import format_datetime

from assessments import repository
from assessments.db import Store
from assessments.models import AuditEvent
from assessments.repository import SYSTEM_ACTOR, UserLike
from ui.admin_records import AdminData
from ui.i18n import N_, _, language

__all__ = ["RECORD_KINDS", "changes_table", "describe_event", "recent_events"]

# The kinds of record the audit trail can be filtered by: table name -> words.
RECORD_KINDS = {
    "sites": N_("Sites"),
    "rooms": N_("Rooms"),
    "assessments": N_("Assessments"),
    "responses": N_("Answers"),
    "evidence": N_("Photos"),
    "users": N_("Users (and sign-ins)"),
    "organisations": N_("Organisations"),
}

# What was added or changed, per kind of record: one sentence each, so each language words it whole.
_ADDED = {
    "organisations": N_("added the organisation{called}"),
    "sites": N_("added the site{called}"),
    "rooms": N_("added the room{called}"),
}
_CHANGED = {
    "organisations": N_("changed the organisation{called}{renamed}: {fields}"),
    "sites": N_("changed the site{called}{renamed}: {fields}"),
    "rooms": N_("changed the room{called}{renamed}: {fields}"),
}
_FIELD_NAMES = {
    "room_type": N_("room type"), "organisations": N_("organisations"), "active": N_("active"), "name": N_("name"),
    "address": N_("address"), "floor": N_("floor"), "capacity": N_("capacity"), "role": N_("role"),
}  # fmt: skip
_ANSWERS = {
    "answer": N_("answered {item}"),
    "clear": N_("cleared the answer to {item}"),
    "note": N_("wrote a note on {item}"),
}
_ASSESSMENTS = {
    "create": N_("started an assessment{in_room}"),
    "submit": N_("submitted an assessment{in_room}"),
    "review": N_("marked an assessment reviewed{in_room}"),
    "send_back": N_("sent an assessment back to draft{in_room}"),
    "delete": N_("deleted a draft assessment{in_room}"),
}
_USERS = {
    "sign_in": N_("signed in"),
    "sign_out": N_("signed out"),
    "sign_in_failed": N_("failed to sign in as {email}"),
    "sign_in_locked": N_("locked signing in as {email} after repeated failures"),
    "invite": N_("made an invite link for {person}"),
    "reset": N_("made a password link for {person}"),
    "set_password": N_("set the password of {person}"),
}


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
    return [_(_FIELD_NAMES[k]) if k in _FIELD_NAMES else k for k in new if old.get(k) != new.get(k)]


def describe_event(event: AuditEvent, rooms: Mapping[int, str], people_by_id: Mapping[int, str]) -> str:
    """One audit event in words: 'added the room “Quiet room 2”', 'changed the site “Clinic” (name, address)'."""
    old: Mapping[str, Any] = event.old_value if isinstance(event.old_value, dict) else {}
    new: Mapping[str, Any] = event.new_value if isinstance(event.new_value, dict) else {}
    thing = event.entity
    name = new.get("name") or old.get("name")
    called = " " + _("“{name}”").format(name=name) if name else ""
    room = rooms.get(int(new.get("room_id") or old.get("room_id") or 0))
    in_room = " " + _("of {room}").format(room=room) if room else ""
    action = event.action
    if event.entity == "responses":
        item = new.get("item_id") or old.get("item_id") or ""
        return (_(_ANSWERS[action]).format(item=item) if action in _ANSWERS else f"{action} {item}").strip()
    if event.entity == "evidence":
        item = new.get("item_id")
        if action == "create":
            return _("added a photo on {item}").format(item=item) if item else _("added a photo")
        return _("removed a photo on {item}").format(item=item) if item else _("removed a photo")
    if event.entity == "assessments":
        if action in _ASSESSMENTS:
            return _(_ASSESSMENTS[action]).format(in_room=in_room)
        return f"{action} {thing}{in_room}"
    if event.entity == "users":
        person = people_by_id.get(event.entity_id or 0) or _("user {id}").format(id=event.entity_id)
        email = new.get("email", "")
        if action in _USERS:
            return _(_USERS[action]).format(email=email, person=person)
        if action == "create":
            return _("added the user {name} ({role})").format(name=name or person, role=new.get("role", ""))
        return _("changed the user {name} ({fields})").format(
            name=name or person, fields=", ".join(_changed(old, new)) or _("no change")
        )
    if action == "import":
        return _("imported the organisation{called} ({rooms} rooms, {assessments} assessments)").format(
            called=called, rooms=new.get("rooms", 0), assessments=new.get("assessments", 0)
        )
    if action == "create" and thing in _ADDED:
        return _(_ADDED[thing]).format(called=called)
    if action == "update" and thing in _CHANGED:
        was = _("(was “{name}”)").format(name=old["name"])
        renamed = " " + was if old.get("name") and old.get("name") != new.get("name") else ""
        fields = ", ".join(_changed(old, new)) or _("no change")
        return _(_CHANGED[thing]).format(called=called, renamed=renamed, fields=fields)
    return f"{action} {thing}{called}"


def _when(at: dt.datetime) -> str:
    utc = at.astimezone(dt.UTC) if at.tzinfo else at
    return format_datetime(utc, "d MMM y, HH:mm", locale=language())


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
            _("When (UTC)"): [_when(e.at) for e in events],
            _("Who"): [_("System") if e.actor == SYSTEM_ACTOR else people.get(e.actor, e.actor) for e in events],
            _("What"): [describe_event(e, rooms, by_id) for e in events],
            _("Organisation"): [organisations.get(e.organisation_id or 0, "") for e in events],
        }
    )
