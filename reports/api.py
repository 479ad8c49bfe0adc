"""One call per download: what the command line and the Reports page use to make a report file.

    build_report(session, user, org_id=1, fmt="pdf", out=Path("clinic.pdf"), progress=show)

checks the destination first (so a bad path fails before any work), gathers and scores the scope
(`collect_report`), then writes the file atomically. Progress runs from 0 to 100 across both steps.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, get_args

from assessments.repository import UserLike
from checklists.i18n import DEFAULT_LANGUAGE, REPORT_LANGUAGES, _, language, using
from checklists.loader import default_catalogue
from checklists.schema import Catalogue
from reports.checklist_pdf import write_blank_checklist
from reports.collect import collect_report
from reports.errors import ReportError
from reports.excel import write_workbook
from reports.output import Progress, check_output_path, no_progress
from reports.pdf import write_pdf_report
from reports.tabular import write_csv, write_json

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # only the store imports SQLAlchemy at run time

__all__ = ["FORMATS", "Format", "build_checklist", "build_report", "suffix_for"]

Format = Literal["pdf", "xlsx", "csv", "json"]
FORMATS: tuple[Format, ...] = get_args(Format)
_SUFFIXES = {"pdf": ".pdf", "xlsx": ".xlsx", "csv": ".csv", "json": ".json"}
# Share of the progress bar taken by gathering and scoring; the rest is writing (charts make PDFs slow).
_COLLECT_SHARE = {"pdf": 15, "xlsx": 60, "csv": 70, "json": 70}


def suffix_for(fmt: Format) -> str:
    """The file extension of a format: 'xlsx' -> '.xlsx'."""
    return _SUFFIXES[fmt]


def _scaled(progress: Progress, start: int, end: int) -> Progress:
    """A progress callback that maps one step's (done, total) onto start..end of 100."""

    def report(done: int, total: int, message: str) -> None:
        share = done / total if total > 0 else 1.0
        progress(start + round((end - start) * min(1.0, max(0.0, share))), 100, message)

    return report


def build_report(
    session: Session,
    user: UserLike,
    *,
    org_id: int,
    site_id: int | None = None,
    room_ids: Sequence[int] | None = None,
    fmt: Format,
    out: Path | str,
    progress: Progress | None = None,
    consultant: str | None = None,
    logo: Path | str | bytes | None = None,
    include_drafts: bool = False,
    locale: str = DEFAULT_LANGUAGE,
) -> Path:
    """Make the report of a scope in one format and write it to `out`; returns the path written.

    `locale` is the reader's language (checklists.i18n.REPORT_LANGUAGES) of a PDF or a workbook: its
    words, the catalogue's, numbers and dates. CSV and JSON are data files and stay in English.

    Raises ReportScopeError (nothing to report, or ids outside the user's organisations),
    ReportOutputError (the file cannot be written; nothing is left behind) or another ReportError;
    each carries a sentence fit to show the user.
    """
    if fmt not in FORMATS:
        raise ReportError(f"unknown report format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if locale not in REPORT_LANGUAGES:
        raise ReportError(f"unknown report language {locale!r}: choose one of {', '.join(REPORT_LANGUAGES)}")
    path = check_output_path(out)
    with using(locale if fmt in ("pdf", "xlsx") else DEFAULT_LANGUAGE):
        _build_report(session, user, org_id, site_id, room_ids, fmt, path, progress, consultant, logo, include_drafts)
    return path


def _build_report(
    session: Session,
    user: UserLike,
    org_id: int,
    site_id: int | None,
    room_ids: Sequence[int] | None,
    fmt: Format,
    path: Path,
    progress: Progress | None,
    consultant: str | None,
    logo: Path | str | bytes | None,
    include_drafts: bool,
) -> None:
    report = progress or no_progress
    share = _COLLECT_SHARE[fmt]
    report(0, 100, _("Gathering the rooms and their assessments"))
    data = collect_report(
        session,
        user,
        org_id=org_id,
        site_id=site_id,
        room_ids=room_ids,
        include_drafts=include_drafts,
        # The workbook shows the notes of each room's latest assessment only; photos are for the PDF.
        notes="latest" if fmt == "xlsx" else "all",
        photos=fmt == "pdf",
        progress=_scaled(report, 0, share),
    )
    writing = _scaled(report, share, 100)
    if fmt == "pdf":
        write_pdf_report(data, path, consultant=consultant, logo=logo, progress=writing, locale=language())
    elif fmt == "xlsx":
        write_workbook(data, path, progress=writing, locale=language())
    elif fmt == "csv":
        write_csv(data, path, progress=writing)
    else:
        write_json(data, path, progress=writing)
    report(100, 100, _("Report written to {path}").format(path=path))


def build_checklist(
    setting: str, room_type: str, out: Path | str, catalogue: Catalogue | None = None, *, locale: str = "en"
) -> Path:
    """Write the blank paper checklist of a room type (default: the shipped catalogue), its words in
    `locale` (English where the locale does not translate them yet, marked)."""
    return write_blank_checklist(catalogue or default_catalogue(), setting, room_type, out, locale=locale)
