"""The Assess screen as staff use it on a tablet (820x1180, touch): the room on screen is the room
assessed, every field shows what is saved, the open assessment survives other screens, the summary
follows every tap, the note panel opens with its content, a reason to submit with gaps is a
sentence, and a reading far outside what the room can have is asked about before it is saved.

Each test starts from an assessment it creates itself, so none depends on another.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from assessments import repository
from assessments.db import Store
from assessments.demo import DEMO_USERS
from assessments.models import AssessmentStatus, Room, User
from checklists.loader import default_catalogue
from scoring.engine import RoomScore, score_assessment
from tests.e2e.conftest import (
    TABLET_PORTRAIT,
    AppServer,
    close_navigation,
    navigation_is_open,
    no_error_elements,
    open_navigation,
    screenshot,
    wait_idle,
)

pytestmark = pytest.mark.e2e

CATALOGUE = default_catalogue()
CLASSROOM = CATALOGUE.checklist("school", "classroom")
TITLES = {c.id: c.title for c in CATALOGUE.categories}
TIMEOUT = 15_000


# --------------------------------------------------------------------------------------------
# The store, the tablet, and driving the page by touch
# --------------------------------------------------------------------------------------------


@pytest.fixture
def tablet(browser: Browser) -> Iterator[Page]:
    """A portrait tablet with a touch screen, on its own (no cookies or session shared with another test)."""
    context = browser.new_context(viewport=TABLET_PORTRAIT, has_touch=True)
    try:
        yield context.new_page()
    finally:
        context.close()


def staff(store: Store, n: int = 0) -> User:
    with store.session() as session:
        found = repository.get_user_by_email(session, DEMO_USERS[n].email)
    assert found is not None
    return found


def room_named(store: Store, name: str) -> Room:
    with store.session() as session:
        return next(r for r in repository.list_rooms(session, staff(store)) if r.name == name)


def new_assessment(store: Store, room_name: str, answers: dict[str, object] | None = None) -> int:
    """A fresh draft of a room, with some answers already saved."""
    user = staff(store)
    with store.session() as session:
        started = repository.start_assessment(session, user, room_named(store, room_name).id)
        version = started.version_id
        for item_id, value in (answers or {}).items():
            version = repository.save_answer(session, user, started.id, item_id, value, version)
    return started.id


def saved(store: Store, assessment_id: int) -> dict[str, object]:
    with store.session() as session:
        return dict(repository.assessment_answers(session, staff(store), assessment_id))


def engine_score(store: Store, assessment_id: int) -> RoomScore:
    with store.session() as session:
        return score_assessment(CATALOGUE, repository.scoring_input(session, staff(store), assessment_id))


def open_assessment(page: Page, server: AppServer, assessment_id: int) -> None:
    page.goto(f"{server.url}/?assessment={assessment_id}")
    wait_idle(page)
    page.locator(f'[class*="st-key-assess_item_{assessment_id}_"]').first.wait_for(timeout=TIMEOUT)


def address_assessment(page: Page) -> int | None:
    found = parse_qs(urlparse(page.url).query).get("assessment")
    return int(found[0]) if found else None


_ADDRESS = "new URLSearchParams(location.search).get('assessment')"


def wait_address(page: Page, *, without: int | None = None, showing: int | None = None) -> None:
    """Wait until the address names `showing`, or no longer names `without` (None: names no assessment)."""
    if showing is not None:
        page.wait_for_function(f"id => {_ADDRESS} === String(id)", arg=showing)
    elif without is None:
        page.wait_for_function(f"() => {_ADDRESS} === null")
    else:
        page.wait_for_function(f"id => {_ADDRESS} !== String(id)", arg=without)


def item_box(page: Page, assessment_id: int, item_id: str) -> Locator:
    return page.locator(f".st-key-assess_item_{assessment_id}_{item_id.replace('.', '-')}")


def status_of(item: Locator) -> Locator:
    return item.locator('[class*="st-key-assess_status_"]')


def bar(page: Page) -> Locator:
    return page.locator(".st-key-assess_bar")


def open_section(page: Page, category: str) -> None:
    page.get_by_role("tab", name=TITLES[category], exact=True).tap()
    wait_idle(page)


def picker(page: Page, label: str) -> Locator:
    return page.get_by_test_id("stSelectbox").filter(has_text=label)


def choose(page: Page, label: str, option: str, *, by: str = "tap") -> None:
    """Choose an option of a picker with a finger, or with a mouse (by="mouse")."""
    box = picker(page, label).locator("input")
    wanted = page.get_by_role("option", name=re.compile(re.escape(option)))
    if by == "mouse":
        box.click()
        wanted.click()
    else:
        box.tap()
        wanted.tap()
    wait_idle(page)


def type_reading(item: Locator, text: str, nth: int = 0) -> None:
    box = item.locator('input[type="text"]').nth(nth)
    box.tap()
    box.fill(text)
    box.press("Enter")


def tap_segment(item: Locator, label: str) -> None:
    item.locator('button[role="radio"]', has_text=re.compile(f"^{re.escape(label)}$")).tap()


def sidebar_link(page: Page, name: str) -> None:
    open_navigation(page)  # it starts closed on a portrait tablet, and lies over the screen when open
    page.get_by_test_id("stSidebar").get_by_role("link", name=name).tap()
    wait_idle(page)
    if navigation_is_open(page):
        close_navigation(page)


# --------------------------------------------------------------------------------------------
# 1. The room on screen is the room assessed
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("by", ["tap", "mouse", "clear"])
def test_choosing_another_room_and_starting_assesses_that_room(
    app_server: AppServer, tablet: Page, store: Store, by: str
) -> None:
    page = tablet
    year1, year2 = room_named(store, "Year 1 classroom"), room_named(store, "Year 2 classroom")
    opened = new_assessment(store, "Year 1 classroom", {"lighting.glare": "yes"})
    open_assessment(page, app_server, opened)
    label = "Year 2 classroom · classroom"
    closed = page.get_by_text(f"Closed the assessment of Year 1 classroom (no. {opened})")
    if by == "clear":
        # The clear button empties the room: the open assessment closes, saying so, and stays closed.
        picker(page, "Room").get_by_role("button", name="Clear value").tap()
        wait_idle(page)
        expect(picker(page, "Room").locator("input")).to_have_value("")
        wait_address(page)
        expect(page.locator('[class*="st-key-assess_item_"]')).to_have_count(0)
        expect(closed).to_be_visible()
        choose(page, "Room", label)
    else:
        choose(page, "Room", label, by=by)
    # No snapping back to the open assessment's room.
    expect(picker(page, "Room").locator("input")).to_have_value(re.compile("^Year 2 classroom"))
    wait_address(page, without=opened)
    if by != "clear":
        expect(closed).to_be_visible()
    screenshot(page, f"assess-defects-room-{by}")

    with store.session() as session:
        before = {a.id for a in repository.list_assessments(session, staff(store))}
    start = page.get_by_role("button", name=re.compile("^Start a new assessment"))
    expect(start).to_contain_text("Year 2 classroom")
    start.tap()
    page.wait_for_function(
        "known => { const m = location.search.match(/assessment=(\\d+)/); return m && !known.includes(+m[1]); }",
        arg=sorted(before),
    )
    wait_idle(page)
    started = address_assessment(page)
    assert started is not None
    with store.session() as session:
        created = [a for a in repository.list_assessments(session, staff(store)) if a.id not in before]
    assert [(a.id, a.room_id) for a in created] == [(started, year2.id)], f"Year 1 is room {year1.id}"
    expect(page.get_by_text("Year 2 classroom, Hillview Primary School · Classroom checklist")).to_be_visible()
    no_error_elements(page)


# --------------------------------------------------------------------------------------------
# 2. A refused value leaves the saved value in the field
# --------------------------------------------------------------------------------------------


def test_a_refused_value_leaves_the_saved_value_visible(app_server: AppServer, tablet: Page, store: Store) -> None:
    page = tablet
    opened = new_assessment(store, "Year 3 classroom", {"noise.reverberation_time": 0.6})
    open_assessment(page, app_server, opened)
    open_section(page, "noise")
    reverb = item_box(page, opened, "noise.reverberation_time")
    field = reverb.locator('input[type="text"]')
    expect(field).to_have_value("0.6")

    type_reading(reverb, "1; 234")
    expect(status_of(reverb)).to_contain_text("Nothing was saved", timeout=TIMEOUT)
    expect(field).to_have_value("0.6")
    expect(status_of(reverb)).to_contain_text("the second reading, 234 s,")
    expect(status_of(reverb)).to_contain_text("0.6 s, still counts")
    screenshot(page, "assess-defects-refused")
    assert saved(store, opened) == {"noise.reverberation_time": (0.6,)}

    # Away to another screen and back: the same section, and the field still shows what counts.
    sidebar_link(page, "Criteria")
    sidebar_link(page, "Assess a room")
    expect(page.get_by_role("tab", name=TITLES["noise"], exact=True)).to_have_attribute("aria-selected", "true")
    expect(item_box(page, opened, "noise.reverberation_time").locator('input[type="text"]')).to_have_value("0.6")


# --------------------------------------------------------------------------------------------
# 3. The open assessment stays open across screens and reloads until it is closed
# --------------------------------------------------------------------------------------------


def test_criteria_and_back_keeps_the_assessment_open(app_server: AppServer, tablet: Page, store: Store) -> None:
    page = tablet
    opened = new_assessment(store, "Year 6 classroom", {"lighting.glare": "yes"})
    open_assessment(page, app_server, opened)
    sidebar_link(page, "Criteria")
    expect(page.get_by_role("heading", name="Criteria")).to_be_visible()
    sidebar_link(page, "Assess a room")
    item_box(page, opened, "lighting.glare").wait_for(timeout=TIMEOUT)
    expect(page.get_by_text("Choose the site, then the room")).to_have_count(0)
    expect(picker(page, "Room").locator("input")).to_have_value(re.compile("^Year 6 classroom"))
    wait_address(page, showing=opened)
    expect(item_box(page, opened, "lighting.glare").locator('button[aria-checked="true"]')).to_have_text("Yes")

    page.reload()
    wait_idle(page)
    item_box(page, opened, "lighting.glare").wait_for(timeout=TIMEOUT)

    # Closing is the assessor's choice, and says so.
    page.get_by_role("button", name="Close this assessment").tap()
    wait_idle(page)
    expect(page.get_by_text(f"Closed the assessment of Year 6 classroom (no. {opened})")).to_be_visible()
    expect(page.locator('[class*="st-key-assess_item_"]')).to_have_count(0)
    wait_address(page)
    sidebar_link(page, "Criteria")
    sidebar_link(page, "Assess a room")
    expect(page.locator('[class*="st-key-assess_item_"]')).to_have_count(0)
    expect(picker(page, "Room").locator("input")).to_have_value(re.compile("^Year 6 classroom"))


# --------------------------------------------------------------------------------------------
# 4. The summary follows every tap
# --------------------------------------------------------------------------------------------


def expected_headline(score: RoomScore, done: int) -> list[str]:
    """What the summary bar must say for the engine's score of what is stored."""
    total = len(CLASSROOM.items)
    if score.overall is None:
        return ["No score yet", f"{done} of {total} answered"]
    parts = [f"Score {score.overall:.1f} · Band {score.band}", f"{done} of {total} answered"]
    return parts + (["(provisional)"] if score.provisional else [])


