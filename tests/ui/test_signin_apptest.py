"""Signing in through app.py, run by streamlit.testing.v1.AppTest: the sign-in screen, sessions kept in
the address across a reload, sign-out, demo mode, one-time links, and every role against every screen."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from assessments import repository
from assessments.db import Store
from assessments.demo import DEMO_PASSWORD, DEMO_USERS
from assessments.models import AccountLink, Role, User
from assessments.roles import SCREENS_BY_ROLE
from tests.ui.conftest import shown
from ui import state
from ui.navigation import SCREENS
from ui.text import literal

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PASSWORD = "soft light quiet corner"
SIGN_IN_TITLE = "Sign in to sensory-audit"


def admin(store: Store) -> User:
    with store.session() as session:
        found = repository.get_user_by_email(session, DEMO_USERS[3].email)
    assert found is not None
    return found


def account(store: Store, email: str, role: Role, password: str | None = PASSWORD) -> User:
    """A user of the school (organisation 2) with a password, created once per store."""
    with store.session() as session:
        found = repository.get_user_by_email(session, email)
        if found is None:
            found = repository.create_user(session, admin(store), name=email.split("@")[0].title(), email=email,
                                           role=role, organisation_ids=[2])  # fmt: skip
            if password is not None:
                repository.set_password_hash(session, admin(store), found.id, repository.hash_password(password))
    return found


@pytest.fixture
def real(monkeypatch: pytest.MonkeyPatch, demo_store: Store) -> Store:
    """The same store run as a real installation: no demo."""
    monkeypatch.setenv("SENSORY_AUDIT_DEMO", "0")
    return demo_store


def app(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for name, value in query.items():
        at.query_params[name] = value
    return at.run()


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def sign_in(at: AppTest, email: str, password: str) -> AppTest:
    at.text_input[0].input(email)
    at.text_input[1].input(password)
    return next(b for b in at.button if b.label == "Sign in").click().run()


def errors(at: AppTest) -> list[str]:
    return [shown(e.value) for e in at.error]


def token_of(at: AppTest) -> str:
    token = at.session_state[state.SESSION_TOKEN]
    assert isinstance(token, str)
    return token


def test_a_real_installation_opens_on_the_sign_in_screen_without_demo_accounts(real: Store) -> None:
    at = app()
    assert not at.exception
    assert titles(at) == [SIGN_IN_TITLE]
    assert [b.label for b in at.button] == ["Sign in"]  # no one-tap demo accounts
    assert not [i for i in at.info if "demo" in i.value.lower()]
    assert not [s for s in at.selectbox if s.label == "Try as"]
    # The demo accounts' password works only in demo mode.
    at = sign_in(at, DEMO_USERS[3].email, DEMO_PASSWORD)
    assert errors(at) == ["The email address or the password is not right."]


def test_sign_in_survives_a_reload_and_sign_out_ends_it(real: Store) -> None:
    person = account(real, "reload.manager@example.test", Role.manager)
    at = sign_in(app(), person.email, PASSWORD)
    assert not at.exception
    assert titles(at)[0] == "Overview"  # a manager starts on the Overview
    token = token_of(at)
    assert at.query_params[state.TOKEN_PARAM] == token
    # A reload: a new browser session, with only the address.
    again = app(s=token)
    assert titles(again)[0] == "Overview"
    # The name is escaped as Markdown (ui.text.literal): it reads "Signed in as Reload.Manager (manager)".
    assert f"Signed in as {literal(person.name)} (manager)" in [c.value for c in again.sidebar.caption]
    next(b for b in again.sidebar.button if b.label == "Sign out").click().run()
    assert titles(again) == [SIGN_IN_TITLE]
    assert titles(app(s=token)) == [SIGN_IN_TITLE]


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(real: Store) -> None:
    person = account(real, "same.answer@example.test", Role.staff)
    wrong = errors(sign_in(app(), person.email, "not the password at all"))
    unknown = errors(sign_in(app(), "nobody.here@example.test", "not the password at all"))
    assert wrong == unknown == ["The email address or the password is not right."]


def test_a_disabled_user_is_signed_out_on_the_next_action(real: Store) -> None:
    person = account(real, "disabled.staff@example.test", Role.staff)
    at = sign_in(app(), person.email, PASSWORD)
    assert titles(at)[0] == "Assess a room"
    with real.session() as session:
        repository.update_user(session, admin(real), person.id, active=False)
    at.run()
    assert titles(at) == [SIGN_IN_TITLE]
    assert errors(at) == ["Your session has ended. Sign in again."]


def test_an_invite_link_sets_the_password_once_and_an_expired_one_is_refused(real: Store) -> None:
    person = account(real, "invited@example.test", Role.viewer, password=None)
    with real.session() as session:
        token = repository.create_link(session, admin(real), person.id, "invite")
    at = app(link=token)
    assert titles(at) == ["Choose your password"]
    at.text_input[0].input(PASSWORD)
    at.text_input[1].input(PASSWORD)
    at = next(b for b in at.button if b.label == "Set the password and sign in").click().run()
    assert not at.exception
    assert titles(at)[0] == "Overview"  # a viewer starts on the Overview
    used = app(link=token)
    assert errors(used) == ["This link has expired or has been used already. Ask an administrator for a new one."]
    with real.session() as session:
        late = repository.create_link(session, admin(real), person.id, "reset")
        for link in session.scalars(select(AccountLink).where(AccountLink.used_at.is_(None))):
            link.expires_at = link.created_at - dt.timedelta(seconds=1)
        session.commit()
    assert errors(app(link=late)) == errors(used)


def test_demo_mode_starts_as_the_demo_staff_and_lists_the_accounts_after_sign_out(demo_store: Store) -> None:
    at = app()
    assert titles(at)[0] == "Assess a room"
    try_as = next(s for s in at.sidebar.selectbox if s.label == "Try as")
    assert try_as.value.email == DEMO_USERS[0].email
    assert any("Demo mode" in c.value for c in at.sidebar.caption)
    next(b for b in at.sidebar.button if b.label == "Sign out").click().run()
    assert titles(at) == [SIGN_IN_TITLE]
    assert f"`{DEMO_PASSWORD}`" in at.info[0].value
    labels = [b.label for b in at.button]
    assert [f"Sign in as {u.name} ({u.role.value})" for u in DEMO_USERS] == labels[: len(DEMO_USERS)]
    next(b for b in at.button if b.label == "Sign in as Morgan Reid (manager)").click().run()
    assert next(s for s in at.sidebar.selectbox if s.label == "Try as").value.email == DEMO_USERS[1].email
    # The form takes the demo password too.
    at = sign_in(app_signed_out(), DEMO_USERS[3].email, DEMO_PASSWORD)
    assert titles(at)[0] == "Overview"


def app_signed_out() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[state.SIGNED_OUT] = True
    return at.run()


# --- Every role against every screen: what the navigation offers comes from the role table ----------


ROLE_EMAILS = {
    Role.staff: DEMO_USERS[0].email,
    Role.manager: DEMO_USERS[1].email,
    Role.consultant: DEMO_USERS[2].email,
    Role.admin: DEMO_USERS[3].email,
}


def as_role(store: Store, role: Role) -> User:
    if role is Role.viewer:
        return account(store, "viewer@example.test", Role.viewer)
    with store.session() as session:
        found = repository.get_user_by_email(session, ROLE_EMAILS[role])
    assert found is not None
    return found


@pytest.mark.parametrize("role", list(Role))
def test_the_navigation_offers_only_the_screens_of_the_role(demo_store: Store, role: Role) -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[state.USER_ID] = as_role(demo_store, role).id
    at.run()
    home = SCREENS[SCREENS_BY_ROLE[role][0]][0]
    assert titles(at)[0] == home
    refused = [name for name in SCREENS if name not in SCREENS_BY_ROLE[role]]
    for name in refused:
        # Not in the navigation at all: there is no address that opens it.
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"ui/pages/{name}.py")
    allowed = [name for name in SCREENS_BY_ROLE[role] if name not in ("overview", "compare", "room", "action_plan")]
    for name in allowed[-2:]:  # a sample of the allowed ones (the dashboards are covered by test_pages.py)
        at.switch_page(f"ui/pages/{name}.py").run()
        assert not at.exception, (role, name)
        assert titles(at)[0] == SCREENS[name][0], (role, name)
