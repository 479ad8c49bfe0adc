"""The Admin page's users tab (admins): the people who use the app, a form to invite one, and one to
change a person's role, organisations or access, or to make them a password link."""

from __future__ import annotations

import streamlit as st

from assessments.models import Role
from ui import admin_forms, admin_records, state
from ui.admin_screen import AdminScreen, field, remember, reset, show_outcome
from ui.text import literal


def on_add_user(screen: AdminScreen) -> None:
    outcome = admin_forms.add_user(
        screen.store, screen.user,
        name=field("new_user", "name") or "", email=field("new_user", "email") or "", role=field("new_user", "role"),
        organisation_ids=field("new_user", "organisations") or [], base_url=st.context.url or "",
    )  # fmt: skip
    remember("new_user", outcome)
    if outcome.ok:
        reset("new_user", name="", email="", role=None, organisations=[])


def on_save_user(screen: AdminScreen, user_id: int) -> None:
    form = f"user:{user_id}"
    outcome = admin_forms.save_user(
        screen.store, screen.user, user_id,
        name=field(form, "name") or "", role=field(form, "role"), organisation_ids=field(form, "organisations") or [],
        active=bool(field(form, "active")),
    )  # fmt: skip
    remember(form, outcome)


def on_reset_link(screen: AdminScreen, user_id: int) -> None:
    remember(f"user:{user_id}", admin_forms.reset_link(screen.store, screen.user, user_id, st.context.url or ""))


def role_title(role: Role) -> str:
    return admin_records.ROLE_TITLES[role]


def users(screen: AdminScreen) -> None:
    st.dataframe(
        admin_records.users_table(screen.data),
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
            "Organisations", list(screen.organisations), format_func=screen.organisations.__getitem__,
            placeholder="The organisations they work in", key=state.admin_field("new_user", "organisations"),
        )  # fmt: skip
        st.caption("You get a one-time link to hand over: with it the person chooses their own password.")
        st.form_submit_button("Add the user", type="primary", on_click=on_add_user, args=(screen,))
        show_outcome("new_user")
    with right, st.container(border=True):
        st.markdown("**Change a user**")
        people = {u.id: u for u in screen.data.users}
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
                "Organisations", list(screen.organisations), default=list(person.organisation_ids),
                format_func=screen.organisations.__getitem__, key=state.admin_field(form, "organisations"),
            )  # fmt: skip
            st.checkbox(
                "Active (may use the app)", value=person.active, key=state.admin_field(form, "active"),
                help="Switch off instead of deleting: the person's assessments and changes keep their name.",
            )  # fmt: skip
            st.caption(f"Email: {literal(person.email)} (fixed: it identifies the person).")
            st.form_submit_button("Save the user", on_click=on_save_user, args=(screen, person.id))
        st.button(
            "Make a password link", key=state.admin_field(form, "reset"), on_click=on_reset_link,
            args=(screen, person.id),
            help="A one-time link for the person to choose a new password: for a new person whose invite "
            "expired, or one who forgot theirs. Saving a change of role, organisations or active ends their "
            "sessions.",
        )  # fmt: skip
        show_outcome(form)
