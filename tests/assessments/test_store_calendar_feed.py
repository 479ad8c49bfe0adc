"""Calendar addresses in the store: one secret per person, kept hashed, ended by a new one or a
revoke, answering only with the rooms that person may see now (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import select

from assessments import repository as repo
from assessments.db import Store
from assessments.models import AuditEvent, CalendarToken, User, memberships
from tests.assessments.conftest import World

TODAY = dt.date(2026, 12, 1)


def test_the_address_is_kept_hashed_and_lists_only_the_persons_rooms(store: Store, world: World) -> None:
    with store.session() as s:
        token = repo.create_calendar_token(s, world.staff_a)
        assert repo.calendar_since(s, world.staff_a) is not None
        assert repo.calendar_since(s, world.staff_b) is None
        [row] = s.scalars(select(CalendarToken))
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in row.token_hash
        assert row.user_id == world.staff_a.id
        rooms = repo.rooms_for_token(s, token, today=TODAY)
        assert rooms is not None
        assert sorted(r.room_id for r in rooms) == sorted([world.room_a, world.room_a2])
        assert {r.organisation_id for r in rooms} == {world.org_a}
        assert s.scalars(select(CalendarToken.last_used_at)).one() is not None

        other = repo.create_calendar_token(s, world.manager_b)
        other_rooms = repo.rooms_for_token(s, other, today=TODAY)
        assert other_rooms is not None
        assert [r.room_id for r in other_rooms] == [world.room_b]
        # An admin's address lists every organisation's rooms, as the admin sees them.
        everything = repo.rooms_for_token(s, repo.create_calendar_token(s, world.admin), today=TODAY)
        assert everything is not None
        assert len(everything) == 3
        events = list(
            s.scalars(select(AuditEvent).where(AuditEvent.entity == "calendar_tokens").order_by(AuditEvent.id))
        )
        assert [(e.action, e.actor_id) for e in events] == [
            ("create", world.staff_a.id), ("create", world.manager_b.id), ("create", world.admin.id)
        ]  # fmt: skip


def test_a_new_address_or_a_revoke_ends_the_old_one(store: Store, world: World) -> None:
    with store.session() as s:
        first = repo.create_calendar_token(s, world.manager_a)
        second = repo.create_calendar_token(s, world.manager_a)
        assert first != second
        assert repo.rooms_for_token(s, first, today=TODAY) is None
        assert repo.rooms_for_token(s, second, today=TODAY) is not None
        assert repo.revoke_calendar_token(s, world.manager_a) == 1
        assert repo.rooms_for_token(s, second, today=TODAY) is None
        assert repo.calendar_since(s, world.manager_a) is None
        assert repo.revoke_calendar_token(s, world.manager_a) == 0


@pytest.mark.parametrize("token", ["", "short", "a" * 43, "a" * 42 + "/", "../../etc/passwd" + "a" * 30])
def test_a_malformed_or_unknown_token_gets_nothing(store: Store, world: World, token: str) -> None:
    with store.session() as s:
        repo.create_calendar_token(s, world.staff_a)
        assert repo.rooms_for_token(s, token, today=TODAY) is None


def test_the_address_follows_the_persons_access_now(store: Store, world: World) -> None:
    with store.session() as s:
        token = repo.create_calendar_token(s, world.staff_a)
        # Leaving organisation A: the same address lists nothing of it.
        s.execute(memberships.delete().where(memberships.c.user_id == world.staff_a.id))
        s.commit()
        assert repo.rooms_for_token(s, token, today=TODAY) == []
        # A deactivated account's address answers nothing at all.
        user = s.get(User, world.staff_a.id)
        assert user is not None
        user.active = False
        s.commit()
        assert repo.rooms_for_token(s, token, today=TODAY) is None
