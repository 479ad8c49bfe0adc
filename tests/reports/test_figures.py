"""The chart builders shared with the dashboard: right data, band colours, values printed on the marks."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from checklists.i18n import using
from checklists.loader import default_catalogue
from reports import figures
from reports.data import ReportData
from reports.figures_dashboard import compare_bars, plan_bars
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


# --------------------------------------------------------------------------------------------
# Compact: the same charts for a screen of any width (the PDF keeps the defaults)
# --------------------------------------------------------------------------------------------


def test_band_labels_beside_their_lines_never_face_each_other() -> None:
    assert figures.threshold_sides([85, 70, 50]) == ["right", "left", "left"]
    for marks in ([50, 70, 85], [10, 20, 30, 95], [50], [40, 45, 90]):
        sides = dict(zip(marks, figures.threshold_sides(marks), strict=True))
        ordered = sorted(marks)
        for lower, upper in pairwise(ordered):
            assert not (sides[lower] == "right" and sides[upper] == "left"), (marks, sides)


def test_compact_category_bars_keep_their_band_labels_apart(scores: list[RoomScore]) -> None:
    catalogue = default_catalogue()
    wide = figures.category_bars(scores[1], catalogue)
    compact = figures.category_bars(scores[1], catalogue, compact=True)
    assert list(wide.layout.xaxis.tickvals) == [0, 25, 50, 70, 85, 100]
    assert list(compact.layout.xaxis.tickvals) == [0, 50, 100]
    anchors = {a.text: a.xanchor for a in compact.layout.annotations}
    assert anchors == {"A 85": "left", "B 70": "right", "C 50": "right"}
    assert {a.xanchor for a in wide.layout.annotations} == {None}  # the report's chart as it was
    assert compact.data[0].text == wide.data[0].text


def test_a_compact_radar_prints_one_rooms_values_under_the_principle_names(scores: list[RoomScore]) -> None:
    catalogue = default_catalogue()
    score = scores[0]
    compact = figures.principle_radar({"Quiet room": score}, catalogue, compact=True)
    (trace,) = compact.data
    assert "text" not in trace.mode
    ticktext = list(compact.layout.polar.angularaxis.ticktext)
    assert ticktext[0] == f"Safety<br>{score.principles['safety']:.1f}"
    assert len(ticktext) == len(catalogue.principles)
    wide = figures.principle_radar({"Quiet room": score}, catalogue)
    assert "text" in wide.data[0].mode
    assert wide.layout.polar.angularaxis.ticktext is None
    several = figures.principle_radar([("A", scores[0]), ("B", scores[1])], catalogue, compact=True)
    assert list(several.layout.polar.radialaxis.ticktext) == ["50", "", "85", ""]


def test_compact_compare_bars_run_down_the_chart_one_group_per_line() -> None:
    frame = pd.DataFrame(
        {"lighting": [80.0, 40.0], "noise": [np.nan, 60.0], "quiet_zones": [90.0, 20.0]},
        index=pd.Index(["Calm room", "Dining hall"]),
    )
    titles = {"lighting": "Lighting", "noise": "Noise<br>and acoustics", "quiet_zones": "Quiet zones and retreat"}
    wide = compare_bars(frame, column_titles=titles)
    compact = compare_bars(frame, column_titles=titles, compact=True)
    assert {t.orientation for t in wide.data} == {None}
    assert {t.orientation for t in compact.data} == {"h"}
    assert [t.name for t in compact.data] == ["Calm room", "Dining hall"]
    assert list(compact.data[0].y) == ["Lighting", "Noise and<br>acoustics", "Quiet zones and<br>retreat"]
    assert list(compact.data[0].text) == ["80.0", "–", "90.0"]
    assert sorted(shape.x0 for shape in compact.layout.shapes) == [50, 70, 85]


def test_compact_plan_bars_give_the_room_and_the_item_their_own_lines() -> None:
    plan = pd.DataFrame(
        {
            "label": ["Second floor open office", "Calm room"],
            "item_name": ["Retreat space", "Glare"],
            "gain": [5.6, 1.2],
            "effort": ["medium", "low"],
            "failed_critical": [True, False],
        }
    )
    wide = plan_bars(plan)
    compact = plan_bars(plan, compact=True)
    assert list(wide.data[0].y) == ["1. Second floor open office: Retreat space (critical)", "2. Calm room: Glare"]
    assert list(compact.data[0].y) == [
        "1. Second floor open office:<br>Retreat space (critical)",
        "2. Calm room:<br>Glare",
    ]
    assert list(wide.data[0].text) == ["+5.6 · medium effort", "+1.2 · low effort"]
    assert list(compact.data[0].text) == ["+5.6 · medium", "+1.2 · low"]


def test_a_compact_trend_leaves_room_round_its_first_and_last_dates() -> None:
    catalogue = default_catalogue()
    dates = [dt.date(2025, 5, 9), dt.date(2025, 11, 2), dt.date(2026, 2, 1), dt.date(2026, 6, 1), dt.date(2026, 10, 22)]
    history = pd.DataFrame(
        {
            "assessed_on": dates,
            "overall": [55.0, 60.0, 64.0, 70.0, 72.4],
            "score_textures": [50.0, 55.0, 60.0, 65.0, 70.0],
        }
    )
    compact = figures.score_trend(history, catalogue, compact=True)
    start, end = (pd.Timestamp(x) for x in compact.layout.xaxis.range)
    assert start < pd.Timestamp(dates[0])
    assert end > pd.Timestamp(dates[-1])
    assert len(compact.layout.xaxis.tickvals) == 4
    ticks = list(compact.layout.xaxis.ticktext)
    assert (ticks[0], ticks[-1], len(ticks)) == ("May 2025", "Oct 2026", 4)
    assert "Textures" in {t.name for t in compact.data}
    wide = figures.score_trend(history, catalogue)
    assert wide.layout.xaxis.range is None
    assert len(wide.layout.xaxis.tickvals) == 5
    assert "Textures, materials and visual environment" in {t.name for t in wide.data}


def test_a_compact_heatmap_breaks_long_names_onto_two_lines() -> None:
    catalogue = default_catalogue()
    frame = pd.DataFrame({"predictability": [86.0], "inclusion": [49.0]}, index=pd.Index(["Second floor open office"]))
    compact = figures.principle_heatmap(frame, catalogue, compact=True)
    assert list(compact.data[0].y) == ["Second floor open<br>office"]
    assert list(compact.data[0].x) == ["Predictability", "Inclusion"]
    wide = figures.principle_heatmap(frame, catalogue)
    assert list(wide.data[0].y) == ["Second floor open office"]


def test_the_charts_speak_the_readers_language() -> None:
    """Titles, axis titles, band and effort words, dates and decimal marks in French, as the French
    dashboard and the French PDF show them; the same charts in English are unchanged."""
    catalogue = default_catalogue()
    dates = [dt.date(2025, 5, 9), dt.date(2025, 11, 2), dt.date(2026, 2, 1)]
    history = pd.DataFrame({"assessed_on": dates, "overall": [55.0, 60.0, 64.25], "score_textures": [50.0, 55.0, 60.0]})
    plan = pd.DataFrame(
        {"label": ["Calm room"], "item_name": ["Glare"], "gain": [5.6], "effort": ["medium"], "failed_critical": [True]}
    )
    with using("fr"):
        trend = figures.score_trend(history, catalogue)
        compact = figures.score_trend(history, catalogue, compact=True)
        bands = figures.band_distribution(["A", "B", None])
        fixes = plan_bars(plan)
    assert trend.layout.title.text == "Scores dans le temps"
    assert trend.layout.yaxis.title.text == "score"
    assert list(trend.layout.xaxis.ticktext) == ["9 mai 2025", "2 novembre 2025", "1 février 2026"]
    assert list(trend.data[-1].customdata) == ["9 mai 2025", "2 novembre 2025", "1 février 2026"]
    assert trend.data[-1].name == "Global"
    assert list(trend.data[-1].text)[-1] == "64,2"
    assert trend.layout.separators == ",\u202f"
    assert list(compact.layout.xaxis.ticktext) == ["mai 2025", "nov. 2025", "févr. 2026"]
    assert bands.layout.title.text == "Pièces par catégorie"
    assert bands.layout.yaxis.title.text == "pièces"
    assert list(bands.data[0].x)[-1] == "pas encore de score"
    assert list(fixes.data[0].y) == ["1. Calm room: Glare (critique)"]
    assert list(fixes.data[0].text) == ["+5,6 · effort moyen"]
    assert fixes.layout.xaxis.title.text == "points que gagnerait le score global de la pièce"
    english = figures.score_trend(history, catalogue)
    assert english.layout.title.text == "Scores over time"
    assert list(english.layout.xaxis.ticktext) == ["9 May 2025", "2 Nov 2025", "1 Feb 2026"]
    assert english.layout.separators == ".,"
