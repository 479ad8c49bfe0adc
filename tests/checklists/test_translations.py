"""The catalogue's words in other languages: each mistake in a translation file is refused with its
file, line and field; the shipped languages are complete; what is missing shows in English, marked;
and a translation never changes an id, a score or the catalogue version the store keeps."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from checklists.loader import DEFAULT_CATALOGUE_DIR, default_catalogue
from checklists.responses import parse_assessment
from checklists.schema import ItemKind
from checklists.translations import (
    DEFAULT_LOCALES_DIR,
    ENGLISH_MARK,
    available_locales,
    check_translations,
    localized,
    translated_hint,
)
from checklists.versions import fingerprint, snapshot_of
from cli import app
from scoring.engine import score_assessment

CATALOGUE = default_catalogue()
COMPLETE = ("ar", "de", "es", "fr")


def _folder(tmp_path: Path, text: str, locale: str = "fr") -> Path:
    folder = tmp_path / "locales"
    folder.mkdir(exist_ok=True)
    (folder / f"{locale}.yaml").write_text(text, encoding="utf-8")
    return folder


def _problems(tmp_path: Path, text: str, locale: str = "fr") -> list[str]:
    _, problems = check_translations(CATALOGUE, locale, _folder(tmp_path, text, locale))
    return sorted(str(p) for p in problems)


HEAD = "locale: fr\nlanguage: Français\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "items:\n  lighting.glaring:\n    question: Éblouit-il ?\n",
            "locales/fr.yaml:4: items.lighting.glaring: unknown item 'lighting.glaring'",
        ),
        (
            "items:\n  lighting.glare:\n    question: Éblouit-il ?\n    hint: Regardez.\n",
            "locales/fr.yaml:6: items.lighting.glare.hint: unknown field",
        ),
        (
            "items:\n  textures.upkeep:\n    options:\n      'yes': Oui\n      maybe: Peut-être\n",
            "locales/fr.yaml:7: items.textures.upkeep.options.maybe: unknown choice 'maybe' "
            "(the item's choices: yes, partial, no)",
        ),
        (
            "items:\n  lighting.glare:\n    options:\n      'yes': Oui\n",
            "locales/fr.yaml:5: items.lighting.glare.options: 'options' does not belong to a yes_no item",
        ),
        (
            "items:\n  textures.visual_clutter:\n    levels: [Écrasante, Chargée]\n",
            "locales/fr.yaml:5: items.textures.visual_clutter.levels: 2 levels given; the item has 5 "
            "(describing 0 to 4), one translation each",
        ),
        (
            "items:\n  lighting.glare:\n    question: ''\n",
            "locales/fr.yaml:5: items.lighting.glare.question: must not be empty",
        ),
        (
            "categories:\n  sound:\n    title: Son\n",
            "locales/fr.yaml:4: categories.sound: unknown category 'sound' "
            "(known: lighting, noise, quiet_zones, textures)",
        ),
        (
            "settings:\n  school:\n    room_types:\n      gym: Gymnase\n",
            "locales/fr.yaml:6: settings.school.room_types.gym: unknown room type 'gym' of setting 'school' "
            "(known: classroom, corridor, dining_hall, quiet_room, special_needs_classroom)",
        ),
        ("colour: bleu\n", "locales/fr.yaml:3: colour: unknown field"),
    ],
    ids=["item", "field", "choice", "options-on-yes-no", "levels", "empty", "category", "room-type", "top-field"],
)
def test_each_mistake_is_refused_with_file_line_and_field(tmp_path: Path, body: str, expected: str) -> None:
    assert _problems(tmp_path, HEAD + body) == [expected]


def test_every_mistake_of_a_file_is_listed_in_one_pass(tmp_path: Path) -> None:
    text = (
        HEAD + "items:\n"
        "  lighting.glare:\n    question: Éblouit-il ?\n    colour: bleu\n"
        "  nope.item:\n    question: x\n"
        "  lighting.dimmable:\n    question: Peut-on baisser la lumière ?\n"
    )
    folder = _folder(tmp_path, text)
    translation, problems = check_translations(CATALOGUE, "fr", folder)
    assert [str(p) for p in sorted(problems)] == [
        "locales/fr.yaml:6: items.lighting.glare.colour: unknown field",
        "locales/fr.yaml:7: items.nope.item: unknown item 'nope.item'",
    ]
    # What fits is kept: the screens still show the good entries.
    assert translation is not None
    assert translation.items["lighting.dimmable"].question == "Peut-on baisser la lumière ?"
    shown = localized(CATALOGUE, "fr", folder)
    assert shown.catalogue.item("lighting.dimmable").question == "Peut-on baisser la lumière ?"
    assert shown.catalogue.item("lighting.glare").question.startswith(ENGLISH_MARK)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("locale: de\nlanguage: Deutsch\n", "locales/fr.yaml:1: locale: 'de' differs from the file name 'fr'"),
        ("locale: fr\nlanguage: [Français\n", "locales/fr.yaml:3: (yaml): not valid YAML"),
        ("locale: fr\n", "locales/fr.yaml:1: language: required field is missing"),
        ("", "locales/fr.yaml:1: (file): the file is empty"),
    ],
    ids=["locale", "yaml", "language", "empty"],
)
def test_a_broken_file_is_refused(tmp_path: Path, text: str, expected: str) -> None:
    problems = _problems(tmp_path, text)
    assert len(problems) == 1, problems
    assert problems[0].startswith(expected), problems


def test_a_locale_without_a_file_is_said_so(tmp_path: Path) -> None:
    tmp_path.joinpath("locales").mkdir()
    assert _problems(tmp_path, HEAD, "fr") == []
    _, problems = check_translations(CATALOGUE, "it", tmp_path / "locales")
    assert [str(p) for p in problems] == ["locales/it.yaml:1: (file): no translation file for locale 'it'"]


@pytest.mark.parametrize("locale", COMPLETE)
def test_every_shipped_language_is_complete(locale: str) -> None:
    assert locale in available_locales()
    shown = localized(CATALOGUE, locale)
    assert shown.problems == ()
    assert shown.missing == ()
    assert shown.complete
    english = {item.id: item for item in CATALOGUE.items}
    for item in shown.catalogue.items:
        before = english[item.id]
        # Translated, not copied: every text differs from the English one and none is marked.
        for field in ("question", "guidance", "how_to_fix"):
            text = getattr(item, field)
            assert text != getattr(before, field), (item.id, field)
            assert ENGLISH_MARK not in text, (item.id, field)
        for option, original in zip(item.options or [], before.options or [], strict=True):
            assert option.label != original.label, item.id
            assert option.value == original.value, item.id
        assert len(item.levels or []) == len(before.levels or [])
        assert all(a != b for a, b in zip(item.levels or [], before.levels or [], strict=True)), item.id
    for checklist in shown.catalogue.checklists.values():
        assert ENGLISH_MARK not in checklist.room_type_title + checklist.setting_title


@pytest.mark.parametrize("locale", COMPLETE)
def test_each_guidance_says_how_to_measure_with_the_locale_words(locale: str) -> None:
    """Where the English guidance has a "How to measure:" (or check, recognise) part, the translation
    starts it with one of the locale's markers, so the Assess screen shows it under the question."""
    shown = localized(CATALOGUE, locale)
    assert shown.how_markers
    english = re.compile(r"How to (measure|check|recognise):")
    for item in CATALOGUE.items:
        translated = shown.catalogue.item(item.id)
        good, how = translated_hint(CATALOGUE, translated, locale) or ("", None)
        assert good, item.id
        assert good in " ".join(translated.guidance.split()), item.id
        if english.search(item.guidance):
            assert how is not None, item.id
            assert how.startswith(shown.how_markers), (item.id, how)
        else:
            assert how is None, item.id
    assert translated_hint(CATALOGUE, CATALOGUE.items[0], "en") is None


