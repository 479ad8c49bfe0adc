"""Plotly charts the dashboard needs beyond `reports.figures`: rooms side by side, and a portfolio's fixes.

Same rules as `reports.figures` (pure functions, house look from `figures.layout`, Okabe-Ito colours
from `reports.theme`, every bar printed with its value), so they can go into a PDF as they are.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from checklists.i18n import _
from reports.figures_layout import (
    BASE_FONT_SIZE,
    LABEL_WIDTH,
    MAX_RADAR_ROOMS,
    chart_text,
    gain_and_effort,
    layout,
    threshold_sides,
    wrap_label,
)
from reports.labels import NO_SCORE, format_gain, format_score
from reports.theme import ACCENT, BAND_COLOURS, INK, MUTED_INK, SERIES_COLOURS
from scoring.engine import BAND_THRESHOLDS, Band

__all__ = ["SERIES_PATTERNS", "compare_bars", "plan_bars"]

# Bar fill patterns per room, so rooms stay apart without colour (greyscale print, colour blindness).
SERIES_PATTERNS = ["", "/", ".", "x", "\\", "+"]


def compare_bars(
    scores: pd.DataFrame,
    *,
    column_titles: Mapping[str, str] | None = None,
    title: str | None = None,
    compact: bool = False,
) -> go.Figure:
    """Two to six rooms side by side: one group of bars per column (category or principle), one bar per room.

    `scores`: index = room names (legend order), columns = what is scored (ids), NaN = no score.
    Each room keeps one colour and one fill pattern; each bar is printed with its score.

    compact: the groups run down the chart as horizontal bars, one group per line, so their names
    never share a line however many there are or however narrow the chart (see `reports.figures`).
    """
    if not 1 <= len(scores) <= MAX_RADAR_ROOMS:
        raise ValueError(f"compare_bars shows 1 to {MAX_RADAR_ROOMS} rooms, got {len(scores)}")
    if compact:
        return _compare_rows(scores, column_titles or {}, title)
    titles = column_titles or {}
    x = [titles.get(str(c), str(c)) for c in scores.columns]
    fig = go.Figure()
    for n, (room, row) in enumerate(scores.iterrows()):
        values = [None if pd.isna(v) else float(v) for v in row.to_numpy()]
        fig.add_trace(
            go.Bar(
                x=x, y=[0.0 if v is None else v for v in values], name=chart_text(room),
                marker={"color": SERIES_COLOURS[n], "line": {"color": INK, "width": 0.5},
                        "pattern": {"shape": SERIES_PATTERNS[n], "fillmode": "overlay", "fgcolor": INK, "size": 7,
                                    "solidity": 0.2}},
                text=[format_score(v) for v in values], textposition="outside", cliponaxis=False,
                textfont={"color": INK, "size": BASE_FONT_SIZE - 2},
                hovertemplate="%{x}<br>" + chart_text(room) + ": %{text}<extra></extra>",
            )
        )  # fmt: skip
    layout(fig, title=title, height=380 + (40 if title else 0), show_legend=True)
    for band, threshold in BAND_THRESHOLDS:
        fig.add_hline(y=threshold, line={"color": MUTED_INK, "width": 1, "dash": "dot"}, layer="below")
        fig.add_annotation(
            y=threshold, x=1, xref="paper", xanchor="left", text=f"{band.value} {threshold:g}", showarrow=False,
            font={"size": BASE_FONT_SIZE - 2, "color": MUTED_INK},
        )  # fmt: skip
    fig.update_layout(
        barmode="group", bargap=0.25, bargroupgap=0.05, margin={"r": 50},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0, "title": {"text": ""}},
    )  # fmt: skip
    fig.update_yaxes(range=[0, 108], tickvals=[0, 25, 50, 70, 85, 100], title=_("score (0 to 100)"))
    fig.update_xaxes(showgrid=False, tickangle=0)
    return fig


def _compare_rows(scores: pd.DataFrame, titles: Mapping[str, str], title: str | None) -> go.Figure:
    """`compare_bars` as horizontal bars: groups down the chart, scores along it, band lines across."""
    y = [wrap_label(titles.get(str(c), str(c)).replace("<br>", " "), 16) for c in scores.columns]
    fig = go.Figure()
    for n, (room, row) in enumerate(scores.iterrows()):
        values = [None if pd.isna(v) else float(v) for v in row.to_numpy()]
        fig.add_trace(
            go.Bar(
                y=y, x=[0.0 if v is None else v for v in values], name=chart_text(room), orientation="h",
                marker={"color": SERIES_COLOURS[n], "line": {"color": INK, "width": 0.5},
                        "pattern": {"shape": SERIES_PATTERNS[n], "fillmode": "overlay", "fgcolor": INK, "size": 7,
                                    "solidity": 0.2}},
                text=[format_score(v) for v in values], textposition="outside", cliponaxis=False,
                textfont={"color": INK, "size": BASE_FONT_SIZE - 2},
                hovertemplate="%{y}<br>" + chart_text(room) + ": %{text}<extra></extra>",
            )
        )  # fmt: skip
    rows = len(scores)
    layout(fig, title=title, height=110 + len(y) * (18 * rows + 22) + (40 if title else 0), show_legend=True)
    sides = threshold_sides([threshold for _, threshold in BAND_THRESHOLDS])
    for (band, threshold), side in zip(BAND_THRESHOLDS, sides, strict=True):
        fig.add_vline(x=threshold, line={"color": MUTED_INK, "width": 1, "dash": "dot"}, layer="below")
        fig.add_annotation(
            x=threshold, y=1, yref="paper", yanchor="bottom", xanchor="left" if side == "right" else "right",
            text=f"{band.value} {threshold:g}", showarrow=False, font={"size": BASE_FONT_SIZE - 2, "color": MUTED_INK},
        )  # fmt: skip
    # Room for the printed scores right of the longest bars; the legend goes under the chart, where
    # the axis needs no title (0, 50, 100 and the band lines say what it counts).
    fig.update_layout(
        barmode="group", bargap=0.25, bargroupgap=0.05, margin={"r": 40, "t": 40 if title is None else 80},
        legend={"orientation": "h", "y": -0.12, "yanchor": "top", "x": 0, "title": {"text": ""}},
    )  # fmt: skip
    fig.update_xaxes(range=[0, 112], tickvals=[0, 50, 100], title=None)
    fig.update_yaxes(autorange="reversed", showgrid=False)
    return fig


def plan_bars(plan: pd.DataFrame, *, limit: int = 15, title: str | None = None, compact: bool = False) -> go.Figure:
    """The first `limit` fixes of a portfolio plan, top to bottom in plan order, as the points each adds.

    `plan`: rows in plan order with `label` (the room), `item_name`, `gain`, `effort` and
    `failed_critical`. Failed critical items are drawn in the band D colour and say so in their label.
    compact: the room and the item go on lines of their own, and the printed value is "+5.6 · medium".
    """
    shown = plan.head(limit)
    labels, colours, texts = [], [], []
    rows = zip(shown["label"], shown["item_name"], shown["gain"].astype(float), shown["effort"],
               shown["failed_critical"].astype(bool), strict=True)  # fmt: skip
    for n, (name, item, gain, effort, failed) in enumerate(rows, start=1):
        room = chart_text(name)
        item_name = _("{item} (critical)").format(item=item) if failed else item
        if compact:
            labels.append(f"{wrap_label(f'{n}. {room}:', LABEL_WIDTH)}<br>{wrap_label(item_name, LABEL_WIDTH)}")
        else:
            labels.append(f"{n}. {room}: {item_name}")
        colours.append(BAND_COLOURS[Band.D.value] if failed else ACCENT)
        texts.append(gain_and_effort(format_gain(gain), str(effort), compact))
    gains = shown["gain"].to_numpy(dtype=float) if len(shown) else np.array([])
    fig = go.Figure(
        go.Bar(
            x=gains, y=labels, orientation="h", marker={"color": colours}, text=texts or [NO_SCORE],
            textposition="outside", cliponaxis=False, textfont={"color": INK},
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )  # fmt: skip
    top = float(gains.max()) if len(gains) else 1.0
    row = 50 if compact else 34
    layout(fig, title=title, height=80 + row * max(1, len(shown)) + (40 if title else 0), show_legend=False)
    fig.update_xaxes(range=[0, top * 1.1 + 0.1], title=_("points the room's overall score would gain"))
    fig.update_yaxes(autorange="reversed", showgrid=False)
    # The value labels sit right of the bars, outside the plot: leave them room.
    fig.update_layout(margin={"r": 140})
    if compact:
        # The axis title on two lines, so it is never wider than a narrow plot.
        fig.update_xaxes(title=wrap_label(_("points the room's overall score would gain"), 30), nticks=4)
        fig.update_layout(margin={"r": 110})
    return fig