def test_the_summary_equals_the_engine_after_each_of_ten_taps(
    app_server: AppServer, tablet: Page, store: Store
) -> None:
    page = tablet
    opened = new_assessment(store, "Year 5 classroom")
    open_assessment(page, app_server, opened)
    yes_no = [r for r in CLASSROOM.items if r.item.kind.value == "yes_no" and r.item.category in ("lighting", "noise")]
    taps = yes_no[:10]
    assert len(taps) == 10
    for n, resolved in enumerate(taps, start=1):
        if n == 1 or resolved.item.category != taps[n - 2].item.category:
            open_section(page, resolved.item.category)
        item = item_box(page, opened, resolved.item.id)
        # Some good answers, some bad, so the score moves both ways.
        tap_segment(item, "No" if n % 3 == 0 else "Yes")
        expect(status_of(item)).to_contain_text("Saved", timeout=TIMEOUT)
        score = engine_score(store, opened)
        assert sum(1 for i in score.items.values() if i.status != "missing") == n
        for text in expected_headline(score, n):
            expect(bar(page)).to_contain_text(text, timeout=TIMEOUT)
        if score.provisional:
            expect(status_of(item)).to_contain_text("(provisional)")
    screenshot(page, "assess-defects-summary")


# --------------------------------------------------------------------------------------------
# 5. "Note, photos and guidance" opens with its content, even while another field holds typing
# --------------------------------------------------------------------------------------------


