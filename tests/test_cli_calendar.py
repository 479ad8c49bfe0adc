"""`sensory-audit calendar serve` as a calendar app reads it: real HTTP requests to the server on
127.0.0.1 (a free port), on the demo store. Each address lists its owner's rooms with their due
days, read back with icalendar; another organisation's rooms are absent; a revoked address, a made
up one, another path or method get a refusal with no data; the log never shows a token. Then the
same through nginx with deploy/nginx.conf's /calendar/ location."""

from __future__ import annotations

import datetime as dt
import os
import selectors
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import icalendar
import pytest
from typer.testing import CliRunner

from assessments import repository
from assessments.db import open_store
from assessments.schedule import RoomDue
from cli import app
from deploy.stack import free_port, healthy, nginx_binary, render_nginx_conf

ROOT = Path(__file__).resolve().parents[1]
TEACHER = "teacher@demo.sensory-audit.test"
MANAGER = "manager@demo.sensory-audit.test"
SCHOOL = "Hillview Primary School"


@dataclass
class Server:
    url: str
    log: Path


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli-calendar")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SENSORY_AUDIT_DATA_DIR", str(folder))
        patch.delenv("DATABASE_URL", raising=False)
        assert CliRunner().invoke(app, ["demo"]).exit_code == 0
    return folder


