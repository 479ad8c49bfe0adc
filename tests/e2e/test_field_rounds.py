"""Field rounds in Chromium: a tablet whose connection drops mid-checklist, and two assessors in
one room on one assessment.

The connection is cut with Playwright's `context.set_offline`: the browser goes offline (no page
request reaches the server, `navigator.onLine` is false) while, as in Chromium's offline emulation
and on a real tablet whose Wi-Fi drops, the page's open websocket stays open for a while: what the
page sends into it meanwhile would be lost on a real tablet. The test then checks that the database
and the screen agree on every answer and that nothing shown as saved is missing.

The connection is also cut while the browser stays online, with Playwright's `route_web_socket`
(see `Link`): at the moment an answer is sent, dropping it or its reply, or leaving the connection
open and silent.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Literal

import pytest
from PIL import Image
from playwright.sync_api import BrowserContext, Locator, Page, WebSocketRoute, expect
from streamlit.proto.BackMsg_pb2 import BackMsg

from assessments import repository
from assessments.db import Store
from assessments.demo import DEMO_USERS
from assessments.models import User
from checklists.loader import default_catalogue
from tests.e2e.conftest import (
    TABLET_LANDSCAPE,
    TABLET_PORTRAIT,
    AppServer,
    rerun,
    start_app,
    stop_app,
    try_as,
    wait_idle,
)

pytestmark = pytest.mark.e2e

CATALOGUE = default_catalogue()
CLASSROOM = CATALOGUE.checklist("school", "classroom")
TITLES = {c.id: c.title for c in CATALOGUE.categories}
TIMEOUT = 60_000  # a page load on a busy machine can take most of a minute
STAFF, SECOND = DEMO_USERS[0], DEMO_USERS[4]  # Sam Patel and Jo Bennett, staff of one school


def person(store: Store, email: str) -> User:
    with store.session() as session:
        found = repository.get_user_by_email(session, email)
    assert found is not None
    return found


def start(store: Store, room_name: str, answers: dict[str, object] | None = None) -> int:
    staff = person(store, STAFF.email)
    with store.session() as session:
        room = next(r for r in repository.list_rooms(session, staff) if r.name == room_name)
        started = repository.start_assessment(session, staff, room.id)
        for item_id, value in (answers or {}).items():
            repository.save_answer(session, staff, started.id, item_id, value, None)
    return started.id


def saved(store: Store, assessment_id: int) -> dict[str, object]:
    with store.session() as session:
        return dict(repository.assessment_answers(session, person(store, STAFF.email), assessment_id))


def given_by(store: Store, assessment_id: int) -> dict[str, str | None]:
    with store.session() as session:
        stamps = repository.answer_stamps(session, person(store, STAFF.email), assessment_id)
    return {item_id: stamp.answered_by for item_id, stamp in stamps.items()}


def item_box(page: Page, assessment_id: int, item_id: str) -> Locator:
    return page.locator(f".st-key-assess_item_{assessment_id}_{item_id.replace('.', '-')}")


def status_of(item: Locator) -> Locator:
    return item.locator('[class*="st-key-assess_status_"]')


def open_assessment(page: Page, server: AppServer, assessment_id: int) -> None:
    page.goto(f"{server.url}/?assessment={assessment_id}")
    wait_idle(page, TIMEOUT)
    page.locator(f'[class*="st-key-assess_item_{assessment_id}_"]').first.wait_for(timeout=TIMEOUT)


def open_section(page: Page, category: str) -> None:
    tab = page.get_by_role("tab", name=TITLES[category], exact=True)
    if tab.get_attribute("aria-selected") != "true":
        with rerun(page, TIMEOUT):
            tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")


def segment(item: Locator, label: str) -> Locator:
    return item.locator('button[role="radio"]', has_text=re.compile(f"^{re.escape(label)}$"))


def chosen(item: Locator) -> Locator:
    return item.locator('button[role="radio"][aria-checked="true"]')


def photo_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (90, 140, 200)).save(out, format="PNG")
    path = tmp_path_factory.mktemp("photos") / "pipes-by-the-window.png"
    path.write_bytes(out.getvalue())
    return str(path)


def every_saved_item_is_stored(page: Page, store: Store, assessment_id: int, section: str) -> None:
    """Nothing the screen shows as saved is missing from the database, and no "Saved" is shown
    beside an item whose answer the store does not hold."""
    stored = saved(store, assessment_id)
    for resolved in CLASSROOM.items:
        if resolved.item.category != section:
            continue
        status = status_of(item_box(page, assessment_id, resolved.item.id))
        # "Saved 10:41:02 · by Sam Patel", or after a photo "Photo x.png saved 10:41:05 · by Sam Patel"
        says_saved = status.is_visible() and bool(re.search(r"\bSaved\b| · by ", status.inner_text()))
        assert says_saved == (resolved.item.id in stored), (resolved.item.id, status.inner_text(), stored)


# --------------------------------------------------------------------------------------------
# A weak signal
# --------------------------------------------------------------------------------------------


def test_offline_mid_checklist_loses_nothing(
    app_server: AppServer,
    new_context: Callable[..., BrowserContext],
    store: Store,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    assessment_id = start(store, "Year 2 classroom", {"lighting.glare": "no"})
    context = new_context(viewport=TABLET_PORTRAIT, has_touch=True)
    page = context.new_page()
    open_assessment(page, app_server, assessment_id)
    open_section(page, "lighting")
    glare = item_box(page, assessment_id, "lighting.glare")
    dimmable = item_box(page, assessment_id, "lighting.dimmable")
    illuminance = item_box(page, assessment_id, "lighting.illuminance")
    expect(status_of(glare)).to_contain_text("Saved", timeout=TIMEOUT)
    # The photo panel of one item is open, as the assessor left it.
    with rerun(page, TIMEOUT):
        dimmable.get_by_text("Note, photos and guidance").click()
    uploader = dimmable.locator('input[type="file"]')
    uploader.wait_for(state="attached", timeout=TIMEOUT)
    banner = page.get_by_role("status").filter(has_text=re.compile("^Offline"))

    context.set_offline(True)
    expect(banner).to_be_visible(timeout=TIMEOUT)
    expect(banner).to_contain_text("Everything marked Saved is saved")
    segment(glare, "Yes").tap()  # changes an answer that was saved before the drop
    segment(dimmable, "Yes").tap()
    reading = illuminance.locator('input[type="text"]')
    reading.fill("410")
    reading.press("Enter")
    uploader.set_input_files(photo_file(tmp_path_factory))

    # While offline, none of them looks saved: each says it is not saved yet.
    for item in (glare, dimmable, illuminance):
        expect(item.locator(".sa-unsent")).to_contain_text("Not saved yet", timeout=TIMEOUT)
        expect(status_of(item)).to_be_hidden()
    expect(dimmable.locator(".sa-unsent")).to_contain_text("photo pipes-by-the-window.png")
    expect(banner).to_contain_text("Waiting to be sent: 3 items")
    assert saved(store, assessment_id) == {"lighting.glare": False}  # nothing reached the server

    context.set_offline(False)
    back = page.get_by_role("status").filter(has_text="Back online")
    expect(back).to_contain_text("every answer given while offline is saved", timeout=TIMEOUT)
    expect(page.locator(".sa-unsent")).to_have_count(0)
    wait_idle(page, TIMEOUT)

    stored = saved(store, assessment_id)
    assert stored == {"lighting.glare": True, "lighting.dimmable": True, "lighting.illuminance": (410.0,)}
    with store.session() as session:
        photos = repository.list_evidence(session, person(store, STAFF.email), assessment_id)
    assert [(p.item_id, p.file_name) for p in photos] == [("lighting.dimmable", "pipes-by-the-window.png")]
    # The screen agrees with the database, item by item.
    expect(chosen(glare)).to_have_text("Yes")
    expect(chosen(dimmable)).to_have_text("Yes")
    expect(reading).to_have_value("410")
    expect(status_of(dimmable)).to_contain_text("Photo pipes-by-the-window.png saved")
    every_saved_item_is_stored(page, store, assessment_id, "lighting")

    # A fresh load of the page shows the same answers (nothing lived only in this tab).
    open_assessment(page, app_server, assessment_id)
    open_section(page, "lighting")
    expect(chosen(item_box(page, assessment_id, "lighting.glare"))).to_have_text("Yes")
    expect(item_box(page, assessment_id, "lighting.illuminance").locator('input[type="text"]')).to_have_value("410")
    every_saved_item_is_stored(page, store, assessment_id, "lighting")


def test_a_page_closed_while_answers_wait_says_so_when_opened_again(
    app_server: AppServer, new_context: Callable[..., BrowserContext], store: Store
) -> None:
    assessment_id = start(store, "Year 5 classroom")
    context = new_context(viewport=TABLET_PORTRAIT, has_touch=True)
    page = context.new_page()
    link = Link(page)
    open_assessment(page, app_server, assessment_id)
    open_section(page, "lighting")
    # Offline as a tablet whose Wi-Fi is gone: the browser says so, and the open connection carries
    # nothing either (the browser's offline mode alone leaves an open websocket delivering frames).
    link.down = True
    context.set_offline(True)
    # The tap comes once the page itself knows it is offline (its banner says so).
    expect(page.get_by_role("status").filter(has_text=re.compile("^Offline"))).to_be_visible(timeout=TIMEOUT)
    segment(item_box(page, assessment_id, "lighting.dimmable"), "Yes").tap()
    expect(item_box(page, assessment_id, "lighting.dimmable").locator(".sa-unsent")).to_contain_text("Not saved yet")
    page.close()  # the tab is closed before the connection returns: the answer never left it
    link.restore()
    context.set_offline(False)

    again = context.new_page()
    open_assessment(again, app_server, assessment_id)
    question = CLASSROOM.by_id()["lighting.dimmable"].item.question
    lost = again.get_by_role("status").filter(has_text=re.compile("^Not saved"))
    expect(lost).to_contain_text(f"did not reach the server: {question}", timeout=TIMEOUT)
    assert saved(store, assessment_id) == {}
    lost.get_by_role("button", name="Understood").click()
    expect(lost).to_be_hidden()


def test_a_connection_the_app_sees_drop_pauses_the_answers_and_keeps_every_saved_one(
    app_server: AppServer, new_context: Callable[..., BrowserContext], store: Store
) -> None:
    """When the websocket itself closes, Streamlit greys out every input until it is connected
    again: the banner says so, and what was saved before is what the database holds."""
    assessment_id = start(store, "Year 1 classroom", {"lighting.glare": "no"})
    page = new_context(viewport=TABLET_PORTRAIT, has_touch=True).new_page()
    connections: list[WebSocketRoute] = []
    down = {"now": False}

    def through(route: WebSocketRoute) -> None:
        if down["now"]:
            route.close()
            return
        route.connect_to_server()
        connections.append(route)

    page.route_web_socket(re.compile(r"/_stcore/stream"), through)
    open_assessment(page, app_server, assessment_id)
    open_section(page, "lighting")
    dimmable = item_box(page, assessment_id, "lighting.dimmable")
    segment(dimmable, "Yes").tap()
    expect(status_of(dimmable)).to_contain_text("Saved", timeout=TIMEOUT)

    down["now"] = True
    page.context.set_offline(True)
    connections[-1].close()
    banner = page.get_by_role("status").filter(has_text=re.compile("^Offline"))
    expect(banner).to_contain_text("The answers are paused until the connection returns", timeout=TIMEOUT)
    expect(segment(item_box(page, assessment_id, "lighting.blind_patterns"), "Yes")).to_be_disabled()
    every_saved_item_is_stored(page, store, assessment_id, "lighting")

    down["now"] = False
    page.context.set_offline(False)
    expect(page.get_by_role("status").filter(has_text=re.compile("^Back online"))).to_contain_text(
        "the connection to the server is back", timeout=TIMEOUT
    )
    wait_idle(page, TIMEOUT)
    blinds = item_box(page, assessment_id, "lighting.blind_patterns")
    segment(blinds, "Yes").tap()
    expect(status_of(blinds)).to_contain_text("Saved", timeout=TIMEOUT)
    assert saved(store, assessment_id) == {"lighting.glare": False, "lighting.dimmable": True,
                                           "lighting.blind_patterns": True}  # fmt: skip
    every_saved_item_is_stored(page, store, assessment_id, "lighting")


class Link:
    """The page's connection to the server, passed through Playwright, that a test can cut at the
    moment the page sends an answer, while the browser goes on saying it is online.

    `cut_at_next_answer("drop")`: the next answer the page sends never reaches the server;
    `("deliver")`: it reaches the server, but the connection closes before any reply comes back.
    Either way both sides of the connection are closed, and new connections are refused until
    `restore()`. `("hold")`: the answer and all the page sends after it go nowhere, and the
    connection stays open until `close()`.
    """

    def __init__(self, page: Page) -> None:
        self.down = False
        self.cut: Literal["drop", "deliver", "hold"] | None = None
        self.answers_sent = 0  # rerun requests the page sent to the server
        self.open: tuple[WebSocketRoute, WebSocketRoute] | None = None
        self.page = page
        # What the page and the link did, in order: said when a check fails, so a rare failure can
        # be read from its report (the app's connection log, the messages the link let through).
        self.events: list[str] = []
        page.on("console", lambda message: self.events.append(f"console {message.type}: {message.text[:200]}"))
        page.route_web_socket(re.compile(r"/_stcore/stream"), self._connect)

    def _connect(self, route: WebSocketRoute) -> None:
        if self.down:
            self.events.append("link: connection refused")
            route.close()
            return
        self.events.append("link: connected to the server")
        server = route.connect_to_server()
        self.open = (route, server)
        route.on_message(lambda message: self._from_page(route, server, message))

    def _from_page(self, route: WebSocketRoute, server: WebSocketRoute, message: str | bytes) -> None:
        answer = isinstance(message, bytes) and BackMsg.FromString(message).WhichOneof("type") == "rerun_script"
        if answer:
            self.answers_sent += 1
            fragment = BackMsg.FromString(message).rerun_script.fragment_id
            self.events.append(f"link: rerun {'fragment ' + fragment if fragment else 'of the page'} "
                               f"{'dropped' if self.down else 'cut' if self.cut else 'passed'}")  # fmt: skip
        if self.down:
            return  # a quiet connection carries nothing
        if not (answer and self.cut):
            server.send(message)
            return
        how, self.cut, self.down = self.cut, None, True
        if how == "hold":
            return
        if how == "deliver":
            server.send(message)
        self.close()

    def cut_at_next_answer(self, how: Literal["drop", "deliver", "hold"]) -> None:
        self.cut = how

    def close(self) -> None:
        assert self.open is not None
        route, server = self.open
        server.close()
        route.close()

    def restore(self) -> None:
        self.events.append("link: restored")
        self.down = False

    @contextmanager
    def explained(self) -> Iterator[None]:
        """A failing check inside says what the link, the app and the page's guard did meanwhile."""
        try:
            yield
        except AssertionError as failure:
            pending = self.page.evaluate(
                "() => JSON.stringify([...(window.__saGuard?.pending || new Map())].map(([k, e]) =>"
                " [k, e.state, e.given, e.before, e.sentAt]))"
            )
            said = "\n".join(self.events[-40:])
            raise AssertionError(
                f"{failure}\n-- the guard's pending answers: {json.loads(pending)}\n-- {said}"
            ) from None


