"""The Reports and Admin screens in Chromium, as the demo admin uses them, at 1440x900 and at 1180x820
(tablet, landscape): an Excel report of the clinic opens in openpyxl with the clinic's rooms; a PDF of
one site shows its rooms' names to pdftotext; a room added on Admin appears in the rooms table.
Screenshots go to test-artifacts/screenshots/reports-*.png and admin-*.png.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from assessments import repository, transfer
from assessments.db import Store
from assessments.demo import CLINIC, DEMO_USERS, SCHOOL
from assessments.models import Organisation
from tests.e2e.conftest import (
    DESKTOP,
    TABLET_LANDSCAPE,
    AppServer,
    charts_drawn,
    go_to,
    horizontal_overflow,
    no_error_elements,
    rerun,
    screenshot,
    small_tap_targets,
    try_as,
    wait_idle,
)
from tests.e2e.test_accessibility import violations

pytestmark = pytest.mark.e2e

VIEWPORTS = {"desktop": DESKTOP, "tablet": TABLET_LANDSCAPE}
ADMIN = DEMO_USERS[3]
FULL_HEIGHT = 2600
TIMEOUT = 60_000
PDF_TIMEOUT = 120_000  # charts are drawn by a headless Chromium; the first one starts it


@pytest.fixture(params=list(VIEWPORTS))
def admin(
    request: pytest.FixtureRequest, app_server: AppServer, new_context: Callable[..., BrowserContext]
) -> tuple[str, Page]:
    """A new browser tab on the app, switched to the demo admin with the sidebar's "Try as"."""
    page = new_context(viewport=dict(VIEWPORTS[request.param]), accept_downloads=True).new_page()
    page.goto(app_server.url)
    wait_idle(page, 90_000)
    try_as(page, f"{ADMIN.name} (admin)", timeout=90_000)
    return request.param, page


def rooms_of(store: Store, organisation: str, site: str | None = None) -> set[str]:
    """The room names the store holds for an organisation (or one of its sites), as the admin sees them."""
    with store.session() as session:
        user = repository.get_user_by_email(session, ADMIN.email)
        assert user is not None
        org = next(o for o in repository.list_organisations(session, user) if o.name == organisation)
        sites = {s.id for s in repository.list_sites(session, user, org.id) if site is None or s.name == site}
        return {r.name for r in repository.list_rooms(session, user) if r.site_id in sites}


def organisations(store: Store) -> list[Organisation]:
    with store.session() as session:
        user = repository.get_user_by_email(session, ADMIN.email)
        assert user is not None
        return repository.list_organisations(session, user)


def go(page: Page, name: str) -> None:
    go_to(page, name, TIMEOUT)


def pick(where: Page | Locator, page: Page, label: str, option: str) -> None:
    """Choose an option of a select box (already chosen: nothing to do; in a form: kept until it is sent)."""
    box = where.get_by_role("combobox", name=label, exact=True).first
    if box.input_value() == option:
        return
    # Centred first: at the very bottom of the window its list can fail to open.
    box.evaluate("element => element.scrollIntoView({block: 'center'})")
    box.click()
    choice = page.get_by_role("option", name=option, exact=True)
    if box.locator("xpath=ancestor::*[@data-testid='stForm']").count():
        choice.click()
        expect(box).to_have_value(option)
        return
    with rerun(page):
        choice.click()


def segment(page: Page, label: str) -> None:
    """Choose a segment of a segmented control (already chosen: nothing to do)."""
    button = page.locator('[data-testid="stButtonGroup"] button').filter(has=page.get_by_text(label, exact=True))
    if button.get_attribute("data-selected") is not None:
        return
    with rerun(page):
        button.click()


def open_tab(page: Page, name: str) -> None:
    tab = page.get_by_role("tab", name=name, exact=True)
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    charts_drawn(page)


