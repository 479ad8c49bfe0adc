"""Dashboard speed with a large portfolio, measured in Chromium: 1,000 rooms with 10 assessments each.

The portfolio goes into a temporary SQLite store through the store's own bulk import
(`assessments.transfer.import_organisation`, one organisation file per organisation, every answer
checked as a real one is). The real app is started on it and warmed (each page visited once, so the
portfolio is scored and cached); then, in the browser:
- each page: from the click on its navigation link to its first chart visible (target < 2 s);
  the Criteria page has no chart, so its first item is timed instead;
- the Overview: from a filter change (a band toggled) to the heatmap redrawn (target < 1 s).
Medians are printed; nothing is asserted. `python -m bench bench_dashboard` runs it alone; set
BENCH_ROOMS and BENCH_VISITS for a smaller portfolio.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright

from assessments.db import open_store
from assessments.demo import DEMO_USERS
from assessments.repository import stored_value
from assessments.transfer import FORMAT, FORMAT_VERSION, import_organisation
from checklists.loader import default_catalogue
from checklists.schema import Catalogue
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP, open_navigation, start_app, stop_app, wait_idle
from tests.generators import random_answers

ROOMS = int(os.environ.get("BENCH_ROOMS", "1000"))
VISITS = int(os.environ.get("BENCH_VISITS", "10"))
ORGANISATIONS = 4
SITES_PER_ORGANISATION = 5
ROUNDS = 5
PAGES = ("Overview", "Compare rooms", "Room", "Action plan", "Criteria")
MANAGER = "Morgan Reid (manager)"
FIRST_DAY = dt.date(2023, 1, 9)

# Marks what is on screen before a click, so the wait is for what the click brings.
_MARK_OLD = """() => document.querySelectorAll('.js-plotly-plot, [data-testid="stExpander"]')
                    .forEach(e => e.dataset.old = '1')"""


def organisation_documents(catalogue: Catalogue, rooms: int, visits: int, seed: int = 11) -> list[dict[str, Any]]:
    """`rooms` rooms over ORGANISATIONS x SITES_PER_ORGANISATION sites, each assessed `visits` times."""
    rng = random.Random(seed)
    settings = sorted(catalogue.settings)
    people = [
        {"email": u.email, "name": u.name, "role": u.role.value, "member": u.organisation is None}
        for u in sorted(DEMO_USERS, key=lambda u: u.email)
    ]
    sites_total = ORGANISATIONS * SITES_PER_ORGANISATION
    documents = []
    number = 0
    for o in range(ORGANISATIONS):
        sites = []
        for s in range(SITES_PER_ORGANISATION):
            site_index = o * SITES_PER_ORGANISATION + s
            setting = settings[site_index % len(settings)]
            room_types = catalogue.room_types(setting)
            count = rooms // sites_total + (1 if site_index < rooms % sites_total else 0)
            room_entries = []
            for r in range(count):
                number += 1
                room_type = room_types[r % len(room_types)]
                checklist = catalogue.checklist(setting, room_type)
                assessments = []
                for v in range(visits):
                    day = FIRST_DAY + dt.timedelta(days=90 * v + rng.randint(0, 60))
                    answers = random_answers(checklist, rng, p_missing=rng.choice((0.0, 0.02, 0.05, 0.3)))
                    last = v == visits - 1
                    status = "draft" if last and number % 7 == 0 else ("submitted" if last else "reviewed")
                    assessments.append(
                        {"date": day.isoformat(), "assessor": "Sam Patel", "status": status,
                         "catalogue_version": catalogue.version,
                         "responses": {k: stored_value(a) for k, a in answers.items()}}
                    )  # fmt: skip
                room_entries.append(
                    {"name": f"{room_type.replace('_', ' ').capitalize()} {number}", "room_type": room_type,
                     "floor": r % 4, "assessments": assessments}
                )  # fmt: skip
            sites.append({"name": f"Site {site_index + 1} ({setting})", "setting": setting, "rooms": room_entries})
        documents.append(
            {"format": FORMAT, "format_version": FORMAT_VERSION,
             "organisation": {"name": f"Bench organisation {o + 1}"}, "people": people, "sites": sites}
        )  # fmt: skip
    return documents


def build_store(data_dir: Path, rooms: int, visits: int) -> None:
    catalogue = default_catalogue()
    store = open_store(f"sqlite:///{data_dir / 'sensory-audit.db'}")
    try:
        with store.session() as session:
            for document in organisation_documents(catalogue, rooms, visits):
                import_organisation(session, document)
    finally:
        store.dispose()


def _go(page: Page, name: str) -> float:
    """Click a page in the navigation; seconds until its first chart (or first item) is visible."""
    open_navigation(page)  # the navigation starts closed; opening it is not part of the page's time
    page.evaluate(_MARK_OLD)
    start = time.perf_counter()
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=name, exact=True).click()
    target = '[data-testid="stExpander"]' if name == "Criteria" else ".js-plotly-plot"
    page.locator(f"{target}:not([data-old])").first.wait_for(state="visible", timeout=180_000)
    seconds = time.perf_counter() - start
    wait_idle(page, 180_000)
    return seconds


def _heatmap_rows(page: Page) -> str:
    # The heatmap is the Overview's second chart; plotly keeps its traces on the element.
    rows: str = page.evaluate("() => document.querySelectorAll('.js-plotly-plot')[1].data[0].y.join('|')")
    return rows


def _redraw(page: Page, change: Callable[[], None]) -> float:
    """Seconds from a filter change to the heatmap showing other rooms."""
    before = _heatmap_rows(page)
    start = time.perf_counter()
    change()
    page.wait_for_function(
        "(before) => { const p = document.querySelectorAll('.js-plotly-plot')[1];"
        " return p && p.data && p.data[0].y.join('|') !== before; }",
        arg=before,
        timeout=60_000,
    )
    seconds = time.perf_counter() - start
    wait_idle(page, 60_000)
    return seconds


def measure(url: str) -> tuple[dict[str, list[float]], list[float], float]:
    """Seconds per page visit, per filter change, and for the first (cold) visit of the Overview."""
    pages: dict[str, list[float]] = {name: [] for name in PAGES}
    redraws: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": DESKTOP["width"], "height": DESKTOP["height"]})
            page.goto(url)
            wait_idle(page, 180_000)
            open_navigation(page)
            page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
            page.get_by_role("option", name=MANAGER).click()
            wait_idle(page, 180_000)
            # Warm up: the first visit reads and scores the whole portfolio and loads the chart library.
            cold = _go(page, PAGES[0])
            for name in PAGES[1:]:
                _go(page, name)
            for _ in range(ROUNDS):
                for name in PAGES:
                    pages[name].append(_go(page, name))
            _go(page, "Overview")
            pill = page.get_by_role("button", name="C · partly supportive")
            for _ in range(2 * ROUNDS):
                redraws.append(_redraw(page, pill.click))
        finally:
            browser.close()
    return pages, redraws, cold


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as folder:
        data_dir = Path(folder) / "data"
        data_dir.mkdir()
        start = time.perf_counter()
        build_store(data_dir, ROOMS, VISITS)
        print(f"portfolio: {ROOMS:,} rooms x {VISITS} assessments imported in {time.perf_counter() - start:.0f} s",
              flush=True)  # fmt: skip
        server = start_app(data_dir)
        try:
            pages, redraws, cold = measure(server.url)
        finally:
            stop_app(server)
    print(f"first visit after the server starts (reads and scores {ROOMS * VISITS:,} assessments, then caches): "
          f"Overview's first chart after {cold:.2f} s")  # fmt: skip
    for name, times in pages.items():
        what = "first item" if name == "Criteria" else "first chart"
        print(f"{name}: {what} visible after median {statistics.median(times):.2f} s "
              f"(max {max(times):.2f} s, {len(times)} visits; target < 2 s)")  # fmt: skip
    print(f"Overview filter change to heatmap redrawn: median {statistics.median(redraws):.2f} s "
          f"(max {max(redraws):.2f} s, {len(redraws)} changes; target < 1 s)")  # fmt: skip


if __name__ == "__main__":
    main()