def linked_lighting(
    new_context: Callable[..., BrowserContext], server: AppServer, assessment_id: int
) -> tuple[Page, Link]:
    """A tablet whose connection goes through a `Link`, on the assessment's lighting section."""
    page = new_context(viewport=TABLET_PORTRAIT, has_touch=True).new_page()
    link = Link(page)
    open_assessment(page, server, assessment_id)
    open_section(page, "lighting")
    return page, link


def tap_as_cut(link: Link, item: Locator, label: str, how: Literal["drop", "deliver", "hold"]) -> Locator:
    """Tap an answer with the connection cut as it is sent; returns the item's "Not saved" mark."""
    link.cut_at_next_answer(how)
    segment(item, label).tap()
    return item.locator(".sa-unsent")


def nothing_shown_saved_is_missing(page: Page, store: Store, assessment_id: int, section: str) -> None:
    """No item of the section shows "Saved" for an answer the database does not hold (an item
    marked "Not saved yet" may or may not have reached it)."""
    stored = saved(store, assessment_id)
    for resolved in CLASSROOM.items:
        if resolved.item.category != section:
            continue
        status = status_of(item_box(page, assessment_id, resolved.item.id))
        if status.is_visible() and re.search(r"\bSaved\b| · by ", status.inner_text()):
            assert resolved.item.id in stored, (resolved.item.id, status.inner_text(), stored)


