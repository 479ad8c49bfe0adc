"""End-to-end fixtures: the real Streamlit server on 127.0.0.1 and Debian's Chromium through Playwright.

Every test starts from the same place, whatever ran before it:

- the store holds the demo portfolio exactly as loaded: the demo is loaded once into a template
  folder; the server's data folder starts as a copy, and when a test has saved anything (an answer,
  a room, an import) the next test finds the server restarted on the template's data again;
- each test has its own browser context (cookies, storage, Streamlit session), closed after it.

The server is stopped by its PID when the tests end. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
import weakref
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, WebSocket, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from assessments import repository
from assessments.db import DATA_DIR_ENV, DATABASE_FILE, Store, open_store
from assessments.demo import load_demo
from assessments.models import Role
from ui.navigation import SCREENS, SCREENS_BY_ROLE

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TABLET_PORTRAIT = {"width": 820, "height": 1180}
TABLET_LANDSCAPE = {"width": 1180, "height": 820}
DESKTOP = {"width": 1440, "height": 900}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class AppServer:
    url: str
    data_dir: Path
    process: subprocess.Popen[bytes]
    # The server's output; closed by stop_app (left open, it fails the run with a ResourceWarning).
    log: BinaryIO | None = None
    # What start_app was given, so the server can be started again on the same port.
    extra_env: dict[str, str] | None = None

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.data_dir / DATABASE_FILE}"

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])


def prepare_store(data_dir: Path) -> None:
    """Create the database with the demo portfolio before the server starts, as a first run would,
    so tests that read the store directly find it whichever test runs first."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DATA_DIR_ENV, str(data_dir))  # the demo photos go to the server's data folder
        store = open_store(f"sqlite+pysqlite:///{data_dir / DATABASE_FILE}")
        try:
            load_demo(store)
        finally:
            store.dispose()
    with closing(sqlite3.connect(data_dir / DATABASE_FILE)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the one file, ready to copy


def data_version(data_dir: Path) -> int:
    """The store's change counter: it moves with every change saved (see repository.data_version)."""
    store = open_store(f"sqlite+pysqlite:///{data_dir / DATABASE_FILE}", migrate=False)
    try:
        with store.session() as session:
            return repository.data_version(session)
    finally:
        store.dispose()


def restore_data(template: Path, data_dir: Path) -> None:
    """Put the template's store and photos back into `data_dir` (the server must be stopped).

    The database is overwritten in place with SQLite's backup, not replaced by a new file, so
    the tests' own open stores on it see the restored data at their next transaction."""
    with (
        closing(sqlite3.connect(template / DATABASE_FILE)) as source,
        closing(sqlite3.connect(data_dir / DATABASE_FILE)) as target,
    ):
        source.backup(target)
    for folder in [p for p in template.iterdir() if p.is_dir()] + [p for p in data_dir.iterdir() if p.is_dir()]:
        shutil.rmtree(data_dir / folder.name, ignore_errors=True)
        if (template / folder.name).is_dir():
            shutil.copytree(template / folder.name, data_dir / folder.name)


def start_app(data_dir: Path, extra_env: dict[str, str] | None = None, port: int | None = None) -> AppServer:
    """Start the real app on `port`, or on a free port. A free port can be taken by another test
    worker between being found and being bound; the server then stops at once, and another port is
    tried (a given port is not: the caller needs that address)."""
    for attempt in range(1 if port else 3):
        try:
            return _start_app(data_dir, extra_env, port or free_port())
        except PortTakenError:
            if port or attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


class PortTakenError(RuntimeError):
    pass


def _bound(log_path: Path, offset: int, port: int) -> bool:
    """Whether the server started at `offset` in its log says it serves on `port` itself; a health
    answer alone could come from another worker's server that holds the port."""
    with log_path.open("rb") as written:
        written.seek(offset)
        return f"URL: http://127.0.0.1:{port}".encode() in written.read()


def _start_app(data_dir: Path, extra_env: dict[str, str] | None, port: int) -> AppServer:
    env = {**os.environ, "SENSORY_AUDIT_DATA_DIR": str(data_dir), **(extra_env or {})}
    env.pop("DATABASE_URL", None)
    # The server imports this checkout's code whatever is installed in the environment.
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    log_path = data_dir.parent / f"streamlit-{port}.log"
    log = open(log_path, "ab")  # noqa: SIM115 - kept open for the server's life
    offset = log.tell()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200 and _bound(log_path, offset, port) and process.poll() is None:
                    return AppServer(url, data_dir, process, log, extra_env)
        except OSError:
            pass
        time.sleep(0.3)
    stop_app(AppServer(url, data_dir, process, log))
    with log_path.open("rb") as written:
        written.seek(offset)
        if f"Port {port} is not available".encode() in written.read():
            raise PortTakenError(f"port {port} is taken")
    raise RuntimeError(f"the app did not start; see {log.name}")


def stop_app(server: AppServer) -> None:
    if server.process.poll() is None:
        os.killpg(server.process.pid, signal.SIGTERM)
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.wait()
    if server.log is not None:
        server.log.close()


def restart_app(server: AppServer, template: Path) -> None:
    """Stop the server, give it the template's data again and start it on the same address: no
    session, cache or saved change of an earlier test survives."""
    stop_app(server)
    restore_data(template, server.data_dir)
    started = start_app(server.data_dir, server.extra_env, port=server.port)
    server.process, server.log = started.process, started.log


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the demo portfolio as first loaded; never served, only copied."""
    template = tmp_path_factory.mktemp("demo") / "data"
    template.mkdir()
    prepare_store(template)
    return template


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Iterator[AppServer]:
    data_dir = tmp_path_factory.mktemp("app") / "data"
    shutil.copytree(demo_template, data_dir)
    server = start_app(data_dir)
    try:
        yield server
    finally:
        stop_app(server)


@pytest.fixture(autouse=True)
def demo_data(request: pytest.FixtureRequest, demo_template: Path) -> None:
    """Every browser test starts on the demo portfolio as loaded: if an earlier test saved anything
    to the shared server's store, the server is restarted on the template's data first."""
    if "app_server" not in request.fixturenames:
        return
    server: AppServer = request.getfixturevalue("app_server")
    if data_version(server.data_dir) != data_version(demo_template):
        restart_app(server, demo_template)


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Open browser contexts (own cookies, storage and Streamlit session) for this test alone;
    they are closed when it ends, passed or failed."""
    opened: list[BrowserContext] = []

    def open_context(**options: object) -> BrowserContext:
        context = browser.new_context(**options)
        opened.append(context)
        context.add_init_script(_COUNT_MESSAGES)
        context.on("page", watch_runs)
        return context

    try:
        yield open_context
    finally:
        for context in opened:
            context.close()


@pytest.fixture
def new_page(new_context: Callable[..., BrowserContext]) -> Callable[..., Page]:
    """A fresh tab in a fresh context, e.g. new_page(viewport=TABLET_PORTRAIT); closed after the test."""

    def open_page(**options: object) -> Page:
        return new_context(**options).new_page()

    return open_page


# The screen is drawn: the script has finished, the server is connected, and every element is
# on screen. Streamlit fetches the code of most elements (buttons, selects, charts, st.html) the
# first time a browser shows one, with a grey placeholder (stSkeleton) meanwhile, and that can
# take a second or more after the script has finished; what is measured before then is not what
# the person sees.
_DRAWN = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return !!app
        && app.getAttribute('data-test-script-state') === 'notRunning'
        && app.getAttribute('data-test-connection-state') === 'CONNECTED'
        && !document.querySelector('[data-testid="stSkeleton"], [data-testid="stAppSkeleton"]');
}"""


def wait_idle(page: Page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished running the page script, is connected, and has drawn every element."""
    page.wait_for_function(_DRAWN, timeout=timeout)


