"""Plotly charts of scores, shared by the dashboard screens and the PDF report (which renders them with kaleido).

Pure functions: scoring results or pandas frames in, a `go.Figure` out, no I/O. Colours come from
`reports.theme` (Okabe-Ito, safe for colour-blind readers) and every bar and cell also carries its
value or band letter as text, so colour is never the only cue.

A report page has a known width; a screen does not (a portrait tablet, a desktop, the navigation
open or closed), and a plotly chart on screen takes the width of its place. So the builders the
screens use take `compact=True`: the same chart drawn to stay readable down to about 400 px wide
(fewer tick labels, wrapped labels, band marks that cannot touch, values where they do not
collide). Without it they draw what the PDF report has always printed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from itertools import pairwise

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from checklists.schema import Catalogue
from reports.labels import (
    NO_SCORE,
    band_text,
    category_title,
    format_gain,
    format_score,
    item_label,
    principle_short,
)
from reports.theme import (
    ACCENT,
    BAND_COLOURS,
    CATEGORY_COLOURS,
    FONT_FAMILY,
    INK,
    MUTED_INK,
    NO_SCORE_COLOUR,
    PAPER,
    SERIES_COLOURS,
    SERIES_DASHES,
    SERIES_SYMBOLS,
    band_colour,
)
from scoring.actions import Action
from scoring.engine import BAND_THRESHOLDS, Band, RoomScore, band_for

__all__ = [
    "LABEL_WIDTH",
    "MAX_RADAR_ROOMS",
    "action_bars",
    "band_distribution",
    "category_bars",
    "category_heatmap",
    "layout",
    "principle_heatmap",
    "principle_radar",
    "room_profile",
    "rooms_by_category",
    "rooms_by_principle",
    "score_heatmap",
    "score_trend",
    "threshold_sides",
    "wrap_label",
]

BASE_FONT_SIZE = 13
GRID = "#E4E7EB"
# The radar stays readable with up to six outlines; more rooms belong in a heatmap.
MAX_RADAR_ROOMS = 6
# Compact charts break axis labels onto lines of about this many characters.
LABEL_WIDTH = 28
BAND_ORDER = [Band.A.value, Band.B.value, Band.C.value, Band.D.value]


def layout(
    fig: go.Figure,
    *,
    title: str | None = None,
    height: int | None = None,
    background: str = PAPER,
    show_legend: bool | None = None,
) -> go.Figure:
    """Give a figure the common look: the house font and ink, quiet grid lines, a left-aligned title."""
    fig.update_layout(
        font={"family": FONT_FAMILY, "size": BASE_FONT_SIZE, "color": INK},
        paper_bgcolor=background,
        plot_bgcolor=background,
        margin={"l": 10, "r": 20, "t": 50 if title else 16, "b": 10},
        hoverlabel={"font": {"family": FONT_FAMILY}},
        legend={"font": {"size": BASE_FONT_SIZE - 1}},
    )
    if title is not None:
        fig.update_layout(
            title={"text": title, "x": 0, "xanchor": "left", "font": {"size": BASE_FONT_SIZE + 3, "color": INK}}
        )
    if height is not None:
        fig.update_layout(height=height)
    if show_legend is not None:
        fig.update_layout(showlegend=show_legend)
    fig.update_xaxes(gridcolor=GRID, zerolinecolor=GRID, linecolor=MUTED_INK, automargin=True)
    fig.update_yaxes(gridcolor=GRID, zerolinecolor=GRID, linecolor=MUTED_INK, automargin=True)
    return fig


def threshold_sides(thresholds: Sequence[float], low: float = 0, high: float = 100) -> list[str]:
    """For labels on a row of lines across a 0..100 axis: which side of its line each label goes
    ("left" or "right" of it), towards the wider gap to the next line or the axis end. Two labels
    then never face each other across one gap, so they cannot touch however narrow the chart is
    (B 70 ends at its line, A 85 starts at its own)."""
    marks = sorted(thresholds)
    sides = {}
    for n, mark in enumerate(marks):
        below = mark - (marks[n - 1] if n else low)
        above = (marks[n + 1] if n + 1 < len(marks) else high) - mark
        sides[mark] = "right" if above >= below else "left"
    # Two neighbours facing each other (the lower one to the right, the upper one to the left)
    # would share one gap: the lower one turns away (from the top down, so a turn that makes a new
    # pair face each other further down is seen too).
    for lower, upper in reversed(list(pairwise(marks))):
        if sides[lower] == "right" and sides[upper] == "left":
            sides[lower] = "left"
    return [sides[t] for t in thresholds]


def _threshold_lines(fig: go.Figure, *, axis: str, compact: bool = False) -> None:
    """Dotted lines at the band thresholds (85, 70, 50), each labelled with the band it starts.

    compact: along the x axis each label sits beside its line, on the side away from its nearer
    neighbour (see `threshold_sides`), instead of centred on it."""
    sides = threshold_sides([threshold for _, threshold in BAND_THRESHOLDS])
    for (band, threshold), side in zip(BAND_THRESHOLDS, sides, strict=True):
        if axis == "x":
            fig.add_vline(x=threshold, line={"color": MUTED_INK, "width": 1, "dash": "dot"}, layer="below")
            fig.add_annotation(
                x=threshold,
                y=1,
                # Relative to the plot area, not the page: the labels stay put when the bars share a figure.
                yref="y domain",
                yanchor="bottom",
                **({"xanchor": "left" if side == "right" else "right"} if compact else {}),
                text=f"{band.value} {threshold:g}",
                showarrow=False,
                font={"size": BASE_FONT_SIZE - 2, "color": MUTED_INK},
            )
        else:
            fig.add_hline(y=threshold, line={"color": MUTED_INK, "width": 1, "dash": "dot"}, layer="below")
            fig.add_annotation(
                y=threshold,
                x=1,
                xref="x domain",
                xanchor="left",
                text=f"{band.value} {threshold:g}",
                showarrow=False,
                font={"size": BASE_FONT_SIZE - 2, "color": MUTED_INK},
            )


def band_distribution(bands: Iterable[str | None], *, title: str | None = "Rooms by band") -> go.Figure:
    """How many rooms sit in each band, A to D, plus rooms with no score yet."""
    values = list(bands)
    counts = {band: sum(1 for b in values if b == band) for band in BAND_ORDER}
    labels = [f"{band_text(band).replace(' · ', '<br>')}" for band in BAND_ORDER]
    colours = [BAND_COLOURS[band] for band in BAND_ORDER]
    y = [counts[band] for band in BAND_ORDER]
    unscored = sum(1 for b in values if b is None)
    if unscored:
        labels.append("no score yet")
        colours.append(NO_SCORE_COLOUR)
        y.append(unscored)
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=y,
            marker={"color": colours, "line": {"color": INK, "width": 0.5}},
            text=[str(n) for n in y],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: %{y} rooms<extra></extra>",
        )
    )
    layout(fig, title=title, show_legend=False)
    top = max(y) if y else 0
    fig.update_yaxes(title="rooms", rangemode="tozero", dtick=max(1, int(np.ceil(top / 6))), range=[0, top * 1.18 + 1])
    fig.update_xaxes(showgrid=False)
    return fig


def rooms_by_category(summary: pd.DataFrame, catalogue: Catalogue, *, label: str = "room_name") -> pd.DataFrame:
    """Rooms x categories from a `PortfolioScores.summary()` frame: index = `label`, columns = category ids."""
    columns = {f"score_{c.id}": c.id for c in catalogue.categories if f"score_{c.id}" in summary}
    return summary.set_index(label)[list(columns)].rename(columns=columns).astype(float)


def rooms_by_principle(summary: pd.DataFrame, catalogue: Catalogue, *, label: str = "room_name") -> pd.DataFrame:
    """Rooms x principles from a `PortfolioScores.summary()` frame: index = `label`, columns = principle ids."""
    columns = {f"principle_{p.id}": p.id for p in catalogue.principles if f"principle_{p.id}" in summary}
    return summary.set_index(label)[list(columns)].rename(columns=columns).astype(float)


def score_heatmap(
    scores: pd.DataFrame,
    *,
    column_titles: Mapping[str, str] | None = None,
    title: str | None = None,
    compact: bool = False,
) -> go.Figure:
    """A rooms x columns grid of 0..100 scores, each cell printed with its value; grey where there is none.

    `scores`: index = row labels (rooms, top to bottom), columns = what is scored, NaN = no score.
    compact: column titles and room names break onto short lines (the rows grow to hold two lines),
    so six columns fit a tablet's width.
    """
    titles = column_titles or {}
    x = [titles.get(str(c), str(c)) for c in scores.columns]
    y = [str(label) for label in scores.index]
    if compact:
        x = [wrap_label(t.replace("<br>", " "), 11) for t in x]
        y = [wrap_label(label, 20) for label in y]
    values = scores.to_numpy(dtype=float)
    text = [[NO_SCORE if np.isnan(v) else format_score(float(v)) for v in row] for row in values]
    # Cells are coloured by the band their score earns (the engine's own thresholds), not on a
    # continuous scale: blended colours between the band hues would not match any band.
    steps = [Band.D.value, Band.C.value, Band.B.value, Band.A.value]
    z = np.full(values.shape, np.nan)
    for (row, column), value in np.ndenumerate(values):
        band = None if np.isnan(value) else band_for(float(value), False)
        if band is not None:
            z[row, column] = steps.index(band.value)
    colourscale = []
    for n, band_value in enumerate(steps):
        colourscale += [[n / len(steps), BAND_COLOURS[band_value]], [(n + 1) / len(steps), BAND_COLOURS[band_value]]]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=x,
            y=y,
            zmin=-0.5,
            zmax=len(steps) - 0.5,
            colorscale=colourscale,
            text=text,
            texttemplate="%{text}",
            textfont={"color": "#000000", "size": BASE_FONT_SIZE - 1},
            xgap=2,
            ygap=2,
            colorbar={
                "title": {"text": "band"},
                "tickvals": list(range(len(steps))),
                "thickness": 12,
                "ticktext": [band_text(b).replace(" · ", " ") for b in steps],
            },
            hovertemplate="%{y}<br>%{x}: %{text}<extra></extra>",
        )
    )
    if np.isnan(values).any():
        # Cells without a score get their own flat grey layer, so "no score" never reads as a low score.
        missing = np.where(np.isnan(values), 1.0, np.nan)
        fig.add_trace(
            go.Heatmap(
                z=missing,
                x=x,
                y=y,
                colorscale=[[0, NO_SCORE_COLOUR], [1, NO_SCORE_COLOUR]],
                showscale=False,
                text=[[t if t == NO_SCORE else "" for t in row] for row in text],
                texttemplate="%{text}",
                textfont={"color": INK},
                xgap=2,
                ygap=2,
                hovertemplate="%{y}<br>%{x}: no score<extra></extra>",
            )
        )
    row = 38 if compact else 30
    layout(fig, title=title, height=max(220, 90 + row * len(y)) + (40 if title else 0), show_legend=False)
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(side="top", showgrid=False, tickangle=0)
    if compact:
        fig.update_xaxes(tickfont={"size": BASE_FONT_SIZE - 1})
    return fig


def category_heatmap(
    scores: pd.DataFrame, catalogue: Catalogue, *, title: str | None = None, compact: bool = False
) -> go.Figure:
    """Rooms x categories (columns = category ids, see `rooms_by_category`)."""
    titles = {c.id: wrap_label(c.title, 18) for c in catalogue.categories}
    return score_heatmap(scores, column_titles=titles, title=title, compact=compact)


def principle_heatmap(
    scores: pd.DataFrame, catalogue: Catalogue, *, title: str | None = None, compact: bool = False
) -> go.Figure:
    """Rooms x trauma-informed principles (columns = principle ids, see `rooms_by_principle`)."""
    titles: dict[str, str] = {str(p.id): principle_short(p.id) for p in catalogue.principles}
    return score_heatmap(scores, column_titles=titles, title=title, compact=compact)


def wrap_label(text: str, width: int) -> str:
    """Break a label into lines of about `width` characters (plotly does not wrap tick labels itself)."""
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)


def category_bars(
    score: RoomScore, catalogue: Catalogue, *, title: str | None = "Categories", compact: bool = False
) -> go.Figure:
    """One room's category scores as bars coloured by the band each score would earn, with the thresholds.

    compact: the score axis is labelled at 0, 50 and 100 only (the band lines carry 70 and 85), and
    the band labels stand beside their lines."""
    order = [c.id for c in catalogue.categories if c.id in score.categories]
    labels = [wrap_label(category_title(catalogue, c), 22) for c in order]
    values, colours, texts = [], [], []
    for category in order:
        value = score.categories[category].score
        band = band_for(value, False)
        values.append(0.0 if value is None else value)
        colours.append(band_colour(band.value if band else None))
        texts.append("no answers yet" if value is None or band is None else f"{format_score(value)} ({band.value})")
    fig = go.Figure(
        go.Bar(
            x=values,
            y=labels,
            orientation="h",
            marker={"color": colours, "line": {"color": INK, "width": 0.5}},
            text=texts,
            textposition="outside",
            cliponaxis=False,
            textfont={"color": INK},
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    layout(fig, title=title, height=70 + 52 * len(order) + (40 if title else 0), show_legend=False)
    _threshold_lines(fig, axis="x", compact=compact)
    ticks = [0, 50, 100] if compact else [0, 25, 50, 70, 85, 100]
    fig.update_xaxes(range=[0, 100], tickvals=ticks, title="score (0 to 100)")
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_layout(margin={"r": 70, "t": 70 if title else 30})
    return fig


def principle_radar(
    rooms: Mapping[str, RoomScore] | Sequence[tuple[str, RoomScore]],
    catalogue: Catalogue,
    *,
    title: str | None = "Trauma-informed principles",
    compact: bool = False,
) -> go.Figure:
    """The six principle scores of one to six rooms on one radar; each room has its own colour, symbol and dash.

    compact: one room's values are printed under the principle names round the edge, where they
    have room, not beside its points, where close values run into each other on a small radar;
    with several rooms only the 50 and 85 rings are numbered."""
    pairs = list(rooms.items()) if isinstance(rooms, Mapping) else list(rooms)
    if not 1 <= len(pairs) <= MAX_RADAR_ROOMS:
        raise ValueError(f"a radar compares 1 to {MAX_RADAR_ROOMS} rooms, got {len(pairs)}")
    principles = [p.id for p in catalogue.principles]
    theta = [principle_short(p) for p in principles]
    fig = go.Figure()
    single = len(pairs) == 1
    values_at_points = single and not compact
    for n, (name, score) in enumerate(pairs):
        r = [score.principles.get(p) for p in principles]
        values = [np.nan if v is None else v for v in r]
        fig.add_trace(
            go.Scatterpolar(
                # Close the outline by repeating the first point.
                r=[*values, values[0]],
                theta=[*theta, theta[0]],
                name=name,
                mode="lines+markers+text" if values_at_points else "lines+markers",
                text=[format_score(v) for v in r] + [""] if values_at_points else None,
                textposition=_label_positions(values),
                textfont={"size": BASE_FONT_SIZE - 1},
                line={"color": SERIES_COLOURS[n], "dash": SERIES_DASHES[n], "width": 2.5},
                marker={"symbol": SERIES_SYMBOLS[n], "size": 8},
                fill="toself" if single else "none",
                fillcolor="rgba(0, 114, 178, 0.15)",
                connectgaps=False,
                hovertemplate="%{theta}: %{r:.1f}<extra>" + name + "</extra>",
            )
        )
    layout(fig, title=title, height=420, show_legend=not single)
    # One room has its values printed at its points; the scale labels would only collide with them.
    fig.update_polars(radialaxis_showticklabels=not single)
    if compact and single:
        scores = pairs[0][1].principles
        named = [f"{t}<br>{format_score(scores.get(p))}" for t, p in zip(theta, principles, strict=True)]
        fig.update_polars(angularaxis={"tickvals": theta, "ticktext": named})
    elif compact:
        fig.update_polars(radialaxis={"ticktext": ["50", "", "85", ""]})
    fig.update_layout(
        polar={
            "bgcolor": "rgba(0,0,0,0)",
            "radialaxis": {
                "range": [0, 100],
                "tickvals": [50, 70, 85, 100],
                "gridcolor": GRID,
                "linecolor": GRID,
                # The scale runs between Safety and Regulation, where it hides no value label.
                "tickfont": {"size": BASE_FONT_SIZE - 3, "color": MUTED_INK},
                "angle": 60,
                "tickangle": 60,
            },
            "angularaxis": {"gridcolor": GRID, "linecolor": MUTED_INK, "direction": "clockwise", "rotation": 90},
        },
        legend={"orientation": "h", "y": -0.08, "x": 0.5, "xanchor": "center"},
        margin={"l": 70, "r": 70, "t": 80 if title else 40, "b": 40},
    )
    return fig


def room_profile(score: RoomScore, catalogue: Catalogue, *, name: str = "") -> go.Figure:
    """One room at a glance: its category bars beside its principle radar, in one figure.

    Built from `category_bars` and `principle_radar`, so it looks exactly like them; one image
    instead of two halves the time a report spends drawing each room's charts.
    """
    bars = category_bars(score, catalogue, title=None)
    radar = principle_radar([(name or "This room", score)], catalogue, title=None)
    fig = make_subplots(
        rows=1,
        cols=2,
        specs=[[{"type": "xy"}, {"type": "polar"}]],
        column_widths=[0.58, 0.42],
        horizontal_spacing=0.2,
        subplot_titles=("Categories", "Trauma-informed principles"),
    )
    for trace in bars.data:
        fig.add_trace(trace, row=1, col=1)
    for trace in radar.data:
        fig.add_trace(trace, row=1, col=2)
    for shape in bars.layout.shapes:
        fig.add_shape(shape)
    for annotation in bars.layout.annotations:
        fig.add_annotation(annotation)
    layout(fig, height=max(bars.layout.height or 0, 380), show_legend=False)
    fig.update_xaxes(bars.layout.xaxis.to_plotly_json(), row=1, col=1)
    fig.update_yaxes(bars.layout.yaxis.to_plotly_json(), row=1, col=1)
    polar = radar.layout.polar.to_plotly_json()
    polar.pop("domain", None)
    fig.update_polars(polar)
    fig.update_annotations(selector={"text": "Categories"}, font={"size": BASE_FONT_SIZE + 1}, yshift=14)
    fig.update_annotations(
        selector={"text": "Trauma-informed principles"}, font={"size": BASE_FONT_SIZE + 1}, yshift=18
    )
    # Room at the right for the radar's longest label ("Regulation").
    fig.update_layout(margin={"l": 10, "r": 80, "t": 64, "b": 30})
    return fig


def _label_positions(values: Sequence[float]) -> list[str]:
    """Where each value label of a radar goes: inside the outline for high scores (clear of the axis
    names around the edge), outside it for low ones (clear of the crowded centre)."""
    positions = []
    count = len(values)
    for n, value in enumerate([*values, values[0]]):
        angle = (360 * n / count) % 360  # clockwise from the top
        inward = bool(value >= 60)  # NaN (no score) compares False: outward, where nothing is drawn
        if angle == 0:
            positions.append("bottom center" if inward else "top center")
        elif angle == 180:
            positions.append("top center" if inward else "bottom center")
        elif angle < 180:
            positions.append("middle left" if inward else "middle right")
        else:
            positions.append("middle right" if inward else "middle left")
    return positions


def score_trend(
    history: pd.DataFrame, catalogue: Catalogue, *, title: str | None = "Scores over time", compact: bool = False
) -> go.Figure:
    """Overall and category scores over a room's assessments.

    `history`: one row per assessment, oldest first, with `assessed_on`, `overall` and `score_<category>`
    columns (the shape of `PortfolioScores.summary()` for one room).

    compact: dates as month and year, at most four of them, and room either side of the first and
    last assessment, so their dates stay clear of the score axis and the band labels; the legend,
    with the categories' short names, above the chart, with the room it needs.
    """
    frame = history.sort_values("assessed_on")
    dates = pd.to_datetime(frame["assessed_on"])
    fig = go.Figure()
    for n, category in enumerate(c.id for c in catalogue.categories):
        column = f"score_{category}"
        if column not in frame or frame[column].isna().all():
            continue
        name = category_title(catalogue, category)
        fig.add_trace(
            go.Scatter(
                x=dates,
                y=frame[column],
                name=name.split(",")[0] if compact else name,
                mode="lines+markers",
                line={
                    "color": CATEGORY_COLOURS.get(category, SERIES_COLOURS[n % 6]),
                    "width": 1.5,
                    "dash": SERIES_DASHES[(n + 1) % 6],
                },
                marker={"symbol": SERIES_SYMBOLS[(n + 1) % 6], "size": 7},
                hovertemplate="%{x|%-d %b %Y}: %{y:.1f}<extra>%{fullData.name}</extra>",
            )
        )
    overall = frame["overall"]
    fig.add_trace(
        go.Scatter(
            x=dates,
            y=overall,
            name="Overall",
            mode="lines+markers+text",
            text=[format_score(None if pd.isna(v) else float(v)) for v in overall],
            textposition="top center",
            line={"color": INK, "width": 3.5},
            marker={"size": 10, "color": INK},
            hovertemplate="%{x|%-d %b %Y}: %{y:.1f}<extra>Overall</extra>",
        )
    )
    layout(fig, title=title, height=380)
    _threshold_lines(fig, axis="y")
    fig.update_yaxes(range=[0, 105], tickvals=[0, 25, 50, 70, 85, 100], title="score")
    fig.update_xaxes(tickformat="%-d %b %Y", tickvals=list(dates))
    fig.update_layout(legend={"orientation": "h", "y": -0.2, "x": 0}, margin={"r": 60})
    if compact and len(dates):
        first, last = dates.min(), dates.max()
        pad = max((last - first) * 0.12, pd.Timedelta(days=20))
        shown = list(dates) if len(dates) <= 4 else list(pd.date_range(first, last, periods=4))
        fig.update_xaxes(tickformat="%b %Y", tickvals=shown, range=[first - pad, last + pad])
        # The legend goes above the chart (three lines at most on the narrowest screen), clear of the
        # dates and of the values printed over the points.
        fig.update_layout(
            height=440, legend={"orientation": "h", "y": 1.06, "yanchor": "bottom", "x": 0}, margin={"t": 90}
        )
    return fig


def action_bars(
    actions: Sequence[Action],
    *,
    limit: int = 10,
    labels: Mapping[str, str] | None = None,
    failed_critical: Collection[str] = (),
    title: str | None = "What to fix first",
    compact: bool = False,
) -> go.Figure:
    """The first `limit` fixes of an action plan as bars of the points each would add, top to bottom in plan order.

    `labels` names each item (default: from its id); items in `failed_critical` are drawn in the
    band D colour and say "critical" in their label. compact: long names break onto a second line,
    and the printed value is "+5.6 · medium" (the axis says what it counts).
    """
    shown = list(actions)[:limit]
    names = labels or {}
    y = []
    for n, action in enumerate(shown, start=1):
        name = names.get(action.item, item_label(action.item))
        label = f"{n}. {name}" + (" (critical)" if action.item in failed_critical else "")
        y.append(wrap_label(label, LABEL_WIDTH) if compact else label)
    colours = [BAND_COLOURS[Band.D.value] if a.item in failed_critical else ACCENT for a in shown]
    texts = [f"{format_gain(a.gain)} · {a.effort}" + ("" if compact else " effort") for a in shown]
    fig = go.Figure(
        go.Bar(
            x=[a.gain for a in shown],
            y=y,
            orientation="h",
            marker={"color": colours},
            text=texts,
            textposition="outside",
            cliponaxis=False,
            textfont={"color": INK},
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    top = max((a.gain for a in shown), default=1.0)
    row = 44 if compact else 34
    layout(fig, title=title, height=80 + row * max(1, len(shown)) + (40 if title else 0), show_legend=False)
    fig.update_xaxes(range=[0, top * (1.6 if compact else 1.45) + 0.1], title="points the overall score would gain")
    fig.update_yaxes(autorange="reversed", showgrid=False)
    if compact:
        fig.update_xaxes(nticks=4)
    return fig
