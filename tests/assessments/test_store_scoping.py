"""Organisation scoping: a user of one organisation is refused every read and write on another's ids.

The table below names every repository function that takes an id; a test fails when a new
function is added to the repository's public surface without a line here.
"""

from __future__ import annotations

import importlib
import inspect
import io
import pkgutil
from collections.abc import Callable
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import assessments
from assessments import repository as repo
from assessments import transfer
from assessments.db import Store
from assessments.errors import NotFound, PermissionDenied
from assessments.models import AnswerRow, Assessment, AuditEvent, Evidence, Response, Room, Site, User
from assessments.repository import Actor
from tests.assessments.conftest import TODAY, World


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 200, 30)).save(out, format="JPEG")
    return out.getvalue()


Ids = dict[str, int]
Call = Callable[[Session, Actor, Ids], Any]

# name -> a call on the ids of the other organisation ("org", "site", "room", "assessment", "evidence", "user",
# "round")
CALLS: dict[str, Call] = {
    "get_organisation": lambda s, u, i: repo.get_organisation(s, u, i["org"]),
    "list_sites": lambda s, u, i: repo.list_sites(s, u, organisation_id=i["org"]),
    "get_site": lambda s, u, i: repo.get_site(s, u, i["site"]),
    "create_site": lambda s, u, i: repo.create_site(s, u, i["org"], "Annexe", "school"),
    "update_site": lambda s, u, i: repo.update_site(s, u, i["site"], name="Renamed"),
    "list_rooms": lambda s, u, i: repo.list_rooms(s, u, site_id=i["site"]),
    "get_room": lambda s, u, i: repo.get_room(s, u, i["room"]),
    "room_checklist": lambda s, u, i: repo.room_checklist(s, u, i["room"]),
    "create_room": lambda s, u, i: repo.create_room(s, u, i["site"], "Hall", "dining_hall"),
    "update_room": lambda s, u, i: repo.update_room(s, u, i["room"], name="Renamed"),
    "list_assessments": lambda s, u, i: repo.list_assessments(s, u, i["room"]),
    "list_assessments(site_id)": lambda s, u, i: repo.list_assessments(s, u, site_id=i["site"]),
    "list_assessments(organisation_id)": lambda s, u, i: repo.list_assessments(s, u, organisation_id=i["org"]),
    "get_assessment": lambda s, u, i: repo.get_assessment(s, u, i["assessment"]),
    "start_assessment": lambda s, u, i: repo.start_assessment(s, u, i["room"], TODAY),
    "delete_assessment": lambda s, u, i: repo.delete_assessment(s, u, i["assessment"], i["version"]),
    "save_answer": lambda s, u, i: repo.save_answer(s, u, i["assessment"], "lighting.glare", "no", i["version"]),
    "clear_answer": lambda s, u, i: repo.clear_answer(s, u, i["assessment"], "lighting.glare", i["version"]),
    "save_note": lambda s, u, i: repo.save_note(s, u, i["assessment"], "lighting.glare", "mine", i["version"]),
    "submit": lambda s, u, i: repo.submit(s, u, i["assessment"], i["version"], "no reason"),
    "review": lambda s, u, i: repo.review(s, u, i["assessment"], i["version"]),
    "send_back": lambda s, u, i: repo.send_back(s, u, i["assessment"], i["version"], "redo"),
    "list_responses": lambda s, u, i: repo.list_responses(s, u, i["assessment"]),
    "notes_by_assessment": lambda s, u, i: repo.notes_by_assessment(s, u, [i["assessment"]]),
    "assessment_answers": lambda s, u, i: repo.assessment_answers(s, u, i["assessment"]),
    "answer_stamps": lambda s, u, i: repo.answer_stamps(s, u, i["assessment"]),
    "scoring_input": lambda s, u, i: repo.scoring_input(s, u, i["assessment"]),
    "stored_answers": lambda s, u, i: repo.stored_answers(s, u, i["assessment"]),
    "assessment_document": lambda s, u, i: repo.assessment_document(s, u, i["assessment"]),
    "add_evidence": lambda s, u, i: repo.add_evidence(s, u, i["assessment"], "lighting.glare", "a.jpg", _jpeg()),
    "get_evidence": lambda s, u, i: repo.get_evidence(s, u, i["evidence"]),
    "list_evidence": lambda s, u, i: repo.list_evidence(s, u, i["assessment"]),
    "evidence_content": lambda s, u, i: repo.evidence_content(s, u, i["evidence"]),
    "delete_evidence": lambda s, u, i: repo.delete_evidence(s, u, i["evidence"]),
    "list_audit_events": lambda s, u, i: repo.list_audit_events(s, u, organisation_id=i["org"]),
    "load_portfolio_frames": lambda s, u, i: repo.load_portfolio_frames(s, u, org_ids=[i["org"]]),
    "load_portfolio_frames(site_ids)": lambda s, u, i: repo.load_portfolio_frames(s, u, site_ids=[i["site"]]),
    "load_portfolio_frames(room_ids)": lambda s, u, i: repo.load_portfolio_frames(s, u, room_ids=[i["room"]]),
    "get_user": lambda s, u, i: repo.get_user(s, u, i["user"]),
    "export_organisation": lambda s, u, i: transfer.export_organisation(s, u, i["org"]),
    "mark_calibration_round": lambda s, u, i: repo.mark_calibration_round(s, u, "Ours", [i["assessment"]]),
    "start_calibration_round": lambda s, u, i: repo.start_calibration_round(s, u, "Ours", [i["room"]], [i["user"]]),
    "list_calibration_rounds": lambda s, u, i: repo.list_calibration_rounds(s, u, organisation_id=i["org"]),
    "get_calibration_round": lambda s, u, i: repo.get_calibration_round(s, u, i["round"]),
    "calibration_units": lambda s, u, i: repo.calibration_units(s, u, i["round"]),
    "close_calibration_round": lambda s, u, i: repo.close_calibration_round(s, u, i["round"]),
    "create_action": lambda s, u, i: repo.create_action(
        s, u, i["room"], "lighting.flicker", owner_id=i["user"], due_on=TODAY
    ),
    "update_action": lambda s, u, i: repo.update_action(s, u, i["action"], note="theirs"),
    "get_action": lambda s, u, i: repo.get_action(s, u, i["action"]),
    "list_actions": lambda s, u, i: repo.list_actions(s, u, organisation_id=i["org"]),
    "list_actions(room_id)": lambda s, u, i: repo.list_actions(s, u, room_id=i["room"]),
    "action_owners": lambda s, u, i: repo.action_owners(s, u, i["room"]),
    "list_intervals": lambda s, u, i: repo.list_intervals(s, u, i["org"]),
    "set_interval": lambda s, u, i: repo.set_interval(s, u, i["org"], "school", "classroom", 6),
    "room_schedule": lambda s, u, i: repo.room_schedule(s, u, today=TODAY, organisation_ids=[i["org"]]),
    "current_criteria": lambda s, u, i: repo.current_criteria(s, u, i["org"]),
    "criteria_versions": lambda s, u, i: repo.criteria_versions(s, u, i["org"]),
    "criteria_catalogue": lambda s, u, i: repo.criteria_catalogue(s, u, i["org"]),
    "organisations_with_criteria": lambda s, u, i: repo.organisations_with_criteria(s, u, [i["org"]]),
    "save_criteria": lambda s, u, i: repo.save_criteria(s, u, i["org"], "title: Theirs\n", "ours now"),
}
# Functions without an id to aim at another organisation: their lists are checked below, and the
# user functions are for admins only (test_store_repository.py).
# import_submissions takes its room ids from the file; refusing other organisations' rooms is tested in
# test_store_submissions.py.
NO_IDS = {"list_organisations", "list_users", "get_user_by_email", "create_user", "update_user",
          "set_password_hash", "create_organisation", "import_submissions", "create_link",
          # Each user's own interface language: nobody sets another person's.
          "set_language",
          # Each user's own inbox: there is no id to aim at anybody else's.
          "list_notifications", "unread_count", "mark_read", "refresh_reminders",
          # Each user's own calendar address: made, read and stopped for themselves only (its rooms
          # are the user's own schedule, test_store_calendar_feed.py).
          "create_calendar_token", "revoke_calendar_token", "calendar_since",
          # Single sign-on domains are for admins only, who reach every organisation.
          "list_sign_on_domains", "set_sign_on_domain", "remove_sign_on_domain"}  # fmt: skip


