"""Answers: how an item's answer is kept (the stored JSON and the answer rows) and read back.

Reading back gives the assessors' notes, the typed answers and the scoring input of an assessment,
and the assessment document that `sensory-audit score` reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session, object_session

from assessments.access import UserLike, _acting, _assessment, _catalogue, _hidden_assessments, _Scope, _scoped
from assessments.catalogue_versions import catalogue_for
from assessments.errors import InvalidAnswer
from assessments.models import AnswerRow, Assessment, Organisation, Response, Room, Site, User
from checklists.i18n import _
from checklists.responses import Answer, AnswerSheet, answer_to_json
from checklists.schema import ResolvedItem, RoomChecklist
from checklists.stored_answers import StoredAnswers, answer_rows, decode_stored

__all__ = [
    "AnswerStamp",
    "answer_row_dicts",
    "answer_stamps",
    "assessment_answers",
    "assessment_document",
    "list_responses",
    "notes_by_assessment",
    "scoring_input",
    "stored_value",
]


# --------------------------------------------------------------------------------------------
# How an answer is kept
# --------------------------------------------------------------------------------------------


def stored_value(answer: Answer) -> Any:
    """The JSON kept in `responses.value`: the assessment-file form, whole numbers written as integers.

    Readings are floats once parsed; writing 42.0 as 42 keeps exports the same from SQLite and
    PostgreSQL (SQLite's numeric affinity would turn 42.0 into 42 on its own) and matches the files
    people write by hand.
    """
    return _whole_numbers(answer_to_json(answer))


def _whole_numbers(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, list):
        return [_whole_numbers(v) for v in value]
    if isinstance(value, dict):
        return {k: _whole_numbers(v) for k, v in value.items()}
    return value


def _write_answer_rows(session: Session, assessment_id: int, item_id: str, answer: Answer | None) -> None:
    session.execute(delete(AnswerRow).where(AnswerRow.assessment_id == assessment_id, AnswerRow.item_id == item_id))
    if answer is not None:
        session.execute(insert(AnswerRow), answer_row_dicts(assessment_id, item_id, answer))


def answer_row_dicts(assessment_id: int, item_id: str, answer: Answer) -> list[dict[str, Any]]:
    """The `answer_rows` table rows of one typed answer, ready for an executemany insert."""
    return [
        {"assessment_id": assessment_id, "item_id": item_id, "seq": seq, "na": na, "num": num, "freq": freq,
         "text": text}
        for seq, (na, num, freq, text) in enumerate(answer_rows(answer))
    ]  # fmt: skip


# --------------------------------------------------------------------------------------------
# What may be written
# --------------------------------------------------------------------------------------------


def _answered_against(scope: _Scope) -> RoomChecklist:
    """The checklist an assessment's answers are checked against: the current catalogue's, or, in an
    organisation with criteria of its own, the organisation's (its items added and switched off)."""
    if "+org" not in scope.assessment.catalogue_version:
        return _catalogue().checklist(scope.site.setting, scope.room.room_type)
    session = object_session(scope.assessment)
    assert session is not None
    place = (scope.site.setting, scope.room.room_type)
    catalogue = catalogue_for(session, scope.assessment.catalogue_version, scope.assessment.status, _catalogue(), place)
    return catalogue.checklist(*place)


def _resolved(scope: _Scope, item_id: str) -> ResolvedItem:
    checklist = _answered_against(scope)
    resolved = checklist.by_id().get(item_id)
    if resolved is None:
        # "item: problem", the item's id first, as the screens expect (they show the rest beside the item).
        problem = _("not an item of the {room_type} checklist.").format(room_type=checklist.room_type_title.lower())
        raise InvalidAnswer(f"{item_id}: {problem}")
    return resolved


def _clean_note(note: str | None) -> str | None:
    if note is None:
        return None
    note = note.strip()
    if len(note) > 4000:
        raise InvalidAnswer(_("A note can have at most 4000 characters."))
    return note or None


# --------------------------------------------------------------------------------------------
# Reading answers and notes back
# --------------------------------------------------------------------------------------------


def list_responses(session: Session, user: UserLike, assessment_id: int) -> list[Response]:
    """The stored responses of an assessment (answers and notes), by item id."""
    actor = _acting(session, user)
    _assessment(session, actor, assessment_id)
    return list(session.scalars(select(Response).where(Response.assessment_id == assessment_id).order_by(
        Response.item_id)))  # fmt: skip


@dataclass(frozen=True)
class AnswerStamp:
    """Who gave an item's answer, when, and its answer version (what a later save names)."""

    version: int
    answered_by: str | None
    answered_at: dt.datetime


def answer_stamps(session: Session, user: UserLike, assessment_id: int) -> dict[str, AnswerStamp]:
    """{item id: AnswerStamp} for every answered item of an assessment (an item without one is 0)."""
    actor = _acting(session, user)
    _assessment(session, actor, assessment_id)
    rows = session.execute(
        select(Response.item_id, Response.version, User.name, Response.answered_at)
        .outerjoin(User, Response.answered_by_id == User.id)
        .where(Response.assessment_id == assessment_id, Response.value.is_not(None))
    )
    return {item_id: AnswerStamp(version, name, at) for item_id, version, name, at in rows}


def notes_by_assessment(session: Session, user: UserLike, assessment_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """The assessors' notes of many assessments at once, {assessment id: {item id: note}}.

    One read per thousand assessments instead of one per assessment, for reports over many rooms.
    Every id must be one the user may see.
    """
    actor = _acting(session, user)
    ids = sorted(set(assessment_ids))
    hidden = _hidden_assessments(session, actor)
    for assessment_id in ids:
        if assessment_id in hidden:
            # The same refusal as opening it (a calibration round still open).
            _assessment(session, actor, assessment_id)
    notes: dict[int, dict[str, str]] = {}
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        owners = dict(
            session.execute(
                select(Assessment.id, Site.organisation_id)
                .join(Room, Assessment.room_id == Room.id)
                .join(Site)
                .where(Assessment.id.in_(chunk))
            ).all()
        )
        for assessment_id in chunk:
            _scoped(actor, owners.get(assessment_id), "assessment", assessment_id)
        rows = session.execute(
            select(Response.assessment_id, Response.item_id, Response.note)
            .where(Response.assessment_id.in_(chunk), Response.note.is_not(None))
            .order_by(Response.assessment_id, Response.item_id)
        )
        for assessment_id, item_id, note in rows:
            if note:
                notes.setdefault(assessment_id, {})[item_id] = note
    return notes


def stored_answers(session: Session, user: UserLike, assessment_id: int) -> StoredAnswers:
    """The stored answers of an assessment typed against the catalogue it is scored under (the version
    it was taken with, `assessments.catalogue_versions.catalogue_for`), in checklist order,
    with those it no longer accepts (an item removed, an option gone) kept apart as retired
    (`checklists.stored_answers.decode_stored`, the rule every screen and report uses)."""
    actor = _acting(session, user)
    scope = _assessment(session, actor, assessment_id)
    catalogue = catalogue_for(
        session, scope.assessment.catalogue_version, scope.assessment.status, _catalogue(),
        (scope.site.setting, scope.room.room_type),
    )  # fmt: skip
    checklist = catalogue.checklist(scope.site.setting, scope.room.room_type)
    responses = session.scalars(select(Response).where(Response.assessment_id == assessment_id))
    return decode_stored(catalogue, checklist, {r.item_id: r.value for r in responses})


def assessment_answers(session: Session, user: UserLike, assessment_id: int) -> dict[str, Answer]:
    """The typed answers of an assessment, item id -> Answer, in checklist order, for the scoring engine.

    Answers that no longer fit the current catalogue are left out (see `stored_answers`), so the
    engine counts them as missing rather than guessing.
    """
    return stored_answers(session, user, assessment_id).answers


def scoring_input(session: Session, user: UserLike, assessment_id: int) -> AnswerSheet:
    """The assessment as `checklists.responses.AnswerSheet`, what `scoring.engine.score_assessment` takes."""
    actor = _acting(session, user)
    scope = _assessment(session, actor, assessment_id)
    notes = {
        r.item_id: r.note
        for r in session.scalars(select(Response).where(Response.assessment_id == assessment_id))
        if r.note
    }
    return AnswerSheet(
        setting=scope.site.setting,
        room_type=scope.room.room_type,
        answers=assessment_answers(session, user, assessment_id),
        room=scope.room.name,
        notes=dict(sorted(notes.items())) or None,
    )


def assessment_document(session: Session, user: UserLike, assessment_id: int) -> dict[str, Any]:
    """The assessment in the assessment-file shape of DESIGN.md, which `sensory-audit score` reads."""
    actor = _acting(session, user)
    scope = _assessment(session, actor, assessment_id)
    organisation = session.get(Organisation, scope.site.organisation_id)
    assert organisation is not None
    responses = list(
        session.scalars(select(Response).where(Response.assessment_id == assessment_id).order_by(Response.item_id))
    )
    checklist = _catalogue().checklist(scope.site.setting, scope.room.room_type)
    order = {r.item.id: n for n, r in enumerate(checklist.items)}
    responses.sort(key=lambda r: (order.get(r.item_id, len(order)), r.item_id))
    document: dict[str, Any] = {
        "setting": scope.site.setting,
        "room_type": scope.room.room_type,
        "room": scope.room.name,
        "site": scope.site.name,
        "organisation": organisation.name,
        "assessor": scope.assessment.assessor,
        "date": scope.assessment.assessed_on.isoformat(),
        "status": scope.assessment.status.value,
        "catalogue_version": scope.assessment.catalogue_version,
        "notes": {r.item_id: r.note for r in responses if r.note},
        "responses": {r.item_id: r.value for r in responses if r.value is not None},
    }
    return document
