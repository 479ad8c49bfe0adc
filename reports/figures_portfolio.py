"""Portfolio charts: many rooms at once, by band and in heatmaps of categories and principles.

Layout and width rules are in `reports.figures_layout`; the screens and the PDF reach these through
`reports.figures`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from checklists.i18n import N_, _
from checklists.schema import Catalogue
from reports.figures_layout import (
    BAND_ORDER,
    BASE_FONT_SIZE,
    chart_text,
    layout,
    wrap_label,
)
from reports.labels import (
    NO_SCORE,
    band_text,
    category_title,
    format_score,
    principle_short,
)
from reports.theme import (
    BAND_COLOURS,
    INK,
    NO_SCORE_COLOUR,
)
from scoring.engine import Band, band_for

__all__ = [
    "band_distribution",
    "category_heatmap",
    "principle_heatmap",
    "rooms_by_category",
    "rooms_by_principle",
    "score_heatmap",
]


def band_distribution(bands: Iterable[str | None], *, title: str | None = N_("Rooms by band")) -> go.Figure:
    """How many rooms sit in each band, A to D, plus rooms with no score yet."""
    title = None if title is None else _(title)
    values = list(bands)
    counts = {band: sum(1 for b in values if b == band) for band in BAND_ORDER}
    labels = [f"{band_text(band).replace(' · ', '<br>')}" for band in BAND_ORDER]
    colours = [BAND_COLOURS[band] for band in BAND_ORDER]
    y = [counts[band] for band in BAND_ORDER]
    unscored = sum(1 for b in values if b is None)
    if unscored:
        labels.append(_("no score yet"))
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
            hovertemplate=_("%{x}: %{y} rooms") + "<extra></extra>",
        )
    )
    layout(fig, title=title, show_legend=False)
    top = max(y) if y else 0
    fig.update_yaxes(
        title=_("rooms"), rangemode="tozero", dtick=max(1, int(np.ceil(top / 6))), range=[0, top * 1.18 + 1]
    )
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
    y = [chart_text(label) for label in scores.index]
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
                "title": {"text": _("band")},
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
                hovertemplate="%{y}<br>%{x}: " + _("no score") + "<extra></extra>",
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
    titles = {c.id: wrap_label(category_title(catalogue, c.id), 18) for c in catalogue.categories}
    return score_heatmap(scores, column_titles=titles, title=title, compact=compact)


def principle_heatmap(
    scores: pd.DataFrame, catalogue: Catalogue, *, title: str | None = None, compact: bool = False
) -> go.Figure:
    """Rooms x trauma-informed principles (columns = principle ids, see `rooms_by_principle`)."""
    titles: dict[str, str] = {str(p.id): principle_short(p.id) for p in catalogue.principles}
    return score_heatmap(scores, column_titles=titles, title=title, compact=compact)
