"""Plotly charts of scores, shared by the dashboard screens and the PDF report (which renders them with kaleido).

Pure functions: scoring results or pandas frames in, a `go.Figure` out, no I/O. Colours come from
`reports.theme` (Okabe-Ito, safe for colour-blind readers) and every bar and cell also carries its
value or band letter as text, so colour is never the only cue.

A report page has a known width; a screen does not (a portrait tablet, a desktop, the navigation
open or closed), and a plotly chart on screen takes the width of its place. So the builders the
screens use take `compact=True`: the same chart drawn to stay readable down to about 400 px wide
(fewer tick labels, wrapped labels, band marks that cannot touch, values where they do not
collide). Without it they draw what the PDF report has always printed.

The charts are kept by family: `reports.figures_portfolio` (many rooms), `reports.figures_room` (one
room) and `reports.figures_dashboard` (rooms side by side, a portfolio's fixes), with the shared look
and width rules in `reports.figures_layout`. The screens and the PDF report reach the portfolio and
room charts through this module (`from reports import figures`), which re-exports them.
"""

from __future__ import annotations

from reports.figures_layout import LABEL_WIDTH, MAX_RADAR_ROOMS, layout, threshold_sides, wrap_label
from reports.figures_portfolio import (
    band_distribution,
    category_heatmap,
    principle_heatmap,
    rooms_by_category,
    rooms_by_principle,
    score_heatmap,
)
from reports.figures_room import action_bars, category_bars, principle_radar, room_profile, score_trend

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
