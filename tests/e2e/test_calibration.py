"""The Calibration screen in Chromium, on the demo round, at 1440x900 and at 1180x820 (tablet, landscape).

The consultant opens Calibration, sees the demo round's figures (the same as the agreement module
gives for it) and the items to clarify, and the Criteria screen marks those items. Screenshots go
to test-artifacts/screenshots/calibration-*.png.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import nullcontext

import pytest
from playwright.sync_api import Browser, Page, expect

from assessments import repository
from assessments.db import open_store
from assessments.demo import CALIBRATION_ROUND
from reports.calibration import CalibrationSection, collect_calibration
from tests.e2e.conftest import _COUNT_MESSAGES as COUNT_MESSAGES
from tests.e2e.conftest import (
    DESKTOP,
    TABLET_LANDSCAPE,
    AppServer,
    go_to,
    horizontal_overflow,
    no_error_elements,
    prepare_store,
    rerun,
    screenshot,
    start_app,
    stop_app,
    try_as,
    wait_idle,
    watch_runs,
)

pytestmark = pytest.mark.e2e

VIEWPORTS = {"desktop": DESKTOP, "tablet": TABLET_LANDSCAPE}
CONSULTANT = "consultant@demo.sensory-audit.test"


@pytest.fixture(scope="module")
def demo_round(app_server: AppServer) -> CalibrationSection:
    store = open_store(app_server.database_url, migrate=False)
    try:
        with store.session() as session:
            user = repository.get_user_by_email(session, CONSULTANT)
            assert user is not None
            (summary,) = repository.list_calibration_rounds(session, user)
            assert summary.name == CALIBRATION_ROUND
            return collect_calibration(session, user, summary.id)
    finally:
        store.dispose()


@pytest.fixture(scope="module", params=list(VIEWPORTS))
def consultant(request: pytest.FixtureRequest, app_server: AppServer, browser: Browser) -> Iterator[tuple[str, Page]]:
    size = VIEWPORTS[request.param]
    context = browser.new_context(viewport={"width": size["width"], "height": size["height"]})
    context.add_init_script(COUNT_MESSAGES)
    context.on("page", watch_runs)
    page = context.new_page()
    page.goto(app_server.url)
    wait_idle(page, 90_000)
    try_as(page, "Chris Okafor (consultant)", timeout=90_000)
    try:
        yield request.param, page
    finally:
        context.close()


def test_the_calibration_screen_shows_the_demo_round(
    consultant: tuple[str, Page], demo_round: CalibrationSection
) -> None:
    name, page = consultant
    go_to(page, "Calibration")
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text("Items to clarify")).to_be_visible(timeout=60_000)
    wait_idle(page, 60_000)
    no_error_elements(page)
    agreement = demo_round.agreement
    assert agreement.units == 6
    assert agreement.overall.icc is not None
    exact = agreement.overall_exact
    assert exact is not None
    metrics = main.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert metrics == ["6", "2", f"{100 * exact:.0f} %", f"{agreement.overall.icc:.2f}"]
    poor_ids = [p.agreement.item_id for p in agreement.poor]
    assert "textures.visual_clutter" in poor_ids
    assert "lighting.glare" in poor_ids
    titles = main.locator('[data-testid="stExpander"] summary').all_inner_texts()
    # Each title is the expander's icon name, then the item id, method, figure and cost.
    assert [t.strip().split("\n")[-1].split(" · ")[0] for t in titles] == poor_ids
    assert horizontal_overflow(page) == 0
    screenshot(page, f"calibration-{name}")
    screenshot(page, f"calibration-{name}-full", full_height=3000)


def test_the_criteria_screen_marks_items_assessors_disagree_on(
    consultant: tuple[str, Page], demo_round: CalibrationSection
) -> None:
    _, page = consultant
    go_to(page, "Criteria")
    main = page.locator('[data-testid="stMain"]')
    wait_idle(page, 60_000)
    marked = main.locator('[data-testid="stExpander"] summary', has_text="assessors disagree")
    expect(marked.first).to_be_visible(timeout=30_000)
    texts = marked.all_inner_texts()
    assert len(texts) == len(demo_round.agreement.poor)
    assert any("textures.visual_clutter" in t for t in texts)


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """A server of its own: the test below adds a round, which the demo round's tests must not see."""
    data_dir = tmp_path_factory.mktemp("calibration-app") / "data"
    data_dir.mkdir()
    prepare_store(data_dir)
    server = start_app(data_dir)
    try:
        yield server
    finally:
        stop_app(server)


