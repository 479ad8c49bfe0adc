"""Accounts: passwords, server-side sessions, throttling with identical answers, links, and the viewer."""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import PasswordHasher, extract_parameters
from argon2.profiles import RFC_9106_LOW_MEMORY
from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError

from assessments import repository as repo
from assessments.accounts import (
    ARGON2_LANES,
    ARGON2_MEMORY_KIB,
    ARGON2_TIME_COST,
    FREE_FAILURES,
    LOCK_AFTER,
    WRONG,
    Policy,
    SignInError,
)
from assessments.db import Store, downgrade, upgrade
from assessments.errors import InvalidAnswer, PermissionDenied
from assessments.models import AuditEvent, Role, SignInThrottle, User, UserSession, memberships
from tests.assessments.conftest import World

GOOD = "a calm room with soft light"


def _with_password(store: Store, world: World, who: str = "staff_a") -> str:
    email: str = getattr(world, who).email
    with store.session() as s:
        repo.set_password_hash(s, world.admin, getattr(world, who).id, repo.hash_password(GOOD, email))
    return email


def _age(store: Store, **changes: dt.timedelta) -> None:
    """Move every session's and failure's clock back, as if time had passed."""
    with store.session() as s:
        for held in s.scalars(select(UserSession)):
            for column, delta in changes.items():
                setattr(held, column, getattr(held, column) - delta)
        if "last_failure_at" in changes or "locked_until" in changes:
            for row in s.scalars(select(SignInThrottle)):
                if row.locked_until is not None:
                    row.locked_until -= changes.get("locked_until", dt.timedelta(0))
                row.last_failure_at -= changes.get("last_failure_at", dt.timedelta(0))
        s.commit()


@pytest.mark.parametrize(
    ("password", "reason"),
    [("short", "at least 12"), ("password1234", "easy to guess"), ("aaaaaaaaaaaaaaa", "easy to guess"),
     ("sam@a.test-is-me", "easy to guess")],
)  # fmt: skip
def test_weak_passwords_are_refused(password: str, reason: str) -> None:
    with pytest.raises(InvalidAnswer, match=reason):
        repo.check_password(password, "sam@a.test")


def test_no_composition_rules() -> None:
    repo.check_password("correct staple lamp quiet", "sam@a.test")  # only letters and spaces: fine


def test_sign_in_opens_a_session_that_sign_out_ends(store: Store, world: World) -> None:
    email = _with_password(store, world)
    with store.session() as s:
        token = repo.sign_in(s, email.upper() + " ", GOOD)
        actor = repo.session_actor(s, token)
        assert actor is not None
        assert actor.id == world.staff_a.id
        assert s.scalar(select(UserSession.token_hash)) != token  # only a digest is kept
        repo.sign_out(s, token)
        assert repo.session_actor(s, token) is None
        actions = [e.action for e in s.scalars(select(AuditEvent).order_by(AuditEvent.id))]
        assert actions[-2:] == ["sign_in", "sign_out"]


def test_sessions_expire_when_idle_and_at_their_lifetime(store: Store, world: World) -> None:
    email = _with_password(store, world)
    policy = Policy(idle=dt.timedelta(hours=1), lifetime=dt.timedelta(days=2))
    with store.session() as s:
        idle = repo.sign_in(s, email, GOOD, policy=policy)
    _age(store, last_seen_at=dt.timedelta(minutes=59))
    with store.session() as s:
        assert repo.session_actor(s, idle, policy=policy) is not None  # used now: the idle clock restarts
    _age(store, last_seen_at=dt.timedelta(minutes=61))
    with store.session() as s:
        assert repo.session_actor(s, idle, policy=policy) is None
        busy = repo.sign_in(s, email, GOOD, policy=policy)
    _age(store, expires_at=dt.timedelta(days=2, seconds=1))
    with store.session() as s:
        assert repo.session_actor(s, busy, policy=policy) is None