_WATCH_MARKS = """() => {
    window.__saMarksSeen = 0;
    new MutationObserver((changes) => {
        for (const change of changes) for (const node of change.addedNodes) {
            if (node.nodeType === 1 && (node.matches('.sa-unsent') || node.querySelector('.sa-unsent'))) {
                window.__saMarksSeen += 1;
            }
        }
    }).observe(document.body, {childList: true, subtree: true});
}"""


def test_a_tap_sent_as_the_connection_dies_is_saved_after_it_returns(
    app_server: AppServer, new_context: Callable[..., BrowserContext], store: Store
) -> None:
    """The browser still says it is online, but the connection dies with the tap in it: the item
    says "Not saved yet" (its earlier "Saved" line is hidden), and once connected again the answer
    is in the database and the item says Saved."""
    assessment_id = start(store, "Year 3 classroom", {"lighting.glare": "no"})
    page, link = linked_lighting(new_context, app_server, assessment_id)
    glare = item_box(page, assessment_id, "lighting.glare")
    dimmable = item_box(page, assessment_id, "lighting.dimmable")
    expect(status_of(glare)).to_contain_text("Saved", timeout=TIMEOUT)

    # On a good connection a tap shows nothing of this: one request, saved, no mark ever drawn.
    page.evaluate(_WATCH_MARKS)
    before = link.answers_sent
    with rerun(page, TIMEOUT):
        segment(dimmable, "Yes").tap()
    expect(status_of(dimmable)).to_contain_text("Saved", timeout=TIMEOUT)
    assert link.answers_sent - before == 1
    assert page.evaluate("window.__saMarksSeen") == 0
    assert saved(store, assessment_id) == {"lighting.glare": False, "lighting.dimmable": True}

    # The connection dies with the next tap in it; the browser never goes offline.
    expect(tap_as_cut(link, glare, "Yes", "drop")).to_contain_text("Not saved yet", timeout=TIMEOUT)
    expect(status_of(glare)).to_be_hidden()  # its "Saved" was for No, not for this Yes
    assert page.evaluate("navigator.onLine") is True
    banner = page.get_by_role("status").filter(has_text=re.compile("^Offline"))
    expect(banner).to_contain_text("Waiting to be sent: 1 item", timeout=TIMEOUT)
    assert saved(store, assessment_id) == {"lighting.glare": False, "lighting.dimmable": True}
    nothing_shown_saved_is_missing(page, store, assessment_id, "lighting")

    link.restore()
    expect(page.locator(".sa-unsent")).to_have_count(0, timeout=TIMEOUT)
    expect(status_of(glare)).to_contain_text("Saved", timeout=TIMEOUT)
    wait_idle(page, TIMEOUT)
    assert saved(store, assessment_id) == {"lighting.glare": True, "lighting.dimmable": True}
    expect(chosen(glare)).to_have_text("Yes")
    every_saved_item_is_stored(page, store, assessment_id, "lighting")

    # A fresh load agrees: the answer lives in the database, not only on this screen.
    open_assessment(page, app_server, assessment_id)
    open_section(page, "lighting")
    expect(chosen(item_box(page, assessment_id, "lighting.glare"))).to_have_text("Yes")
    every_saved_item_is_stored(page, store, assessment_id, "lighting")


