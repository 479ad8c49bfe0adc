"""The report's charts: the dashboard's own plotly figures, drawn as images on a background thread in the
order the pages need them, so the drawing time hides behind the page layout."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import pandas as pd
import plotly.graph_objects as go

from checklists.schema import Catalogue
from reports import figures
from reports.data import AssessmentReport, ReportData, RoomReport
from reports.images import figure_png
from reports.labels import category_title, format_score, principle_short
from scoring.engine import Band, band_for

__all__ = ["CHART_SCALE", "HEATMAP_ROWS", "Charts", "heatmap_key", "queue_charts", "room_key"]

# Charts are drawn at this many times their CSS pixel size: crisp at print resolution.
CHART_SCALE = 2
# A heatmap shows at most this many rooms; larger sites get several.
HEATMAP_ROWS = 24


class Charts:
    """Charts drawn one after another on a background thread, collected by name when a page needs them."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="report-charts")
        self.jobs: dict[str, tuple[Future[bytes], int, int, str]] = {}

    def submit(self, key: str, fig: go.Figure, width_px: int, height_px: int, alt: str) -> None:
        # Print on white; the dashboard's off-white paper would show as grey boxes on the page.
        fig.update_layout(paper_bgcolor="#FFFFFF", plot_bgcolor="#FFFFFF")
        future = self.pool.submit(figure_png, fig, width_px, height_px, CHART_SCALE)
        self.jobs[key] = (future, width_px, height_px, alt)

    def height_mm(self, key: str, width_mm: float) -> float:
        """How tall a queued chart will be when placed `width_mm` wide."""
        _, width_px, height_px, _ = self.jobs[key]
        return width_mm * height_px / width_px

    def get(self, key: str) -> tuple[bytes, int, int, str]:
        future, width_px, height_px, alt = self.jobs.pop(key)
        return future.result(), width_px, height_px, alt

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def heatmap_key(site_id: int, kind: str, start: int) -> str:
    """The name of a site's heatmap of `kind` ('categories' or 'principles') from its room number `start`."""
    return f"site-{site_id}-{kind}-{start}"


def room_key(room_id: int) -> str:
    """The name of a room's chart: category bars beside the principle radar."""
    return f"room-{room_id}"


def queue_charts(charts: Charts, data: ReportData) -> None:
    """Build every chart of the report and queue it for drawing, in the order the pages need them.

    Chromium draws the charts in its own process while the pages are laid out, so most of the
    drawing time is hidden behind the page layout.
    """
    catalogue = data.catalogue
    rooms = data.assessed_rooms
    bands = [None if r.score is None or r.score.band is None else str(r.score.band) for r in rooms]
    counts = {b.value: bands.count(b.value) for b in Band}
    charts.submit(
        "bands",
        figures.band_distribution(bands),
        760,
        300,
        "Bar chart of rooms by band: " + ", ".join(f"{counts[b.value]} in band {b.value}" for b in Band),
    )
    for site in data.sites:
        assessed = site.assessed_rooms
        if not assessed:
            continue
        categories, principles = _site_frames(catalogue, assessed)
        for start in range(0, len(assessed), HEATMAP_ROWS):
            chunk = slice(start, start + HEATMAP_ROWS)
            frame = categories.iloc[chunk]
            charts.submit(
                heatmap_key(site.id, "categories", start),
                figures.category_heatmap(frame, catalogue),
                780,
                110 + 34 * len(frame),
                f"Heatmap of category scores for the rooms of {site.name}",
            )
            frame = principles.iloc[chunk]
            charts.submit(
                heatmap_key(site.id, "principles", start),
                figures.principle_heatmap(frame, catalogue),
                780,
                90 + 34 * len(frame),
                f"Heatmap of principle scores for the rooms of {site.name}",
            )
        for room in assessed:
            latest = room.latest
            assert latest is not None
            score = latest.score
            alt = (
                _category_alt(catalogue, latest)
                + ". Radar of principle scores: "
                + ", ".join(f"{principle_short(p)} {format_score(v)}" for p, v in score.principles.items())
            )
            fig = figures.room_profile(score, catalogue, name=room.name)
            charts.submit(room_key(room.id), fig, 820, 340, alt)


def _site_frames(catalogue: Catalogue, rooms: Sequence[RoomReport]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rooms x categories and rooms x principles of a site's latest scores, rows labelled by room name."""
    labels = _unique_labels([r.name for r in rooms])
    scored = [(label, r.score) for label, r in zip(labels, rooms, strict=True) if r.score is not None]
    categories = pd.DataFrame.from_dict(
        {label: {c: v.score for c, v in score.categories.items()} for label, score in scored},
        orient="index",
        dtype=float,
    )
    principles = pd.DataFrame.from_dict(
        {label: dict(score.principles) for label, score in scored}, orient="index", dtype=float
    )
    categories = categories[[c.id for c in catalogue.categories if c.id in categories]]
    principles = principles[[p.id for p in catalogue.principles if p.id in principles]]
    return categories, principles


def _unique_labels(names: Sequence[str]) -> list[str]:
    """Chart rows need distinct labels: a repeated room name gets ' (2)', ' (3)'..."""
    seen: dict[str, int] = {}
    labels = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        labels.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return labels


def _category_alt(catalogue: Catalogue, assessment: AssessmentReport) -> str:
    """The room chart's bars in words, for screen readers: 'Lighting 66.1 (C), ...'."""
    parts = []
    for category, value in assessment.score.categories.items():
        band = band_for(value.score, False)
        letter = f" ({band.value})" if band else ""
        parts.append(f"{category_title(catalogue, category)} {format_score(value.score)}{letter}")
    return "Bar chart of category scores: " + ", ".join(parts)
