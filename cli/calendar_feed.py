"""`sensory-audit calendar serve`: the read-only address calendar apps subscribe to.

The app's screens cannot answer a calendar app (Streamlit serves its own routes only), so this small
HTTP server, from the standard library, answers `GET /calendar/<token>.ics` with the iCalendar file
of the rooms the token's owner may see, due for re-assessment (`assessments.calendar_feed`). It
answers nothing else: an unknown, revoked or malformed token, any other path and any other method
get a short refusal with no data. Tokens never reach the log. nginx passes /calendar/ to it
(deploy/nginx.conf); `GET /calendar/health` answers "ok" for health checks.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlsplit

import typer

from cli.common import database_label, fail

if TYPE_CHECKING:
    from assessments.db import Store

__all__ = ["CALENDAR_PATH", "calendar_app", "make_server", "serve"]

log = logging.getLogger("sensory_audit.calendar")

CALENDAR_PATH = re.compile(r"^/calendar/([^/]+)\.ics$")
HEALTH_PATH = "/calendar/health"
NOT_FOUND = b"No calendar at this address. Make a new one on the Inbox screen.\n"

calendar_app = typer.Typer(help="The calendar address calendar apps subscribe to.", no_args_is_help=True)


class _Handler(BaseHTTPRequestHandler):
    server_version = "sensory-audit-calendar"
    sys_version = ""
    store: Store

    def _send(self, status: HTTPStatus, body: bytes, content_type: str, *, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "private, max-age=300" if status is HTTPStatus.OK else "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if status is HTTPStatus.OK and content_type.startswith("text/calendar"):
            self.send_header("Content-Disposition", 'inline; filename="re-assessments.ics"')
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _answer(self, *, head: bool) -> None:
        from assessments.calendar_feed import rooms_for_token
        from reports.schedule import due_calendar

        path = urlsplit(self.path).path
        if path == HEALTH_PATH:
            self._send(HTTPStatus.OK, b"ok\n", "text/plain; charset=utf-8", head=head)
            return
        match = CALENDAR_PATH.match(path)
        rooms = None
        if match is not None:
            try:
                with self.store.session() as session:
                    rooms = rooms_for_token(session, match.group(1), today=dt.date.today())
            except Exception:  # a database that cannot be reached is said plainly, and logged
                log.exception("calendar: the store could not be read")
                self._send(HTTPStatus.SERVICE_UNAVAILABLE, b"The calendar cannot be read just now; try again later.\n",
                           "text/plain; charset=utf-8", head=head)  # fmt: skip
                return
        if rooms is None:
            self._send(HTTPStatus.NOT_FOUND, NOT_FOUND, "text/plain; charset=utf-8", head=head)
            return
        self._send(HTTPStatus.OK, due_calendar(rooms), "text/calendar; charset=utf-8", head=head)

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def _refuse(self) -> None:
        self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_PUT = do_DELETE = do_PATCH = _refuse  # noqa: N815 (the names http.server calls)

    def log_message(self, format: str, *args: object) -> None:
        # The token is the address's secret: the log shows the path without it.
        log.info("%s %s", self.address_string(), _TOKEN_IN_LINE.sub("/calendar/….ics", format % args))


_TOKEN_IN_LINE = re.compile(r"/calendar/[^/\s?#]+\.ics")


def make_server(store: Store, host: str, port: int) -> ThreadingHTTPServer:
    """A server answering calendar requests from `store` on host:port (port 0: a free one)."""
    handler = type("CalendarHandler", (_Handler,), {"store": store})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


@calendar_app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on (0: a free one).", min=0, max=65535)] = 8600,
) -> None:
    """Answer calendar apps at /calendar/<token>.ics until stopped (Ctrl+C)."""
    from assessments.db import open_store

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    try:
        store = open_store()
    except Exception as error:  # any failure to reach the database is reported plainly
        fail(f"cannot open the store ({database_label()}): {error}")
    try:
        server = make_server(store, host, port)
    except OSError as error:
        store.dispose()
        fail(f"--port: cannot listen on {host}:{port} ({error.strerror})")
    bound_port = server.server_address[1]
    typer.echo(f"Serving calendars on http://{host}:{bound_port}/calendar/")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        store.dispose()
