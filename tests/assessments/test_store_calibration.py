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
    with store.session() as s:
        mine, mine_v = _answered(s, world.staff_a, world.room_a, TODAY, "yes")
        theirs, theirs_v = _answered(s, world.manager_a, world.room_a, TODAY + dt.timedelta(days=1), "no")
        # No round yet: staff read each other's assessments, as everywhere in their organisation.
        assert repo.get_assessment(s, world.staff_a, theirs).id == theirs
        repo.start_calibration_round(
            s, world.manager_a, "Spring round", [world.room_a], [world.staff_a.id, world.manager_a.id],
            starts_on=TODAY,
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
