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


def _size(word: tuple[float, float, float, float, str]) -> float:
    return word[3] - word[1]


def _centre(placed: list[tuple[float, float, float, float, str]], *texts: str) -> float:
    """The middle of the first word that is one of `texts` (a right-to-left word may come back reversed)."""
    found = next(w for w in placed if w[4] in texts or w[4][::-1] in texts)
    return (found[0] + found[2]) / 2


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_the_cover_and_a_rooms_score_boxes_start_where_the_reader_starts(reports: dict[str, Path], locale: str) -> None:
    """The cover's facts (label, then value), the band legend (A to D) and a room's score boxes
    (overall, band, counts) from the left in English, mirrored from the right in Arabic; the running
    header names the organisation on the reader's starting side."""
    rtl = locale == "ar"
    cover = words(reports[locale], 1)
    label = _centre(cover, "Sites", "المواقع")
    value = _centre(cover, "Riverside")  # the site's name, the value beside the label
    assert (label > value) is rtl, (label, value)
    legend = [_centre([w for w in cover if w[4] == band], band) for band in "ABCD"]
    assert legend == sorted(legend, reverse=rtl), legend
    assert len(set(legend)) == 4, legend

    # The room's first page: its name as the page's heading (on later pages only the running header has it).
    pages = pdf_pages(reports[locale])
    room = next(
        n for n, text in enumerate(pages, start=1)
        if "waiting area" in text and any(w[4] == "waiting" and _size(w) > 12 for w in words(reports[locale], n))
    )  # fmt: skip
    placed = words(reports[locale], room)
    figure = max((w for w in placed if re.fullmatch(r"\d+\.\d", w[4])), key=_size)  # the overall score
    band = max((w for w in placed if w[4] in "ABCD" and len(w[4]) == 1), key=_size)  # the band's letter
    assert (figure[0] > band[0]) is rtl, (figure, band)
    # The score box sits against the reader's starting margin.
    if rtl:
        assert figure[2] > A4_WIDTH / 2
    else:
        assert figure[0] < A4_WIDTH / 2
    header = [w for w in placed if w[1] < 40]
    organisation = _centre(header, "Health")  # "Riverside Community Health"; the room's site is a Clinic
    assert (organisation > A4_WIDTH / 2) is rtl
