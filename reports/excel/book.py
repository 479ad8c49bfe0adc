"""The workbook itself: its shared cell formats, typed cells, frozen and filtered headers, and band colours
that follow the scoring engine's thresholds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlsxwriter

from checklists.i18n import _
from reports.theme import BAND_COLOURS, BAND_TEXT_COLOURS, INK, NO_SCORE_COLOUR
from scoring.engine import BAND_THRESHOLDS, Band

__all__ = ["DATE_FORMAT", "MEDIUM", "NARROW", "TEXT", "WIDE", "Book", "excel_date", "write_cell"]

HEADER_FILL = "#E4E7EB"
DATE_FORMAT = "d mmm yyyy"  # Excel shows the month in the reader's own Excel language
# Column widths in characters: enough for typical values without hiding the next column.
NARROW, MEDIUM, WIDE, TEXT = 9, 16, 28, 60


class Book:
    """The workbook with its shared cell formats."""

    def __init__(self, path: Path) -> None:
        # constant_memory streams each row to disk as it is written: a workbook of a thousand rooms
        # (a hundred thousand responses) stays fast and small in memory.
        self.book = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "default_date_format": DATE_FORMAT,
            },
        )
        add = self.book.add_format
        self.header = add(
            {"bold": True, "bg_color": HEADER_FILL, "font_color": INK, "bottom": 1, "text_wrap": True, "valign": "top"}
        )
        self.date = add({"num_format": DATE_FORMAT, "align": "left"})
        self.score = add({"num_format": "0.0"})
        self.item_score = add({"num_format": "0.000"})
        self.percent = add({"num_format": "0%"})
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.title = add({"bold": True, "font_size": 14})
        self.bold = add({"bold": True})
        self.bands = {
            band.value: add({"bg_color": BAND_COLOURS[band.value], "font_color": BAND_TEXT_COLOURS[band.value]})
            for band in Band
        }
        self.no_score = add({"bg_color": NO_SCORE_COLOUR})

    def sheet(self, name: str, headings: Sequence[str], widths: Sequence[int]) -> Any:
        """A new sheet with its bold header row and column widths; the name and headings are given in
        English (marked with N_) and written in the report's language."""
        sheet = self.book.add_worksheet(_(name))
        for column, (heading, width) in enumerate(zip(headings, widths, strict=True)):
            sheet.set_column(column, column, width)
            sheet.write_string(0, column, _(heading), self.header)
        sheet.set_row(0, 30)
        return sheet

    def finish(self, sheet: Any, rows: int, columns: int, *, freeze_columns: int = 0) -> None:
        """Freeze the header (and the first columns) and filter every column."""
        sheet.freeze_panes(1, freeze_columns)
        sheet.autofilter(0, 0, max(rows, 1), columns - 1)

    def band_colours(self, sheet: Any, first_row: int, last_row: int, column: int) -> None:
        """Colour a column of band letters by band."""
        if last_row < first_row:
            return
        for band in Band:
            sheet.conditional_format(
                first_row,
                column,
                last_row,
                column,
                {"type": "cell", "criteria": "==", "value": f'"{band.value}"', "format": self.bands[band.value]},
            )

    def score_colours(self, sheet: Any, first_row: int, last_row: int, first_column: int, last_column: int) -> None:
        """Colour 0..100 score cells by the band that score reaches (blank cells stay blank)."""
        if last_row < first_row or last_column < first_column:
            return
        area = (first_row, first_column, last_row, last_column)
        thresholds = [t for _, t in BAND_THRESHOLDS]
        ranges = [
            (Band.A, thresholds[0], 100.0),
            (Band.B, thresholds[1], thresholds[0]),
            (Band.C, thresholds[2], thresholds[1]),
        ]
        sheet.conditional_format(*area, {"type": "blanks", "stop_if_true": True, "format": self.book.add_format()})
        for band, low, high in ranges:
            criteria = (
                {"type": "cell", "criteria": ">=", "value": low}
                if band is Band.A
                else {"type": "cell", "criteria": "between", "minimum": low, "maximum": high - 1e-9}
            )
            sheet.conditional_format(*area, {**criteria, "format": self.bands[band.value]})
        sheet.conditional_format(
            *area, {"type": "cell", "criteria": "<", "value": thresholds[2], "format": self.bands[Band.D.value]}
        )


def excel_date(day: dt.date) -> int:
    """A date as Excel's day number (days since 30 Dec 1899), written as a number with a date format."""
    return (day - dt.date(1899, 12, 30)).days


def write_cell(sheet: Any, row: int, column: int, value: Any, book: Book, fmt: Any = None) -> None:
    """One cell with the right type: numbers as numbers, dates as dates, None as a blank cell."""
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, column, value, fmt)
    elif isinstance(value, int | float):
        sheet.write_number(row, column, value, fmt)
    elif isinstance(value, dt.datetime):
        sheet.write_datetime(row, column, value.replace(tzinfo=None), fmt or book.date)
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, column, dt.datetime.combine(value, dt.time()), fmt or book.date)
    else:
        sheet.write_string(row, column, str(value), fmt)