def test_a_reading_whose_reply_is_lost_is_not_shown_saved_until_the_server_says_so(
    app_server: AppServer, new_context: Callable[..., BrowserContext], store: Store
) -> None:
    """A typed reading reaches the server, but the connection closes before the reply: the tablet
    cannot know it was saved, so the item says "Not saved yet" until it is connected again and the
    server's answer for it is drawn; then the database and the screen agree."""
    assessment_id = start(store, "Year 5 classroom", {"lighting.illuminance": [380]})
    page, link = linked_lighting(new_context, app_server, assessment_id)
    illuminance = item_box(page, assessment_id, "lighting.illuminance")
    reading = illuminance.locator('input[type="text"]')
    expect(status_of(illuminance)).to_contain_text("Saved", timeout=TIMEOUT)
    expect(reading).to_have_value("380")

    link.cut_at_next_answer("deliver")
    reading.fill("410")
    reading.press("Enter")
    expect(illuminance.locator(".sa-unsent")).to_contain_text("Not saved yet", timeout=TIMEOUT)
    expect(status_of(illuminance)).to_be_hidden()
    assert page.evaluate("navigator.onLine") is True
    nothing_shown_saved_is_missing(page, store, assessment_id, "lighting")

    link.restore()
    expect(page.locator(".sa-unsent")).to_have_count(0, timeout=TIMEOUT)
    expect(status_of(illuminance)).to_contain_text("Saved", timeout=TIMEOUT)
    wait_idle(page, TIMEOUT)
    assert saved(store, assessment_id) == {"lighting.illuminance": (410.0,)}
    expect(reading).to_have_value("410")
    every_saved_item_is_stored(page, store, assessment_id, "lighting")

    # A reading the server refuses, cut the same way: the item says why, and is not called lost.
    link.cut_at_next_answer("drop")
    reading.fill("-5")
    reading.press("Enter")
    expect(illuminance.locator(".sa-unsent")).to_contain_text("Not saved yet", timeout=TIMEOUT)
    link.restore()
    with link.explained():
        expect(status_of(illuminance)).to_contain_text("not physically possible", timeout=TIMEOUT)
        expect(page.locator(".sa-unsent")).to_have_count(0, timeout=TIMEOUT)
    wait_idle(page, TIMEOUT)
    assert saved(store, assessment_id) == {"lighting.illuminance": (410.0,)}
    expect(page.get_by_role("status").filter(has_text=re.compile("^Not saved"))).to_have_count(0)