def test_an_item_without_its_translation_shows_in_english_marked_and_listed(tmp_path: Path) -> None:
    data = yaml.safe_load((DEFAULT_LOCALES_DIR / "fr.yaml").read_text(encoding="utf-8"))
    del data["items"]["lighting.glare"]
    del data["items"]["textures.upkeep"]["options"]["partial"]
    del data["items"]["textures.visual_clutter"]["levels"]
    del data["settings"]["school"]["room_types"]["classroom"]
    folder = _folder(tmp_path, yaml.safe_dump(data, allow_unicode=True))
    shown = localized(CATALOGUE, "fr", folder)
    assert shown.problems == ()
    assert not shown.complete
    assert shown.missing == (
        "lighting.glare: question",
        "lighting.glare: guidance",
        "lighting.glare: how_to_fix",
        "lighting.glare: name",
        "textures.visual_clutter: levels",
        "textures.upkeep: options.partial",
        "settings.school.classroom: title",
    )
    glare = shown.catalogue.item("lighting.glare")
    assert glare.question == f"{ENGLISH_MARK} {CATALOGUE.item('lighting.glare').question}"
    labels = {o.value: o.label for o in shown.catalogue.item("textures.upkeep").options or []}
    assert labels["partial"] == f"{ENGLISH_MARK} Partly: some wear or minor damage"
    assert labels["yes"] == "Oui : propre et en bon état"
    levels = shown.catalogue.item("textures.visual_clutter").levels or []
    assert all(level.startswith(ENGLISH_MARK) for level in levels)
    assert shown.catalogue.checklist("school", "classroom").room_type_title == f"{ENGLISH_MARK} Classroom"
    # The checklists' items are the translated ones too.
    classroom = shown.catalogue.checklist("school", "classroom").by_id()
    assert classroom["lighting.dimmable"].item.question.startswith("Les personnes qui utilisent")


