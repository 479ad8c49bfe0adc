"""Every screen passes axe-core's WCAG 2.2 AA rules (contrast, labels, names, structure).

axe-core runs inside the real page in Chromium; a violation names the rule and the element.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from tests.e2e.conftest import TABLET_LANDSCAPE, TABLET_PORTRAIT, AppServer, wait_idle
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


def try_as(page: Page, name: str) -> None:
    page.get_by_label("Try as").click()
    page.get_by_role("option", name=name).click()
    wait_idle(page)


def test_every_screen_of_the_admin(app_server: AppServer, browser: Browser) -> None:
    page = browser.new_page(viewport=TABLET_LANDSCAPE)
    page.goto(app_server.url)
    wait_idle(page)
    try_as(page, "Alex Kim (admin)")
    problems = {}
    for name in SCREENS_BY_ROLE[next(r for r in SCREENS_BY_ROLE if r.value == "admin")]:
        title = SCREENS[name][0]
        link = page.get_by_role("link", name=title)
        if link.count() == 0:
            continue
        link.first.click()
        wait_idle(page)
        page.wait_for_timeout(800)  # charts draw after the script ends
        found = violations(page)
        if found:
            problems[title] = found
    page.close()
    assert not problems, problems


def test_an_open_assessment_in_portrait(app_server: AppServer, browser: Browser) -> None:
    """A demo assessment with every kind of input on screen, as the staff user sees it."""
    page = browser.new_page(viewport=TABLET_PORTRAIT)
    page.goto(f"{app_server.url}/?assessment=1")
    wait_idle(page)
    page.locator('[class*="st-key-assess_item_"]').first.wait_for()
    page.get_by_role("tab").nth(3).click()  # quiet zones: yes/no, choices and readings
    wait_idle(page)
    assert violations(page) == []
    page.close()
