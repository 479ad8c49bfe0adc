"""The dashboard in the person's language, in Chromium: a Spanish Overview, a German Room page and
the Arabic ones show no English outside proper names, and Arabic screens read right to left.

The words a person reads in the main area (headings, figures, captions, table headings and cells, charts,
pickers) are collected as the browser draws them and compared with the same screen in English: a
word both show is English left untranslated, unless it is a proper name from the demo data (a room,
site, organisation or person), a unit, a number, or a word the two languages write the same.
Screenshots at 820x1180 and 1180x820 go to test-artifacts/screenshots/languages-*.png.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
import yaml
from babel.messages.pofile import read_po
from playwright.sync_api import Page, expect
from sqlalchemy import select

from assessments import repository
from assessments.db import Store
from assessments.demo import DEMO_USERS
from assessments.models import Response
from checklists.translations import DEFAULT_LOCALES_DIR
from tests.e2e.conftest import (
    TABLET_LANDSCAPE,
    TABLET_PORTRAIT,
    AppServer,
    charts_drawn,
    close_navigation,
    go_to,
    horizontal_overflow,
    no_error_elements,
    open_navigation,
    rerun,
    screenshot,
    try_as,
    wait_idle,
)
from ui.i18n import LANGUAGES, LOCALES, _, using
from ui.language_choice import LABEL as LANGUAGE_LABEL

pytestmark = pytest.mark.e2e

TIMEOUT = 60_000
MANAGER = "Morgan Reid (manager)"
FULL_HEIGHT = 4000
ROOM = "Year 3 classroom"


# Streamlit's own words, which the English screen may not show (an empty picker's placeholder).
STREAMLIT_WORDS = {"choose", "option", "options", "results", "add", "rows"}
# Units and marks, the same in every language.
UNITS = {"lx", "db", "dba", "hz", "s", "k", "cd", "m²", "m2", "%", "rt60", "ugr", "cri", "ieee", "n/a"}
# Words these languages write exactly as English does, beyond those of their own catalogues (the
# months' short names the dates are written with).
SAME_WORD = {"es": {"feb", "mar", "may", "jun", "jul", "oct", "nov"}, "de": set(), "ar": set()}

# The main area's text as a person reads it: every visible text node (the charts' titles, axes,
# legends and labels among them), and the table cells, which the grid draws on a canvas and also
# writes into its table for screen readers. Icons ("keyboard_arrow_down", drawn as a glyph) and
# tooltips' question marks are no words.
_VISIBLE_TEXT = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    const left = (el) => el.closest('[data-testid="stTooltipIcon"], [data-testid="stIconMaterial"]');
    const out = [];
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!el || left(el) || ['STYLE', 'SCRIPT'].includes(el.tagName)) continue;
        const inGrid = el.closest('[data-testid="stDataFrameResizable"]');
        if (!inGrid && !el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
        out.push(node.textContent);
    }
    for (const input of main.querySelectorAll('input')) {
        if (!left(input) && input.value) out.push(input.value);
    }
    return out.join(' ');
}"""

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)


def text_on_screen(page: Page) -> str:
    return str(page.evaluate(_VISIBLE_TEXT))


