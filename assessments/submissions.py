"""Importing an offline field round: the submissions of a form from `sensory-audit xlsform`, collected
with ODK Collect or KoboToolbox, become submitted assessments awaiting review.

The export is read by `assessments.submission_files` (ODK Central's ZIP, KoboToolbox's CSV) and each
row checked by `assessments.submission_checks`.

Everything is checked first, every row, and every problem is listed by row (as in a spreadsheet:
the first submission is row 2), column and what is allowed. Only when nothing is wrong is anything
written, all in one transaction. A submission id already imported is skipped, so importing the
same export twice creates nothing new; the summary says how many were skipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from assessments.access import _ASSESSORS, Actor, UserLike, _acting, _require, _Scope
from assessments.action_checks import check_submitted
from assessments.answers import answer_row_dicts, stored_value
from assessments.audit import _audit, _writing
from assessments.errors import ImportProblems
from assessments.evidence import new_evidence
from assessments.models import (
    AnswerRow,
    Assessment,
    AssessmentStatus,
    FieldSubmission,
    Response,
    Room,
    Site,
    User,
    memberships,
    utcnow,
)
from assessments.submission_cells import ID_COLUMNS, _submission_id
from assessments.submission_checks import _Checker, _Row
from assessments.submission_files import SubmissionTable
from checklists.i18n import N_, _, ngettext
from checklists.responses import NA
from checklists.schema import RoomChecklist

__all__ = ["SubmissionImport", "import_submissions"]


@dataclass(frozen=True)
class SubmissionImport:
    """What an import did: assessments created, submissions skipped as already imported, photos attached."""

    created: int
    already_imported: int
    photos: int
    assessment_ids: tuple[int, ...]

    @property
    def summary(self) -> str:
        if self.created == 0:
            return ngettext(
                "Nothing new: all {count} submission was imported before.",
                "Nothing new: all {count} submissions were imported before.",
                self.already_imported,
            ).format(count=self.already_imported)
        photos = ngettext("{count} photo", "{count} photos", self.photos).format(count=self.photos)
        text = ngettext(
            "Imported {count} submission as submitted assessments awaiting review, with {photos}.",
            "Imported {count} submissions as submitted assessments awaiting review, with {photos}.",
            self.created,
        ).format(count=self.created, photos=photos)
        if self.already_imported:
            # The same words in English whatever the number; other languages need the count.
            skipped = ngettext(
                "{count} imported before were skipped.", "{count} imported before were skipped.", self.already_imported
            )
            text += " " + skipped.format(count=self.already_imported)
        return text


def _rooms(session: Session, actor: Actor, checklist: RoomChecklist) -> dict[int, tuple[Room, Site]]:
    stmt = select(Room, Site).join(Site, Room.site_id == Site.id)
    stmt = stmt.where(Room.room_type == checklist.room_type, Site.setting == checklist.setting)
    if not actor.sees_everything:  # the same scope as every other read (access._org_filter)
        stmt = stmt.where(Site.organisation_id.in_(sorted(actor.organisation_ids)))
    return {room.id: (room, site) for room, site in session.execute(stmt)}


def _known_ids(session: Session, ids: list[str]) -> set[str]:
    known: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        known |= set(session.scalars(select(FieldSubmission.submission_id).where(
            FieldSubmission.submission_id.in_(chunk))))  # fmt: skip
    return known


def _assessor_ids(session: Session, organisation_ids: set[int]) -> dict[tuple[int, str], int | None]:
    """Members by (organisation, lower-case name); None where two members share a name."""
    rows = session.execute(
        select(memberships.c.organisation_id, User.id, User.name)
        .join(User, User.id == memberships.c.user_id)
        .where(memberships.c.organisation_id.in_(sorted(organisation_ids)), User.active.is_(True))
    )
    found: dict[tuple[int, str], int | None] = {}
    for org, user_id, name in rows:
        key = (int(org), str(name).strip().casefold())
        found[key] = None if key in found else int(user_id)
    return found


def import_submissions(session: Session, user: UserLike, table: SubmissionTable) -> SubmissionImport:
    """Check every submission of an export, then save the new ones as submitted assessments, or nothing.

    Raises ImportProblems listing every problem by row and column; the store is then unchanged.
    Staff, managers and admins may import, into the rooms of their organisations.
    """
    actor = _acting(session, user)
    _require(actor, _ASSESSORS, N_("import field submissions"))
    checker = _Checker(session, actor, table)
    form = checker.form()
    if form is None:
        raise ImportProblems(checker.problems)
    checklist, items = form
    rooms = _rooms(session, actor, checklist)

    ids: list[tuple[int, str, Mapping[str, str]]] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(table.rows, start=2):
        submission_id = ""
        for name in ID_COLUMNS:
            column = checker.columns.get(name)
            if column and row.get(column, "").strip():
                submission_id = _submission_id(row[column])
                break
        if not submission_id:
            checker.problem(line, " or ".join(ID_COLUMNS), _("the submission id is missing"))
            continue
        if submission_id in seen:
            checker.problem(
                line,
                None,
                _("submission {submission_id} is also in row {line}").format(
                    submission_id=submission_id, line=seen[submission_id]
                ),
            )
            continue
        seen[submission_id] = line
        ids.append((line, submission_id, row))
    known = _known_ids(session, [sid for _line, sid, _row in ids])
    checked: list[_Row] = []
    for line, submission_id, cells in ids:
        if submission_id in known:
            continue
        result = checker.row(line, cells, checklist, items, rooms, submission_id)
        if result is not None:
            checked.append(result)
    if checker.problems:
        raise ImportProblems(checker.problems)
    if not checked:
        return SubmissionImport(0, len(known), 0, ())
    form_id_column = checker.columns.get("form_version")
    with _writing(session):
        actor = _acting(session, user)
        created = _write(session, actor, checked, table, form_id_column, checker.catalogue.version)
    return SubmissionImport(len(created), len(known), sum(len(r.photos) for r in checked), tuple(created))


def _write(
    session: Session,
    actor: Actor,
    rows: list[_Row],
    table: SubmissionTable,
    version_column: str | None,
    catalogue_version: str,
) -> list[int]:
    now = utcnow()
    # Two imports of the same export at once: the unique submission id refuses the second one's rows.
    if _known_ids(session, [r.submission_id for r in rows]):
        raise ImportProblems([_("these submissions were imported a moment ago by someone else; import again to check")])
    assessors = _assessor_ids(session, {r.site.organisation_id for r in rows})
    assessments: list[Assessment] = []
    for r in rows:
        assessment = Assessment(
            room_id=r.room.id,
            assessor_id=assessors.get((r.site.organisation_id, r.assessor.casefold())),
            assessor=r.assessor,
            assessed_on=r.date,
            status=AssessmentStatus.submitted,
            catalogue_version=catalogue_version,
            provisional_reason=r.reason,
            submitted_at=now,
            created_at=now,
            updated_at=now,
        )  # fmt: skip
        session.add(assessment)
        assessments.append(assessment)
    session.flush()
    response_rows: list[dict[str, Any]] = []
    answer_rows: list[dict[str, Any]] = []
    submission_rows: list[dict[str, Any]] = []
    for assessment, r in zip(assessments, rows, strict=True):
        for item_id in sorted(set(r.answers) | set(r.notes)):
            answer = r.answers.get(item_id)
            response_rows.append({
                "assessment_id": assessment.id, "item_id": item_id,
                "value": None if answer is None else stored_value(answer), "na": answer == NA,
                "note": r.notes.get(item_id), "answered_by_id": actor.id, "answered_at": now,
            })  # fmt: skip
            if answer is not None:
                answer_rows.extend(answer_row_dicts(assessment.id, item_id, answer))
        for item_id, name, photo in r.photos:
            new_evidence(session, assessment_id=assessment.id, item_id=item_id, file_name=name, photo=photo,
                         uploaded_by_id=actor.id, uploaded_at=now)  # fmt: skip
        version = table.rows[r.line - 2].get(version_column or "", "").strip() or None
        submission_rows.append({
            "submission_id": r.submission_id, "assessment_id": assessment.id, "source": table.source,
            "form_version": version, "imported_by_id": actor.id, "imported_at": now,
        })  # fmt: skip
        _audit(session, actor, r.site.organisation_id, "import", "assessments", assessment.id, None,
               {"room_id": r.room.id, "status": AssessmentStatus.submitted.value, "submission_id": r.submission_id,
                "source": table.source, "answers": len(r.answers), "photos": len(r.photos)})  # fmt: skip
    if response_rows:
        session.execute(insert(Response), response_rows)
    if answer_rows:
        session.execute(insert(AnswerRow), answer_rows)
    session.execute(insert(FieldSubmission), submission_rows)
    session.flush()
    # Submitted field visits verify or reopen the rooms' actions as a submission on the tablet does.
    for assessment, r in sorted(zip(assessments, rows, strict=True), key=lambda p: (p[0].assessed_on, p[0].id)):
        check_submitted(session, actor, _Scope(assessment, r.room, r.site))
    return [a.id for a in assessments]
