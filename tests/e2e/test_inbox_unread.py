"""The Inbox entry of the navigation in Chromium, as the demo's staff member (its first visitor) uses
it on a portrait tablet: it names the unread count in words ("Inbox (3 unread)", what a screen
reader says too), follows the reminders that land on opening the inbox, drops the count once all
is read, and shows a new notification on the next run. Screenshots: test-artifacts/screenshots/."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, expect

from assessments import repository
from assessments.db import Store
from assessments.demo import DEMO_USERS
from tests.e2e.conftest import (
    TABLET_PORTRAIT,
    AppServer,
    go_to,
    no_error_elements,
    open_navigation,
    rerun,
    screenshot,
    wait_idle,
)

pytestmark = pytest.mark.e2e

MANAGER, STAFF = DEMO_USERS[1], DEMO_USERS[0]
TIMEOUT = 90_000


def _unread(store: Store, email: str) -> int:
    with store.session() as session:
        user = repository.get_user_by_email(session, email)
        assert user is not None
        return repository.unread_count(session, user)


def _name(title: str) -> re.Pattern[str]:
    """The link's whole accessible name (its icon is hidden from screen readers)."""
    return re.compile(rf"^{re.escape(title)}$")


def _inbox_link(page: Page) -> Locator:
    return page.get_by_test_id("stSidebarNav").get_by_role("link", name=re.compile(r"^Inbox"))


def test_the_inbox_entry_names_the_unread_count_and_follows_reading(
    app_server: AppServer, new_page: Callable[..., Page], store: Store
) -> None:
    page = new_page(viewport=dict(TABLET_PORTRAIT))
    page.goto(app_server.url)
    wait_idle(page, TIMEOUT)
    open_navigation(page)
    before = _unread(store, STAFF.email)
    assert before > 0, "the demo leaves the staff member something unread"
    expect(_inbox_link(page)).to_have_accessible_name(_name(f"Inbox ({before} unread)"))
    expect(_inbox_link(page).get_by_text(f"Inbox ({before} unread)", exact=True)).to_be_visible()

    # Opening the inbox can add reminders; the entry follows what the inbox then holds.
    go_to(page, "Inbox", timeout=TIMEOUT)
    open_navigation(page)
    now = _unread(store, STAFF.email)
    assert now >= before
    expect(_inbox_link(page)).to_have_accessible_name(_name(f"Inbox ({now} unread)"), timeout=TIMEOUT)
    expect(page.get_by_text(f"{now} unread of ", exact=False)).to_be_visible()
    screenshot(page, "inbox-unread")

    with rerun(page, TIMEOUT):
        page.get_by_role("button", name="Mark all as read").click()
    expect(_inbox_link(page)).to_have_accessible_name(_name("Inbox"), timeout=TIMEOUT)
    assert _unread(store, STAFF.email) == 0
    no_error_elements(page)

    # A manager plans an action for them: the next run counts it.
    with store.session() as session:
        manager = repository.get_user_by_email(session, MANAGER.email)
        staff = repository.get_user_by_email(session, STAFF.email)
        assert manager is not None
        assert staff is not None
        planned = {(a.room_id, a.item_id) for a in repository.list_actions(session, manager)}
        room = next(r for r in repository.list_rooms(session, manager))
        latest = repository.list_assessments(session, manager, room.id)[-1]
        item = next(i for i in sorted(repository.assessment_answers(session, manager, latest.id))
                    if (room.id, i) not in planned)  # fmt: skip
        repository.create_action(session, manager, room.id, item, owner_id=staff.id, due_on=dt.date(2027, 6, 1))
    page.reload()
    wait_idle(page, TIMEOUT)
    open_navigation(page)
    expect(_inbox_link(page)).to_have_accessible_name(_name("Inbox (1 unread)"), timeout=TIMEOUT)
    screenshot(page, "inbox-unread-new")
    no_error_elements(page)
