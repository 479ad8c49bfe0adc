"""Single sign-on in Chromium against a real OpenID Connect provider on 127.0.0.1.

The provider (oidc-provider-mock) issues real signed identity tokens; on its authorization form the
test types who signs in (the subject). The app is a real installation (demo off) whose
`.streamlit/secrets.toml`, in a temporary folder, points Streamlit's st.login at that provider.
A known, confirmed address signs in and lands on that person's screens; an address no account has is
refused with a sentence saying whom to ask; an address of an allowed domain gets an account with the
role and organisation the admin chose.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from assessments import repository
from assessments.db import DATA_DIR_ENV, Store, open_store
from assessments.models import AuditEvent, Role, User, UserSession
from tests.e2e.conftest import AppServer, free_port, open_navigation, start_app, stop_app, wait_idle
from ui.navigation import SCREENS, SCREENS_BY_ROLE
from ui.text import WORD_JOINER

pytestmark = pytest.mark.e2e

TIMEOUT = 60_000
PASSWORD = "lamp quiet soft corner"
ADMIN = "ada@example.test"
STAFF = "sam@example.test"
STRANGER = "uma@elsewhere.test"
PARTNER = "pat@partner.test"
# Who the provider knows: subject -> claims of the identity token.
PEOPLE = {
    "sam": {"email": STAFF, "email_verified": True, "name": "Sam Staff"},
    "uma": {"email": STRANGER, "email_verified": True, "name": "Uma Unknown"},
    "pat": {"email": PARTNER, "email_verified": True, "name": "Pat Partner"},
    "una": {"email": "una@partner.test", "email_verified": False, "name": "Una Unconfirmed"},
}


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The OpenID Connect provider, its own process listening on 127.0.0.1; yields its address."""
    port = free_port()
    people = [json.dumps({"sub": sub, **claims}) for sub, claims in PEOPLE.items()]
    log = open(tmp_path_factory.mktemp("provider") / "provider.log", "ab")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port),
         *[arg for person in people for arg in ("--user-claims", person)]],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    address = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{address}/.well-known/openid-configuration", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the OpenID Connect provider did not start; see {log.name}") from None
                time.sleep(0.2)  # polling for the port to open, not a wait for a result
        yield address
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, provider: str) -> Iterator[AppServer]:
    folder = tmp_path_factory.mktemp("sso")
    data_dir = folder / "data"
    data_dir.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DATA_DIR_ENV, str(data_dir))
        store = open_store(f"sqlite+pysqlite:///{data_dir / 'sensory-audit.db'}")
        try:
            with store.session() as session:
                admin = repository.create_first_admin(session, name="Ada Admin", email=ADMIN, password=PASSWORD)
                trust = repository.create_organisation(session, admin, "Hillview Trust")
                repository.create_user(
                    session, admin, name="Sam Staff", email=STAFF, role=Role.staff, organisation_ids=[trust.id]
                )
                repository.set_sign_on_domain(
                    session, admin, domain="partner.test", role=Role.viewer, organisation_id=trust.id
                )
        finally:
            store.dispose()
    port = free_port()
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
        "\n[auth.clinic]\n"
        'client_id = "sensory-audit"\n'
        f'client_secret = "{secrets.token_urlsafe(16)}"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    app = start_app(data_dir, {"SENSORY_AUDIT_DEMO": "0", "STREAMLIT_SECRETS_FILES": str(secrets_file)}, port=port)
    try:
        yield app
    finally:
        stop_app(app)


def sign_on_as(page: Page, subject: str, server: AppServer) -> None:
    """Tap "Sign in with Clinic", say at the provider who signs in, and come back to the app."""
    expect(page.get_by_role("heading", name="Sign in to sensory-audit")).to_be_visible(timeout=TIMEOUT)
    page.get_by_role("button", name="Sign in with Clinic").click()
    page.wait_for_url("**/oauth2/authorize**", timeout=TIMEOUT)
    page.locator("input[name=sub]").fill(subject)
    page.get_by_role("button", name="Authorize", exact=True).click()
    page.wait_for_url(f"{server.url}/**", timeout=TIMEOUT)
    wait_idle(page, 90_000)


