"""The blank checklist in the reader's language: the questions, answers and titles, and the
checklist's own headings, fields and instructions, printed in French, German or Spanish, read back
with pdftotext, and every letter of those languages in the report font."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

from checklists.loader import default_catalogue
from checklists.schema import ItemKind
from checklists.translations import DEFAULT_LOCALES_DIR, ENGLISH_MARK, localized
from reports.checklist_pdf import write_blank_checklist
from reports.pdfkit import _DEJAVU, FONT_DIRS, _find
from tests.reports.conftest import pdf_pages, render_pages


def test_the_french_checklist_prints_the_french_words(tmp_path: Path) -> None:
    catalogue = default_catalogue()
    french = localized(catalogue, "fr").catalogue.checklist("school", "classroom")
    out = write_blank_checklist(catalogue, "school", "classroom", tmp_path / "fr.pdf", locale="fr")
    text = " ".join(pdf_pages(out))
    assert "Quel est le temps de réverbération (TR60) de la pièce meublée et vide, en secondes ?" in text
    # The checklist's own words too: its headings, fields, instructions, targets and page footer.
    for french_words in (
        "Grille de la pièce : Salle de classe",
        "Grille : Salle de classe (École)",
        "Pièce occupée ?",
        "Comment remplir :",
        "Cible : idéal",
        "Relevé 1",
        "Page 2 sur",
    ):
        assert french_words in text, french_words
    for english_words in ("Room checklist", "How to fill in", "Target:", "Reading 1", "Criteria version", "Page 2 of"):
        assert english_words not in text, english_words
    for resolved in french.items:
        item = resolved.item
        assert item.question in text, item.id
        for option in item.options or []:
            assert option.label in text, item.id
        if item.kind is ItemKind.rating:
            for level, description in enumerate(item.levels or []):
                assert f"{level} {description}" in text, item.id
    english = catalogue.checklist("school", "classroom")
    assert all(r.item.question not in text for r in english.items)
    assert ENGLISH_MARK not in text


@pytest.mark.parametrize(
    ("locale", "question"),
    [
        ("de", "Schließen die Türen leise, ohne zu knallen oder zu schlagen?"),
        ("es", "¿Se pueden mover sillas y mesas sin que arrastren ni chirríen?"),
    ],
)
def test_german_and_spanish_letters_come_through(locale: str, question: str, tmp_path: Path) -> None:
    out = write_blank_checklist(default_catalogue(), "school", "dining_hall", tmp_path / "c.pdf", locale=locale)
    assert question in " ".join(pdf_pages(out))


@pytest.mark.parametrize("locale", ["ar", "de", "es", "fr"])
def test_the_report_font_has_every_letter_of_the_translations(locale: str) -> None:
    letters = set((DEFAULT_LOCALES_DIR / f"{locale}.yaml").read_text(encoding="utf-8")) - {"\n"}
    # The blank checklist prints in regular and bold only; DejaVu draws Arabic upright, not oblique.
    styles = ("", "B") if locale == "ar" else tuple(_DEJAVU)
    for style, name in _DEJAVU.items():
        if style not in styles:
            continue
        path = _find(name, FONT_DIRS)
        assert path is not None, name
        cmap = TTFont(str(path)).getBestCmap()
        assert not sorted(c for c in letters if ord(c) not in cmap), (locale, style)


def test_the_arabic_checklist_is_shaped_and_reads_right_to_left(tmp_path: Path) -> None:
    """pdftotext gives Arabic back in reading order only when it was shaped and ordered right to left;
    unshaped it would come out as isolated letters in the order they were drawn."""
    out = write_blank_checklist(default_catalogue(), "school", "classroom", tmp_path / "ar.pdf", locale="ar")
    pages = [re.sub("[\u200e\u200f\u202a-\u202e]", "", page) for page in pdf_pages(out)]
    text = " ".join(" ".join(pages).split())
    assert "قائمة تحقق الغرفة" in text
    assert "Room checklist" not in text
    assert "هل يستطيع مستخدمو هذه الغرفة تعتيم" in text
    assert ENGLISH_MARK not in text
    assert len(render_pages(out, tmp_path / "png")) == len(pages)
