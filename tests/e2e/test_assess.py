"""The Assess screen in Chromium at tablet sizes: a whole classroom checklist, a reload mid-way,
bad input, a photo, submit and review (two assessors on one assessment: test_field_rounds.py).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlparse

import pytest
from PIL import Image
from playwright.sync_api import Locator, Page, expect

from assessments import repository
from assessments.db import Store
from assessments.demo import DEMO_USERS
from assessments.models import Assessment, AssessmentStatus, User
from checklists.loader import default_catalogue
from checklists.responses import Flicker
from checklists.schema import ItemKind, ResolvedItem
from checklists.translations import shown_item
from tests.e2e.conftest import (
    TABLET_LANDSCAPE,
    TABLET_PORTRAIT,
    AppServer,
    close_navigation,
    go_to,
    horizontal_overflow,
    no_error_elements,
    open_navigation,
    rerun,
    screenshot,
    small_tap_targets,
    try_as,
    wait_idle,
)
from ui.i18n import _, using
from ui.language_choice import LABEL as LANGUAGE_LABEL

pytestmark = pytest.mark.e2e

CATALOGUE = default_catalogue()
CLASSROOM = CATALOGUE.checklist("school", "classroom")
TITLES = {c.id: c.title for c in CATALOGUE.categories}
SECTIONS = [c for c in CLASSROOM.category_weights if any(r.item.category == c for r in CLASSROOM.items)]
TIMEOUT = 30_000


def demo_user(store: Store, role_index: int = 0) -> User:
    with store.session() as session:
        found = repository.get_user_by_email(session, DEMO_USERS[role_index].email)
    assert found is not None
    return found


# --------------------------------------------------------------------------------------------
# Driving the page
# --------------------------------------------------------------------------------------------


def item_box(page: Page, assessment_id: int, item_id: str) -> Locator:
    return page.locator(f".st-key-assess_item_{assessment_id}_{item_id.replace('.', '-')}")


def status_of(item: Locator) -> Locator:
    return item.locator('[class*="st-key-assess_status_"]')


def open_section(page: Page, category: str) -> None:
    """Open a section's tab; switching section refreshes the live summary (a run of its fragment)."""
    tab = page.get_by_role("tab", name=TITLES[category], exact=True)
    if tab.get_attribute("aria-selected") == "true":
        wait_idle(page)
        return
    with rerun(page):
        tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")


def pick(page: Page, label: str, option: str) -> None:
    """Choose an option of a select box (already chosen: nothing to do)."""
    box = page.get_by_test_id("stSelectbox").filter(has_text=label).locator("input")
    if box.input_value() == option:
        return
    box.click()
    with rerun(page):
        page.get_by_role("option", name=option).click()


def tap_segment(item: Locator, label: str) -> None:
    item.locator('button[role="radio"]', has_text=re.compile(f"^{re.escape(label)}$")).click()


def type_into(item: Locator, text: str, nth: int = 0) -> None:
    box = item.locator('input[type="text"]').nth(nth)
    box.fill(text)
    box.press("Enter")


def reading_for(resolved: ResolvedItem) -> str:
    """A good reading: inside the room type's ideal range."""
    assert resolved.target is not None
    lo, hi = resolved.target.ideal
    if lo is not None and hi is not None:
        return f"{(lo + hi) / 2:g}"
    return f"{(hi if hi is not None else 0) * 0.8:g}" if lo is None else f"{lo * 1.1:g}"


def first_segment(resolved: ResolvedItem) -> str:
    item = resolved.item
    if item.kind is ItemKind.yes_no:
        return "Yes" if item.good_answer else "No"
    if item.kind is ItemKind.choice:
        assert item.options
        return item.options[0].label.split(":", 1)[0].strip()
    assert item.levels
    return f"4 · {item.levels[4].split(':', 1)[0].strip()}"


