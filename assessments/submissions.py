"""Importing an offline field round: the submissions of a form from `sensory-audit xlsform`, collected
with ODK Collect or KoboToolbox, become submitted assessments awaiting review.

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

Empty cells are unanswered; "n/a" and "NA" in a number, note or photo cell are read as empty (a
question skipped by the form's logic); the n/a answer is the `na` choice (or its label).

Everything is checked first, every row, and every problem is listed by row (as in a spreadsheet:
the first submission is row 2), column and what is allowed. Only when nothing is wrong is anything
written, all in one transaction. A submission id already imported is skipped, so importing the
same export twice creates nothing new; the summary says how many were skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from assessments.access import _ASSESSORS, Actor, UserLike, _acting, _catalogue, _require, _Scope
from assessments.actions import _check_submitted
from assessments.answers import _clean_note, answer_row_dicts, stored_value
from assessments.audit import _audit, _writing
from assessments.errors import ImportProblems, InvalidAnswer
from assessments.evidence import Photo, new_evidence, prepare_photo
from assessments.models import (
    AnswerRow,
    Assessment,
    AssessmentStatus,
    FieldSubmission,
    Response,
    Room,
    Site,
    User,
    memberships,
    utcnow,
)
from checklists.field_layout import (
    NA_CHOICE,
    NA_LABEL,
    PROVISIONAL_FIELD,
    VISIT_FIELDS,
    FieldRole,
    FormField,
    ItemFields,
    choice_list,
    layout,
)
from checklists.responses import NA, Answer, AnswerError, parse_answer
from checklists.schema import ItemKind, RoomChecklist

__all__ = [
    "MediaSource",
    "SubmissionImport",
    "SubmissionTable",
    "import_submissions",
    "read_kobo_csv",
    "read_odk_zip",
    "read_submission_file",
]

# Columns that may carry the submission id, best first; values may start with "uuid:".
ID_COLUMNS = ("instanceID", "KEY", "_uuid")
_EMPTY_WORDS = frozenset({"", "n/a", "na", "nan", "null"})
MAX_LISTED_ROOMS = 12


# --------------------------------------------------------------------------------------------
# Reading an export
# --------------------------------------------------------------------------------------------


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
        raise ImportProblems(["the file is not UTF-8 text: export it again as CSV (UTF-8)"]) from None


def _table(text: str, delimiter: str, source: str, media: MediaSource) -> SubmissionTable:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportProblems(["the file is empty: expected a header row and one row per submission"]) from None
    except csv.Error as error:
        raise ImportProblems([f"row 1: not valid CSV ({error})"]) from None
    header = [h.strip() for h in header]
    rows: list[dict[str, str]] = []
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            rows.append({h: (cells[n] if n < len(cells) else "") for n, h in enumerate(header)})
    except csv.Error as error:
        raise ImportProblems([f"row {len(rows) + 2}: not valid CSV ({error})"]) from None
    return SubmissionTable(source, header, rows, media)


def read_odk_zip(data: bytes, media: MediaSource | None = None) -> SubmissionTable:
    """An ODK Central "download all" ZIP: the submissions CSV, and the photos under media/."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportProblems(["the file is not a ZIP archive: give the ZIP from ODK Central's download"]) from None
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
        raise ImportProblems(["the ZIP holds no submissions table (<form_id>.csv)"])
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


# --------------------------------------------------------------------------------------------
# Checking every row
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubmissionImport:
    """What an import did: assessments created, submissions skipped as already imported, photos attached."""

    created: int
    already_imported: int
    photos: int
    assessment_ids: tuple[int, ...]

    @property
    def summary(self) -> str:
        if self.created == 0:
            noun = "submission was" if self.already_imported == 1 else "submissions were"
            return f"Nothing new: all {self.already_imported} {noun} imported before."
        text = (
            f"Imported {self.created} submission{'s' if self.created != 1 else ''} as submitted assessments "
            f"awaiting review, with {self.photos} photo{'s' if self.photos != 1 else ''}."
        )
        if self.already_imported:
            text += f" {self.already_imported} imported before were skipped."
        return text


