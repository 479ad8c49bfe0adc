"""Places: the sites of an organisation (a clinic, a school, a workplace) and the rooms in them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessments.access import (
    _PLACE_MANAGERS,
    UserLike,
    _acting,
    _catalogue,
    _org_filter,
    _require,
    _room,
    _scoped,
    _site,
)
from assessments.audit import _UNCHANGED, _audit, _writing
from assessments.errors import InvalidAnswer
from assessments.models import Organisation, Room, Site
from checklists.i18n import N_, _
from checklists.schema import RoomChecklist

# What `_name` says of a site's or a room's name, in whole sentences.
_NAME_MISSING = {"site": N_("A site needs a name."), "room": N_("A room needs a name.")}
_NAME_TOO_LONG = {
    "site": N_("A site name can have at most 200 characters."),
    "room": N_("A room name can have at most 200 characters."),
}

__all__ = [
    "create_room",
    "create_site",
    "get_room",
    "get_site",
    "list_rooms",
    "list_sites",
    "room_checklist",
    "update_room",
    "update_site",
]


def list_sites(session: Session, user: UserLike, organisation_id: int | None = None) -> list[Site]:
    actor = _acting(session, user)
    stmt = _org_filter(actor, select(Site)).order_by(Site.name, Site.id)
    if organisation_id is not None:
        _scoped(actor, organisation_id if session.get(Organisation, organisation_id) else None, "organisation",
                organisation_id)  # fmt: skip
        stmt = stmt.where(Site.organisation_id == organisation_id)
    return list(session.scalars(stmt))


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
        _require(actor, _PLACE_MANAGERS, N_("add sites"))
        catalogue = _catalogue()
        if setting not in catalogue.settings:
            raise InvalidAnswer(
                _("Unknown setting {setting}: one of {settings}.").format(
                    setting=repr(setting), settings=", ".join(catalogue.settings)
                ),
                field="setting",
            )
        name = _name(name, "site")
        if session.scalar(select(Site.id).where(Site.organisation_id == organisation_id, Site.name == name)):
            raise InvalidAnswer(
                _("This organisation already has a site called {name}.").format(name=repr(name)), field="name"
            )
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
        _require(actor, _PLACE_MANAGERS, N_("change sites"))
        old = _site_json(site)
        if name is not None:
            name = _name(name, "site")
            clash = select(Site.id).where(Site.organisation_id == site.organisation_id, Site.name == name)
            if session.scalar(clash.where(Site.id != site.id)):
                raise InvalidAnswer(
                    _("This organisation already has a site called {name}.").format(name=repr(name)), field="name"
                )
            site.name = name
        if address is not None:
            site.address = address.strip() or None
        _audit(session, actor, site.organisation_id, "update", "sites", site.id, old, _site_json(site))
    return site


def _name(name: str, what: str) -> str:
    name = name.strip()
    if not name:
        raise InvalidAnswer(_(_NAME_MISSING[what]), field="name")
    if len(name) > 200:
        raise InvalidAnswer(_(_NAME_TOO_LONG[what]), field="name")
    return name


def list_rooms(session: Session, user: UserLike, site_id: int | None = None) -> list[Room]:
    actor = _acting(session, user)
    stmt = _org_filter(actor, select(Room).join(Site)).order_by(Site.name, Room.name, Room.id)
    if site_id is not None:
        _site(session, actor, site_id)
        stmt = stmt.where(Room.site_id == site_id)
    return list(session.scalars(stmt))


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
        raise InvalidAnswer(
            _("The floor is a whole number: 0 for the ground floor, negative below ground."), field="floor"
        )
    if capacity is not None and (isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 0):
        raise InvalidAnswer(_("The capacity is a whole number of people, 0 or more."), field="capacity")


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
        _require(actor, _PLACE_MANAGERS, N_("add rooms"))
        catalogue = _catalogue()
        if (site.setting, room_type) not in catalogue.checklists:
            known = ", ".join(catalogue.room_types(site.setting))
            raise InvalidAnswer(
                _("Unknown room type {room_type} for a {setting}: one of {known}.").format(
                    room_type=repr(room_type), setting=site.setting, known=known
                ),
                field="room_type",
            )
        name = _name(name, "room")
        _check_room_fields(floor, capacity)
        if session.scalar(select(Room.id).where(Room.site_id == site_id, Room.name == name)):
            raise InvalidAnswer(_("This site already has a room called {name}.").format(name=repr(name)), field="name")
        room = Room(site_id=site_id, name=name, room_type=room_type, floor=floor, capacity=capacity)
        session.add(room)
        session.flush()
        _audit(session, actor, site.organisation_id, "create", "rooms", room.id, None, _room_json(room))
    return room


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
        _require(actor, _PLACE_MANAGERS, N_("change rooms"))
        old = _room_json(room)
        if name is not None:
            name = _name(name, "room")
            clash = select(Room.id).where(Room.site_id == room.site_id, Room.name == name, Room.id != room.id)
            if session.scalar(clash):
                raise InvalidAnswer(
                    _("This site already has a room called {name}.").format(name=repr(name)), field="name"
                )
            room.name = name
        new_floor = room.floor if floor is _UNCHANGED else floor
        new_capacity = room.capacity if capacity is _UNCHANGED else capacity
        _check_room_fields(new_floor, new_capacity)
        room.floor, room.capacity = new_floor, new_capacity
        _audit(session, actor, site.organisation_id, "update", "rooms", room.id, old, _room_json(room))
    return room
