"""A room type's checklist as an XLSForm, for offline rounds with ODK Collect or KoboToolbox.

An XLSForm is a workbook with three sheets. `survey` has one row per question (columns `type`,
`name`, `label`, `hint`, `constraint`, `constraint_message`, `required`, `relevant`, `default`,
`calculation`, `appearance`); `begin_group` / `end_group` rows put questions into groups, which
both tools prefix to the column names of their exports. `choices` holds the answer lists that a
`select_one <list>` question names (`list_name`, `name`, `label`). `settings` holds `form_title`,
`form_id`, `version` and `default_language` (here also `catalogue_version`, for people). pyxform, the reference
converter both tools use, turns the workbook into an XForm; the tests convert every form with it
and allow no warnings.

What the form holds (field names from `checklists.field_layout`):

- hidden facts (`calculate`): the catalogue version, the form version, the setting and room type,
  so an import can refuse a form exported for another catalogue version;
- the visit: the room (a list of the organisation's rooms of that type, named by their ids), the
  assessor and the date;
- one group per category, and in it every item of the room type: yes/no and choices as
  `select_one` with the catalogue's labels, 0 to 4 ratings with their level words, readings as
  decimals constrained to the catalogue's physically possible range with the room type's target
  in the hint (six slots, each shown once the previous is filled), flicker as percent and
  frequency, "Not applicable" where the item allows it, a note and a photo;
- a reason, required only when a scored item is left unanswered (as on the Assess screen, where
  an incomplete assessment is submitted with a reason).

The form speaks every language the checklist is translated into (`checklists.translations`):
English, French, Spanish, German and Arabic, as XLSForm language columns (`label::English (en)`,
`label::Français (fr)`, `hint::…`, `constraint_message::…`, and the choices' `label::…`), English
the default. Collect and Kobo offer the assessor the choice. The checklist's words (questions,
guidance, choice labels, rating levels, category titles) come from the translation files; the
form's own words (the visit's questions, the targets in the hints, "Note (optional)") are English
in every column for now. Names and answers' values are the same in every language, so a round's
export is read the same whichever language was used.

The form version is the catalogue version and a digest of the form's content, so the same rooms
and catalogue always give the same version and any change gives a new one (ODK Central asks for
a new version string with every changed form).
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from functools import lru_cache

from openpyxl import Workbook
from sqlalchemy.orm import Session

from assessments import repository
from assessments.errors import StoreError
from assessments.repository import UserLike
from checklists.describe import target_full
from checklists.field_layout import NA_CHOICE, NA_LABEL, PROVISIONAL_FIELD, FieldRole, ItemFields, choice_list, layout
from checklists.schema import Catalogue, ItemKind, ResolvedItem, RoomChecklist
from checklists.translations import DEFAULT_LOCALES_DIR, ENGLISH, language_names, localized
from reports.errors import ReportScopeError

__all__ = ["FieldForm", "FormRoom", "build_xlsform", "field_form", "form_rows", "xlsform_bytes"]

SURVEY_COLUMNS = ("type", "name", "label", "hint", "constraint", "constraint_message", "required", "relevant",
                  "default", "calculation", "appearance", "parameters")  # fmt: skip
CHOICE_COLUMNS = ("list_name", "name", "label")
# The columns written once per language ("label::Français (fr)").
TRANSLATED_COLUMNS = ("label", "hint", "constraint_message")
# Collect shrinks photos on the tablet to the size the store keeps anyway.
PHOTO_PARAMETERS = f"max-pixels={repository.MAX_PHOTO_SIDE}"


@dataclass(frozen=True)
class FormRoom:
    id: int
    name: str
    site: str


@dataclass(frozen=True)
class FieldForm:
    """Everything one form is made of: rows of its three sheets, ready to write."""

    form_id: str
    form_version: str
    title: str
    checklist: RoomChecklist
    survey: list[dict[str, str]]
    choices: list[dict[str, str]]
    settings: dict[str, str]

    @property
    def file_name(self) -> str:
        return f"{self.form_id}.xlsx"


def _room_label(room: FormRoom) -> str:
    return f"{room.name} ({room.site}) · id {room.id}"


def _hint(resolved: ResolvedItem, checklist: RoomChecklist) -> str:
    guidance = " ".join(resolved.item.guidance.split())
    target = target_full(resolved)
    if target is None:
        return guidance
    return f"Target for a {checklist.room_type_title.lower()}: {target}. {guidance}"


def _range(valid: tuple[float | None, float | None] | None, unit: str) -> tuple[str, str]:
    lo, hi = valid or (None, None)
    parts, words = [], []
    if lo is not None:
        parts.append(f". >= {lo:g}")
    if hi is not None:
        parts.append(f". <= {hi:g}")
    if lo is not None and hi is not None:
        words.append(f"{lo:g} to {hi:g} {unit}")
    elif lo is not None:
        words.append(f"at least {lo:g} {unit}")
    elif hi is not None:
        words.append(f"at most {hi:g} {unit}")
    if not parts:
        return "", ""
    return " and ".join(parts), f"Not physically possible: allowed {words[0]}."


def _row(**cells: str) -> dict[str, str]:
    return {key: value for key, value in cells.items() if value}


def _ref(name: str) -> str:
    return "${" + name + "}"


def answered_expression(fields: ItemFields) -> str:
    """An XPath condition that is true when the item has an answer (n/a counts as one)."""
    kind = fields.resolved.item.kind
    if kind is ItemKind.measurement:
        condition = f"{_ref(fields.of(FieldRole.reading)[0].name)} != ''"
    elif kind is ItemKind.flicker:
        percent, frequency = fields.of(FieldRole.percent)[0].name, fields.of(FieldRole.frequency)[0].name
        condition = f"({_ref(percent)} != '' and {_ref(frequency)} != '')"
    else:
        condition = f"{_ref(fields.of(FieldRole.answer)[0].name)} != ''"
    na = fields.of(FieldRole.na)
    if na:
        condition = f"({_ref(na[0].name)} = '{NA_CHOICE}' or {condition})"
    return condition


def _item_rows(fields: ItemFields, checklist: RoomChecklist, choices: list[dict[str, str]]) -> list[dict[str, str]]:
    resolved, item = fields.resolved, fields.resolved.item
    hint = _hint(resolved, checklist)
    rows: list[dict[str, str]] = []
    not_na = ""
    na = fields.of(FieldRole.na)
    if na:
        rows.append(_row(type="select_one na_only", name=na[0].name,
                         label=f"{item.question} Not applicable here?",
                         hint="Choose Not applicable only where the item does not apply to this room; "
                              "otherwise leave this blank and enter the readings."))  # fmt: skip
        not_na = f"{_ref(na[0].name)} != '{NA_CHOICE}'"
    if item.kind in (ItemKind.yes_no, ItemKind.choice, ItemKind.rating):
        list_name = f"{fields.name}_answers"
        options = choice_list(item)
        choices += [{"list_name": list_name, "name": value, "label": label} for value, label in options]
        rows.append(_row(type=f"select_one {list_name}", name=fields.name, label=item.question, hint=hint))
    elif item.kind is ItemKind.measurement:
        unit = item.unit or ""
        constraint, message = _range(item.valid, unit)
        for reading in fields.of(FieldRole.reading):
            relevant = [not_na] if not_na else []
            if reading.slot == 1:
                label, text = f"{item.question} (reading in {unit})", hint
            else:
                label = f"Reading {reading.slot} in {unit} (optional)"
                text = "Another reading, at another position or time; the item scores the mean of its readings."
                relevant.append(f"{_ref(f'{fields.name}_{reading.slot - 1}')} != ''")
            rows.append(_row(type="decimal", name=reading.name, label=label, hint=text, constraint=constraint,
                             constraint_message=message, relevant=" and ".join(relevant)))  # fmt: skip
    elif item.kind is ItemKind.flicker:
        percent, frequency = fields.of(FieldRole.percent)[0], fields.of(FieldRole.frequency)[0]
        rows.append(_row(type="decimal", name=percent.name, label=f"{item.question} Percent flicker (%)", hint=hint,
                         constraint=". >= 0 and . <= 100",
                         constraint_message="Percent flicker is from 0 to 100.", relevant=not_na))  # fmt: skip
        rows.append(_row(type="decimal", name=frequency.name, label="Flicker frequency (Hz)",
                         hint="The main frequency of the flicker, in hertz.", constraint=". > 0",
                         constraint_message="The frequency is above 0 Hz.", relevant=not_na,
                         required=f"{_ref(percent.name)} != ''"))  # fmt: skip
    elif item.kind is ItemKind.photo:
        rows.append(_row(type="image", name=fields.name, label=item.question, hint=hint, parameters=PHOTO_PARAMETERS))
    else:
        rows.append(_row(type="text", name=fields.name, label=item.question, hint=hint, appearance="multiline"))
    note = fields.of(FieldRole.note)[0]
    rows.append(_row(type="text", name=note.name, label="Note (optional)", appearance="multiline"))
    for photo in fields.of(FieldRole.photo):
        rows.append(_row(type="image", name=photo.name, label="Photo (optional)", parameters=PHOTO_PARAMETERS))
    return rows


def form_languages() -> dict[str, str]:
    """The form's languages as XLSForm names them, by their own name and code ('Français (fr)'):
    English (the default) first, then every locale with a translation file."""
    files = tuple((path.name, path.stat().st_mtime) for path in sorted(DEFAULT_LOCALES_DIR.glob("*.yaml")))
    return dict(_form_languages(files))


@lru_cache(maxsize=4)
def _form_languages(files: tuple[tuple[str, float], ...]) -> tuple[tuple[str, str], ...]:
    # Reading the translation files for their names takes a while; once per version of the files.
    return tuple((code, f"{name} ({code})") for code, name in language_names().items())


def form_rows(
    catalogue: Catalogue, checklist: RoomChecklist, rooms: list[FormRoom]
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The survey and choices rows of a room type's form (without the version facts' values): the
    English words under `label`, `hint` and `constraint_message`, each other language's under
    `label::Français (fr)` and so on."""
    survey, choices = _form_rows(catalogue, checklist, rooms)
    for locale, language in form_languages().items():
        if locale == ENGLISH:
            continue
        words = localized(catalogue, locale).catalogue
        shown = words.checklists.get((checklist.setting, checklist.room_type), checklist)
        their_survey, their_choices = _form_rows(words, shown, rooms)
        for rows, theirs in ((survey, their_survey), (choices, their_choices)):
            for row, their in zip(rows, theirs, strict=True):
                for column in TRANSLATED_COLUMNS:
                    if column in row:
                        row[f"{column}::{language}"] = their.get(column, row[column])
    return survey, choices


