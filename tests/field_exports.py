"""Build, from an exported XLSForm, the exports the field tools would give back for it.

`odk_zip` writes ODK Central's "download all" ZIP (`<form_id>.csv` with `-`-joined group paths,
`SubmissionDate` first and Central's columns after the fields, photos under `media/`);
`kobo_csv` writes KoboToolbox's CSV export (`;`-separated, every cell quoted, `/`-joined paths,
`_uuid` and Kobo's other columns, a `_URL` column beside each photo). The columns come from the
form's survey sheet, so a test exercises exactly the form a user would upload.
"""

from __future__ import annotations

import csv
import io
import uuid
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook

from checklists.field_layout import NA_CHOICE, FieldRole, layout
from checklists.schema import ItemKind, RoomChecklist


@dataclass(frozen=True)
class FormColumn:
    path: tuple[str, ...]  # groups, then the field name
    type: str
    calculation: str
    labels: Mapping[str, str] = field(default_factory=dict)  # a choice's name -> its label

    @property
    def name(self) -> str:
        return self.path[-1]


def form_columns(xlsx: bytes) -> list[FormColumn]:
    """Every data field of the form's survey sheet, in order, with its group path (what exports carry)."""
    book = load_workbook(io.BytesIO(xlsx), read_only=True)
    lists: dict[str, dict[str, str]] = {}
    # list_name, name, then the label in the default language (English), then the other languages'.
    for list_name, name, label, *_languages in list(book["choices"].iter_rows(values_only=True))[1:]:
        lists.setdefault(str(list_name), {})[str(name)] = str(label)
    rows = list(book["survey"].iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    groups: list[str] = []
    columns = []
    for raw in rows[1:]:
        row = {h: ("" if v is None else str(v)) for h, v in zip(header, raw, strict=False)}
        kind = row["type"].strip()
        if kind in ("begin_group", "begin group"):
            groups.append(row["name"])
        elif kind in ("end_group", "end group"):
            groups.pop()
        elif kind and kind != "note":
            words = kind.split()
            choices = lists.get(words[1], {}) if len(words) > 1 else {}
            columns.append(FormColumn((*groups, row["name"]), words[0], row.get("calculation", ""), choices))
    columns.append(FormColumn(("meta", "instanceID"), "calculate", ""))
    return columns


@dataclass
class Submission:
    """One filled form: the room, assessor, date, answers in assessment-file form, notes and photos."""

    room_id: int
    answers: Mapping[str, Any]
    assessor: str = "Field Assessor"
    date: str = "2026-11-30"
    notes: Mapping[str, str] = field(default_factory=dict)
    photos: Mapping[str, tuple[str, bytes]] = field(default_factory=dict)  # item id -> (file name, bytes)
    reason: str = ""
    instance_id: str = field(default_factory=lambda: f"uuid:{uuid.uuid4()}")
    # Cells to overwrite after the answers are placed: field name -> text.
    override: Mapping[str, str] = field(default_factory=dict)


def field_values(checklist: RoomChecklist, submission: Submission) -> dict[str, str]:
    """The cell of every field of the form for one submission, as Collect would record it."""
    values: dict[str, str] = {
        "room": str(submission.room_id),
        "assessor": submission.assessor,
        "visit_date": submission.date,
        "provisional_reason": submission.reason,
    }
    for fields in layout(checklist):
        item = fields.resolved.item
        raw = submission.answers.get(item.id)
        na = isinstance(raw, str) and raw in ("n/a", "na")
        if fields.of(FieldRole.na) and na:
            values[fields.of(FieldRole.na)[0].name] = NA_CHOICE
        elif item.kind is ItemKind.measurement and raw is not None:
            readings = raw if isinstance(raw, list) else [raw]
            for slot, reading in zip(fields.of(FieldRole.reading), readings, strict=False):
                values[slot.name] = f"{reading:g}" if isinstance(reading, float) else str(reading)
        elif item.kind is ItemKind.flicker and isinstance(raw, Mapping):
            values[fields.of(FieldRole.percent)[0].name] = str(raw["percent"])
            values[fields.of(FieldRole.frequency)[0].name] = str(raw["frequency_hz"])
        elif raw is not None and fields.of(FieldRole.answer):
            text = NA_CHOICE if na else ("yes" if raw is True else "no" if raw is False else str(raw))
            values[fields.of(FieldRole.answer)[0].name] = text
        if item.id in submission.notes:
            values[fields.of(FieldRole.note)[0].name] = submission.notes[item.id]
        if item.id in submission.photos and fields.of(FieldRole.photo):
            values[fields.of(FieldRole.photo)[0].name] = submission.photos[item.id][0]
    values.update(submission.override)
    return values


def _row(columns: Sequence[FormColumn], values: Mapping[str, str], submission: Submission) -> list[str]:
    out = []
    for column in columns:
        if column.type == "calculate":
            out.append(submission.instance_id if column.name == "instanceID" else column.calculation.strip("'"))
        else:
            out.append(values.get(column.name, ""))
    return out


def odk_zip(
    xlsx: bytes, form_id: str, checklist: RoomChecklist, submissions: Sequence[Submission],
    *, drop_columns: Sequence[str] = (), drop_media: Sequence[str] = (),
) -> bytes:  # fmt: skip
    """ODK Central's "download all" ZIP for these submissions."""
    columns = [c for c in form_columns(xlsx) if c.name not in drop_columns]
    tail = ["KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected", "Status",
            "ReviewState", "DeviceID", "Edits", "FormVersion"]  # fmt: skip
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["SubmissionDate", *("-".join(c.path) for c in columns), *tail])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for submission in submissions:
            values = field_values(checklist, submission)
            photos = [p for p in submission.photos.values() if p[0] not in drop_media]
            writer.writerow(["2026-11-30T16:20:00.000Z", *_row(columns, values, submission), submission.instance_id,
                             "7", "tablet-1", len(photos), len(submission.photos), "", "", "collect:abc", "0",
                             columns[1].calculation.strip("'")])  # fmt: skip
            for name, content in photos:
                archive.writestr(f"media/{name}", content)
        archive.writestr(f"{form_id}.csv", text.getvalue())
    return out.getvalue()


