"""The manager's dashboard in Chromium, as a person uses it, at 1440x900 and at 1180x820 (tablet, landscape).

Each page renders the demo portfolio with its charts and no error; the Overview's filters change what
it shows; a row of its table opens the room, whose numbers are the engine's; the Compare page shows
the rooms picked. Screenshots go to test-artifacts/screenshots/dashboard-*.png.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from assessments import repository
from assessments.db import open_store
from checklists.loader import default_catalogue
from reports.labels import format_score
from scoring.engine import RoomScore, score_assessment
from tests.e2e.conftest import (
    DESKTOP,
    TABLET_LANDSCAPE,
    AppServer,
    charts_drawn,
    go_to,
    horizontal_overflow,
    no_error_elements,
    screenshot,
    try_as,
    wait_idle,
)
from ui import portfolio_view as view
from ui import state

pytestmark = pytest.mark.e2e

VIEWPORTS = {"desktop": DESKTOP, "tablet": TABLET_LANDSCAPE}
MANAGER = "manager@demo.sensory-audit.test"
# Each page and how many charts it draws on the demo portfolio at least.
PAGES = {"Overview": 2, "Compare rooms": 2, "Room": 4, "Action plan": 1, "Criteria": 0}
FULL_HEIGHT = 3200


@pytest.fixture(params=list(VIEWPORTS))
def manager(request: pytest.FixtureRequest, app_server: AppServer, new_page: Callable[..., Page]) -> tuple[str, Page]:
    """A new browser tab on the app, switched to the demo manager (demo mode starts as staff)."""
    page = new_page(viewport=dict(VIEWPORTS[request.param]))
    page.goto(app_server.url)
    wait_idle(page, 90_000)
    try_as(page, "Morgan Reid (manager)", timeout=90_000)
    return request.param, page


def go(page: Page, name: str) -> None:
    go_to(page, name, 60_000)


def charts_on_screen(page: Page, at_least: int) -> None:
    """At least this many charts, every one of them drawn."""
    if at_least:
        expect(page.locator(".js-plotly-plot").nth(at_least - 1)).to_be_visible(timeout=30_000)
    charts_drawn(page)


def full_screenshot(page: Page, name: str) -> None:
    size = page.viewport_size
    assert size is not None
    screenshot(page, name, full_height=FULL_HEIGHT)
    page.set_viewport_size(size)
    wait_idle(page)


def metric(page: Page, label: str) -> str:
    """The first figure with that label: the screen's own (the Room page's What changed repeats some)."""
    box = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def engine_latest(server: AppServer, label: str) -> RoomScore:
    """The engine's score of the latest assessment of the room the screens label `label` (from the database)."""
    store = open_store(server.database_url, migrate=False)
    try:
        with store.session() as session:
            manager = repository.get_user_by_email(session, MANAGER)
            assert manager is not None
            catalogue = default_catalogue()
            latest = view.build_portfolio(session, manager, catalogue).latest
            assessment_id = int(latest.loc[latest["label"] == label, "assessment_id"].iloc[0])
            return score_assessment(catalogue, repository.scoring_input(session, manager, assessment_id))
    finally:
        store.dispose()


@pytest.mark.parametrize("name", list(PAGES))
def test_each_page_renders_the_demo_portfolio(manager: tuple[str, Page], name: str) -> None:
    viewport, page = manager
    go(page, name)
    charts_on_screen(page, PAGES[name])
    no_error_elements(page)
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    assert horizontal_overflow(page) == 0
    if name in ("Room", "Criteria"):
        # Open an item list (Room) or an item (Criteria, after the grades) for the picture.
        page.locator('[data-testid="stExpander"] summary').nth(0 if name == "Room" else 1).click()
        wait_idle(page)
    full_screenshot(page, f"dashboard-{viewport}-{name.lower().replace(' ', '-')}")


