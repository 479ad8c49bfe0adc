"""User text is shown as typed on every screen: a room, a site, an assessor, a note and a reason for
submitting early, each made of Markdown and HTML, never become a picture, a link or bold type.

The screens run through app.py in AppTest as an admin (who sees every screen). Everything Streamlit
draws as Markdown (text elements, labels, help, tab and expander titles, the options of radios and
button groups) must hold the text escaped; charts get it with its markup characters as entities,
which plotly draws as the characters themselves.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from assessments import repository
from assessments.db import Store
from assessments.demo import DEMO_USERS
from assessments.models import Role, Site
from tests.ui.conftest import shown
from ui import state

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
ADMIN = DEMO_USERS[3].email
PAYLOAD = "![x](http://127.0.0.1:9/x.png) [click](javascript:alert(1)) <b>bold</b> **strong**"
# What must never reach Markdown unescaped, nor a chart as markup.
MARKUP = ["![x](", "[click](", "<b>", "**strong**"]
SCREENS = ["overview", "compare", "room", "action_plan", "assess", "admin"]
ROOM = "Year 1 classroom"


@pytest.fixture(scope="module")
def planted(demo_store: Store) -> dict[str, int]:
    """The room, its site and an assessor named with the payload; a submitted assessment with the
    payload as a note and as the reason for submitting it incomplete."""
    with demo_store.session() as session:
        admin = repository.get_user_by_email(session, ADMIN)
        assert admin is not None
        room = next(r for r in repository.list_rooms(session, admin) if r.name == ROOM)
        site = session.get(Site, room.site_id)
        assert site is not None
        organisation_id = site.organisation_id
        repository.update_room(session, admin, room.id, name=PAYLOAD)
        repository.update_site(session, admin, site.id, name="Site " + PAYLOAD)
        assessor = repository.create_user(
            session, admin, name=PAYLOAD, email="payload@example.test", role=Role.staff,
            organisation_ids=[organisation_id],
        )  # fmt: skip
        draft = repository.start_assessment(session, assessor, room.id)
        version = repository.save_answer(session, assessor, draft.id, "noise.background_level", 55, draft.version_id)
        version = repository.save_note(session, assessor, draft.id, "noise.background_level", PAYLOAD, version)
        repository.submit(session, assessor, draft.id, version, provisional_reason=PAYLOAD)
        # An action on the room, owned by the assessor, with the payload as its note.
        repository.create_action(
            session,
            admin,
            room.id,
            "noise.background_level",
            owner_id=assessor.id,
            due_on=dt.date.today() + dt.timedelta(days=30),
            note=PAYLOAD,
        )
        room_id, assessment_id = room.id, draft.id
    return {"room": room_id, "assessment": assessment_id, "organisation": organisation_id}


def open_screen(store: Store, screen: str, planted: dict[str, int]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    with store.session() as session:
        admin = repository.get_user_by_email(session, ADMIN)
        assert admin is not None
        at.session_state[state.USER_ID] = admin.id
    at.run()
    if screen == "room":
        at.session_state[state.ROOM_ID] = planted["room"]
    if screen == "compare":
        at.session_state[state.COMPARE_ROOMS] = [planted["room"], *_other_rooms(store, planted, 1)]
    if screen == "assess":
        at.query_params["assessment"] = str(planted["assessment"])
    at.switch_page(f"ui/pages/{screen}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _other_rooms(store: Store, planted: dict[str, int], n: int) -> list[int]:
    with store.session() as session:
        admin = repository.get_user_by_email(session, ADMIN)
        rooms = [r.id for r in repository.list_rooms(session, admin) if r.id != planted["room"]]
    return rooms[:n]


# Proto fields Streamlit draws as Markdown, and element types whose options it draws as Markdown.
_MARKDOWN_FIELDS = {"body", "label", "help", "caption", "placeholder"}
_MARKDOWN_OPTIONS = {"radio", "button_group", "select_slider"}


def _strings(message: Any, kind: str) -> Iterator[str]:
    for descriptor, value in message.ListFields():
        if descriptor.type == descriptor.TYPE_MESSAGE:
            for part in [value] if hasattr(value, "ListFields") else value:
                yield from _strings(part, kind)
        elif descriptor.type == descriptor.TYPE_STRING:
            values = [value] if isinstance(value, str) else list(value)
            if descriptor.name in _MARKDOWN_FIELDS or (descriptor.name == "options" and kind in _MARKDOWN_OPTIONS):
                yield from values


def drawn(at: AppTest) -> tuple[list[str], list[str], list[str]]:
    """(what is drawn as Markdown, what is drawn as plain text, the charts' specs) on the screen."""
    markdown: list[str] = []
    plain: list[str] = []
    charts: list[str] = []

    def visit(node: Any) -> None:
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", "")
        if proto is not None and hasattr(proto, "ListFields"):
            if kind == "plotly_chart":
                charts.append(proto.spec)
            elif kind == "table":
                # st.table draws every cell (and header) as Markdown.
                frame = node.value
                markdown.extend(str(v) for v in [*frame.columns, *frame.to_numpy().ravel()] if isinstance(v, str))
            elif kind in {"arrow_data_frame", "dataframe"}:
                plain.append(str(node.value.to_csv()))
            else:
                markdown.extend(_strings(proto, kind))
                if kind in {"selectbox", "multiselect"}:
                    plain.extend(proto.options)
                if kind in {"text_area", "text_input"}:
                    plain.append(str(node.value))
                if kind == "text":
                    plain.append(proto.body)
        for child in getattr(node, "children", {}).values():
            visit(child)

    visit(at._tree)
    return markdown, plain, charts


@pytest.mark.parametrize("screen", SCREENS)
def test_user_text_is_shown_as_typed(demo_store: Store, planted: dict[str, int], screen: str) -> None:
    at = open_screen(demo_store, screen, planted)
    markdown, plain, charts = drawn(at)
    raw = [text for text in markdown if any(mark in text for mark in MARKUP)]
    assert raw == [], f"{screen}: drawn as Markdown without escaping"
    for spec in charts:
        texts = json.dumps(json.loads(spec)["data"]) + json.dumps(json.loads(spec).get("layout", {}))
        assert "<b>bold</b>" not in texts, f"{screen}: a chart draws the payload's markup"
    everything = [shown(text) for text in markdown] + plain
    assert any(PAYLOAD in text for text in everything), f"{screen}: the payload is not on the screen"