def test_the_note_panel_opens_with_its_content_after_typing_in_another_field(
    app_server: AppServer, tablet: Page, store: Store
) -> None:
    page = tablet
    opened = new_assessment(store, "Year 6 classroom")
    open_assessment(page, app_server, opened)
    lux = item_box(page, opened, "lighting.illuminance").locator('input[type="text"]')
    lux.tap()
    lux.fill("420")  # typed, not yet sent: the next tap sends it
    glare = item_box(page, opened, "lighting.glare")
    glare.get_by_text("Note, photos and guidance").tap()
    expect(glare.get_by_label("Note")).to_be_visible(timeout=TIMEOUT)
    expect(glare.get_by_text("What good looks like, and how to check.")).to_be_visible()
    expect(status_of(item_box(page, opened, "lighting.illuminance"))).to_contain_text("Saved", timeout=TIMEOUT)
    assert saved(store, opened) == {"lighting.illuminance": (420.0,)}
    screenshot(page, "assess-defects-note-panel")


# --------------------------------------------------------------------------------------------
# 6. Submitting with gaps needs a real reason; the reviewer sees what was left out
# --------------------------------------------------------------------------------------------


def test_ok_is_refused_as_a_reason_to_submit_with_gaps(app_server: AppServer, tablet: Page, store: Store) -> None:
    page = tablet
    opened = new_assessment(store, "Year 3 classroom", {"lighting.glare": "yes", "lighting.dimmable": "yes"})
    open_assessment(page, app_server, opened)
    reason = page.get_by_label(re.compile("why submit without them", re.IGNORECASE))
    submit = page.get_by_role("button", name=re.compile("^Submit"))
    reason.scroll_into_view_if_needed()
    reason.fill("ok")
    reason.press("Tab")
    wait_idle(page)
    submit.tap()
    wait_idle(page)
    with store.session() as session:
        assert repository.get_assessment(session, staff(store), opened).status is AssessmentStatus.draft
    refusal = page.get_by_test_id("stAlertContentError").filter(has_text="Not submitted")
    expect(refusal).to_be_visible(timeout=TIMEOUT)
    expect(refusal).to_contain_text("at least 3 words and 15 characters")
    critical = CATALOGUE.item("quiet_zones.retreat_space").question
    expect(refusal).to_contain_text(critical)
    expect(refusal).not_to_contain_text("quiet_zones.retreat_space")
    expect(refusal).not_to_contain_text("lighting.flicker")
    # The reason comes first: its box is above the button and the message.
    reason_box, message_box = reason.bounding_box(), refusal.bounding_box()
    assert reason_box is not None
    assert message_box is not None
    assert reason_box["y"] < message_box["y"]
    screenshot(page, "assess-defects-reason-refused")

    reason.fill("The sound level meter was away for calibration.")
    reason.press("Tab")
    wait_idle(page)
    submit.tap()
    wait_idle(page)
    expect(page.get_by_text("read-only for staff")).to_be_visible(timeout=TIMEOUT)
    with store.session() as session:
        stored = repository.get_assessment(session, staff(store), opened)
    assert stored.status is AssessmentStatus.submitted
    assert stored.provisional_reason == "The sound level meter was away for calibration."
    # A provisional band never stands without saying so and how much was answered.
    expect(bar(page)).to_contain_text("(provisional)")
    expect(bar(page)).to_contain_text(f"2 of {len(CLASSROOM.items)} answered")


