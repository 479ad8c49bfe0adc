"""The workbook read back with openpyxl: the Rooms sheet equals the engine's numbers, every answer is there."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from reports.data import ReportData
from reports.excel import SHEETS, write_workbook
from reports.labels import category_title
from tests.reports.conftest import handmade_report


@pytest.fixture(scope="module")
def workbook(clinic_report: ReportData, tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("xlsx") / "clinic.xlsx"
    calls: list[tuple[int, int, str]] = []
    write_workbook(clinic_report, path, progress=lambda done, total, message: calls.append((done, total, message)))
    assert calls[-1][0] == calls[-1][1]
    return openpyxl.load_workbook(path)


def _rows(sheet: object) -> list[dict[str, object]]:
    rows = list(sheet.iter_rows(values_only=True))  # type: ignore[attr-defined]
    header = rows[0]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def test_the_sheets(workbook: openpyxl.Workbook) -> None:
    assert workbook.sheetnames == list(SHEETS)
    for name in SHEETS[1:]:
        sheet = workbook[name]
        assert sheet.freeze_panes is not None
        assert sheet.freeze_panes.endswith("2")
        assert sheet.auto_filter.ref.startswith("A1:")
        assert sheet["A1"].font.bold


def test_rooms_sheet_equals_the_engine(workbook: openpyxl.Workbook, clinic_report: ReportData) -> None:
    rows = {row["Room"]: row for row in _rows(workbook["Rooms"])}
    assert set(rows) == {r.name for r in clinic_report.rooms}
    catalogue = clinic_report.catalogue
    for room in clinic_report.rooms:
        score, latest = room.score, room.latest
        assert score is not None
        assert latest is not None
        row = rows[room.name]
        assert row["Overall"] == score.overall
        assert isinstance(row["Overall"], float)
        assert row["Band"] == score.band
        assert row["Completeness"] == score.completeness
        assert row["Provisional"] is score.provisional
        assert row["Assessment id"] == latest.id
        assert row["Assessed on"] == dt.datetime.combine(latest.assessed_on, dt.time())
        assert row["Critical items failed"] == len(score.critical_failures)
        for category, value in score.categories.items():
            assert row[category_title(catalogue, category)] == value.score
        for principle, value in score.principles.items():
            assert row[f"Principle: {principle.capitalize()}"] == value


def test_bands_are_coloured(workbook: openpyxl.Workbook) -> None:
    rules = workbook["Rooms"].conditional_formatting
    fills = {rule.dxf.fill.bgColor.rgb for area in rules for rule in area.rules if rule.dxf and rule.dxf.fill}
    assert {"FF009E73", "FF56B4E9", "FFE69F00", "FFD55E00"} <= fills


def test_every_answer_of_each_rooms_latest_assessment(workbook: openpyxl.Workbook, clinic_report: ReportData) -> None:
    rows = _rows(workbook["Responses"])
    latest = [room.latest for room in clinic_report.rooms if room.latest is not None]
    assert len(rows) == sum(len(a.items) for a in latest)
    by_key = {(row["Assessment id"], row["Item id"]): row for row in rows}
    for assessment in latest:
        for item in assessment.items:
            row = by_key[(assessment.id, item.item_id)]
            assert row["Status"] == item.status
            assert row["Score (0 to 1)"] == item.score
            assert row["Note"] == item.note
            assert row["Answer"] == item.answer_text


def test_every_assessment_in_the_history_sheet(workbook: openpyxl.Workbook, clinic_report: ReportData) -> None:
    rows = _rows(workbook["Assessments"])
    assert [(r["Assessment id"], r["Overall"], r["Band"]) for r in rows] == [
        (a.id, a.score.overall, a.score.band) for a in clinic_report.assessments
    ]


def test_action_plan_and_criteria(workbook: openpyxl.Workbook, clinic_report: ReportData) -> None:
    plan = _rows(workbook["Action plan"])
    assert [(r["Rank"], r["Room"], r["Item id"], r["Gain (points)"]) for r in plan] == [
        (e.rank, e.room_name, e.item_id, e.gain) for e in clinic_report.action_plan
    ]
    criteria = _rows(workbook["Criteria"])
    assert [r["Item id"] for r in criteria] == [i.id for i in clinic_report.catalogue.items]
    assert all(r["Evidence grade"] in ("P", "R", "D", "Q") and r["Source"] for r in criteria)


def test_a_room_not_yet_assessed_is_listed_without_scores(tmp_path: Path) -> None:
    data = handmade_report()
    empty = replace(data.rooms[0], id=99, name="Store room", assessments=())
    site = replace(data.sites[0], rooms=(*data.sites[0].rooms, empty))
    out = write_workbook(replace(data, sites=(site,)), tmp_path / "w.xlsx")
    rows = {row["Room"]: row for row in _rows(openpyxl.load_workbook(out)["Rooms"])}
    assert rows["Store room"]["Status"] == "not assessed"
    assert rows["Store room"]["Overall"] is None
