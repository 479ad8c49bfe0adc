"""The Calibration screen headless (Streamlit's AppTest) on the demo portfolio: a manager starts a
round, sees it at once, and closes it early; the store agrees."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from assessments import repository
from assessments.db import Store
from ui import state

PAGE = Path(__file__).resolve().parents[2] / "ui" / "pages" / "calibration.py"
MANAGER = "manager@demo.sensory-audit.test"


def _page(store: Store, email: str) -> AppTest:
    with store.session() as session:
        user = repository.get_user_by_email(session, email)
        assert user is not None
    app = AppTest.from_file(str(PAGE), default_timeout=60)
    app.session_state[state.USER_ID] = user.id
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _texts(app: AppTest) -> list[str]:
    return [t.value for t in app.text]


def test_a_manager_starts_a_round_sees_it_and_closes_it_early(demo_store: Store) -> None:
    app = _page(demo_store, MANAGER)
    # The demo round is a marked one: nothing to close.
    assert not [b for b in app.button if b.label == "Close the round"]
    app.selectbox(key="calibration_org").select_index(0).run()
    name = app.text_input[0]
    name.input("Winter round")
    rooms = app.multiselect[0]
    rooms.select(rooms.options[0])
    assessors = app.multiselect[1]
    for option in assessors.options[:2]:
        assessors.select(option)
    app.button[0].click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert [s.value for s in app.success] == ["Round started."]
    assert app.selectbox(key="calibration_round").value is not None
    chosen = app.selectbox(key="calibration_round")
    assert chosen.format_func(chosen.value).startswith("Winter round (independent")
    last_day = dt.date.today() + dt.timedelta(days=7)
    assert any(t.startswith(f"Still open until {last_day:%d %b %Y}") for t in _texts(app))
    # Nobody has assessed yet: the assessors are those the round asked, and no item is compared.
    (asked,) = [t for t in _texts(app) if t.startswith("Assessors: ")]
    assert asked.count(", ") == 1
    assert {m.label: m.value for m in app.metric}["Assessors"] == "2"
    assert "No room has been assessed by every assessor yet." in _texts(app)

    app.button(key="calibration_close").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert f"Closed early on {dt.date.today():%d %b %Y}; assessments after that day do not count." in _texts(app)
    assert not any(t.startswith("Still open") for t in _texts(app))
    with demo_store.session() as session:
        manager = repository.get_user_by_email(session, MANAGER)
        assert manager is not None
        (closed,) = [r for r in repository.list_calibration_rounds(session, manager) if r.name == "Winter round"]
        assert (closed.complete, closed.closed_on) == (True, dt.date.today())