def _form_rows(
    catalogue: Catalogue, checklist: RoomChecklist, rooms: list[FormRoom]
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    items = layout(checklist)
    survey: list[dict[str, str]] = [
        _row(type="calculate", name="catalogue_version", calculation=f"'{catalogue.version}'"),
        _row(type="calculate", name="form_version", calculation="'{form_version}'"),
        _row(type="calculate", name="setting", calculation=f"'{checklist.setting}'"),
        _row(type="calculate", name="room_type", calculation=f"'{checklist.room_type}'"),
        _row(type="select_one rooms", name="room", label="Room", required="yes",
             hint=f"The {checklist.room_type_title.lower()} you are assessing."),
        _row(type="text", name="assessor", label="Assessor", hint="Your name, as it should appear on reports.",
             required="yes"),
        _row(type="date", name="visit_date", label="Date of the visit", required="yes", default="today()"),
    ]  # fmt: skip
    choices: list[dict[str, str]] = [
        {"list_name": "rooms", "name": str(room.id), "label": _room_label(room)} for room in rooms
    ]
    choices.append({"list_name": "na_only", "name": NA_CHOICE, "label": NA_LABEL})
    titles = {c.id: c.title for c in catalogue.categories}
    answered: list[str] = []
    group: str | None = None
    for fields in items:
        category = fields.resolved.item.category
        if category != group:
            if group is not None:
                survey.append({"type": "end_group"})
            survey.append(_row(type="begin_group", name=category, label=titles.get(category, category)))
            group = category
        survey += _item_rows(fields, checklist, choices)
        if fields.resolved.item.scored:
            answered.append(answered_expression(fields))
    if group is not None:
        survey.append({"type": "end_group"})
    all_answered = " and ".join(answered) if answered else "true()"
    survey.append(_row(type="text", name=PROVISIONAL_FIELD, label="Why are some items left unanswered?",
                       hint="Some scored items have no answer; the assessment is then provisional. Say why "
                            "(for example: meter away for calibration).",
                       relevant=f"not({all_answered})", required="yes", appearance="multiline"))  # fmt: skip
    return survey, choices


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:10]


