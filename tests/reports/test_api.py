"""`build_report`, as the command line and the Reports page call it: every format, progress, clear refusals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from assessments import repository as repo
from reports import api
from reports.api import FORMATS, build_checklist, build_report
from reports.errors import ReportError, ReportOutputError, ReportScopeError
from tests.reports.conftest import Demo, pdf_pages


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
def test_each_format_for_a_site(demo: Demo, fmt: api.Format, tmp_path: Path) -> None:
    calls: list[tuple[int, int, str]] = []
    with demo.store.session() as session:
        site_id = repo.list_sites(session, demo.user, demo.office)[0].id
        out = build_report(
            session,
            demo.user,
            org_id=demo.office,
            site_id=site_id,
            fmt=fmt,
            out=tmp_path / f"office{api.suffix_for(fmt)}",
            progress=lambda d, t, m: calls.append((d, t, m)),
        )
    assert out.exists()
    assert out.stat().st_size > 0
    done = [d for d, _, _ in calls]
    assert done == sorted(done)
    assert done[0] == 0
    assert done[-1] == 100
    assert all(total == 100 for _, total, _ in calls)
    if fmt == "xlsx":
        assert openpyxl.load_workbook(out).sheetnames[1] == "Rooms"
    elif fmt == "csv":
        assert pd.read_csv(out)["site"].unique().tolist() == ["Harbour Street Office"]
    else:
        assert json.loads(out.read_text(encoding="utf-8"))["organisation"]["name"] == "Harbour Street Partners"


def test_a_pdf_of_chosen_rooms(demo: Demo, tmp_path: Path) -> None:
    with demo.store.session() as session:
        rooms = repo.list_rooms(session, demo.user)
        school = [r for r in rooms if r.site.organisation_id == demo.school][:2]
        out = build_report(
            session,
            demo.user,
            org_id=demo.school,
            room_ids=[r.id for r in school],
            fmt="pdf",
            out=tmp_path / "two.pdf",
            consultant="Chris Okafor",
        )
    text = " ".join(pdf_pages(out))
    assert "2 selected rooms" in text
    assert all(r.name in text for r in school)


def test_bad_requests_end_with_a_message_and_no_file(demo: Demo, tmp_path: Path) -> None:
    with demo.store.session() as session:
        with pytest.raises(ReportOutputError, match="does not exist"):
            build_report(session, demo.user, org_id=demo.clinic, fmt="csv", out=tmp_path / "no" / "such" / "r.csv")
        with pytest.raises(ReportOutputError, match="is a folder"):
            build_report(session, demo.user, org_id=demo.clinic, fmt="csv", out=tmp_path)
        blocker = tmp_path / "file"
        blocker.write_text("x")
        with pytest.raises(ReportOutputError, match="is not a folder"):
            build_report(session, demo.user, org_id=demo.clinic, fmt="json", out=blocker / "r.json")
        with pytest.raises(ReportScopeError):
            build_report(session, demo.user, org_id=4242, fmt="xlsx", out=tmp_path / "r.xlsx")
        unknown: Any = "docx"
        with pytest.raises(ReportError, match="unknown report format 'docx'"):
            build_report(session, demo.user, org_id=demo.clinic, fmt=unknown, out=tmp_path / "r.docx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_read_only_folder_is_refused(tmp_path: Path) -> None:
    # /proc is never writable, even for root (who may write to any chmod-ed folder).
    with pytest.raises(ReportOutputError, match="cannot write"):
        build_checklist("school", "classroom", Path("/proc/report.pdf"))


def test_formats_and_checklist(tmp_path: Path) -> None:
    assert FORMATS == ("pdf", "xlsx", "csv", "json")
    out = build_checklist("workplace", "open_office", tmp_path / "open.pdf")
    assert "Room checklist: Open" in " ".join(pdf_pages(out))
