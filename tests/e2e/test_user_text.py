"""User text as typed, in Chromium: a room, its site, an assessor, a note and a reason made of Markdown
and HTML show as those characters on Overview, Room, Action plan, Assess and Admin, and the page gets
no picture, link or bold type from them (the demo admin looks; the store is planted directly)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from assessments import repository
from assessments.db import Store, open_store
from assessments.demo import DEMO_USERS
from assessments.models import Role, Site
from tests.e2e.conftest import DESKTOP, AppServer, charts_drawn, go_to, no_error_elements, try_as, wait_idle
from ui.text import WORD_JOINER

pytestmark = pytest.mark.e2e

PAYLOAD = "![x](http://127.0.0.1:9/x.png) [click](javascript:alert(1)) <b>bold</b> **strong**"
ADMIN = DEMO_USERS[3]
ROOM = "Year 1 classroom"
TIMEOUT = 90_000


@pytest.fixture
def planted(app_server: AppServer) -> Iterator[dict[str, int]]:
    store: Store = open_store(app_server.database_url, migrate=False)
    try:
        with store.session() as session:
            admin = repository.get_user_by_email(session, ADMIN.email)
            assert admin is not None
            room = next(r for r in repository.list_rooms(session, admin) if r.name == ROOM)
            site = session.get(Site, room.site_id)
            assert site is not None
            repository.update_room(session, admin, room.id, name=PAYLOAD)
            repository.update_site(session, admin, site.id, name="Site " + PAYLOAD)
            assessor = repository.create_user(
                session, admin, name=PAYLOAD, email="payload@example.test", role=Role.staff,
                organisation_ids=[site.organisation_id],
            )  # fmt: skip
            draft = repository.start_assessment(session, assessor, room.id)
            item = "noise.background_level"
            version = repository.save_answer(session, assessor, draft.id, item, 55, draft.version_id)
            version = repository.save_note(session, assessor, draft.id, item, PAYLOAD, version)
            repository.submit(session, assessor, draft.id, version, provisional_reason=PAYLOAD)
            # An action on the room, owned by the assessor, with the payload as its note.
            repository.create_action(
                session,
                admin,
                room.id,
                "noise.background_level",
                owner_id=assessor.id,
                due_on=dt.date.today() + dt.timedelta(days=30),
                note=PAYLOAD,
            )
            yield {"room": room.id, "assessment": draft.id}
    finally:
        store.dispose()


def nothing_made_of_it(page: Page, screen: str) -> None:
    """No picture, link or bold type came from the payload, and it is on the screen as typed."""
    no_error_elements(page)
    assert page.locator('img[src*="127.0.0.1:9"]').count() == 0, screen
    assert page.locator('a[href^="javascript"], a[href*="127.0.0.1:9"]').count() == 0, screen
    made_bold = page.locator("b, strong, svg tspan[style*='bold']", has_text=re.compile(r"^\s*(bold|strong)\s*$"))
    assert made_bold.count() == 0, screen
    # Each part of it is on the screen as typed (a chart breaks a long name onto lines; the invisible
    # word joiners that keep addresses from becoming links are left out, see ui.text).
    page.wait_for_function(
        """parts => {
            const text = document.querySelector('[data-testid="stApp"]').textContent.replaceAll('\\u2060', '');
            return parts.every(part => text.includes(part));
        }""",
        arg=PAYLOAD.split(" "),
        timeout=TIMEOUT,
    )


def open_at(page: Page, server: AppServer, path: str, **params: int) -> None:
    """Open a screen's address with this tab's session (the s= of the address) and parameters."""
    token = parse_qs(urlparse(page.url).query)["s"][0]
    query = "&".join([f"s={token}", *(f"{k}={v}" for k, v in params.items())])
    page.goto(f"{server.url}/{path}?{query}")
    wait_idle(page, TIMEOUT)
    charts_drawn(page, TIMEOUT)


def test_user_text_stays_text_on_every_screen(
    app_server: AppServer, new_page: Callable[..., Page], planted: dict[str, int]
) -> None:
    page = new_page(viewport=DESKTOP)
    page.goto(app_server.url)
    wait_idle(page, TIMEOUT)
    try_as(page, f"{ADMIN.name} (admin)", timeout=TIMEOUT)
    go_to(page, "Overview", timeout=TIMEOUT)
    nothing_made_of_it(page, "Overview")
    open_at(page, app_server, "room", room=planted["room"])
    expect(page.get_by_role("heading", name="Room", level=1)).to_be_visible(timeout=TIMEOUT)
    nothing_made_of_it(page, "Room")
    reason = page.get_by_text("Reason given:", exact=False)
    expect(reason).to_be_visible()
    assert f"Reason given: {PAYLOAD}" in reason.inner_text().replace(WORD_JOINER, "")
    go_to(page, "Action plan", timeout=TIMEOUT)
    nothing_made_of_it(page, "Action plan")
    open_at(page, app_server, "assess", assessment=planted["assessment"])
    expect(page.get_by_role("heading", name="Assess a room", level=1)).to_be_visible(timeout=TIMEOUT)
    nothing_made_of_it(page, "Assess")
    go_to(page, "Admin", timeout=TIMEOUT)
    nothing_made_of_it(page, "Admin")
