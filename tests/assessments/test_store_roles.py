"""The role table drives this test: every role against every store operation, allowed and refused."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from assessments import repository as repo
from assessments.db import Store
from assessments.errors import PermissionDenied
from assessments.models import Role
from assessments.repository import Actor
from assessments.roles import ACTIONS
from tests.assessments.conftest import TODAY, World

_names = itertools.count()


def _draft(s: Session, world: World) -> tuple[int, int]:
    started = repo.start_assessment(s, world.admin, world.room_a, TODAY)
    return started.id, started.version_id


def _action_for(s: Session, user: Actor, world: World) -> int:
    """An action planned by the admin: owned by the user when staff (who change only their own)."""
    owner = user.id if user.role is Role.staff else world.staff_a.id
    return repo.create_action(s, world.admin, world.room_a, "lighting.glare", owner_id=owner, due_on=TODAY).id


# One operation per action of the role table, on organisation A (where every non-admin is a member).
OPERATIONS: dict[str, Callable[[Session, Actor, World], Any]] = {
    "read": lambda s, u, w: repo.list_rooms(s, u, site_id=w.site_a),
    "assess": lambda s, u, w: repo.start_assessment(s, u, w.room_a, TODAY),
    "review": lambda s, u, w: repo.delete_assessment(s, u, *_draft(s, w)),
    "manage_places": lambda s, u, w: repo.create_room(s, u, w.site_a, f"Room {next(_names)}", "classroom"),
    "read_audit": lambda s, u, w: repo.list_audit_events(s, u, organisation_id=w.org_a),
    "read_calibration": lambda s, u, w: repo.list_calibration_rounds(s, u, organisation_id=w.org_a),
    "run_calibration": lambda s, u, w: repo.start_calibration_round(
        s, u, f"Round {next(_names)}", [w.room_a], [w.staff_a.id, w.manager_a.id], starts_on=TODAY
    ),
    "plan_actions": lambda s, u, w: repo.create_action(
        s, u, w.room_a, "lighting.dimmable", owner_id=w.staff_a.id, due_on=TODAY
    ),
    "work_actions": lambda s, u, w: repo.update_action(s, u, _action_for(s, u, w), status="in_progress"),
    "set_schedule": lambda s, u, w: repo.set_interval(s, u, w.org_a, "school", "classroom", 6),
    "set_criteria": lambda s, u, w: repo.save_criteria(s, u, w.org_a, "critical: [lighting.dimmable]\n", "policy"),
    "see_users": lambda s, u, w: repo.list_users(s, u),
    "administer": lambda s, u, w: repo.create_organisation(s, u, f"Trust {next(_names)}"),
}


def test_every_action_of_the_table_has_an_operation() -> None:
    assert set(OPERATIONS) == {action.key for action in ACTIONS}


def _member(store: Store, world: World, role: Role) -> Actor:
    people = {Role.admin: world.admin, Role.manager: world.manager_a, Role.staff: world.staff_a,
              Role.consultant: world.consultant_a}  # fmt: skip
    if role in people:
        return people[role]
    with store.session() as s:
        viewer = repo.create_user(s, world.admin, name="Vi Viewer", email="vi@a.test", role=role,
                                  organisation_ids=[world.org_a])  # fmt: skip
        return Actor.of(viewer)


@pytest.mark.parametrize(
    ("role", "action"), [(r, a) for r in Role for a in ACTIONS], ids=lambda x: getattr(x, "key", x)
)
def test_the_store_allows_exactly_what_the_table_says(store: Store, world: World, role: Role, action: Any) -> None:
    actor = _member(store, world, role)
    with store.session() as s:
        if role in action.reach:
            OPERATIONS[action.key](s, actor, world)
        else:
            with pytest.raises(PermissionDenied, match=f"you are signed in as {role.value}"):
                OPERATIONS[action.key](s, actor, world)


def test_a_consultant_assesses_in_every_organisation_granted_and_nowhere_else(store: Store, world: World) -> None:
    with store.session() as s:
        repo.update_user(s, world.admin, world.consultant_a.id, organisation_ids=[world.org_a, world.org_b])
        consultant = Actor.of(repo.get_user(s, world.admin, world.consultant_a.id))
        sites = {site.name for site in repo.list_sites(s, consultant)}
        assert sites == {"Hillview Primary", "Riverside Clinic"}
        for room_id in (world.room_a, world.room_b):
            draft = repo.start_assessment(s, consultant, room_id, TODAY)
            version = repo.save_answer(s, consultant, draft.id, "noise.background_level", 41, draft.version_id)
            repo.submit(s, consultant, draft.id, version, provisional_reason="A first walk round")
            assert repo.get_assessment(s, consultant, draft.id).assessor == "Cy Consultant"
        repo.update_user(s, world.admin, world.consultant_a.id, organisation_ids=[world.org_a])
        with pytest.raises(PermissionDenied):
            repo.start_assessment(s, consultant, world.room_b, TODAY)