# Knowing that a tap has been answered. A tap sends the change to the server, and the page only
# says "running" once the server answers; a quick run (a fragment) can even start and end within
# one update of the page, so the page's own "running" / "not running" never shows it. The server
# does say when a run has finished (a ScriptFinished message on the page's websocket): the tests
# count those messages, and count on the page which messages it has taken in, so that after a tap
# they wait for the run the tap caused, however short, and for the page to have drawn its result.
_COUNT_MESSAGES = """(() => {
    const Native = window.WebSocket;
    window.__sensoryAuditMessages = {received: 0, handled: 0};
    window.WebSocket = function (...args) {
        const socket = new Native(...args);
        const seen = window.__sensoryAuditMessages = {received: 0, handled: 0};
        // Added before the app's own listener, so it hears each message first; "handled" follows
        // once the app has had a frame and a task to draw what the message brought.
        socket.addEventListener('message', () => {
            const n = ++seen.received;
            requestAnimationFrame(() => setTimeout(() => { seen.handled = Math.max(seen.handled, n); }));
        });
        return socket;
    };
    window.WebSocket.prototype = Native.prototype;
    Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
})();"""


@dataclass
class RunLog:
    """What the server has told one page over its current websocket: how many messages, and after
    which message each run (of the script or a fragment) finished."""

    socket: WebSocket | None = None
    messages: int = 0
    finished_at: list[int] = field(default_factory=list)

    def connect(self, socket: WebSocket) -> None:
        self.socket, self.messages, self.finished_at = socket, 0, []
        socket.on("framereceived", lambda payload: self.received(socket, payload))

    def received(self, socket: WebSocket, payload: str | bytes) -> None:
        if socket is not self.socket:
            return
        self.messages += 1
        if run_finished(payload):
            self.finished_at.append(self.messages)