@pytest.fixture(autouse=True)
def _store(demo_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENSORY_AUDIT_DATA_DIR", str(demo_dir))
    monkeypatch.delenv("DATABASE_URL", raising=False)


@pytest.fixture(scope="module")
def server(demo_dir: Path) -> Iterator[Server]:
    env = {**os.environ, "SENSORY_AUDIT_DATA_DIR": str(demo_dir), "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    log = demo_dir / "calendar.log"
    with open(log, "wb") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "cli", "calendar", "serve", "--host", "127.0.0.1", "--port", "0"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=errors, start_new_session=True,
        )  # fmt: skip
    try:
        assert process.stdout is not None
        watch = selectors.DefaultSelector()
        watch.register(process.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + 60
        line = b""
        while not line.endswith(b"\n") and time.monotonic() < deadline and process.poll() is None:
            if watch.select(timeout=1):
                line += process.stdout.read1(200)  # type: ignore[attr-defined]
        text = line.decode()
        assert text.startswith("Serving calendars on http://127.0.0.1:"), (text, log.read_text())
        yield Server(text.split(" on ", 1)[1].strip().removesuffix("/calendar/"), log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def _store_call(email: str, call: str) -> object:
    store = open_store()
    try:
        with store.session() as session:
            user = repository.get_user_by_email(session, email)
            assert user is not None
            if call == "make":
                return repository.create_calendar_token(session, user)
            if call == "revoke":
                return repository.revoke_calendar_token(session, user)
            return repository.room_schedule(session, user, today=dt.date.today())
    finally:
        store.dispose()


def _schedule(email: str) -> list[RoomDue]:
    rooms = _store_call(email, "schedule")
    assert isinstance(rooms, list)
    return rooms


def _get(url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read()


def _events(body: bytes) -> dict[str, dt.date]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(e["uid"]): e.decoded("dtstart") for e in calendar.walk("VEVENT")}


def test_each_address_lists_its_owners_rooms_with_their_due_days(server: Server) -> None:
    token = _store_call(TEACHER, "make")
    assert isinstance(token, str)
    status, headers, body = _get(f"{server.url}/calendar/{token}.ics")
    assert status == 200
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    rooms = _schedule(TEACHER)
    assert rooms
    assert {r.organisation_name for r in rooms} == {SCHOOL}
    assert _events(body) == {f"reassess-room-{r.room_id}@sensory-audit": r.due_on for r in rooms}

    # The manager's address lists their organisations' rooms; the teacher's has none of the others.
    manager_token = _store_call(MANAGER, "make")
    status, _, manager_body = _get(f"{server.url}/calendar/{manager_token}.ics")
    assert status == 200
    everything = _schedule(MANAGER)
    others = {f"reassess-room-{r.room_id}@sensory-audit" for r in everything if r.organisation_name != SCHOOL}
    assert others
    assert set(_events(manager_body)) == {f"reassess-room-{r.room_id}@sensory-audit" for r in everything}
    assert not others & set(_events(body))
    assert not any(r.room_name.encode() in body for r in everything if r.organisation_name != SCHOOL)

    # HEAD answers the headers alone.
    status, headers, empty = _get(f"{server.url}/calendar/{token}.ics", "HEAD")
    assert (status, empty) == (200, b"")
    assert int(headers["Content-Length"]) == len(body)


def test_a_revoked_or_made_up_address_gets_nothing(server: Server) -> None:
    token = _store_call(TEACHER, "make")
    assert _get(f"{server.url}/calendar/{token}.ics")[0] == 200
    assert _store_call(TEACHER, "revoke") == 1
    rooms = _schedule(TEACHER)
    refused = [
        f"/calendar/{token}.ics",
        f"/calendar/{'x' * 43}.ics",
        "/calendar/.ics",
        f"/calendar/{token}.ics/../x.ics",
        "/calendar/",
        "/",
        "/_stcore/health",
    ]
    for path in refused:
        status, headers, body = _get(server.url + path)
        assert status == 404, path
        assert headers["Content-Type"].startswith("text/plain")
        assert b"VCALENDAR" not in body
        assert not any(r.room_name.encode() in body for r in rooms)
    # A new address works again, and the old one stays refused.
    again = _store_call(TEACHER, "make")
    assert _get(f"{server.url}/calendar/{again}.ics")[0] == 200
    assert _get(f"{server.url}/calendar/{token}.ics")[0] == 404
    assert _get(f"{server.url}/calendar/{again}.ics", "POST")[0] == 405
    assert _get(f"{server.url}/calendar/health")[2] == b"ok\n"
    log = server.log.read_text()
    assert "GET /calendar/….ics" in log
    assert token not in log
    assert again not in log


def test_nginx_passes_calendar_addresses_on_and_logs_no_token(server: Server, tmp_path: Path) -> None:
    binary = nginx_binary()
    if binary is None:
        pytest.fail("nginx is missing: scripts/system-deps installs it")
    folder = tmp_path / "nginx"
    folder.mkdir()
    folder.chmod(0o755)
    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / kind).mkdir()
        (folder / kind).chmod(0o777)
    port = free_port()
    calendar_port = int(server.url.rsplit(":", 1)[1])
    # No app instance listens on the instance port: only /calendar/ is asked here.
    conf = folder / "nginx.conf"
    conf.write_text(render_nginx_conf([free_port()], port, folder, calendar_port))
    proxy = subprocess.Popen(
        [binary, "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log"),
         "-g", f"daemon off; pid {folder / 'nginx.pid'};"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while not healthy(f"http://127.0.0.1:{port}/calendar/health"):
            assert proxy.poll() is None, (folder / "error.log").read_text()
            assert time.monotonic() < deadline, "nginx did not pass /calendar/health on"
            time.sleep(0.1)
        token = _store_call(TEACHER, "make")
        status, headers, body = _get(f"http://127.0.0.1:{port}/calendar/{token}.ics")
        assert status == 200
        assert headers["Content-Type"] == "text/calendar; charset=utf-8"
        assert set(_events(body)) == {f"reassess-room-{r.room_id}@sensory-audit" for r in _schedule(TEACHER)}
        assert _get(f"http://127.0.0.1:{port}/calendar/{token}.ics", "POST")[0] == 405
        _store_call(TEACHER, "revoke")
        status, _, body = _get(f"http://127.0.0.1:{port}/calendar/{token}.ics")
        assert status == 404
        assert b"VCALENDAR" not in body
        logged = "".join(p.read_text() for p in folder.glob("*.log"))
        assert token not in logged
    finally:
        proxy.send_signal(signal.SIGQUIT)
        try:
            proxy.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proxy.kill()
            proxy.wait(timeout=5)
