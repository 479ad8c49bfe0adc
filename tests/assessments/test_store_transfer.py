"""Export and import of whole organisations: the round trip, and all-or-nothing imports."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from assessments import repository as repo
from assessments import transfer
from assessments.db import Store, make_engine, session_factory, upgrade
from assessments.demo import load_demo
from assessments.errors import ImportProblems, PermissionDenied
from assessments.models import (
    AnswerRow,
    Assessment,
    AuditEvent,
    Evidence,
    Organisation,
    PlannedAction,
    ReassessmentInterval,
    Response,
    Room,
    Site,
    User,
    memberships,
)
from checklists.loader import default_catalogue
from checklists.responses import parse_assessment
from tests.assessments.conftest import World

ADMIN = "admin@demo.sensory-audit.test"


def _admin(store: Store) -> repo.Actor:
    with store.session() as s:
        user = repo.get_user_by_email(s, ADMIN)
        assert user is not None
        return repo.Actor.of(user)


def _dump(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)


@pytest.fixture
def second_store(store: Store, request: pytest.FixtureRequest) -> Iterator[Store]:
    """Another empty database of the same kind, sharing the data folder."""
    if store.engine.dialect.name == "sqlite":
        database = store.engine.url.database
        assert database is not None
        url = f"sqlite+pysqlite:///{database}.second"
    else:
        url = request.getfixturevalue("postgres_server").create_database(f"second_{uuid.uuid4().hex[:8]}")
    engine = make_engine(url)
    upgrade(engine)
    other = Store(engine=engine, sessions=session_factory(engine))
    yield other
    other.dispose()


def _counts(store: Store) -> dict[str, int]:
    with store.session() as s:
        counts = {
            model.__tablename__: s.scalar(select(func.count()).select_from(model)) or 0
            for model in (
                Organisation,
                User,
                Site,
                Room,
                Assessment,
                Response,
                AnswerRow,
                Evidence,
                AuditEvent,
                PlannedAction,
                ReassessmentInterval,
            )
        }
        counts["memberships"] = s.scalar(select(func.count()).select_from(memberships)) or 0
        return counts


def test_export_import_export_gives_identical_json(store: Store, second_store: Store) -> None:
    load_demo(store)
    admin = _admin(store)
    with store.session() as s:
        organisations = [(o.id, o.name) for o in repo.list_organisations(s, admin)]
        exports = {name: transfer.export_organisation(s, admin, org_id, include_photos=True)
                   for org_id, name in organisations}  # fmt: skip
    assert len(exports) == 3
    for name, document in exports.items():
        with second_store.session() as s:
            result = transfer.import_organisation(s, json.loads(_dump(document)))
            assert result.organisation_name == name
            assert result.responses > 1000
            again = transfer.export_organisation(s, admin_of(s), result.organisation_id, include_photos=True)
        assert _dump(again) == _dump(document)
    with second_store.session() as s:
        # The people came along: same accounts, same memberships (without their passwords).
        teacher = repo.get_user_by_email(s, "teacher@demo.sensory-audit.test")
        assert teacher is not None
        assert [o.name for o in teacher.organisations] == ["Hillview Primary School"]
        assert teacher.password_hash is None


def admin_of(session: Any) -> repo.Actor:
    user = repo.get_user_by_email(session, ADMIN)
    assert user is not None
    return repo.Actor.of(user)


def test_photo_references_restore_where_the_images_already_are(store: Store) -> None:
    load_demo(store)
    admin = _admin(store)
    with store.session() as s:
        school = next(o for o in repo.list_organisations(s, admin) if o.name == "Hillview Primary School")
        document = transfer.export_organisation(s, admin, school.id)
        photos = [e for site in document["sites"] for room in site["rooms"] for a in room["assessments"]
                  for e in a["evidence"]]  # fmt: skip
        assert photos
        assert all("content" not in e and len(e["sha256"]) == 64 for e in photos)
        document["organisation"]["name"] = "Hillview Primary School (copy)"
        result = transfer.import_organisation(s, document, user=admin)
        copied = []
        for site in repo.list_sites(s, admin, result.organisation_id):
            for room in repo.list_rooms(s, admin, site.id):
                for assessment in repo.list_assessments(s, admin, room.id):
                    copied += repo.list_evidence(s, admin, assessment.id)
        assert {e.sha256 for e in copied} == {e["sha256"] for e in photos}
        assert all(repo.evidence_content(s, admin, e.id) for e in copied)
        again = transfer.export_organisation(s, admin, result.organisation_id)
        again["organisation"]["name"] = "Hillview Primary School"
        document["organisation"]["name"] = "Hillview Primary School"
        assert _dump(again) == _dump(document)


def test_a_missing_image_is_a_problem_not_a_silent_gap(store: Store, second_store: Store) -> None:
    load_demo(store)
    admin = _admin(store)
    with store.session() as s:
        office = next(o for o in repo.list_organisations(s, admin) if o.name == "Harbour Street Partners")
        document = transfer.export_organisation(s, admin, office.id)
    for site in document["sites"]:
        for room in site["rooms"]:
            for assessment in room["assessments"]:
                for photo in assessment["evidence"]:
                    photo["sha256"] = "0" * 64
    before = _counts(second_store)
    with second_store.session() as s, pytest.raises(ImportProblems) as error:
        transfer.import_organisation(s, document)
    assert error.value.problems
    assert all("is not in this store; export with photos" in p for p in error.value.problems)
    assert _counts(second_store) == before


def _big_document(store: Store, copies: int) -> dict[str, Any]:
    load_demo(store)
    admin = _admin(store)
    with store.session() as s:
        school = next(o for o in repo.list_organisations(s, admin) if o.name == "Hillview Primary School")
        document = transfer.export_organisation(s, admin, school.id, include_photos=True)
    site = document["sites"][0]
    rooms = site["rooms"]
    site["rooms"] = [dict(copy.deepcopy(room), name=f"{room['name']} ({n})") for n in range(copies) for room in rooms]
    document["organisation"]["name"] = "Big Trust"
    return document


def test_one_bad_response_among_thousands_leaves_nothing_behind(store: Store) -> None:
    document = _big_document(store, copies=4)
    total = sum(len(a["responses"]) for room in document["sites"][0]["rooms"] for a in room["assessments"])
    assert total > 4000
    bad_room = document["sites"][0]["rooms"][37]
    bad_room["assessments"][1]["responses"]["noise.background_level"] = 400
    before = _counts(store)
    with store.session() as s, pytest.raises(ImportProblems) as error:
        transfer.import_organisation(s, document)
    assert error.value.problems == [
        "sites[0].rooms[37].assessments[1].responses.noise.background_level: "
        "reading 400 dBA is not physically possible (allowed: 0 to 140 dBA)"
    ]
    assert "the file was not imported (1 problem)" in str(error.value)
    assert _counts(store) == before
    # Fixed, the same file goes in whole.
    bad_room["assessments"][1]["responses"]["noise.background_level"] = 40
    with store.session() as s:
        result = transfer.import_organisation(s, document)
    assert result.responses == total
    assert _counts(store)["responses"] == before["responses"] + result.responses


def test_a_failure_while_writing_rolls_everything_back(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    document = _big_document(store, copies=1)
    before = _counts(store)
    calls = 0
    real = repo.stored_value

    def failing(answer: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 500:
            raise RuntimeError("disk full")
        return real(answer)

    monkeypatch.setattr("assessments.transfer_import.stored_value", failing)
    with store.session() as s, pytest.raises(RuntimeError, match="disk full"):
        transfer.import_organisation(s, document)
    assert _counts(store) == before


def test_every_problem_is_listed_with_its_path(store: Store, world: World) -> None:
    room = {
        "name": "Year 3",
        "room_type": "classroom",
        "assessments": [
            {
                "date": "2026-01-05", "assessor": "Sam", "assessor_email": "nobody@x.test", "status": "draft",
                "catalogue_version": "2026.1",
                "responses": {"noise.background_level": "loud", "lighting.glare": "n/a", "lighting.sparkle": "yes",
                              "quiet_zones.quiet_room_area": 12},
                "notes": {"noise.nothing": "hm"},
                "answered": {"textures.odours": {"by": None, "at": "2026-01-05T09:00:00Z"}},
                "evidence": [{"item_id": "lighting.glare", "file_name": "a.jpg", "content_type": "image/jpeg",
                              "size": 3, "sha256": "a" * 64, "uploaded_at": "2026-01-05T09:00:00Z",
                              "content": "AAAA"}],
            }
        ],
    }  # fmt: skip
    document = {
        "format": "sensory-audit.organisation",
        "format_version": 1,
        "organisation": {"name": "Hillview Trust"},
        "people": [],
        "sites": [
            {"name": "Main", "setting": "school", "rooms": [room, dict(room, room_type="waiting_room")]},
            {"name": "Main", "setting": "hospital", "rooms": []},
        ],
    }
    before = _counts(store)
    with store.session() as s, pytest.raises(ImportProblems) as error:
        transfer.import_organisation(s, document)
    assert error.value.problems == [
        "organisation.name: an organisation called 'Hillview Trust' already exists here",
        "sites[0].rooms[0].assessments[0].assessor_email: nobody@x.test is not listed in people",
        "sites[0].rooms[0].assessments[0].responses.noise.background_level: reading must be a number, got 'loud'",
        "sites[0].rooms[0].assessments[0].responses.lighting.glare: "
        "n/a is not allowed for this item: it applies to every room of this type",
        "sites[0].rooms[0].assessments[0].responses.lighting.sparkle: unknown item id",
        "sites[0].rooms[0].assessments[0].responses.quiet_zones.quiet_room_area: "
        "does not apply to a classroom in a school",
        "sites[0].rooms[0].assessments[0].notes.noise.nothing: unknown item id",
        "sites[0].rooms[0].assessments[0].answered.textures.odours: there is no response or note for this item",
        "sites[0].rooms[0].assessments[0].evidence[0].content: the image does not match its sha256 and size",
        "sites[0].rooms[1].name: another room of this site is called 'Year 3'",
        "sites[0].rooms[1].room_type: unknown room type 'waiting_room' for a school (one of classroom, "
        "special_needs_classroom, dining_hall, corridor, quiet_room)",
        "sites[1].name: another site is called 'Main'",
        "sites[1].setting: unknown setting 'hospital' (one of clinic, school, workplace)",
    ]
    assert _counts(store) == before

    bad_room = {"name": "A", "room_type": "classroom", "floor": "second", "colour": "red"}
    shape = {"format": "sensory-audit.organisation", "format_version": 3, "organisation": {},
             "sites": [{"name": "", "setting": "school", "rooms": [bad_room]}]}  # fmt: skip
    with store.session() as s, pytest.raises(ImportProblems) as error:
        transfer.import_organisation(s, shape)
    assert error.value.problems == [
        "format_version: Input should be 1 or 2",
        "organisation.name: required field is missing",
        "sites[0].name: String should have at least 1 character",
        "sites[0].rooms[0].floor: Input should be a valid integer, unable to parse string as an integer",
        "sites[0].rooms[0].colour: unknown field",
    ]
    with store.session() as s, pytest.raises(ImportProblems, match=r"\(file\): Input should be a valid dictionary"):
        transfer.import_organisation(s, [1, 2, 3])
    assert _counts(store) == before


def test_only_admins_import_and_staff_do_not_export(store: Store, world: World) -> None:
    with store.session() as s:
        with pytest.raises(PermissionDenied, match="Only admins can import"):
            transfer.import_organisation(s, {}, user=world.manager_a)
        with pytest.raises(PermissionDenied, match="export"):
            transfer.export_organisation(s, world.staff_a, world.org_a)
        assert transfer.export_organisation(s, world.consultant_a, world.org_a)["organisation"] == {
            "name": "Hillview Trust"
        }


def test_every_stored_assessment_exports_as_a_scorable_assessment_file(store: Store) -> None:
    load_demo(store)
    admin = _admin(store)
    catalogue = default_catalogue()
    with store.session() as s:
        assessments = repo.list_assessments(s, admin)
        assert len(assessments) > 60
        for assessment in assessments:
            document = json.loads(json.dumps(repo.assessment_document(s, admin, assessment.id)))
            parsed = parse_assessment(catalogue, document)
            assert dict(parsed.answers) == repo.assessment_answers(s, admin, assessment.id)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"<script>alert(1)</script>", "not a photo the store can read"),
        (b"GIF89a" + bytes(40), "not a photo the store can read"),
        (b"png", "the image is PNG, not image/jpeg"),
    ],
    ids=["script", "gif", "png-called-jpeg"],
)
def test_imported_photos_get_the_checks_of_uploaded_ones(store: Store, content: bytes, problem: str) -> None:
    import base64
    import hashlib

    from PIL import Image

    if content == b"png":
        out = io.BytesIO()
        Image.new("RGB", (40, 30), (1, 2, 3)).save(out, format="PNG")
        content = out.getvalue()

    photo = {"item_id": "lighting.glare", "file_name": "a.jpg", "content_type": "image/jpeg",
             "size": len(content), "sha256": hashlib.sha256(content).hexdigest(),
             "uploaded_at": "2026-01-05T09:00:00Z", "content": base64.b64encode(content).decode()}  # fmt: skip
    assessment = {"date": "2026-01-05", "assessor": "Sam", "status": "draft", "catalogue_version": "2026.1",
                  "responses": {"lighting.glare": "yes"}, "evidence": [photo]}  # fmt: skip
    document = {
        "format": "sensory-audit.organisation", "format_version": 1, "organisation": {"name": "Photo Trust"},
        "people": [],
        "sites": [{"name": "Main", "setting": "school",
                   "rooms": [{"name": "Y3", "room_type": "classroom", "assessments": [assessment]}]}],
    }  # fmt: skip
    with store.session() as s, pytest.raises(ImportProblems) as error:
        transfer.import_organisation(s, document)
    [found] = error.value.problems
    assert found.startswith("sites[0].rooms[0].assessments[0].evidence[0].content: ")
    assert problem in found


def _action_facts(session: Any, user: Any, org_id: int) -> list[tuple[Any, ...]]:
    """What a person reads of an organisation's actions, ids aside."""
    return [
        (a.site_name, a.room_name, a.item_id, a.owner_name, a.due_on, a.cost_estimate, a.note, a.status, a.gain,
         a.score_before, a.check_note, a.checked_on, a.created_at, a.done_at, a.verified_at)
        for a in repo.list_actions(session, user, organisation_id=org_id)
    ]  # fmt: skip


