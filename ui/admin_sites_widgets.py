"""The Admin page's sites and rooms tab: the tables of an organisation's sites and a site's rooms, with
forms to add and to change them (managers and admins)."""

from __future__ import annotations

import streamlit as st

from ui import admin_forms, admin_records, state
from ui.admin_screen import FLOOR_HELP, AdminScreen, field, remember, reset, show_outcome
from ui.i18n import _
from ui.text import literal


def on_add_site(screen: AdminScreen, organisation_id: int) -> None:
    outcome = admin_forms.add_site(
        screen.store, screen.user, organisation_id, name=field("new_site", "name") or "",
        setting=field("new_site", "setting"), address=field("new_site", "address"),
    )  # fmt: skip
    remember("new_site", outcome)
    if outcome.ok:
        reset("new_site", name="", setting=None, address="")


def on_save_site(screen: AdminScreen, site_id: int) -> None:
    form = f"site:{site_id}"
    outcome = admin_forms.save_site(
        screen.store, screen.user, site_id, name=field(form, "name") or "", address=field(form, "address")
    )
    remember(form, outcome)


def on_add_room(screen: AdminScreen, site_id: int) -> None:
    outcome = admin_forms.add_room(
        screen.store, screen.user, site_id,
        name=field("new_room", "name") or "", room_type=field("new_room", "room_type"),
        floor=field("new_room", "floor"), capacity=field("new_room", "capacity"),
    )  # fmt: skip
    remember("new_room", outcome)
    if outcome.ok:
        # The room type stays: rooms often come in runs of one kind (Year 1, Year 2, ... classrooms).
        reset("new_room", name="", floor=None, capacity=None)


def on_save_room(screen: AdminScreen, room_id: int) -> None:
    form = f"room:{room_id}"
    outcome = admin_forms.save_room(
        screen.store, screen.user, room_id,
        name=field(form, "name") or "", floor=field(form, "floor"), capacity=field(form, "capacity"),
    )  # fmt: skip
    remember(form, outcome)


def on_organisation_change() -> None:
    st.session_state.pop(state.ADMIN_SITE, None)
    st.session_state.pop(state.ADMIN_EDIT_SITE, None)
    st.session_state.pop(state.ADMIN_EDIT_ROOM, None)


def on_site_change() -> None:
    st.session_state.pop(state.ADMIN_EDIT_ROOM, None)
    reset("new_room", room_type=None)


# --------------------------------------------------------------------------------------------
# Sites and rooms
# --------------------------------------------------------------------------------------------


def add_site_form(screen: AdminScreen, organisation_id: int) -> None:
    with st.form("admin_new_site", border=True):
        st.markdown("**{}**".format(_("Add a site")))
        st.text_input(
            _("Name"), key=state.admin_field("new_site", "name"), max_chars=200, placeholder=_("e.g. Northside Clinic")
        )
        st.selectbox(
            _("Setting"), list(screen.catalogue.settings), format_func=screen.catalogue.settings.__getitem__,
            index=None, placeholder=_("Clinic, school or workplace"), key=state.admin_field("new_site", "setting"),
            help=_("Decides the room types and the checklists of the site's rooms; it cannot change later."),
        )  # fmt: skip
        st.text_input(_("Address (optional)"), key=state.admin_field("new_site", "address"))
        st.form_submit_button(_("Add the site"), type="primary", on_click=on_add_site, args=(screen, organisation_id))
        show_outcome("new_site")


def edit_site_form(screen: AdminScreen, organisation_id: int) -> None:
    sites = {s.id: s for s in screen.data.sites_of(organisation_id)}
    with st.container(border=True):
        st.markdown("**{}**".format(_("Change a site")))
        if not sites:
            st.caption(_("No sites to change yet."))
            return
        site_id = st.selectbox(
            _("Site to change"), list(sites), format_func=lambda i: sites[i].name, key=state.ADMIN_EDIT_SITE
        )
        if site_id is None or site_id not in sites:
            return
        site = sites[site_id]
        form = f"site:{site.id}"
        with st.form(f"admin_{form}", border=False):
            st.text_input(_("Name"), value=site.name, max_chars=200, key=state.admin_field(form, "name"))
            st.text_input(_("Address"), value=site.address or "", key=state.admin_field(form, "address"))
            st.caption(
                _("Setting: {setting} (fixed once the site exists).").format(
                    setting=screen.catalogue.settings.get(site.setting, site.setting)
                )
            )
            st.form_submit_button(_("Save the site"), on_click=on_save_site, args=(screen, site.id))
            show_outcome(form)


