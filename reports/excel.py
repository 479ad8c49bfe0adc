"""The Excel workbook of a report, for people who sort, filter and chart the results themselves.

Sheets: Summary (what the workbook covers), Rooms (each room's latest score per category and
principle, band, completeness), Assessments (every assessment, for trends), Responses (every answer
in long form), Action plan (every fix in priority order) and Criteria (the catalogue). Numbers are
stored as numbers and dates as dates; headers are frozen and filtered; bands carry their colour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlsxwriter

from checklists.schema import Catalogue, ItemKind
from reports.data import ReportData, flat_value
from reports.labels import EVIDENCE_GRADES, category_title, item_label, principle_short
from reports.output import Progress, atomic_output, check_output_path, no_progress
from reports.theme import BAND_COLOURS, BAND_TEXT_COLOURS, INK, NO_SCORE_COLOUR
from scoring.engine import BAND_LABELS, BAND_THRESHOLDS, Band

__all__ = ["SHEETS", "write_workbook"]

SHEETS = ("Summary", "Rooms", "Assessments", "Responses", "Action plan", "Criteria")
HEADER_FILL = "#E4E7EB"
DATE_FORMAT = "d mmm yyyy"
# Column widths in characters: enough for typical values without hiding the next column.
NARROW, MEDIUM, WIDE, TEXT = 9, 16, 28, 60


class _Book:
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
        sheet = self.book.add_worksheet(name)
        for column, (heading, width) in enumerate(zip(headings, widths, strict=True)):
            sheet.set_column(column, column, width)
            sheet.write_string(0, column, heading, self.header)
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


def write_workbook(data: ReportData, out_path: Path | str, progress: Progress | None = None) -> Path:
    """Write the report workbook to `out_path` (atomically) and return the path written."""
    path = check_output_path(out_path)
    report = progress or no_progress
    total = len(SHEETS)
    with atomic_output(path) as temporary:
        book = _Book(temporary)
        try:
            report(0, total, "Summary sheet")
            _summary(book, data)
            report(1, total, "Rooms sheet")
            _rooms(book, data)
            report(2, total, "Assessments sheet")
            _assessments(book, data)
            report(3, total, "Responses sheet")
            _responses(book, data)
            report(4, total, "Action plan sheet")
            _action_plan(book, data)
            report(5, total, "Criteria sheet")
            _criteria(book, data.catalogue)
        finally:
            book.book.close()
    report(total, total, "Workbook ready")
    return path


def _summary(book: _Book, data: ReportData) -> None:
    sheet = book.book.add_worksheet("Summary")
    sheet.set_column(0, 0, WIDE)
    sheet.set_column(1, 1, TEXT)
    sheet.write_string(0, 0, "Sensory and trauma-informed environment report", book.title)
    period = data.period
    rows: list[tuple[str, Any]] = [
        ("Organisation", data.organisation_name),
        ("Scope", data.scope),
        ("Sites", "; ".join(s.name for s in data.sites)),
        ("Rooms in scope", len(data.rooms)),
        ("Rooms assessed", len(data.assessed_rooms)),
        ("Assessments", len(data.assessments)),
        ("First assessment", period[0] if period else ""),
        ("Last assessment", period[1] if period else ""),
        ("Assessed by", ", ".join(data.assessors)),
        ("Criteria", f"{data.catalogue.title}, version {data.catalogue.version}"),
        (
            "Based on",
            "each room's latest "
            + ("assessment, drafts included" if data.include_drafts else "submitted or reviewed assessment"),
        ),
        ("Generated", data.generated_at.date()),
    ]
    for band in Band:
        count = sum(1 for r in data.assessed_rooms if r.score is not None and r.score.band == band.value)
        rows.append((f"Rooms in band {band.value} ({BAND_LABELS[band]})", count))
    row = 2
    for label, value in rows:
        sheet.write_string(row, 0, label, book.bold)
        _write(sheet, row, 1, value, book)
        row += 1
    row += 1
    sheet.write_string(row, 0, "Sheets", book.bold)
    for name, about in (
        ("Rooms", "one row per room: its latest score, band and completeness, per category and principle"),
        ("Assessments", "one row per assessment, oldest first: how each room's scores changed"),
        ("Responses", "every answer of each room's latest assessment, one row per item, with score and note"),
        ("Action plan", "every fix in priority order: failed critical items first, then gain per effort"),
        ("Criteria", "the checklist catalogue: questions, how they score, sources and evidence grades"),
    ):
        row += 1
        sheet.write_string(row, 0, name)
        sheet.write_string(row, 1, about)
    row += 2
    sheet.write_string(row, 0, "Scores run from 0 to 100 (item scores from 0 to 1); blank means no score.")
    row += 1
    sheet.write_string(row, 0, "The answers of earlier assessments are in the CSV and JSON exports of this report.")


def excel_date(day: dt.date) -> int:
    """A date as Excel's day number (days since 30 Dec 1899), written as a number with a date format."""
    return (day - dt.date(1899, 12, 30)).days