def test_the_manager_sees_what_was_left_out_and_not_the_staff_members_message(
    app_server: AppServer, tablet: Page, store: Store
) -> None:
    page = tablet
    opened = new_assessment(store, "Year 1 classroom", {"lighting.glare": "yes"})
    open_assessment(page, app_server, opened)
    reason = page.get_by_label(re.compile("why submit without them", re.IGNORECASE))
    reason.scroll_into_view_if_needed()
    reason.fill("The sound level meter was away for calibration.")
    reason.press("Tab")
    wait_idle(page)
    page.get_by_role("button", name=re.compile("^Submit")).tap()
    wait_idle(page)
    expect(page.get_by_text("Submitted as provisional:")).to_be_visible(timeout=TIMEOUT)

    open_navigation(page)
    page.get_by_test_id("stSidebar").get_by_role("combobox", name="Try as").tap()
    page.get_by_role("option", name=re.compile(r"\(manager\)")).tap()
    wait_idle(page)
    close_navigation(page)
    # The manager opens the same assessment (choosing what is already chosen changes nothing).
    choose(page, "Site", "Hillview Primary School")
    choose(page, "Room", "Year 1 classroom · classroom")
    choose(page, "Assessment", f"(no. {opened})")
    expect(page.get_by_role("button", name="Mark reviewed")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("Submitted as provisional:")).to_have_count(0)
    left_out = page.get_by_test_id("stAlertContentWarning").filter(has_text="Left unanswered")
    expect(left_out).to_contain_text(CATALOGUE.item("quiet_zones.retreat_space").question)
    expect(left_out).to_contain_text(CATALOGUE.item("lighting.flicker").question)
    screenshot(page, "assess-defects-reviewer")