def words_of(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def where(text: str, word: str) -> str:
    """The word in its place on the screen, to find it: '… Assessed from the first …'."""
    found = re.search(rf"(?i)\b{re.escape(word)}\b", text)
    return "" if found is None else " ".join(text[max(found.start() - 40, 0) : found.end() + 40].split())


def _texts(node: object) -> list[str]:
    if isinstance(node, dict):
        return [t for value in node.values() for t in _texts(value)]
    if isinstance(node, list):
        return [t for value in node for t in _texts(value)]
    return [node] if isinstance(node, str) else []


def vocabulary(code: str) -> set[str]:
    """The words the language itself uses: its interface and reports catalogues (the wording of
    targets, "ideal 300 bis 500 lx", comes from the reports') and its checklist translation ('in',
    'an', 'Position' are German words too)."""
    texts: list[str] = []
    for domain in ("messages", "reports"):
        with (LOCALES / code / "LC_MESSAGES" / f"{domain}.po").open("rb") as source:
            texts += [str(m.string) for m in read_po(source) if m.id and isinstance(m.string, str)]
    texts += _texts(yaml.safe_load((DEFAULT_LOCALES_DIR / f"{code}.yaml").read_text(encoding="utf-8")))
    return {w.lower() for text in texts for w in _WORD.findall(text)}


def proper_names(store: Store) -> set[str]:
    """The words of the demo data's own names (rooms, sites, organisations and people) and of the
    assessors' notes: people's own words, shown as they wrote them."""
    with store.session() as session:
        admin = repository.get_user_by_email(session, "admin@demo.sensory-audit.test")
        assert admin is not None
        names = [o.name for o in repository.list_organisations(session, admin)]
        names += [s.name for s in repository.list_sites(session, admin)]
        names += [r.name for r in repository.list_rooms(session, admin)]
        names += [u.name for u in DEMO_USERS]
        names += [note for note in session.scalars(select(Response.note)) if note]
    return {w.lower() for name in names for w in _WORD.findall(name)}


def choose_language(page: Page, name: str, code: str) -> None:
    """Choose the interface language in the navigation, by its own name ("Español")."""
    if page.locator("html").get_attribute("lang") == code:
        return
    open_navigation(page)
    page.get_by_role("combobox", name=LANGUAGE_LABEL).click()
    with rerun(page):
        page.get_by_role("option", name=name, exact=True).click()
    close_navigation(page)
    expect(page.locator("html")).to_have_attribute("lang", code)


def title(code: str, english: str) -> str:
    with using(code):
        return _(english)


def open_room(page: Page, code: str) -> None:
    """The Room page with the demo's Year 3 classroom, its What to fix first and an item table open."""
    go_to(page, title(code, "Room"), TIMEOUT)
    main = page.get_by_test_id("stMain")
    picker = main.get_by_test_id("stSelectbox").first.locator("input")
    if not picker.input_value().startswith(ROOM):
        picker.click()
        picker.fill(ROOM)  # the list shows only its first rooms until narrowed
        with rerun(page, TIMEOUT):
            page.get_by_role("option", name=re.compile(rf"^{ROOM}")).first.click()
    charts_drawn(page, TIMEOUT)
    first = main.get_by_test_id("stExpander").first
    if first.locator("details").get_attribute("open") is None:
        first.locator("summary").click()
    first.get_by_test_id("stDataFrame").wait_for(timeout=TIMEOUT)


SCREENS: dict[str, Callable[[Page, str], None]] = {
    "Overview": lambda page, code: go_to(page, title(code, "Overview"), TIMEOUT),
    "Room": open_room,
}


def english_left(page: Page, screen: str, code: str, names: set[str]) -> tuple[set[str], set[str]]:
    """The words of `screen` in `code` that the same screen in English shows too (and are no proper
    name, unit or shared word), and the words seen in `code`."""
    choose_language(page, "English", "en")
    SCREENS[screen](page, "en")
    english = words_of(text_on_screen(page)) | STREAMLIT_WORDS
    choose_language(page, LANGUAGES[code], code)
    SCREENS[screen](page, code)
    no_error_elements(page)
    text = text_on_screen(page)
    shown = words_of(text)
    allowed = names | UNITS | SAME_WORD[code] | vocabulary(code)
    left = {w for w in shown & english if w not in allowed and len(w) > 1}
    return {f"{w} (… {where(text, w)} …)" for w in left}, shown


@pytest.mark.parametrize(("screen", "code"), [("Overview", "es"), ("Room", "de"), ("Overview", "ar"), ("Room", "ar")])
def test_the_screen_shows_no_english_outside_proper_names(
    screen: str, code: str, app_server: AppServer, new_page: Callable[..., Page], store: Store
) -> None:
    page = new_page(viewport=dict(TABLET_PORTRAIT))
    page.goto(app_server.url)
    wait_idle(page, 90_000)
    try_as(page, MANAGER, TIMEOUT)
    left, shown = english_left(page, screen, code, proper_names(store))
    for size, viewport in (("portrait", TABLET_PORTRAIT), ("landscape", TABLET_LANDSCAPE)):
        page.set_viewport_size(dict(viewport))
        wait_idle(page, TIMEOUT)
        charts_drawn(page, TIMEOUT)
        page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTo(0, 0)")
        screenshot(page, f"languages-{screen.lower()}-{code}-{size}", FULL_HEIGHT)
    assert len(shown) > 60, f"too few words read on the {screen} screen: {sorted(shown)}"
    assert not left, f"English on the {code} {screen} screen:\n" + "\n".join(sorted(left))


# Where the screen's parts lie: the page's direction, the main area's, the heading's text against its
# box, and the navigation's box against the window.
_LAYOUT = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    const h1 = main.querySelector('h1');
    const range = document.createRange();
    range.selectNodeContents(h1);
    const text = range.getBoundingClientRect(), box = h1.getBoundingClientRect();
    const nav = document.querySelector('[data-testid="stSidebar"]').getBoundingClientRect();
    return {dir: document.documentElement.dir, lang: document.documentElement.lang,
            main: getComputedStyle(main).direction, heading: h1.innerText.trim(),
            text_right_gap: box.right - text.right, text_left_gap: text.left - box.left,
            nav_left: nav.left, nav_right: nav.right, width: window.innerWidth};
}"""


# Chart labels (axis ticks) that stick out of their chart's box, cut off where the chart ends.
_LABELS_OUTSIDE = """() => {
    const out = [];
    for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
        const box = chart.getBoundingClientRect();
        for (const label of chart.querySelectorAll('.xtick text, .ytick text')) {
            const r = label.getBoundingClientRect();
            if (r.width === 0) continue;
            if (r.left < box.left - 1 || r.right > box.right + 1) out.push(label.textContent.slice(0, 30));
        }
    }
    return out;
}"""


def test_an_arabic_screen_reads_right_to_left_and_its_navigation_folds_away(
    app_server: AppServer, new_page: Callable[..., Page]
) -> None:
    page = new_page(viewport=dict(TABLET_PORTRAIT), has_touch=True)
    page.goto(app_server.url)
    wait_idle(page, 90_000)
    try_as(page, MANAGER, TIMEOUT)
    choose_language(page, "العربية", "ar")
    go_to(page, title("ar", "Overview"), TIMEOUT)
    no_error_elements(page)
    layout = page.evaluate(_LAYOUT)
    assert (layout["dir"], layout["lang"], layout["main"]) == ("rtl", "ar", "rtl")
    assert layout["heading"] == title("ar", "Overview") != "Overview"
    # The heading starts at the right: its text ends at its box's right edge, the room left over is on the left.
    assert layout["text_right_gap"] < 2 < layout["text_left_gap"], layout
    # The navigation, closed on a portrait tablet, is out of the window, not lying over the screen.
    assert layout["nav_right"] <= 1, layout
    assert horizontal_overflow(page) == 0
    # The charts measure their Arabic labels as they draw them: none is cut at the chart's edge.
    assert page.locator('[data-testid="stPlotlyChart"] .ytick').count() > 10
    assert page.evaluate(_LABELS_OUTSIDE) == []
    screenshot(page, "languages-rtl-overview-ar-portrait")
    # One tap opens it, its words from the right; it folds away again.
    open_navigation(page)
    opened = page.evaluate(_LAYOUT)
    assert opened["nav_left"] >= -1, opened
    assert opened["nav_right"] <= opened["width"], opened
    nav_direction = page.get_by_test_id("stSidebarContent").evaluate("el => getComputedStyle(el).direction")
    assert nav_direction == "rtl"
    screenshot(page, "languages-rtl-navigation-ar-portrait")
    close_navigation(page)
    assert page.evaluate(_LAYOUT)["nav_right"] <= 1
    # Back to English, the page reads left to right again.
    choose_language(page, "English", "en")
    assert page.evaluate(_LAYOUT)["dir"] == "ltr"
