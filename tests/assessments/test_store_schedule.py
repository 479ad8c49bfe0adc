"""The re-assessment schedule in the store: intervals per organisation and room type, who may set them,
and when each room falls due (after its interval, or once its actions are done)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from assessments import repository as repo
from assessments.db import Store
from assessments.errors import InvalidAnswer, PermissionDenied
from assessments.models import AuditEvent
from assessments.schedule import DEFAULT_MONTHS, DueBasis, DueState, add_months, due_on
from tests.assessments.conftest import TODAY, World


def _submitted(s, user, room: int, day: dt.date) -> int:
    a = repo.start_assessment(s, user, room, day)
    v = repo.save_answer(s, user, a.id, "lighting.glare", "yes", a.version_id)
    repo.submit(s, user, a.id, v, "a short visit")
    return a.id


def test_add_months_keeps_the_day_or_takes_the_months_last() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2025, 11, 15), 14) == dt.date(2027, 1, 15)
    assert add_months(dt.date(2025, 3, 1), 12) == dt.date(2026, 3, 1)


def test_done_actions_bring_the_due_day_forward_only_after_the_assessment() -> None:
    added = dt.date(2025, 1, 1)
    last = dt.date(2026, 3, 10)
    assert due_on(last, 12, added_on=added) == (dt.date(2027, 3, 10), DueBasis.interval)
    assert due_on(last, 12, added_on=added, actions_done=dt.date(2026, 6, 1)) == (dt.date(2026, 6, 1), DueBasis.actions)
    # Fixes done before the last assessment were already seen by it.
    assert due_on(last, 12, added_on=added, actions_done=dt.date(2026, 2, 1)) == (
        dt.date(2027, 3, 10),
        DueBasis.interval,
    )
    assert due_on(None, 12, added_on=added) == (added, DueBasis.never)


def test_rooms_fall_due_by_their_room_types_interval(store: Store, world: World) -> None:
    with store.session() as s:
        assert repo.list_intervals(s, world.manager_a, world.org_a) == {}
        classroom = _submitted(s, world.manager_a, world.room_a, dt.date(2025, 9, 20))
        _submitted(s, world.manager_a, world.room_a2, dt.date(2026, 8, 1))
        # A later draft does not count: the room stays due until one is submitted.
        repo.start_assessment(s, world.manager_a, world.room_a, dt.date(2026, 9, 25))
        assert repo.set_interval(s, world.manager_a, world.org_a, "school", "quiet_room", 3) == 3
        assert repo.list_intervals(s, world.manager_a, world.org_a) == {("school", "quiet_room"): 3}
        assert repo.list_intervals(s, world.consultant_a, world.org_a) == {("school", "quiet_room"): 3}

        due = {r.room_id: r for r in repo.room_schedule(s, world.manager_a, today=TODAY)}
        assert set(due) == {world.room_a, world.room_a2}
        year3 = due[world.room_a]
        assert (year3.last_assessed, year3.months, year3.due_on) == (dt.date(2025, 9, 20), DEFAULT_MONTHS,
                                                                     dt.date(2026, 9, 20))  # fmt: skip
        assert (year3.state, year3.basis) == (DueState.overdue, DueBasis.interval)
        calm = due[world.room_a2]
        assert (calm.months, calm.due_on, calm.state) == (3, dt.date(2026, 11, 1), DueState.later)
        assert [r.room_id for r in repo.room_schedule(s, world.manager_a, today=TODAY)] == [world.room_a, world.room_a2]

        # The hook for planned fixes: the calm room's actions were done on 20 Sep, so it is due from then.
        early = repo.room_schedule(s, world.manager_a, today=TODAY, actions_done={world.room_a2: dt.date(2026, 9, 20)})
        calm = next(r for r in early if r.room_id == world.room_a2)
        assert (calm.due_on, calm.basis, calm.state) == (dt.date(2026, 9, 20), DueBasis.actions, DueState.overdue)
        # Within 30 days it is due, not yet overdue.
        soon = next(
            r for r in repo.room_schedule(s, world.manager_a, today=dt.date(2026, 10, 5)) if r.room_id == world.room_a2
        )
        assert soon.state is DueState.due

        # Another organisation's intervals and rooms stay apart.
        repo.set_interval(s, world.manager_b, world.org_b, "school", "quiet_room", 24)
        assert repo.list_intervals(s, world.manager_a, world.org_a) == {("school", "quiet_room"): 3}
        assert {r.room_id for r in repo.room_schedule(s, world.manager_b, today=TODAY)} == {world.room_b}
        never = repo.room_schedule(s, world.manager_b, today=TODAY)[0]
        assert never.basis is DueBasis.never
        assert never.last_assessed is None
        assert classroom  # the submitted assessment is the one the classroom is due after


def test_only_managers_and_admins_set_intervals_and_bad_values_change_nothing(store: Store, world: World) -> None:
    with store.session() as s:
        for who in (world.staff_a, world.consultant_a):
            with pytest.raises(PermissionDenied, match="Only managers and admins can set re-assessment intervals"):
                repo.set_interval(s, who, world.org_a, "school", "classroom", 6)
        with pytest.raises(PermissionDenied):
            repo.set_interval(s, world.manager_b, world.org_a, "school", "classroom", 6)
        with pytest.raises(PermissionDenied):
            repo.list_intervals(s, world.staff_b, world.org_a)
        with pytest.raises(PermissionDenied):
            repo.room_schedule(s, world.manager_b, today=TODAY, organisation_ids=[world.org_a])
        for months in (0, 61, 2.5, "6", True):
            with pytest.raises(InvalidAnswer, match="from 1 to 60") as refused:
                repo.set_interval(s, world.manager_a, world.org_a, "school", "classroom", months)
            assert refused.value.field == "months"
        with pytest.raises(InvalidAnswer, match="Unknown room type 'ballroom'"):
            repo.set_interval(s, world.manager_a, world.org_a, "school", "ballroom", 6)
        assert repo.list_intervals(s, world.manager_a, world.org_a) == {}
        repo.set_interval(s, world.admin, world.org_a, "school", "classroom", 6)
        repo.set_interval(s, world.manager_a, world.org_a, "school", "classroom", 9)
        assert repo.list_intervals(s, world.admin, world.org_a) == {("school", "classroom"): 9}
        events = s.scalars(select(AuditEvent).where(AuditEvent.entity == "reassessment_intervals")).all()
        assert [(e.new_value or {}).get("months") for e in events] == [6, 9]
        assert (events[1].old_value or {}).get("months") == 6


def test_a_room_is_due_once_its_planned_fixes_are_done_and_its_manager_is_reminded(store: Store, world: World) -> None:
    today = dt.date.today()
    with store.session() as s:
        # Assessed a month ago: by its interval the room is not due for eleven months.
        _submitted(s, world.manager_a, world.room_a, today - dt.timedelta(days=30))
        first = repo.create_action(s, world.manager_a, world.room_a, "lighting.glare", owner_id=world.staff_a.id,
                                   due_on=today + dt.timedelta(days=10))  # fmt: skip
        second = repo.create_action(s, world.manager_a, world.room_a, "lighting.flicker", owner_id=world.staff_a.id,
                                    due_on=today + dt.timedelta(days=10))  # fmt: skip
        (room,) = [r for r in repo.room_schedule(s, world.manager_a, today=today) if r.room_id == world.room_a]
        assert room.basis is DueBasis.interval
        assert room.due_on > today + dt.timedelta(days=300)
        # One fix done, one still in progress: not yet.
        repo.update_action(s, world.staff_a, first.id, status="done")
        repo.update_action(s, world.staff_a, second.id, status="in_progress")
        (room,) = [r for r in repo.room_schedule(s, world.manager_a, today=today) if r.room_id == world.room_a]
        assert room.basis is DueBasis.interval
        # Both done: the room is due today, to see whether the fixes worked.
        repo.update_action(s, world.staff_a, second.id, status="done")
        (room,) = [r for r in repo.room_schedule(s, world.manager_a, today=today) if r.room_id == world.room_a]
        assert (room.due_on, room.basis, room.state) == (today, DueBasis.actions, DueState.due)
        repo.refresh_reminders(s, world.manager_a, today=today)
        due = [n for n in repo.list_notifications(s, world.manager_a) if n.kind == "room_due"]
        assert [n.key for n in due if str(world.room_a) == n.key.split(":")[1]] == [
            f"room_due:{world.room_a}:{today.isoformat()}"
        ]
