"""The Chromium side of a load test: a tablet that signs in on the sign-in screen and answers its
checklist by tapping and typing in a real page, and a manager reloading the Overview (the
asynchronous twins of the browser tests' helpers).

A Chromium tablet times each save twice: from the tap (or the Enter after a reading) to the item's
line saying "Saved" drawn in the page, and from the WebSocket message that carried the answer to
that line, the latter being what a protocol tablet (bench/load_protocol.py) measures too.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from urllib.parse import parse_qs, urlparse

from playwright.async_api import Browser, BrowserContext, Locator, Page
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from bench.load_round import Account, Tablet, TabletLog
from checklists.schema import ItemKind, ResolvedItem
from tests.e2e.conftest import _CHARTS_DRAWN, _DRAWN, DESKTOP, TABLET_PORTRAIT
from tests.e2e.test_assess import CLASSROOM, SECTIONS, TITLES, first_segment, reading_for

SIGNIN_TITLE = "Sign in to sensory-audit"
# How long one save may take before the tablet looks for a lost connection and gives it again.
SAVE_WAIT_MS = 20_000

# Before the app's own scripts: note when each message leaves on the page's WebSocket.
_SENDS = """(() => { const send = WebSocket.prototype.send; window.__saSends = [];
  WebSocket.prototype.send = function (data) {
    window.__saSends.push(performance.now()); if (window.__saSends.length > 50) window.__saSends.shift();
    return send.call(this, data);
  };
})();"""


async def wait_drawn(page: Page, timeout: float = 60_000, charts: bool = False) -> None:
    await page.wait_for_function(_DRAWN, timeout=timeout)
    if charts:
        await page.wait_for_function(_CHARTS_DRAWN, timeout=timeout)


async def sign_in(page: Page, base_url: str, who: Account) -> str:
    """Sign in on the sign-in screen; returns the session key the tab's address now holds."""
    await page.goto(base_url)
    await wait_drawn(page)
    await page.get_by_label("Email address", exact=True).fill(who.email)
    await page.get_by_label("Password", exact=True).fill(who.password)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_function("() => new URLSearchParams(location.search).has('s')", timeout=60_000)
    return parse_qs(urlparse(page.url).query)["s"][0]


def item_selector(assessment_id: int, item_id: str) -> str:
    return f".st-key-assess_item_{assessment_id}_{item_id.replace('.', '-')}"


# Watch one item: resolve with [ms from the first tap or Enter inside it to its line saying
# "Saved", ms from the first WebSocket message sent after that tap to the line] (a line showing
# "Saved" before the input does not count), [-1, -1] after the wait.
_WATCH = """([selector, wait]) => { window.__sensoryAuditSaved = new Promise((resolve) => {
    let start = null;
    const mark = (event) => {
        if (start !== null || !event.target.closest || !event.target.closest(selector)) return;
        if (event.type === 'keydown' && event.key !== 'Enter') return;
        start = performance.now();
    };
    const done = (value) => {
        observer.disconnect();
        document.removeEventListener('click', mark, true);
        document.removeEventListener('keydown', mark, true);
        resolve(value);
    };
    const check = () => {
        if (start === null) return;
        const status = document.querySelector(selector + ' [class*="st-key-assess_status_"]');
        if (!status || !status.innerText.includes('Saved')) return;
        const now = performance.now();
        const sent = window.__saSends.find((at) => at >= start);
        done([now - start, sent === undefined ? now - start : now - sent]);
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, {subtree: true, childList: true, characterData: true});
    document.addEventListener('click', mark, true);
    document.addEventListener('keydown', mark, true);
    setTimeout(() => done([-1, -1]), wait);
}); }"""


async def _answer(page: Page, assessment_id: int, resolved: ResolvedItem) -> tuple[float, float]:
    """Give one good answer; the ms from the tap and from the message sent to "Saved", or -1s when it
    was not saved within SAVE_WAIT_MS."""
    selector = item_selector(assessment_id, resolved.item.id)
    item = page.locator(selector)
    kind = resolved.item.kind
    if kind is ItemKind.flicker:
        first = item.locator('input[type="text"]').nth(0)
        await first.fill("1.5")
        await first.press("Enter")
        status = item.locator('[class*="st-key-assess_status_"]')
        await status.filter(has_text="frequency").wait_for(timeout=SAVE_WAIT_MS)
    await page.evaluate(_WATCH, [selector, SAVE_WAIT_MS])
    if kind in (ItemKind.measurement, ItemKind.flicker):
        box = item.locator('input[type="text"]').nth(1 if kind is ItemKind.flicker else 0)
        await box.fill("100" if kind is ItemKind.flicker else reading_for(resolved))
        await box.press("Enter")
    else:
        label = first_segment(resolved)
        button = item.locator('button[role="radio"]', has_text=re.compile(f"^{re.escape(label)}$"))
        await button.click(timeout=SAVE_WAIT_MS)
    tapped, sent = await page.evaluate("() => window.__sensoryAuditSaved")
    return float(tapped), float(sent)


