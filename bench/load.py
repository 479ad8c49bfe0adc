"""A school's round under load: tablets filling checklists through nginx on two app instances.

    python -m bench.load                       # 20 tablets, about five minutes, 2 managers
    python -m bench.load --tablets 4 --minutes 1

The reference deployment (deploy/stack.py: PostgreSQL, the release step, two `streamlit run`
instances, nginx) starts on 127.0.0.1. Every tablet is an assessor with their own account and
classroom: a Chromium context (one headless browser for all of them) signs in on the sign-in
screen, opens its draft and answers every item of the classroom checklist, paced to spread the
checklist over the run. Two managers reload the Overview meanwhile. Halfway through, one instance
is killed (SIGKILL) and started again; its tablets reconnect through the proxy.

Save latency is measured in the page: from the tap on an answer (or the Enter after a reading) to
the item's line saying "Saved", which the app shows only after the store has committed it. The
Overview time is from asking for the page to the screen drawn, charts included.

Afterwards PostgreSQL is read: every item of every tablet's assessment must be there exactly
once, with the value the tablet gave, under that tablet's assessment and assessor, and every save
of it in the audit trail by that assessor. A conflict the app reported is counted; one it did not
report would show as a wrong or missing value. Traffic goes to 127.0.0.1 only; the run is bounded
by --minutes plus a grace period, and by the count of tablets.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import re
import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlparse

from playwright.async_api import Browser, BrowserContext, Locator, Page, WebSocket, async_playwright
from playwright.async_api import TimeoutError as PlaywrightTimeoutError
from sqlalchemy import func, select

from assessments import repository
from assessments.db import open_store
from assessments.models import AnswerRow, Assessment, AuditEvent, Response, Role
from checklists.schema import ItemKind, ResolvedItem
from deploy.stack import LocalDeployment
from tests.e2e.conftest import _CHARTS_DRAWN, _DRAWN, CHROMIUM, CHROMIUM_ARGS, DESKTOP, TABLET_PORTRAIT
from tests.e2e.test_assess import CLASSROOM, SECTIONS, TITLES, first_segment, reading_for

SIGNIN_TITLE = "Sign in to sensory-audit"
# How long one save may take before the tablet looks for a lost connection and gives it again.
SAVE_WAIT_MS = 20_000
# The tablets start this many seconds apart.
RAMP_SECONDS = 1.5


# --------------------------------------------------------------------------------------------
# The round: accounts, rooms and drafts, written straight to the store
# --------------------------------------------------------------------------------------------


@dataclass
class Account:
    user_id: int
    name: str
    email: str
    password: str


@dataclass
class Tablet:
    account: Account
    room_id: int
    assessment_id: int


@dataclass
class Round:
    organisation_id: int
    tablets: list[Tablet]
    managers: list[Account]


def _password() -> str:
    return "Load-" + secrets.token_urlsafe(12)


def seed_round(database_url: str, tablets: int, managers: int) -> Round:
    """An administrator, a school with one classroom per tablet, an assessor per classroom with a
    draft started, and the managers; every account with its own password."""
    store = open_store(database_url, migrate=False)
    try:
        with store.session() as session:
            admin = repository.create_first_admin(
                session, name="Round admin", email="admin@round.example", password=_password()
            )
            org = repository.create_organisation(session, admin, "Round trust")
            site = repository.create_site(session, admin, org.id, "Round school", "school")

            def account(n: int, role: Role) -> Account:
                password = _password()
                email = f"{role.value}{n}@round.example"
                name = f"{role.value.title()} {n}"
                user = repository.create_user(
                    session, admin, name=name, email=email, role=role, organisation_ids=[org.id],
                    password_hash=repository.hash_password(password, email),
                )  # fmt: skip
                return Account(user.id, name, email, password)

            seeded = []
            for n in range(1, tablets + 1):
                room = repository.create_room(session, admin, site.id, f"Classroom {n}", "classroom")
                assessor = account(n, Role.staff)
                staff = repository.get_user(session, admin, assessor.user_id)
                draft = repository.start_assessment(session, staff, room.id)
                seeded.append(Tablet(assessor, room.id, draft.id))
            return Round(org.id, seeded, [account(n, Role.manager) for n in range(1, managers + 1)])
    finally:
        store.dispose()


# --------------------------------------------------------------------------------------------
# Driving a page (the asynchronous twins of the browser tests' helpers)
# --------------------------------------------------------------------------------------------


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


def expected_value(resolved: ResolvedItem) -> object:
    """What the store holds once the tablet has answered (the assessment-file form)."""
    item = resolved.item
    if item.kind is ItemKind.measurement:
        return float(reading_for(resolved))
    if item.kind is ItemKind.flicker:
        return {"percent": 1.5, "frequency_hz": 100.0}
    if item.kind is ItemKind.yes_no:
        return "yes" if item.good_answer else "no"
    if item.kind is ItemKind.choice:
        assert item.options
        return item.options[0].value
    return 4


# Watch one item: resolve with ms from the first tap or Enter inside it to its line saying
# "Saved" (a line showing "Saved" before the input does not count), -1 after the wait.
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
        if (status && status.innerText.includes('Saved')) done(performance.now() - start);
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, {subtree: true, childList: true, characterData: true});
    document.addEventListener('click', mark, true);
    document.addEventListener('keydown', mark, true);
    setTimeout(() => done(-1), wait);
}); }"""


