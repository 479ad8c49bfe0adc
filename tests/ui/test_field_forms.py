"""The Assess screen's offline-round panel: the form to download, and an upload refused or imported."""

from __future__ import annotations

from pathlib import Path

import yaml
from streamlit.testing.v1 import AppTest

from assessments import repository
from assessments.db import Store
from assessments.models import Site, User
from checklists.loader import default_catalogue
from tests.field_exports import Submission, odk_zip
from ui.field_forms import FormFile, form_file, import_upload

STAFF = "staff@demo.sensory-audit.test"
GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "school.assessment.yaml"


def _staff_and_school(store: Store) -> tuple[User, Site]:
    with store.session() as session:
        user = repository.get_user_by_email(session, STAFF)
        assert user is not None
        site = next(s for s in repository.list_sites(session, user) if s.setting == "school")
    return user, site


def test_the_form_downloads_and_its_submissions_upload(demo_store: Store) -> None:
    user, site = _staff_and_school(demo_store)
    made = form_file(demo_store, user, site, "classroom")
    assert isinstance(made, FormFile)
    assert made.name.startswith("sensory_school_classroom_org")
    assert made.content[:2] == b"PK"
    with demo_store.session() as session:
        room = next(r for r in repository.list_rooms(session, user, site.id) if r.room_type == "classroom")
    golden = yaml.safe_load(GOLDEN.read_text(encoding="utf-8"))["responses"]
    answers = {k: v for k, v in golden.items() if v is not None}
    checklist = default_catalogue().checklist("school", "classroom")
    data = odk_zip(made.content, "form", checklist, [Submission(room.id, answers, reason="Meter away")])
    outcome = import_upload(demo_store, user, data)
    assert outcome.summary == "Imported 1 submission as submitted assessments awaiting review, with 0 photos."
    again = import_upload(demo_store, user, data)
    assert again.summary == "Nothing new: all 1 submission was imported before."
    refused = import_upload(demo_store, user, b"not,a,form\n1,2,3\n")
    assert refused.summary is None
    assert refused.problems[0].startswith("row 1, column catalogue_version: required column is missing")


def test_a_room_type_without_rooms_says_so(demo_store: Store) -> None:
    user, site = _staff_and_school(demo_store)
    assert (
        form_file(demo_store, user, site, "waiting_room")
        == f"site {site.id} has no room of type waiting_room; add one first."
    )


def _panel() -> None:
    from assessments import repository
    from ui import context
    from ui.field_forms import offline_round

    store = context.store()
    with store.session() as session:
        user = repository.get_user_by_email(session, "staff@demo.sensory-audit.test")
        assert user is not None
        site = next(s for s in repository.list_sites(session, user) if s.setting == "school")
    offline_round(store, user, site, "classroom")


def test_the_panel_draws_a_download_and_an_upload(demo_store: Store) -> None:
    app = AppTest.from_function(_panel).run(timeout=30)
    assert not app.exception
    assert [e.label for e in app.expander] == ["Offline round with ODK Collect or KoboToolbox"]
    assert len(app.get("download_button")) == 1
    assert len(app.get("file_uploader")) == 2
