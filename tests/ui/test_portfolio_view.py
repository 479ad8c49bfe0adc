"""The dashboard's data: the scored portfolio equals the engine room by room, and filters, the latest
rule, the action plan, the comparison table and the figures behave as the screens need."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from assessments import repository
from assessments.db import DATA_DIR_ENV, DATABASE_URL_ENV, Store, open_store
from assessments.demo import load_demo
from assessments.models import AssessmentStatus, User
from checklists.loader import default_catalogue
from checklists.schema import Catalogue
from reports.figures_dashboard import SERIES_PATTERNS, compare_bars, plan_bars
from reports.theme import BAND_COLOURS, SERIES_COLOURS
from scoring.engine import RoomScore, score_assessment
from ui import portfolio_view as view

MANAGER = "manager@demo.sensory-audit.test"


@dataclass
class Demo:
    store: Store
    catalogue: Catalogue
    portfolio: view.Portfolio

    def manager(self) -> User:
        with self.store.session() as session:
            user = repository.get_user_by_email(session, MANAGER)
            assert user is not None
            return user

    def engine(self, assessment_id: int) -> RoomScore:
        with self.store.session() as session:
            return score_assessment(self.catalogue, repository.scoring_input(session, self.manager(), assessment_id))


def _open_demo(folder: Path) -> Store:
    data = folder / "data"
    data.mkdir()
    store = open_store(f"sqlite:///{data / 'sensory-audit.db'}")
    load_demo(store)
    return store


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    with pytest.MonkeyPatch.context() as patch:
        folder = tmp_path_factory.mktemp("dashboard-demo")
        patch.setenv(DATA_DIR_ENV, str(folder / "data"))
        patch.delenv(DATABASE_URL_ENV, raising=False)
        store = _open_demo(folder)
        catalogue = default_catalogue()
        with store.session() as session:
            user = repository.get_user_by_email(session, MANAGER)
            assert user is not None
            portfolio = view.build_portfolio(session, user, catalogue)
        yield Demo(store, catalogue, portfolio)
        store.dispose()


def _number(value: object) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(str(value))


# --------------------------------------------------------------------------------------------
# The numbers on the screens are the engine's
# --------------------------------------------------------------------------------------------


def test_every_room_latest_equals_the_engine(demo: Demo) -> None:
    latest = demo.portfolio.latest
    assert len(latest) == len(demo.portfolio.rooms) == 28
    for row in latest.to_dict("records"):
        score = demo.engine(int(row["assessment_id"]))
        assert _number(row["overall"]) == score.overall, row["label"]
        assert (row["band"] if isinstance(row["band"], str) else None) == score.band
        assert row["completeness"] == score.completeness
        assert bool(row["provisional"]) == score.provisional
        assert int(row["critical_failures"]) == len(score.critical_failures)
        for category, result in score.categories.items():
            assert _number(row[f"score_{category}"]) == result.score, (row["label"], category)
        for principle, value in score.principles.items():
            assert _number(row[f"principle_{principle}"]) == value, (row["label"], principle)


def test_the_action_plan_keeps_each_rooms_engine_order_and_gains(demo: Demo) -> None:
    plan = view.action_plan(demo.portfolio)
    assert list(plan["rank"]) == list(range(1, len(plan) + 1))
    for row in demo.portfolio.latest.to_dict("records"):
        score = demo.engine(int(row["assessment_id"]))
        mine = plan[plan["assessment_id"] == row["assessment_id"]]
        assert list(mine["item_id"]) == [a.item for a in score.actions], row["label"]
        assert list(mine["gain"]) == [a.gain for a in score.actions]


def test_the_plan_puts_failed_critical_items_first_then_gain_per_effort(demo: Demo) -> None:
    plan = view.action_plan(demo.portfolio)
    failed = plan["failed_critical"].to_numpy()
    assert failed.any()
    assert not (~failed[:-1] & failed[1:]).any(), "a failed critical item comes after another fix"
    rest = plan[~plan["failed_critical"]]["gain_per_effort"].to_numpy()
    assert (np.diff(rest) <= 0).all()


def test_the_plan_filters(demo: Demo) -> None:
    site = int(demo.portfolio.rooms["site_id"].iloc[0])
    plan = view.action_plan(demo.portfolio, sites=[site], categories=["noise"], efforts=["low"], critical_only=False)
    assert len(plan) > 0
    assert set(plan["site_id"]) == {site}
    assert set(plan["category"]) == {"noise"}
    assert set(plan["effort"]) == {"low"}
    critical = view.action_plan(demo.portfolio, critical_only=True)
    assert critical["critical"].all()
    assert critical["failed_critical"].any()


def test_a_room_scored_one_by_one_equals_the_engine_and_shows_targets(demo: Demo) -> None:
    row = demo.portfolio.latest.iloc[0]
    with demo.store.session() as session:
        scored = view.score_assessment_of(session, demo.manager(), demo.catalogue, int(row["assessment_id"]))
    assert scored.score == demo.engine(int(row["assessment_id"]))
    by_id = {item.item_id: item for item in scored.items}
    illuminance = by_id["lighting.illuminance"]
    assert illuminance.target.startswith("ideal ")
    assert illuminance.target.endswith(" lx")
    assert illuminance.answer.endswith("lx")
    assert [item.item_id for item in scored.items] == [
        r.item.id for r in demo.catalogue.checklist(str(row["setting"]), str(row["room_type"])).items
    ]


# --------------------------------------------------------------------------------------------
# Which assessment stands for a room
# --------------------------------------------------------------------------------------------


def _frame(rows: list[tuple[int, int, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"assessment_id": a, "room_id": r, "assessed_on": pd.Timestamp(d), "status": s} for a, r, d, s in rows]
    )


def test_latest_is_the_newest_finished_assessment_else_the_newest_draft() -> None:
    latest = view.latest_per_room(
        _frame(
            [
                (1, 10, "2026-01-01", "reviewed"),
                (2, 10, "2026-03-01", "submitted"),
                (3, 10, "2026-05-01", "draft"),  # newer, but a draft: room 10 stays on 2
                (4, 20, "2026-02-01", "draft"),
                (5, 20, "2026-04-01", "draft"),  # only drafts: the newest one
                (6, 30, "2026-02-01", "reviewed"),
                (7, 30, "2026-02-01", "reviewed"),  # same day: the higher id
            ]
        )
    ).set_index("room_id")
    assert latest.loc[10, "assessment_id"] == 2
    assert latest.loc[10, "draft_newer_on"] == pd.Timestamp("2026-05-01")
    assert latest.loc[20, "assessment_id"] == 5
    assert pd.isna(latest.loc[20, "draft_newer_on"])
    assert latest.loc[30, "assessment_id"] == 7


def test_latest_of_no_assessments_is_empty() -> None:
    empty = pd.DataFrame({"assessment_id": [], "room_id": [], "assessed_on": pd.to_datetime([]), "status": []})
    assert view.latest_per_room(empty).empty


def test_demo_rooms_with_a_newer_draft_are_shown_by_their_finished_assessment(demo: Demo) -> None:
    latest = demo.portfolio.latest
    assert latest["status"].isin(view.FINAL_STATUSES).all()
    assert latest["draft_newer_on"].notna().sum() > 0


# --------------------------------------------------------------------------------------------
# Overview filters
# --------------------------------------------------------------------------------------------


def test_filters_narrow_the_rooms_and_their_latest(demo: Demo) -> None:
    everything = view.apply_filters(demo.portfolio, view.Filters())
    assert everything.rooms_assessed == 28
    school = view.apply_filters(demo.portfolio, view.Filters(settings=("school",)))
    assert school.rooms_assessed == 10
    assert set(school.latest["setting"]) == {"school"}
    organisation = int(school.latest["organisation_id"].iloc[0])
    by_org = view.apply_filters(demo.portfolio, view.Filters(organisations=(organisation,)))
    assert set(by_org.latest["room_id"]) == set(school.latest["room_id"])
    corridors = view.apply_filters(demo.portfolio, view.Filters(room_types=("corridor",)))
    assert set(corridors.latest["room_type"]) == {"corridor"}
    assert corridors.rooms_assessed == 3


def test_the_band_filter_keeps_rooms_of_those_bands(demo: Demo) -> None:
    shown = view.apply_filters(demo.portfolio, view.Filters(bands=("D",)))
    assert shown.rooms_assessed > 0
    assert set(shown.latest["band"]) == {"D"}
    assert len(shown.rooms) == 28  # the band narrows the assessed rooms, not the rooms in scope


def test_the_date_range_shows_each_room_as_it_was_then(demo: Demo) -> None:
    everything = view.apply_filters(demo.portfolio, view.Filters())
    end = dt.date(2026, 1, 31)
    then = view.apply_filters(demo.portfolio, view.Filters(end=end))
    assert then.rooms_assessed > 0
    assert (then.latest["assessed_on"] <= pd.Timestamp(end)).all()
    changed = set(then.latest["assessment_id"]) - set(everything.latest["assessment_id"])
    assert changed, "an earlier assessment stands for some room"


def test_heatmap_rows_are_limited_and_marks_drafts(demo: Demo) -> None:
    latest = demo.portfolio.latest.copy()
    latest.loc[latest["label"] == "Boardroom", "status"] = AssessmentStatus.draft.value
    columns = [f"score_{c.id}" for c in demo.catalogue.categories]
    grid, left_out = view.heatmap_rows(latest, columns, limit=10, order="site")
    assert grid.shape == (10, 4)
    assert left_out == 18
    assert "Boardroom (draft)" in grid.index
    assert "Director's office" in grid.index
    lowest, _ = view.heatmap_rows(latest, columns, limit=28, order="lowest")
    overall = latest.set_index(latest["label"])["overall"]
    names = [str(n).removesuffix(" (draft)") for n in lowest.index]
    assert list(overall.loc[names]) == sorted(overall)


def test_room_labels_are_unique() -> None:
    rooms = pd.DataFrame(
        {
            "room_name": ["Quiet room", "Quiet room", "Hall", "Quiet room"],
            "site_name": ["North", "South", "North", "South"],
            "organisation_name": ["A", "A", "A", "B"],
            "room_id": [1, 2, 3, 4],
        }
    )
    labels = view._unique_labels(rooms)
    assert labels.is_unique
    assert list(labels) == ["Quiet room · North", "Quiet room · South · A", "Hall", "Quiet room · South · B"]


# --------------------------------------------------------------------------------------------
# Compare rooms
# --------------------------------------------------------------------------------------------


def test_compare_items_shows_answers_against_targets_and_marks_differences(demo: Demo) -> None:
    ids = view.default_compare(demo.portfolio.latest)
    assert len(ids) == 2
    latest = demo.portfolio.latest.set_index("room_id")
    with demo.store.session() as session:
        rooms = [
            (
                str(latest.loc[i, "label"]),
                view.score_assessment_of(session, demo.manager(), demo.catalogue, int(latest.loc[i, "assessment_id"])),
            )
            for i in ids
        ]
    table, values = view.compare_items(demo.catalogue, rooms)
    names = [name for name, _ in rooms]
    assert list(table.columns) == ["Item", "Category", *names, "Differs"]
    light = table[table["Item"] == "Illuminance"].iloc[0]
    assert "(ideal " in light[names[0]]
    assert " lx" in light[names[0]]
    # A row differs exactly when the rooms' item scores or statuses differ.
    for (_, row), (_, scores) in zip(table.iterrows(), values.iterrows(), strict=True):
        if row["Differs"] == "":
            assert scores.nunique(dropna=False) <= 1
    only = view.compare_items(demo.catalogue, rooms, only_differences=True)[0]
    assert 0 < len(only) < len(table)
    assert (only["Differs"] == "yes").all()


def test_default_compare_is_the_strongest_and_the_weakest_room(demo: Demo) -> None:
    latest = demo.portfolio.latest
    best, worst = view.default_compare(latest)
    overall = latest.set_index("room_id")["overall"]
    assert overall[best] == overall.max()
    assert overall[worst] == overall.min()


# --------------------------------------------------------------------------------------------
# The data version moves with every save
# --------------------------------------------------------------------------------------------


def test_the_data_version_moves_when_something_is_saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "data"))
    store = _open_demo(tmp_path)
    try:
        with store.session() as session:
            manager = repository.get_user_by_email(session, MANAGER)
            assert manager is not None
            before = repository.data_version(session)
            portfolio = view.build_portfolio(session, manager, default_catalogue(), before)
            draft = next(a for a in repository.list_assessments(session, manager) if a.status.value == "draft")
            repository.save_note(session, manager, draft.id, "lighting.illuminance", "Checked again", draft.version_id)
            assert repository.data_version(session) > before
            notes = view.score_assessment_of(session, manager, default_catalogue(), draft.id).item(
                "lighting.illuminance"
            )
            assert notes is not None
            assert notes.note == "Checked again"
            assert portfolio.version == before
    finally:
        store.dispose()


# --------------------------------------------------------------------------------------------
# Figures of the dashboard
# --------------------------------------------------------------------------------------------


def test_compare_bars_give_each_room_a_colour_a_pattern_and_printed_scores() -> None:
    scores = pd.DataFrame({"lighting": [80.0, 42.5], "noise": [np.nan, 61.25]}, index=["Room 1", "Room 2"])
    fig = compare_bars(scores, column_titles={"lighting": "Lighting", "noise": "Noise"})
    assert [t.name for t in fig.data] == ["Room 1", "Room 2"]
    assert [t.marker.color for t in fig.data] == SERIES_COLOURS[:2]
    assert [t.marker.pattern.shape for t in fig.data] == SERIES_PATTERNS[:2]
    assert list(fig.data[0].text) == ["80.0", "–"]
    assert list(fig.data[1].x) == ["Lighting", "Noise"]
    with pytest.raises(ValueError, match="1 to 6"):
        compare_bars(pd.DataFrame({"a": [1.0] * 7}, index=[str(n) for n in range(7)]))


def test_plan_bars_draw_failed_critical_items_in_the_band_d_colour() -> None:
    plan = pd.DataFrame(
        {
            "label": ["Hall", "Office"],
            "item_name": ["Retreat space", "Flicker"],
            "gain": [5.6, 1.2],
            "effort": ["medium", "low"],
            "failed_critical": [True, False],
        }
    )
    fig = plan_bars(plan)
    bar = fig.data[0]
    assert list(bar.y) == ["1. Hall: Retreat space (critical)", "2. Office: Flicker"]
    assert bar.marker.color[0] == BAND_COLOURS["D"]
    assert list(bar.text) == ["+5.6 · medium effort", "+1.2 · low effort"]


def test_failed_critical_items_are_listed_for_every_assessment(demo: Demo) -> None:
    failures = demo.portfolio.failures
    for assessment_id in demo.portfolio.assessments["assessment_id"].head(40):
        listed = sorted(failures.loc[failures["assessment_id"] == assessment_id, "item_id"])
        assert listed == sorted(demo.engine(int(assessment_id)).critical_failures)


def test_months_cover_every_assessment() -> None:
    frame = pd.DataFrame({"assessed_on": pd.to_datetime(["2025-11-20", "2026-02-03", "2025-12-01"])})
    months = view.assessment_months(frame)
    assert months == [dt.date(2025, 11, 1), dt.date(2025, 12, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1)]
    assert view.month_end(dt.date(2024, 2, 1)) == dt.date(2024, 2, 29)
    assert view.month_end(dt.date(2026, 12, 1)) == dt.date(2026, 12, 31)
    assert view.assessment_months(frame.iloc[:0]) == []