@dataclass
class TabletLog:
    saves_ms: list[float] = field(default_factory=list)
    text_saves_ms: list[float] = field(default_factory=list)
    retried: int = 0
    conflicts: int = 0
    disconnects: int = 0
    carried_on: bool = False  # saved again, signed in, after a lost connection
    signed_out: bool = False
    finished: bool = False
    error: str = ""
    armed: bool = False
    saved_items: set[str] = field(default_factory=set)  # the items this tablet saw say "Saved"
    socket: WebSocket | None = None

    def opened(self, socket: WebSocket) -> None:
        self.socket = socket
        socket.on("close", lambda _: self.closed(socket))

    def closed(self, socket: WebSocket) -> None:
        if self.armed and socket is self.socket:
            self.disconnects += 1


async def _answer(page: Page, assessment_id: int, resolved: ResolvedItem) -> float:
    """Give one good answer; the ms to "Saved", or -1 when it was not saved within SAVE_WAIT_MS."""
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
    return float(await page.evaluate("() => window.__sensoryAuditSaved"))


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
        await page.goto(f"{base_url}/?assessment={tablet.assessment_id}&s={token}")
        await page.locator('[class*="st-key-assess_item_"]').first.wait_for(timeout=120_000)
        await wait_drawn(page)
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
                    elapsed = await _answer(page, tablet.assessment_id, resolved)
                    if await page.get_by_text("Someone else saved").count():
                        log.conflicts += 1
                    if elapsed >= 0 and log.disconnects == disconnects:
                        text = resolved.item.kind in (ItemKind.measurement, ItemKind.flicker)
                        (log.text_saves_ms if text else log.saves_ms).append(elapsed)
                        if log.disconnects:
                            log.carried_on = True
                        log.saved_items.add(resolved.item.id)
                        break
                    # Lost on the way (the instance went away): wait, check, answer again.
                    log.retried += 1
                    await _recover(page, log)
                    await _open_section(page, category)
                else:
                    raise RuntimeError(f"{resolved.item.id}: not saved after 4 tries")
                await asyncio.sleep(pause)
        log.finished = True
    except Exception as error:  # the run goes on with the other tablets; the error is printed
        log.error = f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"
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


# --------------------------------------------------------------------------------------------
# The run and its figures
# --------------------------------------------------------------------------------------------


def connections_to(deployment: LocalDeployment, port: int) -> int:
    """How many WebSocket connections to this instance nginx has logged (it logs one when it ends)."""
    pattern = re.compile(rf'"GET /_stcore/stream[^"]*" 101 .*upstream=127\.0\.0\.1:{port} ')
    lines = (deployment.folder / "access.log").read_text(errors="replace").splitlines()
    return sum(1 for line in lines if pattern.search(line))


