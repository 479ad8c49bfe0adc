"""The reference deployment: two app instances on one PostgreSQL behind nginx (deploy/stack.py).

A tablet on one instance saves an answer; a manager's Overview on the other instance shows it at
its next view. The tablet's instance is then killed: the tablet reconnects through the proxy to the
other instance, still signed in, finds its saved answer and saves the next one; nothing saved is
lost, and the killed instance starts again.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator

import icalendar
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from assessments import repository
from assessments.db import open_store
from bench.load_browser import SIGNIN_TITLE
from bench.load_round import Account, Round, seed_round
from checklists.loader import default_catalogue
from deploy.stack import Instance, LocalDeployment, nginx_binary
from reports.labels import format_percent
from tests.e2e.conftest import DESKTOP, TABLET_PORTRAIT, rerun, wait_idle
from tests.e2e.test_assess import CLASSROOM, SECTIONS, first_segment, item_box, status_of, tap_segment
from ui import portfolio_view as view

pytestmark = pytest.mark.e2e
TIMEOUT = 60_000
ROUTE_COOKIE = "sensory_audit_route"


@pytest.fixture(scope="module")
def deployment() -> Iterator[LocalDeployment]:
    if nginx_binary() is None:
        pytest.fail("nginx is missing: scripts/system-deps installs it")
    started = LocalDeployment(instances_wanted=2, demo=False)
    started.start()
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture(scope="module")
def people(deployment: LocalDeployment) -> Round:
    return seed_round(deployment.database_url, tablets=1, managers=1)


def upstream_of(deployment: LocalDeployment, route: str, what: str = r"GET / ") -> str | None:
    """The instance port nginx sent this route's newest request of this kind to (from its log)."""
    found = None
    for line in (deployment.folder / "access.log").read_text(errors="replace").splitlines():
        if re.search(f'"{what}', line) and line.endswith(f"route={route}"):
            found = line.rsplit("upstream=", 1)[1].split()[0].rsplit(":", 1)[1]
    return found


