"""Reports in the reader's language: French, Spanish, German and Arabic PDFs read back with pdftotext
(translated headings, the engine's scores and the dates in the locale's format), a French workbook read
back with openpyxl (translated sheets and headings, numbers still numbers), and English unchanged."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest
from babel.dates import format_date as babel_date
from babel.numbers import format_decimal

from checklists.describe import describe, flicker_target
from checklists.i18n import using
from checklists.schema import Target
from reports.collect import collect_report
from reports.data import ReportData
from reports.excel import SHEETS, sheet_names, write_workbook
from reports.labels import format_date, format_percent, format_score, item_label
from reports.pdf import write_pdf_report
from tests.reports.conftest import Demo, data_folder, pdf_pages, render_pages

# What a reader of each language looks for: the summary's heading, the scorecard's and the contents'.
HEADINGS = {
    "fr": ("Synthèse", "Score global", "Sommaire", "Plan d'action"),
    "es": ("Resumen ejecutivo", "Puntuación global", "Índice", "Plan de acción"),
    "de": ("Zusammenfassung", "Gesamtpunktzahl", "Inhalt", "Maßnahmenplan"),
    "ar": ("الملخص التنفيذي", "الدرجة الإجمالية", "المحتويات", "خطة العمل"),
}
# What a reader finds in a room's "What changed" part and its history line: the heading's opening
# words, a principle's row, and the word for an item that got worse.
CHANGES = {
    "fr": ("Ce qui a changé depuis le", "Historique (critères", "Principe :", "dégradé"),
    "es": ("Qué ha cambiado desde el", "Historial (criterios", "Principio:", "empeorado"),
    "de": ("Was sich seit dem", "Verlauf (Kriterien", "Prinzip:", "verschlechtert"),
}


def _collect(demo: Demo, locale: str) -> ReportData:
    with using(locale), data_folder(demo.data_dir), demo.store.session() as session:
        return collect_report(session, demo.user, org_id=demo.clinic)


@pytest.fixture(scope="module")
def localized_pdfs(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[ReportData, Path]]:
    folder = tmp_path_factory.mktemp("languages")
    made = {}
    for locale in HEADINGS:
        data = _collect(demo, locale)
        made[locale] = (data, write_pdf_report(data, folder / f"clinic-{locale}.pdf", locale=locale))
    return made


@pytest.mark.parametrize("locale", ["fr", "es", "de"])
def test_the_report_speaks_the_readers_language_with_its_numbers_and_dates(
    locale: str, localized_pdfs: dict[str, tuple[ReportData, Path]]
) -> None:
    data, path = localized_pdfs[locale]
    text = " ".join(pdf_pages(path))
    for heading in HEADINGS[locale]:
        assert heading in text
    for english in ("Executive summary", "Rooms most in need", "What to fix first in this room", "Page 2 of"):
        assert english not in text
    # A room's "What changed" part and its history line (the demo clinic has rooms assessed more than
    # once, and one of them got worse somewhere).
    assert any(len(room.assessments) > 1 for site in data.sites for room in site.rooms)
    for words in CHANGES[locale]:
        assert words in text, words
    for english in ("What changed since", "History (criteria", "Principle:", "worsened", "improved"):
        assert english not in text, english
    # The changes of the scores take the decimal comma too ("-1,0", "+17,6"), never a point.
    assert re.search(r"(?<![\w.,])[+-]\d+,\d(?![\d.,])", text)
    assert not re.search(r"(?<![\w.,])[+-]\d+\.\d(?![\d.,])", text), re.findall(r"\S*[+-]\d+\.\d\S*", text)[:5]
    # Each room's overall score as the engine gave it, with a decimal comma ("71,4").
    for room in data.assessed_rooms:
        assert room.score is not None
        assert room.score.overall is not None
        local = format_decimal(room.score.overall, format="0.0", locale=locale)
        assert "," in local
        assert local in text, room.name
        assert f"{room.score.overall:.1f}" not in text.replace(local, "")
    # The date of generation, in the locale's long form ("2 décembre 2026", "2. Dezember 2026").
    generated = babel_date(data.generated_at.date(), "long", locale=locale)
    assert generated in text
    # The catalogue's own words come translated too: the French setting title of the clinic's rooms,
    # and the items' short names in the action plan ("Espace de retrait", not "Retreat space").
    assert data.sites[0].setting_title in text
    first = {entry.item_id for entry in data.action_plan[:5]}
    for item_id in first:
        with using(locale):
            name = item_label(item_id)
        assert name != item_label(item_id), item_id
        assert name in text, (item_id, name)
        assert item_label(item_id) not in text, item_id
    # A sentence cut at a semicolon ends at its word ("ambiance." never "ambiance .").
    assert not re.search(r"[^\W\d] \.(?:\s|$)", text), re.findall(r"\S+ \.", text)[:5]


def test_the_french_methodology_and_calibration_parts_are_french(
    localized_pdfs: dict[str, tuple[ReportData, Path]],
) -> None:
    data, path = localized_pdfs["fr"]
    assert data.calibration  # the demo clinic has a calibration round
    text = " ".join(pdf_pages(path))
    # The appendix's and the calibration part's headings, the scoring rules and a criterion's lines.
    for french in (
        "Méthodologie",
        "Comment les pièces sont notées",
        "Niveaux de preuve et principes",
        "Ce que cela signifie pour une pièce",
        "Mode de notation :",
        "pour corriger",
        "Étalonnage",
        f"Session : {data.calibration[0].summary.name}",
        "Critères à clarifier",
        "Question et conseils",
        "IC à 95 %",
    ):
        assert french in text, french
    for english in (
        "How rooms are scored",
        "Evidence grades",
        "What it means for a room",
        "How it scores:",
        "effort to fix",
        "Round: ",
        "Items to clarify",
        "Question and guidance",
        "Mean abs. difference",
        "rooms rated by every assessor",
    ):
        assert english not in text, english
    # The calibration figures take the decimal comma ("0,49", "-0,16 à 0,90").
    assert re.search(r"-?\d,\d\d à -?\d,\d\d", text)


def test_the_arabic_report_is_shaped_and_its_pages_render(
    localized_pdfs: dict[str, tuple[ReportData, Path]], tmp_path: Path
) -> None:
    data, path = localized_pdfs["ar"]
    text = " ".join(pdf_pages(path))
    words = set(text.replace("\u202b", " ").replace("\u202c", " ").split())
    for heading in HEADINGS["ar"]:
        # pdftotext gives a right-to-left heading's words in drawing order, and a lam-alef ligature
        # ("لإ" in "الإجمالية") as its two letters the other way round: each word is looked for so.
        for word in heading.split():
            assert re.sub("ل([اأإآ])", r"\1ل", word) in words, heading
    room = data.assessed_rooms[0]
    assert room.score is not None
    assert room.score.overall is not None
    assert f"{room.score.overall:.1f}" in text  # Arabic (in Babel's default) writes Latin digits, a point
    pngs = render_pages(path, tmp_path / "pages", dpi=40)
    assert len(pngs) >= 5
    assert all(p.stat().st_size > 5_000 for p in pngs[:3])


def test_english_words_and_numbers_are_unchanged() -> None:
    target = Target(unit="lx", ideal=(300, 500), limit=(150, 1000))
    assert describe(target) == "ideal 300 to 500 lx; scores 0 below 150 or above 1000 lx"
    assert describe(target, compact=True) == "ideal 300–500 lx; 0 below 150 or above 1000 lx"
    assert target.describe() == describe(target, locale="en")
    assert flicker_target("en") == "the IEEE 1789 no-risk region: at most 3.3 % at 100 Hz, any depth above 3000 Hz"
    assert (format_score(71.43), format_percent(0.95), format_date(dt.date(2025, 9, 3))) == (
        "71.4",
        "95 %",
        "3 Sep 2025",
    )


def test_targets_and_numbers_in_other_languages() -> None:
    target = Target(unit="lx", ideal=(300, 500), limit=(150, 1000))
    assert describe(target, locale="fr") == "idéal de 300 à 500 lx ; vaut 0 sous 150 ou au-dessus de 1000 lx"
    assert describe(Target(unit="s", ideal=(None, 0.6), limit=(None, 1.2)), locale="de") == (
        "ideal höchstens 0,6 s; ergibt 0 über 1,2 s"
    )
    assert "3,3 %" in flicker_target("es")
    with using("fr"):
        assert (format_score(71.43), format_date(dt.date(2025, 9, 3))) == ("71,4", "3 septembre 2025")
        assert format_percent(0.95) == "95\u00a0%"
    with using("de"):
        assert format_date(dt.date(2025, 9, 3)) == "3. September 2025"


def test_the_french_workbook_has_french_sheets_and_headings_and_numbers_stay_numbers(
    demo: Demo, tmp_path: Path
) -> None:
    data = _collect(demo, "fr")
    path = write_workbook(data, tmp_path / "clinic-fr.xlsx", locale="fr")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == list(sheet_names("fr"))
    assert book.sheetnames[:3] == ["Résumé", "Pièces", "Évaluations"]
    assert not set(book.sheetnames) & (set(SHEETS) - {"Actions"})  # "Actions" is French too
    rooms = book["Pièces"]
    headings = [cell.value for cell in rooms[1]]
    assert {"Site", "Pièce", "Type de pièce", "Global", "Catégorie", "Complétude"} <= set(headings)
    overall = headings.index("Global")
    by_name = {row[1].value: row for row in rooms.iter_rows(min_row=2)}
    for room in data.assessed_rooms:
        assert room.score is not None
        cell = by_name[room.name][overall]
        assert isinstance(cell.value, float)
        assert cell.value == pytest.approx(room.score.overall)
        assert cell.number_format == "0.0"
    summary = book["Résumé"]
    assert summary["A1"].value == "Rapport sur l'environnement sensoriel et tenant compte des traumatismes"
    labels = {row[0].value: row[1].value for row in summary.iter_rows(min_row=3) if row[0].value}
    assert labels["Pièces concernées"] == len(data.rooms)
    assert isinstance(labels["Généré le"], dt.datetime)
