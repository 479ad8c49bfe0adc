"""The XLSForm of a room type: every form converts with pyxform, and each item kind is mapped faithfully."""

from __future__ import annotations

import io
import warnings
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from checklists.field_layout import READING_SLOTS
from checklists.loader import default_catalogue
from checklists.schema import RoomChecklist
from checklists.translations import localized
from reports.xlsform import FieldForm, FormRoom, form_rows, xlsform_bytes

CATALOGUE = default_catalogue()
XF = "{http://www.w3.org/2002/xforms}"
ROOMS = [FormRoom(3, "Year 3", "Hillview Primary"), FormRoom(12, "Calm room", "Hillview Primary")]


def _form(checklist: RoomChecklist) -> FieldForm:
    survey, choices = form_rows(CATALOGUE, checklist, ROOMS)
    form_id = f"sensory_{checklist.setting}_{checklist.room_type}_org1"
    settings = {"form_title": "Test", "form_id": form_id, "version": f"{CATALOGUE.version}-test",
                "default_language": "English (en)", "catalogue_version": CATALOGUE.version}  # fmt: skip
    return FieldForm(form_id, settings["version"], "Test", checklist, survey, choices, settings)


def test_there_are_sixteen_room_types() -> None:
    assert len(CATALOGUE.checklists) == 16


@pytest.mark.parametrize("key", list(CATALOGUE.checklists), ids=lambda k: f"{k[0]}-{k[1]}")
def test_every_room_types_form_converts_with_pyxform_without_errors_or_warnings(key: tuple[str, str]) -> None:
    form = _form(CATALOGUE.checklists[key])
    found: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = convert(xlsform=xlsform_bytes(form), warnings=found, file_type=".xlsx")
    assert found == []
    assert f'id="{form.form_id}"' in result.xform
    assert f'version="{CATALOGUE.version}-test"' in result.xform


def _rows(form: FieldForm) -> dict[str, dict[str, str]]:
    return {row["name"]: row for row in form.survey if "name" in row}


def test_each_item_kind_is_mapped_faithfully() -> None:
    checklist = CATALOGUE.checklist("school", "classroom")
    form = _form(checklist)
    rows = _rows(form)
    choices: dict[str, list[tuple[str, str]]] = {}
    for c in form.choices:
        choices.setdefault(c["list_name"], []).append((c["name"], c["label"]))
    # The visit: rooms with their ids, the assessor, the date.
    assert choices["rooms"] == [
        ("3", "Year 3 (Hillview Primary) · id 3"),
        ("12", "Calm room (Hillview Primary) · id 12"),
    ]
    assert (rows["room"]["type"], rows["room"]["required"]) == ("select_one rooms", "yes")
    assert (rows["assessor"]["type"], rows["visit_date"]["type"]) == ("text", "date")
    # Readings: decimals within the physical range, the room type's target in the hint, several slots.
    first = rows["illuminance_1"]
    assert (first["type"], first["constraint"]) == ("decimal", ". >= 0 and . <= 200000")
    assert first["hint"].startswith("Target for a classroom: ideal 300 to 500 lx")
    assert [f"illuminance_{n}" in rows for n in range(1, READING_SLOTS + 2)] == [True] * READING_SLOTS + [False]
    assert rows["illuminance_2"]["relevant"] == "${illuminance_1} != ''"
    # n/a where allowed: a choice of its own for a measurement, an extra option for a choice.
    assert rows["walking_distance_na"]["type"] == "select_one na_only"
    assert rows["walking_distance_1"]["relevant"] == "${walking_distance_na} != 'na'"
    assert "illuminance_na" not in rows
    assert ("na", "Not applicable") in choices["muted_colours_answers"]
    assert ("na", "Not applicable") not in choices["glare_answers"]
    # yes/no and choices with their labels; ratings with their level words.
    assert choices["glare_answers"] == [("yes", "Yes"), ("no", "No")]
    item = checklist.by_id()["textures.natural_materials"].item
    assert choices["natural_materials_answers"] == [
        (str(n), f"{n}: {level}") for n, level in enumerate(item.levels or [])
    ]
    # Flicker: percent and frequency.
    assert rows["flicker_percent"]["constraint"] == ". >= 0 and . <= 100"
    assert rows["flicker_frequency_hz"]["constraint"] == ". > 0"
    # A note and a photo per item.
    assert (rows["glare_note"]["type"], rows["glare_photo"]["type"]) == ("text", "image")
    # The catalogue version and the form version travel with every submission.
    assert rows["catalogue_version"]["calculation"] == f"'{CATALOGUE.version}'"
    assert form.settings["version"] == f"{CATALOGUE.version}-test"


