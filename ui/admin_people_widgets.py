"""The Admin page's users tab (admins): the people who use the app, a form to invite one, and one to
change a person's role, organisations or access, or to make them a password link."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from assessments import repository
from assessments.models import Role
from ui import admin_forms, admin_records, single_sign_on, state
from ui.admin_screen import AdminScreen, field, remember, reset, show_outcome
from ui.i18n import _
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


def on_allow_domain(screen: AdminScreen) -> None:
    outcome = admin_forms.allow_sign_on_domain(
        screen.store, screen.user, domain=field("sign_on", "domain") or "", role=field("sign_on", "role"),
        organisation_id=field("sign_on", "organisation"),
    )  # fmt: skip
    remember("sign_on", outcome)
    if outcome.ok:
        reset("sign_on", domain="", role=None, organisation=None)


def on_remove_domain(screen: AdminScreen, domain: str) -> None:
    remember("sign_on", admin_forms.remove_sign_on_domain(screen.store, screen.user, domain))


def role_title(role: Role) -> str:
    return _(admin_records.ROLE_TITLES[role])


def users(screen: AdminScreen) -> None:
    st.dataframe(
        admin_records.users_table(screen.data),
        hide_index=True,
        column_config={
            _("Name"): st.column_config.TextColumn(width=140),
            _("Email"): st.column_config.TextColumn(width=250),
            _("Role"): st.column_config.TextColumn(width=100),
            _("Active"): st.column_config.TextColumn(width=70),
        },
    )
    st.caption(
        _(
            "Staff assess rooms; managers also review, see the dashboard and manage sites and rooms; consultants "
            "assess rooms, see the dashboard and make reports in the organisations they are granted; viewers only "
            "look at the dashboards and reports; admins manage everything. Admins see every organisation."
        )
    )
    left, right = st.columns(2)
    with left, st.form("admin_new_user", border=True):
        st.markdown("**{}**".format(_("Invite a user")))
        st.text_input(_("Name"), key=state.admin_field("new_user", "name"), max_chars=200)
        st.text_input(_("Email"), key=state.admin_field("new_user", "email"), placeholder="name@example.org")
        st.selectbox(
            _("Role"), list(Role), format_func=role_title, index=None, placeholder=_("What the person may do"),
            key=state.admin_field("new_user", "role"),
        )  # fmt: skip
        st.multiselect(
            _("Organisations"), list(screen.organisations), format_func=screen.organisations.__getitem__,
            placeholder=_("The organisations they work in"), key=state.admin_field("new_user", "organisations"),
        )  # fmt: skip
        st.caption(_("You get a one-time link to hand over: with it the person chooses their own password."))
        st.form_submit_button(_("Add the user"), type="primary", on_click=on_add_user, args=(screen,))
        show_outcome("new_user")
    with right, st.container(border=True):
        st.markdown("**{}**".format(_("Change a user")))
        people = {u.id: u for u in screen.data.users}
        user_id = st.selectbox(
            _("User to change"), list(people), format_func=lambda i: f"{people[i].name} ({people[i].email})",
            key=state.ADMIN_EDIT_USER,
        )  # fmt: skip
        if user_id is None or user_id not in people:
            return
        person = people[user_id]
        form = f"user:{person.id}"
        with st.form(f"admin_{form}", border=False):
            st.text_input(_("Name"), value=person.name, max_chars=200, key=state.admin_field(form, "name"))
            st.selectbox(
                _("Role"), list(Role), index=list(Role).index(person.role), format_func=role_title,
                key=state.admin_field(form, "role"),
            )  # fmt: skip
            st.multiselect(
                _("Organisations"), list(screen.organisations), default=list(person.organisation_ids),
                format_func=screen.organisations.__getitem__, key=state.admin_field(form, "organisations"),
            )  # fmt: skip
            st.checkbox(
                _("Active (may use the app)"), value=person.active, key=state.admin_field(form, "active"),
                help=_("Switch off instead of deleting: the person's assessments and changes keep their name."),
            )  # fmt: skip
            st.caption(_("Email: {email} (fixed: it identifies the person).").format(email=literal(person.email)))
            st.form_submit_button(_("Save the user"), on_click=on_save_user, args=(screen, person.id))
        st.button(
            _("Make a password link"), key=state.admin_field(form, "reset"), on_click=on_reset_link,
            args=(screen, person.id),
            help=_(
                "A one-time link for the person to choose a new password: for a new person whose invite "
                "expired, or one who forgot theirs. Saving a change of role, organisations or active ends their "
                "sessions."
            ),
        )  # fmt: skip
        show_outcome(form)


def sign_on_domains(screen: AdminScreen) -> None:
    """Which email domains get an account on their first single sign-on, with which role and organisation."""
    st.subheader(_("Single sign-on"), anchor=False)
    providers = single_sign_on.providers()
    if providers:
        names = ", ".join(p.label for p in providers)
        st.caption(
            _(
                "People sign in through {providers} when an account here has the address the provider confirmed. "
                "Anyone else is refused and told to ask you, unless their email domain is allowed below: then "
                "they get an account on their first sign-in, with the role and organisation chosen for the domain."
            ).format(providers=literal(names))
        )
    else:
        st.caption(
            _(
                "Single sign-on is not set up: .streamlit/secrets.toml names no OpenID Connect provider (see the "
                "README). Domains allowed here take effect once it is."
            )
        )
    with screen.store.session() as session:
        allowed = repository.list_sign_on_domains(session, screen.user)
    if allowed:
        st.dataframe(
            pd.DataFrame(
                {
                    _("Email domain"): [d.domain for d in allowed],
                    _("Role"): [role_title(Role(d.role)) for d in allowed],
                    _("Organisation"): [screen.organisations.get(d.organisation_id, "") for d in allowed],
                }
            ),
            hide_index=True,
        )
    left, right = st.columns(2)
    with left, st.form("admin_sign_on", border=True):
        st.markdown("**{}**".format(_("Allow an email domain")))
        st.text_input(
            _("Email domain"), key=state.admin_field("sign_on", "domain"), placeholder="clinic.example.org",
            max_chars=253, help=_("The part of the address after the @."),
        )  # fmt: skip
        st.selectbox(
            _("Role"), list(repository.PROVISION_ROLES), format_func=role_title, index=None,
            placeholder=_("What the domain's people may do"), key=state.admin_field("sign_on", "role"),
        )  # fmt: skip
        st.selectbox(
            _("Organisation"), list(screen.organisations), format_func=screen.organisations.__getitem__, index=None,
            placeholder=_("The organisation they join"), key=state.admin_field("sign_on", "organisation"),
        )  # fmt: skip
        st.form_submit_button(_("Allow the domain"), type="primary", on_click=on_allow_domain, args=(screen,))
        show_outcome("sign_on")
    if allowed:
        with right, st.container(border=True):
            st.markdown("**{}**".format(_("Stop allowing a domain")))
            chosen = st.selectbox(
                _("Domain"), [d.domain for d in allowed], key=state.admin_field("sign_on_remove", "domain")
            )
            if chosen is not None:
                st.button(
                    _("Stop allowing it"), key=state.admin_field("sign_on_remove", "go"), on_click=on_remove_domain,
                    args=(screen, chosen),
                )  # fmt: skip