@dataclass
class _Row:
    line: int
    submission_id: str
    assessor: str
    date: dt.date
    room: Room = field(init=False)
    site: Site = field(init=False)
    answers: dict[str, Answer] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    photos: list[tuple[str, str, Photo]] = field(default_factory=list)  # item id, file name, photo
    reason: str | None = None


class _Columns:
    """The export's columns by field name: `lighting-illuminance_1`, `lighting/illuminance_1` or `illuminance_1`."""

    def __init__(self, header: Iterable[str]):
        self.by_name: dict[str, str] = {}
        for column in header:
            name = re.split(r"[/-]", column)[-1]
            self.by_name.setdefault(name, column)

    def get(self, name: str) -> str | None:
        return self.by_name.get(name)


def _empty(value: str) -> bool:
    return value.strip().lower() in _EMPTY_WORDS


def _number(text: str) -> float:
    cleaned = text.strip()
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")  # a decimal comma
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _submission_id(value: str) -> str:
    value = value.strip()
    return value[5:] if value.lower().startswith("uuid:") else value


def _room_id(value: str) -> int | None:
    value = value.strip()
    if value.isdigit():
        return int(value)
    match = re.search(r"\bid (\d+)\s*$", value)  # a labels export: 'Year 3 (Hillview) · id 12'
    return int(match.group(1)) if match else None


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


