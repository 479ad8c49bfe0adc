"""A browser tab without the browser: one Streamlit session driven through nginx over its WebSocket.

A `Tab` does what the page's JavaScript does on the wire and nothing more: a first GET of the
address (nginx hands out its route cookie then, so the tab stays on one instance), the WebSocket to
/_stcore/stream with that cookie, a BackMsg `rerun_script` for the first run and for every change of
a widget (its WidgetState, and the id of the fragment the widget is drawn in, as the browser sends
it), and every ForwardMsg decoded with the installed streamlit package's protobufs. It keeps what a
tab needs to act again: each widget by its key or label, each keyed container's place in the page,
the address (query string) the app sets, and the texts drawn inside each keyed container, with the
time each arrived. Nothing is drawn, so a tablet costs the load generator a few milliseconds of
Python per message instead of a Chromium renderer.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import parse_qs, urlencode, urlparse

import httpx
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from bench.load_round import Account, Tablet, TabletLog
from checklists.schema import ItemKind, ResolvedItem
from tests.e2e.test_assess import CLASSROOM, SECTIONS, first_segment, reading_for
from ui import state

T = TypeVar("T")
WIDGETS = ("text_input", "text_area", "button", "button_group", "checkbox", "selectbox", "file_uploader")


class Lost(ConnectionError):  # noqa: N818 (a state of the connection, as the page sees it)
    """The WebSocket closed (the instance went away) before the awaited reply came."""


@dataclass
class Widget:
    id: str
    kind: str
    label: str
    fragment_id: str
    options: list[str] = field(default_factory=list)


@dataclass
class Drawn:
    """A text drawn inside a keyed container: when it arrived and what it says."""

    at: float
    block: str
    text: str


def widget_key(widget_id: str) -> str:
    """The key a script gave a widget ('$$ID-<hash>-<key>' -> '<key>'; '' for a widget without one)."""
    if not widget_id.startswith("$$ID-"):
        return ""
    parts = widget_id.split("-", 2)
    return parts[2] if len(parts) == 3 and parts[2] != "None" else ""


@dataclass
class Tab:
    base_url: str
    query_string: str = ""
    page_name: str = ""
    page_script_hash: str = ""
    widgets: dict[str, Widget] = field(default_factory=dict)  # by the key the script gave it
    labelled: dict[str, Widget] = field(default_factory=dict)  # by label (the last one drawn)
    blocks: dict[tuple[int, ...], str] = field(default_factory=dict)  # path -> the container's key
    drawn: list[Drawn] = field(default_factory=list)
    runs_finished: int = 0
    closed: bool = False
    messages: int = 0
    cookies: dict[str, str] = field(default_factory=dict)  # the browser's: kept from one load to the next
    _socket: websockets.ClientConnection | None = None
    _reader: asyncio.Task[None] | None = None
    _changed: asyncio.Condition = field(default_factory=asyncio.Condition)

    async def open(self, timeout: float = 120) -> None:
        """Load the address: the first GET (for the proxy's route cookie), the WebSocket, the first run."""
        async with httpx.AsyncClient(timeout=timeout, cookies=self.cookies) as http:
            response = await http.get(f"{self.base_url}/{self.page_name}")
            response.raise_for_status()
            self.cookies.update(dict(http.cookies.items()))
        cookies = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        address = urlparse(self.base_url)
        self._socket = await websockets.connect(
            f"ws://{address.netloc}/_stcore/stream",
            subprotocols=[websockets.Subprotocol("streamlit")],
            additional_headers={"Cookie": cookies, "Origin": self.base_url},
            max_size=None,
            open_timeout=timeout,
            ping_interval=None,  # the server keeps the connection alive itself
        )
        self._reader = asyncio.create_task(self._read())
        finished = self.runs_finished
        await self.rerun()
        await self.wait(lambda: self.runs_finished > finished, timeout)

    async def close(self) -> None:
        if self._socket is not None:
            with contextlib.suppress(Exception):
                await self._socket.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader

    async def rerun(self, states: list[WidgetState] | None = None, fragment_id: str = "") -> float:
        """Send a rerun_script, as the page does after a tap or an Enter; returns when it was sent."""
        if self._socket is None or self.closed:
            raise Lost("the connection is closed")
        client = ClientState(
            query_string=self.query_string,
            page_script_hash=self.page_script_hash,
            page_name=self.page_name if not self.page_script_hash else "",
            fragment_id=fragment_id,
        )
        client.widget_states.widgets.extend(states or [])
        client.context_info.timezone = "Europe/London"
        client.context_info.locale = "en-GB"
        client.context_info.url = f"{self.base_url}/{self.page_name}?{self.query_string}"
        sent = time.perf_counter()
        try:
            await self._socket.send(BackMsg(rerun_script=client).SerializeToString())
        except websockets.ConnectionClosed as error:
            raise Lost(str(error)) from None
        return sent

    async def wait(self, ready: Callable[[], bool], timeout: float) -> None:
        """Wait until `ready()` holds (checked after every message), or raise Lost / TimeoutError."""
        async with asyncio.timeout(timeout), self._changed:
            while not ready():
                if self.closed:
                    raise Lost("the connection closed")
                await self._changed.wait()

    def widget(self, key: str) -> Widget:
        return self.widgets[key]

    def labelled_widget(self, label: str) -> Widget:
        return self.labelled[label]

    def texts_in(self, block_key: str, since: float) -> list[Drawn]:
        return [d for d in self.drawn if d.block == block_key and d.at >= since]

    # ----------------------------------------------------------------------------------------

    async def _read(self) -> None:
        assert self._socket is not None
        try:
            async for payload in self._socket:
                if isinstance(payload, bytes):
                    self._received(ForwardMsg.FromString(payload))
                async with self._changed:
                    self._changed.notify_all()
        except websockets.ConnectionClosed:
            pass
        finally:
            self.closed = True
            async with self._changed:
                self._changed.notify_all()

    def _received(self, message: ForwardMsg) -> None:
        self.messages += 1
        kind = message.WhichOneof("type")
        if kind == "new_session":
            self.page_script_hash = message.new_session.page_script_hash or self.page_script_hash
        elif kind == "navigation":
            self.page_script_hash = message.navigation.page_script_hash or self.page_script_hash
        elif kind == "page_info_changed":
            self.query_string = message.page_info_changed.query_string
        elif kind == "script_finished":
            if message.script_finished != ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN:
                self.runs_finished += 1
        elif kind == "delta":
            self._delta(message)

    def _delta(self, message: ForwardMsg) -> None:
        path = tuple(message.metadata.delta_path)
        delta = message.delta
        if delta.WhichOneof("type") == "add_block":
            key = widget_key(delta.add_block.id) if delta.add_block.id else ""
            if key:
                self.blocks[path] = key
            else:
                self.blocks.pop(path, None)
            return
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind in WIDGETS:
            proto = getattr(element, kind)
            options = [o.content for o in proto.options] if kind == "button_group" else []
            widget = Widget(proto.id, kind, proto.label, delta.fragment_id, options)
            self.widgets[widget_key(proto.id)] = widget
            self.labelled[proto.label] = widget
        elif kind in ("markdown", "alert"):
            body = element.markdown.body if kind == "markdown" else element.alert.body
            self.drawn.append(Drawn(time.perf_counter(), self._container_of(path), body))
        elif kind == "exception":
            said = f"{element.exception.type}: {element.exception.message}"
            self.drawn.append(Drawn(time.perf_counter(), self._container_of(path), said))

    def _container_of(self, path: tuple[int, ...]) -> str:
        """The key of the nearest keyed container holding the element at `path` ('' for none)."""
        for end in range(len(path) - 1, 0, -1):
            key = self.blocks.get(path[:end])
            if key:
                return key
        return ""


def text_state(widget: Widget, text: str) -> WidgetState:
    return WidgetState(id=widget.id, string_value=text)


def trigger_state(widget: Widget) -> WidgetState:
    return WidgetState(id=widget.id, trigger_value=True)


def choice_state(widget: Widget, label: str) -> WidgetState:
    """A segmented control's choice: the option as it is shown (the browser sends that text)."""
    state = WidgetState(id=widget.id)
    state.string_array_value.data.append(label)
    return state


# --------------------------------------------------------------------------------------------
# A tablet on the protocol: sign in, open the draft, answer every item
# --------------------------------------------------------------------------------------------

SAVE_WAIT = 20.0  # seconds for one save before the tablet looks for a lost connection


async def _sign_in(base_url: str, who: Account, cookies: dict[str, str]) -> str:
    """Sign in on the sign-in screen's form; returns the session key the app put in the address."""
    tab = Tab(base_url, cookies=cookies)
    try:
        await tab.open()
        email, password = tab.labelled_widget("Email address"), tab.labelled_widget("Password")
        submit = tab.labelled_widget("Sign in")
        await tab.rerun([text_state(email, who.email), text_state(password, who.password), trigger_state(submit)])
        await tab.wait(lambda: "s=" in tab.query_string, 120)
        return parse_qs(tab.query_string)["s"][0]
    finally:
        await tab.close()


async def _open_draft(base_url: str, query: str, cookies: dict[str, str], log: TabletLog) -> Tab:
    """Load the Assess screen's address (the draft open); raises when it shows the sign-in screen."""
    tab = Tab(base_url, query_string=query, cookies=cookies)
    asked = time.perf_counter()
    await tab.open()
    with contextlib.suppress(TimeoutError):  # a first run may end before the screen is drawn: wait for it
        await tab.wait(lambda: _items_or_sign_in(tab), 120)
    if not any(key.startswith("assess_w:") for key in tab.widgets):
        await tab.close()
        if "Email address" in tab.labelled:
            log.signed_out = True
            raise RuntimeError("signed out after the lost connection")
        said = " / ".join(d.text[:120] for d in tab.drawn if d.block == "")[-400:]
        raise RuntimeError(f"the draft's items did not come; the screen said: {said}")
    log.opened_s.append(time.perf_counter() - asked)
    return tab


def _items_or_sign_in(tab: Tab) -> bool:
    return "Email address" in tab.labelled or any(key.startswith("assess_w:") for key in tab.widgets)


def _answer_states(tab: Tab, assessment_id: int, resolved: ResolvedItem) -> tuple[list[WidgetState], str]:
    """The widget states a good answer sends (as the page sends them), and the fragment they are in."""
    item = resolved.item
    if item.kind is ItemKind.measurement:
        box = tab.widget(state.assess_widget(assessment_id, item.id, "answer"))
        return [text_state(box, reading_for(resolved))], box.fragment_id
    if item.kind is ItemKind.flicker:
        percent = tab.widget(state.assess_widget(assessment_id, item.id, "percent"))
        frequency = tab.widget(state.assess_widget(assessment_id, item.id, "frequency"))
        return [text_state(percent, "1.5"), text_state(frequency, "100")], frequency.fragment_id
    control = tab.widget(state.assess_widget(assessment_id, item.id, "answer"))
    label = next(o for o in control.options if re.fullmatch(re.escape(first_segment(resolved)), o.strip()))
    return [choice_state(control, label)], control.fragment_id


async def _save(tab: Tab, assessment_id: int, resolved: ResolvedItem) -> float:
    """Give one good answer; seconds from the message sent to the item's "Saved" line received."""
    item = resolved.item
    status = state.assess_item_status(assessment_id, item.id)
    states, fragment = _answer_states(tab, assessment_id, resolved)
    if item.kind is ItemKind.flicker:  # the percent first (the item asks for the frequency), then both
        sent = await tab.rerun(states[:1], fragment)
        await tab.wait(lambda: any("frequency" in d.text for d in tab.texts_in(status, sent)), SAVE_WAIT)
    sent = await tab.rerun(states, fragment)
    await tab.wait(lambda: any("Saved" in d.text for d in tab.texts_in(status, sent)), SAVE_WAIT)
    return next(d.at for d in tab.texts_in(status, sent) if "Saved" in d.text) - sent


async def run_protocol_tablet(
    base_url: str, tablet: Tablet, pause: float, log: TabletLog, stop_at: float, delay: float
) -> None:
    """One assessor's round on the protocol: sign in, open the draft, answer every item in order,
    paced; after a lost connection, load the address again (as the page does) and carry on."""
    await asyncio.sleep(delay)
    cookies: dict[str, str] = {}
    tab: Tab | None = None
    try:
        token = await _again(lambda: _sign_in(base_url, tablet.account, cookies), log)
        query = urlencode({"assessment": tablet.assessment_id, "s": token})
        tab = await _again(lambda: _open_draft(base_url, query, cookies, log), log)
        for category in SECTIONS:
            for resolved in CLASSROOM.items:
                if resolved.item.category != category:
                    continue
                if time.monotonic() > stop_at:
                    raise RuntimeError("out of time")
                for _attempt in range(4):
                    try:
                        elapsed = await _save(tab, tablet.assessment_id, resolved)
                    except (Lost, TimeoutError):
                        log.retried += 1
                        if tab.closed:
                            log.disconnects += 1
                        await tab.close()
                        tab = await _reopen(base_url, tab.query_string or query, cookies, log)
                        if resolved.item.id in _saved_on(tab, tablet.assessment_id, resolved):
                            log.saved_items.add(resolved.item.id)  # the slow save came back after all
                            break
                        continue
                    if any("Someone else saved" in d.text for d in tab.drawn[-5:]):
                        log.conflicts += 1
                    log.saved(resolved, elapsed * 1000)
                    break
                else:
                    raise RuntimeError(f"{resolved.item.id}: not saved after 4 tries")
                await asyncio.sleep(pause)
        log.finished = True
    except Exception as error:  # the run goes on with the other tablets
        log.failed(error)
    finally:
        if tab is not None:
            await tab.close()


async def _reopen(base_url: str, query: str, cookies: dict[str, str], log: TabletLog) -> Tab:
    """Load the address again until an instance answers (the proxy moves the tablet off a dead one)."""
    return await _again(lambda: _open_draft(base_url, query, cookies, log), log)


async def _again(step: Callable[[], Awaitable[T]], log: TabletLog) -> T:
    """A page load (or signing in) through a restart: tried again for 120 s, each loss counted."""
    deadline = time.monotonic() + 120
    while True:
        try:
            return await step()
        except (OSError, Lost, TimeoutError, httpx.HTTPError, websockets.WebSocketException):
            log.disconnects += 1
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(1)


def _saved_on(tab: Tab, assessment_id: int, resolved: ResolvedItem) -> set[str]:
    """The item, when the freshly loaded screen says it is saved."""
    status = state.assess_item_status(assessment_id, resolved.item.id)
    return {resolved.item.id} if any("Saved" in d.text for d in tab.texts_in(status, 0)) else set()