def check_store(database_url: str, round_: Round, logs: list[TabletLog]) -> tuple[list[str], int]:
    """Every answer a tablet saw saved is in PostgreSQL exactly once, with the tablet's value, under
    its assessment and assessor, every save of it in the audit trail by that assessor. Returns the
    problems found and how many items the tablets did not reach within the time bound."""
    problems: list[str] = []
    unreached = 0
    expected = {r.item.id: expected_value(r) for r in CLASSROOM.items}
    store = open_store(database_url, migrate=False)
    try:
        with store.session() as session:
            for tablet, log in zip(round_.tablets, logs, strict=True):
                label = f"{tablet.account.email} (assessment {tablet.assessment_id})"
                assessment = session.get(Assessment, tablet.assessment_id)
                if assessment is None or assessment.assessor_id != tablet.account.user_id:
                    problems.append(f"{label}: the assessment is not this assessor's")
                rows = session.execute(
                    select(Response.id, Response.item_id, Response.value, Response.answered_by_id).where(
                        Response.assessment_id == tablet.assessment_id
                    )
                ).all()
                counts = Counter(item for _, item, _, _ in rows)
                twice = [item for item, n in counts.items() if n > 1]
                lost = sorted(log.saved_items - set(counts))
                unreached += len(set(expected) - log.saved_items - set(counts))
                wrong = [item for _, item, value, _ in rows if item in expected and value != expected[item]]
                others = [item for _, item, _, by in rows if by != tablet.account.user_id]
                if twice or lost or wrong or others:
                    problems.append(
                        f"{label}: kept twice {twice}, shown saved but missing {lost}, wrong value {wrong}, "
                        f"by someone else {others}"
                    )
                actors = set(
                    session.scalars(
                        select(AuditEvent.actor).where(
                            AuditEvent.entity == "responses", AuditEvent.entity_id.in_([row[0] for row in rows])
                        )
                    )
                )
                if actors - {tablet.account.email}:
                    problems.append(f"{label}: the trail has saves by {sorted(actors - {tablet.account.email})}")
            rows_per_item = session.execute(
                select(AnswerRow.assessment_id, AnswerRow.item_id, func.count())
                .group_by(AnswerRow.assessment_id, AnswerRow.item_id)
                .having(func.count() > 2)
            ).all()
            if rows_per_item:
                problems.append(f"answer rows kept more than once: {rows_per_item[:5]}")
    finally:
        store.dispose()
    return problems, unreached


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def describe(name: str, values: list[float], unit: str = "ms") -> str:
    if not values:
        return f"{name}: none"
    return (
        f"{name}: p50 {percentile(values, 0.5):.0f} {unit}, p95 {percentile(values, 0.95):.0f} {unit}, "
        f"max {max(values):.0f} {unit} over {len(values)}"
    )