def download(page: Page, button: str, to: Path) -> Path:
    with page.expect_download(timeout=TIMEOUT) as started:
        page.get_by_role("button", name=button).click()
    path = to / started.value.suggested_filename
    started.value.save_as(path)
    return path


def looks_right(page: Page, name: str) -> None:
    """No error, no sideways scrolling, every tap target at least 44 px, no WCAG 2.2 AA violation (axe-core,
    on what is shown now: the other tabs, a made file, an error); then a picture of the whole screen."""
    no_error_elements(page)
    assert horizontal_overflow(page) == 0
    assert small_tap_targets(page) == []
    assert violations(page) == []
    size = page.viewport_size
    assert size is not None
    screenshot(page, name, full_height=FULL_HEIGHT)
    page.set_viewport_size(size)
    wait_idle(page)


# --------------------------------------------------------------------------------------------
# Reports
# --------------------------------------------------------------------------------------------


def test_the_excel_report_of_the_clinic_lists_its_rooms(admin: tuple[str, Page], store: Store, tmp_path: Path) -> None:
    viewport, page = admin
    go(page, "Reports")
    pick(page, page, "Organisation", CLINIC)
    segment(page, "Excel")
    with rerun(page, TIMEOUT):
        page.get_by_role("button", name="Make the Excel report").click()
    expect(page.get_by_role("button", name="Download the Excel report")).to_be_visible(timeout=TIMEOUT)
    wait_idle(page)
    expect(
        page.get_by_text(re.compile(r"Excel report ready: riverside-community-health-\d{4}-\d\d-\d\d\.xlsx"))
    ).to_be_visible()
    saved = download(page, "Download the Excel report", tmp_path)
    assert re.fullmatch(r"riverside-community-health-\d{4}-\d\d-\d\d\.xlsx", saved.name)
    book = openpyxl.load_workbook(saved, read_only=True)
    try:
        rooms = [row[1] for row in book["Rooms"].iter_rows(min_row=2, values_only=True) if row[1]]
    finally:
        book.close()
    assert set(rooms) == rooms_of(store, CLINIC)
    looks_right(page, f"reports-{viewport}-excel-ready")


def test_the_pdf_of_one_site_names_its_rooms(admin: tuple[str, Page], store: Store, tmp_path: Path) -> None:
    viewport, page = admin
    go(page, "Reports")
    pick(page, page, "Organisation", SCHOOL)
    segment(page, "One site")
    pick(page, page, "Site", "Hillview Primary School")
    segment(page, "PDF")
    expect(page.get_by_label("Prepared by (printed on the cover)")).to_have_value(ADMIN.name)
    page.get_by_role("button", name="Make the PDF report").click()
    # While it is made, a bar says which room is being done.
    expect(page.locator('[data-testid="stProgress"]')).to_contain_text(
        re.compile(r"[Rr]oom \d+ of \d+"), timeout=TIMEOUT
    )
    expect(page.get_by_role("button", name="Download the PDF report")).to_be_visible(timeout=PDF_TIMEOUT)
    wait_idle(page)
    saved = download(page, "Download the PDF report", tmp_path)
    assert re.fullmatch(r"hillview-primary-school-site-\d{4}-\d\d-\d\d\.pdf", saved.name)
    text = subprocess.run(["pdftotext", "-layout", str(saved), "-"], capture_output=True, text=True, check=True).stdout
    words = " ".join(text.split())
    expected = rooms_of(store, SCHOOL, "Hillview Primary School")
    assert expected
    missing = [room for room in expected if room not in words]
    assert missing == []
    assert ADMIN.name in words  # on the cover, as who prepared it
    looks_right(page, f"reports-{viewport}-pdf-ready")


def test_an_empty_scope_is_refused_in_words(admin: tuple[str, Page]) -> None:
    viewport, page = admin
    go(page, "Reports")
    pick(page, page, "Organisation", CLINIC)
    segment(page, "Chosen rooms")
    segment(page, "CSV")
    with rerun(page, TIMEOUT):
        page.get_by_role("button", name="Make the CSV report").click()
    expect(page.get_by_text("No rooms were chosen: pick at least one room for the report.")).to_be_visible()
    expect(page.get_by_role("button", name="Download the CSV report")).to_have_count(0)
    looks_right(page, f"reports-{viewport}-empty-scope")


