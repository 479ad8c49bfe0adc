"""An Arabic report reads right to left: headings and paragraphs set from the right margin, tables'
first column on the right, the summary's key figures starting at the right; an English one keeps
its left-to-right layout. Positions are read back from the PDF with pdftotext's word boxes."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest

from checklists.i18n import using
from reports.collect import collect_report
from reports.pdf import write_pdf_report
from tests.reports.conftest import Demo, data_folder, pdf_pages

A4_WIDTH = 595.28  # points
MARGIN = 16 / 25.4 * 72  # the report's left and right margins, 16 mm
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


# Direction marks pdftotext writes around right-to-left runs.
_MARKS = re.compile("[\u200e\u200f\u202a-\u202e]")


def words(path: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """The words of one page (1-based) as (left, top, right, bottom, text), in points."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(path), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return [
        (float(a), float(b), float(c), float(d), _MARKS.sub("", html.unescape(t)))
        for a, b, c, d, t in _WORD.findall(out)
    ]


def heading_line(
    placed: list[tuple[float, float, float, float, str]], word: str
) -> list[tuple[float, float, float, float, str]]:
    """The words on the line of the page's biggest `word` (the heading, not the running header); a
    right-to-left word comes back in drawing order, its letters reversed."""
    big = max((w for w in placed if w[4] in (word, word[::-1])), key=lambda w: w[3] - w[1])
    return [w for w in placed if abs(w[1] - big[1]) < 2]


def rows_with(placed: list[tuple[float, float, float, float, str]], word: str) -> list[list[float]]:
    """Per table row holding `word`: the left and right edges of the row's words."""
    tops = {round(w[1]) for w in placed if w[4] == word}
    return [[x for w in placed if round(w[1]) == top for x in (w[0], w[2])] for top in sorted(tops)]


@pytest.fixture(scope="module")
def reports(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("rtl")
    made = {}
    for locale in ("en", "ar"):
        with using(locale), data_folder(demo.data_dir), demo.store.session() as session:
            data = collect_report(session, demo.user, org_id=demo.clinic)
        made[locale] = write_pdf_report(data, folder / f"clinic-{locale}.pdf", locale=locale)
    return made


def summary_page(path: Path, heading: str) -> int:
    """The page the executive summary starts on (the contents name it too, so the last page before
    the rooms that carries the heading's words at the top)."""
    pages = pdf_pages(path)
    return next(n for n, text in enumerate(pages, start=1) if heading in text and "....." not in text)


def test_the_arabic_summary_is_set_from_the_right(reports: dict[str, Path]) -> None:
    page = summary_page(reports["ar"], "التنفيذي")
    placed = words(reports["ar"], page)
    heading = heading_line(placed, "التنفيذي")
    # The heading ends at the right margin; nothing of it near the left one.
    assert max(w[2] for w in heading) > A4_WIDTH - MARGIN - 3
    assert min(w[0] for w in heading) > A4_WIDTH / 2
    # The table of rooms most in need (the page's first): its first column, the room's name, is the rightmost.
    rows = rows_with(placed, "Examination")
    assert rows, "no room row found"
    assert max(rows[0]) > A4_WIDTH - MARGIN - 6


def test_the_english_summary_stays_left_to_right(reports: dict[str, Path]) -> None:
    page = summary_page(reports["en"], "Executive summary")
    placed = words(reports["en"], page)
    assert min(w[0] for w in heading_line(placed, "Executive")) < MARGIN + 4
    rows = rows_with(placed, "Examination")
    assert rows
    assert min(rows[0]) < MARGIN + 6


def test_an_arabic_assessors_note_reads_from_the_right(reports: dict[str, Path]) -> None:
    """A note (people's own words, here English) under its item's Arabic label, both set from the right."""
    pages = pdf_pages(reports["ar"])
    page = next(n for n, text in enumerate(pages, start=1) if "Two of the ceiling tubes flicker" in text)
    placed = words(reports["ar"], page)
    (edges,) = rows_with(placed, "facilities.") or rows_with(placed, "facilities")
    assert max(edges) > A4_WIDTH - MARGIN - 3
