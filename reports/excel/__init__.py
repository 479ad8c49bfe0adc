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

from checklists.i18n import DEFAULT_LANGUAGE, N_, _, using
from reports.data import ReportData
from reports.excel.book import Book
from reports.excel.calibration import calibration_sheet
from reports.excel.changes import changes_sheets
from reports.excel.details import action_plan_sheet, actions_sheet, criteria_sheet, responses_sheet
from reports.excel.scores import assessments_sheet, rooms_sheet, summary_sheet
from reports.output import Progress, atomic_output, check_output_path, no_progress

__all__ = ["SHEETS", "sheet_names", "write_workbook"]

# The sheets' names in English; the workbook names them in its language (`sheet_names`).
SHEETS = (
    N_("Summary"), N_("Rooms"), N_("Assessments"), N_("Responses"), N_("Changes"), N_("Score changes"),
    N_("Action plan"), N_("Actions"), N_("Calibration"), N_("Criteria"),
)  # fmt: skip


def sheet_names(locale: str = DEFAULT_LANGUAGE) -> tuple[str, ...]:
    """The sheets' names as a workbook in `locale` has them."""
    with using(locale):
        return tuple(_(name) for name in SHEETS)


def write_workbook(
    data: ReportData, out_path: Path | str, progress: Progress | None = None, *, locale: str = DEFAULT_LANGUAGE
) -> Path:
    """Write the report workbook to `out_path` (atomically) and return the path written.

    `locale` is the reader's language: sheet names, headings and words (numbers and dates stay
    numbers and dates, which Excel shows in its own locale). The catalogue's words are those `data`
    was gathered in (see reports.api.build_report)."""
    with using(locale):
        return _write(data, out_path, progress)


def _write(data: ReportData, out_path: Path | str, progress: Progress | None) -> Path:
    path = check_output_path(out_path)
    report = progress or no_progress
    total = len(SHEETS)
    with atomic_output(path) as temporary:
        book = Book(temporary)
        try:
            report(0, total, _("Summary sheet"))
            summary_sheet(book, data)
            report(1, total, _("Rooms sheet"))
            rooms_sheet(book, data)
            report(2, total, _("Assessments sheet"))
            assessments_sheet(book, data)
            report(3, total, _("Responses sheet"))
            responses_sheet(book, data)
            report(4, total, _("Changes sheets"))
            changes_sheets(book, data)
            report(6, total, _("Action plan sheet"))
            action_plan_sheet(book, data)
            report(7, total, _("Actions sheet"))
            actions_sheet(book, data)
            report(8, total, _("Calibration sheet"))
            calibration_sheet(book, data)
            report(9, total, _("Criteria sheet"))
            criteria_sheet(book, data.catalogue)
        finally:
            book.book.close()
    report(total, total, _("Workbook ready"))
    return path
