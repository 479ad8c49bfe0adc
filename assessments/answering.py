"""Answering one item of a draft: save an answer, clear it, write its note.

Each change names the version the caller last saw and returns the new one; two people on one
assessment conflict only on the same item (`answer_version`). The rest of an assessment's life
(start, submit, review, send back, delete) is in `assessments.workflow`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessments.access import UserLike, _acting, _editable, _Scope
from assessments.answers import _clean_note, _resolved, _write_answer_rows, stored_value
from assessments.audit import _UNCHANGED, _audit, _writing
from assessments.errors import AnswerConflict, InvalidAnswer
from assessments.models import Assessment, Response, utcnow
from checklists.i18n import _
from checklists.responses import NA, AnswerError, parse_answer

__all__ = ["clear_answer", "save_answer", "save_note"]


def _touch(assessment: Assessment) -> None:
    # Any change to an assessment's answers bumps its row version (SQLAlchemy's version_id_col).
    assessment.updated_at = utcnow()


def _response(session: Session, assessment_id: int, item_id: str) -> Response | None:
    return session.scalar(select(Response).where(Response.assessment_id == assessment_id, Response.item_id == item_id))


def _check_answer_version(scope: _Scope, item_id: str, response: Response | None, answer_version: int | None) -> None:
    """Two people on one assessment conflict only on the same item: refuse the write when this item's
    answer changed since the caller read it (`answer_version`, 0 for no answer; None: not checked)."""
    current = 0 if response is None or response.value is None else response.version
    if answer_version is None or answer_version == current:
        return
    by = response.answered_by.name if response is not None and response.answered_by is not None else None
    cleared = response is None or response.value is None
    if by is None:
        said = (
            _("Someone else cleared this item's answer since you opened it.")
            if cleared
            else _("Someone else answered this item since you opened it.")
        )
    else:
        said = (
            _("{name} cleared this item's answer since you opened it.")
            if cleared
            else _("{name} answered this item since you opened it.")
        ).format(name=by)
    raise AnswerConflict(
        said,
        item_id=item_id,
        value=None if response is None else response.value,
        answered_by=by,
        answered_at=None if response is None else response.answered_at,
        answer_version=current,
        current_version=scope.assessment.version_id,
    )


def _stamp(response: Response, scope: _Scope) -> None:
    """Mark the item's answer as changed at the assessment's next version (set by the flush to come:
    the row is locked, so the next version is this one plus one)."""
    response.version = scope.assessment.version_id + 1


def _response_json(response: Response | None) -> dict[str, Any] | None:
    return None if response is None else _response_values(response)


def _response_values(response: Response) -> dict[str, Any]:
    return {"item_id": response.item_id, "value": response.value, "note": response.note}


def save_answer(
    session: Session,
    user: UserLike,
    assessment_id: int,
    item_id: str,
    raw_value: object,
    expected_version: int | None,
    note: str | None = _UNCHANGED,
    *,
    answer_version: int | None = None,
) -> int:
    """Save one answer (checked against the room's checklist) and return the assessment's new version.

    `raw_value` is what a form or file gives: "yes", 42, [420, 610], {"percent": 4, "frequency_hz":
    100}, "n/a". Raises InvalidAnswer with a sentence saying what is allowed, ConflictError when
    `expected_version` is stale, PermissionDenied outside the user's scope or role. `note` replaces
    the item's note when given (None or "" clears it).

    Two people answering one assessment name `expected_version=None` and the version of this item's
    answer they last saw (`answer_version`, 0 when it had none; `answer_stamps` reads them): only
    an answer to the same item given since then is a conflict (AnswerConflict, which carries it).
    The item's new answer version is the returned assessment version.
    """
    with _writing(session):
        actor = _acting(session, user)
        scope = _editable(session, actor, assessment_id, expected_version)
        resolved = _resolved(scope, item_id)
        try:
            answer = parse_answer(resolved, raw_value)
        except AnswerError as error:
            raise InvalidAnswer(f"{item_id}: {error}") from None
        response = _response(session, assessment_id, item_id)
        _check_answer_version(scope, item_id, response, answer_version)
        old = _response_json(response)
        if response is None:
            response = Response(assessment_id=assessment_id, item_id=item_id)
            session.add(response)
        response.value = stored_value(answer)
        response.na = answer == NA
        if note is not _UNCHANGED:
            response.note = _clean_note(note)
        response.answered_by_id = actor.id
        response.answered_at = utcnow()
        _stamp(response, scope)
        _write_answer_rows(session, assessment_id, item_id, answer)
        _touch(scope.assessment)
        session.flush()
        _audit(
            session, actor, scope.site.organisation_id, "answer", "responses", response.id, old,
            _response_values(response) | {"assessment_id": assessment_id},
        )  # fmt: skip
    return scope.assessment.version_id


def clear_answer(
    session: Session,
    user: UserLike,
    assessment_id: int,
    item_id: str,
    expected_version: int | None,
    *,
    answer_version: int | None = None,
) -> int:
    """Remove an item's answer (its note stays); returns the assessment's new version.

    `answer_version` as in `save_answer`: clearing an answer someone else gave since is a conflict."""
    with _writing(session):
        actor = _acting(session, user)
        scope = _editable(session, actor, assessment_id, expected_version)
        _resolved(scope, item_id)
        response = _response(session, assessment_id, item_id)
        _check_answer_version(scope, item_id, response, answer_version)
        if response is not None:
            old = _response_json(response)
            response_id = response.id
            if response.note:
                response.value, response.na = None, False
                response.answered_by_id, response.answered_at = actor.id, utcnow()
                _stamp(response, scope)
            else:
                session.delete(response)
            _write_answer_rows(session, assessment_id, item_id, None)
            _touch(scope.assessment)
            session.flush()
            _audit(
                session, actor, scope.site.organisation_id, "clear", "responses", response_id, old,
                {"item_id": item_id, "value": None, "note": response.note, "assessment_id": assessment_id},
            )  # fmt: skip
    return scope.assessment.version_id


def save_note(
    session: Session, user: UserLike, assessment_id: int, item_id: str, note: str | None, expected_version: int | None
) -> int:
    """Write the assessor's note on one item (None or "" clears it); returns the new version.

    A note does not change the item's answer version, and does not change who gave the answer."""
    with _writing(session):
        actor = _acting(session, user)
        scope = _editable(session, actor, assessment_id, expected_version)
        _resolved(scope, item_id)
        clean = _clean_note(note)
        response = _response(session, assessment_id, item_id)
        old = _response_json(response)
        if response is None:
            if clean is None:
                return scope.assessment.version_id
            response = Response(assessment_id=assessment_id, item_id=item_id, value=None, na=False)
            session.add(response)
        response.note = clean
        if response.value is None:
            response.answered_by_id, response.answered_at = actor.id, utcnow()
        _touch(scope.assessment)
        session.flush()
        _audit(
            session, actor, scope.site.organisation_id, "note", "responses", response.id, old,
            _response_values(response) | {"assessment_id": assessment_id},
        )  # fmt: skip
    return scope.assessment.version_id