def test_the_policy_reads_its_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Policy.from_env() == Policy()
    monkeypatch.setenv("SENSORY_AUDIT_SESSION_IDLE_HOURS", "0.5")
    monkeypatch.setenv("SENSORY_AUDIT_SESSION_DAYS", "1")
    monkeypatch.setenv("SENSORY_AUDIT_LOCK_MINUTES", "2")
    assert Policy.from_env() == Policy(dt.timedelta(minutes=30), dt.timedelta(days=1), dt.timedelta(minutes=2))
    monkeypatch.setenv("SENSORY_AUDIT_LOCK_MINUTES", "soon")
    with pytest.raises(ValueError, match="SENSORY_AUDIT_LOCK_MINUTES must be a number"):
        Policy.from_env()


@pytest.mark.parametrize("change", ["disable", "role", "organisations", "password"])
def test_a_change_to_the_account_ends_its_sessions_at_once(store: Store, world: World, change: str) -> None:
    email = _with_password(store, world)
    with store.session() as s:
        token = repo.sign_in(s, email, GOOD)
        if change == "disable":
            repo.update_user(s, world.admin, world.staff_a.id, active=False)
        elif change == "role":
            repo.update_user(s, world.admin, world.staff_a.id, role=Role.viewer)
        elif change == "organisations":
            repo.update_user(s, world.admin, world.staff_a.id, organisation_ids=[world.org_b])
        else:
            repo.set_password_hash(s, world.admin, world.staff_a.id, repo.hash_password(GOOD + "!", email))
        assert repo.session_actor(s, token) is None


def test_renaming_a_user_keeps_their_session(store: Store, world: World) -> None:
    email = _with_password(store, world)
    with store.session() as s:
        token = repo.sign_in(s, email, GOOD)
        repo.update_user(s, world.admin, world.staff_a.id, name="Sam S.")
        assert repo.session_actor(s, token) is not None


def _refusal(store: Store, email: str, password: str, policy: Policy | None = None) -> SignInError:
    with store.session() as s, pytest.raises(SignInError) as error:
        repo.sign_in(s, email, password, policy=policy)
    return error.value


def test_failures_wait_longer_then_lock_with_the_same_answer_for_an_unknown_address(store: Store, world: World) -> None:
    known = _with_password(store, world)
    unknown = "nobody@a.test"
    policy = Policy(lock=dt.timedelta(minutes=5))
    for n in range(1, LOCK_AFTER + 1):
        answers = []
        for email in (known, unknown):
            refused = _refusal(store, email, "wrong password here", policy)
            answers.append((refused.message, round(refused.wait_seconds)))
        assert answers[0] == answers[1], n
        if n < FREE_FAILURES:
            assert answers[0] == (WRONG, 0)
        elif n < LOCK_AFTER:
            assert answers[0][1] == 2 ** (n - FREE_FAILURES), n
            # While waiting, even the right password is not heard (the failure moved a minute later, so
            # that even a very busy machine cannot outlast the wait between the two calls).
            _age(store, last_failure_at=-dt.timedelta(minutes=1))
            assert "Wait" in _refusal(store, known, GOOD, policy).message
            _age(store, last_failure_at=dt.timedelta(minutes=1))
            _age(store, last_failure_at=dt.timedelta(seconds=answers[0][1]))
        else:
            assert "locked for about 5 minutes" in answers[0][0]
    assert "locked" in _refusal(store, known, GOOD, policy).message
    _age(store, locked_until=dt.timedelta(minutes=5), last_failure_at=dt.timedelta(minutes=5))
    with store.session() as s:
        assert repo.session_actor(s, repo.sign_in(s, known, GOOD, policy=policy)) is not None
        actions = [e.action for e in s.scalars(select(AuditEvent))]
    assert actions.count("sign_in_failed") == 2 * LOCK_AFTER
    assert actions.count("sign_in_locked") == 2


def test_a_disabled_user_or_one_without_a_password_cannot_sign_in(store: Store, world: World) -> None:
    email = _with_password(store, world)
    assert _refusal(store, world.manager_a.email, "").message == WRONG
    with store.session() as s:
        repo.update_user(s, world.admin, world.staff_a.id, active=False)
    assert _refusal(store, email, GOOD).message == WRONG