def room_inputs(form: str, floor: int | None = None, capacity: int | None = None) -> None:
    left, right = st.columns(2)
    left.number_input(
        _("Floor (optional)"), min_value=-20, max_value=200, value=floor, step=1, placeholder=_("e.g. 0"),
        key=state.admin_field(form, "floor"), help=_(FLOOR_HELP),
    )  # fmt: skip
    right.number_input(
        _("Capacity (optional)"), min_value=0, max_value=100_000, value=capacity, step=1, placeholder=_("people"),
        key=state.admin_field(form, "capacity"), help=_("How many people the room is used by at once."),
    )  # fmt: skip


def add_room_form(screen: AdminScreen, site: admin_records.SiteRow) -> None:
    titles = admin_records.room_type_titles(screen.catalogue, site.setting)
    with st.form("admin_new_room", border=True):
        st.markdown("**{}**".format(_("Add a room to {site}").format(site=literal(site.name))))
        st.text_input(
            _("Name"), key=state.admin_field("new_room", "name"), max_chars=200, placeholder=_("e.g. Quiet room 2")
        )
        setting = screen.catalogue.settings.get(site.setting, site.setting).lower()
        st.selectbox(
            _("Room type"), list(titles), format_func=titles.__getitem__, index=None,
            placeholder=_("A room type of a {setting}").format(setting=setting),
            key=state.admin_field("new_room", "room_type"), help=_("Decides the room's checklist and its targets."),
        )  # fmt: skip
        room_inputs("new_room")
        st.form_submit_button(_("Add the room"), type="primary", on_click=on_add_room, args=(screen, site.id))
        show_outcome("new_room")


def edit_room_form(screen: AdminScreen, site: admin_records.SiteRow) -> None:
    rooms = {r.id: r for r in screen.data.rooms_of(site.id)}
    with st.container(border=True):
        st.markdown("**{}**".format(_("Change a room")))
        if not rooms:
            st.caption(_("{site} has no rooms yet.").format(site=literal(site.name)))
            return
        room_id = st.selectbox(
            _("Room to change"), list(rooms), format_func=lambda i: rooms[i].name, key=state.ADMIN_EDIT_ROOM
        )
        if room_id is None or room_id not in rooms:
            return
        room = rooms[room_id]
        form = f"room:{room.id}"
        with st.form(f"admin_{form}", border=False):
            st.text_input(_("Name"), value=room.name, max_chars=200, key=state.admin_field(form, "name"))
            room_inputs(form, room.floor, room.capacity)
            title = admin_records.room_type_titles(screen.catalogue, site.setting).get(room.room_type, room.room_type)
            st.caption(
                _("Room type: {room_type} (fixed: its assessments follow that checklist).").format(room_type=title)
            )
            st.form_submit_button(_("Save the room"), on_click=on_save_room, args=(screen, room.id))
            show_outcome(form)


def sites_and_rooms(screen: AdminScreen) -> None:
    organisation_id = st.selectbox(
        _("Organisation"), list(screen.organisations), format_func=screen.organisations.__getitem__,
        key=state.ADMIN_ORGANISATION, on_change=on_organisation_change,
    )  # fmt: skip
    sites = screen.data.sites_of(organisation_id)
    st.subheader(
        _("Sites of {organisation}").format(organisation=literal(screen.organisations[organisation_id])), anchor=False
    )
    if sites:
        st.dataframe(admin_records.sites_table(screen.data, organisation_id, screen.catalogue), hide_index=True)
    else:
        st.info(_("This organisation has no sites yet: add the first one."))
    left, right = st.columns(2)
    with left:
        add_site_form(screen, organisation_id)
    with right:
        edit_site_form(screen, organisation_id)

    if not sites:
        return
    st.subheader(_("Rooms"), anchor=False)
    by_id = {s.id: s for s in sites}
    site_id = st.selectbox(
        _("Site"), list(by_id), format_func=lambda i: by_id[i].name, key=state.ADMIN_SITE, on_change=on_site_change
    )
    if site_id is None or site_id not in by_id:
        return
    site = by_id[site_id]
    if screen.data.rooms_of(site.id):
        st.dataframe(admin_records.rooms_table(screen.data, site, screen.catalogue), hide_index=True)
    else:
        st.info(_("{site} has no rooms yet: add the first one.").format(site=literal(site.name)))
    left, right = st.columns(2)
    with left:
        add_room_form(screen, site)
    with right:
        edit_room_form(screen, site)
