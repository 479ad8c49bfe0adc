"""Deleting a photo or a draft removes its image file from the data folder (unless another photo
shares the file), and the audit trail says so."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from assessments import repository as repo
from assessments.db import Store, data_dir
from assessments.models import AuditEvent, Evidence
from tests.assessments.conftest import TODAY, World
from tests.assessments.test_store_repository import _jpeg


def _file(store: Store, evidence_id: int) -> Path | None:
    with store.session() as s:
        found = s.get(Evidence, evidence_id)
        assert found is not None
        return None if found.stored_path is None else data_dir() / found.stored_path


def _last_event(store: Store, entity: str) -> AuditEvent:
    with store.session() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.entity == entity).order_by(AuditEvent.id.desc())).first()
        assert event is not None
        return event


def test_deleting_a_photo_removes_its_file_unless_another_photo_shares_it(store: Store, world: World) -> None:
    with store.session() as s:
        a = repo.start_assessment(s, world.staff_a, world.room_a, TODAY)
        first = repo.add_evidence(s, world.staff_a, a.id, "lighting.glare", "one.jpg", _jpeg())
        twin = repo.add_evidence(s, world.staff_a, a.id, "lighting.dimmable", "same.jpg", _jpeg())
    path = _file(store, first.id)
    if path is None:  # PostgreSQL keeps the image in the database: there is no file to remove
        return
    assert path.is_file()
    with store.session() as s:
        repo.delete_evidence(s, world.staff_a, first.id)
    assert path.is_file()  # the twin still uses it
    assert _last_event(store, "evidence").old_value["file_removed"] is False
    with store.session() as s:
        repo.delete_evidence(s, world.staff_a, twin.id)
    assert not path.exists()
    assert _last_event(store, "evidence").old_value["file_removed"] is True


def test_deleting_a_draft_removes_its_photos_files(store: Store, world: World) -> None:
    with store.session() as s:
        a = repo.start_assessment(s, world.staff_a, world.room_a, TODAY)
        photo = repo.add_evidence(s, world.staff_a, a.id, "lighting.glare", "one.jpg", _jpeg(colour=(1, 2, 3)))
        version = repo.get_assessment(s, world.manager_a, a.id).version_id
    path = _file(store, photo.id)
    with store.session() as s:
        repo.delete_assessment(s, world.manager_a, a.id, version)
    event = _last_event(store, "assessments")
    if path is None:
        assert event.old_value["files_removed"] == 0
        return
    assert not path.exists()
    assert event.old_value["files_removed"] == 1
