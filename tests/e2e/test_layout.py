"""Every screen reads whole on a tablet, portrait and landscape, and on a desktop: no key figure,
label, caption, button or tab is cut short, and no two labels of a chart run into each other.

The manager sees every screen. Each is measured as the browser draws it: a text is cut when its
box is narrower than its text (an ellipsis "28 …" or hidden overflow); chart labels (ticks,
annotations, values printed on bars and points, legends) collide when their boxes overlap, and
are cut when they reach past the chart. Portrait screenshots of every screen go to
test-artifacts/screenshots/layout-portrait-*.png.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from assessments.models import Role
from tests.e2e.conftest import (
    DESKTOP,
    TABLET_LANDSCAPE,
    TABLET_PORTRAIT,
    AppServer,
    charts_drawn,
    go_to,
    horizontal_overflow,
    navigation_is_open,
    no_error_elements,
    open_navigation,
    rerun,
    screenshot,
    try_as,
    wait_idle,
)
from ui.navigation import SCREENS, SCREENS_BY_ROLE

pytestmark = pytest.mark.e2e

SIZES = {"portrait": TABLET_PORTRAIT, "landscape": TABLET_LANDSCAPE, "desktop": DESKTOP}
MANAGER = "Morgan Reid (manager)"
TITLES = [SCREENS[name][0] for name in SCREENS_BY_ROLE[Role.manager]]
FULL_HEIGHT = 4000
TIMEOUT = 60_000

# Texts a person reads to know where they are and what a number means.
_CUT_TEXT = """() => {
    const roots = ['stMain', 'stHeader'].map(id => document.querySelector(`[data-testid="${id}"]`));
    const sidebar = document.querySelector('[data-testid="stSidebar"]');
    if (sidebar && sidebar.getAttribute('data-collapsed') === 'false') roots.push(sidebar);
    const selector = [
        '[data-testid="stMetric"] *', '[data-testid="stWidgetLabel"]', '[data-testid="stWidgetLabel"] *',
        '[data-testid="stCaptionContainer"]', '[data-testid="stCaptionContainer"] *',
        '[data-testid="stMarkdownContainer"] *', 'h1', 'h2', 'h3', 'label', 'label *',
        'button', 'button *', '[role="tablist"]', '[role="tab"]', '[role="tab"] *', 'summary', 'summary *',
        '[data-testid="stSidebarNavLink"] *',
    ].join(', ');
    const out = [];
    for (const root of roots.filter(Boolean)) {
        for (const el of root.querySelectorAll(selector)) {
            const text = (el.innerText || '').trim().replace(/\\s+/g, ' ');
            if (!text) continue;
            if (el.closest('[data-testid="stDataFrame"], .js-plotly-plot, [data-testid="stTooltipContent"]')) continue;
            const box = el.getBoundingClientRect();
            const style = getComputedStyle(el);
            if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
            if (style.display === 'inline' || style.display === 'contents') continue;  // measured by its box
            const wide = el.scrollWidth > el.clientWidth + 1;
            const clamped = style.webkitLineClamp !== 'none' && el.scrollHeight > el.clientHeight + 1;
            if (!wide && !clamped) continue;
            const owner = el.closest('[data-testid]');
            const where = (owner ? owner.getAttribute('data-testid') : '') + ' ' + el.tagName.toLowerCase();
            const how = style.textOverflow === 'ellipsis' ? 'cut with …' : 'runs over';
            out.push(`${where} "${text.slice(0, 50)}" ${how} (${el.scrollWidth} px of text in ${el.clientWidth} px)`);
        }
    }
    return [...new Set(out)];
}"""

# Chart labels that collide, or reach past the chart's edge.
_CHART_LABELS = """() => {
    const selector = [
        '.xtick text', '.ytick text', '.annotation-text', '.angularaxistick text', '.radialaxistick text',
        '.textpoint text', 'text.bartext', '.legendtext', '.g-xtitle text', '.g-ytitle text', '.gtitle',
        '.cbaxis text', '.cbtitle text',
    ].join(', ');
    const out = [];
    const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
    charts.forEach((chart, n) => {
        const frame = chart.getBoundingClientRect();
        if (frame.width === 0) return;
        const name = `chart ${n + 1}`;
        const labels = [...chart.querySelectorAll(selector)].filter(t => {
            const style = getComputedStyle(t);
            return t.textContent.trim() && style.display !== 'none' && style.visibility !== 'hidden'
                && Number(style.opacity) > 0;
        }).map(t => ({text: t.textContent.trim(), box: t.getBoundingClientRect()}))
          .filter(l => l.box.width > 0 && l.box.height > 0);
        for (const l of labels) {
            const b = l.box;
            const outside = b.left < frame.left - 1 || b.right > frame.right + 1
                || b.top < frame.top - 1 || b.bottom > frame.bottom + 1;
            if (outside) out.push(`${name}: "${l.text}" reaches past the chart's edge`);
        }
        for (let i = 0; i < labels.length; i++) {
            for (let j = i + 1; j < labels.length; j++) {
                const a = labels[i].box, b = labels[j].box;
                const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
                const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
                if (x > 1 && y > 1) out.push(`${name}: "${labels[i].text}" runs into "${labels[j].text}"`);
            }
        }
    });
    return out;
}"""


def problems_on_screen(page: Page) -> list[str]:
    found: list[str] = page.evaluate(_CUT_TEXT) + page.evaluate(_CHART_LABELS)
    if horizontal_overflow(page):
        found.append(f"the screen scrolls sideways by {horizontal_overflow(page)} px")
    return found


def show_a_checklist(page: Page) -> None:
    """On Assess, pick a room with assessments, so its checklist (tabs, items, summary) is on screen."""
    for label, option in (("Site", "Hillview Primary School"), ("Room", "Year 3 classroom · classroom, floor 1")):
        box = page.get_by_test_id("stSelectbox").filter(has_text=label).locator("input")
        if box.input_value() != option:
            box.click()
            with rerun(page, TIMEOUT):
                page.get_by_role("option", name=option).click()
    page.locator('[class*="st-key-assess_item_"]').first.wait_for(timeout=TIMEOUT)
    charts_drawn(page, TIMEOUT)


def principles_heatmap(page: Page) -> None:
    """On the Overview, the heatmap of rooms against the six principles instead of the four categories."""
    button = page.get_by_test_id("stButtonGroup").get_by_role("radio", name="Principles")
    if button.get_attribute("aria-checked") != "true":
        with rerun(page, TIMEOUT):
            button.click()
    charts_drawn(page, TIMEOUT)


def principle_bars(page: Page) -> None:
    """On Compare, the principles as bars (the tab beside the radar)."""
    tab = page.get_by_role("tab", name="Bars", exact=True)
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    charts_drawn(page, TIMEOUT)


# Second looks at a screen: what one tap away shows.
OTHER_VIEWS = {"Overview": principles_heatmap, "Compare rooms": principle_bars}


def measure_every_screen(page: Page, size: str, navigation: str) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for title in TITLES:
        go_to(page, title, TIMEOUT)
        if title == "Assess a room":
            show_a_checklist(page)
        no_error_elements(page)
        found = problems_on_screen(page)
        if title in OTHER_VIEWS:
            OTHER_VIEWS[title](page)
            found += [f"({OTHER_VIEWS[title].__name__.replace('_', ' ')}) {p}" for p in problems_on_screen(page)]
        if found:
            problems[f"{title} ({size}, navigation {navigation})"] = found
        if size == "portrait" and navigation == "closed":
            viewport = page.viewport_size
            assert viewport is not None
            page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollTo(0, 0)")
            screenshot(page, f"layout-portrait-{SCREENS_BY_ROLE[Role.manager][TITLES.index(title)]}", FULL_HEIGHT)
            page.set_viewport_size(viewport)
            charts_drawn(page, TIMEOUT)
    return problems


@pytest.mark.parametrize("size", list(SIZES))
def test_every_screen_reads_whole(size: str, app_server: AppServer, new_page: Callable[..., Page]) -> None:
    page = new_page(viewport=dict(SIZES[size]))
    page.goto(app_server.url)
    wait_idle(page, TIMEOUT)
    try_as(page, MANAGER, TIMEOUT)
    problems: dict[str, list[str]] = {}
    # As the screen first comes (the navigation as the app starts it) ...
    problems |= measure_every_screen(page, size, "open" if navigation_is_open(page) else "closed")
    # ... and, where there is room for both, with the navigation kept open beside the screen.
    if size != "portrait":
        open_navigation(page)
        problems |= measure_every_screen(page, size, "open")
    assert not problems, "\n".join(f"{screen}:\n  " + "\n  ".join(found) for screen, found in problems.items())


def test_the_navigation_opens_with_one_tap_on_a_portrait_tablet(
    app_server: AppServer, new_page: Callable[..., Page]
) -> None:
    """On a portrait tablet the screen starts with its whole width; the navigation opens with one
    tap on a labelled button of finger size, and closes again."""
    page = new_page(viewport=TABLET_PORTRAIT)
    page.goto(app_server.url)
    wait_idle(page, TIMEOUT)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_have_attribute("data-collapsed", "true")
    main = page.get_by_test_id("stMain").bounding_box()
    assert main is not None
    assert main["width"] >= TABLET_PORTRAIT["width"] - 20, "the screen keeps the tablet's whole width"
    button = page.get_by_role("button", name="Expand sidebar")
    box = button.bounding_box()
    assert box is not None
    assert min(box["height"], box["width"]) >= 44, f"the button is {box['width']:.0f}x{box['height']:.0f} px"
    button.click()
    expect(sidebar).to_have_attribute("data-collapsed", "false")
    expect(page.get_by_test_id("stSidebarNav").get_by_role("link", name="Assess a room")).to_be_visible()
    # Open, it lies over the screen: the screen below keeps its width and does not reflow.
    opened = page.get_by_test_id("stMain").bounding_box()
    assert opened is not None
    assert opened["width"] == main["width"]
    close = page.get_by_test_id("stSidebarCollapseButton").get_by_role("button")
    expect(close).to_be_visible()  # shown without a mouse over the sidebar
    box = close.bounding_box()
    assert box is not None
    assert min(box["height"], box["width"]) >= 44
    close.click()
    expect(sidebar).to_have_attribute("data-collapsed", "true")
