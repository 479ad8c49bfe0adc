"""The dashboard pages run headless (Streamlit's AppTest) on the demo portfolio as a manager: each one
renders without an exception, shows the engine's numbers, and its filters change what it shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from assessments import repository
from assessments.db import Store
from assessments.models import User
from checklists.loader import default_catalogue
from reports.labels import format_percent, format_score
from scoring.engine import RoomScore, score_assessment
from ui import portfolio_view as view
from ui import state

PAGES = Path(__file__).resolve().parents[2] / "ui" / "pages"
MANAGER = "manager@demo.sensory-audit.test"


@dataclass
class Demo:
    store: Store
    manager: User
    portfolio: view.Portfolio

    def engine(self, assessment_id: int) -> RoomScore:
        with self.store.session() as session:
            source = repository.scoring_input(session, self.manager, assessment_id)
        return score_assessment(default_catalogue(), source)


@pytest.fixture(scope="module")
def demo(demo_store: Store) -> Demo:
    """The demo store, its manager, and the portfolio as the pages build it."""
    with demo_store.session() as session:
        manager = repository.get_user_by_email(session, MANAGER)
        assert manager is not None
        portfolio = view.build_portfolio(session, manager, default_catalogue())
    return Demo(demo_store, manager, portfolio)


def run(demo: Demo, page: str, **query: str) -> AppTest:
    app = AppTest.from_file(str(PAGES / f"{page}.py"), default_timeout=60)
    app.session_state[state.USER_ID] = demo.manager.id
    for name, value in query.items():
        app.query_params[name] = value
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def metrics(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


@pytest.mark.parametrize("page", ["overview", "compare", "room", "action_plan", "criteria"])
def test_each_page_renders_without_an_error(demo: Demo, page: str) -> None:
    app = run(demo, page)
    assert app.title[0].value
    assert not app.error


# --------------------------------------------------------------------------------------------
# Overview
# --------------------------------------------------------------------------------------------


def test_overview_counts_equal_the_engine(demo: Demo) -> None:
    app = run(demo, "overview")
    latest = demo.portfolio.latest
    scores = {int(a): demo.engine(int(a)) for a in latest["assessment_id"]}
    shown = metrics(app)
    assert shown["Rooms assessed"] == f"{len(scores)} of {len(demo.portfolio.rooms)}"
    assert shown["Critical failures"] == f"{sum(bool(s.critical_failures) for s in scores.values())} rooms"
    assert shown["Provisional"] == f"{sum(s.provisional for s in scores.values())} rooms"
    mean = sum(s.completeness for s in scores.values()) / len(scores)
    assert shown["Completeness"] == format_percent(mean)


def test_overview_table_shows_each_rooms_engine_score_and_band(demo: Demo) -> None:
    app = run(demo, "overview")
    table = next(d.value for d in app.dataframe if "Overall" in d.value.columns)
    latest = demo.portfolio.latest.set_index("label")
    assert len(table) == len(latest)
    for row in table.to_dict("records"):
        score = demo.engine(int(latest.loc[row["Room"], "assessment_id"]))
        assert row["Overall"] == score.overall
        assert str(row["Band"]).startswith(f"{score.band} · ")


def test_an_overview_filter_changes_what_is_shown(demo: Demo) -> None:
    app = run(demo, "overview")
    before = metrics(app)["Rooms assessed"]
    rooms = demo.portfolio.rooms
    school = int(rooms.loc[rooms["setting"] == "school", "organisation_id"].iloc[0])
    app.multiselect(key=state.OVERVIEW_ORGANISATIONS).select(school).run()
    assert not app.exception
    after = metrics(app)["Rooms assessed"]
    assert before == "28 of 28"
    assert after == "10 of 10"
    table = next(d.value for d in app.dataframe if "Overall" in d.value.columns)
    assert set(table["Site"]) == {"Hillview Primary School"}

    app.button_group(key=state.OVERVIEW_BANDS).select("D").run()
    table = next(d.value for d in app.dataframe if "Overall" in d.value.columns)
    assert len(table) > 0
    assert table["Band"].str.startswith("D ").all()


def test_the_month_range_shows_the_portfolio_as_it_was(demo: Demo) -> None:
    app = run(demo, "overview")
    app.selectbox(key=state.OVERVIEW_TO).set_value(dt.date(2026, 1, 1)).run()
    assert not app.exception
    table = next(d.value for d in app.dataframe if "Overall" in d.value.columns)
    days = [dt.datetime.strptime(day, "%d %b %Y").date() for day in table["Assessed"]]
    assert max(days) <= dt.date(2026, 1, 31)
    then = view.apply_filters(demo.portfolio, view.Filters(end=dt.date(2026, 1, 31))).latest
    assert list(table["Overall"]) == [None if pd.isna(v) else v for v in then["overall"]]


# --------------------------------------------------------------------------------------------
# Room
# --------------------------------------------------------------------------------------------


def test_the_room_page_shows_the_room_of_the_url_with_the_engine_numbers(demo: Demo) -> None:
    row = demo.portfolio.latest.sort_values("overall").iloc[0]  # the weakest room, with failed critical items
    app = run(demo, "room", room=str(int(row["room_id"])))
    assert app.selectbox(key=state.ROOM_ID).value == int(row["room_id"])
    score = demo.engine(int(row["assessment_id"]))
    shown = metrics(app)
    assert shown["Overall score"] == format_score(score.overall)
    assert shown["Completeness"] == format_percent(score.completeness)
    assert shown["Critical failures"] == str(len(score.critical_failures))
    chip = next(m.value for m in app.markdown if "band-chip" in m.value)
    assert f">{score.band}</span>" in chip
    actions = next(d.value for d in app.dataframe if "How to fix" in d.value.columns)
    assert list(actions["Gain"]) == [f"+{a.gain:.1f}" for a in score.actions]
    items = [d.value for d in app.dataframe if "Answer" in d.value.columns]
    assert sum(len(t) for t in items) == len(score.items)
    scores = pd.concat(items)["Score"].tolist()
    expected = [score.items[i].score for i in score.items]
    assert [None if pd.isna(s) else s for s in scores] == expected


def test_the_room_page_offers_every_assessment_latest_first(demo: Demo) -> None:
    history = demo.portfolio.assessments
    room_id = int(history["room_id"].value_counts().idxmax())
    app = run(demo, "room", room=str(room_id))
    picker = app.selectbox(key=state.ROOM_ASSESSMENT)
    latest = demo.portfolio.latest.set_index("room_id").loc[room_id, "assessment_id"]
    assert picker.options[0].endswith("(latest)")
    assert picker.value == latest
    assert len(picker.options) == int((history["room_id"] == room_id).sum())


# --------------------------------------------------------------------------------------------
# Compare rooms
# --------------------------------------------------------------------------------------------


def test_compare_shows_the_picked_rooms_with_the_engine_numbers(demo: Demo) -> None:
    latest = demo.portfolio.latest.set_index("room_id")
    picked = [int(i) for i in latest.index[:3]]
    app = AppTest.from_file(str(PAGES / "compare.py"), default_timeout=60)
    app.session_state[state.USER_ID] = demo.manager.id
    app.session_state[state.COMPARE_ROOMS] = picked
    app.run()
    assert not app.exception
    summary = app.dataframe[0].value
    assert list(summary["Room"]) == [latest.loc[i, "label"] for i in picked]
    for room_id, overall in zip(picked, summary["Overall"], strict=True):
        assert overall == demo.engine(int(latest.loc[room_id, "assessment_id"])).overall
    items = app.dataframe[1].value
    assert [latest.loc[i, "label"] for i in picked] == list(items.columns[2:-1])


def test_compare_asks_for_two_rooms(demo: Demo) -> None:
    app = AppTest.from_file(str(PAGES / "compare.py"), default_timeout=60)
    app.session_state[state.USER_ID] = demo.manager.id
    app.session_state[state.COMPARE_ROOMS] = [int(demo.portfolio.latest["room_id"].iloc[0])]
    app.run()
    assert not app.exception
    assert "at least 2 rooms" in app.info[0].value


# --------------------------------------------------------------------------------------------
# Action plan and Criteria
# --------------------------------------------------------------------------------------------


def fixes(app: AppTest) -> pd.DataFrame:
    """The Action plan's table of every fix (the planned actions have a table of their own)."""
    return next(d.value for d in app.dataframe if "Effort" in d.value.columns)