def test_a_translation_changes_no_id_score_weight_target_or_version() -> None:
    french = localized(CATALOGUE, "fr").catalogue
    assert french.version == CATALOGUE.version
    assert [i.id for i in french.items] == [i.id for i in CATALOGUE.items]
    for key, checklist in CATALOGUE.checklists.items():
        assert french.checklists[key].to_json() == checklist.to_json()
    answers = {
        "lighting.illuminance": [420, 610],
        "lighting.glare": "yes",
        "textures.upkeep": "partial",
        "textures.visual_clutter": 3,
        "noise.reverberation_time": 0.8,
    }
    document = {"setting": "school", "room_type": "classroom", "responses": answers}
    english_score = score_assessment(CATALOGUE, parse_assessment(CATALOGUE, document))
    french_score = score_assessment(french, parse_assessment(french, document))
    assert french_score.overall == english_score.overall
    assert french_score.categories == english_score.categories


def test_translations_stay_out_of_the_kept_catalogue_version(tmp_path: Path) -> None:
    """The store keeps every YAML file under the catalogue folder and fingerprints it: translation
    files there would make the shipped version differ from the one stores already keep."""
    snapshot = snapshot_of(DEFAULT_CATALOGUE_DIR)
    assert not DEFAULT_LOCALES_DIR.resolve().is_relative_to(DEFAULT_CATALOGUE_DIR.resolve())
    assert sorted(snapshot) == [
        "catalogue.yaml", "lighting.yaml", "noise.yaml",
        "profiles/clinic.yaml", "profiles/school.yaml", "profiles/workplace.yaml",
        "quiet_zones.yaml", "textures.yaml",
    ]  # fmt: skip
    # Why they live beside the folder, not in it: inside, they would change the version's fingerprint.
    inside = tmp_path / "data"
    shutil.copytree(DEFAULT_CATALOGUE_DIR, inside)
    assert fingerprint(snapshot_of(inside)) == fingerprint(snapshot)
    shutil.copytree(DEFAULT_LOCALES_DIR, inside / "translations")
    assert fingerprint(snapshot_of(inside)) != fingerprint(snapshot)


def test_a_regional_locale_uses_its_language() -> None:
    for code in ("fr_CA", "fr-BE"):
        shown = localized(CATALOGUE, code)
        assert shown.locale == "fr"
        assert shown.catalogue.item("lighting.glare").question.startswith("Depuis chaque place assise")
    assert localized(CATALOGUE, "en_GB").catalogue is CATALOGUE


def test_english_is_the_catalogue_itself() -> None:
    shown = localized(CATALOGUE, "en")
    assert shown.catalogue is CATALOGUE
    assert shown.complete


runner = CliRunner()


def test_catalogue_check_lists_each_locale() -> None:
    result = runner.invoke(app, ["catalogue", "check", "--locale", "fr", "--locale", "de", "--locale", "es"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "fr (Français): every text translated" in lines
    assert "de (Deutsch): every text translated" in lines
    assert "es (Español): every text translated" in lines


def test_catalogue_check_lists_missing_texts_and_fails_on_mistakes(tmp_path: Path) -> None:
    data = yaml.safe_load((DEFAULT_LOCALES_DIR / "fr.yaml").read_text(encoding="utf-8"))
    del data["items"]["noise.reverberation_time"]["guidance"]
    folder = _folder(tmp_path, yaml.safe_dump(data, allow_unicode=True))
    result = runner.invoke(app, ["catalogue", "check", "--locale", "fr", "--translations", str(folder)])
    assert result.exit_code == 0, result.output
    assert "fr (Français): 1 texts not translated, shown in English:" in result.stdout
    assert "  - noise.reverberation_time: guidance" in result.stdout.splitlines()

    shutil.copy(DEFAULT_LOCALES_DIR / "de.yaml", folder / "de.yaml")
    with (folder / "de.yaml").open("a", encoding="utf-8") as file:
        file.write("  lighting.glow:\n    question: Leuchtet es?\n")
    line = len((folder / "de.yaml").read_text(encoding="utf-8").splitlines()) - 1
    result = runner.invoke(app, ["catalogue", "check", "--locale", "all", "--translations", str(folder)])
    assert result.exit_code == 1
    assert f"locales/de.yaml:{line}: items.lighting.glow: unknown item 'lighting.glow'" in result.stderr
    assert "de (Deutsch): every text translated" in result.stdout


def test_blank_checklist_command_takes_a_locale(tmp_path: Path) -> None:
    out = tmp_path / "fr.pdf"
    args = ["checklist", "--setting", "school", "--room-type", "classroom", "--out", str(out)]
    result = runner.invoke(app, [*args, "--locale", "fr"])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0
    result = runner.invoke(app, [*args, "--locale", "zz"])
    assert result.exit_code == 2
    assert "--locale: no translation for 'zz' (known: en, ar, de, es, fr)" in result.stderr


def test_rating_and_choice_items_keep_their_values() -> None:
    spanish = localized(CATALOGUE, "es").catalogue
    for item in spanish.items:
        if item.kind is ItemKind.choice:
            assert [(o.value, o.score) for o in item.options or []] == [
                (o.value, o.score) for o in CATALOGUE.item(item.id).options or []
            ]
