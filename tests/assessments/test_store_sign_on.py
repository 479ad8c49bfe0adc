"""Single sign-on in the store: a provider-confirmed address opens a session like a password does; an
unknown one is refused unless its domain is allowed, and then gets the chosen role and organisation."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from assessments import repository as repo
from assessments.db import Store
from assessments.errors import InvalidAnswer, PermissionDenied
from assessments.models import AuditEvent, Role, User, UserSession
from tests.assessments.conftest import World


def test_a_confirmed_address_opens_a_session_that_a_role_change_ends(store: Store, world: World) -> None:
    with store.session() as s:
        token = repo.sign_on(s, " Sam@A.test ", True, "Sam")
        actor = repo.session_actor(s, token)
        assert actor is not None
        assert (actor.id, actor.role) == (world.staff_a.id, Role.staff)
        assert s.scalars(select(UserSession.method).where(UserSession.user_id == actor.id)).all() == ["sso"]
        repo.update_user(s, world.admin, world.staff_a.id, role=Role.manager)
        assert repo.session_actor(s, token) is None


@pytest.mark.parametrize("verified", [False, None, "true", 1])
def test_an_address_the_provider_has_not_confirmed_is_refused(store: Store, world: World, verified: object) -> None:
    with store.session() as s, pytest.raises(repo.SignInError, match=r"has not confirmed that the address sam@a\.test"):
        repo.sign_on(s, "sam@a.test", verified)


def test_an_unknown_address_is_told_whom_to_ask_and_nothing_is_created(store: Store, world: World) -> None:
    with store.session() as s:
        with pytest.raises(repo.SignInError) as refused:
            repo.sign_on(s, "new@elsewhere.test", True)
        assert refused.value.message == repo.unknown_address("new@elsewhere.test")
        assert "Ask the administrator of your organisation" in refused.value.message
        assert s.scalar(select(User).where(User.email == "new@elsewhere.test")) is None


def test_a_disabled_account_is_refused(store: Store, world: World) -> None:
    with store.session() as s:
        repo.update_user(s, world.admin, world.staff_a.id, active=False)
        with pytest.raises(repo.SignInError, match="disabled"):
            repo.sign_on(s, "sam@a.test", True)


def test_an_allowed_domain_creates_the_account_with_the_chosen_role(store: Store, world: World) -> None:
    with store.session() as s:
        repo.set_sign_on_domain(s, world.admin, domain="@Partner.TEST", role="viewer", organisation_id=world.org_b)
        token = repo.sign_on(s, "pat@partner.test", True, "Pat Partner", provider="clinic")
        actor = repo.session_actor(s, token)
        assert actor is not None
        assert (actor.name, actor.role, actor.organisation_ids) == (
            "Pat Partner",
            Role.viewer,
            frozenset({world.org_b}),
        )
        created = s.scalar(
            select(AuditEvent).where(AuditEvent.entity == "users", AuditEvent.action == "create")
            .where(AuditEvent.entity_id == actor.id)
        )  # fmt: skip
        assert created is not None
        assert created.new_value["by"] == "single sign-on (clinic), domain partner.test"
        allowed = s.scalar(select(AuditEvent).where(AuditEvent.action == "allow_sign_on_domain"))
        assert allowed is not None
        assert allowed.new_value == {"domain": "partner.test", "role": "viewer", "organisation": world.org_b}
        # A second sign-on finds the account made by the first.
        repo.sign_on(s, "pat@partner.test", True)
        assert len(s.scalars(select(User).where(User.email == "pat@partner.test")).all()) == 1
        repo.remove_sign_on_domain(s, world.admin, "partner.test")
        assert repo.list_sign_on_domains(s, world.admin) == []
        with pytest.raises(repo.SignInError):
            repo.sign_on(s, "other@partner.test", True)


@pytest.mark.parametrize(
    ("domain", "role", "problem"),
    [("not a domain", "staff", "is not an email domain"), ("partner.test", "admin", "can give one of the roles"),
     ("partner.test", "chief", "can give one of the roles")],
)  # fmt: skip
def test_a_domain_needs_a_real_domain_and_a_role_short_of_admin(
    store: Store, world: World, domain: str, role: str, problem: str
) -> None:
    with store.session() as s:
        with pytest.raises(InvalidAnswer, match=problem):
            repo.set_sign_on_domain(s, world.admin, domain=domain, role=role, organisation_id=world.org_a)
        assert repo.list_sign_on_domains(s, world.admin) == []


@pytest.mark.parametrize("who", ["manager_a", "staff_a", "consultant_a"])
def test_only_admins_allow_domains(store: Store, world: World, who: str) -> None:
    with store.session() as s, pytest.raises(PermissionDenied):
        repo.set_sign_on_domain(s, getattr(world, who), domain="a.test", role="staff", organisation_id=world.org_a)