def field_form(
    session: Session,
    user: UserLike,
    organisation_id: int,
    room_type: str,
    *,
    site_id: int | None = None,
    catalogue: Catalogue | None = None,
) -> FieldForm:
    """The form of one room type for the rooms of that type in an organisation (or one of its sites)."""
    try:
        organisation = repository.get_organisation(session, user, organisation_id)
        # The organisation's own criteria, when it has them: their items, targets and version.
        catalogue = catalogue or repository.criteria_catalogue(session, user, organisation_id)
        sites = repository.list_sites(session, user, organisation_id=organisation_id)
        if site_id is not None:
            sites = [repository.get_site(session, user, site_id)]
            if sites[0].organisation_id != organisation_id:
                raise ReportScopeError(f"Site {site_id} is not a site of organisation {organisation_id}.")
        found: dict[str, list[FormRoom]] = {}
        for site in sites:
            for room in repository.list_rooms(session, user, site_id=site.id):
                if room.room_type == room_type:
                    found.setdefault(site.setting, []).append(FormRoom(room.id, room.name, site.name))
    except StoreError as error:
        raise ReportScopeError(str(error)) from None
    where = f"site {site_id}" if site_id is not None else organisation.name
    if not found:
        known = sorted({rt for s in catalogue.settings for rt in catalogue.room_types(s)})
        if room_type not in known:
            raise ReportScopeError(f"Unknown room type {room_type!r} (one of {', '.join(known)}).")
        raise ReportScopeError(f"{where} has no room of type {room_type}; add one first.")
    if len(found) > 1:
        raise ReportScopeError(
            f"{where} has {room_type} rooms in {' and '.join(sorted(found))} sites, which have different "
            "checklists; choose one site (--site)."
        )
    setting, rooms = next(iter(found.items()))
    checklist = catalogue.checklist(setting, room_type)
    rooms.sort(key=lambda r: (r.site, r.name, r.id))
    survey, choices = form_rows(catalogue, checklist, rooms)
    form_id = f"sensory_{setting}_{room_type}_org{organisation_id}" + (f"_site{site_id}" if site_id else "")
    version = f"{catalogue.version}-{_digest(form_id, survey, choices)}"
    for row in survey:
        if row.get("name") == "form_version":
            row["calculation"] = f"'{version}'"
    title = f"{organisation.name}: {checklist.room_type_title} ({checklist.setting_title})"
    # pyxform reads form_title, form_id and version; catalogue_version is a record for people (the
    # calculate of the same name carries it into every submission).
    settings = {"form_title": title, "form_id": form_id, "version": version,
                "default_language": form_languages()[ENGLISH], "catalogue_version": catalogue.version}  # fmt: skip
    return FieldForm(form_id, version, title, checklist, survey, choices, settings)