def test_an_answer_into_a_quiet_connection_is_marked_then_sent_again(
    app_server: AppServer, new_context: Callable[..., BrowserContext], store: Store
) -> None:
    """The connection stays open but carries nothing: the tap gets no answer, and after a while the
    item says it is not saved yet; once the connection closes and comes back, it is saved."""
    assessment_id = start(store, "Year 6 classroom")
    page, link = linked_lighting(new_context, app_server, assessment_id)
    blinds = item_box(page, assessment_id, "lighting.blind_patterns")

    expect(tap_as_cut(link, blinds, "No", "hold")).to_contain_text("the server has not answered", timeout=TIMEOUT)
    expect(status_of(blinds)).to_be_hidden()  # "Not answered yet", from before the tap
    assert saved(store, assessment_id) == {}

    link.close()
    expect(blinds.locator(".sa-unsent")).to_contain_text("no connection", timeout=TIMEOUT)
    link.restore()
    expect(status_of(blinds)).to_contain_text("Saved", timeout=TIMEOUT)
    expect(page.locator(".sa-unsent")).to_have_count(0, timeout=TIMEOUT)
    wait_idle(page, TIMEOUT)
    assert saved(store, assessment_id) == {"lighting.blind_patterns": False}
    expect(chosen(blinds)).to_have_text("No")
    every_saved_item_is_stored(page, store, assessment_id, "lighting")


