"""The rules every chart of `reports.figures` shares: the house look, the band threshold marks, and
how a chart adapts to the width it is given.

A report page has a known width; a screen does not (a portrait tablet, a desktop, the navigation
open or closed), and a plotly chart on screen takes the width of its place. So the builders the
screens use take `compact=True`: the same chart drawn to stay readable down to about 400 px wide
(fewer tick labels, wrapped labels, band marks that cannot touch, values where they do not
collide). Without it they draw what the PDF report has always printed.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from itertools import pairwise

import plotly.graph_objects as go
from babel.numbers import get_decimal_symbol, get_group_symbol

from checklists.i18n import _, language
from reports.labels import value_text
from reports.theme import (
    FONT_FAMILY,
    INK,
    MUTED_INK,
    PAPER,
)
from scoring.engine import BAND_THRESHOLDS, Band

__all__ = [
    "BAND_ORDER",
    "BASE_FONT_SIZE",
    "GRID",
    "LABEL_WIDTH",
    "MAX_RADAR_ROOMS",
    "chart_text",
    "gain_and_effort",
    "layout",
    "number_separators",
    "threshold_lines",
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
    """Give a figure the common look: the house font and ink, quiet grid lines, a left-aligned title,
    and numbers on its axes and in its hover texts with the reader's decimal mark ("71,4" in French)."""
    fig.update_layout(
        font={"family": FONT_FAMILY, "size": BASE_FONT_SIZE, "color": INK},
        separators=number_separators(),
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


def gain_and_effort(gain: str, effort: str, compact: bool) -> str:
    """A fix's printed value: "+5.6 · medium effort", or "+5.6 · medium" where the chart is compact."""
    words = value_text(effort)
    if compact:
        return _("{gain} · {effort}").format(gain=gain, effort=words)
    return _("{gain} · {effort} effort").format(gain=gain, effort=words)


def number_separators(code: str | None = None) -> str:
    """Plotly's `separators` for a language: its decimal mark, then its thousands separator (".," in
    English, ", " with a narrow no-break space in French)."""
    locale = code or language()
    return get_decimal_symbol(locale) + get_group_symbol(locale)


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


def threshold_lines(fig: go.Figure, *, axis: str, compact: bool = False) -> None:
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


def chart_text(text: object) -> str:
    """A name people typed (a room, a site), ready for a chart: plotly reads `<b>`, `<a href>` and
    the like in labels, legends and hover text as markup, so `&`, `<` and `>` become entities, which
    it draws as the characters themselves."""
    return html.escape(str(text), quote=False)


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
