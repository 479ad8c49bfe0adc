"""What the Reports page works out: which scope and options make a file, the file's name, whether an
uploaded logo really is a PNG or JPEG, and making a report in a temporary folder to hand its bytes to
the browser. No Streamlit here: the page draws, this module decides."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import tempfile
import unicodedata
import warnings
from collections.abc import MutableMapping
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from assessments.db import Store
from assessments.repository import UserLike
from checklists.schema import Catalogue
from reports.api import Format, build_checklist, build_report, suffix_for
from reports.output import Progress, no_progress
from reports.pdf.build import MAX_LOGO_BYTES, MAX_LOGO_PIXELS
from ui.i18n import N_, _

__all__ = [
    "FORMAT_NOTES",
    "FORMAT_TITLES",
    "KEEP_FILES",
    "MAX_LOGO_BYTES",
    "MAX_LOGO_PIXELS",
    "MIME_TYPES",
    "ReportFile",
    "ReportRequest",
    "Scope",
    "check_logo",
    "checklist_file_name",
    "make_checklist",
    "make_report",
    "progress_text",
    "remember",
    "report_file_name",
    "slug",
]

FORMAT_TITLES: dict[Format, str] = {"pdf": "PDF", "xlsx": "Excel", "csv": "CSV", "json": "JSON"}
FORMAT_NOTES: dict[Format, str] = {
    "pdf": N_(
        "To read and hand over: a cover, the summary, a page per room with its charts, the action plan "
        "and the method. Takes a few seconds a room."
    ),
    "xlsx": N_("To sort and filter: a workbook with sheets of rooms, scores, answers and the action plan."),
    "csv": N_("For other tools: one row per answer of every assessment in the scope."),
    "json": N_("For other programs: every room, score and answer, in the documented report schema."),
}
MIME_TYPES: dict[Format, str] = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "json": "application/json",
}
# Made files kept per browser session: enough to go back and forth between two formats, while a few
# large PDFs cannot pile up in the server's memory.
KEEP_FILES = 4
# The formats written in the reader's language; CSV and JSON keep one language for every reader.
WORDED: frozenset[Format] = frozenset({"pdf", "xlsx"})
LOGO_FORMATS = {"PNG", "JPEG"}


@dataclass(frozen=True)
class Scope:
    """What a report covers: an organisation, or one of its sites, or chosen rooms of it."""

    org_id: int
    site_id: int | None = None
    room_ids: tuple[int, ...] | None = None


@dataclass(frozen=True)
class ReportRequest:
    """Everything that decides a report file's content; two equal requests give the same file.

    `data_version` moves with every change saved to the store, so a file made before a change is
    never handed out after it. The cover's name and logo only matter to a PDF.
    """

    user_id: int
    scope: Scope
    fmt: Format
    include_drafts: bool
    data_version: int
    consultant: str | None = None
    logo_sha256: str | None = None
    # The reader's language of a PDF or workbook (CSV and JSON are data files, always in English).
    locale: str = "en"

    @classmethod
    def of(
        cls,
        user_id: int,
        scope: Scope,
        fmt: Format,
        *,
        include_drafts: bool,
        data_version: int,
        consultant: str | None = None,
        logo: bytes | None = None,
        locale: str = "en",
    ) -> ReportRequest:
        pdf = fmt == "pdf"
        name = (consultant or "").strip() or None
        return cls(
            user_id=user_id,
            scope=scope,
            fmt=fmt,
            include_drafts=include_drafts,
            data_version=data_version,
            consultant=name if pdf else None,
            logo_sha256=hashlib.sha256(logo).hexdigest() if pdf and logo is not None else None,
            locale=locale if fmt in WORDED else "en",
        )


@dataclass(frozen=True)
class ReportFile:
    name: str
    mime: str
    content: bytes

    @property
    def size_text(self) -> str:
        """'1.5 MB', '84 KB'."""
        size = len(self.content)
        if size >= 1_000_000:
            return f"{size / 1_000_000:.1f} MB"
        return f"{max(1, round(size / 1000))} KB"


def slug(text: str) -> str:
    """A file-name-safe form of a name: 'Riverside Community Health' -> 'riverside-community-health'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "report"


