"""The Assess screen in the browser: from tapping an answer to its "Saved" line, and to the summary
at the top counting it, on the classroom checklist (48 items on the page).

The real app runs on a fresh demo store; Chromium opens a new classroom assessment at tablet
portrait size with touch and answers every yes/no item, one tap each. Both times are taken inside
the page, from the tap to the item's saved line saying "Saved" and to the summary bar saying
"N of 48 answered" with the new N. Targets: "Saved" under 300 ms, the summary right behind it.
Medians and 90th percentiles are printed; nothing is asserted.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from assessments import repository
from assessments.db import open_store
from assessments.demo import DEMO_USERS
from checklists.loader import default_catalogue
from checklists.schema import ItemKind
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, TABLET_PORTRAIT, start_app, stop_app, wait_idle
from ui import state

# Tap the segment, then resolve with [ms to "Saved", ms to the summary's new count] (in-page clock);
# -1 for what did not happen (the summary gets 3 s after "Saved").
_TAP = """([selector, label, bar, counted]) => new Promise((resolve) => {
    const item = document.querySelector(selector);
    const status = () => item.querySelector('[class*="st-key-assess_status_"]');
    const button = [...item.querySelectorAll('button[role="radio"]')].find((b) => b.innerText.trim() === label);
    const start = performance.now();
    let saved = null, summary = null;
    const finish = () => { observer.disconnect(); resolve([saved ?? -1, summary ?? -1]); };
    const check = () => {
        const now = performance.now() - start;
        const s = status();
        if (saved === null && s && s.innerText.includes('Saved')) {
            saved = now;
            setTimeout(finish, 3000);
        }
        const b = document.querySelector(bar);
        if (summary === null && b && b.innerText.includes(counted)) summary = now;
        if (saved !== null && summary !== null) finish();
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, {subtree: true, childList: true, characterData: true});
    button.click();
    setTimeout(finish, 10000);
})"""


def _taps(
    page: Page, assessment_id: int, section_items: dict[str, list[tuple[str, str]]], titles: dict[str, str], total: int
) -> tuple[list[float], list[float]]:
    saved_times, summary_times = [], []
    answered = 0
    for category, items in section_items.items():
        page.get_by_role("tab", name=titles[category], exact=True).tap()
        wait_idle(page)
        for item_id, label in items:
            selector = f".st-key-{state.assess_item(assessment_id, item_id)}"
            page.locator(f'{selector} button[role="radio"]').first.wait_for()
            answered += 1
            counted = f"{answered} of {total} answered"
            saved, summary = page.evaluate(_TAP, [selector, label, f".st-key-{state.ASSESS_BAR}", counted])
            if saved < 0:
                raise RuntimeError(f"{item_id}: no saved state within 10 s")
            saved_times.append(float(saved))
            summary_times.append(float(summary))  # -1: the summary did not follow
            wait_idle(page)
    return saved_times, summary_times


def _new_classroom_assessment(database_url: str) -> int:
    store = open_store(database_url, migrate=False)
    try:
        with store.session() as session:
            staff = repository.get_user_by_email(session, DEMO_USERS[0].email)
            assert staff is not None
            room = next(r for r in repository.list_rooms(session, staff) if r.name == "Year 1 classroom")
            return repository.start_assessment(session, staff, room.id).id
    finally:
        store.dispose()


def _figures(name: str, times: list[float], target: str) -> str:
    if min(times) < 0:
        return f"tap -> {name}: not updated after {sum(t < 0 for t in times)} of {len(times)} taps"
    p90 = statistics.quantiles(times, n=10)[-1]
    return (
        f"tap -> {name}: median {statistics.median(times):.0f} ms, p90 {p90:.0f} ms, max {max(times):.0f} ms "
        f"over {len(times)} taps ({target})"
    )


def main() -> None:
    catalogue = default_catalogue()
    checklist = catalogue.checklist("school", "classroom")
    titles = {c.id: c.title for c in catalogue.categories}
    section_items: dict[str, list[tuple[str, str]]] = {}
    for resolved in checklist.items:
        if resolved.item.kind is ItemKind.yes_no:
            section_items.setdefault(resolved.item.category, []).append((resolved.item.id, "Yes"))
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        data.mkdir()
        server = start_app(data)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_context(
                    viewport={"width": TABLET_PORTRAIT["width"], "height": TABLET_PORTRAIT["height"]}, has_touch=True
                ).new_page()
                page.goto(server.url)  # the first run loads the demo portfolio
                wait_idle(page, timeout=120_000)
                assessment_id = _new_classroom_assessment(server.database_url)
                start = time.perf_counter()
                page.goto(f"{server.url}/?assessment={assessment_id}")
                wait_idle(page)
                page.locator('[class*="st-key-assess_item_"] button[role="radio"]').first.wait_for()
                load = time.perf_counter() - start
                items_on_page = page.locator('[class*="st-key-assess_item_"][class*="stVerticalBlock"]').count()
                saved, summary = _taps(page, assessment_id, section_items, titles, len(checklist.items))
                browser.close()
        finally:
            stop_app(server)
    print(f"assess page: {items_on_page} items on the page, opened in {load:.1f} s (portrait tablet, touch)")
    print(_figures('"Saved" shown', saved, "target < 300 ms"))
    print(_figures("summary updated", summary, "the score, band and count at the top"))


if __name__ == "__main__":
    main()