def test_an_invite_link_sets_the_password_once(store: Store, world: World) -> None:
    with store.session() as s:
        token = repo.create_link(s, world.admin, world.manager_a.id, "invite")
        found = repo.link_user(s, token)
        assert found is not None
        assert found.id == world.manager_a.id
        with pytest.raises(InvalidAnswer, match="at least 12"):
            repo.use_link(s, token, "short")
        repo.use_link(s, token, GOOD)
        assert repo.link_user(s, token) is None
        with pytest.raises(InvalidAnswer, match="expired or has been used"):
            repo.use_link(s, token, GOOD + "?")
        assert repo.session_actor(s, repo.sign_in(s, world.manager_a.email, GOOD)) is not None


def test_an_expired_link_is_refused_and_a_new_one_replaces_the_old(store: Store, world: World) -> None:
    with store.session() as s:
        old = repo.create_link(s, world.admin, world.staff_a.id, "reset")
        new = repo.create_link(s, world.admin, world.staff_a.id, "reset")
        assert repo.link_user(s, old) is None
        s.execute(text("UPDATE account_links SET expires_at = created_at"))
        s.commit()
        assert repo.link_user(s, new) is None
        with pytest.raises(InvalidAnswer, match="expired"):
            repo.use_link(s, new, GOOD)


@pytest.mark.parametrize("who", ["manager_a", "staff_a", "consultant_a"])
def test_only_admins_make_links(store: Store, world: World, who: str) -> None:
    with store.session() as s, pytest.raises(PermissionDenied, match="Only admins"):
        repo.create_link(s, getattr(world, who), world.staff_a.id, "reset")


def test_the_first_admin_is_created_once(store: Store) -> None:
    with store.session() as s:
        admin = repo.create_first_admin(s, name="Ada", email="Ada@Example.test", password=GOOD)
        assert (admin.email, admin.role) == ("ada@example.test", Role.admin)
        with pytest.raises(InvalidAnswer, match="exists already"):
            repo.create_first_admin(s, name="Eve", email="eve@example.test", password=GOOD)


def test_a_viewer_reads_and_changes_nothing(store: Store, world: World) -> None:
    with store.session() as s:
        s.execute(update(User).where(User.id == world.consultant_a.id).values(role=Role.viewer))
        s.commit()
        viewer = world.consultant_a
        assert [site.id for site in repo.list_sites(s, viewer)] == [world.site_a]
        with pytest.raises(PermissionDenied, match="you are signed in as viewer"):
            repo.start_assessment(s, viewer, world.room_a)
        with pytest.raises(PermissionDenied):
            repo.create_room(s, viewer, world.site_a, "Hall", "dining_hall")
        with pytest.raises(PermissionDenied):
            repo.list_audit_events(s, viewer)


def test_the_accounts_migration_keeps_memberships_and_accepts_viewers(store: Store, world: World) -> None:
    with store.session() as s:
        before = len(s.execute(select(memberships)).all())
    downgrade(store.engine, "0001")
    upgrade(store.engine)
    with store.session() as s:
        assert len(s.execute(select(memberships)).all()) == before
        s.execute(update(User).where(User.id == world.staff_a.id).values(role=Role.viewer))
        s.commit()
        with pytest.raises(IntegrityError, match=r"(?i)check"):
            s.execute(text("UPDATE users SET role = 'owner' WHERE id = :id"), {"id": world.staff_a.id})


def test_a_hash_with_older_parameters_still_signs_in_and_is_made_again_with_the_current_ones(
    store: Store, world: World
) -> None:
    older = PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY).hash(GOOD)
    with store.session() as s:
        repo.set_password_hash(s, world.admin, world.staff_a.id, older)
        assert repo.session_actor(s, repo.sign_in(s, world.staff_a.email, GOOD)) is not None
        kept = s.scalar(select(User.password_hash).where(User.id == world.staff_a.id))
        assert kept is not None
        assert kept != older
        made = extract_parameters(kept)
        current = (ARGON2_TIME_COST, ARGON2_MEMORY_KIB, ARGON2_LANES)
        assert (made.time_cost, made.memory_cost, made.parallelism) == current
        # The new hash is of the same password: the next sign-in works and changes nothing.
        repo.sign_in(s, world.staff_a.email, GOOD)
        assert s.scalar(select(User.password_hash).where(User.id == world.staff_a.id)) == kept
        with pytest.raises(SignInError):
            repo.sign_in(s, world.staff_a.email, "not the password at all")