def test_a_tap_lost_with_a_server_that_restarted_says_so(
    app_server: AppServer, new_context: Callable[..., BrowserContext], store: Store
) -> None:
    """The connection dies with a tap in it and the server restarts before it comes back: the new
    server session cannot take the old one's messages, and the screen agrees with the database."""
    assessment_id = start(store, "Year 1 classroom")
    page, link = linked_lighting(new_context, app_server, assessment_id)
    blinds = item_box(page, assessment_id, "lighting.blind_patterns")
    expect(tap_as_cut(link, blinds, "Yes", "drop")).to_contain_text("Not saved yet", timeout=TIMEOUT)

    stop_app(app_server)  # the same data, a new server process: no session survives
    started = start_app(app_server.data_dir, app_server.extra_env, port=app_server.port)
    app_server.process, app_server.log = started.process, started.log
    link.restore()
    wait_idle(page, TIMEOUT)
    expect(page.get_by_role("status").filter(has_text=re.compile("^Offline"))).to_be_hidden(timeout=TIMEOUT)
    mark = blinds.locator(".sa-unsent")
    # The answer was replayed into the new session, which knows nothing of it: once checked, the
    # item says plainly that it is not saved, and the banner names it.
    expect(mark).to_contain_text("Not saved: the connection dropped before the server took it", timeout=TIMEOUT)
    expect(mark).to_contain_text("Give this answer again")
    expect(status_of(blinds)).to_be_hidden()
    question = CLASSROOM.by_id()["lighting.blind_patterns"].item.question
    expect(page.get_by_role("alert").filter(has_text=re.compile("^Not saved"))).to_have_count(1)
    expect(page.locator("#sa-connection")).to_contain_text(f"did not reach the server: {question}")
    assert saved(store, assessment_id) == {}
    nothing_shown_saved_is_missing(page, store, assessment_id, "lighting")


# --------------------------------------------------------------------------------------------
# Two assessors in one room
# --------------------------------------------------------------------------------------------


