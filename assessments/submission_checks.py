"""Checking every row of a field round's export against its form, before anything is saved.

Empty cells are unanswered; "n/a" and "NA" in a number, note or photo cell are read as empty (a
question skipped by the form's logic); the n/a answer is the `na` choice (or its label). How one
cell is read (numbers, dates, room and submission ids) is `assessments.submission_cells`.

Every problem is listed by row (as in a spreadsheet: the first submission is row 2), column and what
is allowed; `assessments.submissions` saves the rows only when there is none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from assessments.access import Actor, _catalogue
from assessments.answers import _clean_note
from assessments.catalogue_versions import organisation_catalogue
from assessments.errors import InvalidAnswer
from assessments.evidence import Photo, prepare_photo
from assessments.models import Room, Site
from assessments.submission_cells import (
    ID_COLUMNS,
    NUMBER_FORMAT,
    _Columns,
    _date,
    _empty,
    _not_a_number,
    _number,
    _room_id,
)
from assessments.submission_files import SubmissionTable
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
from checklists.i18n import _, ngettext
from checklists.overrides import parse_override_version
from checklists.responses import NA, Answer, AnswerError, parse_answer
from checklists.schema import ItemKind, RoomChecklist

MAX_LISTED_ROOMS = 12


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


class _Checker:
    def __init__(self, session: Session, actor: Actor, table: SubmissionTable):
        self.session, self.actor, self.table = session, actor, table
        self.catalogue = _catalogue()
        # Set when the form follows an organisation's own criteria (`_organisation_criteria`).
        self.organisation_id: int | None = None
        self.columns = _Columns(table.header)
        self.problems: list[str] = []

    def problem(self, line: int, column: str | None, message: str) -> None:
        if column:
            self.problems.append(
                _("row {line}, column {column}: {problem}").format(line=line, column=column, problem=message)
            )
        else:
            self.problems.append(_("row {line}: {problem}").format(line=line, problem=message))

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
                    _(
                        "row 1, column {column}: required column is missing (export the submissions of a form from "
                        "`sensory-audit xlsform`, with XML names as headers)"
                    ).format(column=name)
                )
            return None
        if not self.table.rows:
            self.problems.append(_("row 2: the file has no submissions"))
            return None
        # Another catalogue version's form may have other items, hence other columns: say so first.
        version_column = self.columns.get("catalogue_version") or "catalogue_version"
        self._organisation_criteria(self.table.rows[0].get(version_column, "").strip())
        for n, row in enumerate(self.table.rows, start=2):
            version = row.get(version_column, "").strip() or _("(none)")
            if version != self.catalogue.version:
                self.problem(
                    n,
                    version_column,
                    _(
                        "the form was exported for catalogue version {version}; this store uses "
                        "{current}: export the form again and collect with it"
                    ).format(version=version, current=self.catalogue.version),
                )
        if self.problems:
            return None
        first = self.table.rows[0]
        setting_column, setting = self.cell(first, "setting")
        type_column, room_type = self.cell(first, "room_type")
        if (setting, room_type) not in self.catalogue.checklists:
            self.problem(
                2,
                type_column,
                _("unknown room type {room_type} of setting {setting}").format(
                    room_type=repr(room_type), setting=repr(setting)
                ),
            )
            return None
        checklist = self.catalogue.checklist(setting, room_type)
        items = layout(checklist)
        absent = [f.path for fields in items for f in fields.fields if self.columns.get(f.name) is None] + (
            [PROVISIONAL_FIELD] if self.columns.get(PROVISIONAL_FIELD) is None else []
        )
        for path in absent:
            self.problems.append(
                _(
                    "row 1, column {column}: required column is missing (the form of a {room_type} "
                    "has it; was the export made from another form?)"
                ).format(column=path, room_type=checklist.room_type_title.lower())
            )
        for n, row in enumerate(self.table.rows, start=2):
            if row.get(setting_column, "").strip() != setting or row.get(type_column, "").strip() != room_type:
                self.problem(
                    n,
                    type_column,
                    _("every submission must come from the one form of a {room_type} in a {setting}").format(
                        room_type=room_type, setting=setting
                    ),
                )
        return (checklist, items) if not absent else None

    def _organisation_criteria(self, version: str) -> None:
        """A form of an organisation with criteria of its own is checked against those criteria
        (its newest version, as the form was exported with); its rooms must be that organisation's."""
        parsed = parse_override_version(version)
        if parsed is not None and self.actor.may_see(parsed.organisation_id):
            self.organisation_id = parsed.organisation_id
            self.catalogue = organisation_catalogue(self.session, parsed.organisation_id, self.catalogue)

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
            room_type = checklist.room_type_title.lower()
            allowed = (
                _("the id of one of your {room_type} rooms: {ids}").format(room_type=room_type, ids=ids)
                if rooms
                else _("no {room_type} room of your organisations can take it").format(room_type=room_type)
            )
            self.problem(
                line,
                column,
                _("unknown room {room} (allowed: {allowed})").format(
                    room=room_text.strip() or _("(empty)"), allowed=allowed
                ),
            )
        column, assessor = self.cell(row, "assessor")
        if not assessor.strip():
            self.problem(line, column, _("the assessor's name is missing"))
        column, date_text = self.cell(row, "visit_date")
        date = _date(date_text)
        if date is None:
            self.problem(
                line,
                column,
                _("expected a date such as 2026-11-30, got {value}").format(value=date_text.strip() or _("nothing")),
            )
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
            shown = ", ".join(missing[:5])
            if len(missing) > 5:
                shown = _("{items} and {count} more").format(items=shown, count=len(missing) - 5)
            # The same words in English whatever the number; other languages need the count.
            said = ngettext(
                "{count} scored items are unanswered ({items}): the form asks why",
                "{count} scored items are unanswered ({items}): the form asks why",
                len(missing),
            )
            self.problem(line, column, said.format(count=len(missing), items=shown))
        if found is not None and self.organisation_id is not None and found[1].organisation_id != self.organisation_id:
            self.problem(
                line,
                column,
                _("room {room_id} is not in the organisation whose criteria the form follows").format(room_id=room_id),
            )
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
                self.problem(
                    result.line,
                    column,
                    _("expected {na} (not applicable) or nothing, got {text}").format(na=NA_CHOICE, text=repr(text)),
                )
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
                except ValueError as error:
                    self.problem(result.line, column, _not_a_number(item.id, item.unit or "", text, error))
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
                self.problem(
                    result.line,
                    f_column if _empty(f_text) else p_column,
                    _("{item}: give both the percent flicker and its frequency").format(item=item.id),
                )
            else:
                try:
                    percent, frequency = _number(p_text), _number(f_text)
                except ValueError:
                    self.problem(
                        result.line,
                        p_column,
                        _("{item}: expected numbers, got {percent} and {frequency}; {how}").format(
                            item=item.id, percent=repr(p_text), frequency=repr(f_text), how=_(NUMBER_FORMAT)
                        ),
                    )
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
            said = (
                _("the photo {name} is named but is not in the ZIP's media folder")
                if self.table.source == "odk"
                else _("the photo {name} is named but is not in the media folder (--media)")
            )
            self.problem(result.line, column, said.format(name=name))
            return
        try:
            photo = prepare_photo(read())
        except InvalidAnswer as error:
            self.problem(result.line, column, _("the photo {name}: {problem}").format(name=name, problem=error))
            return
        result.photos.append((item_id, name, photo))