def run_finished(payload: str | bytes) -> bool:
    """A ScriptFinished message of a run that ended (not one cut short to start again at once)."""
    if not isinstance(payload, bytes):
        return False
    message = ForwardMsg.FromString(payload)
    if message.WhichOneof("type") != "script_finished":
        return False
    return bool(message.script_finished != ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN)


_RUN_LOGS: weakref.WeakKeyDictionary[Page, RunLog] = weakref.WeakKeyDictionary()


def watch_runs(page: Page) -> None:
    """Follow the runs the server finishes for this page (new_context does it for every page)."""
    log = _RUN_LOGS.setdefault(page, RunLog())
    page.on("websocket", log.connect)


@contextmanager
def rerun(page: Page, timeout: float = 30_000) -> Iterator[None]:
    """Around an action that makes the app run again (a pick, a tap, a button): after it, wait until
    that run has finished and the page has drawn it.

        with rerun(page):
            page.get_by_role("option", name="Hillview Primary School").click()
    """
    log = _RUN_LOGS.get(page)
    if log is None or log.socket is None:
        raise RuntimeError("rerun() follows pages opened with the new_page or new_context fixture")
    wait_idle(page, timeout)
    socket, before = log.socket, len(log.finished_at)
    try:
        with socket.expect_event(
            "framereceived", lambda payload: isinstance(payload, bytes) and run_finished(payload), timeout=timeout
        ):
            yield
    except PlaywrightTimeoutError as error:
        raise AssertionError("the app did not run after the action (no run finished on the server)") from error
    if log.socket is socket and len(log.finished_at) > before:
        page.wait_for_function(
            "n => window.__sensoryAuditMessages.handled >= n", arg=log.finished_at[before], timeout=timeout
        )
    wait_idle(page, timeout)


# Every chart on the screen is drawn, at the width of its place on the screen: Streamlit hides a
# plotly chart until it knows that width, and draws it again when the window changes size. (A chart
# in a tab not open, with no width, is drawn when its tab opens.)
_CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(chart => {
    if (chart.getBoundingClientRect().width === 0) return true;
    const plot = chart.querySelector('.js-plotly-plot');
    const svg = plot && plot.querySelector('svg.main-svg');
    if (!svg || getComputedStyle(plot).visibility === 'hidden') return false;
    return Math.abs(svg.getBoundingClientRect().width - chart.getBoundingClientRect().width) <= 2;
})"""


def charts_drawn(page: Page, timeout: float = 30_000) -> None:
    """Wait until the screen is drawn and so is every chart on it."""
    wait_idle(page, timeout)
    page.wait_for_function(_CHARTS_DRAWN, timeout=timeout)


def navigation_is_open(page: Page) -> bool:
    return page.get_by_test_id("stSidebar").get_attribute("data-collapsed") == "false"


def open_navigation(page: Page) -> None:
    """Open the sidebar (the navigation and "Try as") with its button in the header, if it is closed."""
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.wait_for(state="attached")
    if not navigation_is_open(page):
        page.get_by_test_id("stExpandSidebarButton").click()
    expect(sidebar).to_have_attribute("data-collapsed", "false")


def close_navigation(page: Page) -> None:
    """Close the sidebar with its own button, if it is open."""
    sidebar = page.get_by_test_id("stSidebar")
    if navigation_is_open(page):
        close = page.get_by_test_id("stSidebarCollapseButton").get_by_role("button")
        sidebar.hover()  # the button shows while the pointer (or a finger) is on the sidebar
        close.click()
    expect(sidebar).to_have_attribute("data-collapsed", "true")


def link_name(title: str) -> re.Pattern[str]:
    """A screen's link in the navigation: its title, and for the Inbox the unread count after it."""
    return re.compile(rf"^{re.escape(title)}( \(\d+ unread\))?$")