def test_actions_and_intervals_move_with_the_organisation(store: Store, second_store: Store) -> None:
    load_demo(store)
    admin = _admin(store)
    with store.session() as s:
        office = next(o for o in repo.list_organisations(s, admin) if o.name == "Harbour Street Partners")
        repo.set_interval(s, admin, office.id, "workplace", "open_office", 6)
        repo.set_interval(s, admin, office.id, "workplace", "meeting_room", 24)
        facts = _action_facts(s, admin, office.id)
        intervals = repo.list_intervals(s, admin, office.id)
        due = repo.room_schedule(s, admin, today=dt.date(2026, 12, 1), organisation_ids=[office.id])
        schedule = [(r.room_name, r.due_on, r.basis) for r in due]
        document = json.loads(_dump(transfer.export_organisation(s, admin, office.id, include_photos=True)))
    assert {f[7] for f in facts} >= {"open", "done", "verified"}
    assert document["format_version"] == 2
    assert document["intervals"] == [
        {"setting": "workplace", "room_type": "meeting_room", "months": 24},
        {"setting": "workplace", "room_type": "open_office", "months": 6},
    ]
    exported = [a for site in document["sites"] for room in site["rooms"] for a in room["actions"]]
    assert len(exported) == len(facts)
    assert all(a["owner"] == "staff@demo.sensory-audit.test" for a in exported)

    with second_store.session() as s:
        result = transfer.import_organisation(s, document)
        assert (result.actions, result.intervals) == (len(facts), 2)
        moved = admin_of(s)
        assert _action_facts(s, moved, result.organisation_id) == facts
        assert repo.list_intervals(s, moved, result.organisation_id) == intervals
        assert [(r.room_name, r.due_on, r.basis) for r in repo.room_schedule(
            s, moved, today=dt.date(2026, 12, 1), organisation_ids=[result.organisation_id])] == schedule  # fmt: skip
        # The owner is the same person here, so the actions are theirs to move on.
        staff = repo.get_user_by_email(s, "staff@demo.sensory-audit.test")
        assert staff is not None
        mine = repo.list_actions(s, staff, organisation_id=result.organisation_id, owner_id=staff.id)
        assert len(mine) == len(facts)