def test_a_filter_changes_what_the_overview_shows(manager: tuple[str, Page]) -> None:
    viewport, page = manager
    go(page, "Overview")
    everything = metric(page, "Rooms assessed")  # "28 of 28" with the demo alone
    assessed, total = (int(n) for n in everything.split(" of "))
    rooms_metric = page.locator('[data-testid="stMetric"]').filter(has_text="Rooms assessed")
    band_d = page.get_by_role("button", name="D · not yet supportive")
    band_d.click()
    expect(rooms_metric).not_to_contain_text(everything, timeout=30_000)
    wait_idle(page)
    shown, of = (int(n) for n in metric(page, "Rooms assessed").split(" of "))
    assert of == total
    assert 0 < shown < assessed
    screenshot(page, f"dashboard-{viewport}-overview-band-d")
    band_d.click()  # back to every band
    expect(rooms_metric).to_contain_text(everything, timeout=30_000)
    wait_idle(page)


def test_a_row_of_the_overview_opens_the_room_with_the_engines_numbers(
    manager: tuple[str, Page], app_server: AppServer
) -> None:
    viewport, page = manager
    go(page, "Overview")
    page.locator('[data-testid="stButtonGroup"]').get_by_text("By site", exact=True).click()
    wait_idle(page)
    # The rooms table, by its key (the re-assessment list below it has a table too).
    table = page.locator(f'.st-key-{state.OVERVIEW_TABLE} [data-testid="stDataFrame"]')
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    assert box is not None
    # The first row of the rooms table (ordered by organisation, site and room): its selection box.
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)
    expect(page.get_by_role("heading", name="Room", level=1, exact=True)).to_be_visible(timeout=60_000)
    wait_idle(page, 60_000)
    assert "room=" in page.url
    picked = page.get_by_role("combobox", name="Room", exact=True)
    expect(picked).to_have_value(re.compile(r"^Boardroom\b"))  # the first room of the first site
    charts_on_screen(page, 4)
    score = engine_latest(app_server, picked.input_value().split("  ·  ")[0])
    assert metric(page, "Overall score") == format_score(score.overall)
    assert metric(page, "Critical failures") == str(len(score.critical_failures))
    expect(page.get_by_test_id("band-chip")).to_have_text(str(score.band))
    screenshot(page, f"dashboard-{viewport}-room-from-overview")
    go(page, "Overview")  # the row picked before is forgotten: the Overview stays
    charts_on_screen(page, 2)
    expect(page.get_by_role("heading", name="Overview", level=1, exact=True)).to_be_visible()


def test_compare_shows_the_rooms_picked(manager: tuple[str, Page]) -> None:
    viewport, page = manager
    go(page, "Compare rooms")
    picker = page.locator('[data-testid="stMultiSelect"]').first
    picker.get_by_role("button", name="Clear all").click()
    wait_idle(page)
    for room in ("Calm room", "Staff kitchen", "Year 3 classroom"):
        picker.locator("input").fill(room)
        page.get_by_role("option").filter(has_text=room).first.click()
        wait_idle(page)
    page.keyboard.press("Escape")
    charts_on_screen(page, 2)
    legend = page.locator(".js-plotly-plot").first.locator(".legendtext")
    expect(legend).to_have_text(["Calm room", "Staff kitchen", "Year 3 classroom"])
    summary = page.locator('[data-testid="stDataFrame"]').first
    for room in ("Calm room", "Staff kitchen", "Year 3 classroom"):
        expect(summary).to_contain_text(room)
    no_error_elements(page)
    full_screenshot(page, f"dashboard-{viewport}-compare-three-rooms")


def test_the_room_page_shows_answers_notes_and_photos(manager: tuple[str, Page]) -> None:
    viewport, page = manager
    go(page, "Room")
    page.get_by_role("combobox", name="Room", exact=True).click()
    page.get_by_role("option").filter(has_text="Second floor open office").first.click()
    expect(page.get_by_role("combobox", name="Room", exact=True)).to_have_value(re.compile(r"^Second floor open"))
    noise = page.locator('[data-testid="stExpander"]').filter(has_text="Noise and acoustics")
    # The room's own note is in its item list: the screen now shows this room, not the one before.
    expect(noise).to_contain_text("Acoustic panels fitted on the long wall", timeout=60_000)
    wait_idle(page)
    noise.locator("summary").click()
    expect(noise.locator("details")).to_have_attribute("open", "")
    wait_idle(page)
    photo = noise.locator('[data-testid="stImage"] img').first
    photo.scroll_into_view_if_needed()  # images load when they come into view
    expect(photo).to_be_visible()
    no_error_elements(page)
    screenshot(page, f"dashboard-{viewport}-room-photos")