class _Checker:
    def __init__(self, session: Session, actor: Actor, table: SubmissionTable):
        self.session, self.actor, self.table = session, actor, table
        self.catalogue = _catalogue()
        self.columns = _Columns(table.header)
        self.problems: list[str] = []

    def problem(self, line: int, column: str | None, message: str) -> None:
        self.problems.append(f"row {line}, column {column}: {message}" if column else f"row {line}: {message}")

    def cell(self, row: Mapping[str, str], name: str) -> tuple[str, str]:
        column = self.columns.get(name) or name
        return column, row.get(column, "")

    # -- the form ---------------------------------------------------------------------------

    def form(self) -> tuple[RoomChecklist, list[ItemFields]] | None:
        missing = [name for name in VISIT_FIELDS if self.columns.get(name) is None]
        if not any(self.columns.get(name) for name in ID_COLUMNS):
            missing.append(" or ".join(ID_COLUMNS))
        if missing:
            for name in missing:
                self.problems.append(
                    f"row 1, column {name}: required column is missing (export the submissions of a form from "
                    "`sensory-audit xlsform`, with XML names as headers)"
                )
            return None
        if not self.table.rows:
            self.problems.append("row 2: the file has no submissions")
            return None
        # Another catalogue version's form may have other items, hence other columns: say so first.
        version_column = self.columns.get("catalogue_version") or "catalogue_version"
        for n, row in enumerate(self.table.rows, start=2):
            version = row.get(version_column, "").strip() or "(none)"
            if version != self.catalogue.version:
                self.problem(
                    n,
                    version_column,
                    f"the form was exported for catalogue version {version}; this store uses "
                    f"{self.catalogue.version}: export the form again and collect with it",
                )
        if self.problems:
            return None
        first = self.table.rows[0]
        setting_column, setting = self.cell(first, "setting")
        type_column, room_type = self.cell(first, "room_type")
        if (setting, room_type) not in self.catalogue.checklists:
            self.problem(2, type_column, f"unknown room type {room_type!r} of setting {setting!r}")
            return None
        checklist = self.catalogue.checklist(setting, room_type)
        items = layout(checklist)
        absent = [f.path for fields in items for f in fields.fields if self.columns.get(f.name) is None] + (
            [PROVISIONAL_FIELD] if self.columns.get(PROVISIONAL_FIELD) is None else []
        )
        for path in absent:
            self.problems.append(
                f"row 1, column {path}: required column is missing (the form of a {checklist.room_type_title.lower()} "
                f"has it; was the export made from another form?)"
            )
        for n, row in enumerate(self.table.rows, start=2):
            if row.get(setting_column, "").strip() != setting or row.get(type_column, "").strip() != room_type:
                self.problem(n, type_column, f"every submission must come from the one form of a {room_type} "
                             f"in a {setting}")  # fmt: skip
        return (checklist, items) if not absent else None

    # -- one row ----------------------------------------------------------------------------

    def row(
        self, line: int, row: Mapping[str, str], checklist: RoomChecklist, items: list[ItemFields],
        rooms: Mapping[int, tuple[Room, Site]], submission_id: str,
    ) -> _Row | None:  # fmt: skip
        before = len(self.problems)
        column, room_text = self.cell(row, "room")
        room_id = _room_id(room_text)
        found = rooms.get(room_id) if room_id is not None else None
        if found is None:
            ids = ", ".join(str(i) for i in sorted(rooms)[:MAX_LISTED_ROOMS]) + (
                ", ..." if len(rooms) > MAX_LISTED_ROOMS else ""
            )
            allowed = (
                f"the id of one of your {checklist.room_type_title.lower()} rooms: {ids}"
                if rooms
                else (f"no {checklist.room_type_title.lower()} room of your organisations can take it")
            )
            self.problem(line, column, f"unknown room {room_text.strip() or '(empty)'} (allowed: {allowed})")
        column, assessor = self.cell(row, "assessor")
        if not assessor.strip():
            self.problem(line, column, "the assessor's name is missing")
        column, date_text = self.cell(row, "visit_date")
        date = _date(date_text)
        if date is None:
            self.problem(line, column, f"expected a date such as 2026-11-30, got {date_text.strip() or 'nothing'}")
        result = _Row(line, submission_id, assessor.strip()[:200], date or dt.date.min)
        missing: list[str] = []
        for fields in items:
            self._item(result, row, fields)
            if fields.resolved.item.scored and fields.resolved.item.id not in result.answers:
                missing.append(fields.resolved.item.id)
        column, reason = self.cell(row, PROVISIONAL_FIELD)
        # The reason is kept only for an incomplete assessment, as `submit` does.
        result.reason = (reason.strip() or None) if missing else None
        if missing and result.reason is None:
            shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
            self.problem(line, column, f"{len(missing)} scored items are unanswered ({shown}): the form asks why")
        if found is None or len(self.problems) > before:
            return None
        result.room, result.site = found
        return result

    def _item(self, result: _Row, row: Mapping[str, str], fields: ItemFields) -> None:
        resolved, item = fields.resolved, fields.resolved.item

        def value(form_field: FormField) -> tuple[str, str]:
            return self.cell(row, form_field.name)

        def accept(column: str, raw: object) -> None:
            try:
                result.answers[item.id] = parse_answer(resolved, raw)
            except AnswerError as error:
                self.problem(result.line, column, f"{item.id}: {error}")

        na_fields = fields.of(FieldRole.na)
        na = False
        if na_fields:
            column, text = value(na_fields[0])
            if text.strip() in (NA_CHOICE, NA_LABEL):
                na = True
                accept(column, NA)
            elif not _empty(text):
                self.problem(result.line, column, f"expected {NA_CHOICE} (not applicable) or nothing, got {text!r}")
        if item.kind in (ItemKind.yes_no, ItemKind.choice, ItemKind.rating):
            column, text = value(fields.of(FieldRole.answer)[0])
            if text.strip():
                by_label = {label: name for name, label in choice_list(item)}
                name = by_label.get(text.strip(), text.strip())
                accept(column, int(name) if item.kind is ItemKind.rating and name.isdigit() else name)
        elif item.kind is ItemKind.measurement and not na:
            readings: list[float] = []
            for reading in fields.of(FieldRole.reading):
                column, text = value(reading)
                if _empty(text):
                    continue
                try:
                    number = _number(text)
                except ValueError:
                    self.problem(result.line, column, f"{item.id}: expected a number in {item.unit}, got {text!r}")
                    continue
                try:
                    parse_answer(resolved, [number])
                except AnswerError as error:
                    self.problem(result.line, column, f"{item.id}: {error}")
                    continue
                readings.append(number)
            if readings:
                accept(value(fields.of(FieldRole.reading)[0])[0], readings)
        elif item.kind is ItemKind.flicker and not na:
            (p_column, p_text), (f_column, f_text) = value(fields.of(FieldRole.percent)[0]), value(
                fields.of(FieldRole.frequency)[0])  # fmt: skip
            if _empty(p_text) and _empty(f_text):
                pass
            elif _empty(p_text) or _empty(f_text):
                self.problem(result.line, f_column if _empty(f_text) else p_column,
                             f"{item.id}: give both the percent flicker and its frequency")  # fmt: skip
            else:
                try:
                    percent, frequency = _number(p_text), _number(f_text)
                except ValueError:
                    self.problem(result.line, p_column, f"{item.id}: expected numbers, got {p_text!r} and {f_text!r}")
                else:
                    try:
                        result.answers[item.id] = parse_answer(resolved, {"percent": percent,
                                                                          "frequency_hz": frequency})  # fmt: skip
                    except AnswerError as error:
                        self.problem(result.line, f_column if "frequency" in str(error) else p_column,
                                     f"{item.id}: {error}")  # fmt: skip
        elif item.kind in (ItemKind.text, ItemKind.photo):
            column, text = value(fields.of(FieldRole.answer)[0])
            if not _empty(text):
                accept(column, text.strip())
                if item.kind is ItemKind.photo:
                    self._photo(result, column, item.id, text.strip())
        column, note = value(fields.of(FieldRole.note)[0])
        if not _empty(note):
            try:
                clean = _clean_note(note)
            except InvalidAnswer as error:
                self.problem(result.line, column, str(error))
            else:
                if clean:
                    result.notes[item.id] = clean
        for photo_field in fields.of(FieldRole.photo):
            column, name = value(photo_field)
            if not _empty(name):
                self._photo(result, column, item.id, name.strip())

    def _photo(self, result: _Row, column: str, item_id: str, name: str) -> None:
        read = self.table.media.find(name, result.submission_id)
        if read is None:
            where = "the ZIP's media folder" if self.table.source == "odk" else "the media folder (--media)"
            self.problem(result.line, column, f"the photo {name} is named but is not in {where}")
            return
        try:
            photo = prepare_photo(read())
        except InvalidAnswer as error:
            self.problem(result.line, column, f"the photo {name}: {error}")
            return
        result.photos.append((item_id, name, photo))