def report_file_name(
    organisation: str,
    fmt: Format,
    day: dt.date,
    *,
    site: str | None = None,
    rooms: int | None = None,
) -> str:
    """'riverside-community-health-2026-11-22.pdf'; a site's name or the number of chosen rooms follows
    the organisation's ('...-riverside-community-clinic-2026-11-22.pdf', '...-3-rooms-2026-11-22.xlsx')."""
    parts = [slug(organisation)]
    if site is not None and slug(site) != parts[0]:
        parts.append(slug(site))
    elif site is not None:
        parts.append("site")
    if rooms is not None:
        parts.append(f"{rooms}-room{'s' if rooms != 1 else ''}")
    return f"{'-'.join(parts)}-{day.isoformat()}{suffix_for(fmt)}"


def checklist_file_name(setting_title: str, room_type_title: str) -> str:
    """'blank-checklist-clinic-waiting-room.pdf'."""
    return f"blank-checklist-{slug(setting_title)}-{slug(room_type_title)}.pdf"


def check_logo(content: bytes) -> str | None:
    """None when `content` is a PNG or JPEG image; else what is wrong, naming the field.

    The content is read, not the file name: a renamed text file or a WebP called logo.png is refused.
    """
    if len(content) > MAX_LOGO_BYTES:
        return _("Logo: the file is larger than {size} MB; choose a smaller one.").format(
            size=MAX_LOGO_BYTES // 1024 // 1024
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                kind = image.format
                pixels = image.width * image.height
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        pixels, kind = MAX_LOGO_PIXELS + 1, "PNG"
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return _("Logo: this file is not an image. Choose a PNG or JPEG file, or leave the logo out.")
    if kind not in LOGO_FORMATS:
        if not kind:
            return _("Logo: this is a different kind of image; the cover takes a PNG or JPEG file.")
        return _("Logo: this is a {kind} image; the cover takes a PNG or JPEG file.").format(kind=kind)
    if pixels > MAX_LOGO_PIXELS:
        return _("Logo: the image has more than {millions} million pixels; choose a smaller one.").format(
            millions=MAX_LOGO_PIXELS // 1_000_000
        )
    return None


def progress_text(message: str) -> str:
    """A progress message as the page shows it: the report's temporary path is nobody's business."""
    if message.startswith("Report written to"):
        return _("Report ready")
    return message


def remember(files: MutableMapping[ReportRequest, ReportFile], request: ReportRequest, made: ReportFile) -> None:
    """Keep a made file for its request, dropping the oldest beyond KEEP_FILES."""
    files.pop(request, None)
    files[request] = made
    while len(files) > KEEP_FILES:
        del files[next(iter(files))]


def make_report(
    store: Store,
    user: UserLike,
    request: ReportRequest,
    file_name: str,
    *,
    logo: bytes | None = None,
    progress: Progress = no_progress,
) -> ReportFile:
    """Make the report file of a request in a temporary folder and read it back; the folder is removed.

    Raises ReportError (with a sentence fit to show) when the scope holds nothing to report.
    """
    scope = request.scope
    with tempfile.TemporaryDirectory(prefix="sensory-audit-report-") as folder, store.session() as session:
        written = build_report(
            session,
            user,
            org_id=scope.org_id,
            site_id=scope.site_id,
            room_ids=scope.room_ids,
            fmt=request.fmt,
            out=Path(folder) / file_name,
            progress=progress,
            consultant=request.consultant,
            logo=logo if request.fmt == "pdf" else None,
            include_drafts=request.include_drafts,
            locale=request.locale,
        )
        content = written.read_bytes()
    return ReportFile(file_name, MIME_TYPES[request.fmt], content)


def make_checklist(catalogue: Catalogue, setting: str, room_type: str, locale: str = "en") -> bytes:
    """The blank paper checklist of a room type as PDF bytes (made in a temporary folder, then removed),
    its questions in `locale`."""
    with tempfile.TemporaryDirectory(prefix="sensory-audit-checklist-") as folder:
        path = Path(folder) / "checklist.pdf"
        written = build_checklist(setting, room_type, path, catalogue=catalogue, locale=locale)
        return written.read_bytes()
