"""Reading an offline field round's export: the submissions table and its photos, as a `SubmissionTable`.

Two export layouts are read (what was relied on, in our words):

- **ODK Central, "download all" (a ZIP).** The submissions table is `<form_id>.csv`, comma
  separated, with one row per submission: `SubmissionDate` first, then one column per form field
  named by its path inside the form with groups joined by `-` (`lighting-illuminance_1`,
  `meta-instanceID`), then `KEY` (the instance id, `uuid:...`), `SubmitterID`, `SubmitterName`,
  `AttachmentsPresent`, `AttachmentsExpected`, `Status`, `ReviewState`, `DeviceID`, `Edits` and
  `FormVersion`. A repeat group would get its own `<form_id>-<repeat>.csv` with `PARENT_KEY` and
  `KEY`; these forms use none, and such files are ignored. Photos are in the ZIP's `media/` folder,
  and a photo question's cell holds the file name. An unanswered question is an empty cell.
- **KoboToolbox, CSV export** ("XML values and headers"). Separated by `;` by default (a `,` is
  recognised too), every cell quoted; columns named by the field's path with groups joined by `/`
  (`lighting/illuminance_1`), or by the bare name when groups are left out of the headers; then
  `_id`, `_uuid` (the instance id without `uuid:`), `_submission_time`, `_validation_status`,
  `__version__` and more. A choice is its name, or its label in a labels export; a photo is its file
  name (with `<question>_URL` beside it when media links are included, ignored here). The CSV
  export carries only a form's main table, which is why the form keeps readings in fixed slots
  rather than a repeat group. Photos come from the media download, given as a folder.

What the cells mean is checked in `assessments.submission_checks`; saving is `assessments.submissions`.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from assessments.errors import ImportProblems
from checklists.i18n import _

__all__ = ["MediaSource", "SubmissionTable", "read_kobo_csv", "read_odk_zip", "read_submission_file"]


@dataclass
class MediaSource:
    """Photos by file name: the ZIP's media/ folder, or a folder (searched through its subfolders).

    KoboToolbox's media download keeps each submission's files in a folder named by its uuid;
    `find` prefers the file in that folder when a name occurs more than once.
    """

    files: dict[str, list[tuple[str, Callable[[], bytes]]]] = field(default_factory=dict)

    def add(self, path: str, read: Callable[[], bytes]) -> None:
        parts = path.replace("\\", "/").split("/")
        self.files.setdefault(parts[-1], []).append(("/".join(parts[:-1]), read))

    def find(self, name: str, submission_id: str) -> Callable[[], bytes] | None:
        found = self.files.get(name.replace("\\", "/").split("/")[-1])
        if not found:
            return None
        for folder, read in found:
            if submission_id and submission_id in folder:
                return read
        return found[0][1]

    @classmethod
    def of_folder(cls, folder: Path) -> MediaSource:
        media = cls()
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                media.add(str(path.relative_to(folder)), path.read_bytes)
        return media


@dataclass
class SubmissionTable:
    """One export's submissions: the header, the rows (column -> cell) and the photos."""

    source: str  # "odk" or "kobo"
    header: list[str]
    rows: list[dict[str, str]]
    media: MediaSource


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportProblems([_("the file is not UTF-8 text: export it again as CSV (UTF-8)")]) from None


def _table(text: str, delimiter: str, source: str, media: MediaSource) -> SubmissionTable:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportProblems([_("the file is empty: expected a header row and one row per submission")]) from None
    except csv.Error as error:
        raise ImportProblems([_("row {line}: not valid CSV ({error})").format(line=1, error=error)]) from None
    header = [h.strip() for h in header]
    rows: list[dict[str, str]] = []
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            rows.append({h: (cells[n] if n < len(cells) else "") for n, h in enumerate(header)})
    except csv.Error as error:
        raise ImportProblems(
            [_("row {line}: not valid CSV ({error})").format(line=len(rows) + 2, error=error)]
        ) from None
    return SubmissionTable(source, header, rows, media)


def read_odk_zip(data: bytes, media: MediaSource | None = None) -> SubmissionTable:
    """An ODK Central "download all" ZIP: the submissions CSV, and the photos under media/."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportProblems([_("the file is not a ZIP archive: give the ZIP from ODK Central's download")]) from None
    found = media or MediaSource()
    tables: list[tuple[str, str]] = []
    for info in archive.infolist():
        if info.is_dir():
            continue
        name = info.filename
        if name.lower().endswith(".csv") and "/" not in name.strip("/"):
            tables.append((name, _decode(archive.read(info))))
        elif name.startswith("media/") or "/media/" in name:
            found.add(name, lambda info=info: archive.read(info))  # type: ignore[misc]
    # The submissions table is the one without PARENT_KEY (repeat tables have it); these forms have no repeats.
    main = [(n, t) for n, t in tables if "PARENT_KEY" not in t.split("\n", 1)[0]]
    if not main:
        raise ImportProblems([_("the ZIP holds no submissions table (<form_id>.csv)")])
    main.sort(key=lambda pair: len(pair[0]))
    return _table(main[0][1], ",", "odk", found)


def read_kobo_csv(data: bytes, media: MediaSource | None = None) -> SubmissionTable:
    """A KoboToolbox CSV export (`;` or `,` separated)."""
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    return _table(text, delimiter, "kobo", media or MediaSource())


def read_submission_file(data: bytes, media: MediaSource | None = None) -> SubmissionTable:
    """A ZIP is read as ODK Central's download, anything else as a KoboToolbox CSV export."""
    if data[:4] == b"PK\x03\x04":
        return read_odk_zip(data, media)
    return read_kobo_csv(data, media)