def _pick(page: Page, label: str, option: str) -> None:
    """Pick an option as a keyboard user does: type its name, then Enter on the one option left (a
    click can land beside an option while the open list settles into place)."""
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(option)
    expect(page.get_by_role("option")).to_have_count(1)
    expect(page.get_by_role("option", name=option)).to_be_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name=f"Remove {option}", exact=True)).to_be_visible(timeout=15_000)


def test_a_manager_starts_a_round_from_the_screen(own_server: AppServer, browser: Browser) -> None:
    context = browser.new_context(viewport=DESKTOP)
    context.add_init_script(COUNT_MESSAGES)
    context.on("page", watch_runs)
    page = context.new_page()
    try:
        page.goto(own_server.url)
        wait_idle(page, 90_000)
        try_as(page, "Morgan Reid (manager)", timeout=90_000)
        go_to(page, "Calibration")
        main = page.locator('[data-testid="stMain"]')
        main.get_by_text("New calibration round").click()
        organisation = main.get_by_role("combobox", name="Organisation", exact=True)
        changes = organisation.input_value() != "Riverside Community Health"
        main.locator('[data-testid="stSelectbox"]', has_text="Organisation").click()
        # The form below is drawn again for the organisation picked: the picks in it wait for that run.
        with rerun(page) if changes else nullcontext():
            page.get_by_role("option", name="Riverside Community Health").click()
        wait_idle(page)
        expect(main.get_by_role("combobox", name="Organisation", exact=True)).to_have_value(
            "Riverside Community Health"
        )
        form = main.locator('[data-testid="stForm"]').first
        expect(form).to_be_visible(timeout=30_000)
        form.get_by_label("Name of the round").fill("Winter <b>round</b>")
        _pick(page, "Rooms", "Riverside Community Clinic · Quiet room")
        _pick(page, "Assessors (two or more)", "Sam Patel")
        _pick(page, "Assessors (two or more)", "Morgan Reid")
        form.get_by_role("button", name="Start the round").click()
        expect(main.get_by_text("Round started.")).to_be_visible(timeout=30_000)
        wait_idle(page)
        no_error_elements(page)
        screenshot(page, "calibration-new-round")
        # The new round is the newest, so it is the one shown; nobody has assessed yet. Sam is off
        # sick: the manager closes it early.
        expect(main.get_by_role("combobox", name="Round", exact=True)).to_have_value(
            re.compile(r"^Winter <b>round</b> \(independent"), timeout=30_000
        )
        expect(main.get_by_text("Still open until", exact=False)).to_be_visible(timeout=30_000)
        main.get_by_role("button", name="Close the round now").click()
        page.get_by_role("button", name="Close the round", exact=True).click()
        expect(main.get_by_text("Closed early on", exact=False)).to_be_visible(timeout=30_000)
        expect(main.get_by_text("Still open until", exact=False)).to_have_count(0)
        no_error_elements(page)
        screenshot(page, "calibration-closed-round")
    finally:
        context.close()
    store = open_store(own_server.database_url, migrate=False)
    try:
        with store.session() as session:
            user = repository.get_user_by_email(session, CONSULTANT)
            assert user is not None
            names = [r.name for r in repository.list_calibration_rounds(session, user)]
            assert names[0] == "Winter <b>round</b>"
            (started,) = [r for r in repository.list_calibration_rounds(session, user) if r.name == names[0]]
            assert started.assessors == ("Morgan Reid", "Sam Patel")
            assert started.rooms == ("Quiet room",)
            assert started.complete
            assert started.closed_on == dt.date.today()
    finally:
        store.dispose()
