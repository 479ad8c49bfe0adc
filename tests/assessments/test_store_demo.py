"""The demo portfolio: deterministic, complete, realistic enough to show every screen."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any

import pytest
from argon2 import PasswordHasher

from assessments import repository as repo
from assessments import transfer
from assessments.db import Store
from assessments.demo import (
    CLINIC,
    DEMO_END,
    DEMO_PASSWORD,
    DEMO_START,
    DEMO_USERS,
    FOLLOW_UP_DAY,
    FOLLOW_UP_ROOMS,
    demo_documents,
    is_empty,
    load_demo,
)
from assessments.models import AssessmentStatus, Role
from checklists.loader import default_catalogue
from checklists.responses import NA
from scoring.engine import score_assessment

ADMIN = "admin@demo.sensory-audit.test"


@pytest.fixture(scope="module")
def documents() -> list[dict[str, Any]]:
    return demo_documents()


def _assessments(document: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(room, a) for site in document["sites"] for room in site["rooms"] for a in room["assessments"]]


def test_the_demo_is_deterministic(documents: list[dict[str, Any]]) -> None:
    assert json.dumps(demo_documents()) == json.dumps(documents)


def test_three_settings_every_room_type_eight_to_ten_rooms(documents: list[dict[str, Any]]) -> None:
    catalogue = default_catalogue()
    assert [d["sites"][0]["setting"] for d in documents] == ["clinic", "school", "workplace"]
    for document in documents:
        (site,) = document["sites"]
        assert 8 <= len(site["rooms"]) <= 10
        assert {r["room_type"] for r in site["rooms"]} == set(catalogue.room_types(site["setting"]))
        for room in site["rooms"]:
            dates = [dt.date.fromisoformat(a["date"]) for a in room["assessments"]]
            # Six clinic rooms also carry the two assessments of the demo calibration round.
            visits = [d for d in dates if d not in (dt.date(2026, 9, 14), dt.date(2026, 9, 16))]
            assert 2 <= len(visits) <= 4
            assert len(dates) - len(visits) in ((0, 2) if document["organisation"]["name"] == CLINIC else (0,))
            assert dates == sorted(dates)
            assert dates[0] >= DEMO_START
            assert dates[-1] <= DEMO_END


def test_answers_cover_almost_every_item_with_some_na_notes_and_gaps(documents: list[dict[str, Any]]) -> None:
    catalogue = default_catalogue()
    statuses: Counter[str] = Counter()
    partial = provisional = na = notes = 0
    for document in documents:
        setting = document["sites"][0]["setting"]
        for room, a in _assessments(document):
            statuses[a["status"]] += 1
            checklist = catalogue.checklist(setting, room["room_type"])
            scored = [r.item.id for r in checklist.items if r.item.scored]
            answered = sum(1 for i in scored if i in a["responses"])
            na += sum(1 for v in a["responses"].values() if v == NA)
            notes += len(a["notes"])
            if answered < len(scored):
                if a["status"] == "draft":
                    partial += 1
                    assert answered / len(scored) < 0.8  # provisional by completeness
                else:
                    provisional += 1
                    assert a["provisional_reason"]
    assert partial == 1
    assert provisional == 1
    assert na > 20
    assert notes > 20
    assert statuses["reviewed"] > statuses["submitted"] > 0
    assert statuses["draft"] > 0


def _good_share(document: dict[str, Any], room_name: str) -> list[float]:
    """Share of yes/no items answered the good way, per visit: a rough quality measure."""
    catalogue = default_catalogue()
    setting = document["sites"][0]["setting"]
    room = next(r for r in document["sites"][0]["rooms"] if r["name"] == room_name)
    items = catalogue.checklist(setting, room["room_type"]).by_id()
    shares = []
    for a in room["assessments"]:
        answers = [(items[i].item.good_answer, v) for i, v in a["responses"].items() if items[i].item.kind == "yes_no"]
        good = [v == ("yes" if g else "no") for g, v in answers if v != NA]
        shares.append(sum(good) / len(good))
    return shares


def test_some_rooms_are_poor_and_some_improve(documents: list[dict[str, Any]]) -> None:
    school = documents[1]
    year3 = _good_share(school, "Year 3 classroom")
    assert year3[-1] - year3[0] > 0.25
    assert max(_good_share(school, "Dining hall")) < 0.6
    assert min(_good_share(school, "Calm room")) > 0.7


def test_loading_the_demo(store: Store) -> None:
    assert is_empty(store)
    loaded = load_demo(store)
    assert len(loaded) == 3
    assert not is_empty(store)
    assert load_demo(store) == []  # a second run adds nothing
    with store.session() as s:
        for demo_user in DEMO_USERS:
            user = repo.get_user_by_email(s, demo_user.email)
            assert user is not None
            assert user.password_hash is not None
            assert PasswordHasher().verify(user.password_hash, DEMO_PASSWORD)
            expected = ["Hillview Primary School"] if demo_user.organisation else [
                "Harbour Street Partners", "Hillview Primary School", "Riverside Community Health",
            ]  # fmt: skip
            assert [o.name for o in user.organisations] == expected
        # One demo account per role that changes something, and the school's teacher (there is no demo
        # viewer yet: the viewer role is tried by making one in Admin).
        assert sorted(u.role for u in DEMO_USERS) == sorted([*(r for r in Role if r is not Role.viewer), Role.staff])
        teacher = repo.Actor.of(repo.get_user_by_email(s, "teacher@demo.sensory-audit.test"))
        assert [o.name for o in repo.list_organisations(s, teacher)] == ["Hillview Primary School"]
        admin = repo.Actor.of(repo.get_user_by_email(s, ADMIN))
        photos = [e for a in repo.list_assessments(s, admin) for e in repo.list_evidence(s, admin, a.id)]
        assert 3 <= len(photos) <= 6
        assert all(repo.evidence_content(s, admin, e.id)[:2] == b"\xff\xd8" for e in photos)
        head, answers = repo.load_portfolio_frames(s, admin)
        assert len(head) > 60
        assert len(answers) > 3000
        assert set(head["status"]) == {s.value for s in AssessmentStatus}
        # What was loaded is exactly the demo documents.
        documents = {d["organisation"]["name"]: d for d in demo_documents()}
        for organisation in repo.list_organisations(s, admin):
            exported = transfer.export_organisation(s, admin, organisation.id, include_photos=True)
            # The actions and the follow-up visit checking them went in through the workflow, after
            # the documents; the demo sets no re-assessment interval of its own.
            assert exported.pop("intervals") == []
            actions = [a for site in exported["sites"] for room in site["rooms"] for a in room.pop("actions")]
            assert len(actions) == len(repo.list_actions(s, admin, organisation_id=organisation.id))
            for room in exported["sites"][0]["rooms"]:
                if (organisation.name, room["name"]) in FOLLOW_UP_ROOMS:
                    assert [a["date"] for a in room["assessments"]][-1] == FOLLOW_UP_DAY.isoformat()
                    room["assessments"] = room["assessments"][:-1]
            assert json.loads(json.dumps(exported)) == json.loads(json.dumps(documents[organisation.name]))


def test_the_demo_has_actions_in_every_state_checked_by_its_follow_up_visit(store: Store) -> None:
    load_demo(store)
    with store.session() as s:
        admin = repo.Actor.of(repo.get_user_by_email(s, ADMIN))
        actions = repo.list_actions(s, admin)
        assert {a.status for a in actions} == {"open", "in_progress", "done", "verified"}
        [(_organisation, room_name)] = FOLLOW_UP_ROOMS
        checked = [a for a in actions if a.room_name == room_name]
        follow_up = repo.list_assessments(s, admin, checked[0].room_id)[-1]
        assert (follow_up.assessed_on, follow_up.status.value) == (FOLLOW_UP_DAY, "submitted")
        assert {a.checked_assessment_id for a in checked} == {follow_up.id}
        assert sorted(a.status for a in checked) == ["open", "verified", "verified"]
        [reopened] = [a for a in checked if a.status == "open"]
        assert reopened.check_note.startswith("Reopened: the assessment of 20 November 2026")
        # What the follow-up scores is what verified them: the engine gives the fixed items full marks.
        score = score_assessment(default_catalogue(), repo.scoring_input(s, admin, follow_up.id))
        assert all(score.items[a.item_id].score == 1.0 for a in checked if a.status == "verified")
        assert score.items[reopened.item_id].score < 1.0
        # Each state came through the workflow, recorded in the trail.
        events = {(e.entity_id, e.action) for e in repo.list_audit_events(s, admin, entity="actions", limit=500)}
        assert {action for _, action in events} == {"create", "update", "verify", "reopen"}
        assert all((a.id, "verify") in events for a in checked if a.status == "verified")