def answer(page: Page, assessment_id: int, resolved: ResolvedItem) -> None:
    """Give a good answer to one item with finger-sized controls, and wait until it says Saved."""
    item = item_box(page, assessment_id, resolved.item.id)
    kind = resolved.item.kind
    if kind is ItemKind.measurement:
        type_into(item, reading_for(resolved))
    elif kind is ItemKind.flicker:
        type_into(item, "1.5", 0)
        expect(status_of(item)).to_contain_text("frequency too", timeout=TIMEOUT)
        type_into(item, "100", 1)
    else:
        item.locator('button[role="radio"]').first.wait_for(timeout=TIMEOUT)
        tap_segment(item, first_segment(resolved))
    expect(status_of(item)).to_contain_text("Saved", timeout=TIMEOUT)


def answer_section(page: Page, assessment_id: int, category: str) -> None:
    open_section(page, category)
    for resolved in CLASSROOM.items:
        if resolved.item.category == category:
            answer(page, assessment_id, resolved)


def png(width: int = 1600, height: int = 1200) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (120, 160, 200)).save(out, format="PNG")
    return out.getvalue()


def open_assessment(page: Page, server: AppServer, assessment_id: int) -> None:
    page.goto(f"{server.url}/?assessment={assessment_id}")
    wait_idle(page)
    page.locator('[class*="st-key-assess_item_"]').first.wait_for(timeout=TIMEOUT)


def to_top(page: Page) -> None:
    page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, 0)")


def check_layout(page: Page, name: str) -> None:
    no_error_elements(page)
    assert horizontal_overflow(page) == 0, f"{name}: the page scrolls sideways"
    small = small_tap_targets(page)
    assert not small, f"{name}: tap targets under 44 px: {small}"


# --------------------------------------------------------------------------------------------
# The tests
# --------------------------------------------------------------------------------------------