def test_two_assessors_merge_different_sections_and_choose_on_one_item(
    app_server: AppServer, new_context: Callable[..., BrowserContext], store: Store
) -> None:
    assessment_id = start(store, "Year 6 classroom")
    first = new_context(viewport=TABLET_PORTRAIT, has_touch=True).new_page()
    second = new_context(viewport=TABLET_LANDSCAPE, has_touch=True).new_page()
    open_assessment(first, app_server, assessment_id)
    open_assessment(second, app_server, assessment_id)
    try_as(second, f"{SECOND.name} (staff)", TIMEOUT)
    item_box(second, assessment_id, "noise.door_noise").wait_for(state="attached", timeout=TIMEOUT)
    open_section(first, "lighting")
    open_section(second, "noise")

    # At the same time, each in their own section: taps go out without waiting for the other.
    lighting = ["lighting.dimmable", "lighting.blind_patterns", "lighting.task_lighting"]
    noise = ["noise.equipment_hum", "noise.door_noise", "noise.sound_zoning"]
    for mine, theirs in zip(lighting, noise, strict=True):
        segment(item_box(first, assessment_id, mine), "Yes").tap()
        segment(item_box(second, assessment_id, theirs), "No").tap()
    for page, items in ((first, lighting), (second, noise)):
        for item_id in items:
            expect(status_of(item_box(page, assessment_id, item_id))).to_contain_text("Saved", timeout=TIMEOUT)
    for page in (first, second):
        expect(page.get_by_text("after you opened it")).to_have_count(0)
        expect(page.get_by_text("Someone else saved")).to_have_count(0)
    stored = saved(store, assessment_id)
    assert stored == {**dict.fromkeys(lighting, True), **dict.fromkeys(noise, False)}
    assert given_by(store, assessment_id) == {
        **dict.fromkeys(lighting, STAFF.name),
        **dict.fromkeys(noise, SECOND.name),
    }
    expect(status_of(item_box(second, assessment_id, "noise.door_noise"))).to_contain_text(f"by {SECOND.name}")

    # Both answer one item at the same moment: exactly one of them is told, with both values.
    open_section(second, "lighting")
    glare_first = item_box(first, assessment_id, "lighting.glare")
    glare_second = item_box(second, assessment_id, "lighting.glare")
    segment(glare_first, "Yes").tap()
    segment(glare_second, "No").tap()
    clash = re.compile(r"answered (Yes|No) at \d\d:\d\d, after you opened it")
    told = [page for page in (first, second) if _settles_with_a_clash(page, assessment_id, clash)]
    assert len(told) == 1, "exactly one of the two is told about the other's answer"
    later = told[0]
    earlier_name, later_name = (SECOND.name, STAFF.name) if later is first else (STAFF.name, SECOND.name)
    earlier_value, later_value = ("No", "Yes") if later is first else ("Yes", "No")
    message = status_of(item_box(later, assessment_id, "lighting.glare"))
    expect(message).to_contain_text(f"{earlier_name} answered {earlier_value}")
    expect(message).to_contain_text(f"Your answer, {later_value}, is not saved yet")
    expect(message.get_by_role("button", name="Take theirs")).to_be_visible()
    assert saved(store, assessment_id)["lighting.glare"] is (earlier_value == "Yes")

    # The later one keeps theirs: it is saved, over the earlier answer, as theirs.
    with rerun(later, TIMEOUT):
        item_box(later, assessment_id, "lighting.glare").get_by_role("button", name="Keep mine").tap()
    expect(status_of(item_box(later, assessment_id, "lighting.glare"))).to_contain_text("Saved", timeout=TIMEOUT)
    expect(status_of(item_box(later, assessment_id, "lighting.glare"))).to_contain_text(f"by {later_name}")
    assert saved(store, assessment_id)["lighting.glare"] is (later_value == "Yes")
    assert given_by(store, assessment_id)["lighting.glare"] == later_name
    assert set(saved(store, assessment_id)) == {*lighting, *noise, "lighting.glare"}


def _settles_with_a_clash(page: Page, assessment_id: int, clash: re.Pattern[str]) -> bool:
    """Wait until the item has the server's answer (saved, or the other assessor's answer shown)."""
    status = status_of(item_box(page, assessment_id, "lighting.glare"))
    expect(status).to_contain_text(re.compile(r"Saved|after you opened it"), timeout=TIMEOUT)
    return bool(clash.search(status.inner_text()))
