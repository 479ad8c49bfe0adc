"""What a submitted assessment says about its room's actions: full marks verify an action, a score
short of full marks reopens a done one. Run inside `workflow.submit` and the import of field rounds,
never for drafts; every change writes an audit event and tells the action's owner."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessments.access import Actor, _Scope
from assessments.actions import FULL_MARKS, OPEN_STATUSES, _evaluation, _json, item_title
from assessments.audit import _audit
from assessments.models import ActionStatus, Assessment, AssessmentStatus, PlannedAction, utcnow
from assessments.notifications import _notify, long_date

__all__ = ["check_submitted"]


def _later(assessment: Assessment, action: PlannedAction, source: Assessment | None) -> bool:
    if source is None:
        return assessment.assessed_on >= action.created_at.date()
    if assessment.id == source.id:
        return False
    return (assessment.assessed_on, assessment.id) > (source.assessed_on, source.id)


def check_submitted(session: Session, actor: Actor, scope: _Scope) -> None:
    """Verify or reopen the room's actions by the assessment just submitted (inside `workflow.submit`).

    Full marks for the item verifies the action; an answered item short of full marks reopens a done
    action (an open or in-progress one stays as it is, with the finding in its check note); an item
    left unanswered or not applicable changes nothing.
    """
    assessment, room, site = scope.assessment, scope.room, scope.site
    if assessment.status is AssessmentStatus.draft:
        return
    actions = list(
        session.scalars(
            select(PlannedAction).where(PlannedAction.room_id == room.id, PlannedAction.status.in_(OPEN_STATUSES))
        )
    )
    if not actions:
        return
    scores = {ev.resolved.item.id: ev.score for ev in _evaluation(session, actor, assessment, site, room).items}
    when = long_date(assessment.assessed_on)
    for action in actions:
        source = None if action.source_assessment_id is None else session.get(Assessment, action.source_assessment_id)
        score = scores.get(action.item_id)
        if score is None or not _later(assessment, action, source):
            continue
        old = _json(action)
        what = f"{item_title(action.item_id)} in {room.name} ({site.name})"
        action.checked_assessment_id = assessment.id
        kind: str | None = None
        event, subject = "check", ""
        if score >= FULL_MARKS:
            action.status = ActionStatus.verified
            action.verified_at = utcnow()
            action.check_note = f"Verified by the assessment of {when} by {assessment.assessor}: full marks."
            kind, event, subject = "action_verified", "verify", f"Verified: {what}"
        else:
            reopened = action.status is ActionStatus.done
            text = f"the assessment of {when} by {assessment.assessor} scores it {score:.2f} of 1"
            if reopened:
                action.status = ActionStatus.open
                action.done_at = None
                action.check_note = f"Reopened: {text}, so it is not fixed yet."
                kind, event, subject = "action_reopened", "reopen", f"Reopened: {what}"
            else:
                action.check_note = f"Not fixed yet: {text}."
        action.updated_at = utcnow()
        session.flush()
        _audit(session, actor, site.organisation_id, event, "actions", action.id, old, _json(action))
        if kind:
            _notify(
                session,
                [action.owner_id],
                kind=kind,
                key=f"{kind}:{action.id}:{assessment.id}",
                subject=subject,
                body=f"{action.check_note} ({what})",
                organisation_id=site.organisation_id,
            )