def _office_document(store: Store) -> dict[str, Any]:
    load_demo(store)
    admin = _admin(store)
    with store.session() as s:
        office = next(o for o in repo.list_organisations(s, admin) if o.name == "Harbour Street Partners")
        document: dict[str, Any] = json.loads(_dump(transfer.export_organisation(s, admin, office.id)))
    document["organisation"]["name"] = "Harbour Street Partners (copy)"
    return document


def test_a_bad_action_or_interval_is_named_and_nothing_is_imported(store: Store) -> None:
    document = _office_document(store)
    s_index, r_index, room = next(
        (s, r, room) for s, site in enumerate(document["sites"]) for r, room in enumerate(site["rooms"])
        if len(room["actions"]) >= 2
    )  # fmt: skip
    base = f"sites[{s_index}].rooms[{r_index}].actions"
    count = len(room["assessments"])
    first, second = room["actions"][0], room["actions"][1]
    first.update(owner="nobody@x.test", planned_from=count, item_id="lighting.sparkle")
    second.update(status="verified", checked_by=None, cost_estimate=-3)
    unplanned = sorted(set(room["assessments"][-1]["responses"]) - {a["item_id"] for a in room["actions"]})[0]
    room["actions"] += [dict(first, item_id=unplanned, status="open", owner=None, planned_from=None)] * 2
    document["intervals"] = [
        {"setting": "workplace", "room_type": "meeting_room", "months": 61},
        {"setting": "workplace", "room_type": "classroom", "months": 6},
        {"setting": "workplace", "room_type": "reception", "months": 6},
        {"setting": "workplace", "room_type": "reception", "months": 9},
    ]
    before = _counts(store)
    with store.session() as s, pytest.raises(ImportProblems) as error:
        transfer.import_organisation(s, document)
    assert error.value.problems == [
        f"{base}[1].cost_estimate: Input should be greater than or equal to 0",
        "intervals[0].months: Input should be less than or equal to 60",
    ]
    assert _counts(store) == before

    second["cost_estimate"] = 30
    document["intervals"][0]["months"] = 60
    last = len(room["actions"]) - 1
    with store.session() as s, pytest.raises(ImportProblems) as error:
        transfer.import_organisation(s, document)
    assert error.value.problems == [
        f"{base}[0].item_id: unknown item id",
        f"{base}[0].owner: nobody@x.test is not listed in people",
        f"{base}[0].planned_from: this room has {count} assessment{'' if count == 1 else 's'}, so {count} is not "
        "one of them (they count from 0)",
        f"{base}[1].checked_by: a verified action names the assessment that verified it",
        f"{base}[{last}].item_id: actions[{last - 1}] of this room plans the same fix and is not verified either",
        "intervals[1].room_type: unknown room type 'classroom' for a workplace (one of "
        + ", ".join(default_catalogue().room_types("workplace"))
        + ")",
        "intervals[3]: the reception of a workplace has another interval above",
    ]
    assert _counts(store) == before


def test_a_version_1_file_without_actions_still_imports(store: Store) -> None:
    document = _office_document(store)
    document["format_version"] = 1
    for site in document["sites"]:
        for room in site["rooms"]:
            del room["actions"]
    del document["intervals"]
    with store.session() as s:
        result = transfer.import_organisation(s, document)
    assert (result.actions, result.intervals, result.rooms) == (0, 0, sum(len(x["rooms"]) for x in document["sites"]))