def _write(sheet: Any, row: int, column: int, value: Any, book: _Book, fmt: Any = None) -> None:
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


def _score_columns(catalogue: Catalogue) -> tuple[list[str], list[str]]:
    return [c.id for c in catalogue.categories], [p.id for p in catalogue.principles]


def _rooms(book: _Book, data: ReportData) -> None:
    catalogue = data.catalogue
    categories, principles = _score_columns(catalogue)
    headings = [
        "Site",
        "Room",
        "Room type",
        "Floor",
        "Capacity",
        "Assessment id",
        "Assessed on",
        "Assessor",
        "Status",
        "Overall",
        "Band",
        "Band meaning",
        "Completeness",
        "Provisional",
        "Critical items failed",
        "Failed critical item ids",
        "Items not answered",
    ]
    headings += [category_title(catalogue, c) for c in categories]
    headings += [f"Principle: {principle_short(p)}" for p in principles]
    widths = [
        WIDE,
        WIDE,
        MEDIUM,
        6,
        NARROW,
        NARROW,
        12,
        MEDIUM,
        NARROW,
        NARROW,
        6,
        MEDIUM,
        12,
        11,
        NARROW,
        WIDE,
        NARROW,
    ] + [14] * (len(categories) + len(principles))
    sheet = book.sheet("Rooms", headings, widths)
    overall_column = headings.index("Overall")
    band_column = headings.index("Band")
    first_score = headings.index(category_title(catalogue, categories[0])) if categories else len(headings)
    row = 0
    for room in data.rooms:
        row += 1
        latest = room.latest
        values: list[Any] = [room.site_name, room.name, room.room_type_title, room.floor, room.capacity]
        if latest is None:
            values += [None, None, None, "not assessed"]
        else:
            score = latest.score
            band = None if score.band is None else str(score.band)
            values += [
                latest.id,
                latest.assessed_on,
                latest.assessor,
                latest.status,
                score.overall,
                band,
                BAND_LABELS[Band(band)] if band else None,
                score.completeness,
                score.provisional,
                len(score.critical_failures),
                ", ".join(score.critical_failures) or None,
                len(score.missing),
            ]
            values += [score.categories[c].score if c in score.categories else None for c in categories]
            values += [score.principles.get(p) for p in principles]
        for column, value in enumerate(values):
            fmt = None
            if column == overall_column or column >= first_score:
                fmt = book.score
            elif headings[column] == "Completeness":
                fmt = book.percent
            _write(sheet, row, column, value, book, fmt)
    book.band_colours(sheet, 1, row, band_column)
    book.score_colours(sheet, 1, row, overall_column, overall_column)
    book.score_colours(sheet, 1, row, first_score, len(headings) - 1)
    book.finish(sheet, row, len(headings), freeze_columns=2)


