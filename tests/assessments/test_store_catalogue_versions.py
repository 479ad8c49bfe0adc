"""The store keeps every catalogue version it sees, whole, and picks the version each assessment is
scored under (on SQLite and on PostgreSQL)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from assessments import repository
from assessments.catalogue_versions import (
    CatalogueVersionError,
    catalogue_for,
    kept_catalogue,
    kept_versions,
    register_catalogue,
)
from assessments.db import Store
from assessments.models import Assessment, AssessmentStatus, CatalogueVersion
from checklists.loader import DEFAULT_CATALOGUE_DIR, default_catalogue, load_catalogue
from tests.assessments.conftest import World
from tests.catalogue_versions import NEW_VERSION, new_version


def test_each_version_is_kept_once_and_whole(store: Store, tmp_path: Path) -> None:
    folder = new_version(tmp_path)
    with store.session() as session:
        register_catalogue(session, DEFAULT_CATALOGUE_DIR)
        register_catalogue(session, DEFAULT_CATALOGUE_DIR)
        kept = register_catalogue(session, folder)
        assert kept.previous == "2026.1"
        assert [v.version for v in kept_versions(session)] == ["2026.1", NEW_VERSION]
        files = json.loads(kept.content)
        assert files["catalogue.yaml"] == (folder / "catalogue.yaml").read_text()
        assert kept_catalogue(session, NEW_VERSION) == load_catalogue(folder)
        with pytest.raises(
            CatalogueVersionError, match=r"keeps no catalogue version 2019\.1 \(it keeps: 2026\.1, 2027\.1\)"
        ):
            kept_catalogue(session, "2019.1")


def test_a_changed_folder_under_a_kept_version_leaves_the_kept_one(
    store: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = new_version(tmp_path)
    with store.session() as session:
        first = register_catalogue(session, folder).fingerprint
    school = folder / "profiles" / "school.yaml"
    school.write_text(school.read_text().replace("noise.background_level: 2.0", "noise.background_level: 9.0", 1))
    with store.session() as session, caplog.at_level(logging.WARNING):
        again = register_catalogue(session, folder)
        assert again.fingerprint == first
        assert (
            kept_catalogue(session, NEW_VERSION)
            .checklist("school", "classroom")
            .by_id()["noise.background_level"]
            .weight
            == 2.0
        )
    assert "Give the changed catalogue a new version" in caplog.text


def test_the_catalogue_an_assessment_is_scored_under(store: Store, tmp_path: Path) -> None:
    current = default_catalogue()
    folder = new_version(tmp_path)
    with store.session() as session:
        register_catalogue(session, folder)
        newer = load_catalogue(folder)
        assert catalogue_for(session, NEW_VERSION, "submitted", current) == newer
        assert catalogue_for(session, NEW_VERSION, AssessmentStatus.draft, current) is current
        assert catalogue_for(session, "2019.1", "reviewed", current) is current  # not kept: the current one
        assert catalogue_for(session, NEW_VERSION, "reviewed", current, ("school", "no_such_room")) is current
        # A kept version that no longer validates is not used, and says why.
        row = session.get(CatalogueVersion, NEW_VERSION)
        assert row is not None
        files = json.loads(row.content)
        files["lighting.yaml"] = "category: lighting\nitems: []\n"
        row.content = json.dumps(files)
        session.commit()
        with pytest.raises(CatalogueVersionError, match=r"no longer validates: catalogue/lighting\.yaml:2: items"):
            kept_catalogue(session, NEW_VERSION)
        assert catalogue_for(session, NEW_VERSION, "submitted", current) is current


def test_submitting_a_draft_records_the_current_version(store: Store, world: World) -> None:
    with store.session() as session:
        draft = repository.start_assessment(session, world.staff_a, world.room_a)
        assessment = session.get(Assessment, draft.id)
        assert assessment is not None
        assert assessment.catalogue_version == default_catalogue().version
        assessment.catalogue_version = "2019.1"  # begun under an older version
        session.commit()
        version = repository.save_answer(
            session, world.staff_a, draft.id, "lighting.dimmable", "yes", assessment.version_id
        )
        repository.submit(session, world.staff_a, draft.id, version, provisional_reason="a short visit")
        session.refresh(assessment)
        assert assessment.catalogue_version == default_catalogue().version
