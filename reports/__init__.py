"""Reports: the PDF report, the Excel workbook, CSV and JSON exports, the blank paper checklist, and the
plotly charts the dashboard shares with them.

Callers use `build_report` (a scope from the store to a file in one format) or the writers on a
`ReportData` from `collect_report`. Every error a user can cause is a `ReportError` whose message
can be shown as it is.
"""

from __future__ import annotations

from reports.api import FORMATS, Format, build_checklist, build_report, suffix_for
from reports.checklist_pdf import write_blank_checklist
from reports.collect import collect_report
from reports.data import (
    AssessmentReport,
    ItemAnswer,
    Photo,
    PlanEntry,
    ReportData,
    RoomReport,
    SiteReport,
)
from reports.errors import ChartRenderError, ReportError, ReportOutputError, ReportScopeError
from reports.excel import write_workbook
from reports.images import figure_png
from reports.output import Progress
from reports.pdf import write_pdf_report
from reports.tabular import write_csv, write_json

__all__ = [
    "FORMATS",
    "AssessmentReport",
    "ChartRenderError",
    "Format",
    "ItemAnswer",
    "Photo",
    "PlanEntry",
    "Progress",
    "ReportData",
    "ReportError",
    "ReportOutputError",
    "ReportScopeError",
    "RoomReport",
    "SiteReport",
    "build_checklist",
    "build_report",
    "collect_report",
    "figure_png",
    "suffix_for",
    "write_blank_checklist",
    "write_csv",
    "write_json",
    "write_pdf_report",
    "write_workbook",
]
