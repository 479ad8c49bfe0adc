"""An Arabic blank checklist reads right to left: the item numbers at the right margin, the first
page's fields and the reading blanks running from the right; an English one keeps its left-to-right
layout. Positions are read back from the PDF with pdftotext's word boxes."""

from __future__ import annotations

import pytest

from checklists.i18n import _, using
from checklists.loader import default_catalogue
from reports.checklist_pdf import write_blank_checklist
from tests.reports.test_report_rtl import A4_WIDTH, MARGIN, words

Placed = list[tuple[float, float, float, float, str]]


@pytest.fixture(scope="module")
def first_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Placed]:
    """The words of the first page of the school classroom's checklist, in English and in Arabic."""
    folder = tmp_path_factory.mktemp("checklist-rtl")
    catalogue = default_catalogue()
    placed = {}
    for locale in ("en", "ar"):
        out = write_blank_checklist(catalogue, "school", "classroom", folder / f"{locale}.pdf", locale=locale)
        placed[locale] = words(out, 1)
    return placed


def line_of(placed: Placed, word: str) -> Placed:
    """The words on the line of the first `word` (a right-to-left word may come back with its letters reversed)."""
    first = min((w for w in placed if w[4] in (word, word[::-1])), key=lambda w: w[1])
    return [w for w in placed if abs(w[1] - first[1]) < 2]


def reading_numbers(placed: Placed) -> list[float]:
    """The left edges of the numbers 1, 2 and 3 of the first question's reading blanks (in lux)."""
    rows = sorted({round(w[1]) for w in placed if w[4] == "lx"})
    for top in rows:
        row = {w[4]: w[0] for w in placed if round(w[1]) == top}
        if {"1", "2", "3"} <= row.keys():
            return [row["1"], row["2"], row["3"]]
    raise AssertionError("no line of reading blanks found")


def field_edges(placed: Placed, locale: str) -> tuple[float, float]:
    """The left edges of the first page's first two fields, 'Organisation' and 'Site'."""
    with using(locale):
        organisation, site = _("Organisation"), _("Site")
    (first,) = (w[0] for w in placed if w[4] in (organisation, organisation[::-1]))
    (second,) = (w[0] for w in placed if w[4] in (site, site[::-1]))
    return first, second


def test_the_arabic_checklist_numbers_its_questions_at_the_right(first_pages: dict[str, Placed]) -> None:
    line = line_of(first_pages["ar"], "1.")
    number = next(w for w in line if w[4] == "1.")
    question = [w for w in line if w is not number]
    assert question
    assert number[2] > A4_WIDTH - MARGIN - 3
    assert number[0] > max(w[2] for w in question)


def test_the_arabic_checklist_runs_its_blanks_and_fields_from_the_right(first_pages: dict[str, Placed]) -> None:
    first, second, third = reading_numbers(first_pages["ar"])
    assert first > second > third
    organisation, site = field_edges(first_pages["ar"], "ar")
    assert organisation > A4_WIDTH / 2 > site


def test_the_english_checklist_stays_left_to_right(first_pages: dict[str, Placed]) -> None:
    line = line_of(first_pages["en"], "1.")
    number = next(w for w in line if w[4] == "1.")
    assert number[0] < MARGIN + 3
    assert number[2] < min(w[0] for w in line if w is not number)
    first, second, third = reading_numbers(first_pages["en"])
    assert first < second < third
    organisation, site = field_edges(first_pages["en"], "en")
    assert organisation < A4_WIDTH / 2 < site
