"""What changed, in the reports: the PDF scorecard's section and the workbook's Changes sheets, read
back, equal the engine's scores of each room's latest assessment and the one before."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest

from checklists.i18n import using
from reports.changes import Compared, change_rows, changes_csv, compare_reports, format_delta
from reports.data import ReportData, RoomReport
from reports.excel import write_workbook
from reports.labels import format_date, format_score
from scoring.changes import Change
from tests.reports.conftest import pdf_pages


def _twice_assessed(report: ReportData) -> list[RoomReport]:
    rooms = [r for r in report.rooms if len(r.assessments) >= 2]
    assert rooms, "the demo clinic has rooms assessed more than once"
    return rooms


def test_the_scorecard_says_what_changed_since_the_assessment_before(
    clinic_pdf: Path, clinic_report: ReportData
) -> None:
    pages = pdf_pages(clinic_pdf)
    catalogue = clinic_report.catalogue
    for room in _twice_assessed(clinic_report):
        before, after = room.assessments[-2], room.assessments[-1]
        heading = f"What changed since {format_date(before.assessed_on)}"
        # The room's scorecard: from its first page (running head and title) to the next room's.
        first = next(n for n, page in enumerate(pages) if f"· {room.name} {room.name} " in page)
        text = " ".join(page for page in pages[first:] if f"· {room.name} " in page[:200])
        assert heading in text, room.name
        changes = compare_reports(catalogue, before, after)
        assert before.score.overall == changes.overall.before
        assert after.score.overall == changes.overall.after
        start = text.index(heading)
        end = text.find("Measurements against their targets", start)
        section = text[start : end if end > 0 else start + 20_000]
        overall = (
            f"Overall score {format_score(before.score.overall)} {format_score(after.score.overall)} "
            f"{format_delta(changes.overall.delta)}"
        )
        assert overall in section, room.name
        for row in change_rows(catalogue, changes, only_moved=True):
            assert row.item in section, (room.name, row.item)
            assert row.change_text in section, (room.name, row.item)


@pytest.fixture(scope="module")
def workbook(clinic_report: ReportData, tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("changes") / "clinic.xlsx"
    write_workbook(clinic_report, path)
    return openpyxl.load_workbook(path)


def test_the_changes_sheet_holds_both_assessments_item_scores(
    workbook: openpyxl.Workbook, clinic_report: ReportData
) -> None:
    rows = list(workbook["Changes"].iter_rows(values_only=True))
    header, body = rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert header[:3] == ("Site", "Room", "From assessment")
    for room in _twice_assessed(clinic_report):
        before, after = room.assessments[-2], room.assessments[-1]
        mine = [r for r in body if r["Room"] == room.name]
        by_item = {r["Item id"]: r for r in mine}
        scored = {i for i, result in after.score.items.items() if result.weight > 0}
        assert set(by_item) == scored
        for item_id, row in by_item.items():
            assert row["Score before (0 to 1)"] == before.score.items[item_id].score
            assert row["Score after (0 to 1)"] == after.score.items[item_id].score
            assert (row["From assessment"], row["To assessment"]) == (before.id, after.id)
            assert row["From date"] == dt.datetime.combine(before.assessed_on, dt.time())
        worse = [r for r in mine if r["Change"] == Change.worsened.words]
        assert all(r["Score change"] < 0 for r in worse)
    scores = list(workbook["Score changes"].iter_rows(values_only=True))
    table = [dict(zip(scores[0], r, strict=True)) for r in scores[1:]]
    for room in _twice_assessed(clinic_report):
        before, after = room.assessments[-2], room.assessments[-1]
        overall = next(r for r in table if r["Room"] == room.name and r["Score of"] == "Overall")
        assert (overall["Before"], overall["After"]) == (before.score.overall, after.score.overall)
        for category, value in after.score.categories.items():
            title = next(c.title for c in clinic_report.catalogue.categories if c.id == category)
            line = next(r for r in table if r["Room"] == room.name and r["Name"] == title)
            assert (line["Before"], line["After"]) == (before.score.categories[category].score, value.score)


def test_the_csv_export_neutralises_formula_like_text(clinic_report: ReportData) -> None:
    room = _twice_assessed(clinic_report)[0]
    before, after = room.assessments[-2], room.assessments[-1]
    compared = Compared(
        room_id=room.id, room_name='=HYPERLINK("http://example.test")', before_id=before.id,
        before_on=before.assessed_on, after_id=after.id, after_on=after.assessed_on,
        changes=compare_reports(clinic_report.catalogue, before, after),
    )  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(changes_csv(clinic_report.catalogue, compared).decode("utf-8"))))
    assert rows
    assert {r["room"] for r in rows} == {'\'=HYPERLINK("http://example.test")'}
    # Score changes are numbers, not text: a negative one keeps its minus sign and no apostrophe.
    assert all(float(r["score_change"]) < 0 for r in rows if r["change"] == Change.worsened.words)
    assert {r["change"] for r in rows} <= {kind.words for kind in Change}


def test_a_change_is_written_with_its_sign_and_the_languages_decimal_mark() -> None:
    assert [format_delta(v) for v in (6.24, -4.16, 0.04, -0.04)] == ["+6.2", "-4.2", "0.0", "0.0"]
    assert format_delta(-0.1333, 3) == "-0.133"
    assert format_delta(None) == "–"
    with using("fr"):
        assert [format_delta(v) for v in (6.24, -4.16, 0.04)] == ["+6,2", "-4,2", "0,0"]
        assert format_delta(-0.1333, 3) == "-0,133"
    with using("de"):
        assert format_delta(17.56) == "+17,6"
