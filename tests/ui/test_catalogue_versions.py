"""A new catalogue version arrives (a threshold moved, an item retired, another renamed): every stored
score stays as it was, the screens and reports say which version each score comes from, and the
re-scored view under the new version differs exactly where the threshold moved."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from assessments import repository
from assessments.catalogue_versions import CatalogueChooser, kept_catalogue, kept_versions
from assessments.db import Store, open_store
from assessments.models import User
from checklists.loader import CATALOGUE_DIR_ENV, DEFAULT_CATALOGUE_DIR, default_catalogue, load_catalogue
from reports.collect import collect_report
from reports.excel import write_workbook
from reports.pdf import write_pdf_report
from reports.tabular import write_json
from scoring.rescore import rescore
from tests.catalogue_versions import (
    CLASSROOM_AFTER,
    MOVED,
    NEW_NAME,
    NEW_VERSION,
    OLD_NAME,
    OLD_VERSION,
    RETIRED,
    new_version,
)
from ui import context, state, version_view
from ui import portfolio_view as view
from ui.navigation import PAGES

MANAGER = "manager@demo.sensory-audit.test"
SCORE_COLUMNS = ["overall", "band", "completeness", "critical_failures", "missing"]


@dataclass(frozen=True)
class Versioned:
    store: Store
    manager: User
    before: pd.DataFrame  # stored scores of every assessment, taken before the new version arrived
    room_id: int
    site_id: int
    organisation_id: int
    new_assessment: int


def _clear_caches() -> None:
    default_catalogue.cache_clear()
    context.catalogue.clear()
    context.store.clear()
    st.cache_data.clear()


@pytest.fixture(scope="module")
def versioned(demo_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Versioned]:
    with demo_store.session() as session:
        manager = repository.get_user_by_email(session, MANAGER)
        assert manager is not None
        portfolio = view.build_portfolio(session, manager, default_catalogue())
    before = portfolio.assessments[portfolio.assessments["status"] != "draft"].set_index("assessment_id")
    classrooms = portfolio.latest[(portfolio.latest["room_type"] == "classroom")]
    room = classrooms[classrooms["status"] != "draft"].iloc[0]
    folder = new_version(tmp_path_factory.mktemp("criteria"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CATALOGUE_DIR_ENV, str(folder))
        _clear_caches()
        store = open_store()  # the app starts with the new version and keeps it
        try:
            with store.session() as session:
                latest = int(room["assessment_id"])
                raw = repository.assessment_document(session, manager, latest)["responses"]
                new = repository.start_assessment(session, manager, int(room["room_id"]), dt.date.today())
                version = new.version_id
                checklist = default_catalogue().checklist("school", "classroom").by_id()
                for item_id, value in raw.items():
                    item_id = NEW_NAME if item_id == OLD_NAME else item_id
                    if item_id in checklist:
                        version = repository.save_answer(session, manager, new.id, item_id, value, version)
                repository.submit(session, manager, new.id, version, provisional_reason="glare item retired")
            yield Versioned(
                store, manager, before, int(room["room_id"]), int(room["site_id"]), int(room["organisation_id"]), new.id
            )
        finally:
            store.dispose()
            _clear_caches()
    _clear_caches()


def test_every_version_seen_is_kept_whole(versioned: Versioned) -> None:
    with versioned.store.session() as session:
        kept = kept_versions(session)
        assert [v.version for v in kept] == [OLD_VERSION, NEW_VERSION]
        assert kept[1].previous == OLD_VERSION
        # The kept first version is the shipped folder exactly, whatever the app now runs with.
        assert kept_catalogue(session, OLD_VERSION) == load_catalogue(DEFAULT_CATALOGUE_DIR)
    reopened = open_store()
    with reopened.session() as session:
        assert len(kept_versions(session)) == 2  # opening again keeps nothing twice
    reopened.dispose()


def test_every_stored_score_is_unchanged(versioned: Versioned) -> None:
    assert default_catalogue().version == NEW_VERSION
    with versioned.store.session() as session:
        after = view.build_portfolio(session, versioned.manager, default_catalogue()).assessments
    after = after.set_index("assessment_id")
    old = versioned.before.index
    categories = [c for c in versioned.before.columns if c.startswith("score_")]
    pd.testing.assert_frame_equal(
        after.loc[old, SCORE_COLUMNS + categories], versioned.before[SCORE_COLUMNS + categories], check_dtype=False
    )
    assert set(after.loc[old, "scored_version"]) == {OLD_VERSION}
    assert after.loc[versioned.new_assessment, "scored_version"] == NEW_VERSION
    # One assessment through the Room page's path, item by item: the retired item still scores there.
    with versioned.store.session() as session:
        latest_old = int(versioned.before[versioned.before["room_id"] == versioned.room_id].index.max())
        scored = view.score_assessment_of(session, versioned.manager, default_catalogue(), latest_old)
    assert scored.score.catalogue_version == OLD_VERSION
    assert RETIRED in scored.score.items
    assert scored.score.overall == versioned.before.loc[latest_old, "overall"]
    assert not scored.retired


def test_the_rescored_view_differs_exactly_where_the_threshold_moved(versioned: Versioned) -> None:
    current = default_catalogue()
    old_catalogue = load_catalogue(DEFAULT_CATALOGUE_DIR)
    moved_limit = {("school", "classroom")}
    differences: set[tuple[str, str]] = set()
    checked = 0
    with versioned.store.session() as session:
        known = CatalogueChooser(session, current).known()
        for assessment_id in versioned.before.index[:60]:
            document = repository.assessment_document(session, versioned.manager, int(assessment_id))
            place = (document["setting"], document["room_type"])
            stored = view.score_assessment_of(session, versioned.manager, current, int(assessment_id)).score
            again = rescore(current, known, OLD_VERSION, *place, document["responses"])
            assert again is not None
            assert again.score.catalogue_version == NEW_VERSION
            assert RETIRED not in again.score.items
            if RETIRED in document["responses"]:
                assert [(r.item_id, r.reason) for r in again.retired] == [
                    (RETIRED, "the item is no longer in the catalogue")
                ]
            for item_id, result in stored.items.items():
                if item_id == RETIRED:
                    continue
                now = again.score.items[NEW_NAME if item_id == OLD_NAME else item_id]
                if (now.score, now.status) != (result.score, result.status):
                    differences.add((item_id, f"{place[0]}/{place[1]}"))
            checked += 1
            readings = document["responses"].get(MOVED)
            if place in moved_limit and isinstance(readings, list) and any(30 < r < 50 for r in readings):
                assert again.score.items[MOVED].score < stored.items[MOVED].score
    assert checked > 10
    assert differences == {(MOVED, "school/classroom")}, differences
    assert old_catalogue.checklist("school", "classroom").by_id()[MOVED].target != (
        current.checklist("school", "classroom").by_id()[MOVED].target
    )
    assert "ideal: [null, 30]" in CLASSROOM_AFTER


def _room_page(versioned: Versioned) -> AppTest:
    app = AppTest.from_file(str(PAGES / "room.py"), default_timeout=90)
    app.session_state[state.USER_ID] = versioned.manager.id
    app.query_params["room"] = str(versioned.room_id)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_the_room_page_marks_the_change_and_offers_the_rescored_history(versioned: Versioned) -> None:
    app = _room_page(versioned)
    captions = [c.value for c in app.caption]
    assert f"Scored under criteria version {NEW_VERSION} (the current criteria)." in captions
    assert any(c.startswith(f"This trend shows each assessment as it was scored, under criteria version {OLD_VERSION} "
                            f"then {NEW_VERSION}") for c in captions), captions  # fmt: skip
    specs = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    marks = [a["text"] for spec in specs for a in spec["layout"].get("annotations", []) if "criteria" in a["text"]]
    assert marks == [f"criteria {NEW_VERSION}"]
    toggle = app.toggle(key=version_view.RESCORE_KEY)
    assert toggle.label == f"Show the whole history re-scored under the current criteria ({NEW_VERSION})"
    toggle.set_value(True).run()
    assert not app.exception, [e.value for e in app.exception]
    assert f"**Re-scored under the current criteria ({NEW_VERSION}), not the stored scores**" in [
        m.value for m in app.markdown
    ]
    table = next(t.value for t in app.dataframe if f"Re-scored under {NEW_VERSION}" in t.value.columns)
    assert set(table["Stored under"]) == {OLD_VERSION, NEW_VERSION}
    latest_row = table.iloc[-1]
    assert latest_row["Stored score"] == latest_row[f"Re-scored under {NEW_VERSION}"]  # the new one is current
    assert len(app.get("plotly_chart")) == len(specs) + 1


@pytest.mark.parametrize("page", ["overview", "compare", "action_plan", "criteria"])
def test_every_screen_renders_and_names_the_versions(versioned: Versioned, page: str) -> None:
    app = AppTest.from_file(str(PAGES / f"{page}.py"), default_timeout=90)
    app.session_state[state.USER_ID] = versioned.manager.id
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error
    if page == "overview":
        captions = " ".join(c.value for c in app.caption)
        assert f"Scores come from criteria versions {OLD_VERSION} (" in captions
        assert f"current version {NEW_VERSION}" in captions
    if page == "compare":
        summary = app.dataframe[0].value
        assert set(summary["Criteria version"]) <= {OLD_VERSION, NEW_VERSION}


def test_the_reports_name_the_versions_and_give_the_rescored_history(versioned: Versioned, tmp_path: Path) -> None:
    with versioned.store.session() as session:
        data = collect_report(session, versioned.manager, org_id=versioned.organisation_id,
                              site_id=versioned.site_id, photos=False)  # fmt: skip
    room = next(r for r in data.rooms if r.id == versioned.room_id)
    assert [a.catalogue_version for a in room.assessments][-1] == NEW_VERSION
    assert OLD_VERSION in {a.catalogue_version for a in room.assessments}
    assert len(room.rescored) == len(room.assessments)
    assert room.rescored[-1] is None  # already under the current version
    for assessment, again in zip(room.assessments, room.rescored, strict=True):
        assert assessment.score.overall == versioned.before["overall"].get(assessment.id, assessment.score.overall)
        if again is not None:
            assert again.catalogue_version == NEW_VERSION
    pdf = write_pdf_report(data, tmp_path / "site.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=120).stdout
    flat = " ".join(text.split())
    assert f"[criteria {NEW_VERSION} from here]" in flat
    assert f"Re-scored under the current criteria ({NEW_VERSION}), not the stored scores" in flat
    assert f"Scores come from criteria versions {OLD_VERSION}, {NEW_VERSION}" in flat
    write_workbook(data, tmp_path / "site.xlsx")
    book = load_workbook(tmp_path / "site.xlsx", read_only=True)
    rows = list(book["Assessments"].iter_rows(values_only=True))
    header = list(rows[0])
    mine = [r for r in rows[1:] if r[header.index("Room id")] == versioned.room_id]
    assert {r[header.index("Criteria version")] for r in mine} == {OLD_VERSION, NEW_VERSION}
    rescored_column = header.index(f"Overall re-scored under criteria {NEW_VERSION}")
    by_id = {r[header.index("Assessment id")]: r for r in mine}
    for assessment, again in zip(room.assessments, room.rescored, strict=True):
        expected = assessment.score.overall if again is None else again.overall
        assert by_id[assessment.id][rescored_column] == expected
        assert by_id[assessment.id][header.index("Overall")] == assessment.score.overall
    exported = json.loads(write_json(data, tmp_path / "site.json").read_text())
    text_json = json.dumps(exported)
    assert f'"catalogue_version": "{OLD_VERSION}"' in text_json
    assert f'"catalogue_version": "{NEW_VERSION}"' in text_json