def _assessments(book: _Book, data: ReportData) -> None:
    catalogue = data.catalogue
    categories, principles = _score_columns(catalogue)
    headings = [
        "Site",
        "Room",
        "Room id",
        "Assessment id",
        "Assessed on",
        "Assessor",
        "Status",
        "Latest",
        "Overall",
        "Band",
        "Completeness",
        "Provisional",
        "Provisional reason",
        "Critical items failed",
    ]
    headings += [category_title(catalogue, c) for c in categories]
    headings += [f"Principle: {principle_short(p)}" for p in principles]
    widths = [WIDE, WIDE, NARROW, NARROW, 12, MEDIUM, NARROW, 8, NARROW, 6, 12, 11, WIDE, NARROW]
    widths += [14] * (len(categories) + len(principles))
    sheet = book.sheet("Assessments", headings, widths)
    first_score = 14
    row = 0
    for room in data.rooms:
        for assessment in room.assessments:
            row += 1
            score = assessment.score
            values: list[Any] = [
                room.site_name,
                room.name,
                room.id,
                assessment.id,
                assessment.assessed_on,
                assessment.assessor,
                assessment.status,
                assessment is room.latest,
                score.overall,
                None if score.band is None else str(score.band),
                score.completeness,
                score.provisional,
                assessment.provisional_reason,
                len(score.critical_failures),
            ]
            values += [score.categories[c].score if c in score.categories else None for c in categories]
            values += [score.principles.get(p) for p in principles]
            for column, value in enumerate(values):
                fmt = book.score if column == 8 or column >= first_score else book.percent if column == 10 else None
                _write(sheet, row, column, value, book, fmt)
    book.band_colours(sheet, 1, row, 9)
    book.score_colours(sheet, 1, row, 8, 8)
    book.score_colours(sheet, 1, row, first_score, len(headings) - 1)
    book.finish(sheet, row, len(headings), freeze_columns=2)


def _responses(book: _Book, data: ReportData) -> None:
    """Every answer of each room's latest assessment, one row per checklist item.

    Earlier assessments appear in the Assessments sheet with their scores; their answers are in the
    CSV and JSON exports (a workbook of a thousand rooms with their whole history would hold
    hundreds of thousands of rows and take minutes to write and to open).
    """
    headings = (
        "Site|Room|Assessment id|Assessed on|Category|Item id|Item|Answer|Value|Unit|Status|Score (0 to 1)|Weight|"
        "Failed critical|Note"
    )
    widths = [WIDE, WIDE, NARROW, 12, MEDIUM, WIDE, WIDE, WIDE, 12, 7, 14, NARROW, 7, 9, TEXT]
    sheet = book.sheet("Responses", headings.split("|"), widths)
    titles = {c.id: c.title for c in data.catalogue.categories}
    labels = {i.id: item_label(i.id) for i in data.catalogue.items}
    row = 0
    # Bound methods and plain loops: this sheet holds most of a workbook's cells.
    write_string, write_number, write_boolean = sheet.write_string, sheet.write_number, sheet.write_boolean
    for room in data.rooms:
        assessment = room.latest
        if assessment is None:
            continue
        when = excel_date(assessment.assessed_on)
        for item in assessment.items:
            row += 1
            write_string(row, 0, room.site_name)
            write_string(row, 1, room.name)
            write_number(row, 2, assessment.id)
            write_number(row, 3, when, book.date)
            write_string(row, 4, titles[item.category])
            write_string(row, 5, item.item_id)
            write_string(row, 6, labels[item.item_id])
            write_string(row, 7, item.answer_text)
            value = flat_value(item)
            if isinstance(value, float):
                write_number(row, 8, value)
            elif value is not None:
                write_string(row, 8, value)
            if item.unit:
                write_string(row, 9, item.unit)
            write_string(row, 10, item.status)
            if item.score is not None:
                write_number(row, 11, item.score, book.item_score)
            write_number(row, 12, item.weight)
            write_boolean(row, 13, item.failed_critical)
            if item.note:
                write_string(row, 14, item.note)
    book.finish(sheet, row, len(widths), freeze_columns=2)


