"""Calibration rounds in the store: marking and starting rounds, who reads them, and blind assessing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from assessments import repository as repo
from assessments.db import Store
from assessments.errors import InvalidAnswer, PermissionDenied
from assessments.models import AuditEvent, CalibrationMode
from tests.assessments.conftest import TODAY, World


def _answered(s, user, room: int, day: dt.date, glare: str):
    a = repo.start_assessment(s, user, room, day)
    v = repo.save_answer(s, user, a.id, "lighting.glare", glare, a.version_id)
    return a.id, v


def test_an_open_independent_round_hides_other_assessors_answers_from_staff(store: Store, world: World) -> None:
    # A round whose window is still open: it started yesterday.
    yesterday = dt.date.today() - dt.timedelta(days=1)
    with store.session() as s:
        mine, mine_v = _answered(s, world.staff_a, world.room_a, yesterday, "yes")
        theirs, theirs_v = _answered(s, world.manager_a, world.room_a, yesterday + dt.timedelta(days=1), "no")
        # No round yet: staff read each other's assessments, as everywhere in their organisation.
        assert repo.get_assessment(s, world.staff_a, theirs).id == theirs
        repo.start_calibration_round(
            s, world.manager_a, "Spring round", [world.room_a], [world.staff_a.id, world.manager_a.id],
            starts_on=yesterday,
        )  # fmt: skip
        for read in (repo.get_assessment, repo.list_responses, repo.stored_answers, repo.assessment_document):
            with pytest.raises(PermissionDenied, match="calibration round that is still open"):
                read(s, world.staff_a, theirs)
        with pytest.raises(PermissionDenied, match="calibration round"):
            repo.notes_by_assessment(s, world.staff_a, [theirs])
        assert [a.id for a in repo.list_assessments(s, world.staff_a, world.room_a)] == [mine]
        assert [a.id for a in repo.list_assessments(s, world.manager_a, world.room_a)] == [mine, theirs]
        head, answers = repo.load_portfolio_frames(s, world.staff_a)
        assert list(head["assessment_id"]) == [mine]
        assert set(answers["assessment_id"]) == {mine}
        # Their own answers stay readable, and managers and consultants see everything.
        assert repo.stored_answers(s, world.staff_a, mine).answers == {"lighting.glare": True}
        assert repo.stored_answers(s, world.consultant_a, mine).answers == {"lighting.glare": True}
        assert repo.stored_answers(s, world.manager_a, theirs).answers == {"lighting.glare": False}
        repo.submit(s, world.staff_a, mine, mine_v, "calibration")
        with pytest.raises(PermissionDenied):
            repo.get_assessment(s, world.staff_a, theirs)
        repo.submit(s, world.manager_a, theirs, theirs_v, "calibration")
        # Everyone has submitted every room: the answers are no longer hidden.
        assert repo.stored_answers(s, world.staff_a, theirs).answers == {"lighting.glare": False}
        (summary,) = repo.list_calibration_rounds(s, world.consultant_a)
        assert summary.complete
        assert summary.assessors == ("Mo Manager", "Sam Staff")
        (unit,) = repo.calibration_units(s, world.consultant_a, summary.id)
        assert unit.ratings == {"Mo Manager": {"lighting.glare": False}, "Sam Staff": {"lighting.glare": True}}


def test_marking_a_round_needs_different_assessors_within_the_window(store: Store, world: World) -> None:
    with store.session() as s:
        first, _ = _answered(s, world.staff_a, world.room_a, TODAY, "yes")
        again, _ = _answered(s, world.staff_a, world.room_a, TODAY, "no")
        late, _ = _answered(s, world.manager_a, world.room_a, TODAY + dt.timedelta(days=9), "no")
        with pytest.raises(InvalidAnswer, match="Year 3: needs assessments by at least two different assessors"):
            repo.mark_calibration_round(s, world.manager_a, "Set", [first, again])
        with pytest.raises(InvalidAnswer, match="Year 3: the assessments are 9 days apart; the round's window is 7"):
            repo.mark_calibration_round(s, world.manager_a, "Set", [first, late])
        with pytest.raises(PermissionDenied, match="Only managers and admins"):
            repo.mark_calibration_round(s, world.staff_a, "Set", [first, late], window_days=10)
        marked = repo.mark_calibration_round(s, world.manager_a, "Set", [first, late], window_days=10)
        assert marked.mode is CalibrationMode.marked
        summary = repo.get_calibration_round(s, world.manager_a, marked.id)
        assert [a.assessment_id for a in summary.assessments] == [first, late]
        # Drafts do not count towards agreement yet.
        assert repo.calibration_units(s, world.manager_a, marked.id) == []
        event = s.scalar(select(AuditEvent).where(AuditEvent.entity == "calibration_rounds"))
        assert event is not None
        assert event.new_value["assessments"] == [first, late]
        with pytest.raises(PermissionDenied, match="Only managers, consultants and admins"):
            repo.list_calibration_rounds(s, world.staff_a)


def _open_round(s, world: World, starts_on: dt.date) -> tuple[int, int, int]:
    mine, _ = _answered(s, world.staff_a, world.room_a, starts_on, "yes")
    theirs, _ = _answered(s, world.manager_a, world.room_a, starts_on, "no")
    round_ = repo.start_calibration_round(
        s, world.manager_a, "Blind round", [world.room_a], [world.staff_a.id, world.manager_a.id], starts_on=starts_on
    )
    return round_.id, mine, theirs


def test_a_manager_closes_an_open_round_early_and_its_answers_open_up(store: Store, world: World) -> None:
    today = dt.date.today()
    with store.session() as s:
        round_id, mine, theirs = _open_round(s, world, today - dt.timedelta(days=2))
        with pytest.raises(PermissionDenied, match="calibration round that is still open"):
            repo.get_assessment(s, world.staff_a, theirs)
        with pytest.raises(PermissionDenied, match="Only managers and admins"):
            repo.close_calibration_round(s, world.staff_a, round_id)
        with pytest.raises(PermissionDenied):
            repo.close_calibration_round(s, world.consultant_a, round_id)
        # Another organisation's manager gets the same answer as for a round that does not exist.
        with pytest.raises(PermissionDenied) as other:
            repo.close_calibration_round(s, world.manager_b, round_id)
        with pytest.raises(PermissionDenied) as missing:
            repo.close_calibration_round(s, world.manager_b, 10_000)
        assert str(other.value) == str(missing.value).replace("10000", str(round_id))
        before = repo.get_calibration_round(s, world.manager_a, round_id)
        assert (before.complete, before.closed_on) == (False, None)
        assert before.last_day == today + dt.timedelta(days=5)

        repo.close_calibration_round(s, world.manager_a, round_id)
        after = repo.get_calibration_round(s, world.manager_a, round_id)
        assert (after.complete, after.closed_on, after.last_day) == (True, today, today)
        # Nobody submitted, yet staff now read the other assessor's draft: the round is over.
        assert repo.stored_answers(s, world.staff_a, theirs).answers == {"lighting.glare": False}
        assert {a.assessment_id for a in after.assessments} == {mine, theirs}
        event = s.scalars(
            select(AuditEvent).where(AuditEvent.entity == "calibration_rounds", AuditEvent.action == "close")
        ).one()
        assert (event.entity_id, event.new_value) == (round_id, {"closed_on": today.isoformat()})
        with pytest.raises(InvalidAnswer, match="already closed on"):
            repo.close_calibration_round(s, world.manager_a, round_id)


def test_a_round_whose_window_has_passed_hides_nothing_and_cannot_be_closed(store: Store, world: World) -> None:
    with store.session() as s:
        # The round started on TODAY (in the past) with the default 7-day window, long gone.
        round_id, _, theirs = _open_round(s, world, TODAY)
        assert repo.get_assessment(s, world.staff_a, theirs).id == theirs
        assert repo.get_calibration_round(s, world.manager_a, round_id).complete
        with pytest.raises(InvalidAnswer, match="window ended on 08 Oct 2026"):
            repo.close_calibration_round(s, world.manager_a, round_id)


def test_only_a_round_that_asked_assessors_can_be_closed(store: Store, world: World) -> None:
    with store.session() as s:
        first, _ = _answered(s, world.staff_a, world.room_a, TODAY, "yes")
        second, _ = _answered(s, world.manager_a, world.room_a, TODAY, "no")
        marked = repo.mark_calibration_round(s, world.manager_a, "Set", [first, second])
        with pytest.raises(InvalidAnswer, match="Only a round that asked assessors"):
            repo.close_calibration_round(s, world.manager_a, marked.id)
