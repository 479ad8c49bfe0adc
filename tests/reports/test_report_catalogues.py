"""The reports' message catalogues (locales/<language>/LC_MESSAGES/reports.po): up to date with the
code, every message translated in French, Spanish, German and Arabic, placeholders kept, and each
catalogue compiles as `make translations` compiles it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from checklists.i18n import DEFAULT_LANGUAGE, LOCALES, REPORT_LANGUAGES, REPORTS, _, using

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = [code for code in REPORT_LANGUAGES if code != DEFAULT_LANGUAGE]
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The messages the code wraps now, extracted as `make messages` does."""
    template = tmp_path_factory.mktemp("catalogue") / "reports.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(ROOT / "babel-reports.cfg"), "--no-location", "-o", str(template),
         str(ROOT)]
    )  # fmt: skip
    with template.open("rb") as source:
        return read_po(source)


def _catalogue(code: str) -> Catalog:
    with (LOCALES / code / "LC_MESSAGES" / f"{REPORTS}.po").open("rb") as source:
        return read_po(source, locale=code)


def _ids(catalogue: Catalog) -> set[object]:
    return {m.id for m in catalogue if m.id}


def test_the_extraction_finds_the_reports_words(extracted: Catalog) -> None:
    ids = _ids(extracted)
    assert {"Executive summary", "Overall score", "ideal {low} to {high} {unit}", "mostly supportive"} <= ids


@pytest.mark.parametrize("code", SHIPPED)
def test_each_catalogue_is_up_to_date_with_the_code(code: str, extracted: Catalog) -> None:
    shipped, wanted = _ids(_catalogue(code)), _ids(extracted)
    assert not wanted - shipped, f"run `make messages`: {code} lacks {sorted(map(str, wanted - shipped))[:10]}"
    assert not shipped - wanted, f"run `make messages`: {code} keeps {sorted(map(str, shipped - wanted))[:10]}"


@pytest.mark.parametrize("code", SHIPPED)
def test_every_message_is_translated_in_each_shipped_language(code: str) -> None:
    missing, fuzzy, broken = [], [], []
    for message in _catalogue(code):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        if not all(strings):
            missing.append(message.id)
        elif message.fuzzy:
            fuzzy.append(message.id)
        elif any(set(PLACEHOLDER.findall(s)) != set(PLACEHOLDER.findall(ids[-1])) for s in strings):
            broken.append(message.id)
    assert not missing, f"{code}: no translation for {missing[:10]}"
    assert not fuzzy, f"{code}: fuzzy (to check) {fuzzy[:10]}"
    assert not broken, f"{code}: the translation's {{placeholders}} differ from the message's: {broken[:10]}"


@pytest.mark.parametrize("code", SHIPPED)
def test_each_catalogue_passes_the_checks_make_compiles_it_with(code: str) -> None:
    problems = [(message.id, [str(e) for e in errors]) for message, errors in _catalogue(code).check()]
    assert problems == []


def test_the_compiled_catalogues_speak_each_language() -> None:
    said = {}
    for code in REPORT_LANGUAGES:
        with using(code):
            said[code] = _("Executive summary")
    assert said == {
        "en": "Executive summary",
        "fr": "Synthèse",
        "es": "Resumen ejecutivo",
        "de": "Zusammenfassung",
        "ar": "الملخص التنفيذي",
    }


# The report files whose every string a reader sees goes through the reports' catalogue: every part
# of the PDF (its appendices too), of the workbook, and the blank checklist.
WRAPPED = sorted([*(ROOT / "reports" / "pdf").glob("*.py"), *(ROOT / "reports" / "excel").glob("*.py"),
                  ROOT / "reports" / "checklist_pdf.py"])  # fmt: skip
# Calls whose text argument a reader sees.
SHOWN = re.compile(
    r"\b(?:doc\.(?:text|heading|subheading|section)|pdf\.(?:cell|multi_cell)|write_string)\(\s*(f?\"[^\"]*[A-Za-z]{2})"
)


@pytest.mark.parametrize("path", WRAPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_wrapped_report_files_show_no_text_outside_the_catalogue(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert [m.group(1) for m in SHOWN.finditer(source)] == []