def _action_plan(book: _Book, data: ReportData) -> None:
    headings = [
        "Rank",
        "Site",
        "Room",
        "Assessment id",
        "Item id",
        "Fix",
        "Category",
        "Gain (points)",
        "Effort",
        "Critical item",
        "Failed critical",
        "How to fix",
    ]
    widths = [6, WIDE, WIDE, NARROW, WIDE, WIDE, MEDIUM, NARROW, 8, 9, 9, TEXT]
    sheet = book.sheet("Action plan", headings, widths)
    titles = {c.id: c.title for c in data.catalogue.categories}
    labels = {i.id: item_label(i.id) for i in data.catalogue.items}
    write_string, write_number, write_boolean = sheet.write_string, sheet.write_number, sheet.write_boolean
    row = 0
    for entry in data.action_plan:
        row += 1
        write_number(row, 0, entry.rank)
        write_string(row, 1, entry.site_name)
        write_string(row, 2, entry.room_name)
        write_number(row, 3, entry.assessment_id)
        write_string(row, 4, entry.item_id)
        write_string(row, 5, labels[entry.item_id])
        write_string(row, 6, titles[entry.category])
        write_number(row, 7, entry.gain, book.score)
        write_string(row, 8, entry.effort)
        write_boolean(row, 9, entry.critical)
        write_boolean(row, 10, entry.failed_critical)
        write_string(row, 11, entry.how_to_fix)
    book.finish(sheet, row, len(headings), freeze_columns=3)


def _criteria(book: _Book, catalogue: Catalogue) -> None:
    headings = [
        "Item id",
        "Category",
        "Question",
        "Kind",
        "How it scores",
        "Default target",
        "Effort",
        "Principles",
        "Critical",
        "May be n/a",
        "Module",
        "Evidence grade",
        "Evidence grade meaning",
        "Source",
        "Evidence note",
        "Guidance",
        "How to fix",
    ]
    widths = [WIDE, MEDIUM, TEXT, 11, TEXT, WIDE, 8, WIDE, 8, 9, 9, 9, WIDE, TEXT, TEXT, TEXT, TEXT]
    sheet = book.sheet("Criteria", headings, widths)
    titles = {c.id: c.title for c in catalogue.categories}
    row = 0
    for item in catalogue.items:
        row += 1
        values: list[Any] = [
            item.id,
            titles.get(item.category, item.category),
            item.question,
            item.kind.value,
            _scoring_words(item.id, catalogue),
            item.target.describe() if item.target else None,
            item.effort.value,
            ", ".join(item.principles),
            item.critical,
            item.allow_na,
            item.module.value,
            item.evidence.value,
            EVIDENCE_GRADES[item.evidence.value],
            " ".join(item.source.split()),
            " ".join((item.evidence_note or "").split()) or None,
            " ".join(item.guidance.split()),
            " ".join(item.how_to_fix.split()),
        ]
        for column, value in enumerate(values):
            _write(sheet, row, column, value, book)
    book.finish(sheet, row, len(headings), freeze_columns=1)


def _scoring_words(item_id: str, catalogue: Catalogue) -> str:
    item = catalogue.item(item_id)
    if item.kind is ItemKind.yes_no:
        return f"{'yes' if item.good_answer else 'no'} scores 1, otherwise 0"
    if item.kind is ItemKind.choice:
        return "; ".join(f"{o.value} ({o.label}) scores {o.score:g}" for o in item.options or ())
    if item.kind is ItemKind.rating:
        return "0 to 4, a quarter per level: " + "; ".join(f"{n}: {t}" for n, t in enumerate(item.levels or []))
    if item.kind is ItemKind.measurement:
        return "1 inside the ideal range, 0 beyond the limit, in proportion between; the room profile sets the target"
    if item.kind is ItemKind.flicker:
        return "IEEE 1789-2015 regions: no risk 1, low risk 0.5, high risk 0"
    return "not scored (evidence)"
