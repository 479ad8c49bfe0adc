"""When the catalogue moves on, answers stored under an earlier version are kept and shown as
retired: every screen renders, every report builds, and the item counts as not answered."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete, select
from streamlit.testing.v1 import AppTest

from assessments import repository
from assessments.db import Store
from assessments.models import AnswerRow, Assessment, AssessmentStatus, Response
from checklists.loader import default_catalogue
from reports.collect import collect_report
from reports.excel import write_workbook
from reports.pdf import write_pdf_report
from reports.tabular import write_csv, write_json
from scoring.engine import score_assessment
from ui import portfolio_view as view
from ui import state
from ui.navigation import PAGES

MANAGER = "manager@demo.sensory-audit.test"
GONE = "lighting.glare_index"  # an item a later catalogue retired
CHANGED = "textures.muted_colours"  # a choice item whose option "sometimes" was removed


@pytest.fixture(scope="module")
def retired(demo_store: Store) -> tuple[int, int]:
    """The latest submitted assessment of a classroom gets two answers the catalogue no longer takes,
    written as an earlier version of the app stored them (the response and its answer rows)."""
    with demo_store.session() as session:
        manager = repository.get_user_by_email(session, MANAGER)
        assert manager is not None
        portfolio = view.build_portfolio(session, manager, default_catalogue())
        latest = portfolio.latest
        row = latest[(latest["room_type"] == "classroom") & (latest["status"] != "draft")].iloc[0]
        assessment_id, room_id = int(row["assessment_id"]), int(row["room_id"])
        for item_id, value, text, num in ((GONE, 3, None, 3.0), (CHANGED, "sometimes", "sometimes", None)):
            for old in session.scalars(
                select(Response).where(Response.assessment_id == assessment_id, Response.item_id == item_id)
            ):
                session.delete(old)
            session.execute(
                delete(AnswerRow).where(AnswerRow.assessment_id == assessment_id, AnswerRow.item_id == item_id)
            )
            session.flush()
            session.add(Response(assessment_id=assessment_id, item_id=item_id, value=value))
            session.add(AnswerRow(assessment_id=assessment_id, item_id=item_id, seq=0, na=False, num=num, text=text))
        assessment = session.get(Assessment, assessment_id)
        assert assessment is not None
        assert assessment.status is not AssessmentStatus.draft
        session.commit()
    return assessment_id, room_id


def _manager(store: Store):
    with store.session() as session:
        manager = repository.get_user_by_email(session, MANAGER)
    assert manager is not None
    return manager


def test_the_store_keeps_them_apart_and_the_engine_counts_them_missing(demo_store: Store, retired) -> None:
    assessment_id, _ = retired
    manager = _manager(demo_store)
    with demo_store.session() as session:
        stored = repository.stored_answers(session, manager, assessment_id)
        source = repository.scoring_input(session, manager, assessment_id)
    reasons = {r.item_id: r.reason for r in stored.retired}
    assert reasons[GONE] == "the item is no longer in the catalogue"
    assert reasons[CHANGED].startswith("the answer is no longer accepted: expected one of yes, partial, no")
    score = score_assessment(default_catalogue(), source)
    assert score.items[CHANGED].status == "missing"
    assert CHANGED in score.missing


@pytest.mark.parametrize("page", ["overview", "compare", "room", "action_plan", "criteria", "report_downloads"])
def test_every_screen_renders(demo_store: Store, retired, page: str) -> None:
    _, room_id = retired
    app = AppTest.from_file(str(PAGES / f"{page}.py"), default_timeout=60)
    app.session_state[state.USER_ID] = _manager(demo_store).id
    if page == "room":
        app.query_params["room"] = str(room_id)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error


def test_the_room_page_shows_the_retired_answers(demo_store: Store, retired) -> None:
    _, room_id = retired
    app = AppTest.from_file(str(PAGES / "room.py"), default_timeout=60)
    app.session_state[state.USER_ID] = _manager(demo_store).id
    app.query_params["room"] = str(room_id)
    app.run()
    assert "Answers the current criteria no longer take" in [s.value for s in app.subheader]
    tables = [t.value for t in app.dataframe]
    kept = next(t for t in tables if "Answer kept" in t.columns)
    assert dict(zip(kept["Answer kept"], kept["Why it does not count"], strict=True))["3"] == (
        "the item is no longer in the catalogue"
    )
    answers = " ".join(str(v) for t in tables if "Answer" in t.columns for v in t["Answer"])
    assert "retired answer: sometimes" in answers


def test_every_report_builds_and_names_them(demo_store: Store, retired, tmp_path: Path) -> None:
    assessment_id, room_id = retired
    manager = _manager(demo_store)
    with demo_store.session() as session:
        org = repository.get_site(session, manager, repository.get_room(session, manager, room_id).site_id)
        data = collect_report(session, manager, org_id=org.organisation_id, site_id=org.id, photos=False)
    room = next(r for r in data.rooms if r.id == room_id)
    assert room.latest is not None
    assert room.latest.id == assessment_id
    assert {r.item_id for r in room.latest.retired} == {GONE, CHANGED}
    pdf = write_pdf_report(data, tmp_path / "site.pdf")
    write_workbook(data, tmp_path / "site.xlsx")
    write_csv(data, tmp_path / "site.csv")
    write_json(data, tmp_path / "site.json")
    import subprocess

    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "retired" in text.lower()
    assert "sometimes" in text
    book = load_workbook(tmp_path / "site.xlsx", read_only=True)
    rows = list(book["Responses"].iter_rows(values_only=True))
    header = rows[0]
    kept = {r[header.index("Item id")]: r for r in rows[1:] if r[header.index("Status")] == "retired"}
    assert set(kept) == {GONE, CHANGED}
    assert kept[CHANGED][header.index("Answer")] == "sometimes"
    assert kept[GONE][header.index("Note")] == "the item is no longer in the catalogue"
