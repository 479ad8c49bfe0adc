"""The Admin screen's single sign-on field: an admin allows an email domain with a role and an
organisation (kept in the store, with an audit entry), sees it listed, and stops allowing it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from assessments import repository
from assessments.db import Store
from assessments.demo import CLINIC, DEMO_USERS
from assessments.models import AuditEvent, Role
from tests.ui.conftest import shown
from ui import state

APP = str(Path(__file__).resolve().parents[2] / "app.py")
ADMIN = DEMO_USERS[3].email


def admin_screen(store: Store) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    with store.session() as session:
        admin = repository.get_user_by_email(session, ADMIN)
        assert admin is not None
        at.session_state[state.USER_ID] = admin.id
    at.run()
    at.switch_page("ui/pages/admin.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_an_admin_allows_a_domain_with_a_role_and_an_organisation_then_stops(demo_store: Store) -> None:
    at = admin_screen(demo_store)
    assert "Single sign-on" in [h.value for h in at.subheader]
    assert any("Single sign-on is not set up" in c.value for c in at.caption)
    with demo_store.session() as session:
        admin = repository.get_user_by_email(session, ADMIN)
        clinic = next(o for o in repository.list_organisations(session, admin) if o.name == CLINIC)
    at.text_input(key=state.admin_field("sign_on", "domain")).input("@Partner.Example")
    at.selectbox(key=state.admin_field("sign_on", "role")).set_value(Role.viewer)
    at.selectbox(key=state.admin_field("sign_on", "organisation")).set_value(clinic.id)
    next(b for b in at.button if b.label == "Allow the domain").click().run()
    assert not at.exception
    assert [shown(s.value) for s in at.success] == [
        "People with an address at partner.example now get an account on their first single sign-on, as viewer."
    ]
    with demo_store.session() as session:
        [allowed] = repository.list_sign_on_domains(session, admin)
        assert (allowed.domain, allowed.role, allowed.organisation_id) == ("partner.example", "viewer", clinic.id)
        entry = session.scalar(select(AuditEvent).where(AuditEvent.action == "allow_sign_on_domain"))
        assert entry is not None
        assert entry.actor == ADMIN
    listed = next(t.value for t in at.dataframe if "Email domain" in t.value.columns)
    assert listed.to_dict("records") == [{"Email domain": "partner.example", "Role": "Viewer", "Organisation": CLINIC}]

    # A domain that is not one is refused, naming the field, and nothing is kept.
    at.text_input(key=state.admin_field("sign_on", "domain")).input("not a domain")
    at.selectbox(key=state.admin_field("sign_on", "role")).set_value(Role.staff)
    at.selectbox(key=state.admin_field("sign_on", "organisation")).set_value(clinic.id)
    next(b for b in at.button if b.label == "Allow the domain").click().run()
    assert shown(at.error[0].value).startswith("Email domain: 'not a domain' is not an email domain")

    next(b for b in at.button if b.label == "Stop allowing it").click().run()
    assert not at.exception
    with demo_store.session() as session:
        assert repository.list_sign_on_domains(session, admin) == []
