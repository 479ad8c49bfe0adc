"""The assessment workflow: start a visit, submit, review or send back, delete a draft.

Changes name the version the caller last saw and return the new one (see `assessments.repository`).
Answering an item of a draft (save, clear, note) is `assessments.answering`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessments.access import (
    _ASSESSORS,
    _MANAGERS,
    UserLike,
    _acting,
    _assessment,
    _catalogue,
    _check_version,
    _editable,
    _hidden_assessments,
    _org_filter,
    _require,
    _room,
    _Scope,
    _site,
)
from assessments.action_checks import check_submitted
from assessments.answering import _touch
from assessments.answers import _answered_against, _clean_note
from assessments.audit import _audit, _writing
from assessments.catalogue_versions import organisation_catalogue
from assessments.errors import ConflictError, IncompleteAssessment, InvalidAnswer
from assessments.evidence import _remove_files, _unshared_files
from assessments.models import Assessment, AssessmentStatus, Response, Room, Site, utcnow
from assessments.notifications import _managers_of, _notify, deliver, long_date
from assessments.people import get_organisation
from checklists.i18n import N_, _, ngettext

__all__ = [
    "delete_assessment",
    "get_assessment",
    "list_assessments",
    "review",
    "send_back",
    "start_assessment",
    "submit",
]

# Why `review` refuses an assessment that is not submitted, by the status it has.
_REVIEW_REFUSED = {
    AssessmentStatus.draft: N_("Only a submitted assessment can be reviewed; this one is draft."),
    AssessmentStatus.reviewed: N_("Only a submitted assessment can be reviewed; this one is reviewed."),
}


def list_assessments(
    session: Session,
    user: UserLike,
    room_id: int | None = None,
    *,
    site_id: int | None = None,
    organisation_id: int | None = None,
    status: AssessmentStatus | str | None = None,
) -> list[Assessment]:
    """Assessments in the user's organisations, oldest first (a room's trend reads left to right)."""
    actor = _acting(session, user)
    stmt = _org_filter(actor, select(Assessment).join(Room, Assessment.room_id == Room.id).join(Site))
    if room_id is not None:
        _room(session, actor, room_id)
        stmt = stmt.where(Assessment.room_id == room_id)
    if site_id is not None:
        _site(session, actor, site_id)
        stmt = stmt.where(Room.site_id == site_id)
    if organisation_id is not None:
        get_organisation(session, user, organisation_id)
        stmt = stmt.where(Site.organisation_id == organisation_id)
    if status is not None:
        stmt = stmt.where(Assessment.status == AssessmentStatus(status))
    hidden = _hidden_assessments(session, actor)
    if hidden:
        # Staff do not see other assessors' assessments of a calibration round that is still open.
        stmt = stmt.where(Assessment.id.not_in(sorted(hidden)))
    stmt = stmt.order_by(Assessment.assessed_on, Assessment.id).execution_options(populate_existing=True)
    return list(session.scalars(stmt))


def get_assessment(session: Session, user: UserLike, assessment_id: int) -> Assessment:
    return _assessment(session, _acting(session, user), assessment_id).assessment


def _assessment_json(assessment: Assessment) -> dict[str, Any]:
    return {
        "status": assessment.status.value,
        "assessed_on": assessment.assessed_on.isoformat(),
        "assessor": assessment.assessor,
        "review_comment": assessment.review_comment,
        "provisional_reason": assessment.provisional_reason,
    }


def start_assessment(session: Session, user: UserLike, room_id: int, assessed_on: dt.date | None = None) -> Assessment:
    """Open a new draft assessment of a room, by the acting user, dated today unless told otherwise."""
    with _writing(session):
        actor = _acting(session, user)
        room, site = _room(session, actor, room_id)
        _require(actor, _ASSESSORS, N_("start assessments"))
        assessment = Assessment(
            room_id=room.id,
            assessor_id=actor.id,
            assessor=actor.name,
            assessed_on=assessed_on or dt.date.today(),
            status=AssessmentStatus.draft,
            catalogue_version=organisation_catalogue(session, site.organisation_id, _catalogue()).version,
        )
        session.add(assessment)
        session.flush()
        _audit(
            session, actor, site.organisation_id, "create", "assessments", assessment.id, None,
            _assessment_json(assessment) | {"room_id": room.id},
        )  # fmt: skip
    return assessment


def delete_assessment(session: Session, user: UserLike, assessment_id: int, expected_version: int) -> None:
    """Delete a draft assessment with its answers and photos (managers and admins)."""
    with _writing(session):
        actor = _acting(session, user)
        scope = _assessment(session, actor, assessment_id, lock=True)
        _require(actor, _MANAGERS, N_("delete assessments"))
        if scope.assessment.status is not AssessmentStatus.draft:
            raise ConflictError(_("Only a draft can be deleted; send the assessment back to draft first."))
        _check_version(scope.assessment, expected_version)
        files = _unshared_files(session, scope.assessment.evidence)
        old = _assessment_json(scope.assessment) | {"room_id": scope.room.id, "files_removed": len(files)}
        session.delete(scope.assessment)
        _audit(session, actor, scope.site.organisation_id, "delete", "assessments", assessment_id, old, None)
    _remove_files(files)


def _missing_items(session: Session, scope: _Scope) -> list[str]:
    """Scored items of the room's checklist with no answer yet (n/a counts as an answer)."""
    checklist = _answered_against(scope)
    answered = set(
        session.scalars(
            select(Response.item_id).where(Response.assessment_id == scope.assessment.id, Response.value.is_not(None))
        )
    )
    return [r.item.id for r in checklist.items if r.item.scored and r.item.id not in answered]