def route_to(deployment: LocalDeployment, instance: Instance) -> str:
    """A route cookie value that the proxy's consistent hash sends to this instance."""
    for _ in range(64):
        route = secrets.token_hex(16)
        request = urllib.request.Request(f"{deployment.url}/", headers={"Cookie": f"{ROUTE_COOKIE}={route}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
        if upstream_of(deployment, route) == str(instance.port):
            return route
    raise AssertionError(f"no route of 64 went to the instance on port {instance.port}")


def browser_on(
    new_context: Callable[..., BrowserContext], deployment: LocalDeployment, instance: Instance, **options: object
) -> tuple[Page, str]:
    route = route_to(deployment, instance)
    context = new_context(**options)
    context.add_cookies([{"name": ROUTE_COOKIE, "value": route, "url": deployment.url}])
    return context.new_page(), route


def sign_in(page: Page, base_url: str, who: Account) -> str:
    page.goto(base_url)
    wait_idle(page, TIMEOUT)
    page.get_by_label("Email address", exact=True).fill(who.email)
    page.get_by_label("Password", exact=True).fill(who.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_function("() => new URLSearchParams(location.search).has('s')", timeout=TIMEOUT)
    wait_idle(page, TIMEOUT)
    return str(re.findall(r"[?&]s=([^&]+)", page.url)[0])


def completeness_shown(page: Page) -> str:
    metric = page.get_by_test_id("stMetric").filter(has_text="Completeness").get_by_test_id("stMetricValue")
    return metric.inner_text()


def completeness_in_store(deployment: LocalDeployment, manager: Account) -> str:
    store = open_store(deployment.database_url, migrate=False)
    try:
        with store.session() as session:
            user = repository.get_user_by_email(session, manager.email)
            assert user is not None
            portfolio = view.build_portfolio(session, user, default_catalogue())
        return format_percent(float(portfolio.assessments["completeness"].iloc[0]))
    finally:
        store.dispose()


def test_two_instances_share_saves_and_a_restart_loses_nothing(
    deployment: LocalDeployment, people: Round, new_context: Callable[..., BrowserContext]
) -> None:
    first, second = deployment.instances
    tablet, manager = people.tablets[0], people.managers[0]
    yes_no = [r for r in CLASSROOM.items if r.item.kind.value == "yes_no" and r.item.category == SECTIONS[0]][:3]

    # The manager's dashboard on the second instance, before anything is answered.
    board, board_route = browser_on(new_context, deployment, second, viewport=DESKTOP)
    board_token = sign_in(board, deployment.url, manager)
    board.goto(f"{deployment.url}/overview?s={board_token}")
    expect(board.get_by_role("heading", name="Overview", level=1)).to_be_visible(timeout=TIMEOUT)
    wait_idle(board, TIMEOUT)
    assert completeness_shown(board) == format_percent(0.0)

    # The tablet on the first instance answers one item.
    page, route = browser_on(new_context, deployment, first, viewport=TABLET_PORTRAIT)
    token = sign_in(page, deployment.url, tablet.account)
    page.goto(f"{deployment.url}/?assessment={tablet.assessment_id}&s={token}")
    wait_idle(page, TIMEOUT)
    box = item_box(page, tablet.assessment_id, yes_no[0].item.id)
    box.locator('button[role="radio"]').first.wait_for(timeout=TIMEOUT)
    tap_segment(box, first_segment(yes_no[0]))
    expect(status_of(box)).to_contain_text("Saved", timeout=TIMEOUT)
    assert upstream_of(deployment, route, "GET /_stcore/stream") == str(first.port)
    assert upstream_of(deployment, board_route, "GET /_stcore/stream") == str(second.port)

    # The other instance's dashboard shows it at its next view (the cache key is read from the database).
    board.goto(f"{deployment.url}/overview?s={board_token}")
    expect(board.get_by_role("heading", name="Overview", level=1)).to_be_visible(timeout=TIMEOUT)
    wait_idle(board, TIMEOUT)
    expected = completeness_in_store(deployment, manager)
    assert expected != format_percent(0.0)
    assert completeness_shown(board) == expected

    # The tablet's instance dies; the tablet reconnects through the proxy to the other one.
    # (Each new connection of the page gets a new message counter: see _COUNT_MESSAGES in conftest.)
    page.evaluate("() => { window.__sensoryAuditMessages.before = true; }")
    deployment.kill_instance(first)
    page.wait_for_function(
        "() => !window.__sensoryAuditMessages.before && document.querySelector('[data-testid=\"stApp\"]')"
        "?.getAttribute('data-test-connection-state') === 'CONNECTED'",
        timeout=2 * TIMEOUT,
    )
    wait_idle(page, TIMEOUT)  # connected again: to the second instance, the only one running
    assert first.process is not None
    assert first.process.poll() is not None
    expect(page.get_by_role("heading", name=SIGNIN_TITLE)).to_have_count(0)
    box = item_box(page, tablet.assessment_id, yes_no[0].item.id)
    expect(status_of(box)).to_contain_text("Saved", timeout=TIMEOUT)  # read back from the database
    nxt = item_box(page, tablet.assessment_id, yes_no[1].item.id)
    with rerun(page, TIMEOUT):
        tap_segment(nxt, first_segment(yes_no[1]))
    expect(status_of(nxt)).to_contain_text("Saved", timeout=TIMEOUT)

    # The killed instance starts again; the tablet carries on where it is, and nothing is lost.
    deployment.start_instance(first)
    last = item_box(page, tablet.assessment_id, yes_no[2].item.id)
    tap_segment(last, first_segment(yes_no[2]))
    expect(status_of(last)).to_contain_text("Saved", timeout=TIMEOUT)
    store = open_store(deployment.database_url, migrate=False)
    try:
        with store.session() as session:
            staff = repository.get_user_by_email(session, tablet.account.email)
            assert staff is not None
            saved = repository.assessment_answers(session, staff, tablet.assessment_id)
    finally:
        store.dispose()
    assert saved == {r.item.id: bool(r.item.good_answer) for r in yes_no}


def test_the_proxy_serves_calendar_addresses_from_the_calendar_server(
    deployment: LocalDeployment, people: Round
) -> None:
    """/calendar/ goes through nginx to `sensory-audit calendar serve` on the same PostgreSQL."""
    store = open_store(deployment.database_url, migrate=False)
    try:
        with store.session() as session:
            manager = repository.get_user_by_email(session, people.managers[0].email)
            assert manager is not None
            token = repository.create_calendar_token(session, manager)
            rooms = repository.room_schedule(session, manager, today=dt.date.today())
        with urllib.request.urlopen(f"{deployment.url}/calendar/{token}.ics", timeout=30) as response:
            assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
            calendar = icalendar.Calendar.from_ical(response.read())
        assert rooms
        assert {str(e["uid"]) for e in calendar.walk("VEVENT")} == {
            f"reassess-room-{r.room_id}@sensory-audit" for r in rooms
        }
        with store.session() as session:
            repository.revoke_calendar_token(session, manager)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{deployment.url}/calendar/{token}.ics", timeout=30)
        assert refused.value.code == 404
        refused.value.close()
    finally:
        store.dispose()
    assert token not in (deployment.folder / "access.log").read_text()