def refusal(page: Page) -> str:
    """The sign-in screen's refusal as a reader sees it (less the invisible word joiners, see ui.text)."""
    alert = page.locator('[data-testid="stAlertContentError"]')
    expect(alert).to_be_visible(timeout=TIMEOUT)
    return alert.inner_text().replace(WORD_JOINER, "").strip()


def lands_on(page: Page, role: Role) -> None:
    home = SCREENS[SCREENS_BY_ROLE[role][0]][0]
    expect(page.get_by_role("heading", name=home, level=1)).to_be_visible(timeout=TIMEOUT)
    open_navigation(page)
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav.get_by_role("link")).to_have_count(len(SCREENS_BY_ROLE[role]), timeout=TIMEOUT)
    expect(page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out")).to_be_visible()


def test_a_known_confirmed_address_signs_in_with_a_server_side_session(
    page: Page, server: AppServer, store: Store
) -> None:
    sign_on_as(page, "sam", server)
    lands_on(page, Role.staff)
    expect(page.get_by_test_id("stSidebar").get_by_text("Signed in as Sam Staff (staff)")).to_be_visible()
    with store.session() as session:
        sam = session.scalar(select(User).where(User.email == STAFF))
        assert sam is not None
        methods = session.scalars(select(UserSession.method).where(UserSession.user_id == sam.id)).all()
    assert methods == ["sso"]
    address = page.url
    assert "s=" in address
    # Signing out ends the app's session and signs out at the provider too.
    page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/oauth2/end_session**", timeout=TIMEOUT)
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{server.url}/**", timeout=TIMEOUT)
    wait_idle(page, 90_000)
    expect(page.get_by_role("heading", name="Sign in to sensory-audit")).to_be_visible(timeout=TIMEOUT)
    with store.session() as session:
        assert session.scalars(select(UserSession).where(UserSession.user_id == sam.id)).all() == []
    page.goto(address)  # the old address signs nobody in, and the provider's old answer is not taken again
    wait_idle(page, 90_000)
    expect(page.get_by_role("heading", name="Sign in to sensory-audit")).to_be_visible(timeout=TIMEOUT)


def test_an_unknown_address_is_refused_with_whom_to_ask(page: Page, server: AppServer, store: Store) -> None:
    sign_on_as(page, "uma", server)
    expect(page.get_by_role("heading", name="Sign in to sensory-audit")).to_be_visible(timeout=TIMEOUT)
    said = refusal(page)
    assert said == repository.unknown_address(STRANGER)
    assert "Ask the administrator of your organisation" in said
    with store.session() as session:
        assert session.scalar(select(User).where(User.email == STRANGER)) is None


def test_an_unconfirmed_address_of_an_allowed_domain_is_refused(page: Page, server: AppServer, store: Store) -> None:
    sign_on_as(page, "una", server)
    assert "has not confirmed that the address una@partner.test is yours" in refusal(page)
    with store.session() as session:
        assert session.scalar(select(User).where(User.email == "una@partner.test")) is None


def test_an_allowed_domain_gets_an_account_with_the_chosen_role(page: Page, server: AppServer, store: Store) -> None:
    sign_on_as(page, "pat", server)
    lands_on(page, Role.viewer)
    with store.session() as session:
        pat = session.scalar(select(User).where(User.email == PARTNER))
        assert pat is not None
        assert (pat.role, pat.name, pat.password_hash) == (Role.viewer, "Pat Partner", None)
        assert [o.name for o in pat.organisations] == ["Hillview Trust"]
        created = session.scalars(
            select(AuditEvent).where(AuditEvent.entity == "users", AuditEvent.entity_id == pat.id)
        ).all()
    assert [e.action for e in created][:2] == ["create", "sign_in"]
    assert "partner.test" in created[0].new_value["by"]
    # The overview shows the organisation's (empty) portfolio, not a refusal.
    expect(page.locator('[data-testid="stAlertContentError"]')).to_have_count(0)
