"""Signing in, in Chromium, on a real installation (demo off): wrong passwords, the growing wait and the
lock, unlocking after the lock time, a reload keeping the session, sign-out ending it, a disabled user
signed out on their next action, and an expired invite link refused.

The server has its own data folder and a lock time of a few seconds (SENSORY_AUDIT_LOCK_MINUTES).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from assessments import repository
from assessments.db import DATA_DIR_ENV, Store, open_store
from assessments.models import AccountLink, Organisation, Role
from tests.e2e.conftest import AppServer, open_navigation, rerun, start_app, stop_app, wait_idle

pytestmark = pytest.mark.e2e

LOCK_SECONDS = 6
PASSWORD = "lamp quiet soft corner"
ADMIN = "ada@example.test"
STAFF = "sam@example.test"
TIMEOUT = 60_000


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    data_dir = tmp_path_factory.mktemp("signin") / "data"
    data_dir.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DATA_DIR_ENV, str(data_dir))
        store = open_store(f"sqlite+pysqlite:///{data_dir / 'sensory-audit.db'}")
        try:
            with store.session() as session:
                admin = repository.create_first_admin(session, name="Ada Admin", email=ADMIN, password=PASSWORD)
                school = repository.create_organisation(session, admin, "Hillview Trust")
                staff = repository.create_user(
                    session, admin, name="Sam Staff", email=STAFF, role=Role.staff, organisation_ids=[school.id]
                )
                repository.set_password_hash(session, admin, staff.id, repository.hash_password(PASSWORD))
        finally:
            store.dispose()
    env = {"SENSORY_AUDIT_DEMO": "0", "SENSORY_AUDIT_LOCK_MINUTES": str(LOCK_SECONDS / 60)}
    app = start_app(data_dir, env)
    try:
        yield app
    finally:
        stop_app(app)


def submit(page: Page, email: str, password: str) -> None:
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    # The run the tap causes, to its end, and the page drawn after it: what the page shows then is
    # this attempt's answer, not the one before (which reads the same but for its figure).
    with rerun(page, TIMEOUT):
        page.get_by_role("button", name="Sign in", exact=True).click()


def refusal(page: Page) -> str:
    alert = page.locator('[data-testid="stAlertContentError"]').last
    alert.wait_for(timeout=TIMEOUT)
    return alert.inner_text()


def signed_in(page: Page, home: str) -> None:
    expect(page.get_by_role("heading", name=home).first).to_be_visible(timeout=TIMEOUT)
    open_navigation(page)
    expect(page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out")).to_be_visible()


def test_wrong_passwords_wait_longer_then_lock_and_unlock_after_the_lock_time(page: Page, store: Store) -> None:
    expect(page.get_by_role("heading", name="Sign in to sensory-audit")).to_be_visible(timeout=TIMEOUT)
    assert page.get_by_text("demo", exact=False).count() == 0
    waits = []
    for _ in range(12):
        submit(page, STAFF, "not the password")
        message = refusal(page)
        if "locked" in message:
            break
        found = re.search(r"Wait (\d+) seconds", message)
        assert message.startswith("The email address or the password is not right.")
        if found:
            waits.append(int(found.group(1)))
            # (That the right password is not heard during the wait is tested in the store's tests: here
            # a round trip of the browser may outlast a wait of one second.)
            page.wait_for_timeout(int(found.group(1)) * 1000 + 200)  # time has to pass: that is the test
    # The wait doubles with each counted failure; an attempt that a busy machine makes before a wait
    # is over is not counted and is told the rest of that wait.
    # A repeated figure is the rest of a wait not yet over (told again, not counted).
    counted = [w for n, w in enumerate(waits) if n == 0 or w > waits[n - 1]]
    # On a busy machine the screen may still show the last refusal when it is read, so a step can
    # be missed here; the exact doubling, failure by failure, is checked in the store's tests
    # (tests/assessments/test_store_accounts.py). What the person sees: waits that start at one
    # second, only grow, by doubling, up to four seconds before the lock.
    assert counted[0] == 1
    assert counted[-1] == 4
    assert set(counted) <= {1, 2, 4}
    assert set(waits[3:]) <= {1, 2, 3, 4}
    assert "locked" in refusal(page)
    submit(page, STAFF, PASSWORD)
    assert "locked" in refusal(page)
    with store.session() as session:
        events = repository.list_audit_events(session, repository.command_line_user(session), entity="users")
    assert "sign_in_locked" in [e.action for e in events]
    page.wait_for_timeout(LOCK_SECONDS * 1000 + 200)  # the lock time passing is what is tested
    submit(page, STAFF, PASSWORD)
    signed_in(page, "Assess a room")


def test_a_reload_keeps_the_session_and_sign_out_ends_it(page: Page) -> None:
    submit(page, ADMIN, PASSWORD)
    signed_in(page, "Overview")
    address = page.url
    assert "s=" in address
    page.reload()
    wait_idle(page)
    signed_in(page, "Overview")
    open_navigation(page)
    page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Sign in to sensory-audit")).to_be_visible(timeout=TIMEOUT)
    page.goto(address)  # the old address no longer signs anyone in
    wait_idle(page)
    expect(page.get_by_role("heading", name="Sign in to sensory-audit")).to_be_visible(timeout=TIMEOUT)


def test_a_disabled_user_is_signed_out_on_the_next_action(page: Page, store: Store) -> None:
    with store.session() as session:
        admin = repository.get_user_by_email(session, ADMIN)
        assert admin is not None
        org = session.scalar(select(Organisation.id))
        assert org is not None
        person = repository.create_user(
            session, admin, name="Dee Disabled", email="dee@example.test", role=Role.manager, organisation_ids=[org]
        )
        repository.set_password_hash(session, admin, person.id, repository.hash_password(PASSWORD))
    submit(page, "dee@example.test", PASSWORD)
    signed_in(page, "Overview")
    with store.session() as session:
        repository.update_user(session, admin, person.id, active=False)
    open_navigation(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Criteria").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Sign in to sensory-audit")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("Your session has ended. Sign in again.")).to_be_visible()


def test_an_invite_link_works_once_and_an_expired_one_is_refused(page: Page, server: AppServer, store: Store) -> None:
    with store.session() as session:
        admin = repository.get_user_by_email(session, ADMIN)
        assert admin is not None
        person = repository.create_user(session, admin, name="Ivy Invited", email="ivy@example.test", role=Role.viewer)
        token = repository.create_link(session, admin, person.id, "invite")
    page.goto(f"{server.url}/?link={token}")
    wait_idle(page)
    page.get_by_label("New password").fill(PASSWORD)
    page.get_by_label("The same password again").fill(PASSWORD)
    page.get_by_role("button", name="Set the password and sign in").click()
    wait_idle(page)
    signed_in(page, "Overview")

    with store.session() as session:
        late = repository.create_link(session, admin, person.id, "reset")
        for link in session.scalars(select(AccountLink).where(AccountLink.used_at.is_(None))):
            link.expires_at = link.created_at - dt.timedelta(seconds=1)
        session.commit()
    for used in (token, late):
        page.goto(f"{server.url}/?link={used}")
        wait_idle(page)
        expect(page.get_by_text("This link has expired or has been used already.")).to_be_visible(timeout=TIMEOUT)