def test_every_repository_function_with_ids_is_in_the_table() -> None:
    public = {
        name
        for name in repo.__all__
        if inspect.isfunction(getattr(repo, name)) and "user" in inspect.signature(getattr(repo, name)).parameters
    }
    covered = {name.split("(")[0] for name in CALLS} | NO_IDS
    assert public - covered == set()


def test_every_store_function_that_acts_for_a_user_is_offered_by_the_repository() -> None:
    # The store is one module per responsibility behind the repository; the table above is checked
    # against the repository's __all__, so a function missing from it would escape that check.
    acting_for_a_user = {}
    for info in pkgutil.iter_modules(assessments.__path__):
        module = importlib.import_module(f"assessments.{info.name}")
        for name, value in vars(module).items():
            if (
                not name.startswith("_")
                and inspect.isfunction(value)
                and value.__module__ == module.__name__
                and "user" in inspect.signature(value).parameters
            ):
                acting_for_a_user[name] = module.__name__
    assert {"save_answer", "add_evidence", "load_portfolio_frames", "export_organisation"} <= set(acting_for_a_user)
    moved = {name for name, module in acting_for_a_user.items() if module.startswith("assessments.transfer")}
    assert moved - set(transfer.__all__) == set()
    assert set(acting_for_a_user) - moved - set(repo.__all__) == set()


