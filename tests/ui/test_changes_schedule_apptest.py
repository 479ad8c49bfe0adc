"""The Room page's "What changed", the Overview's rooms due for re-assessment with their calendar, and
the Admin screen's intervals, run headless (Streamlit's AppTest) on the demo portfolio."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import icalendar
import pytest
from streamlit.testing.v1 import AppTest

from assessments import repository
from assessments.db import Store
from assessments.demo import DEMO_USERS
from assessments.models import User
from assessments.schedule import DueState
from checklists.i18n import using
from checklists.loader import default_catalogue
from reports.changes import change_rows, changes_csv, compare_stored, default_pair
from reports.labels import format_date, value_text
from reports.schedule import due_calendar
from scoring.engine import score_assessment
from ui import state
from ui.i18n import LANGUAGE_KEY

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "ui" / "pages"
APP = str(ROOT / "app.py")
MANAGER, CONSULTANT = DEMO_USERS[1].email, DEMO_USERS[2].email


def person(store: Store, email: str) -> User:
    with store.session() as session:
        found = repository.get_user_by_email(session, email)
    assert found is not None
    return found


def page(store: Store, name: str, email: str = MANAGER, **query: str) -> AppTest:
    app = AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=90)
    app.session_state[state.USER_ID] = person(store, email).id
    for key, value in query.items():
        app.query_params[key] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def room_with_most_assessments(store: Store) -> tuple[int, list[tuple[int, dt.date, str]]]:
    manager = person(store, MANAGER)
    with store.session() as session:
        best: tuple[int, list[tuple[int, dt.date, str]]] = (0, [])
        for room in repository.list_rooms(session, manager):
            history = [
                (a.id, a.assessed_on, a.status.value) for a in repository.list_assessments(session, manager, room.id)
            ]
            if len(history) > len(best[1]):
                best = (room.id, history)
    return best


def download_label(app: AppTest, key: str) -> str:
    """The label of the download button with this key (the browser tests fetch the file itself)."""
    return str(next(e for e in app.get("download_button") if key in e.proto.id).proto.label)


def table(app: AppTest, *columns: str) -> Any:
    """The table shown with these first columns."""
    return next(d for d in app.dataframe if list(d.value.columns[: len(columns)]) == list(columns)).value


def test_what_changed_opens_on_the_latest_against_the_one_before_with_the_engines_scores(demo_store: Store) -> None:
    room_id, history = room_with_most_assessments(demo_store)
    pair = default_pair(history)
    assert pair is not None
    app = page(demo_store, "room", room=str(room_id))
    assert "What changed" in [h.value for h in app.subheader]
    start = app.selectbox(key=state.room_changes(room_id, "from"))
    end = app.selectbox(key=state.room_changes(room_id, "to"))
    assert (start.value, end.value) == pair

    # Every item, unchanged ones too: each row's scores are the engine's scores of both assessments.
    app.toggle(key=state.room_changes(room_id, "all")).set_value(True).run()
    shown = table(app, "Item", "Change", "Score before", "Score after")
    manager = person(demo_store, MANAGER)
    catalogue = default_catalogue()
    with demo_store.session() as session:
        before = score_assessment(catalogue, repository.scoring_input(session, manager, pair[0]))
        after = score_assessment(catalogue, repository.scoring_input(session, manager, pair[1]))
        compared = compare_stored(session, manager, catalogue, *pair)
    rows = change_rows(catalogue, compared.changes)
    assert list(shown["Item"]) == [r.item for r in rows]
    for row, (_, line) in zip(rows, shown.iterrows(), strict=True):
        expected_before = before.items[row.item_id].score if row.item_id in before.items else None
        expected_after = after.items[row.item_id].score if row.item_id in after.items else None
        assert _same(line["Score before"], expected_before), row.item_id
        assert _same(line["Score after"], expected_after), row.item_id
        assert line["Change"].endswith(row.change_text)
    scores = table(app, "Score", "Before", "After", "Change")
    overall = scores[scores["Score"] == "Overall score"].iloc[0]
    assert (overall["Before"], overall["After"]) == (before.overall, after.overall)

    # The CSV download holds the same table.
    assert download_label(app, state.room_changes(room_id, "download")) == "Download the changes (CSV)"
    exported = list(csv.DictReader(io.StringIO(changes_csv(catalogue, compared).decode())))
    assert [r["item_id"] for r in exported] == [r.item_id for r in rows]
    assert [float(r["score_after"]) if r["score_after"] else None for r in exported] == [r.score_after for r in rows]


def test_what_changed_in_german_words_its_pickers_and_writes_scores_with_a_decimal_comma(demo_store: Store) -> None:
    room_id, history = room_with_most_assessments(demo_store)
    pair = default_pair(history)
    assert pair is not None
    app = AppTest.from_file(str(PAGES / "room.py"), default_timeout=90)
    app.session_state[state.USER_ID] = person(demo_store, MANAGER).id
    app.session_state[LANGUAGE_KEY] = "de"
    app.query_params["room"] = str(room_id)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    start = app.selectbox(key=worded_key_for(state.room_changes(room_id, "from"), "de"))
    assert start.value == pair[0]
    day, status = next((d, s) for a, d, s in history if a == pair[0])
    with using("de"):
        assert start.format_func(pair[0]).startswith(f"{format_date(day)} · {value_text(status)} · ")
    assert status not in start.format_func(pair[0])  # "reviewed" and "submitted" are English
    # AppTest words the pickers' choices again in the test itself, before it sends the next run.
    with using("de"):
        app.toggle(key=state.room_changes(room_id, "all")).set_value(True).run()
    shown = table(app, "Kriterium", "Veränderung", "Punktzahl vorher", "Punktzahl nachher")
    manager = person(demo_store, MANAGER)
    with demo_store.session() as session:
        after = score_assessment(default_catalogue(), repository.scoring_input(session, manager, pair[1]))
    scored = [(line["Kriterium"], line["Punktzahl nachher"]) for _, line in shown.iterrows()]
    assert scored
    for _name, text in scored:
        assert re.fullmatch(r"\d,\d\d|–", str(text)), text
    expected = sorted(f"{s.score:.2f}".replace(".", ",") for s in after.items.values() if s.score is not None)
    assert sorted(t for _n, t in scored if t != "–") == expected
    scores = table(app, "Punktzahl", "Vorher", "Nachher", "Veränderung")
    overall = scores.iloc[0]
    assert overall["Nachher"] == f"{after.overall:.1f}".replace(".", ",")


def worded_key_for(key: str, code: str) -> str:
    return f"{key}__{code}"


def _same(shown: Any, expected: float | None) -> bool:
    if expected is None:
        return shown is None or shown != shown  # None or NaN
    return bool(abs(float(shown) - expected) < 1e-9)


def test_any_two_assessments_can_be_compared_and_the_same_one_twice_is_refused(demo_store: Store) -> None:
    room_id, history = room_with_most_assessments(demo_store)
    assert len(history) >= 3
    app = page(demo_store, "room", room=str(room_id))
    oldest, second = history[0][0], history[1][0]
    app.selectbox(key=state.room_changes(room_id, "from")).set_value(oldest)
    app.selectbox(key=state.room_changes(room_id, "to")).set_value(second).run()
    assert not app.exception
    caption = next(c.value for c in app.caption if " to " in c.value and ":" in c.value)
    assert format_date(history[0][1]) in caption
    assert format_date(history[1][1]) in caption
    app.selectbox(key=state.room_changes(room_id, "to")).set_value(oldest).run()
    assert any("Pick two different assessments" in i.value for i in app.info)


def test_the_overview_lists_rooms_due_and_overdue_and_offers_their_calendar(demo_store: Store) -> None:
    manager = person(demo_store, MANAGER)
    with demo_store.session() as session:
        schedule = repository.room_schedule(session, manager, today=dt.date.today())
    due = [r for r in schedule if r.state is not DueState.later]
    assert due, "the demo portfolio has rooms due"
    app = page(demo_store, "overview")
    assert "Due for re-assessment" in [h.value for h in app.subheader]
    listed = table(app, "Room", "Due", "Due on")
    assert list(listed["Room"]) == [r.room_name for r in due]
    assert list(listed["Due on"]) == [format_date(r.due_on) for r in due]
    assert download_label(app, state.OVERVIEW_CALENDAR) == "Download the calendar (.ics)"
    calendar = icalendar.Calendar.from_ical(due_calendar(schedule))
    events = {str(e.get("summary")): e.decoded("dtstart") for e in calendar.walk("VEVENT")}
    assert events == {f"Re-assess {r.room_name} ({r.site_name})": r.due_on for r in schedule}


def test_a_manager_sets_an_interval_on_the_admin_screen_and_the_schedule_follows(demo_store: Store) -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    manager = person(demo_store, MANAGER)
    at.session_state[state.USER_ID] = manager.id
    at.run()
    at.switch_page("ui/pages/admin.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Re-assessment intervals" in [h.value for h in at.subheader]
    organisations = at.selectbox(key=state.ADMIN_SCHEDULE_ORGANISATION)
    with demo_store.session() as session:
        organisation = next(o.id for o in repository.list_organisations(session, manager) if "School" in o.name)
    organisations.set_value(organisation).run()
    picker = at.selectbox(key=state.admin_field("interval", "room_type"))
    choice = next(o for o in picker.options if "Classroom" in o)
    picker.select(choice)
    at.number_input(key=state.admin_field("interval", "months")).set_value(6)
    next(b for b in at.button if b.label == "Save interval").click().run()
    assert not at.exception
    assert any("due 6 months after its last assessment" in s.value for s in at.success), [e.value for e in at.error]
    with demo_store.session() as session:
        assert repository.list_intervals(session, manager, organisation).get(("school", "classroom")) == 6
        rooms = repository.room_schedule(session, manager, today=dt.date.today(), organisation_ids=[organisation])
    for room in rooms:
        if room.room_type == "classroom" and room.last_assessed is not None and room.basis.value == "interval":
            assert room.months == 6
    # A number outside 1 to 60 is refused by the input itself; the store refuses it too, naming the field.
    from ui.schedule_view import save_interval

    ok, message = save_interval(manager, organisation, "school:classroom", 0)
    assert not ok
    assert message.startswith("Months:")
    assert "from 1 to 60" in message
    with demo_store.session() as session:
        assert repository.list_intervals(session, manager, organisation).get(("school", "classroom")) == 6


def test_a_consultant_sees_the_schedule_but_cannot_set_it(demo_store: Store) -> None:
    consultant = person(demo_store, CONSULTANT)
    with demo_store.session() as session:
        organisation = repository.list_organisations(session, consultant)[0].id
    from ui.schedule_view import save_interval

    ok, message = save_interval(consultant, organisation, "school:classroom", 3)
    assert not ok
    assert re.search("Only managers and admins can set re-assessment intervals", message)
    app = page(demo_store, "overview", email=CONSULTANT)
    assert "Due for re-assessment" in [h.value for h in app.subheader]


@pytest.fixture(autouse=True)
def _fresh_caches() -> Any:
    import streamlit as st

    st.cache_data.clear()
    return
