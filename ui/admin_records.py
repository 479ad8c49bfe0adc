"""What one user may manage on the Admin page, as plain rows (safe to keep after the session closes), and
the tables of organisations, sites, rooms and people drawn from them. No Streamlit here."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from assessments import repository
from assessments.db import Store
from assessments.models import Role
from assessments.repository import UserLike
from checklists.schema import Catalogue
from ui.i18n import N_, _

__all__ = [
    "ROLE_TITLES",
    "AdminData",
    "OrganisationRow",
    "RoomRow",
    "SiteRow",
    "UserRow",
    "organisations_table",
    "read",
    "room_type_titles",
    "rooms_table",
    "sites_table",
    "users_table",
]

ROLE_TITLES = {
    Role.staff: N_("Staff"),
    Role.manager: N_("Manager"),
    Role.consultant: N_("Consultant"),
    Role.viewer: N_("Viewer"),
    Role.admin: N_("Admin"),
}


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
            _("Site"): [s.name for s in data.sites_of(organisation_id)],
            _("Setting"): [catalogue.settings.get(s.setting, s.setting) for s in data.sites_of(organisation_id)],
            _("Address"): [s.address or "" for s in data.sites_of(organisation_id)],
            _("Rooms"): [len(data.rooms_of(s.id)) for s in data.sites_of(organisation_id)],
        }
    )


def rooms_table(data: AdminData, site: SiteRow, catalogue: Catalogue) -> pd.DataFrame:
    titles = room_type_titles(catalogue, site.setting)
    rooms = data.rooms_of(site.id)
    return pd.DataFrame(
        {
            _("Room"): [r.name for r in rooms],
            _("Room type"): [titles.get(r.room_type, r.room_type) for r in rooms],
            _("Floor"): pd.array([r.floor for r in rooms], dtype="Int64"),
            _("Capacity"): pd.array([r.capacity for r in rooms], dtype="Int64"),
        }
    )


def users_table(data: AdminData) -> pd.DataFrame:
    names = {o.id: o.name for o in data.organisations}
    return pd.DataFrame(
        {
            _("Name"): [u.name for u in data.users],
            _("Email"): [u.email for u in data.users],
            _("Role"): [_(ROLE_TITLES[u.role]) for u in data.users],
            _("Active"): [_("yes") if u.active else _("no") for u in data.users],
            _("Organisations"): [", ".join(names.get(i, str(i)) for i in u.organisation_ids) for u in data.users],
        }
    )


def organisations_table(data: AdminData) -> pd.DataFrame:
    rows = data.organisations
    return pd.DataFrame(
        {
            _("Organisation"): [o.name for o in rows],
            _("Sites"): [len(data.sites_of(o.id)) for o in rows],
            _("Rooms"): [sum(len(data.rooms_of(s.id)) for s in data.sites_of(o.id)) for o in rows],
            _("Members"): [sum(1 for u in data.users if o.id in u.organisation_ids) for o in rows],
        }
    )
