"""The Excel workbook of a report, for people who sort, filter and chart the results themselves.

Sheets: Summary (what the workbook covers), Rooms (each room's latest score per category and
principle, band, completeness), Assessments (every assessment, for trends), Responses (every answer
in long form), Changes and Score changes (each room's latest assessment against the one before),
Action plan (every fix in priority order), Actions (fixes taken on, who owns them, and which a later
assessment verified), Calibration (how closely assessors agree) and Criteria (the catalogue). Numbers
are stored as numbers and dates as dates; headers are frozen and filtered; bands carry their colour.
"""

from __future__ import annotations

from pathlib import Path

from reports.data import ReportData
from reports.excel.book import Book
from reports.excel.calibration import calibration_sheet
from reports.excel.changes import changes_sheets
from reports.excel.details import action_plan_sheet, actions_sheet, criteria_sheet, responses_sheet
from reports.excel.scores import assessments_sheet, rooms_sheet, summary_sheet
from reports.output import Progress, atomic_output, check_output_path, no_progress

__all__ = ["SHEETS", "write_workbook"]

SHEETS = (
    "Summary", "Rooms", "Assessments", "Responses", "Changes", "Score changes", "Action plan", "Actions",
    "Calibration", "Criteria",
)  # fmt: skip


def write_workbook(data: ReportData, out_path: Path | str, progress: Progress | None = None) -> Path:
    """Write the report workbook to `out_path` (atomically) and return the path written."""
    path = check_output_path(out_path)
    report = progress or no_progress
    total = len(SHEETS)
    with atomic_output(path) as temporary:
        book = Book(temporary)
        try:
            report(0, total, "Summary sheet")
            summary_sheet(book, data)
            report(1, total, "Rooms sheet")
            rooms_sheet(book, data)
            report(2, total, "Assessments sheet")
            assessments_sheet(book, data)
            report(3, total, "Responses sheet")
            responses_sheet(book, data)
            report(4, total, "Changes sheets")
            changes_sheets(book, data)
            report(6, total, "Action plan sheet")
            action_plan_sheet(book, data)
            report(7, total, "Actions sheet")
            actions_sheet(book, data)
            report(8, total, "Calibration sheet")
            calibration_sheet(book, data)
            report(9, total, "Criteria sheet")
            criteria_sheet(book, data.catalogue)
        finally:
            book.book.close()
    report(total, total, "Workbook ready")
    return path
