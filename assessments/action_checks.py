"""What a submitted assessment says about its room's actions: full marks verify an action, a score
short of full marks reopens a done one. Run inside `workflow.submit` and the import of field rounds,
never for drafts; every change writes an audit event and tells the action's owner."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.numbers import format_decimal
from sqlalchemy import select
from sqlalchemy.orm import Session

from assessments.access import Actor, _Scope
from assessments.action_views import _json, action_what
from assessments.actions import FULL_MARKS, OPEN_STATUSES, _evaluation
from assessments.audit import _audit
from assessments.models import ActionStatus, Assessment, AssessmentStatus, PlannedAction, utcnow
from assessments.notifications import _notify, long_date
from checklists.i18n import DEFAULT_LANGUAGE, _, language, using

__all__ = ["check_submitted"]


@dataclass(frozen=True)
class _Finding:
    """What a later assessment found for an action's item, worded in the language in force."""

    kind: str | None  # action_verified, action_reopened, or None (still open: nothing to tell)
    assessed_on: dt.date
    assessor: str
    score: float

    def note(self) -> str:
        when = long_date(self.assessed_on)
        if self.kind == "action_verified":
            return _("Verified by the assessment of {date} by {assessor}: full marks.").format(
                date=when, assessor=self.assessor
            )
        text = _("the assessment of {date} by {assessor} scores it {score} of 1").format(
            date=when, assessor=self.assessor, score=format_decimal(self.score, "0.00", locale=language())
        )
        if self.kind == "action_reopened":
            return _("Reopened: {finding}, so it is not fixed yet.").format(finding=text)
        return _("Not fixed yet: {finding}.").format(finding=text)


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
    for action in actions:
        source = None if action.source_assessment_id is None else session.get(Assessment, action.source_assessment_id)
        score = scores.get(action.item_id)
        if score is None or not _later(assessment, action, source):
            continue
        old = _json(action)
        action.checked_assessment_id = assessment.id
        kind: str | None = None
        event = "check"
        if score >= FULL_MARKS:
            action.status = ActionStatus.verified
            action.verified_at = utcnow()
            kind, event = "action_verified", "verify"
        elif action.status is ActionStatus.done:
            action.status = ActionStatus.open
            action.done_at = None
            kind, event = "action_reopened", "reopen"
        finding = _Finding(kind, assessment.assessed_on, assessment.assessor, score)
        with using(DEFAULT_LANGUAGE):  # the action's record keeps the note in English, as its other fields
            action.check_note = finding.note()
        action.updated_at = utcnow()
        session.flush()
        _audit(session, actor, site.organisation_id, event, "actions", action.id, old, _json(action))
        if kind:

            def words(action: PlannedAction = action, finding: _Finding = finding) -> tuple[str, str]:
                what = action_what(action.item_id, room.name, site.name)
                heading = _("Verified: {what}") if finding.kind == "action_verified" else _("Reopened: {what}")
                return heading.format(what=what), f"{finding.note()} ({what})"

            _notify(
                session,
                [action.owner_id],
                kind=kind,
                key=f"{kind}:{action.id}:{assessment.id}",
                words=words,
                organisation_id=site.organisation_id,
            )
