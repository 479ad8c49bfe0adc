"""The repository as the screens use it: sites and rooms, answering, submitting, reviewing, photos."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from sqlalchemy import func, select

from assessments import repository as repo
from assessments.db import Store
from assessments.errors import ConflictError, IncompleteAssessment, InvalidAnswer, NotFound, PermissionDenied
from assessments.models import AnswerRow, AssessmentStatus, AuditEvent, Response, Role
from checklists.loader import default_catalogue
from checklists.responses import NA, Flicker, parse_assessment
from checklists.stored_answers import answer_rows
from tests.assessments.conftest import TODAY, World


def _jpeg(size: tuple[int, int] = (800, 600), colour: tuple[int, int, int] = (90, 120, 150)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG")
    return out.getvalue()


def test_sites_and_rooms_are_checked_against_the_catalogue(store: Store, world: World) -> None:
    with store.session() as s:
        site = repo.create_site(s, world.manager_a, world.org_a, "  Annexe ", "school", "1 High St")
        assert site.name == "Annexe"
        room = repo.create_room(s, world.manager_a, site.id, "Library corner", "quiet_room", floor=0, capacity=4)
        assert [r.name for r in repo.list_rooms(s, world.staff_a, site.id)] == ["Library corner"]
        with pytest.raises(InvalidAnswer, match="Unknown setting 'hospital'"):
            repo.create_site(s, world.manager_a, world.org_a, "Ward", "hospital")
        with pytest.raises(InvalidAnswer, match="Unknown room type 'waiting_room' for a school"):
            repo.create_room(s, world.manager_a, site.id, "Hall", "waiting_room")
        with pytest.raises(InvalidAnswer, match="already has a room called"):
            repo.create_room(s, world.manager_a, site.id, "Library corner", "classroom")
        with pytest.raises(InvalidAnswer, match="already has a site"):
            repo.create_site(s, world.manager_a, world.org_a, "Annexe", "school")
        with pytest.raises(PermissionDenied, match="Only managers and admins can add rooms"):
            repo.create_room(s, world.staff_a, site.id, "Hall", "dining_hall")
        updated = repo.update_room(s, world.manager_a, room.id, name="Library", capacity=None)
        assert (updated.name, updated.floor, updated.capacity) == ("Library", 0, None)
        renamed = repo.update_site(s, world.manager_a, site.id, name="North annexe")
        assert renamed.name == "North annexe"
        assert [o.name for o in repo.list_organisations(s, world.staff_a)] == ["Hillview Trust"]
        assert [o.name for o in repo.list_organisations(s, world.admin)] == ["Hillview Trust", "Riverside Health"]
        assert {x.name for x in repo.list_sites(s, world.consultant_a)} == {"Hillview Primary", "North annexe"}


def test_answers_of_every_kind_are_validated_stored_and_read_back_typed(store: Store, world: World) -> None:
    raw = {
        "lighting.illuminance": [420, 610.5],
        "lighting.flicker": {"percent": 4, "frequency_hz": 100},
        "lighting.glare": "yes",
        "lighting.dimmable": False,
        "lighting.daylight_control": "partial",
        "textures.natural_materials": 3,
        "noise.background_level": 42,
        "quiet_zones.walking_distance": "n/a",
    }
    with store.session() as s:
        a = repo.start_assessment(s, world.staff_a, world.room_a, TODAY)
        assert (a.status, a.version_id, a.assessor) == (AssessmentStatus.draft, 1, "Sam Staff")
        version = a.version_id
        for item_id, value in raw.items():
            version = repo.save_answer(s, world.staff_a, a.id, item_id, value, version)
        assert version == 1 + len(raw)
        answers = repo.assessment_answers(s, world.consultant_a, a.id)
        assert answers == {
            "lighting.illuminance": (420.0, 610.5),
            "lighting.flicker": Flicker(4.0, 100.0),
            "lighting.glare": True,
            "lighting.dimmable": False,
            "lighting.daylight_control": "partial",
            "noise.background_level": (42.0,),
            "textures.natural_materials": 3,
            "quiet_zones.walking_distance": NA,
        }
        # In checklist order, ready for the engine.
        order = [r.item.id for r in default_catalogue().checklist("school", "classroom").items]
        assert list(answers) == [i for i in order if i in answers]
        # The denormalised answers table mirrors checklists.stored_answers.answer_rows.
        stored = s.execute(
            select(AnswerRow.item_id, AnswerRow.na, AnswerRow.num, AnswerRow.freq, AnswerRow.text)
            .where(AnswerRow.assessment_id == a.id)
            .order_by(AnswerRow.item_id, AnswerRow.seq)
        ).all()
        expected = sorted((i, *row) for i, answer in answers.items() for row in answer_rows(answer))
        assert sorted(tuple(r) for r in stored) == expected
        response = s.scalar(select(Response).where(Response.item_id == "quiet_zones.walking_distance"))
        assert response is not None
        assert response.na
        assert response.value == "n/a"


def test_a_bad_answer_is_refused_with_the_reason_and_changes_nothing(store: Store, world: World) -> None:
    with store.session() as s:
        a = repo.start_assessment(s, world.staff_a, world.room_a, TODAY)
        v = repo.save_answer(s, world.staff_a, a.id, "noise.background_level", 41, 1)
        with pytest.raises(InvalidAnswer, match=r"noise.background_level: reading 400 dBA is not physically possible"):
            repo.save_answer(s, world.staff_a, a.id, "noise.background_level", 400, v)
        with pytest.raises(InvalidAnswer, match="n/a is not allowed"):
            repo.save_answer(s, world.staff_a, a.id, "lighting.glare", "n/a", v)
        with pytest.raises(InvalidAnswer, match="not an item of the"):
            repo.save_answer(s, world.staff_a, a.id, "lighting.nonsense", "yes", v)
        assert repo.get_assessment(s, world.staff_a, a.id).version_id == v
        assert repo.assessment_answers(s, world.staff_a, a.id) == {"noise.background_level": (41.0,)}


def test_notes_and_clearing(store: Store, world: World) -> None:
    with store.session() as s:
        a = repo.start_assessment(s, world.staff_a, world.room_a, TODAY)
        v = repo.save_note(s, world.staff_a, a.id, "noise.equipment_hum", "  Fridge hum by the sink ", 1)
        v = repo.save_answer(s, world.staff_a, a.id, "noise.equipment_hum", "no", v)
        v = repo.save_answer(s, world.staff_a, a.id, "lighting.glare", "yes", v, note="Checked from every seat")
        document = repo.assessment_document(s, world.staff_a, a.id)
        assert document["notes"] == {
            "lighting.glare": "Checked from every seat",
            "noise.equipment_hum": "Fridge hum by the sink",
        }
        v = repo.save_answer(s, world.staff_a, a.id, "lighting.dimmable", "yes", v)
        v = repo.clear_answer(s, world.staff_a, a.id, "noise.equipment_hum", v)
        v = repo.clear_answer(s, world.staff_a, a.id, "lighting.glare", v)
        v = repo.clear_answer(s, world.staff_a, a.id, "lighting.dimmable", v)
        responses = repo.list_responses(s, world.staff_a, a.id)
        # A note outlives its answer; an answer without a note goes entirely.
        assert [(r.item_id, r.value, r.note) for r in responses] == [
            ("lighting.glare", None, "Checked from every seat"),
            ("noise.equipment_hum", None, "Fridge hum by the sink"),
        ]
        assert repo.assessment_answers(s, world.staff_a, a.id) == {}
        assert s.scalar(select(func.count()).select_from(AnswerRow)) == 0
        assert repo.save_note(s, world.staff_a, a.id, "noise.equipment_hum", "", v) == v + 1


def _answer_everything(store: Store, world: World, assessment_id: int, version: int, skip: int = 0) -> int:
    checklist = default_catalogue().checklist("school", "classroom")
    good = {
        "measurement": None,
        "yes_no": "yes",
        "choice": "yes",
        "rating": 4,
        "flicker": {"percent": 1, "frequency_hz": 100},
    }
    with store.session() as s:
        for resolved in checklist.items[skip:]:
            item = resolved.item
            value = good.get(item.kind.value, "ok")
            if item.kind.value == "yes_no":
                value = "yes" if item.good_answer else "no"
            if value is None:
                assert resolved.target is not None
                lo, hi = resolved.target.ideal
                value = lo if lo is not None else hi
            version = repo.save_answer(s, world.staff_a, assessment_id, item.id, value, version)
    return version


def test_the_life_of_an_assessment_draft_submitted_reviewed(store: Store, world: World) -> None:
    with store.session() as s:
        a = repo.start_assessment(s, world.staff_a, world.room_a, TODAY)
    v = _answer_everything(store, world, a.id, 1, skip=3)
    with store.session() as s:
        with pytest.raises(IncompleteAssessment, match="3 items are unanswered") as missing:
            repo.submit(s, world.staff_a, a.id, v)
        assert len(missing.value.missing) == 3
        v = repo.submit(s, world.staff_a, a.id, v, provisional_reason="Meter away for calibration")
        assessment = repo.get_assessment(s, world.staff_a, a.id)
        assert assessment.status is AssessmentStatus.submitted
        assert assessment.provisional_reason == "Meter away for calibration"
        assert assessment.submitted_at is not None
        assert assessment.submitted_at.tzinfo is not None
        # Staff may not change a submitted assessment; a manager may.
        with pytest.raises(PermissionDenied, match="submitted; only a manager or a consultant"):
            repo.save_answer(s, world.staff_a, a.id, "noise.background_level", 30, v)
        with pytest.raises(PermissionDenied, match="Only managers, consultants and admins can review"):
            repo.review(s, world.staff_a, a.id, v)
        v = repo.save_answer(s, world.manager_a, a.id, "noise.background_level", 30, v)
        v = repo.review(s, world.manager_a, a.id, v, comment="Readings agree with last term")
        reviewed = repo.get_assessment(s, world.manager_a, a.id)
        assert (reviewed.status, reviewed.reviewed_by_id) == (AssessmentStatus.reviewed, world.manager_a.id)
        with pytest.raises(PermissionDenied, match="reviewed and is locked"):
            repo.save_answer(s, world.manager_a, a.id, "noise.background_level", 31, v)
        with pytest.raises(InvalidAnswer, match="Say what should change"):
            repo.send_back(s, world.manager_a, a.id, v, "  ")
        v = repo.send_back(s, world.manager_a, a.id, v, "Please add the afternoon lux reading")
        back = repo.get_assessment(s, world.staff_a, a.id)
        assert (back.status, back.review_comment) == (AssessmentStatus.draft, "Please add the afternoon lux reading")
        with pytest.raises(ConflictError, match="already a draft"):
            repo.send_back(s, world.manager_a, a.id, v, "again")
        v = _answer_everything(store, world, a.id, v)
    with store.session() as s:
        v = repo.submit(s, world.staff_a, a.id, v)
        assert repo.get_assessment(s, world.staff_a, a.id).provisional_reason is None
        with pytest.raises(ConflictError, match="already been submitted"):
            repo.submit(s, world.manager_a, a.id, v)


def test_consultants_assess_and_read_the_record_but_viewers_never_write(store: Store, world: World) -> None:
    with store.session() as s:
        a = repo.start_assessment(s, world.staff_a, world.room_a, TODAY)
        # A consultant assesses in the organisations they are granted (the role table's "assess").
        mine = repo.start_assessment(s, world.consultant_a, world.room_a)
        repo.save_answer(s, world.consultant_a, mine.id, "lighting.glare", "yes", mine.version_id)
        repo.add_evidence(s, world.consultant_a, mine.id, "lighting.glare", "x.jpg", _jpeg())
        assert repo.stored_answers(s, world.consultant_a, mine.id).answers == {"lighting.glare": True}
        assert repo.get_assessment(s, world.consultant_a, a.id).id == a.id
        assert len(repo.list_audit_events(s, world.consultant_a)) >= 1
        with pytest.raises(PermissionDenied, match="read the audit trail"):
            repo.list_audit_events(s, world.staff_a)
        # A viewer looks and changes nothing.
        viewer = repo.create_user(
            s, world.admin, name="Val Viewer", email="val@a.test", role=Role.viewer, organisation_ids=[world.org_a]
        )
        with pytest.raises(PermissionDenied):
            repo.start_assessment(s, viewer, world.room_a)
        with pytest.raises(PermissionDenied):
            repo.save_answer(s, viewer, a.id, "lighting.glare", "yes", 1)
        with pytest.raises(PermissionDenied):
            repo.add_evidence(s, viewer, a.id, "lighting.glare", "x.jpg", _jpeg())
        assert repo.get_assessment(s, viewer, a.id).id == a.id


def test_every_change_writes_an_audit_event(store: Store, world: World) -> None:
    with store.session() as s:
        a = repo.start_assessment(s, world.staff_a, world.room_a, TODAY)
        v = repo.save_answer(s, world.staff_a, a.id, "noise.background_level", 44, 1)
        v = repo.save_answer(s, world.staff_a, a.id, "noise.background_level", 38, v, note="after lunch")
        v = repo.clear_answer(s, world.staff_a, a.id, "noise.background_level", v)
        repo.add_evidence(s, world.staff_a, a.id, "lighting.glare", "glare.jpg", _jpeg())
        events = list(reversed(repo.list_audit_events(s, world.manager_a, organisation_id=world.org_a)))
        assert [(e.actor, e.action, e.entity) for e in events] == [
            ("sam@a.test", "create", "assessments"),
            ("sam@a.test", "answer", "responses"),
            ("sam@a.test", "answer", "responses"),
            ("sam@a.test", "clear", "responses"),
            ("sam@a.test", "create", "evidence"),
        ]
        first, second, cleared = events[1], events[2], events[3]
        assert first.old_value is None
        assert first.new_value["value"] == 44
        assert second.old_value["value"] == 44
        assert second.new_value == {
            "item_id": "noise.background_level",
            "value": 38,
            "note": "after lunch",
            "assessment_id": a.id,
        }
        assert cleared.old_value["value"] == 38
        assert cleared.new_value["value"] is None
        assert all(e.at.tzinfo is not None and e.actor_id == world.staff_a.id for e in events)
        # Organisation B's manager sees none of it.
        assert repo.list_audit_events(s, world.manager_b) == []
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == 5


def test_users_are_managed_by_admins(store: Store, world: World) -> None:
    with store.session() as s:
        created = repo.create_user(
            s, world.admin, name="Tess Teacher", email=" Tess@A.test ", role="staff", organisation_ids=[world.org_a]
        )
        assert created.email == "tess@a.test"
        assert repo.get_user_by_email(s, "TESS@a.test") is not None
        with pytest.raises(InvalidAnswer, match="already a user"):
            repo.create_user(s, world.admin, name="Tess", email="tess@a.test", role=Role.staff)
        with pytest.raises(PermissionDenied):
            repo.create_user(s, world.manager_a, name="X", email="x@a.test", role=Role.admin)
        with pytest.raises(NotFound):
            repo.create_user(s, world.admin, name="X", email="x@a.test", role="staff", organisation_ids=[999])
        assert {u.email for u in repo.list_users(s, world.manager_a)} == {
            "mo@a.test", "sam@a.test", "cy@a.test", "tess@a.test",
        }  # fmt: skip
        repo.update_user(s, world.admin, created.id, role="manager", organisation_ids=[world.org_a, world.org_b])
        assert {o.id for o in repo.get_user(s, world.admin, created.id).organisations} == {world.org_a, world.org_b}
        repo.set_password_hash(s, world.staff_a, world.staff_a.id, "$argon2id$fake")
        with pytest.raises(PermissionDenied):
            repo.set_password_hash(s, world.staff_a, created.id, "$argon2id$fake")
        # Deactivation takes effect at once, even for an Actor kept from before.
        repo.update_user(s, world.admin, world.staff_a.id, active=False)
        with pytest.raises(PermissionDenied, match="not active"):
            repo.list_sites(s, world.staff_a)
        assert repo.get_user_by_email(s, "sam@a.test") is None


def test_removing_a_membership_takes_effect_at_once(store: Store, world: World) -> None:
    with store.session() as s:
        assert repo.get_room(s, world.staff_a, world.room_a).name == "Year 3"
        repo.update_user(s, world.admin, world.staff_a.id, organisation_ids=[world.org_b])
        with pytest.raises(PermissionDenied):
            repo.get_room(s, world.staff_a, world.room_a)


def test_photos_are_checked_by_content_shrunk_and_kept_by_hash(store: Store, world: World) -> None:
    with store.session() as s:
        a = repo.start_assessment(s, world.staff_a, world.room_a, TODAY)
        big = _jpeg((4000, 3000))
        evidence = repo.add_evidence(s, world.staff_a, a.id, "textures.visual_clutter", "../../etc/wall.JPG", big)
        assert (evidence.width, evidence.height) == (2000, 1500)
        assert evidence.content_type == "image/jpeg"
        assert evidence.file_name == "wall.JPG"
        content = repo.evidence_content(s, world.consultant_a, evidence.id)
        assert len(content) == evidence.size
        with Image.open(io.BytesIO(content)) as image:
            assert image.size == (2000, 1500)
        png = io.BytesIO()
        Image.new("RGBA", (50, 40), (1, 2, 3, 128)).save(png, format="PNG")
        small = repo.add_evidence(s, world.staff_a, a.id, "lighting.glare", "glare.png", png.getvalue())
        assert small.content_type == "image/png"
        assert [e.id for e in repo.list_evidence(s, world.staff_a, a.id)] == [small.id, evidence.id]
        assert repo.get_assessment(s, world.staff_a, a.id).version_id == 1  # photos never conflict with answers
        with pytest.raises(InvalidAnswer, match="not a photo"):
            repo.add_evidence(s, world.staff_a, a.id, "lighting.glare", "notes.jpg", b"%PDF-1.4 not an image")
        gif = io.BytesIO()
        Image.new("RGB", (10, 10)).save(gif, format="GIF")
        with pytest.raises(InvalidAnswer, match="Only JPEG, PNG and WebP"):
            repo.add_evidence(s, world.staff_a, a.id, "lighting.glare", "anim.gif", gif.getvalue())
        with pytest.raises(InvalidAnswer, match="the limit is 10 MB"):
            repo.add_evidence(s, world.staff_a, a.id, "lighting.glare", "huge.jpg", b"\xff" * (10 * 1024 * 1024 + 1))
        with pytest.raises(InvalidAnswer, match="damaged"):
            repo.add_evidence(s, world.staff_a, a.id, "lighting.glare", "cut.jpg", big[:5000])
        repo.delete_evidence(s, world.staff_a, small.id)
        assert [e.id for e in repo.list_evidence(s, world.staff_a, a.id)] == [evidence.id]


def test_photo_metadata_such_as_location_is_stripped(store: Store, world: World) -> None:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0112] = 6  # orientation: rotated; the stored photo is turned upright instead
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (200, 10, 10)).save(out, format="JPEG", exif=exif)
    with store.session() as s:
        a = repo.start_assessment(s, world.staff_a, world.room_a, TODAY)
        evidence = repo.add_evidence(s, world.staff_a, a.id, "lighting.glare", "phone.jpg", out.getvalue())
        with Image.open(io.BytesIO(repo.evidence_content(s, world.staff_a, evidence.id))) as image:
            assert image.size == (200, 300)
            assert not image.getexif()


def test_the_assessment_document_is_a_valid_assessment_file(store: Store, world: World) -> None:
    with store.session() as s:
        a = repo.start_assessment(s, world.staff_a, world.room_a, dt.date(2026, 3, 4))
        v = repo.save_answer(s, world.staff_a, a.id, "lighting.illuminance", [420, 610], 1)
        v = repo.save_answer(s, world.staff_a, a.id, "quiet_zones.walking_distance", "n/a", v)
        repo.save_answer(s, world.staff_a, a.id, "noise.background_level", 42.0, v, note="fan on")
        document = repo.assessment_document(s, world.consultant_a, a.id)
        assert document == {
            "setting": "school", "room_type": "classroom", "room": "Year 3", "site": "Hillview Primary",
            "organisation": "Hillview Trust", "assessor": "Sam Staff", "date": "2026-03-04", "status": "draft",
            "catalogue_version": default_catalogue().version, "notes": {"noise.background_level": "fan on"},
            "responses": {"lighting.illuminance": [420, 610], "noise.background_level": 42,
                          "quiet_zones.walking_distance": "n/a"},
        }  # fmt: skip
        parsed = parse_assessment(default_catalogue(), document)
        assert dict(parsed.answers) == repo.assessment_answers(s, world.staff_a, a.id)
        scoring = repo.scoring_input(s, world.staff_a, a.id)
        assert (scoring.setting, scoring.room_type, scoring.room) == ("school", "classroom", "Year 3")
        assert scoring.notes == {"noise.background_level": "fan on"}


def test_portfolio_frames_have_the_promised_columns_types_and_scope(store: Store, world: World) -> None:
    with store.session() as s:
        first = repo.start_assessment(s, world.staff_a, world.room_a, dt.date(2026, 1, 10))
        repo.save_answer(s, world.staff_a, first.id, "lighting.illuminance", [300, 700], 1)
        second = repo.start_assessment(s, world.staff_a, world.room_a, dt.date(2026, 6, 10))
        v = repo.save_answer(s, world.staff_a, second.id, "lighting.flicker", {"percent": 2, "frequency_hz": 100}, 1)
        v = repo.save_answer(s, world.staff_a, second.id, "lighting.glare", "yes", v)
        repo.save_answer(s, world.staff_a, second.id, "quiet_zones.walking_distance", "n/a", v)
        quiet = repo.start_assessment(s, world.staff_a, world.room_a2, dt.date(2026, 2, 1))
        other = repo.start_assessment(s, world.staff_b, world.room_b, dt.date(2026, 2, 1))
        repo.save_answer(s, world.staff_b, other.id, "lighting.glare", "no", 1)

        head, answers = repo.load_portfolio_frames(s, world.consultant_a)
        assert list(head["assessment_id"]) == [first.id, second.id, quiet.id]
        assert head["assessment_id"].dtype == "int64"
        assert answers["assessment_id"].dtype == "int64"
        assert str(head["assessed_on"].dtype).startswith("datetime64")
        row = head.iloc[1]
        assert (row["setting"], row["room_type"], row["room_name"], row["site_name"], row["status"]) == (
            "school", "classroom", "Year 3", "Hillview Primary", "draft",
        )  # fmt: skip
        assert row["organisation_id"] == world.org_a
        assert list(answers.columns) == ["assessment_id", "item_id", "na", "num", "freq", "text"]
        assert [str(answers[c].dtype) for c in ("na", "num", "freq", "text")] == [
            "bool",
            "float64",
            "float64",
            "object",
        ]
        records = [tuple(r) for r in answers.fillna({"freq": -1.0}).itertuples(index=False)]
        assert records[:2] == [
            (first.id, "lighting.illuminance", False, 300.0, -1.0, None),
            (first.id, "lighting.illuminance", False, 700.0, -1.0, None),
        ]
        by_item = {r[1]: r for r in records[2:]}
        assert by_item["lighting.flicker"][3:5] == (2.0, 100.0)
        assert by_item["lighting.glare"][5] == "yes"
        assert by_item["quiet_zones.walking_distance"][2]

        latest, latest_answers = repo.load_portfolio_frames(s, world.consultant_a, latest_only=True)
        assert list(latest["assessment_id"]) == [second.id, quiet.id]
        assert set(latest_answers["assessment_id"]) == {second.id}
        only_b, _ = repo.load_portfolio_frames(s, world.admin, org_ids=[world.org_b])
        assert list(only_b["assessment_id"]) == [other.id]
        by_site, _ = repo.load_portfolio_frames(s, world.staff_a, site_ids=[world.site_a], statuses=["draft"])
        assert len(by_site) == 3
        with pytest.raises(PermissionDenied):
            repo.load_portfolio_frames(s, world.staff_a, org_ids=[world.org_b])
        empty_head, empty_answers = repo.load_portfolio_frames(s, world.staff_a, room_ids=[world.room_a2])
        assert len(empty_answers) == 0
        assert empty_answers["num"].dtype == "float64"
        assert list(empty_head["assessment_id"]) == [quiet.id]


def test_a_draft_can_be_deleted_by_a_manager(store: Store, world: World) -> None:
    with store.session() as s:
        a = repo.start_assessment(s, world.staff_a, world.room_a, TODAY)
        v = repo.save_answer(s, world.staff_a, a.id, "lighting.glare", "yes", 1)
        with pytest.raises(PermissionDenied):
            repo.delete_assessment(s, world.staff_a, a.id, v)
        repo.delete_assessment(s, world.manager_a, a.id, v)
        assert repo.list_assessments(s, world.manager_a) == []
        assert s.scalar(select(func.count()).select_from(Response)) == 0
        assert s.scalar(select(func.count()).select_from(AnswerRow)) == 0


def test_a_long_lived_session_sees_changes_made_elsewhere(store: Store, world: World) -> None:
    with store.session() as tablet, store.session() as office:
        a = repo.start_assessment(tablet, world.staff_a, world.room_a, TODAY)
        assert repo.get_assessment(tablet, world.staff_a, a.id).version_id == 1
        repo.save_answer(office, world.manager_a, a.id, "lighting.glare", "yes", 1)
        assert repo.get_assessment(tablet, world.staff_a, a.id).version_id == 2
        assert [x.version_id for x in repo.list_assessments(tablet, world.staff_a)] == [2]
        repo.update_user(office, world.admin, world.staff_a.id, role="viewer")
        with pytest.raises(PermissionDenied, match="signed in as viewer"):
            repo.save_answer(tablet, world.staff_a, a.id, "lighting.glare", "no", 2)


def test_the_command_line_acts_as_a_named_user_or_the_first_admin(store: Store, world: World) -> None:
    with store.session() as s:
        first_admin = repo.command_line_user(s)
        assert first_admin is not None
        assert first_admin.email == "admin@example.test"
        named = repo.command_line_user(s, "Sam@A.test")
        assert named is not None
        assert named.id == world.staff_a.id
        assert repo.command_line_user(s, "nobody@a.test") is None
        before = repo.data_version(s)
        repo.start_assessment(s, world.staff_a, world.room_a, TODAY)
        assert repo.data_version(s) > before


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Subnormal doubles (below 2.2e-308) are left out: SQLite's REAL column can round them by one unit in
# the last place, and no meter reads a level, percent or frequency that small.
@given(
    readings=st.lists(
        st.floats(min_value=0, max_value=140, allow_nan=False, allow_subnormal=False), min_size=1, max_size=4
    ),
    percent=st.floats(min_value=0, max_value=100, allow_nan=False, allow_subnormal=False),
    frequency=st.floats(min_value=0.001, max_value=1e6, allow_nan=False, allow_subnormal=False),
)
def test_numbers_come_back_exactly_as_saved(
    store: Store, world: World, readings: list[float], percent: float, frequency: float
) -> None:
    with store.session() as s:
        a = repo.start_assessment(s, world.staff_a, world.room_a, TODAY)
        v = repo.save_answer(s, world.staff_a, a.id, "noise.background_level", readings, 1)
        repo.save_answer(s, world.staff_a, a.id, "lighting.flicker", {"percent": percent, "frequency_hz": frequency}, v)
        answers = repo.assessment_answers(s, world.staff_a, a.id)
        assert answers["noise.background_level"] == tuple(readings)
        assert answers["lighting.flicker"] == Flicker(percent, frequency)
        _, rows = repo.load_portfolio_frames(s, world.staff_a, room_ids=[world.room_a])
        mine = rows[rows["assessment_id"] == a.id]
        noise = mine[mine["item_id"] == "noise.background_level"]
        assert list(noise["num"]) == readings