# --------------------------------------------------------------------------------------------
# Admin
# --------------------------------------------------------------------------------------------


def test_a_room_added_on_admin_appears_in_the_table(admin: tuple[str, Page], store: Store) -> None:
    viewport, page = admin
    go(page, "Admin")
    name = f"Sensory nook ({viewport})"
    form = page.locator('[data-testid="stForm"]').filter(has_text="Add a room to")
    form.scroll_into_view_if_needed()
    form.get_by_label("Name", exact=True).fill(name)
    pick(form, page, "Room type", "Quiet room")
    form.get_by_role("spinbutton", name="Floor (optional)").fill("2")
    form.get_by_role("spinbutton", name="Capacity (optional)").fill("3")
    with rerun(page, TIMEOUT):
        form.get_by_role("button", name="Add the room").click()
    expect(form.get_by_text(f"Added the room “{name}”.")).to_be_visible(timeout=TIMEOUT)
    rooms_table = page.locator('[data-testid="stDataFrame"]').nth(1)
    expect(rooms_table).to_contain_text(name)
    assert name in rooms_of(store, "Harbour Street Partners")
    looks_right(page, f"admin-{viewport}-sites-and-rooms")

    # The form is empty again but for the room type; the same name again is refused, in the store's words.
    expect(form.get_by_label("Name", exact=True)).to_have_value("")
    expect(form.get_by_role("spinbutton", name="Floor (optional)")).to_have_value("")
    form.get_by_label("Name", exact=True).fill(name)
    with rerun(page, TIMEOUT):
        form.get_by_role("button", name="Add the room").click()
    expect(form.get_by_text(f"Name: This site already has a room called '{name}'.")).to_be_visible(timeout=TIMEOUT)

    for tab in ("Users", "Organisations", "Recent changes"):
        open_tab(page, tab)
        if tab == "Recent changes":
            expect(page.locator('[data-testid="stTable"]').filter(has_text=f"added the room “{name}”")).to_be_visible()
        looks_right(page, f"admin-{viewport}-{tab.lower().replace(' ', '-')}")


def test_a_bad_organisation_file_is_refused_with_its_problems(admin: tuple[str, Page], store: Store) -> None:
    viewport, page = admin
    with store.session() as session:
        user = repository.get_user_by_email(session, ADMIN.email)
        assert user is not None
        org = next(o for o in repository.list_organisations(session, user) if o.name == CLINIC)
        document = transfer.export_organisation(session, user, org.id, include_photos=False)
    document["organisation"]["name"] = f"Riverside copy ({viewport})"
    document["sites"][0]["setting"] = "zoo"
    go(page, "Admin")
    open_tab(page, "Organisations")
    # The organisation file's uploader (the Criteria tab has one for override files too).
    upload = page.get_by_label(re.compile(r"^Organisation file \(\.json")).get_by_test_id("stFileUploaderDropzoneInput")
    content = json.dumps(document).encode()
    with rerun(page, TIMEOUT):
        upload.set_input_files(files=[{"name": "riverside.json", "mimeType": "application/json", "buffer": content}])
    with rerun(page, TIMEOUT):
        page.get_by_role("button", name="Check and import").click()
    expect(
        page.get_by_text("Nothing was imported: the file has 1 problem. Fix them and import it again.")
    ).to_be_visible(timeout=TIMEOUT)
    # The problems table is the last table of the open tab (later tabs hold tables of their own).
    expect(page.locator('[data-testid="stDataFrame"]:visible').last).to_contain_text("sites[0].setting")
    assert f"Riverside copy ({viewport})" not in {o.name for o in organisations(store)}
    looks_right(page, f"admin-{viewport}-import-refused")
