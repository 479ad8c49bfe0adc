"""Room charts: one room (or a few side by side) by category and principle, over time, and its fixes.

Layout and width rules are in `reports.figures_layout`; the screens and the PDF reach these through
`reports.figures`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from checklists.i18n import N_, _
from checklists.schema import Catalogue
from reports.figures_layout import (
    BASE_FONT_SIZE,
    GRID,
    LABEL_WIDTH,
    MAX_RADAR_ROOMS,
    chart_text,
    gain_and_effort,
    layout,
    threshold_lines,
    wrap_label,
)
from reports.labels import (
    category_title,
    format_date,
    format_gain,
    format_month,
    format_score,
    item_label,
    principle_short,
)
from reports.theme import (
    ACCENT,
    BAND_COLOURS,
    CATEGORY_COLOURS,
    INK,
    MUTED_INK,
    SERIES_COLOURS,
    SERIES_DASHES,
    SERIES_SYMBOLS,
    band_colour,
)
from scoring.actions import Action
from scoring.engine import Band, RoomScore, band_for

__all__ = ["action_bars", "category_bars", "principle_radar", "room_profile", "score_trend"]


def category_bars(
    score: RoomScore, catalogue: Catalogue, *, title: str | None = N_("Categories"), compact: bool = False
) -> go.Figure:
    """One room's category scores as bars coloured by the band each score would earn, with the thresholds.

    compact: the score axis is labelled at 0, 50 and 100 only (the band lines carry 70 and 85), and
    the band labels stand beside their lines."""
    title = None if title is None else _(title)
    order = [c.id for c in catalogue.categories if c.id in score.categories]
    labels = [wrap_label(category_title(catalogue, c), 22) for c in order]
    values, colours, texts = [], [], []
    for category in order:
        value = score.categories[category].score
        band = band_for(value, False)
        values.append(0.0 if value is None else value)
        colours.append(band_colour(band.value if band else None))
        texts.append(_("no answers yet") if value is None or band is None else f"{format_score(value)} ({band.value})")
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
    threshold_lines(fig, axis="x", compact=compact)
    ticks = [0, 50, 100] if compact else [0, 25, 50, 70, 85, 100]
    fig.update_xaxes(range=[0, 100], tickvals=ticks, title=_("score (0 to 100)"))
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_layout(margin={"r": 70, "t": 70 if title else 30})
    return fig


def principle_radar(
    rooms: Mapping[str, RoomScore] | Sequence[tuple[str, RoomScore]],
    catalogue: Catalogue,
    *,
    title: str | None = N_("Trauma-informed principles"),
    compact: bool = False,
) -> go.Figure:
    """The six principle scores of one to six rooms on one radar; each room has its own colour, symbol and dash.

    compact: one room's values are printed under the principle names round the edge, where they
    have room, not beside its points, where close values run into each other on a small radar;
    with several rooms only the 50 and 85 rings are numbered."""
    title = None if title is None else _(title)
    pairs = list(rooms.items()) if isinstance(rooms, Mapping) else list(rooms)
    if not 1 <= len(pairs) <= MAX_RADAR_ROOMS:
        raise ValueError(f"a radar compares 1 to {MAX_RADAR_ROOMS} rooms, got {len(pairs)}")
    principles = [p.id for p in catalogue.principles]
    theta = [principle_short(p) for p in principles]
    fig = go.Figure()
    single = len(pairs) == 1
    values_at_points = single and not compact
    for n, (room, score) in enumerate(pairs):
        name = chart_text(room)
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
    radar = principle_radar([(name or _("This room"), score)], catalogue, title=None)
    bars_title, radar_title = _("Categories"), _("Trauma-informed principles")
    fig = make_subplots(
        rows=1,
        cols=2,
        specs=[[{"type": "xy"}, {"type": "polar"}]],
        column_widths=[0.58, 0.42],
        horizontal_spacing=0.2,
        subplot_titles=(bars_title, radar_title),
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
    fig.update_annotations(selector={"text": bars_title}, font={"size": BASE_FONT_SIZE + 1}, yshift=14)
    fig.update_annotations(selector={"text": radar_title}, font={"size": BASE_FONT_SIZE + 1}, yshift=18)
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
    history: pd.DataFrame, catalogue: Catalogue, *, title: str | None = N_("Scores over time"), compact: bool = False
) -> go.Figure:
    """Overall and category scores over a room's assessments.

    `history`: one row per assessment, oldest first, with `assessed_on`, `overall` and `score_<category>`
    columns (the shape of `PortfolioScores.summary()` for one room).

    compact: dates as month and year, at most four of them, and room either side of the first and
    last assessment, so their dates stay clear of the score axis and the band labels; the legend,
    with the categories' short names, above the chart, with the room it needs.

    Dates on the axis and in the hover texts are written in the reader's language ("3 sept. 2025").
    """
    title = None if title is None else _(title)
    frame = history.sort_values("assessed_on")
    dates = pd.to_datetime(frame["assessed_on"])
    worded = [format_date(d.date()) for d in dates]
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
                customdata=worded,
                hovertemplate="%{customdata}: %{y:.1f}<extra>%{fullData.name}</extra>",
            )
        )
    overall = frame["overall"]
    overall_name = _("Overall")
    fig.add_trace(
        go.Scatter(
            x=dates,
            y=overall,
            name=overall_name,
            mode="lines+markers+text",
            text=[format_score(None if pd.isna(v) else float(v)) for v in overall],
            textposition="top center",
            line={"color": INK, "width": 3.5},
            marker={"size": 10, "color": INK},
            customdata=worded,
            hovertemplate="%{customdata}: %{y:.1f}<extra>" + chart_text(overall_name) + "</extra>",
        )
    )
    layout(fig, title=title, height=380)
    threshold_lines(fig, axis="y")
    fig.update_yaxes(range=[0, 105], tickvals=[0, 25, 50, 70, 85, 100], title=_("score"))
    fig.update_xaxes(tickvals=list(dates), ticktext=worded)
    fig.update_layout(legend={"orientation": "h", "y": -0.2, "x": 0}, margin={"r": 60})
    if compact and len(dates):
        first, last = dates.min(), dates.max()
        pad = max((last - first) * 0.12, pd.Timedelta(days=20))
        shown = list(dates) if len(dates) <= 4 else list(pd.date_range(first, last, periods=4))
        fig.update_xaxes(
            tickvals=shown, ticktext=[format_month(d.date()) for d in shown], range=[first - pad, last + pad]
        )
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
    title: str | None = N_("What to fix first"),
    compact: bool = False,
) -> go.Figure:
    """The first `limit` fixes of an action plan as bars of the points each would add, top to bottom in plan order.

    `labels` names each item (default: from its id); items in `failed_critical` are drawn in the
    band D colour and say "critical" in their label. compact: long names break onto a second line,
    and the printed value is "+5.6 · medium" (the axis says what it counts).
    """
    title = None if title is None else _(title)
    shown = list(actions)[:limit]
    names = labels or {}
    y = []
    for n, action in enumerate(shown, start=1):
        name = names.get(action.item, item_label(action.item))
        if action.item in failed_critical:
            name = _("{item} (critical)").format(item=name)
        label = f"{n}. {name}"
        y.append(wrap_label(label, LABEL_WIDTH) if compact else label)
    colours = [BAND_COLOURS[Band.D.value] if a.item in failed_critical else ACCENT for a in shown]
    texts = [gain_and_effort(format_gain(a.gain), str(a.effort), compact) for a in shown]
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
    fig.update_xaxes(range=[0, top * (1.6 if compact else 1.45) + 0.1], title=_("points the overall score would gain"))
    fig.update_yaxes(autorange="reversed", showgrid=False)
    if compact:
        fig.update_xaxes(nticks=4)
    return fig