# --------------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------------


def _rooms(session: Session, actor: Actor, checklist: RoomChecklist) -> dict[int, tuple[Room, Site]]:
    stmt = select(Room, Site).join(Site, Room.site_id == Site.id)
    stmt = stmt.where(Room.room_type == checklist.room_type, Site.setting == checklist.setting)
    if not actor.sees_everything:  # the same scope as every other read (access._org_filter)
        stmt = stmt.where(Site.organisation_id.in_(sorted(actor.organisation_ids)))
    return {room.id: (room, site) for room, site in session.execute(stmt)}


def _known_ids(session: Session, ids: list[str]) -> set[str]:
    known: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        known |= set(session.scalars(select(FieldSubmission.submission_id).where(
            FieldSubmission.submission_id.in_(chunk))))  # fmt: skip
    return known


def _assessor_ids(session: Session, organisation_ids: set[int]) -> dict[tuple[int, str], int | None]:
    """Members by (organisation, lower-case name); None where two members share a name."""
    rows = session.execute(
        select(memberships.c.organisation_id, User.id, User.name)
        .join(User, User.id == memberships.c.user_id)
        .where(memberships.c.organisation_id.in_(sorted(organisation_ids)), User.active.is_(True))
    )
    found: dict[tuple[int, str], int | None] = {}
    for org, user_id, name in rows:
        key = (int(org), str(name).strip().casefold())
        found[key] = None if key in found else int(user_id)
    return found


