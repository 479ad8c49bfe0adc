"""The Inbox screen's calendar subscription (Streamlit's AppTest on the demo portfolio): the address
is shown once when it is made, works in the store, ends when a new one is made or it is stopped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assessments import repository
from assessments.db import Store
from ui import state
from ui.calendar_view import CALENDAR_URL_ENV, calendar_address
from ui.unread import inbox_title

PAGES = Path(__file__).resolve().parents[2] / "ui" / "pages"
TEACHER = "teacher@demo.sensory-audit.test"
BASE = "https://audit.example.test/calendar/"


def _teacher(store: Store) -> repository.Actor:
    with store.session() as session:
        user = repository.get_user_by_email(session, TEACHER)
        assert user is not None
        return repository.Actor.of(user)


def _works(store: Store, address: str) -> bool:
    token = address.removeprefix(BASE).removesuffix(".ics")
    with store.session() as session:
        return repository.rooms_for_token(session, token, today=dt.date.today()) is not None


def test_the_address_is_shown_once_and_ends_when_replaced_or_stopped(
    demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CALENDAR_URL_ENV, BASE)
    teacher = _teacher(demo_store)
    app = AppTest.from_file(str(PAGES / "inbox.py"), default_timeout=90)
    app.session_state[state.USER_ID] = teacher.id
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.button(key="calendar_make").label == "Make my calendar address"
    assert not app.code

    app.button(key="calendar_make").click().run()
    assert app.success[0].value.startswith("Your calendar address is ready. Copy it now")
    first = app.code[0].value
    assert first.startswith(BASE)
    assert first.endswith(".ics")
    assert _works(demo_store, first)

    # The next run no longer shows it: only when it was made.
    app.run()
    assert not app.code
    assert any(m.value.startswith("You have a calendar address, made on ") for m in app.markdown)

    app.button(key="calendar_make").click().run()
    second = app.code[0].value
    assert second != first
    assert _works(demo_store, second)
    assert not _works(demo_store, first)

    app.button(key="calendar_stop").click().run()
    assert not app.code
    assert not _works(demo_store, second)
    assert app.button(key="calendar_make").label == "Make my calendar address"


def test_the_address_follows_the_apps_own_address_when_none_is_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    token = "t" * 43
    monkeypatch.delenv(CALENDAR_URL_ENV, raising=False)
    assert calendar_address("https://audit.example.test/overview?s=abc", token) == (
        f"https://audit.example.test/calendar/{token}.ics"
    )
    monkeypatch.setenv(CALENDAR_URL_ENV, "https://cal.example.test/calendar")
    assert calendar_address("https://audit.example.test/", token) == f"https://cal.example.test/calendar/{token}.ics"
    monkeypatch.setenv(CALENDAR_URL_ENV, "https://cal.example.test/")
    assert calendar_address("", token) == f"https://cal.example.test/calendar/{token}.ics"


def test_the_inbox_title_names_the_unread_count_in_words() -> None:
    assert inbox_title(0) == "Inbox"
    assert inbox_title(3) == "Inbox (3 unread)"