def test_the_workbook_has_the_three_sheets() -> None:
    form = _form(CATALOGUE.checklist("clinic", "waiting_room"))
    book = load_workbook(io.BytesIO(xlsform_bytes(form)), read_only=True)
    assert book.sheetnames == ["survey", "choices", "settings"]
    settings = list(book["settings"].iter_rows(values_only=True))
    assert settings == [
        ("form_title", "form_id", "version", "default_language", "catalogue_version"),
        ("Test", form.form_id, form.form_version, "English (en)", CATALOGUE.version),
    ]


# English, the default, first; then every translated language by its code.
LANGUAGES = {"en": "English (en)", "ar": "العربية (ar)", "de": "Deutsch (de)", "es": "Español (es)",
             "fr": "Français (fr)"}  # fmt: skip


def _itext(xform: str, language: str, text_id: str) -> str:
    """The text of one label in one language of the XForm's <itext>."""
    root = ElementTree.fromstring(xform)
    for translation in root.iter(f"{XF}translation"):
        if translation.get("lang") == language:
            for text in translation.iter(f"{XF}text"):
                if text.get("id") == text_id:
                    value = text.find(f"{XF}value")
                    return "" if value is None else "".join(value.itertext())
    raise AssertionError(f"no {text_id} in {language}")


def test_the_form_speaks_every_language_of_the_checklist() -> None:
    checklist = CATALOGUE.checklist("school", "classroom")
    form = _form(checklist)
    book = load_workbook(io.BytesIO(xlsform_bytes(form)), read_only=True)
    survey = next(book["survey"].iter_rows(values_only=True))
    assert [h for h in survey if str(h).startswith("label")] == [f"label::{name}" for name in LANGUAGES.values()]
    assert [h for h in survey if str(h).startswith("hint")] == [f"hint::{name}" for name in LANGUAGES.values()]
    choices = next(book["choices"].iter_rows(values_only=True))
    assert choices == ("list_name", "name", *(f"label::{name}" for name in LANGUAGES.values()))

    xform = convert(xlsform=xlsform_bytes(form), warnings=[], file_type=".xlsx").xform
    root = ElementTree.fromstring(xform)
    languages = {t.get("lang"): t.get("default") for t in root.iter(f"{XF}translation")}
    assert languages == {**dict.fromkeys(LANGUAGES.values()), "English (en)": "true()"}
    path = "/data/lighting/glare"
    for code, name in LANGUAGES.items():
        item = localized(CATALOGUE, code).catalogue.item("lighting.glare")
        assert _itext(xform, name, f"{path}:label") == item.question
        assert item.guidance.split()[0] in _itext(xform, name, f"{path}:hint")
    assert _itext(xform, "Français (fr)", f"{path}:label").startswith("Depuis chaque place assise")
    # The choices' labels, a rating's levels in each language.
    french = localized(CATALOGUE, "fr").catalogue.item("textures.natural_materials")
    levels = [_itext(xform, "Français (fr)", f"natural_materials_answers-{n}") for n in range(5)]
    assert levels == [f"{n}: {level}" for n, level in enumerate(french.levels or [])]
    # The names, and so the columns of a round's export, are the same in every language.
    assert _rows(form)["glare"]["label"] == CATALOGUE.item("lighting.glare").question
