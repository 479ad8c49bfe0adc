"""End-to-end fixtures: the real Streamlit server on 127.0.0.1 and Debian's Chromium through Playwright.

The server runs on a fresh data folder (so it loads the demo portfolio on first start) and is
stopped by its PID when the tests end. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from assessments.db import DATA_DIR_ENV, open_store
from assessments.demo import load_demo

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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A browser test may run again, up to twice, when it fails: a real browser against a real
    server has timing that no wait covers completely. A test that fails three times fails."""
    for item in items:
        if item.get_closest_marker("e2e") is not None:
            item.add_marker(pytest.mark.flaky(reruns=2, reruns_delay=2))


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

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.data_dir / 'sensory-audit.db'}"


def prepare_store(data_dir: Path) -> None:
    """Create the database with the demo portfolio before the server starts, as a first run would,
    so tests that read the store directly find it whichever test runs first."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DATA_DIR_ENV, str(data_dir))  # the demo photos go to the server's data folder
        store = open_store(f"sqlite+pysqlite:///{data_dir / 'sensory-audit.db'}")
        try:
            load_demo(store)
        finally:
            store.dispose()


def start_app(data_dir: Path, extra_env: dict[str, str] | None = None) -> AppServer:
    port = free_port()
    env = {**os.environ, "SENSORY_AUDIT_DATA_DIR": str(data_dir), **(extra_env or {})}
    env.pop("DATABASE_URL", None)
    log = open(data_dir.parent / f"streamlit-{port}.log", "wb")  # noqa: SIM115 - kept open for the server's life
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return AppServer(url, data_dir, process, log)
        except OSError:
            time.sleep(0.3)
        if process.poll() is not None:
            break
    stop_app(AppServer(url, data_dir, process, log))
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


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    data_dir = tmp_path_factory.mktemp("app") / "data"
    data_dir.mkdir()
    prepare_store(data_dir)
    server = start_app(data_dir)
    try:
        yield server
    finally:
        stop_app(server)


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


def wait_idle(page: Page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished running the page script and is connected."""
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]',
        timeout=timeout,
    )


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
