"""Gathering a report's scope from the store: the engine's numbers, the right assessments, clear refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from assessments import repository as repo
from assessments.models import AssessmentStatus, User
from assessments.repository import Actor
from checklists.loader import default_catalogue
from checklists.schema import EFFORT_COST, Effort
from reports.collect import collect_report
from reports.data import ReportData, flat_value
from reports.errors import ReportScopeError
from scoring.engine import score_assessment
from tests.reports.conftest import Demo, latest_reported


def test_each_room_is_scored_on_its_latest_finished_assessment_as_the_engine_scores_it(
    demo: Demo, clinic_report: ReportData
) -> None:
    catalogue = default_catalogue()
    assert len(clinic_report.rooms) == 9
    with demo.store.session() as session:
        for room in clinic_report.rooms:
            latest = room.latest
            assert latest is not None
            assert latest.id == latest_reported(demo, room.id)
            expected = score_assessment(catalogue, repo.scoring_input(session, demo.user, latest.id))
            assert latest.score == expected
            assert latest.status in ("submitted", "reviewed")
            # Oldest first, for trends.
            assert [a.assessed_on for a in room.assessments] == sorted(a.assessed_on for a in room.assessments)


def test_notes_and_photos_come_with_the_assessment_they_belong_to(demo: Demo, clinic_report: ReportData) -> None:
    with demo.store.session() as session:
        for room in clinic_report.rooms:
            for assessment in room.assessments:
                stored = {r.item_id: r.note for r in repo.list_responses(session, demo.user, assessment.id) if r.note}
                assert {i.item_id: i.note for i in assessment.items if i.note} == stored
    photos = [p for a in clinic_report.assessments for p in a.photos]
    assert photos, "the demo clinic has a photo of its waiting room seats"
    assert all(p.thumbnail[:2] == b"\xff\xd8" for p in photos)  # JPEG thumbnails


def test_a_room_whose_newest_assessment_is_a_draft_says_so(clinic_report: ReportData) -> None:
    with_drafts = [r for r in clinic_report.rooms if r.draft_on is not None]
    assert with_drafts
    for room in with_drafts:
        assert room.latest is not None
        assert room.draft_on is not None
        assert room.draft_on >= room.latest.assessed_on


def test_drafts_can_be_included(demo: Demo) -> None:
    with demo.store.session() as session:
        data = collect_report(session, demo.user, org_id=demo.school, include_drafts=True, photos=False)
    statuses = {a.status for a in data.assessments}
    assert "draft" in statuses
    assert all(r.draft_on is None for r in data.rooms)
    assert any(r.score is not None and r.score.provisional for r in data.rooms)


def test_the_action_plan_puts_failed_critical_items_first_and_keeps_each_rooms_order(
    clinic_report: ReportData,
) -> None:
    plan = clinic_report.action_plan
    assert [e.rank for e in plan] == list(range(1, len(plan) + 1))
    failed = [e.failed_critical for e in plan]
    assert failed == sorted(failed, reverse=True)
    assert sum(failed) == sum(len(r.score.critical_failures) for r in clinic_report.rooms if r.score)
    for room in clinic_report.rooms:
        assert room.score is not None
        assert [e.item_id for e in plan if e.room_id == room.id] == [a.item for a in room.score.actions]
    rest = [e for e in plan if not e.failed_critical]
    ratios = [e.gain / EFFORT_COST[Effort(e.effort)] for e in rest]
    assert ratios[0] == max(ratios)


def test_a_site_or_chosen_rooms_narrow_the_scope(demo: Demo) -> None:
    with demo.store.session() as session:
        sites = repo.list_sites(session, demo.user, demo.office)
        rooms = repo.list_rooms(session, demo.user, sites[0].id)
        site = collect_report(session, demo.user, org_id=demo.office, site_id=sites[0].id, photos=False)
        chosen = collect_report(session, demo.user, org_id=demo.office, room_ids=[rooms[0].id, rooms[2].id])
    assert site.scope == f"Site: {sites[0].name}"
    assert {r.id for r in chosen.rooms} == {rooms[0].id, rooms[2].id}
    assert chosen.scope == "2 selected rooms"


def test_flat_value_puts_one_answer_in_one_cell(clinic_report: ReportData) -> None:
    values = {i.kind: flat_value(i) for a in clinic_report.assessments for i in a.items if i.answer is not None}
    assert isinstance(values["rating"], float)
    assert values["yes_no"] in ("yes", "no", "n/a")
    assert isinstance(values["flicker"], str)
    assert values["flicker"].endswith("Hz")


# -- bad requests ---------------------------------------------------------------------------------


def test_an_organisation_outside_the_users_reach_is_refused(demo: Demo) -> None:
    with demo.store.session() as session, pytest.raises(ReportScopeError, match="organisation 999"):
        collect_report(session, demo.user, org_id=999)


def test_a_site_of_another_organisation_is_refused(demo: Demo) -> None:
    with demo.store.session() as session:
        school_site = repo.list_sites(session, demo.user, demo.school)[0]
        with pytest.raises(ReportScopeError, match=f"no site {school_site.id} in Riverside"):
            collect_report(session, demo.user, org_id=demo.clinic, site_id=school_site.id)


def test_rooms_outside_the_organisation_are_named(demo: Demo) -> None:
    with demo.store.session() as session:
        school_room = next(r for r in repo.list_rooms(session, demo.user) if r.site.organisation_id == demo.school)
        with pytest.raises(ReportScopeError, match=f"Room {school_room.id} is not in"):
            collect_report(session, demo.user, org_id=demo.clinic, room_ids=[school_room.id])
        with pytest.raises(ReportScopeError, match="No rooms were chosen"):
            collect_report(session, demo.user, org_id=demo.clinic, room_ids=[])


def test_an_empty_site_and_a_room_without_assessments_are_refused(demo_copy: Demo) -> None:
    admin = demo_copy.user
    with demo_copy.store.session() as session:
        manager = Actor.of(session.scalars(select(User).where(User.email == "manager@demo.sensory-audit.test")).one())
        site = repo.create_site(session, manager, demo_copy.clinic, "Annexe", "clinic")
        with pytest.raises(ReportScopeError, match="The site Annexe has no rooms yet"):
            collect_report(session, admin, org_id=demo_copy.clinic, site_id=site.id)
        room = repo.create_room(session, manager, site.id, "New quiet room", "quiet_room")
        with pytest.raises(ReportScopeError, match="the only room of the site Annexe, New quiet room, has no"):
            collect_report(session, admin, org_id=demo_copy.clinic, site_id=site.id)
        with pytest.raises(ReportScopeError, match=r"New quiet room \(Annexe\) has no submitted assessment yet"):
            collect_report(session, admin, org_id=demo_copy.clinic, room_ids=[room.id])
        # A draft is not enough, unless drafts are asked for.
        started = repo.start_assessment(session, manager, room.id, dt.date(2026, 11, 2))
        assert started.status is AssessmentStatus.draft
        with pytest.raises(ReportScopeError, match="no submitted assessment"):
            collect_report(session, admin, org_id=demo_copy.clinic, room_ids=[room.id])
        data = collect_report(session, admin, org_id=demo_copy.clinic, room_ids=[room.id], include_drafts=True)
        assert data.rooms[0].score is not None
        assert data.rooms[0].score.overall is None
        # The whole organisation still reports: the new room is listed as not assessed.
        whole = collect_report(session, admin, org_id=demo_copy.clinic, photos=False)
        assert [r.name for r in whole.rooms if r.latest is None] == ["New quiet room"]
