"""The chart builders shared with the dashboard: right data, band colours, values printed on the marks."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from checklists.loader import default_catalogue
from reports import figures
from reports.data import ReportData
from reports.theme import BAND_COLOURS, NO_SCORE_COLOUR, SERIES_COLOURS
from scoring.engine import RoomScore, band_for
from tests.reports.conftest import handmade_report


@pytest.fixture(scope="module")
def report() -> ReportData:
    return handmade_report()


@pytest.fixture(scope="module")
def scores(report: ReportData) -> list[RoomScore]:
    return [room.score for room in report.rooms if room.score is not None]


def test_band_distribution_counts_rooms_per_band_with_their_colours_and_numbers() -> None:
    fig = figures.band_distribution(["A", "B", "B", "D", None])
    (bar,) = fig.data
    assert list(bar.y) == [1, 2, 0, 1, 1]
    assert list(bar.text) == ["1", "2", "0", "1", "1"]
    assert list(bar.marker.color) == [*BAND_COLOURS.values(), NO_SCORE_COLOUR]
    assert bar.x[0].startswith("A")
    assert "sensory-supportive" in bar.x[0]
    assert bar.x[-1] == "no score yet"


def test_category_bars_colour_each_category_by_the_band_its_score_reaches(scores: list[RoomScore]) -> None:
    catalogue = default_catalogue()
    score = scores[1]
    fig = figures.category_bars(score, catalogue)
    (bar,) = fig.data
    order = [c.id for c in catalogue.categories if c.id in score.categories]
    for n, category in enumerate(order):
        value = score.categories[category].score
        band = band_for(value, False)
        assert bar.marker.color[n] == (BAND_COLOURS[band.value] if band else NO_SCORE_COLOUR)
        assert bar.text[n] == (f"{value:.1f} ({band.value})" if band else "no answers yet")
    thresholds = sorted(shape.x0 for shape in fig.layout.shapes)
    assert thresholds == [50, 70, 85]


def test_radar_compares_one_to_six_rooms_each_with_its_own_colour_and_symbol(scores: list[RoomScore]) -> None:
    catalogue = default_catalogue()
    fig = figures.principle_radar([(f"Room {n}", scores[n % 2]) for n in range(6)], catalogue)
    assert len(fig.data) == 6
    assert [t.line.color for t in fig.data] == SERIES_COLOURS
    assert len({t.marker.symbol for t in fig.data}) == 6
    single = figures.principle_radar({"Quiet room": scores[0]}, catalogue)
    (trace,) = single.data
    assert list(trace.r[:-1]) == [scores[0].principles[p.id] for p in catalogue.principles]
    assert trace.text[0] == f"{scores[0].principles['safety']:.1f}"
    with pytest.raises(ValueError, match="1 to 6 rooms"):
        figures.principle_radar([(f"Room {n}", scores[0]) for n in range(7)], catalogue)


def test_heatmap_prints_every_score_and_shows_missing_scores_in_grey() -> None:
    catalogue = default_catalogue()
    frame = pd.DataFrame({"lighting": [86.0, np.nan], "noise": [49.9, 70.0]}, index=pd.Index(["Library", "Hall"]))
    fig = figures.category_heatmap(frame, catalogue)
    main, missing = fig.data
    assert [list(row) for row in main.text] == [["86.0", "49.9"], ["–", "70.0"]]
    # Cells take the colour of their band: A, D / none, B.
    assert main.z[0][0] == 3
    assert main.z[0][1] == 0
    assert main.z[1][1] == 2
    assert np.isnan(main.z[1][0])
    assert missing.z[1][0] == 1
    assert missing.colorscale[0][1] == NO_SCORE_COLOUR


def test_trend_and_action_bars_label_their_values(scores: list[RoomScore]) -> None:
    catalogue = default_catalogue()
    history = pd.DataFrame(
        {
            "assessed_on": [dt.date(2025, 5, 1), dt.date(2026, 5, 1)],
            "overall": [55.0, 72.4],
            "score_lighting": [60.0, 80.0],
            "score_noise": [np.nan, np.nan],
        }
    )
    fig = figures.score_trend(history, catalogue)
    overall = next(t for t in fig.data if t.name == "Overall")
    assert list(overall.text) == ["55.0", "72.4"]
    assert "Noise and acoustics" not in {t.name for t in fig.data}  # no scores, no line
    score = scores[1]
    bars = figures.action_bars(score.actions, limit=3, failed_critical=score.critical_failures)
    (bar,) = bars.data
    assert len(bar.y) == 3
    assert bar.text[0] == f"+{score.actions[0].gain:.1f} · {score.actions[0].effort} effort"
    assert bar.y[0].startswith("1. Retreat space (critical)")


def test_layout_sets_the_house_font_and_background() -> None:
    fig = figures.layout(go.Figure(), title="Title", height=300, background="#FFFFFF")
    assert "DejaVu Sans" in fig.layout.font.family
    assert fig.layout.paper_bgcolor == "#FFFFFF"
    assert fig.layout.title.text == "Title"
    assert fig.layout.height == 300


def test_rooms_by_category_reads_a_portfolio_summary() -> None:
    catalogue = default_catalogue()
    summary = pd.DataFrame(
        {"room_name": ["A", "B"], "score_lighting": [1.0, 2.0], "score_noise": [3.0, np.nan], "overall": [1, 2]}
    )
    frame = figures.rooms_by_category(summary, catalogue)
    assert list(frame.columns) == ["lighting", "noise"]
    assert list(frame.index) == ["A", "B"]
