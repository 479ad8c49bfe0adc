"""Offline field rounds: a form exported for ODK Collect and KoboToolbox, and the submissions imported back."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
import yaml
from PIL import Image
from pyxform.xls2xform import convert
from sqlalchemy import func, select

from assessments import repository as repo
from assessments.db import Store
from assessments.errors import ImportProblems, PermissionDenied
from assessments.models import (
    AnswerRow,
    Assessment,
    AssessmentStatus,
    AuditEvent,
    Evidence,
    FieldSubmission,
    Response,
    Role,
    Room,
)
from assessments.repository import Actor, MediaSource
from assessments.submission_files import read_kobo_csv, read_odk_zip
from checklists.loader import default_catalogue
from reports.xlsform import FieldForm, build_xlsform
from scoring.engine import score_assessment
from tests.assessments.conftest import TODAY, World
from tests.field_exports import Submission, kobo_csv, odk_zip

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "school.assessment.yaml"


def _jpeg(colour: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), colour).save(out, format="JPEG")
    return out.getvalue()


def _answers() -> dict[str, Any]:
    answers = dict(yaml.safe_load(GOLDEN.read_text(encoding="utf-8"))["responses"])
    answers["textures.muted_colours"] = "n/a"  # an n/a choice
    # The golden file leaves three items blank; a full round answers every scored item.
    answers |= {"noise.sound_absorption": "partial", "textures.visual_clutter": 2, "quiet_zones.retreat_space": "no"}
    return {k: v for k, v in answers.items() if v is not None}


NOTES = {"lighting.glare": "Glare from the whiteboard at 9 am.", "noise.background_level": "Corridor door open."}


def _form(store: Store, user: Actor, world: World) -> tuple[FieldForm, bytes]:
    with store.session() as s:
        return build_xlsform(s, user, world.org_a, "classroom")


def _counts(store: Store) -> dict[str, int]:
    with store.session() as s:
        return {
            m.__tablename__: s.scalar(select(func.count()).select_from(m)) or 0
            for m in (Assessment, Response, AnswerRow, Evidence, AuditEvent, FieldSubmission)
        }


def _score_of(store: Store, user: Actor, assessment_id: int) -> dict[str, Any]:
    with store.session() as s:
        scored = score_assessment(default_catalogue(), repo.scoring_input(s, user, assessment_id))
    return scored.model_dump(mode="json")


def _entered_on_the_assess_screen(store: Store, world: World, answers: dict[str, Any]) -> int:
    with store.session() as s:
        a = repo.start_assessment(s, world.staff_a, world.room_a, TODAY)
        version = a.version_id
        for item_id, raw in answers.items():
            version = repo.save_answer(s, world.staff_a, a.id, item_id, raw, version, note=NOTES.get(item_id))
        return a.id


def test_a_round_trip_through_odk_and_kobo_scores_as_the_assess_screen(store: Store, world: World) -> None:
    form, xlsx = _form(store, world.manager_a, world)
    checklist = form.checklist
    answers = _answers()
    photo = _jpeg()
    odk = Submission(world.room_a, answers, notes=NOTES, photos={"lighting.glare": ("1701.jpg", photo)})
    kobo = Submission(world.room_a, answers, notes=NOTES, photos={"lighting.glare": ("1702.jpg", photo)})
    media = MediaSource()
    media.add(f"field/attachments/abc/{kobo.instance_id.removeprefix('uuid:')}/1702.jpg", lambda: photo)

    with store.session() as s:
        first = repo.import_submissions(s, world.staff_a, read_odk_zip(odk_zip(xlsx, form.form_id, checklist, [odk])))
        kobo_export = kobo_csv(xlsx, checklist, [kobo], labels=True)
        second = repo.import_submissions(s, world.staff_a, read_kobo_csv(kobo_export, media))
    assert (first.created, first.photos, second.created, second.photos) == (1, 1, 1, 1)
    entered = _entered_on_the_assess_screen(store, world, answers)
    expected = _score_of(store, world.staff_a, entered)
    for imported in (*first.assessment_ids, *second.assessment_ids):
        assert _score_of(store, world.staff_a, imported) == expected
    with store.session() as s:
        a = repo.get_assessment(s, world.manager_a, first.assessment_ids[0])
        assert a.status is AssessmentStatus.submitted  # awaiting review
        assert (a.assessor, a.assessed_on.isoformat(), a.room_id) == ("Field Assessor", "2026-11-30", world.room_a)
        notes = {r.item_id: r.note for r in repo.list_responses(s, world.manager_a, a.id) if r.note}
        assert notes == NOTES
        photos = repo.list_evidence(s, world.manager_a, a.id)
        assert [(p.item_id, p.file_name) for p in photos] == [("lighting.glare", "1701.jpg")]
        kept = dict(s.execute(select(FieldSubmission.submission_id, FieldSubmission.source)).all())
        assert kept == {odk.instance_id.removeprefix("uuid:"): "odk", kobo.instance_id.removeprefix("uuid:"): "kobo"}
        # A manager reviews it like any other submitted assessment.
        repo.review(s, world.manager_a, a.id, a.version_id)


def test_importing_the_same_export_twice_creates_nothing_new_and_says_so(store: Store, world: World) -> None:
    form, xlsx = _form(store, world.manager_a, world)
    data = odk_zip(xlsx, form.form_id, form.checklist, [Submission(world.room_a, _answers()) for _ in range(3)])
    with store.session() as s:
        assert repo.import_submissions(s, world.staff_a, read_odk_zip(data)).created == 3
    before = _counts(store)
    with store.session() as s:
        again = repo.import_submissions(s, world.staff_a, read_odk_zip(data))
    assert (again.created, again.already_imported) == (0, 3)
    assert again.summary == "Nothing new: all 3 submissions were imported before."
    assert _counts(store) == before


def _refused(store: Store, user: Actor, data: bytes, kobo: bool = False, media: MediaSource | None = None) -> str:
    before = _counts(store)
    table = read_kobo_csv(data, media) if kobo else read_odk_zip(data)
    with store.session() as s, pytest.raises(ImportProblems) as error:
        repo.import_submissions(s, user, table)
    assert _counts(store) == before  # every table unchanged
    return "\n".join(error.value.problems)


def test_bad_exports_are_refused_by_row_and_column_and_change_nothing(store: Store, world: World) -> None:
    form, xlsx = _form(store, world.manager_a, world)
    checklist = form.checklist
    answers = _answers()
    good = Submission(world.room_a, answers)

    def odk(*subs: Submission, **kw: Any) -> bytes:
        return odk_zip(xlsx, form.form_id, checklist, [good, *subs], **kw)

    # An unknown room: the quiet room is not a classroom, 9999 does not exist.
    text = _refused(store, world.staff_a, odk(Submission(world.room_a2, answers), Submission(9999, answers)))
    assert f"row 3, column room: unknown room {world.room_a2} (allowed: the id of one of your classroom rooms: " \
           f"{world.room_a})" in text  # fmt: skip
    assert "row 4, column room: unknown room 9999" in text
    # An impossible reading, named by its column.
    bad = dict(answers, **{"lighting.illuminance": [420, -5]})
    text = _refused(store, world.staff_a, odk(Submission(world.room_a, bad)))
    assert text == ("row 3, column lighting-illuminance_2: lighting.illuminance: reading -5 lx is not physically "
                    "possible (allowed: 0 to 200000 lx)")  # fmt: skip
    # A missing required column.
    text = _refused(store, world.staff_a, odk(drop_columns=["background_level_3"]))
    assert text.startswith("row 1, column noise/background_level_3: required column is missing")
    # A form exported for another catalogue version.
    old = Submission(world.room_a, answers, override={"catalogue_version": "2025.4"})
    data = kobo_csv(xlsx, checklist, [good, old]).replace(b'"2026.1"', b'"2025.4"', 1)
    text = _refused(store, world.staff_a, data, kobo=True)
    assert "row 2, column catalogue_version: the form was exported for catalogue version 2025.4; this store uses " \
           "2026.1: export the form again and collect with it" in text  # fmt: skip
    # A photo named but not in the media.
    with_photo = Submission(world.room_a, answers, photos={"noise.door_noise": ("1703.jpg", _jpeg())})
    text = _refused(store, world.staff_a, odk(with_photo, drop_media=["1703.jpg"]))
    assert (
        text == "row 3, column noise-door_noise_photo: the photo 1703.jpg is named but is not in the ZIP's media folder"
    )
    # Unanswered items without a reason; a rating that is not 0 to 4; half a flicker reading.
    partial = {k: v for k, v in answers.items() if k != "lighting.glare"}
    odd = Submission(world.room_a, answers, override={"natural_materials": "7", "flicker_frequency_hz": ""})
    text = _refused(store, world.staff_a, odk(Submission(world.room_a, partial), odd))
    assert "row 3, column provisional_reason: 1 scored items are unanswered (lighting.glare): the form asks why" in text
    assert "row 4, column textures-natural_materials: textures.natural_materials: rating must be a whole number " \
           "from 0 to 4, got 7" in text  # fmt: skip
    assert "row 4, column lighting-flicker_frequency_hz: lighting.flicker: give both the percent flicker and its " \
           "frequency" in text  # fmt: skip


def test_an_exports_numbers_are_read_with_a_point_and_an_ambiguous_one_is_refused(store: Store, world: World) -> None:
    form, xlsx = _form(store, world.manager_a, world)
    answers = _answers()
    good = Submission(world.room_a, answers)
    # "1,234" is 1234 in English and 1.234 in French; "1 234" has a thousands space: neither is guessed.
    odd = Submission(world.room_a, answers, override={"illuminance_1": "1,234", "background_level_1": "1 234"})
    text = _refused(store, world.staff_a, odk_zip(xlsx, form.form_id, form.checklist, [good, odd]))
    rule = "could be read more than one way; write numbers with a point for decimals and no thousands separator"
    assert f"row 3, column lighting-illuminance_1: lighting.illuminance: '1,234' {rule}, for example 0.6" in text
    assert f"row 3, column noise-background_level_1: noise.background_level: '1 234' {rule}" in text
    # A decimal comma alone, as a spreadsheet in a comma locale saves it, is read as the decimal it is.
    comma = Submission(world.room_a, answers, override={"illuminance_1": "420,5"})
    with store.session() as s:
        done = repo.import_submissions(
            s, world.staff_a, read_odk_zip(odk_zip(xlsx, form.form_id, form.checklist, [comma]))
        )
        saved = repo.assessment_answers(s, world.staff_a, done.assessment_ids[0])
    assert saved["lighting.illuminance"][0] == 420.5


def test_a_kobotoolbox_export_without_groups_in_its_headers(store: Store, world: World) -> None:
    form, xlsx = _form(store, world.manager_a, world)
    data = kobo_csv(xlsx, form.checklist, [Submission(world.room_a, _answers())], groups=False)
    assert b'"illuminance_1";' in data
    with store.session() as s:
        result = repo.import_submissions(s, world.staff_a, read_kobo_csv(data))
    entered = _entered_on_the_assess_screen(store, world, _answers())
    assert _score_of(store, world.staff_a, result.assessment_ids[0]) == _score_of(store, world.staff_a, entered)


def test_an_incomplete_submission_with_a_reason_is_imported_as_provisional(store: Store, world: World) -> None:
    form, xlsx = _form(store, world.manager_a, world)
    partial = {k: v for k, v in _answers().items() if k != "lighting.illuminance"}
    data = odk_zip(xlsx, form.form_id, form.checklist, [Submission(world.room_a, partial, reason="Meter away")])
    with store.session() as s:
        result = repo.import_submissions(s, world.staff_a, read_odk_zip(data))
        a = repo.get_assessment(s, world.staff_a, result.assessment_ids[0])
        assert a.provisional_reason == "Meter away"
        assert "lighting.illuminance" not in repo.assessment_answers(s, world.staff_a, a.id)


def test_another_organisations_rooms_and_readers_are_refused(store: Store, world: World) -> None:
    form, xlsx = _form(store, world.manager_a, world)
    data = odk_zip(xlsx, form.form_id, form.checklist, [Submission(world.room_a, _answers())])
    text = _refused(store, world.staff_b, data)
    assert "row 2, column room: unknown room" in text
    with store.session() as s:
        viewer = repo.create_user(
            s, world.admin, name="Val Viewer", email="val@a.test", role=Role.viewer, organisation_ids=[world.org_a]
        )
    with store.session() as s, pytest.raises(PermissionDenied, match="Only staff, managers, consultants and admins"):
        repo.import_submissions(s, viewer, read_odk_zip(data))
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Room)) == 3


def test_the_form_lists_the_organisations_rooms_of_that_type_only(store: Store, world: World) -> None:
    form, xlsx = _form(store, world.manager_a, world)
    found: list[str] = []
    convert(xlsform=xlsx, warnings=found, file_type=".xlsx")
    assert found == []
    rooms = [c for c in form.choices if c["list_name"] == "rooms"]
    label = f"Year 3 (Hillview Primary) · id {world.room_a}"
    assert [(c["list_name"], c["name"], c["label"]) for c in rooms] == [("rooms", str(world.room_a), label)]
    # A room's name is the same in every language column of the form.
    assert {v for k, v in rooms[0].items() if k.startswith("label::")} == {label}
    assert form.settings["version"].startswith("2026.1-")
    assert form.settings["catalogue_version"] == "2026.1"
    with store.session() as s, pytest.raises(Exception, match="not in your organisations"):
        build_xlsform(s, world.staff_b, world.org_a, "classroom")