def kobo_csv(
    xlsx: bytes, checklist: RoomChecklist, submissions: Sequence[Submission], *, labels: bool = False,
    groups: bool = True,
) -> bytes:  # fmt: skip
    """KoboToolbox's CSV export ("XML values and headers") for these submissions; with `labels`,
    choices are written as their labels, as an export with labels as values shows them; without
    `groups`, headers are bare field names (Kobo's "include groups in headers" left off)."""
    columns = [c for c in form_columns(xlsx) if c.path != ("meta", "instanceID")]
    header: list[str] = []
    for c in columns:
        name = "/".join(c.path) if groups else c.name
        header.append(name)
        if c.type == "image":
            header.append(name + "_URL")
    tail = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by",
            "__version__", "_tags", "_index"]  # fmt: skip
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([*header, *tail])
    for n, submission in enumerate(submissions, start=1):
        values = field_values(checklist, submission)
        cells: list[str] = []
        for column, value in zip(columns, _row(columns, values, submission), strict=True):
            cells.append(column.labels.get(value, value) if labels and column.type == "select_one" else value)
            if column.type == "image":
                cells.append(f"https://kf.kobotoolbox.org/media/original?media_file={value}" if value else "")
        plain = submission.instance_id.removeprefix("uuid:")
        writer.writerow([*cells, str(1000 + n), plain, "2026-11-30T16:20:00", "", "", "submitted_via_web",
                         "field", "vAbCdEf", "", str(n)])  # fmt: skip
    return text.getvalue().encode("utf-8")