def import_submissions(session: Session, user: UserLike, table: SubmissionTable) -> SubmissionImport:
    """Check every submission of an export, then save the new ones as submitted assessments, or nothing.

    Raises ImportProblems listing every problem by row and column; the store is then unchanged.
    Staff, managers and admins may import, into the rooms of their organisations.
    """
    actor = _acting(session, user)
    _require(actor, _ASSESSORS, "import field submissions")
    checker = _Checker(session, actor, table)
    form = checker.form()
    if form is None:
        raise ImportProblems(checker.problems)
    checklist, items = form
    rooms = _rooms(session, actor, checklist)

    ids: list[tuple[int, str, Mapping[str, str]]] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(table.rows, start=2):
        submission_id = ""
        for name in ID_COLUMNS:
            column = checker.columns.get(name)
            if column and row.get(column, "").strip():
                submission_id = _submission_id(row[column])
                break
        if not submission_id:
            checker.problem(line, " or ".join(ID_COLUMNS), "the submission id is missing")
            continue
        if submission_id in seen:
            checker.problem(line, None, f"submission {submission_id} is also in row {seen[submission_id]}")
            continue
        seen[submission_id] = line
        ids.append((line, submission_id, row))
    known = _known_ids(session, [sid for _, sid, _ in ids])
    checked: list[_Row] = []
    for line, submission_id, cells in ids:
        if submission_id in known:
            continue
        result = checker.row(line, cells, checklist, items, rooms, submission_id)
        if result is not None:
            checked.append(result)
    if checker.problems:
        raise ImportProblems(checker.problems)
    if not checked:
        return SubmissionImport(0, len(known), 0, ())
    form_id_column = checker.columns.get("form_version")
    with _writing(session):
        actor = _acting(session, user)
        created = _write(session, actor, checked, table, form_id_column)
    return SubmissionImport(len(created), len(known), sum(len(r.photos) for r in checked), tuple(created))


def _write(
    session: Session, actor: Actor, rows: list[_Row], table: SubmissionTable, version_column: str | None
) -> list[int]:
    catalogue = _catalogue()
    now = utcnow()
    # Two imports of the same export at once: the unique submission id refuses the second one's rows.
    if _known_ids(session, [r.submission_id for r in rows]):
        raise ImportProblems(["these submissions were imported a moment ago by someone else; import again to check"])
    assessors = _assessor_ids(session, {r.site.organisation_id for r in rows})
    assessments: list[Assessment] = []
    for r in rows:
        assessment = Assessment(
            room_id=r.room.id,
            assessor_id=assessors.get((r.site.organisation_id, r.assessor.casefold())),
            assessor=r.assessor,
            assessed_on=r.date,
            status=AssessmentStatus.submitted,
            catalogue_version=catalogue.version,
            provisional_reason=r.reason,
            submitted_at=now,
            created_at=now,
            updated_at=now,
        )  # fmt: skip
        session.add(assessment)
        assessments.append(assessment)
    session.flush()
    response_rows: list[dict[str, Any]] = []
    answer_rows: list[dict[str, Any]] = []
    submission_rows: list[dict[str, Any]] = []
    for assessment, r in zip(assessments, rows, strict=True):
        for item_id in sorted(set(r.answers) | set(r.notes)):
            answer = r.answers.get(item_id)
            response_rows.append({
                "assessment_id": assessment.id, "item_id": item_id,
                "value": None if answer is None else stored_value(answer), "na": answer == NA,
                "note": r.notes.get(item_id), "answered_by_id": actor.id, "answered_at": now,
            })  # fmt: skip
            if answer is not None:
                answer_rows.extend(answer_row_dicts(assessment.id, item_id, answer))
        for item_id, name, photo in r.photos:
            new_evidence(session, assessment_id=assessment.id, item_id=item_id, file_name=name, photo=photo,
                         uploaded_by_id=actor.id, uploaded_at=now)  # fmt: skip
        version = table.rows[r.line - 2].get(version_column or "", "").strip() or None
        submission_rows.append({
            "submission_id": r.submission_id, "assessment_id": assessment.id, "source": table.source,
            "form_version": version, "imported_by_id": actor.id, "imported_at": now,
        })  # fmt: skip
        _audit(session, actor, r.site.organisation_id, "import", "assessments", assessment.id, None,
               {"room_id": r.room.id, "status": AssessmentStatus.submitted.value, "submission_id": r.submission_id,
                "source": table.source, "answers": len(r.answers), "photos": len(r.photos)})  # fmt: skip
    if response_rows:
        session.execute(insert(Response), response_rows)
    if answer_rows:
        session.execute(insert(AnswerRow), answer_rows)
    session.execute(insert(FieldSubmission), submission_rows)
    session.flush()
    # Submitted field visits verify or reopen the rooms' actions as a submission on the tablet does.
    for assessment, r in sorted(zip(assessments, rows, strict=True), key=lambda p: (p[0].assessed_on, p[0].id)):
        _check_submitted(session, actor, _Scope(assessment, r.room, r.site))
    return [a.id for a in assessments]