async def load_round(deployment: LocalDeployment, round_: Round, minutes: float, restart: bool) -> list[TabletLog]:
    items = len(CLASSROOM.items)
    # Spread the checklist over the run, leaving a fifth of it for the slowest tablets.
    pause = max(0.0, minutes * 60 * 0.8 / items - 0.5)
    stop_at = time.monotonic() + minutes * 60 + 180
    logs = [TabletLog() for _ in round_.tablets]
    overview_times: list[float] = []
    done = asyncio.Event()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        started = time.perf_counter()
        tablets = [
            asyncio.create_task(run_tablet(browser, deployment.url, tablet, pause, log, stop_at, n * RAMP_SECONDS))
            for n, (tablet, log) in enumerate(zip(round_.tablets, logs, strict=True))
        ]
        managers = [
            asyncio.create_task(run_manager(browser, deployment.url, who, overview_times, done))
            for who in round_.managers
        ]
        killed: list[int] = []
        restart_figures = ""
        if restart:
            await asyncio.sleep(minutes * 60 / 2)
            victim = deployment.instances[0]
            ended_before = connections_to(deployment, victim.port)
            before = [log.disconnects for log in logs]
            down = time.perf_counter()
            await asyncio.to_thread(deployment.kill_instance, victim)
            await asyncio.sleep(3)  # the instance stays down a moment, as a crashed one would
            cut = connections_to(deployment, victim.port) - ended_before
            await asyncio.to_thread(deployment.start_instance, victim)
            back = time.perf_counter() - down
            await asyncio.sleep(2)
            killed = [n for n, log in enumerate(logs) if log.disconnects > before[n]]
            restart_figures = (
                f"restart: instance :{victim.port} killed at {down - started:.0f} s, serving again after "
                f"{back:.1f} s; {cut} open connections to it were cut (tablets and managers), "
                f"{len(killed)} of them tablets'"
            )
        await asyncio.gather(*tablets)
        elapsed = time.perf_counter() - started
        done.set()
        await asyncio.gather(*managers)
        await browser.close()

    saves = [ms for log in logs for ms in log.saves_ms]
    text_saves = [ms for log in logs for ms in log.text_saves_ms]
    print(f"tablets: {len(logs)}, each {items} items of the classroom checklist, over {elapsed:.0f} s")
    print(f"finished the checklist: {sum(log.finished for log in logs)} of {len(logs)}")
    for n, log in enumerate(logs):
        if log.error:
            print(f"  tablet {n + 1}: {log.error}")
    total = len(saves) + len(text_saves)
    print(f"saves: {total}, {total / elapsed:.2f} per second")
    print(describe("tap -> Saved (client side, through nginx)", saves))
    print(describe("reading + Enter -> Saved", text_saves))
    print(describe("Overview drawn (2 managers reloading)", [t * 1000 for t in overview_times]))
    if restart:
        print(restart_figures)
        carried = sum(1 for n in killed if logs[n].carried_on and not logs[n].signed_out)
        print(
            f"reconnected and carried on signed in: {carried} of {len(killed)}; signed out: "
            f"{sum(log.signed_out for log in logs)}; answers given again after the loss: "
            f"{sum(log.retried for log in logs)}"
        )
    print(f"conflicts the app reported: {sum(log.conflicts for log in logs)}")
    return logs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--tablets", type=int, default=20, help="simulated tablets (default 20)")
    parser.add_argument("--managers", type=int, default=2, help="managers reloading the Overview (default 2)")
    parser.add_argument("--minutes", type=float, default=5, help="how long a checklist takes (default 5)")
    parser.add_argument("--no-restart", action="store_true", help="do not kill and restart an instance")
    args = parser.parse_args(argv)
    if not 1 <= args.tablets <= 100 or not 0 <= args.managers <= 10 or not 0.5 <= args.minutes <= 30:
        parser.error("--tablets 1 to 100, --managers 0 to 10, --minutes 0.5 to 30")
    deployment = LocalDeployment(instances_wanted=2, demo=False)
    print("Starting PostgreSQL, the release step, two app instances and nginx…", flush=True)
    deployment.start()
    try:
        round_ = seed_round(deployment.database_url, args.tablets, args.managers)
        logs = asyncio.run(load_round(deployment, round_, args.minutes, not args.no_restart))
        problems, unreached = check_store(deployment.database_url, round_, logs)
        answers = len(round_.tablets) * len(CLASSROOM.items)
        shown = sum(len(log.saved_items) for log in logs)
        print(
            f"PostgreSQL: {answers - unreached} of {answers} items answered ({shown} shown 'Saved' on the tablets; "
            f"{unreached} items not reached within the time bound)"
        )
        if problems:
            print(f"PostgreSQL: {len(problems)} problems")
            for problem in problems:
                print(f"  {problem}")
        else:
            print(
                "PostgreSQL: every answer a tablet saw saved is there exactly once, with its value, under the "
                "right assessment and assessor; the audit trail has only that assessor's saves"
            )
    finally:
        deployment.stop()


if __name__ == "__main__":
    main()
