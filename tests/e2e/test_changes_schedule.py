"""What changed and the re-assessment schedule in Chromium, as a manager uses them, on a portrait tablet
(820x1180) and a desktop (1440x900).

On the Room page the manager opens "What changed" (the latest against the one before), picks two
other assessments and reads the rows, then downloads them as CSV; on the Overview they read the
rooms due and download the calendar file, read back with the same iCalendar library; on the Admin
screen they set a room type's interval. Screenshots go to test-artifacts/screenshots/changes-*.png.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import icalendar
import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy.orm import Session

from assessments import repository
from assessments.db import open_store
from assessments.models import User
from assessments.schedule import DueState, RoomDue
from checklists.loader import default_catalogue
from reports.changes import Compared, change_rows, compare_stored, default_pair, format_delta
from reports.labels import format_date, format_score
from tests.e2e.conftest import (
    DESKTOP,
    TABLET_PORTRAIT,
    AppServer,
    go_to,
    horizontal_overflow,
    no_error_elements,
    rerun,
    screenshot,
    try_as,
    wait_idle,
)

pytestmark = pytest.mark.e2e

VIEWPORTS = {"portrait": TABLET_PORTRAIT, "desktop": DESKTOP}
MANAGER = "manager@demo.sensory-audit.test"
TIMEOUT = 60_000


@pytest.fixture(params=list(VIEWPORTS))
def manager(request: pytest.FixtureRequest, app_server: AppServer, new_page: Callable[..., Page]) -> tuple[str, Page]:
    page = new_page(viewport=dict(VIEWPORTS[request.param]), accept_downloads=True)
    page.goto(app_server.url)
    wait_idle(page, 90_000)
    try_as(page, "Morgan Reid (manager)", timeout=90_000)
    return request.param, page


@contextmanager
def the_store(server: AppServer) -> Iterator[tuple[Session, User]]:
    store = open_store(server.database_url, migrate=False)
    try:
        with store.session() as session:
            manager = repository.get_user_by_email(session, MANAGER)
            assert manager is not None
            yield session, manager
    finally:
        store.dispose()


def most_assessed_room(server: AppServer) -> tuple[int, str, list[tuple[int, dt.date, str]]]:
    """The room with the most assessments: its id, name and history (id, date, status)."""
    with the_store(server) as (session, manager):
        best: tuple[int, str, list[tuple[int, dt.date, str]]] = (0, "", [])
        for room in repository.list_rooms(session, manager):
            history = [
                (a.id, a.assessed_on, a.status.value) for a in repository.list_assessments(session, manager, room.id)
            ]
            if len(history) > len(best[2]):
                best = (room.id, room.name, history)
    return best


def compared(server: AppServer, before: int, after: int) -> Compared:
    with the_store(server) as (session, manager):
        return compare_stored(session, manager, default_catalogue(), before, after)


def option_name(history: list[tuple[int, dt.date, str]], assessment_id: int, assessor: str) -> str:
    day, status = next((d, s) for a, d, s in history if a == assessment_id)
    return f"{format_date(day)} · {status} · {assessor}"


def assessor_of(server: AppServer, assessment_id: int) -> str:
    with the_store(server) as (session, manager):
        return repository.get_assessment(session, manager, assessment_id).assessor


def pick(page: Page, label: str, option: str) -> None:
    box = page.get_by_role("combobox", name=label, exact=True)
    box.scroll_into_view_if_needed()
    box.click()
    with rerun(page, TIMEOUT):
        page.get_by_role("option", name=option, exact=True).click()
    expect(box).to_have_value(option)


def section(page: Page, heading: str) -> Locator:
    title = page.get_by_role("heading", name=heading, level=3, exact=True)
    expect(title).to_be_visible(timeout=TIMEOUT)
    title.scroll_into_view_if_needed()
    return title


def shoot(page: Page, name: str, at: Locator) -> None:
    """A screenshot with `at` at the top of the view (Streamlit scrolls inside its own container)."""
    at.evaluate("el => el.scrollIntoView({block: 'start'})")
    wait_idle(page)
    screenshot(page, name)


def test_the_room_page_shows_what_changed_between_two_chosen_assessments(
    manager: tuple[str, Page], app_server: AppServer, tmp_path: Path
) -> None:
    viewport, page = manager
    _, room_name, history = most_assessed_room(app_server)
    assert len(history) >= 3
    go_to(page, "Room", TIMEOUT)
    box = page.get_by_role("combobox", name="Room", exact=True)
    box.click()
    page.keyboard.type(room_name)
    with rerun(page, TIMEOUT):
        page.get_by_role("option").filter(has_text=room_name).first.click()
    expect(box).to_have_value(re.compile(rf"^{re.escape(room_name)}\b"))
    heading = section(page, "What changed")

    # By default: the latest finished assessment against the one before.
    pair = default_pair(history)
    assert pair is not None
    names = {a: option_name(history, a, assessor_of(app_server, a)) for a, _, _ in history}
    expect(page.get_by_role("combobox", name="From assessment", exact=True)).to_have_value(names[pair[0]])
    expect(page.get_by_role("combobox", name="To assessment", exact=True)).to_have_value(names[pair[1]])
    first = compared(app_server, *pair)
    overall = page.locator('[data-testid="stMetric"]').filter(has_text="Overall score").last
    expect(overall.locator('[data-testid="stMetricValue"]')).to_have_text(format_score(first.changes.overall.after))
    shoot(page, f"changes-{viewport}-room-default", heading)

    # Two other assessments: the first two the room ever had.
    chosen = sorted(history, key=lambda h: (h[1], h[0]))[:2]
    assert (chosen[0][0], chosen[1][0]) != pair
    pick(page, "From assessment", names[chosen[0][0]])
    pick(page, "To assessment", names[chosen[1][0]])
    result = compared(app_server, chosen[0][0], chosen[1][0])
    caption = page.locator('[data-testid="stCaptionContainer"]').filter(has_text=result.title)
    expect(caption).to_be_visible(timeout=TIMEOUT)
    rows = change_rows(default_catalogue(), result.changes, only_moved=True)
    # The section's tables follow its heading: the items that changed (when any), then the scores.
    tables = page.locator('[data-testid="stDataFrame"]')
    table, scores = tables.nth(0), tables.nth(1 if rows else 0)
    if rows:
        for row in rows[:6]:  # the rows in view without scrolling inside the table
            expect(table).to_contain_text(row.item)
            expect(table).to_contain_text(row.change_text)
    expect(scores).to_contain_text("Overall score")
    expect(scores).to_contain_text(format_delta(result.changes.overall.delta))
    expect(overall.locator('[data-testid="stMetricValue"]')).to_have_text(format_score(result.changes.overall.after))
    no_error_elements(page)
    assert horizontal_overflow(page) == 0
    shoot(page, f"changes-{viewport}-room-chosen", heading)

    # The same table as CSV, every item with the engine's scores of both assessments.
    with page.expect_download(timeout=TIMEOUT) as started:
        page.get_by_role("button", name="Download the changes (CSV)").click()
    saved = tmp_path / started.value.suggested_filename
    started.value.save_as(saved)
    exported = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8"))))
    every = change_rows(default_catalogue(), result.changes)
    assert [r["item_id"] for r in exported] == [r.item_id for r in every]
    assert [r["change"] for r in exported] == [r.change_text for r in every]
    assert [float(r["score_after"]) if r["score_after"] else None for r in exported] == [r.score_after for r in every]


def schedule(server: AppServer) -> list[RoomDue]:
    with the_store(server) as (session, manager):
        return repository.room_schedule(session, manager, today=dt.date.today())


def test_the_overview_lists_rooms_due_and_hands_out_their_calendar(
    manager: tuple[str, Page], app_server: AppServer, tmp_path: Path
) -> None:
    viewport, page = manager
    expected = schedule(app_server)
    due = [r for r in expected if r.state is not DueState.later]
    assert due
    go_to(page, "Overview", TIMEOUT)
    heading = section(page, "Due for re-assessment")
    table = page.locator('[data-testid="stDataFrame"]').last  # the schedule closes the Overview
    for room in due[:5]:
        expect(table).to_contain_text(room.room_name)
        expect(table).to_contain_text(format_date(room.due_on))
    shoot(page, f"changes-{viewport}-overview-due", heading)
    with page.expect_download(timeout=TIMEOUT) as started:
        page.get_by_role("button", name="Download the calendar (.ics)").click()
    saved = tmp_path / started.value.suggested_filename
    started.value.save_as(saved)
    assert saved.suffix == ".ics"
    calendar = icalendar.Calendar.from_ical(saved.read_bytes())
    events = {str(e.get("summary")): e.decoded("dtstart") for e in calendar.walk("VEVENT")}
    assert events == {f"Re-assess {r.room_name} ({r.site_name})": r.due_on for r in expected}
    no_error_elements(page)
    assert horizontal_overflow(page) == 0


def test_a_manager_sets_how_often_classrooms_are_reassessed(manager: tuple[str, Page], app_server: AppServer) -> None:
    viewport, page = manager
    go_to(page, "Admin", TIMEOUT)
    tab = page.get_by_role("tab", name="Re-assessment", exact=True)
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    heading = section(page, "Re-assessment intervals")
    with the_store(app_server) as (session, manager_user):
        school = next(o for o in repository.list_organisations(session, manager_user) if "School" in o.name)
    pick(page, "Organisation", school.name)
    pick(page, "Room type", "Classroom (School)")
    months = page.get_by_role("spinbutton", name="Months", exact=True)
    months.fill("6")
    months.press("Enter")
    wait_idle(page)
    with rerun(page, TIMEOUT):
        page.get_by_role("button", name="Save interval").click()
    expect(page.get_by_text("Saved: a classroom is due 6 months after its last assessment.")).to_be_visible(
        timeout=TIMEOUT
    )
    table = page.locator('[data-testid="stDataFrame"]').filter(visible=True).first  # the tab shown
    expect(table).to_contain_text("here")
    no_error_elements(page)
    shoot(page, f"changes-{viewport}-admin-intervals", heading)
    with the_store(app_server) as (session, manager_user):
        assert repository.list_intervals(session, manager_user, school.id) == {("school", "classroom"): 6}
