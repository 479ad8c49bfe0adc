"""The calibration part of the consultant's PDF report and the workbook's Calibration sheet, on the demo round."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from assessments import repository as repo
from checklists.loader import default_catalogue
from reports.calibration import CalibrationSection, collect_organisation_calibration
from reports.data import ReportData
from reports.excel import write_workbook
from reports.pdf import write_pdf_report
from scoring.agreement import round_agreement
from tests.reports.conftest import Demo, pdf_pages


def test_the_clinic_report_carries_the_demo_round(clinic_report: ReportData) -> None:
    (section,) = clinic_report.calibration
    assert section.summary.name == "Autumn calibration: clinic"
    assert section.agreement.raters == ("Morgan Reid", "Sam Patel")
    assert section.agreement.units == 6
    assert {p.agreement.item_id for p in section.agreement.poor} >= {"lighting.glare", "textures.visual_clutter"}


def test_staff_reports_have_no_calibration(demo: Demo) -> None:
    with demo.store.session() as session:
        staff = repo.get_user_by_email(session, "staff@demo.sensory-audit.test")
        assert staff is not None
        assert collect_organisation_calibration(session, staff, demo.clinic) == ()


def test_the_pdf_has_a_calibration_part_with_the_items_to_clarify(clinic_pdf: Path, clinic_report: ReportData) -> None:
    pages = pdf_pages(clinic_pdf)
    part = [p for p in pages if "Round: Autumn calibration: clinic" in p]
    assert part, "no calibration page"
    text = " ".join(" ".join(p.split()) for p in part)
    (section,) = clinic_report.calibration
    overall = section.agreement.overall
    assert overall.icc is not None
    assert f"Overall 6 {overall.icc:.2f}" in text
    assert "Items to clarify" in text
    assert "lighting.glare" in text
    assert "weighted kappa 0.18" in text
    # In the contents too.
    assert any("Calibration" in p and "Contents" in p for p in pages[:3])


def test_no_round_no_calibration_part(clinic_report: ReportData, tmp_path: Path) -> None:
    out = write_pdf_report(replace(clinic_report, calibration=()), tmp_path / "plain.pdf")
    assert not any("Round: Autumn calibration" in p for p in pdf_pages(out))


@pytest.fixture(scope="module")
def sheet_rows(clinic_report: ReportData, tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, object]]:
    path = tmp_path_factory.mktemp("xlsx") / "clinic.xlsx"
    write_workbook(clinic_report, path)
    rows = list(openpyxl.load_workbook(path)["Calibration"].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_calibration_sheet_holds_every_figure(
    sheet_rows: list[dict[str, object]], clinic_report: ReportData
) -> None:
    (section,) = clinic_report.calibration
    agreement = section.agreement
    items = [r for r in sheet_rows if r["Level"] == "item"]
    assert [r["Item or score"] for r in items] == [i.item_id for i in agreement.items]
    glare = next(r for r in items if r["Item or score"] == "lighting.glare")
    expected = next(i for i in agreement.items if i.item_id == "lighting.glare")
    assert glare["Kappa or ICC"] == pytest.approx(expected.kappa)
    assert glare["Exact agreement"] == pytest.approx(expected.exact)
    assert glare["Poor agreement"] is True
    assert "Consultation room 1: Morgan Reid no, Sam Patel yes" in str(glare["Answers"])
    (overall,) = [r for r in sheet_rows if r["Level"] == "overall"]
    assert overall["Kappa or ICC"] == pytest.approx(agreement.overall.icc)
    assert overall["CI low"] == pytest.approx(agreement.overall.icc_low)
    few = next(r for r in items if r["Item or score"] == "lighting.reflections")
    assert few["Kappa or ICC"] is None
    assert few["Why no figure"] == "3 rooms rated by every assessor; at least 5 needed for a figure"


def test_a_round_nobody_has_assessed_yet_says_so_in_the_pdf_and_the_workbook(
    clinic_report: ReportData, tmp_path: Path
) -> None:
    # A round started today: its rooms and assessors are named, nobody has submitted yet.
    (demo_round,) = clinic_report.calibration
    summary = replace(demo_round.summary, name="Winter round", assessments=(), complete=False)
    empty = CalibrationSection(summary=summary, agreement=round_agreement(default_catalogue(), []))
    report = replace(clinic_report, calibration=(empty, demo_round))
    text = " ".join(" ".join(p.split()) for p in pdf_pages(write_pdf_report(report, tmp_path / "r.pdf")))
    assert "Round: Winter round" in text
    assert "0 rooms rated by every assessor; at least 5 needed for a figure" in text
    assert "Round: Autumn calibration: clinic" in text
    write_workbook(report, tmp_path / "r.xlsx")
    rows = list(openpyxl.load_workbook(tmp_path / "r.xlsx")["Calibration"].iter_rows(values_only=True))
    winter = [dict(zip(rows[0], row, strict=True)) for row in rows[1:] if "Winter round" in row]
    assert [(r["Level"], r["Kappa or ICC"]) for r in winter] == [("overall", None)]
    assert winter[0]["Why no figure"] == "0 rooms rated by every assessor; at least 5 needed for a figure"
