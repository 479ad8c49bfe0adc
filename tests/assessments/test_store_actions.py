"""Actions and the inbox in the store: planning a fix, who may change it, and verification by later assessments."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from assessments import repository as repo
from assessments.db import Store
from assessments.errors import ConflictError, InvalidAnswer, PermissionDenied
from assessments.models import ActionStatus, AuditEvent, Role, Room, User, memberships
from checklists.loader import default_catalogue
from checklists.translations import shown_item
from tests.assessments.conftest import World

ITEM = "lighting.dimmable"  # yes/no, good answer yes, weight 1 in a classroom
REASON = "Only the lighting was checked on this visit."


def assess(session, actor, room_id: int, day: dt.date, answers: dict[str, object], *, submit: bool = True) -> int:
    assessment = repo.start_assessment(session, actor, room_id, day)
    version = assessment.version_id
    for item_id, value in answers.items():
        version = repo.save_answer(session, actor, assessment.id, item_id, value, version)
    if submit:
        repo.submit(session, actor, assessment.id, version, provisional_reason=REASON)
    return assessment.id


def plan(session, world: World, *, owner=None, due: dt.date = dt.date(2026, 11, 30)) -> repo.ActionView:
    return repo.create_action(
        session, world.manager_a, world.room_a, ITEM, owner_id=(owner or world.staff_a).id, due_on=due,
        cost_estimate=120.0, note="Fit dimmer switches",
    )  # fmt: skip


@pytest.fixture
def planned(store: Store, world: World) -> int:
    with store.session() as session:
        assess(session, world.staff_a, world.room_a, dt.date(2026, 9, 1), {ITEM: "no", "lighting.glare": "yes"})
        return plan(session, world).id


def test_a_planned_fix_keeps_its_gain_owner_and_audit(store: Store, world: World, planned: int) -> None:
    with store.session() as session:
        action = repo.get_action(session, world.staff_a, planned)
        assert (action.status, action.owner_name, action.cost_estimate) == ("open", "Sam Staff", 120.0)
        assert action.score_before == 0.0
        # Two answered lighting items, one short: fixing it lifts lighting (the only scored category) by 50.
        assert action.gain == pytest.approx(50.0)
        inbox = repo.list_notifications(session, world.staff_a)
        assert [n.kind for n in inbox] == ["action_assigned"]
        assert "Mo Manager asked you to take on" in inbox[0].body
        assert "Fit dimmer switches" in inbox[0].body
        events = session.query(AuditEvent).filter_by(entity="actions", entity_id=planned).all()
        assert [e.action for e in events] == ["create"]
        assert events[0].new_value["owner_id"] == world.staff_a.id


def test_a_later_draft_verifies_nothing_its_submission_does(store: Store, world: World, planned: int) -> None:
    with store.session() as session:
        draft = repo.start_assessment(session, world.staff_a, world.room_a, dt.date(2026, 10, 5))
        version = repo.save_answer(session, world.staff_a, draft.id, ITEM, "yes", draft.version_id)
        assert repo.get_action(session, world.manager_a, planned).status == "open"
        repo.submit(session, world.staff_a, draft.id, version, provisional_reason=REASON)
        action = repo.get_action(session, world.manager_a, planned)
        assert action.status == "verified"
        assert action.checked_assessment_id == draft.id
        assert action.check_note == "Verified by the assessment of 5 October 2026 by Sam Staff: full marks."
        kinds = [n.kind for n in repo.list_notifications(session, world.staff_a)]
        assert kinds[0] == "action_verified"
        events = session.query(AuditEvent).filter_by(entity="actions", entity_id=planned).all()
        assert [e.action for e in events] == ["create", "verify"]
        # A verified action keeps its state when its note changes; staff cannot reopen it, a manager can.
        repo.update_action(session, world.manager_a, planned, status="verified", note="Dimmers fitted in August")
        assert repo.get_action(session, world.staff_a, planned).status == "verified"
        with pytest.raises(PermissionDenied, match="only a manager can reopen it"):
            repo.update_action(session, world.staff_a, planned, status="open")
        assert repo.update_action(session, world.manager_a, planned, status="open").status == "open"


def test_a_submitted_assessment_still_short_reopens_a_done_action(store: Store, world: World, planned: int) -> None:
    with store.session() as session:
        repo.update_action(session, world.staff_a, planned, status="done")
        assert repo.get_action(session, world.staff_a, planned).done_at is not None
        assess(session, world.staff_a, world.room_a, dt.date(2026, 10, 5), {ITEM: "no"}, submit=False)
        assert repo.get_action(session, world.staff_a, planned).status == "done"  # a draft changes nothing
        assess(session, world.manager_a, world.room_a, dt.date(2026, 10, 6), {ITEM: "no"})
        action = repo.get_action(session, world.staff_a, planned)
        assert action.status == "open"
        assert action.done_at is None
        assert action.check_note == (
            "Reopened: the assessment of 6 October 2026 by Mo Manager scores it 0.00 of 1, so it is not fixed yet."
        )
        assert repo.list_notifications(session, world.staff_a)[0].kind == "action_reopened"


def test_an_action_in_progress_stays_so_and_an_unanswered_item_changes_nothing(
    store: Store, world: World, planned: int
) -> None:
    with store.session() as session:
        repo.update_action(session, world.staff_a, planned, status="in_progress", note="Electrician booked")
        assess(session, world.staff_a, world.room_a, dt.date(2026, 10, 5), {"lighting.glare": "yes"})
        action = repo.get_action(session, world.staff_a, planned)
        assert (action.status, action.check_note, action.note) == ("in_progress", None, "Electrician booked")
        assess(session, world.staff_a, world.room_a, dt.date(2026, 10, 7), {ITEM: "no"})
        action = repo.get_action(session, world.staff_a, planned)
        assert action.status == "in_progress"
        assert action.check_note is not None
        assert action.check_note.startswith("Not fixed yet:")


def test_an_assessment_older_than_the_plan_does_not_verify(store: Store, world: World, planned: int) -> None:
    with store.session() as session:
        assess(session, world.staff_a, world.room_a, dt.date(2026, 8, 1), {ITEM: "yes"})
        assert repo.get_action(session, world.staff_a, planned).status == "open"


def test_who_may_plan_and_change_actions(store: Store, world: World, planned: int) -> None:
    with store.session() as session:
        with pytest.raises(PermissionDenied, match="Only managers, consultants and admins can plan actions"):
            repo.create_action(session, world.staff_a, world.room_a, "lighting.glare", owner_id=world.staff_a.id,
                               due_on=dt.date(2026, 12, 1))  # fmt: skip
        made = repo.create_action(session, world.consultant_a, world.room_a, "lighting.glare",
                                  owner_id=world.manager_a.id, due_on=dt.date(2026, 12, 1))  # fmt: skip
        assert made.owner_name == "Mo Manager"
        with pytest.raises(ConflictError, match="already planned"):
            plan(session, world)
        # Staff move their own action on, nothing more.
        repo.update_action(session, world.staff_a, planned, status="in_progress")
        with pytest.raises(PermissionDenied, match="owner, due date or cost"):
            repo.update_action(session, world.staff_a, planned, due_on=dt.date(2027, 1, 1))
        with pytest.raises(PermissionDenied, match="only the actions assigned to you"):
            repo.update_action(session, world.staff_a, made.id, status="done")
        with pytest.raises(InvalidAnswer, match="becomes verified by itself"):
            repo.update_action(session, world.manager_a, planned, status="verified")
        # The owner must belong to the room's organisation.
        with pytest.raises(InvalidAnswer, match="cannot own this action"):
            repo.update_action(session, world.manager_a, planned, owner_id=world.staff_b.id)
        # Other organisations neither see nor change it.
        with pytest.raises(PermissionDenied):
            repo.get_action(session, world.manager_b, planned)
        with pytest.raises(PermissionDenied):
            repo.update_action(session, world.manager_b, planned, status="done")
        assert repo.list_actions(session, world.manager_b) == []
        assert [a.id for a in repo.list_actions(session, world.admin, room_id=world.room_a)] == [planned, made.id]
        with pytest.raises(PermissionDenied):
            repo.action_owners(session, world.staff_a, world.room_a)
        owners = repo.action_owners(session, world.manager_a, world.room_a)
        assert [name for _, name, _ in owners] == ["Cy Consultant", "Mo Manager", "Sam Staff"]
        assert repo.get_action(session, world.manager_a, planned).status == ActionStatus.in_progress.value


def test_bad_input_says_what_is_wrong_and_changes_nothing(store: Store, world: World, planned: int) -> None:
    with store.session() as session:
        with pytest.raises(InvalidAnswer, match="not an item of the checklist"):
            repo.create_action(session, world.manager_a, world.room_a, "no.such_item", owner_id=world.staff_a.id,
                               due_on=dt.date(2026, 12, 1))  # fmt: skip
        with pytest.raises(InvalidAnswer, match="cost estimate is a amount from 0"):
            repo.update_action(session, world.manager_a, planned, cost_estimate=-5)
        assert repo.get_action(session, world.manager_a, planned).cost_estimate == 120.0


def test_inbox_of_submissions_sending_back_and_reminders(store: Store, world: World) -> None:
    with store.session() as session:
        assessment = assess(session, world.staff_a, world.room_a, dt.date(2025, 11, 20), {ITEM: "no"})
        inbox = repo.list_notifications(session, world.manager_a)
        assert [n.subject for n in inbox] == ["For review: Year 3 (Hillview Primary)"]
        assert repo.list_notifications(session, world.manager_b) == []
        version = repo.get_assessment(session, world.manager_a, assessment).version_id
        repo.send_back(session, world.manager_a, assessment, version, "Measure the light again")
        sent_back = repo.list_notifications(session, world.staff_a)
        assert [n.kind for n in sent_back] == ["sent_back"]
        assert sent_back[0].body.endswith("back to draft: Measure the light again")
        # Reminders: an action due within the week, one overdue, a room a year after its assessment.
        repo.create_action(session, world.manager_a, world.room_a, ITEM, owner_id=world.staff_a.id,
                           due_on=dt.date(2026, 11, 28))  # fmt: skip
        repo.create_action(session, world.manager_a, world.room_a2, "lighting.glare",
                           owner_id=world.staff_a.id, due_on=dt.date(2026, 11, 2))  # fmt: skip
        today = dt.date(2026, 11, 25)
        # The rooms were added a year before that day (not on the day the test runs): a room never
        # assessed is due from the day it was added.
        session.execute(update(Room).values(created_at=dt.datetime(2025, 11, 3, 9, 0, tzinfo=dt.UTC)))
        assert repo.refresh_reminders(session, world.staff_a, today) == 2
        assert repo.refresh_reminders(session, world.staff_a, today) == 0  # each reminder once
        kinds = sorted(n.kind for n in repo.list_notifications(session, world.staff_a, unread_only=True))
        assert kinds == ["action_assigned", "action_assigned", "action_due", "action_overdue", "sent_back"]
        version = repo.get_assessment(session, world.staff_a, assessment).version_id
        repo.submit(session, world.staff_a, assessment, version, provisional_reason=REASON)
        # The schedule's rooms due: Year 3 a year after its assessment, and the calm room, never assessed.
        assert repo.refresh_reminders(session, world.manager_a, today) == 2
        room_due = {
            n.subject: n.body for n in repo.list_notifications(session, world.manager_a) if n.kind == "room_due"
        }
        assert set(room_due) == {"Re-assessment due: Year 3 (Hillview Primary)",
                                 "Re-assessment due: Calm room (Hillview Primary)"}  # fmt: skip
        assert (
            "last assessed on 20 November 2025; its re-assessment is due on 20 November 2026"
            in room_due["Re-assessment due: Year 3 (Hillview Primary)"]
        )
        assert "has not been assessed yet" in room_due["Re-assessment due: Calm room (Hillview Primary)"]
        assert repo.unread_count(session, world.staff_a) == 5
        assert repo.mark_read(session, world.staff_a) == 5
        assert repo.unread_count(session, world.staff_a) == 0
        assert repo.unread_count(session, world.manager_a) == 4  # nobody marks another person's inbox


def test_the_owner_must_be_able_to_work_on_actions(store: Store, world: World) -> None:
    with store.session() as session:
        viewer = User(name="Val Viewer", email="val@a.test", role=Role.viewer)
        session.add(viewer)
        session.flush()
        session.execute(
            memberships.insert(),
            [{"user_id": viewer.id, "organisation_id": world.org_a}],
        )
        session.commit()
        with pytest.raises(InvalidAnswer, match="cannot own this action"):
            repo.create_action(session, world.manager_a, world.room_a, ITEM, owner_id=viewer.id,
                               due_on=dt.date(2026, 12, 1))  # fmt: skip


def test_a_field_round_verifies_like_a_tablet_submission(store: Store, world: World, planned: int) -> None:
    from reports.xlsform import build_xlsform
    from tests.assessments.test_store_submissions import _answers
    from tests.field_exports import Submission, odk_zip

    with store.session() as session:
        form, xlsx = build_xlsform(session, world.manager_a, world.org_a, "classroom")
        answers = _answers() | {ITEM: "yes"}
        data = odk_zip(xlsx, form.form_id, form.checklist, [Submission(world.room_a, answers)])
        imported = repo.import_submissions(session, world.staff_a, repo.read_submission_file(data))
        action = repo.get_action(session, world.manager_a, planned)
        assert action.status == "verified"
        assert action.checked_assessment_id == imported.assessment_ids[0]


def test_each_notification_is_worded_in_its_readers_language(store: Store, world: World) -> None:
    """The same events reach a French-speaking manager and assessor in French, an Arabic-speaking
    owner in Arabic, and a person who never chose a language in English; dates as each language
    writes them, the item's question from the checklist's translation."""
    with store.session() as session:
        repo.set_language(session, world.manager_a, "fr")
        repo.set_language(session, world.staff_a, "ar")
        assessment = assess(session, world.staff_a, world.room_a, dt.date(2026, 11, 20), {ITEM: "no"})
        (review,) = repo.list_notifications(session, world.manager_a)
        assert review.subject == "À examiner : Year 3 (Hillview Primary)"
        assert review.body.endswith("de Year 3 à Hillview Primary du 20 novembre 2026 pour examen.")
        version = repo.get_assessment(session, world.manager_a, assessment).version_id
        repo.send_back(session, world.manager_a, assessment, version, "Mesurez la lumière à nouveau")
        (sent_back,) = repo.list_notifications(session, world.staff_a)
        assert sent_back.subject == "أُعيد إلى المسودة: Year 3 (Hillview Primary)"
        assert "20 نوفمبر 2026" in sent_back.body
        assert sent_back.body.endswith("إلى المسودة: Mesurez la lumière à nouveau")  # the comment as written
        # An action for the Arabic-speaking owner names the item by its Arabic question; the same
        # kind of action for the English-speaking consultant stays English.
        repo.create_action(session, world.manager_a, world.room_a, ITEM, owner_id=world.staff_a.id,
                           due_on=dt.date(2026, 11, 28))  # fmt: skip
        repo.create_action(session, world.manager_a, world.room_a2, ITEM, owner_id=world.consultant_a.id,
                           due_on=dt.date(2026, 11, 28))  # fmt: skip
        assigned = [n for n in repo.list_notifications(session, world.staff_a) if n.kind == "action_assigned"]
        question = shown_item(default_catalogue(), default_catalogue().item(ITEM), "ar").question
        assert question != default_catalogue().item(ITEM).question
        assert [n.subject for n in assigned] == [f"إجراء مُسند إليك: {question} في Year 3 (Hillview Primary)"]
        (english,) = repo.list_notifications(session, world.consultant_a)
        assert (
            english.subject
            == f"Action for you: {default_catalogue().item(ITEM).question} in Calm room (Hillview Primary)"
        )
        assert english.body.endswith("due on 28 November 2026.")