async def _open_section(page: Page, category: str) -> None:
    tab = page.get_by_role("tab", name=TITLES[category], exact=True)
    await tab.wait_for(timeout=60_000)
    if await tab.get_attribute("aria-selected") != "true":
        await tab.click()
    await page.wait_for_function(
        "name => [...document.querySelectorAll('[role=tab]')].some(t => t.innerText.trim() === name "
        "&& t.getAttribute('aria-selected') === 'true')",
        arg=TITLES[category],
        timeout=60_000,
    )
    await wait_drawn(page)


async def _saved_meanwhile(status: Locator) -> bool:
    """Whether the item says "Saved" within SAVE_WAIT_MS (a save still on its way may yet come back)."""
    try:
        await status.filter(has_text="Saved").wait_for(timeout=SAVE_WAIT_MS)
    except PlaywrightTimeoutError:
        return False
    return True


async def _recover(page: Page, log: TabletLog) -> None:
    """After a save that did not come back: wait for the connection, and note whether the tablet is
    still signed in (it must be: the session key is in its address and the session in the store)."""
    await page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-connection-state') "
        "=== 'CONNECTED'",
        timeout=120_000,
    )
    await wait_drawn(page, timeout=120_000)
    if await page.get_by_role("heading", name=SIGNIN_TITLE).count():
        log.signed_out = True
        raise RuntimeError("signed out after the lost connection")


async def new_context(browser: Browser, viewport: dict[str, int]) -> BrowserContext:
    context = await browser.new_context(viewport={"width": viewport["width"], "height": viewport["height"]})
    # A busy machine serves 20 tablets slowly: a page may take long to come, but not for ever.
    context.set_default_timeout(120_000)
    context.set_default_navigation_timeout(120_000)
    await context.add_init_script(_SENDS)
    return context


async def run_tablet(
    browser: Browser, base_url: str, tablet: Tablet, pause: float, log: TabletLog, stop_at: float, delay: float
) -> None:
    await asyncio.sleep(delay)  # tablets come in one after another, as assessors do
    context = await new_context(browser, TABLET_PORTRAIT)
    try:
        page = await context.new_page()
        page.on("websocket", log.opened)
        token = await sign_in(page, base_url, tablet.account)
        asked = time.perf_counter()
        await page.goto(f"{base_url}/?assessment={tablet.assessment_id}&s={token}")
        await page.locator('[class*="st-key-assess_item_"]').first.wait_for(timeout=120_000)
        await wait_drawn(page)
        log.opened_s.append(time.perf_counter() - asked)
        log.armed = True  # from here on, a closed connection is a lost one
        for category in SECTIONS:
            await _open_section(page, category)
            for resolved in CLASSROOM.items:
                if resolved.item.category != category:
                    continue
                if time.monotonic() > stop_at:
                    raise RuntimeError("out of time")
                status = page.locator(item_selector(tablet.assessment_id, resolved.item.id)).locator(
                    '[class*="st-key-assess_status_"]'
                )
                for attempt in range(4):
                    if attempt and await _saved_meanwhile(status):
                        log.saved_items.add(resolved.item.id)
                        break  # a slow save came back, or the reloaded page shows it saved
                    disconnects = log.disconnects
                    elapsed, sent = await _answer(page, tablet.assessment_id, resolved)
                    if await page.get_by_text("Someone else saved").count():
                        log.conflicts += 1
                    if elapsed >= 0 and log.disconnects == disconnects:
                        log.saved(resolved, sent)
                        log.drawn_ms.append(elapsed)
                        break
                    # Lost on the way (the instance went away): wait, check, answer again.
                    log.retried += 1
                    await _recover(page, log)
                    await _open_section(page, category)
                else:
                    raise RuntimeError(f"{resolved.item.id}: not saved after 4 tries")
                await asyncio.sleep(pause)
        log.finished = True
    except Exception as error:  # the run goes on with the other tablets
        log.failed(error)
    finally:
        await context.close()


async def run_manager(browser: Browser, base_url: str, who: Account, times: list[float], done: asyncio.Event) -> None:
    context = await new_context(browser, DESKTOP)
    try:
        page = await context.new_page()
        token = None
        while token is None and not done.is_set():
            try:
                token = await sign_in(page, base_url, who)
            except Exception:  # signing in through a restart is tried again
                await asyncio.sleep(1)
        while not done.is_set():
            start = time.perf_counter()
            try:
                await page.goto(f"{base_url}/overview?s={token}")
                await page.get_by_role("heading", name="Overview", level=1).wait_for(timeout=60_000)
                await wait_drawn(page, charts=True)
                times.append(time.perf_counter() - start)
            except Exception:
                await asyncio.sleep(1)
                continue
            with contextlib.suppress(TimeoutError):  # the next reload after 5 s, or the end of the round
                await asyncio.wait_for(done.wait(), timeout=5)
    finally:
        await context.close()
