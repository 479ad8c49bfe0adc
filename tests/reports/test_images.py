"""Charts as PNG through the shared kaleido server: crisp (drawn at twice the size) and quick after the first."""

from __future__ import annotations

import io
import time

import plotly.graph_objects as go
from PIL import Image

from reports.figures import band_distribution
from reports.images import figure_png


def test_a_figure_becomes_a_png_drawn_at_scale() -> None:
    png = figure_png(band_distribution(["A", "C"]), 400, 200, scale=2)
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        assert image.size == (800, 400)


def test_the_server_is_reused_so_later_images_are_quick() -> None:
    figure_png(go.Figure(go.Bar(x=[1], y=[1])), 200, 100)
    start = time.perf_counter()
    for n in range(3):
        figure_png(go.Figure(go.Bar(x=[1], y=[n])), 200, 100)
    # A fresh Chromium per image would take about 2 s each.
    assert (time.perf_counter() - start) / 3 < 1.5