def test_a_whole_classroom_on_a_portrait_tablet(
    app_server: AppServer, new_page: Callable[..., Page], store: Store
) -> None:
    page = new_page(viewport=TABLET_PORTRAIT)
    page.goto(app_server.url)
    wait_idle(page)
    pick(page, "Site", "Hillview Primary School")
    pick(page, "Room", "Year 1 classroom · classroom, ground floor")
    before = page.url
    page.get_by_role("button", name="Start a new assessment").click()
    page.wait_for_function("before => location.href !== before && location.search.includes('assessment=')", arg=before)
    wait_idle(page)
    assessment_id = int(parse_qs(urlparse(page.url).query)["assessment"][0])
    expect(page.get_by_text("Draft of", exact=False).first).to_be_visible(timeout=TIMEOUT)
    item_box(page, assessment_id, "lighting.illuminance").wait_for(timeout=TIMEOUT)
    check_layout(page, "portrait, new assessment")

    # The first two sections, then the tab is reloaded: every answer is still there.
    for category in SECTIONS[:2]:
        answer_section(page, assessment_id, category)
    page.reload()
    wait_idle(page)
    page.locator('[class*="st-key-assess_item_"]').first.wait_for(timeout=TIMEOUT)
    for category in SECTIONS[:2]:
        open_section(page, category)
        for resolved in CLASSROOM.items:
            if resolved.item.category != category:
                continue
            item = item_box(page, assessment_id, resolved.item.id)
            expect(status_of(item)).to_contain_text("Saved", timeout=TIMEOUT)
            if resolved.item.kind is ItemKind.measurement:
                expect(item.locator('input[type="text"]')).to_have_value(reading_for(resolved))
            elif resolved.item.kind is ItemKind.flicker:
                expect(item.locator('input[type="text"]').nth(1)).to_have_value("100")
            else:
                checked = item.locator('button[role="radio"][aria-checked="true"]')
                expect(checked).to_have_text(first_segment(resolved), timeout=TIMEOUT)

    # Bad input beside the item, nothing saved, nothing crashes.
    open_section(page, "lighting")
    lux = item_box(page, assessment_id, "lighting.illuminance")
    for bad, says in (("bright", "not a number"), ("-20", "not physically possible")):
        type_into(lux, bad)
        expect(status_of(lux)).to_contain_text(says, timeout=TIMEOUT)
        expect(status_of(lux)).to_contain_text("Nothing was saved")
    with store.session() as session:
        saved = repository.assessment_answers(session, demo_user(store), assessment_id)
    assert saved["lighting.illuminance"] == (float(reading_for(CLASSROOM.by_id()["lighting.illuminance"])),)
    type_into(lux, "380, 450")
    expect(status_of(lux)).to_contain_text("Saved", timeout=TIMEOUT)
    open_section(page, "noise")
    noise = item_box(page, assessment_id, "noise.background_level")
    type_into(noise, "300")
    expect(status_of(noise)).to_contain_text("not physically possible", timeout=TIMEOUT)
    type_into(noise, "32")
    expect(status_of(noise)).to_contain_text("Saved", timeout=TIMEOUT)

    # A photo and a note on one item; a non-image and an oversized file are refused beside it.
    open_section(page, "lighting")
    glare = item_box(page, assessment_id, "lighting.glare")
    glare.get_by_text("Note, photos and guidance").click()
    expect(glare.locator("details")).to_have_attribute("open", "")
    wait_idle(page)
    uploader = glare.locator('input[type="file"]')
    uploader.set_input_files(files=[{"name": "not-a-photo.png", "mimeType": "image/png", "buffer": b"hello " * 100}])
    expect(status_of(glare)).to_contain_text("not a photo", timeout=TIMEOUT)
    too_big = b"\xff\xd8\xff" + bytes(11 * 1024 * 1024)
    glare.locator('input[type="file"]').set_input_files(
        files=[{"name": "huge.jpg", "mimeType": "image/jpeg", "buffer": too_big}]
    )
    # The uploader carries the app's 10 MB limit, so the browser refuses the file before it is sent
    # (the store refuses it too, with "the limit is 10 MB": tests/assessments/test_store_repository.py).
    expect(glare.locator('[data-testid="stFileUploader"]')).to_contain_text(
        re.compile(r"File must be 10(\.0)? ?MB or smaller"), timeout=TIMEOUT
    )
    expect(status_of(glare)).not_to_contain_text("huge.jpg")
    glare.locator('input[type="file"]').set_input_files(
        files=[{"name": "window.png", "mimeType": "image/png", "buffer": png(3000, 2000)}]
    )
    expect(status_of(glare)).to_contain_text("Photo window.png saved", timeout=TIMEOUT)
    expect(glare.locator("img")).to_have_count(1, timeout=TIMEOUT)
    note = glare.get_by_label("Note")
    note.fill("Low sun through the west window after 14:00.")
    note.press("Tab")
    expect(status_of(glare)).to_contain_text("Note saved", timeout=TIMEOUT)

    # The last two sections; the live score is beside each saved answer and in the summary.
    for category in SECTIONS[2:]:
        answer_section(page, assessment_id, category)
    expect(status_of(item_box(page, assessment_id, CLASSROOM.items[-1].item.id))).to_contain_text("48 of 48 answered")
    for category in SECTIONS:
        open_section(page, category)
        expect(page.locator(".st-key-assess_bar")).to_contain_text("48 of 48 answered")
        to_top(page)
        screenshot(page, f"assess-portrait-{category}", full_height=4200)
        page.set_viewport_size(TABLET_PORTRAIT)
        wait_idle(page)
        check_layout(page, f"portrait, {category}")
    expect(page.locator(".st-key-assess_bar")).to_contain_text("48 of 48 answered")

    # Submit: complete, so no reason is needed; the page turns read-only and shows the score.
    with rerun(page):
        page.get_by_role("button", name="Submit assessment").click()
    expect(page.get_by_text("read-only for staff")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator(".st-key-assess_bar")).to_contain_text("Band")
    expect(page.locator('button[role="radio"]:not([disabled])')).to_have_count(0)
    to_top(page)
    screenshot(page, "assess-portrait-submitted", full_height=1600)

    with store.session() as session:
        user = demo_user(store)
        stored = repository.get_assessment(session, user, assessment_id)
        answers = repository.assessment_answers(session, user, assessment_id)
        photos = repository.list_evidence(session, user, assessment_id, "lighting.glare")
        notes = {r.item_id: r.note for r in repository.list_responses(session, user, assessment_id) if r.note}
    assert stored.status is AssessmentStatus.submitted
    assert set(answers) == {r.item.id for r in CLASSROOM.items}
    assert answers["lighting.illuminance"] == (380.0, 450.0)
    assert answers["lighting.flicker"] == Flicker(1.5, 100.0)
    assert [p.file_name for p in photos] == ["window.png"]
    assert max(photos[0].width or 0, photos[0].height or 0) == repository.MAX_PHOTO_SIDE  # shrunk from 3000
    assert notes == {"lighting.glare": "Low sun through the west window after 14:00."}


