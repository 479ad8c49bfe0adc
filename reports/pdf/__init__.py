"""The PDF report a consultant hands over, built with fpdf2 from a `ReportData`, one module per part of it.

Pages in order: the cover and contents (`cover`), the executive summary (`summary`), per site its rooms
compared (`site`) and then a scorecard per room (`room`), the action plan (`plan`) and the methodology
appendix generated from the catalogue (`methodology`). `document` holds the page chrome and the text and
table styles they all draw with; `charts` draws the dashboard's plotly figures in the background while the
pages are laid out; `build` puts the parts together and writes the file.
"""

from __future__ import annotations

from reports.pdf.build import write_pdf_report
from reports.pdf.document import REPORT_TITLE

__all__ = ["REPORT_TITLE", "write_pdf_report"]