# --------------------------------------------------------------------------------------------
# 7. A reading far outside what the room can have is asked about before it is saved
# --------------------------------------------------------------------------------------------


def test_99999_lux_asks_for_confirmation(app_server: AppServer, tablet: Page, store: Store) -> None:
    page = tablet
    opened = new_assessment(store, "Year 5 classroom", {"lighting.illuminance": 420})
    open_assessment(page, app_server, opened)
    lux = item_box(page, opened, "lighting.illuminance")
    field = lux.locator('input[type="text"]')

    type_reading(lux, "99999")
    question = "99999 lx is far above what a classroom can have (limit 1000 lx). Save it anyway?"
    expect(status_of(lux)).to_contain_text(question, timeout=TIMEOUT)
    assert saved(store, opened) == {"lighting.illuminance": (420.0,)}
    screenshot(page, "assess-defects-unlikely")
    lux.get_by_role("button", name="Change it").tap()
    wait_idle(page)
    expect(field).to_have_value("420")
    expect(status_of(lux)).to_contain_text("Not saved: 99999 lx")
    assert saved(store, opened) == {"lighting.illuminance": (420.0,)}

    type_reading(lux, "99999")
    expect(status_of(lux)).to_contain_text(question, timeout=TIMEOUT)
    lux.get_by_role("button", name="Save anyway").tap()
    expect(status_of(lux)).to_contain_text("Saved", timeout=TIMEOUT)
    expect(field).to_have_value("99999")
    assert saved(store, opened) == {"lighting.illuminance": (99999.0,)}


# --------------------------------------------------------------------------------------------
# 8. The Criteria screen says each thing once
# --------------------------------------------------------------------------------------------


def test_the_criteria_screen_says_each_thing_once(app_server: AppServer, tablet: Page) -> None:
    page = tablet
    page.goto(f"{app_server.url}/criteria")
    wait_idle(page)
    reverb = page.get_by_test_id("stExpander").filter(has_text="noise.reverberation_time")
    reverb.get_by_text("What is the reverberation time").tap()
    wait_idle(page)
    text = reverb.inner_text()
    kind = "a measured reading (several readings are averaged)"
    assert text.count(kind) == 1, text
