"""The Admin page's forms: each change goes to the store, which checks it, and comes back as an `Outcome`
in words, naming the form field a refusal is about. No Streamlit here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from assessments import repository
from assessments.account_links import LINK_HOURS
from assessments.db import Store
from assessments.errors import StoreError
from assessments.models import Role
from assessments.repository import UserLike
from ui.admin_records import ROLE_TITLES
from ui.i18n import N_, _
from ui.state import LINK_PARAM

__all__ = [
    "Outcome",
    "add_organisation",
    "add_room",
    "add_site",
    "add_user",
    "allow_sign_on_domain",
    "field_of",
    "link_address",
    "remove_sign_on_domain",
    "reset_link",
    "save_room",
    "save_site",
    "save_user",
]


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
    "name": N_("Name"),
    "email": N_("Email"),
    "role": N_("Role"),
    "organisations": N_("Organisations"),
    "setting": N_("Setting"),
    "room_type": N_("Room type"),
    "floor": N_("Floor"),
    "capacity": N_("Capacity"),
    "domain": N_("Email domain"),
    "organisation": N_("Organisation"),
}


def field_of(error: StoreError, fields: Iterable[str]) -> str | None:
    """The form input a store's refusal is about, among the form's `fields`; None when it names none."""
    name = FORM_FIELDS.get(error.field or "")
    return name if name in set(fields) else None


def _refused(error: StoreError, fields: Sequence[str]) -> Outcome:
    message = str(error)
    name = field_of(error, fields)
    # The field as the form labels it, in the reader's language; the store's words stay as it says them.
    return Outcome(False, f"{_(name)}: {message}" if name else message)


def _clean(text: str | None) -> str:
    return (text or "").strip()


def add_site(
    store: Store, user: UserLike, organisation_id: int, *, name: str, setting: str | None, address: str | None
) -> Outcome:
    if not setting:
        return Outcome(False, _("Setting: choose whether the site is a clinic, a school or a workplace."))
    try:
        with store.session() as session:
            site = repository.create_site(
                session, user, organisation_id, _clean(name), setting, _clean(address) or None
            )
    except StoreError as error:
        return _refused(error, ("Name", "Setting"))
    return Outcome(True, _("Added the site “{name}”.").format(name=site.name))


def save_site(store: Store, user: UserLike, site_id: int, *, name: str, address: str | None) -> Outcome:
    try:
        with store.session() as session:
            site = repository.update_site(session, user, site_id, name=_clean(name), address=_clean(address))
    except StoreError as error:
        return _refused(error, ("Name", "Address"))
    return Outcome(True, _("Saved the site “{name}”.").format(name=site.name))


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
        return Outcome(False, _("Room type: choose the kind of room; it decides the checklist."))
    try:
        with store.session() as session:
            room = repository.create_room(session, user, site_id, _clean(name), room_type, floor, capacity)
    except StoreError as error:
        return _refused(error, ("Name", "Room type", "Floor", "Capacity"))
    return Outcome(True, _("Added the room “{name}”.").format(name=room.name))


def save_room(
    store: Store, user: UserLike, room_id: int, *, name: str, floor: int | None, capacity: int | None
) -> Outcome:
    try:
        with store.session() as session:
            room = repository.update_room(session, user, room_id, name=_clean(name), floor=floor, capacity=capacity)
    except StoreError as error:
        return _refused(error, ("Name", "Floor", "Capacity"))
    return Outcome(True, _("Saved the room “{name}”.").format(name=room.name))


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
        return Outcome(False, _("Role: choose what the person may do."))
    if not _clean(name):
        return Outcome(False, _("Name: a user needs a name."))
    if "@" not in _clean(email):
        return Outcome(False, _("Email: a user needs an email address, like name@example.org."))
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
        _(
            "Added {name} ({email}) as {role}. Hand them this one-time invite link (valid for {hours} hours); they "
            "choose their own password with it."
        ).format(
            name=created.name,
            email=created.email,
            role=_(ROLE_TITLES[created.role]).lower(),
            hours=LINK_HOURS["invite"],
        ),
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
        _(
            "Hand {name} this one-time link to choose a new password (valid for {hours} hours; a newer link "
            "replaces it)."
        ).format(name=person.name, hours=LINK_HOURS["reset"]),
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
        return Outcome(False, _("Active: you cannot switch off your own account; ask another admin."))
    if user_id == user.id and role is not Role.admin:
        return Outcome(False, _("Role: you cannot take away your own admin role; ask another admin."))
    try:
        with store.session() as session:
            saved = repository.update_user(
                session, user, user_id, name=name, role=role, organisation_ids=organisation_ids, active=active
            )
    except StoreError as error:
        return _refused(error, ("Name", "Role", "Organisations"))
    return Outcome(True, _("Saved {name}.").format(name=saved.name))


def add_organisation(store: Store, user: UserLike, name: str) -> Outcome:
    try:
        with store.session() as session:
            created = repository.create_organisation(session, user, _clean(name))
    except StoreError as error:
        message = str(error)
        return Outcome(False, _("Name: {problem}").format(problem=message))
    return Outcome(
        True,
        _("Added the organisation “{name}”. Add its sites on the Sites and rooms tab.").format(name=created.name),
    )


def allow_sign_on_domain(
    store: Store, user: UserLike, *, domain: str, role: Role | None, organisation_id: int | None
) -> Outcome:
    """Let people of an email domain get an account on their first single sign-on (admins only)."""
    if role is None:
        return Outcome(False, _("Role: choose the role the domain's people get."))
    if organisation_id is None:
        return Outcome(False, _("Organisation: choose the organisation the domain's people join."))
    try:
        with store.session() as session:
            allowed = repository.set_sign_on_domain(
                session, user, domain=domain, role=role, organisation_id=organisation_id
            )
    except StoreError as error:
        return _refused(error, ("Email domain", "Role", "Organisation"))
    return Outcome(
        True,
        _("People with an address at {domain} now get an account on their first single sign-on, as {role}.").format(
            domain=allowed.domain, role=_(ROLE_TITLES[Role(allowed.role)]).lower()
        ),
    )


def remove_sign_on_domain(store: Store, user: UserLike, domain: str) -> Outcome:
    try:
        with store.session() as session:
            repository.remove_sign_on_domain(session, user, domain)
    except StoreError as error:
        return _refused(error, ("Email domain",))
    return Outcome(
        True, _("{domain} no longer gets new accounts; the accounts made already stay.").format(domain=domain)
    )