def submit(
    session: Session, user: UserLike, assessment_id: int, expected_version: int, provisional_reason: str | None = None
) -> int:
    """Hand a draft in for review. With scored items unanswered, a reason is required (it is then provisional)."""
    with _writing(session):
        actor = _acting(session, user)
        scope = _editable(session, actor, assessment_id, expected_version)
        assessment = scope.assessment
        if assessment.status is not AssessmentStatus.draft:
            raise ConflictError(_("This assessment has already been submitted."), current_version=assessment.version_id)
        missing = _missing_items(session, scope)
        reason = (provisional_reason or "").strip() or None
        if missing and reason is None:
            shown = ", ".join(missing[:5])
            if len(missing) > 5:
                shown = _("{items} and {count} more").format(items=shown, count=len(missing) - 5)
            # The same words in English whatever the number; other languages need the count.
            said = ngettext(
                "{count} items are unanswered ({items}). Answer them, or say why this assessment "
                "is submitted without them.",
                "{count} items are unanswered ({items}). Answer them, or say why this assessment "
                "is submitted without them.",
                len(missing),
            )
            raise IncompleteAssessment(said.format(count=len(missing), items=shown), missing=missing)
        old = _assessment_json(assessment)
        assessment.status = AssessmentStatus.submitted
        # A draft follows the current catalogue (under its organisation's newest criteria, if it has
        # its own); from now on it is scored under that version.
        assessment.catalogue_version = organisation_catalogue(session, scope.site.organisation_id, _catalogue()).version
        assessment.submitted_at = utcnow()
        assessment.provisional_reason = reason if missing else None
        _touch(assessment)
        session.flush()
        _audit(session, actor, scope.site.organisation_id, "submit", "assessments", assessment.id, old,
               _assessment_json(assessment))  # fmt: skip
        # A later submitted assessment is the evidence that a planned fix worked, or did not.
        check_submitted(session, actor, scope)

        def submitted() -> tuple[str, str]:
            return _("For review: {room} ({site})").format(room=scope.room.name, site=scope.site.name), _(
                "{name} submitted the assessment of {room} at {site} of {date} for review."
            ).format(
                name=actor.name, room=scope.room.name, site=scope.site.name, date=long_date(assessment.assessed_on)
            )

        _notify(
            session, _managers_of(session, scope.site.organisation_id), kind="submitted",
            key=f"submitted:{assessment.id}:{assessment.version_id}", words=submitted,
            organisation_id=scope.site.organisation_id,
        )  # fmt: skip
    deliver(session)
    return assessment.version_id


def review(
    session: Session, user: UserLike, assessment_id: int, expected_version: int, comment: str | None = None
) -> int:
    """Mark a submitted assessment as reviewed (managers and admins); it is then locked."""
    with _writing(session):
        actor = _acting(session, user)
        scope = _assessment(session, actor, assessment_id, lock=True)
        _require(actor, _MANAGERS, N_("review assessments"))
        assessment = scope.assessment
        _check_version(assessment, expected_version)
        if assessment.status is not AssessmentStatus.submitted:
            said = _REVIEW_REFUSED.get(assessment.status)
            raise ConflictError(
                _(said)
                if said is not None
                else _("Only a submitted assessment can be reviewed; this one is {status}.").format(
                    status=assessment.status.value
                ),
                current_version=assessment.version_id,
            )
        old = _assessment_json(assessment)
        assessment.status = AssessmentStatus.reviewed
        assessment.reviewed_at = utcnow()
        assessment.reviewed_by_id = actor.id
        assessment.review_comment = _clean_note(comment)
        _touch(assessment)
        session.flush()
        _audit(session, actor, scope.site.organisation_id, "review", "assessments", assessment.id, old,
               _assessment_json(assessment))  # fmt: skip
    return assessment.version_id


def send_back(session: Session, user: UserLike, assessment_id: int, expected_version: int, comment: str) -> int:
    """Return a submitted or reviewed assessment to draft, saying what to change (managers and admins)."""
    with _writing(session):
        actor = _acting(session, user)
        scope = _assessment(session, actor, assessment_id, lock=True)
        _require(actor, _MANAGERS, N_("send assessments back"))
        assessment = scope.assessment
        _check_version(assessment, expected_version)
        if assessment.status is AssessmentStatus.draft:
            raise ConflictError(_("This assessment is already a draft."), current_version=assessment.version_id)
        clean = _clean_note(comment)
        if clean is None:
            raise InvalidAnswer(_("Say what should change before sending the assessment back."))
        old = _assessment_json(assessment)
        assessment.status = AssessmentStatus.draft
        assessment.review_comment = clean
        assessment.submitted_at = None
        assessment.reviewed_at = None
        assessment.reviewed_by_id = None
        _touch(assessment)
        session.flush()
        _audit(session, actor, scope.site.organisation_id, "send_back", "assessments", assessment.id, old,
               _assessment_json(assessment))  # fmt: skip

        def sent_back() -> tuple[str, str]:
            return _("Sent back: {room} ({site})").format(room=scope.room.name, site=scope.site.name), _(
                "{name} sent your assessment of {room} at {site} of {date} back to draft: {comment}"
            ).format(
                name=actor.name, room=scope.room.name, site=scope.site.name, date=long_date(assessment.assessed_on),
                comment=clean,
            )  # fmt: skip

        _notify(
            session, [assessment.assessor_id], kind="sent_back",
            key=f"sent_back:{assessment.id}:{assessment.version_id}", words=sent_back,
            organisation_id=scope.site.organisation_id,
        )  # fmt: skip
    deliver(session)
    return assessment.version_id
