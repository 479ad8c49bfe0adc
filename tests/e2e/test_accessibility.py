"""Every screen passes axe-core's WCAG 2.2 AA rules (contrast, labels, names, structure).

axe-core runs inside the real page in Chromium; a violation names the rule and the element.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.e2e.conftest import TABLET_LANDSCAPE, TABLET_PORTRAIT, AppServer, go_to, rerun, try_as, wait_idle
from ui.navigation import SCREENS, SCREENS_BY_ROLE

pytestmark = pytest.mark.e2e

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}


def violations(page: Page) -> list[str]:
    result = Axe().run(page, options={**WCAG_AA, "resultTypes": ["violations"]})
    found = []
    for violation in result.response["violations"]:
        for node in violation["nodes"]:
            summary = node.get("failureSummary", "")
            found.append(f"{violation['id']} ({violation['impact']}): {node['target']} {summary}")
    return found


def test_every_screen_of_the_admin(app_server: AppServer, new_page: Callable[..., Page]) -> None:
    page = new_page(viewport=TABLET_LANDSCAPE)
    page.goto(app_server.url)
    wait_idle(page)
    try_as(page, "Alex Kim (admin)")
    problems = {}
    for name in SCREENS_BY_ROLE[next(r for r in SCREENS_BY_ROLE if r.value == "admin")]:
        title = SCREENS[name][0]
        go_to(page, title)
        found = violations(page)
        if found:
            problems[title] = found
    assert not problems, problems


def test_an_open_assessment_in_portrait(app_server: AppServer, new_page: Callable[..., Page]) -> None:
    """A demo assessment with every kind of input on screen, as the staff user sees it."""
    page = new_page(viewport=TABLET_PORTRAIT)
    page.goto(f"{app_server.url}/?assessment=1")
    wait_idle(page)
    page.locator('[class*="st-key-assess_item_"]').first.wait_for()
    with rerun(page):  # a new section refreshes the live summary
        page.get_by_role("tab").nth(3).click()  # quiet zones: yes/no, choices and readings
    assert violations(page) == []