def _columns(columns: tuple[str, ...], rows: list[dict[str, str]]) -> list[tuple[str, str]]:
    """(heading, key) of each column: a translated column once per language of the rows, English
    first ('label::English (en)' from the key 'label'), each language right after it."""
    keys = {key for row in rows for key in row}
    if not any("::" in key for key in keys):
        return [(column, column) for column in columns]
    languages = form_languages()
    out = []
    for column in columns:
        if column not in TRANSLATED_COLUMNS:
            out.append((column, column))
            continue
        out.append((f"{column}::{languages[ENGLISH]}", column))
        others = [f"{column}::{name}" for code, name in languages.items() if code != ENGLISH]
        out += [(key, key) for key in others if key in keys]
    return out


def xlsform_bytes(form: FieldForm) -> bytes:
    """The form as an .xlsx workbook with its survey, choices and settings sheets."""
    book = Workbook()
    sheets = (("survey", SURVEY_COLUMNS, form.survey), ("choices", CHOICE_COLUMNS, form.choices),
              ("settings", tuple(form.settings), [form.settings]))  # fmt: skip
    first = True
    for title, columns, rows in sheets:
        sheet = book.active if first else book.create_sheet()
        assert sheet is not None
        first = False
        sheet.title = title
        headings = _columns(columns, rows)
        sheet.append([heading for heading, _key in headings])
        for row in rows:
            sheet.append([row.get(key, "") for _heading, key in headings])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def build_xlsform(
    session: Session,
    user: UserLike,
    organisation_id: int,
    room_type: str,
    *,
    site_id: int | None = None,
) -> tuple[FieldForm, bytes]:
    """The form of a room type and its workbook bytes (for `sensory-audit xlsform` and the Assess screen)."""
    form = field_form(session, user, organisation_id, room_type, site_id=site_id)
    return form, xlsform_bytes(form)