def test_landscape_review_and_send_back(app_server: AppServer, new_page: Callable[..., Page], store: Store) -> None:
    staff = demo_user(store)
    with store.session() as session:
        rooms = {r.name: r for r in repository.list_rooms(session, staff)}
        started = repository.start_assessment(session, staff, rooms["Year 5 classroom"].id)
        version = repository.save_answer(session, staff, started.id, "lighting.glare", "yes", started.version_id)
        repository.submit(session, staff, started.id, version, "Meter away for calibration.")
    page = new_page(viewport=TABLET_LANDSCAPE)
    open_assessment(page, app_server, started.id)
    expect(page.get_by_text("read-only for staff")).to_be_visible()
    expect(page.get_by_text("Meter away for calibration.")).to_be_visible()
    for category in SECTIONS:
        open_section(page, category)
        check_layout(page, f"landscape, {category}")
    screenshot(page, "assess-landscape-submitted")

    # A manager sends it back with a comment; the assessor then sees it as a draft with the comment.
    try_as(page, f"{DEMO_USERS[1].name} (manager)")
    go_to(page, "Assess a room")
    pick(page, "Site", "Hillview Primary School")
    pick(page, "Room", "Year 5 classroom · classroom, floor 1")
    expect(page.get_by_text(f"(no. {started.id})").first).to_be_visible(timeout=TIMEOUT)
    page.get_by_label("Comment for the assessor").fill("Please add the noise readings.")
    with rerun(page):
        page.get_by_label("Comment for the assessor").press("Tab")
    with rerun(page):
        page.get_by_role("button", name="Send back to draft").click()
    expect(page.get_by_text("Sent back by a manager: Please add the noise readings.")).to_be_visible(timeout=TIMEOUT)
    screenshot(page, "assess-landscape-sent-back")
    with store.session() as session:
        assert repository.get_assessment(session, staff, started.id).status is AssessmentStatus.draft


def choose_language(page: Page, name: str) -> None:
    """Choose the interface language in the navigation, by the language's own name ("Français")."""
    open_navigation(page)
    page.get_by_role("combobox", name=LANGUAGE_LABEL).click()
    with rerun(page):
        page.get_by_role("option", name=name, exact=True).click()
    close_navigation(page)


def open_section_at(page: Page, category: str) -> None:
    """Open a section's tab by its place (its title is in the person's language)."""
    tab = page.get_by_role("tab").nth(SECTIONS.index(category))
    if tab.get_attribute("aria-selected") != "true":
        with rerun(page):
            tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")


def typed_in(page: Page, assessment_id: int, item_id: str, text: str) -> Locator:
    """Type `text` into an item's reading box, in its section's tab; the item's box."""
    open_section_at(page, item_id.split(".")[0])
    item = item_box(page, assessment_id, item_id)
    type_into(item, text)
    return item


def assessing_in(
    app_server: AppServer, new_page: Callable[..., Page], store: Store, language: str
) -> tuple[Page, User, Assessment]:
    """A new assessment of the Year 1 classroom, open on a portrait tablet in `language` (its own name)."""
    staff = demo_user(store)
    with store.session() as session:
        rooms = {r.name: r for r in repository.list_rooms(session, staff)}
        started = repository.start_assessment(session, staff, rooms["Year 1 classroom"].id)
    page = new_page(viewport=TABLET_PORTRAIT)
    open_assessment(page, app_server, started.id)
    choose_language(page, language)
    return page, staff, started


