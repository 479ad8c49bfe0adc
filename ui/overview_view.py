"""The Overview screen's data: the portfolio narrowed by its filters (organisations, sites, settings,
room types, bands and a date range) and shaped into its figures, tables and heatmap rows.

The screens reach these names through `ui.portfolio_view`, which offers them with the portfolio.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from assessments.latest import FINAL_STATUSES, latest_per_room
from reports.theme import BAND_COLOURS, BAND_TEXT_COLOURS
from ui.i18n import _
from ui.table_words import status_text

if TYPE_CHECKING:
    from ui.portfolio_view import Portfolio

__all__ = [
    "NO_BAND",
    "Filters",
    "OverviewData",
    "apply_filters",
    "assessment_months",
    "band_cell_style",
    "heatmap_rows",
    "month_end",
    "status_label",
]

NO_BAND = "none"


@dataclass(frozen=True)
class Filters:
    """What the Overview is narrowed to; an empty tuple means "all"."""

    organisations: tuple[int, ...] = ()
    sites: tuple[int, ...] = ()
    settings: tuple[str, ...] = ()
    room_types: tuple[str, ...] = ()
    bands: tuple[str, ...] = ()  # "A".."D", or NO_BAND for rooms without a score
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True)
class OverviewData:
    rooms: pd.DataFrame  # rooms in scope (organisation, site, setting and room type filters)
    latest: pd.DataFrame  # their latest assessments in the date range, after the band filter

    @property
    def rooms_assessed(self) -> int:
        return len(self.latest)

    @property
    def failed_critical(self) -> int:
        return int((self.latest["critical_failures"] > 0).sum())

    @property
    def provisional(self) -> int:
        return int(self.latest["provisional"].sum())

    @property
    def drafts(self) -> int:
        return int((~self.latest["status"].isin(FINAL_STATUSES)).sum())

    @property
    def mean_completeness(self) -> float | None:
        return None if self.latest.empty else float(self.latest["completeness"].mean())


def _room_scope(rooms: pd.DataFrame, filters: Filters) -> pd.Series:
    keep = pd.Series(True, index=rooms.index)
    for column, chosen in (
        ("organisation_id", filters.organisations),
        ("site_id", filters.sites),
        ("setting", filters.settings),
        ("room_type", filters.room_types),
    ):
        if chosen:
            keep &= rooms[column].isin(list(chosen))
    return keep


def apply_filters(portfolio: Portfolio, filters: Filters) -> OverviewData:
    """The rooms and latest assessments the Overview shows for these filters.

    The date range picks which assessments count; each room is then shown by its latest one within
    the range (so a range in the past shows the portfolio as it was then). The band filter acts on
    that latest assessment.
    """
    rooms = portfolio.rooms[_room_scope(portfolio.rooms, filters)]
    assessments = portfolio.assessments[portfolio.assessments["room_id"].isin(rooms["room_id"])]
    if filters.start is not None:
        assessments = assessments[assessments["assessed_on"] >= pd.Timestamp(filters.start)]
    if filters.end is not None:
        assessments = assessments[assessments["assessed_on"] <= pd.Timestamp(filters.end)]
    latest = latest_per_room(assessments)
    if filters.bands:
        band = latest["band"].fillna(NO_BAND)
        latest = latest[band.isin(list(filters.bands))]
    latest = latest.sort_values(["organisation_name", "site_name", "room_name", "room_id"], ignore_index=True)
    return OverviewData(rooms=rooms, latest=latest)


def assessment_months(assessments: pd.DataFrame) -> list[dt.date]:
    """The first day of every month from the first assessment's to the last one's, oldest first."""
    if assessments.empty:
        return []
    first, last = assessments["assessed_on"].min(), assessments["assessed_on"].max()
    return [m.date() for m in pd.date_range(first.replace(day=1), last, freq="MS")]


def month_end(month: dt.date) -> dt.date:
    """The last day of the month `month` falls in."""
    return (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()


def status_label(status: str, provisional: bool) -> str:
    """'reviewed', 'draft', 'submitted · provisional', in the current language."""
    return status_text(status, provisional)


def band_cell_style(value: object) -> str:
    """CSS for a table cell holding `band_text` ('B · mostly supportive'): the band's own colour."""
    text = str(value)
    letter = text[:1]
    if letter in BAND_COLOURS and text[1:2] == " ":
        return f"background-color: {BAND_COLOURS[letter]}; color: {BAND_TEXT_COLOURS[letter]}"
    return ""


def heatmap_rows(
    latest: pd.DataFrame, columns: Sequence[str], *, limit: int, order: str = "lowest"
) -> tuple[pd.DataFrame, int]:
    """Rooms x score columns for a heatmap, at most `limit` rooms, and how many rooms were left out.

    `order`: "lowest" puts the weakest rooms (lowest overall score) first, "site" orders by site
    and room name. Drafts carry "(draft)" (in the current language) after their name, so a heatmap
    never passes one off as finished.
    """
    frame = latest
    if order == "lowest":
        frame = frame.sort_values(["overall", "label"], na_position="first")
    else:
        frame = frame.sort_values(["organisation_name", "site_name", "room_name", "room_id"])
    shown = frame.head(limit)
    draft = ~shown["status"].isin(FINAL_STATUSES)
    labels = shown["label"].where(~draft, shown["label"] + " (" + _("draft") + ")")
    grid = shown[list(columns)].astype(float)
    grid.index = pd.Index(labels.to_list())
    return grid, len(frame) - len(shown)