def test_the_action_plan_filters_by_effort_and_critical(demo: Demo) -> None:
    app = run(demo, "action_plan")
    everything = int(metrics(app)["Fixes"].replace(",", ""))
    assert everything == len(demo.portfolio.actions)
    app.button_group(key=state.ACTIONS_EFFORTS).select("low").run()
    table = fixes(app)
    assert set(table["Effort"]) == {"low"}
    assert int(metrics(app)["Fixes"].replace(",", "")) == len(table) < everything
    app.button_group(key=state.ACTIONS_EFFORTS).set_value([])
    app.toggle(key=state.ACTIONS_CRITICAL).set_value(True).run()
    critical = fixes(app)
    assert set(critical["Critical"]) == {"failed", "yes"}
    assert list(critical["Critical"]).index("yes") > list(critical["Critical"]).index("failed")


def test_the_criteria_search_narrows_the_items(demo: Demo) -> None:
    app = run(demo, "criteria")
    catalogue = default_catalogue()
    assert app.caption[0].value == f"Showing {len(catalogue.items)} of {len(catalogue.items)} items."
    app.text_input(key=state.CRITERIA_QUERY).input("flicker").run()
    shown = len(app.expander) - 1  # the first expander explains the grades
    assert 0 < shown < len(catalogue.items)
    assert all("flicker" in f"{e.label} {e.markdown[0].value}".lower() for e in app.expander[1:])
    app.button_group(key=state.CRITERIA_GRADES).select("P").run()
    assert all("evidence P" in e.label for e in app.expander[1:])