def test_a_french_assessor_types_readings_the_french_way(
    app_server: AppServer, new_page: Callable[..., Page], store: Store
) -> None:
    page, staff, started = assessing_in(app_server, new_page, store, "Français")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Évaluer une pièce", level=1)).to_be_visible(timeout=TIMEOUT)

    # "0,6" is 0.6 s; "420 ; 610" is two readings; the screen says what it read before the score moves.
    open_section_at(page, "noise")
    reverberation = item_box(page, started.id, "noise.reverberation_time")
    expect(reverberation.locator('input[type="text"]')).to_have_attribute("placeholder", re.compile(r"\d,\d"))
    type_into(reverberation, "0,6")
    expect(status_of(reverberation)).to_contain_text("Enregistré : 0,6 s", timeout=TIMEOUT)
    lux = typed_in(page, started.id, "lighting.illuminance", "420 ; 610")
    expect(status_of(lux)).to_contain_text("Enregistré : 420 lx et 610 lx", timeout=TIMEOUT)
    expect(lux.locator('input[type="text"]')).to_have_value("420; 610")
    # The offline guard knows a saved line by its icon, whatever the language (ui/offline_guard.js).
    assert "check_circle" in (status_of(lux).text_content() or "")
    with store.session() as session:
        saved = repository.assessment_answers(session, staff, started.id)
    assert saved["noise.reverberation_time"] == (0.6,)
    assert saved["lighting.illuminance"] == (420.0, 610.0)
    to_top(page)
    screenshot(page, "assess-portrait-french")
    with store.session() as session:
        assert repository.user_language(session, staff.id) == "fr"  # kept with the account

    # The same typed in English: "0,6" is refused, saying each way it could be meant; nothing changes.
    choose_language(page, "English")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    open_section_at(page, "noise")
    reverberation = item_box(page, started.id, "noise.reverberation_time")
    type_into(reverberation, "0,7")
    expect(status_of(reverberation)).to_contain_text(
        "“0,7” could mean 0.7 s (type 0.7) or 2 readings, 0 s and 7 s (type 0; 7)", timeout=TIMEOUT
    )
    expect(status_of(reverberation)).to_contain_text("The saved reading, 0.6 s, still counts")
    expect(reverberation.locator('input[type="text"]')).to_have_value("0.6")
    with store.session() as session:
        assert repository.assessment_answers(session, staff, started.id)["noise.reverberation_time"] == (0.6,)


def test_an_arabic_assessor_reads_right_to_left_and_types_readings_in_arabic_digits(
    app_server: AppServer, new_page: Callable[..., Page], store: Store
) -> None:
    page, staff, started = assessing_in(app_server, new_page, store, "العربية")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    with using("ar"):
        heading, question = (
            _("Assess a room"),
            shown_item(CATALOGUE, CATALOGUE.item("noise.reverberation_time"), "ar").question,
        )
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible(timeout=TIMEOUT)

    # The question in Arabic, and "٠٫٦" (Arabic-Indic digits, the Arabic decimal mark) read as 0.6 s.
    reverberation = typed_in(page, started.id, "noise.reverberation_time", "٠٫٦")
    expect(reverberation.get_by_label(question)).to_be_visible()
    expect(status_of(reverberation)).to_contain_text("0.6 s", timeout=TIMEOUT)
    # Two lux readings apart with the Arabic comma.
    lux = typed_in(page, started.id, "lighting.illuminance", "٤٢٠، ٦١٠")
    expect(status_of(lux)).to_contain_text("420 lx", timeout=TIMEOUT)
    expect(status_of(lux)).to_contain_text("610 lx")
    with store.session() as session:
        saved = repository.assessment_answers(session, staff, started.id)
    assert saved["noise.reverberation_time"] == (0.6,)
    assert saved["lighting.illuminance"] == (420.0, 610.0)
    # The item's words start at the right.
    direction = reverberation.evaluate("el => getComputedStyle(el).direction")
    assert direction == "rtl"
    to_top(page)
    screenshot(page, "assess-portrait-arabic")