def _counts(store: Store) -> dict[str, int]:
    with store.session() as s:
        return {
            model.__tablename__: s.scalar(select(func.count()).select_from(model)) or 0
            for model in (Site, Room, Assessment, Response, AnswerRow, Evidence, AuditEvent, User)
        }


@pytest.fixture
def target(store: Store, world: World) -> Ids:
    """Organisation A's records: an answered draft with a photo."""
    with store.session() as s:
        a = repo.start_assessment(s, world.staff_a, world.room_a, TODAY)
        v = repo.save_answer(s, world.staff_a, a.id, "lighting.glare", "yes", a.version_id, note="ours")
        e = repo.add_evidence(s, world.staff_a, a.id, "lighting.glare", "ours.jpg", _jpeg())
        r = repo.start_calibration_round(
            s, world.manager_a, "Spring", [world.room_a], [world.staff_a.id, world.manager_a.id], starts_on=TODAY
        )
        action = repo.create_action(s, world.manager_a, world.room_a, "lighting.glare", owner_id=world.staff_a.id,
                                    due_on=TODAY)  # fmt: skip
    return {"org": world.org_a, "site": world.site_a, "room": world.room_a, "assessment": a.id, "version": v,
            "evidence": e.id, "user": world.staff_a.id, "round": r.id, "action": action.id}  # fmt: skip


@pytest.mark.parametrize("outsider", ["manager_b", "staff_b"])
def test_another_organisations_ids_are_refused_everywhere(
    store: Store, world: World, target: Ids, outsider: str
) -> None:
    user: Actor = getattr(world, outsider)
    before = _counts(store)
    refused = []
    with store.session() as s:
        for name, call in CALLS.items():
            with pytest.raises(PermissionDenied) as error:
                call(s, user, target)
            refused.append(name)
            if outsider == "manager_b":
                # A manager may do all of these in their own organisation: the refusal names the organisation.
                assert "not in your organisations" in str(error.value), (name, str(error.value))
        assert [x.id for x in repo.list_assessments(s, user)] == []
        assert all(o.id != world.org_a for o in repo.list_organisations(s, user))
        assert all(site.organisation_id != world.org_a for site in repo.list_sites(s, user))
        assert all(room.site_id != world.site_a for room in repo.list_rooms(s, user))
        head, answers = repo.load_portfolio_frames(s, user)
        assert head.empty
        assert answers.empty
    assert refused == list(CALLS)
    assert _counts(store) == before  # nothing written, not even an audit event


def test_ids_that_do_not_exist_are_refused_alike(store: Store, world: World) -> None:
    missing = {"org": 9999, "site": 9999, "room": 9999, "assessment": 9999, "version": 1, "evidence": 9999,
               "user": 9999, "round": 9999, "action": 9999}  # fmt: skip
    with store.session() as s:
        for name, call in CALLS.items():
            # Outsiders cannot tell a missing record from another organisation's.
            with pytest.raises(PermissionDenied, match="not in your organisations"):
                call(s, world.manager_b, missing)
            # An admin sees every organisation, so is told plainly that there is no such record.
            if name not in ("load_portfolio_frames", "list_audit_events"):
                with pytest.raises((NotFound, PermissionDenied)) as error:
                    call(s, world.admin, missing)
                assert isinstance(error.value, NotFound), name


def test_an_admin_reaches_every_organisation(store: Store, world: World, target: Ids) -> None:
    with store.session() as s:
        assert repo.get_assessment(s, world.admin, target["assessment"]).id == target["assessment"]
        assert repo.evidence_content(s, world.admin, target["evidence"])
        head, _ = repo.load_portfolio_frames(s, world.admin)
        assert list(head["assessment_id"]) == [target["assessment"]]
