"""Admin: the sites and rooms of an organisation, with forms to add them and to change them (managers
and admins), and how many months after its last assessment each room type is due again. Admins also
manage the people who use the app and the organisations, export an organisation to a JSON file
(photos inside) and import one: the file is checked first, and if any
part of it is wrong every problem is listed and nothing is imported. Recent changes tell who did
what, and when.

Each form's button sends the change from a callback, before the page is drawn again, so the tables
above a form already show what it added; the store checks every change and its refusal is shown
under the form, naming the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from assessments import repository
from assessments.errors import StoreError
from assessments.models import Role
from ui import admin_logic as logic
from ui import context, schedule_view, state
from ui.text import literal

FLOOR_HELP = "0 for the ground floor, 1 for the first floor, -1 for the first floor below ground."

user = context.current_user()
store = context.store()
catalogue = context.catalogue()
is_admin = user.role is Role.admin
data = logic.read(store, user)
organisations = {o.id: o.name for o in data.organisations}


def field(form: str, name: str) -> Any:
    return st.session_state.get(state.admin_field(form, name))


def remember(form: str, outcome: logic.Outcome) -> None:
    st.session_state[state.ADMIN_OUTCOME] = (form, outcome)


def show_outcome(form: str) -> None:
    """The answer to the last form sent, under that form only."""
    last = st.session_state.get(state.ADMIN_OUTCOME)
    if last is None or last[0] != form:
        return
    outcome: logic.Outcome = last[1]
    if outcome.ok:
        st.success(literal(outcome.message), icon=":material/check_circle:")
    else:
        st.error(literal(outcome.message), icon=":material/error:")
    if outcome.link:
        st.code(outcome.link, language=None, wrap_lines=True)


def reset(form: str, **values: Any) -> None:
    """Put inputs of a form back to empty, e.g. after it succeeded, ready for the next one.

    Assigned, not deleted: only an assignment reaches the input in the browser.
    """
    for name, value in values.items():
        st.session_state[state.admin_field(form, name)] = value


# --------------------------------------------------------------------------------------------
# Callbacks: each sends one form's change to the store
# --------------------------------------------------------------------------------------------


def on_add_site(organisation_id: int) -> None:
    outcome = logic.add_site(
        store, user, organisation_id, name=field("new_site", "name") or "",
        setting=field("new_site", "setting"), address=field("new_site", "address"),
    )  # fmt: skip
    remember("new_site", outcome)
    if outcome.ok:
        reset("new_site", name="", setting=None, address="")


def on_save_site(site_id: int) -> None:
    form = f"site:{site_id}"
    outcome = logic.save_site(store, user, site_id, name=field(form, "name") or "", address=field(form, "address"))
    remember(form, outcome)


def on_add_room(site_id: int) -> None:
    outcome = logic.add_room(
        store, user, site_id,
        name=field("new_room", "name") or "", room_type=field("new_room", "room_type"),
        floor=field("new_room", "floor"), capacity=field("new_room", "capacity"),
    )  # fmt: skip
    remember("new_room", outcome)
    if outcome.ok:
        # The room type stays: rooms often come in runs of one kind (Year 1, Year 2, ... classrooms).
        reset("new_room", name="", floor=None, capacity=None)


def on_save_room(room_id: int) -> None:
    form = f"room:{room_id}"
    outcome = logic.save_room(
        store, user, room_id,
        name=field(form, "name") or "", floor=field(form, "floor"), capacity=field(form, "capacity"),
    )  # fmt: skip
    remember(form, outcome)


def on_add_user() -> None:
    outcome = logic.add_user(
        store, user,
        name=field("new_user", "name") or "", email=field("new_user", "email") or "", role=field("new_user", "role"),
        organisation_ids=field("new_user", "organisations") or [], base_url=st.context.url or "",
    )  # fmt: skip
    remember("new_user", outcome)
    if outcome.ok:
        reset("new_user", name="", email="", role=None, organisations=[])


def on_save_user(user_id: int) -> None:
    form = f"user:{user_id}"
    outcome = logic.save_user(
        store, user, user_id,
        name=field(form, "name") or "", role=field(form, "role"), organisation_ids=field(form, "organisations") or [],
        active=bool(field(form, "active")),
    )  # fmt: skip
    remember(form, outcome)


def on_reset_link(user_id: int) -> None:
    remember(f"user:{user_id}", logic.reset_link(store, user, user_id, st.context.url or ""))


def on_add_organisation() -> None:
    outcome = logic.add_organisation(store, user, field("new_organisation", "name") or "")
    remember("new_organisation", outcome)
    if outcome.ok:
        reset("new_organisation", name="")


def on_import(upload_key: str) -> None:
    upload = st.session_state.get(upload_key)
    if upload is None:
        st.session_state[state.ADMIN_IMPORT_OUTCOME] = logic.ImportOutcome(
            False, "Organisation file: choose a .json file exported by sensory-audit first."
        )
        return
    outcome = logic.import_file(store, user, upload.getvalue())
    st.session_state[state.ADMIN_IMPORT_OUTCOME] = outcome
    if outcome.ok:
        # A new key gives an empty uploader: the imported file cannot be sent twice by mistake.
        st.session_state[state.ADMIN_IMPORT_NONCE] = st.session_state.get(state.ADMIN_IMPORT_NONCE, 0) + 1


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


def add_site_form(organisation_id: int) -> None:
    with st.form("admin_new_site", border=True):
        st.markdown("**Add a site**")
        st.text_input(
            "Name", key=state.admin_field("new_site", "name"), max_chars=200, placeholder="e.g. Northside Clinic"
        )
        st.selectbox(
            "Setting", list(catalogue.settings), format_func=catalogue.settings.__getitem__, index=None,
            placeholder="Clinic, school or workplace", key=state.admin_field("new_site", "setting"),
            help="Decides the room types and the checklists of the site's rooms; it cannot change later.",
        )  # fmt: skip
        st.text_input("Address (optional)", key=state.admin_field("new_site", "address"))
        st.form_submit_button("Add the site", type="primary", on_click=on_add_site, args=(organisation_id,))
        show_outcome("new_site")


def edit_site_form(organisation_id: int) -> None:
    sites = {s.id: s for s in data.sites_of(organisation_id)}
    with st.container(border=True):
        st.markdown("**Change a site**")
        if not sites:
            st.caption("No sites to change yet.")
            return
        site_id = st.selectbox(
            "Site to change", list(sites), format_func=lambda i: sites[i].name, key=state.ADMIN_EDIT_SITE
        )
        if site_id is None or site_id not in sites:
            return
        site = sites[site_id]
        form = f"site:{site.id}"
        with st.form(f"admin_{form}", border=False):
            st.text_input("Name", value=site.name, max_chars=200, key=state.admin_field(form, "name"))
            st.text_input("Address", value=site.address or "", key=state.admin_field(form, "address"))
            st.caption(f"Setting: {catalogue.settings.get(site.setting, site.setting)} (fixed once the site exists).")
            st.form_submit_button("Save the site", on_click=on_save_site, args=(site.id,))
            show_outcome(form)


def room_inputs(form: str, floor: int | None = None, capacity: int | None = None) -> None:
    left, right = st.columns(2)
    left.number_input(
        "Floor (optional)", min_value=-20, max_value=200, value=floor, step=1, placeholder="e.g. 0",
        key=state.admin_field(form, "floor"), help=FLOOR_HELP,
    )  # fmt: skip
    right.number_input(
        "Capacity (optional)", min_value=0, max_value=100_000, value=capacity, step=1, placeholder="people",
        key=state.admin_field(form, "capacity"), help="How many people the room is used by at once.",
    )  # fmt: skip


def add_room_form(site: logic.SiteRow) -> None:
    titles = logic.room_type_titles(catalogue, site.setting)
    with st.form("admin_new_room", border=True):
        st.markdown(f"**Add a room to {literal(site.name)}**")
        st.text_input("Name", key=state.admin_field("new_room", "name"), max_chars=200, placeholder="e.g. Quiet room 2")
        st.selectbox(
            "Room type", list(titles), format_func=titles.__getitem__, index=None,
            placeholder=f"A room type of a {catalogue.settings.get(site.setting, site.setting).lower()}",
            key=state.admin_field("new_room", "room_type"), help="Decides the room's checklist and its targets.",
        )  # fmt: skip
        room_inputs("new_room")
        st.form_submit_button("Add the room", type="primary", on_click=on_add_room, args=(site.id,))
        show_outcome("new_room")


def edit_room_form(site: logic.SiteRow) -> None:
    rooms = {r.id: r for r in data.rooms_of(site.id)}
    with st.container(border=True):
        st.markdown("**Change a room**")
        if not rooms:
            st.caption(f"{literal(site.name)} has no rooms yet.")
            return
        room_id = st.selectbox(
            "Room to change", list(rooms), format_func=lambda i: rooms[i].name, key=state.ADMIN_EDIT_ROOM
        )
        if room_id is None or room_id not in rooms:
            return
        room = rooms[room_id]
        form = f"room:{room.id}"
        with st.form(f"admin_{form}", border=False):
            st.text_input("Name", value=room.name, max_chars=200, key=state.admin_field(form, "name"))
            room_inputs(form, room.floor, room.capacity)
            title = logic.room_type_titles(catalogue, site.setting).get(room.room_type, room.room_type)
            st.caption(f"Room type: {title} (fixed: its assessments follow that checklist).")
            st.form_submit_button("Save the room", on_click=on_save_room, args=(room.id,))
            show_outcome(form)


def sites_and_rooms() -> None:
    organisation_id = st.selectbox(
        "Organisation", list(organisations), format_func=organisations.__getitem__,
        key=state.ADMIN_ORGANISATION, on_change=on_organisation_change,
    )  # fmt: skip
    sites = data.sites_of(organisation_id)
    st.subheader(f"Sites of {literal(organisations[organisation_id])}", anchor=False)
    if sites:
        st.dataframe(logic.sites_table(data, organisation_id, catalogue), hide_index=True)
    else:
        st.info("This organisation has no sites yet: add the first one.")
    left, right = st.columns(2)
    with left:
        add_site_form(organisation_id)
    with right:
        edit_site_form(organisation_id)

    if not sites:
        return
    st.subheader("Rooms", anchor=False)
    by_id = {s.id: s for s in sites}
    site_id = st.selectbox(
        "Site", list(by_id), format_func=lambda i: by_id[i].name, key=state.ADMIN_SITE, on_change=on_site_change
    )
    if site_id is None or site_id not in by_id:
        return
    site = by_id[site_id]
    if data.rooms_of(site.id):
        st.dataframe(logic.rooms_table(data, site, catalogue), hide_index=True)
    else:
        st.info(f"{literal(site.name)} has no rooms yet: add the first one.")
    left, right = st.columns(2)
    with left:
        add_room_form(site)
    with right:
        edit_room_form(site)


# --------------------------------------------------------------------------------------------
# Users (admins)
# --------------------------------------------------------------------------------------------


def role_title(role: Role) -> str:
    return logic.ROLE_TITLES[role]


def users() -> None:
    st.dataframe(
        logic.users_table(data),
        hide_index=True,
        column_config={
            "Name": st.column_config.TextColumn(width=140),
            "Email": st.column_config.TextColumn(width=250),
            "Role": st.column_config.TextColumn(width=100),
            "Active": st.column_config.TextColumn(width=70),
        },
    )
    st.caption(
        "Staff assess rooms; managers also review, see the dashboard and manage sites and rooms; consultants "
        "see the dashboard and make reports; viewers only look at the dashboards and reports; admins manage "
        "everything. Admins see every organisation."
    )
    left, right = st.columns(2)
    with left, st.form("admin_new_user", border=True):
        st.markdown("**Invite a user**")
        st.text_input("Name", key=state.admin_field("new_user", "name"), max_chars=200)
        st.text_input("Email", key=state.admin_field("new_user", "email"), placeholder="name@example.org")
        st.selectbox(
            "Role", list(Role), format_func=role_title, index=None, placeholder="What the person may do",
            key=state.admin_field("new_user", "role"),
        )  # fmt: skip
        st.multiselect(
            "Organisations", list(organisations), format_func=organisations.__getitem__,
            placeholder="The organisations they work in", key=state.admin_field("new_user", "organisations"),
        )  # fmt: skip
        st.caption("You get a one-time link to hand over: with it the person chooses their own password.")
        st.form_submit_button("Add the user", type="primary", on_click=on_add_user)
        show_outcome("new_user")
    with right, st.container(border=True):
        st.markdown("**Change a user**")
        people = {u.id: u for u in data.users}
        user_id = st.selectbox(
            "User to change", list(people), format_func=lambda i: f"{people[i].name} ({people[i].email})",
            key=state.ADMIN_EDIT_USER,
        )  # fmt: skip
        if user_id is None or user_id not in people:
            return
        person = people[user_id]
        form = f"user:{person.id}"
        with st.form(f"admin_{form}", border=False):
            st.text_input("Name", value=person.name, max_chars=200, key=state.admin_field(form, "name"))
            st.selectbox(
                "Role", list(Role), index=list(Role).index(person.role), format_func=role_title,
                key=state.admin_field(form, "role"),
            )  # fmt: skip
            st.multiselect(
                "Organisations", list(organisations), default=list(person.organisation_ids),
                format_func=organisations.__getitem__, key=state.admin_field(form, "organisations"),
            )  # fmt: skip
            st.checkbox(
                "Active (may use the app)", value=person.active, key=state.admin_field(form, "active"),
                help="Switch off instead of deleting: the person's assessments and changes keep their name.",
            )  # fmt: skip
            st.caption(f"Email: {literal(person.email)} (fixed: it identifies the person).")
            st.form_submit_button("Save the user", on_click=on_save_user, args=(person.id,))
        st.button(
            "Make a password link", key=state.admin_field(form, "reset"), on_click=on_reset_link, args=(person.id,),
            help="A one-time link for the person to choose a new password: for a new person whose invite "
            "expired, or one who forgot theirs. Saving a change of role, organisations or active ends their "
            "sessions.",
        )  # fmt: skip
        show_outcome(form)


# --------------------------------------------------------------------------------------------
# Organisations, export and import (admins)
# --------------------------------------------------------------------------------------------


def export_section() -> None:
    with st.container(border=True):
        st.markdown("**Export an organisation**")
        st.caption("One JSON file with its sites, rooms, assessments, answers and photos, to import elsewhere.")
        organisation_id = st.selectbox(
            "Organisation to export", list(organisations), format_func=organisations.__getitem__,
            key=state.ADMIN_EXPORT_ORGANISATION,
        )  # fmt: skip
        with store.session() as session:
            version = repository.data_version(session)
        exports: dict[tuple[int, int, int], logic.ExportFile] = st.session_state.setdefault(state.ADMIN_EXPORTS, {})
        ready = exports.get((user.id, organisation_id, version))
        if ready is None and st.button("Prepare the export file", key=state.admin_field("export", "make")):
            try:
                ready = logic.export_file(store, user, organisation_id, dt.date.today())
            except StoreError as error:
                st.error(str(error), icon=":material/error:")
                return
            exports.clear()  # one file at a time: an export with photos can be large
            exports[(user.id, organisation_id, version)] = ready
        if ready is not None:
            st.download_button(
                f"Download {ready.name}", data=ready.content, file_name=ready.name, mime="application/json",
                type="primary", icon=":material/download:", on_click="ignore",
                key=state.admin_field("export", "download"),
            )  # fmt: skip


def import_section() -> None:
    st.subheader("Import an organisation", anchor=False)
    st.caption(
        "A file exported from sensory-audit comes in as a new organisation, with its people matched by email. "
        "The whole file is checked first: if any part of it is wrong, nothing is imported."
    )
    nonce = st.session_state.get(state.ADMIN_IMPORT_NONCE, 0)
    upload_key = f"{state.ADMIN_IMPORT_FILE}:{nonce}"
    with st.container(border=True):
        upload = st.file_uploader("Organisation file (.json)", type=["json"], key=upload_key)
        st.button(
            "Check and import", type="primary", on_click=on_import, args=(upload_key,), disabled=upload is None,
            key=state.admin_field("import", "go"),
        )  # fmt: skip
        outcome: logic.ImportOutcome | None = st.session_state.get(state.ADMIN_IMPORT_OUTCOME)
        if outcome is None:
            return
        if outcome.ok:
            st.success(outcome.headline, icon=":material/check_circle:")
            return
        st.error(outcome.headline, icon=":material/error:")
        if outcome.problems:
            where, what = zip(*(p.split(": ", 1) if ": " in p else ("", p) for p in outcome.shown), strict=True)
            st.dataframe(pd.DataFrame({"Where in the file": where, "Problem": what}), hide_index=True)
            if outcome.more:
                st.caption(f"The first {len(outcome.shown)} problems are listed; {outcome.more} more are not shown.")


def organisations_tab() -> None:
    st.dataframe(logic.organisations_table(data), hide_index=True)
    left, right = st.columns(2)
    with left, st.form("admin_new_organisation", border=True):
        st.markdown("**Add an organisation**")
        st.text_input("Name", key=state.admin_field("new_organisation", "name"), max_chars=200)
        st.form_submit_button("Add the organisation", type="primary", on_click=on_add_organisation)
        show_outcome("new_organisation")
    with right:
        export_section()
    import_section()


# --------------------------------------------------------------------------------------------
# Recent changes
# --------------------------------------------------------------------------------------------


def recent_changes() -> None:
    choices: list[int | None] = [None, *organisations]
    organisation_id = st.selectbox(
        "Changes in", choices, format_func=lambda i: "All organisations" if i is None else organisations[i],
        key=state.ADMIN_CHANGES_ORGANISATION,
    )  # fmt: skip
    people = {u.email: u.name for u in data.users}
    who_col, kind_col, id_col, from_col, to_col = st.columns([3, 2, 1, 2, 2])
    actor = who_col.selectbox(
        "Who", list(people), index=None, format_func=lambda e: f"{people[e]} ({e})", placeholder="Anyone",
        key=state.admin_field("changes", "who"),
    )  # fmt: skip
    kind = kind_col.selectbox(
        "Record", list(logic.RECORD_KINDS), index=None, format_func=logic.RECORD_KINDS.__getitem__,
        placeholder="Any", key=state.admin_field("changes", "kind"),
    )  # fmt: skip
    record_id = id_col.number_input(
        "Its id", min_value=1, step=1, value=None, key=state.admin_field("changes", "id"), disabled=kind is None
    )
    day_from = from_col.date_input("From", value=None, key=state.admin_field("changes", "from"))
    day_to = to_col.date_input("To", value=None, key=state.admin_field("changes", "to"))
    events = logic.recent_events(
        store, user, organisation_id, actor_email=actor, entity=kind,
        entity_id=int(record_id) if kind is not None and record_id is not None else None,
        day_from=day_from if isinstance(day_from, dt.date) else None,
        day_to=day_to if isinstance(day_to, dt.date) else None,
    )  # fmt: skip
    if not events:
        st.info("No changes recorded that match.")
        return
    # A plain table: its lines wrap, so a long change is read whole on a tablet.
    st.table(logic.changes_table(events, data), hide_index=True, border="horizontal")
    st.caption(f"The {len(events)} newest changes. Every change is kept in the store's audit trail.")


# --------------------------------------------------------------------------------------------
# The screen
# --------------------------------------------------------------------------------------------

st.title("Admin")
if not organisations:
    st.info("You are not a member of any organisation yet; an admin adds you to one.")
    st.stop()


def schedule_tab() -> None:
    """How often each room type is re-assessed (ui.schedule_view)."""
    settings_by_org: dict[int, set[str]] = {}
    for site in data.sites:
        settings_by_org.setdefault(site.organisation_id, set()).add(site.setting)
    schedule_view.intervals_section(user, organisations, settings_by_org)


if is_admin:
    st.caption("Sites and rooms, the people who use the app, the organisations, and moving them between databases.")
    tabs = st.tabs(["Sites and rooms", "Users", "Organisations", "Re-assessment", "Recent changes"])
    with tabs[0]:
        sites_and_rooms()
    with tabs[1]:
        users()
    with tabs[2]:
        organisations_tab()
    with tabs[3]:
        schedule_tab()
    with tabs[4]:
        recent_changes()
else:
    st.caption("The sites and rooms of your organisations. Admins manage users and organisations.")
    tabs = st.tabs(["Sites and rooms", "Re-assessment", "Recent changes"])
    with tabs[0]:
        sites_and_rooms()
    with tabs[1]:
        schedule_tab()
    with tabs[2]:
        recent_changes()
