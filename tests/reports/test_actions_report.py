"""The actions in the PDF and the workbook, read back: the counts, the states and the points gained."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from assessments import repository as repo
from reports.collect import collect_report
from reports.data import ReportData
from reports.excel import write_workbook
from reports.labels import format_gain
from reports.pdf import write_pdf_report
from tests.reports.conftest import Demo, data_folder, pdf_pages


@pytest.fixture(scope="module")
def office(demo: Demo) -> ReportData:
    with data_folder(demo.data_dir), demo.store.session() as session:
        return collect_report(session, demo.user, org_id=demo.office, photos=False)


def stored(demo: Demo) -> list[repo.ActionView]:
    with demo.store.session() as session:
        return repo.list_actions(session, demo.user, organisation_id=demo.office)


def test_the_report_holds_the_office_actions_to_do_first(office: ReportData, demo: Demo) -> None:
    actions = stored(demo)
    assert sorted((a.room_name, a.item_id, a.status) for a in office.actions) == sorted(
        (a.room_name, a.item_id, a.status) for a in actions
    )
    assert [a.status for a in office.actions] == ["open", "done", "verified", "verified"]
    summary = office.action_summary
    today = dt.date.today()
    assert (summary.open, summary.done, summary.verified) == (1, 1, 2)
    assert summary.overdue == sum(a.overdue(today) for a in actions)
    verified = [a for a in actions if a.status == "verified"]
    assert summary.points_gained == pytest.approx(sum(a.gain or 0 for a in verified))
    assert summary.points_gained > 0


def test_the_pdf_lists_the_actions(office: ReportData, tmp_path: Path) -> None:
    path = write_pdf_report(office, tmp_path / "office.pdf")
    text = " ".join(pdf_pages(path))
    summary = office.action_summary
    assert (
        f"{summary.open} open ({summary.overdue} overdue), {summary.done} done and waiting for the next assessment"
        in text
    )
    assert f"{summary.verified} verified by a later submitted assessment" in text
    assert f"the verified fixes added {format_gain(summary.points_gained)} points" in text
    assert "verified 20 Nov 2026" in text
    assert "Sam Patel" in text


def test_the_workbook_has_every_action(office: ReportData, demo: Demo, tmp_path: Path) -> None:
    path = write_workbook(office, tmp_path / "office.xlsx")
    sheet = openpyxl.load_workbook(path)["Actions"]
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert header[:7] == ("Site", "Room", "Item id", "Fix", "Owner", "Due", "State")
    by_item = {(a.room_name, a.item_id): a for a in stored(demo)}
    assert len(body) == len(by_item)
    for row in body:
        action = by_item[(row["Room"], row["Item id"])]
        assert row["State"] == action.status.replace("_", " ")
        assert row["Owner"] == action.owner_name
        assert row["Due"].date() == action.due_on
        assert row["Gain (points)"] == pytest.approx(action.gain)
        assert row["Overdue"] is action.overdue()
        assert (row["Verified on"] is not None) == (action.status == "verified")
    reopened = next(r for r in body if r["State"] == "open")
    assert reopened["Last check"].startswith("Reopened: the assessment of 20 November 2026")
