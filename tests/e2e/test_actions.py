"""Actions in Chromium: a manager plans a fix from the Action plan for the demo staff member, who sees it
in their inbox; a new submitted assessment of the room scores the item at full marks and the action
is verified, in the inbox and on the Action plan. Screenshots at 820x1180 and 1440x900 go to
test-artifacts/screenshots/actions-*.png.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from assessments import repository
from assessments.db import Store
from assessments.demo import DEMO_USERS
from checklists.loader import default_catalogue
from checklists.responses import AnswerError, parse_answer
from checklists.schema import ResolvedItem
from scoring.items import score_answer
from tests.e2e.conftest import (
    DESKTOP,
    TABLET_PORTRAIT,
    AppServer,
    go_to,
    no_error_elements,
    rerun,
    screenshot,
    try_as,
    wait_idle,
)

pytestmark = pytest.mark.e2e

MANAGER, STAFF = DEMO_USERS[1], DEMO_USERS[0]
TIMEOUT = 90_000


def full_marks(resolved: ResolvedItem) -> object:
    """An answer the engine scores 1 for this item (the fix made)."""
    item = resolved.item
    candidates: list[object] = ["yes", "no", *(o.value for o in item.options or ()), 4, 0]
    if resolved.target is not None:
        low, high = resolved.target.ideal
        candidates.insert(0, (low + high) / 2 if low is not None and high is not None else (low or high or 0))
    candidates.append({"percent": 0, "frequency_hz": 3000})
    for raw in candidates:
        try:
            if score_answer(resolved, parse_answer(resolved, raw)) == 1.0:
                return raw
        except (AnswerError, TypeError, ValueError):
            continue
    raise AssertionError(f"no full-marks answer found for {item.id}")


def both_sizes(page: Page, name: str) -> None:
    for label, size in (("tablet", TABLET_PORTRAIT), ("desktop", DESKTOP)):
        page.set_viewport_size(dict(size))
        wait_idle(page)
        path = screenshot(page, f"actions-{label}-{name}")
        page.screenshot(path=f"/tmp/shots-actions/{path.name}")


def test_a_planned_fix_reaches_its_owner_and_a_new_assessment_verifies_it(
    app_server: AppServer, store: Store, new_context: Callable[..., BrowserContext]
) -> None:
    manager = new_context(viewport=dict(DESKTOP)).new_page()
    manager.goto(app_server.url)
    wait_idle(manager, TIMEOUT)
    try_as(manager, f"{MANAGER.name} (manager)", timeout=TIMEOUT)
    go_to(manager, "Action plan", timeout=TIMEOUT)
    expect(manager.get_by_role("heading", name="Planned actions")).to_be_visible()
    fix = manager.get_by_role("combobox", name="Fix", exact=True)
    planned_label = fix.input_value()
    assert planned_label.startswith("#1 ")
    owner = manager.get_by_role("combobox", name="Owner", exact=True).first
    owner.scroll_into_view_if_needed()
    owner.click()
    owner.fill(STAFF.name)
    with rerun(manager, TIMEOUT):
        manager.get_by_role("option", name=f"{STAFF.name} (staff)", exact=True).click()
    with rerun(manager, TIMEOUT):
        manager.get_by_role("button", name="Plan this action").click()
    expect(manager.get_by_text(re.compile(r"^Planned: #1 .* owned by Sam Patel, due "))).to_be_visible()
    no_error_elements(manager)
    both_sizes(manager, "plan")

    with store.session() as session:
        sam = repository.get_user_by_email(session, STAFF.email)
        assert sam is not None
        action = max(repository.list_actions(session, sam, owner_id=sam.id), key=lambda a: a.id)
    assert (action.status, action.owner_name) == ("open", STAFF.name)
    assert planned_label.startswith(f"#1 {action.room_name} · {action.question}")

    # The staff member (the demo's first visitor) finds it in the inbox.
    staff = new_context(viewport=dict(TABLET_PORTRAIT)).new_page()
    staff.goto(app_server.url)
    wait_idle(staff, TIMEOUT)
    go_to(staff, "Inbox", timeout=TIMEOUT)
    assigned = f"Action for you: {action.question} in {action.room_name} ({action.site_name})"
    expect(staff.get_by_text(assigned, exact=True)).to_be_visible()
    mine = staff.get_by_text(action.question, exact=True).first
    expect(mine).to_be_visible()
    no_error_elements(staff)
    both_sizes(staff, "inbox-assigned")

    # A new assessment of the room, submitted, scores the item at full marks.
    with store.session() as session:
        sam = repository.get_user_by_email(session, STAFF.email)
        room = repository.get_room(session, sam, action.room_id)
        site = repository.get_site(session, sam, room.site_id)
        resolved = default_catalogue().checklist(site.setting, room.room_type).by_id()[action.item_id]
        visit = repository.start_assessment(session, sam, room.id)
        version = repository.save_answer(session, sam, visit.id, action.item_id, full_marks(resolved), visit.version_id)
        repository.submit(session, sam, visit.id, version, provisional_reason="Checking the fix only")
        assert repository.get_action(session, sam, action.id).status == "verified"

    staff.reload()
    wait_idle(staff, TIMEOUT)
    verified = f"Verified: {action.question} in {action.room_name} ({action.site_name})"
    expect(staff.get_by_text(verified, exact=True)).to_be_visible(timeout=TIMEOUT)
    expect(staff.get_by_text("Verified by the assessment of").first).to_be_visible()
    no_error_elements(staff)
    both_sizes(staff, "inbox-verified")

    go_to(manager, "Room", timeout=TIMEOUT)
    picker = manager.get_by_role("combobox", name="Room", exact=True)
    picker.click()
    picker.fill(action.room_name)
    with rerun(manager, TIMEOUT):
        manager.get_by_role("option").filter(has_text=action.room_name).first.click()
    wait_idle(manager, TIMEOUT)
    room_actions = manager.get_by_role("heading", name="Actions", exact=True)
    room_actions.scroll_into_view_if_needed()
    expect(manager.get_by_text(re.compile(r"verified by a later assessment"))).to_be_visible(timeout=TIMEOUT)
    no_error_elements(manager)
    both_sizes(manager, "room-verified")