def go_to(page: Page, title: str, timeout: float = 60_000) -> None:
    """Open a screen from the navigation and wait until it is drawn, its charts too; the navigation
    is left as it was found."""
    was_open = navigation_is_open(page)
    open_navigation(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=link_name(title)).click()
    expect(page.get_by_role("heading", name=title, level=1, exact=True)).to_be_visible(timeout=timeout)
    if not was_open:
        close_navigation(page)
    charts_drawn(page, timeout)


def try_as(page: Page, who: str, timeout: float = 60_000) -> None:
    """Switch the demo user with the sidebar's "Try as" box, e.g. "Morgan Reid (manager)", and wait
    until the navigation offers that role's screens (the page shown is still the one it was)."""
    role = Role(who.rsplit("(", 1)[1].rstrip(")"))
    was_open = navigation_is_open(page)
    open_navigation(page)
    page.get_by_label("Try as").click()
    with rerun(page, timeout):
        page.get_by_role("option", name=who, exact=True).click()
    nav = page.get_by_test_id("stSidebarNav")
    titles = [SCREENS[name][0] for name in SCREENS_BY_ROLE[role]]
    expect(nav.get_by_role("link")).to_have_count(len(titles), timeout=timeout)
    for title in titles:
        expect(nav.get_by_role("link", name=link_name(title))).to_have_count(1, timeout=timeout)
    wait_idle(page, timeout)
    if not was_open:
        close_navigation(page)


def screenshot(page: Page, name: str, full_height: int | None = None) -> Path:
    """Save a screenshot; with full_height, first grow the viewport so the whole page is in view."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if full_height:
        size = page.viewport_size or TABLET_LANDSCAPE
        page.set_viewport_size({"width": size["width"], "height": full_height})
        wait_idle(page)
    page.screenshot(path=str(path))
    return path


def no_error_elements(page: Page) -> None:
    """No exception box, error alert or Streamlit error element on the page."""
    assert page.locator('[data-testid="stException"]').count() == 0, "an exception is shown"
    text = page.locator('[data-testid="stApp"]').inner_text()
    assert "Traceback" not in text


def horizontal_overflow(page: Page) -> int:
    """How many pixels the main area scrolls sideways (0 = no horizontal scrolling)."""
    return int(
        page.evaluate(
            """() => {
                const m = document.querySelector('[data-testid="stMain"]') || document.documentElement;
                const page = document.documentElement.scrollWidth - window.innerWidth;
                return Math.max(m.scrollWidth - m.clientWidth, page);
            }"""
        )
    )


def small_tap_targets(page: Page, minimum: int = 44) -> list[str]:
    """Visible buttons and inputs in the main area smaller than `minimum` px high."""
    result: list[str] = page.evaluate(
        """(minimum) => {
            const out = [];
            const main = document.querySelector('[data-testid="stMain"]') || document.body;
            const selector = 'button, input:not([type=hidden]), textarea, select, '
                + '[role=radio], [role=checkbox], [role=option], [role=tab]';
            for (const el of main.querySelectorAll(selector)) {
                const r = el.getBoundingClientRect();
                if (r.width === 0 || r.height === 0) continue;
                const style = getComputedStyle(el);
                if (style.visibility === 'hidden' || style.display === 'none') continue;
                let h = r.height;
                const label = el.closest('label');
                if (label) h = Math.max(h, label.getBoundingClientRect().height);
                const name = (el.getAttribute('aria-label') || el.innerText || el.tagName).slice(0, 40);
                if (h < minimum) out.push(name + ' ' + Math.round(h) + 'px');
            }
            return out;
        }""",
        minimum,
    )
    return result


@pytest.fixture(scope="session")
def server(app_server: AppServer) -> AppServer:
    """The server that `store` and `page` work on: the shared demo server, unless a test module starts
    an app server of its own as its `server` fixture (sign-in, single sign-on)."""
    return app_server


# The server's store, and a fresh portrait-tablet page on it for each test.
@pytest.fixture(scope="module")
def store(server: AppServer) -> Iterator[Store]:
    opened = open_store(server.database_url, migrate=False)
    try:
        yield opened
    finally:
        opened.dispose()


@pytest.fixture
def page(new_context: Callable[..., BrowserContext], server: AppServer) -> Page:
    """A tablet's tab on the module's server, followed run by run (rerun() works on it); closed after the test."""
    tab = new_context(viewport=TABLET_PORTRAIT).new_page()
    tab.goto(server.url)
    wait_idle(tab, 90_000)
    return tab
