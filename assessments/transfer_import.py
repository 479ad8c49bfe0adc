"""Importing an organisation file: check all of it, then write all of it as a new organisation, or nothing.

`ImportProblems` names each problem by its path in the file, e.g.
`sites[0].rooms[2].assessments[1].responses.noise.background_level: ...`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from assessments.access import _ADMINS, Actor, UserLike, _acting, _catalogue, _require
from assessments.answers import answer_row_dicts, stored_value
from assessments.audit import _audit, _writing
from assessments.errors import ImportProblems
from assessments.evidence import PHOTO_FORMATS, evidence_path, store_photo_file
from assessments.models import (
    AnswerRow,
    Assessment,
    Evidence,
    Organisation,
    PlannedAction,
    ReassessmentInterval,
    Response,
    Room,
    Site,
    User,
    memberships,
    utcnow,
)
from assessments.transfer_checks import (
    Photo,
    aware,
    check_actions,
    check_photo_entry,
    item_applies,
    pydantic_problems,
)
from assessments.transfer_format import ActionEntry, AssessmentEntry, OrganisationFile
from checklists.i18n import N_, _
from checklists.overrides import base_version
from checklists.responses import NA, AnswerError, parse_answer

__all__ = ["ImportResult", "import_organisation"]


@dataclass(frozen=True)
class ImportResult:
    organisation_id: int
    organisation_name: str
    sites: int
    rooms: int
    assessments: int
    responses: int
    evidence: int
    users_created: int
    actions: int = 0
    intervals: int = 0


def _check(session: Session, document: OrganisationFile) -> tuple[list[str], dict[str, Photo]]:
    """Every problem of a parsed file, checked against the catalogue and the target database."""
    problems: list[str] = []
    photos: dict[str, Photo] = {}
    catalogue = _catalogue()
    known_items = {item.id for item in catalogue.items}

    if session.scalar(select(Organisation.id).where(Organisation.name == document.organisation.name)):
        problems.append(
            _("{path}: an organisation called {name} already exists here").format(
                path="organisation.name", name=repr(document.organisation.name)
            )
        )
    emails: set[str] = set()
    for n, person in enumerate(document.people):
        if person.email in emails:
            problems.append(_("{path}: {email} is listed twice").format(path=f"people[{n}].email", email=person.email))
        emails.add(person.email)

    def known_person(path: str, email: str | None) -> None:
        if email is not None and email not in emails:
            problems.append(_("{path}: {email} is not listed in people").format(path=path, email=email))

    site_names: set[str] = set()
    for s, site in enumerate(document.sites):
        site_path = f"sites[{s}]"
        if site.name in site_names:
            problems.append(
                _("{path}: another site is called {name}").format(path=f"{site_path}.name", name=repr(site.name))
            )
        site_names.add(site.name)
        if site.setting not in catalogue.settings:
            problems.append(
                _("{path}: unknown setting {setting} (one of {settings})").format(
                    path=f"{site_path}.setting", setting=repr(site.setting), settings=", ".join(catalogue.settings)
                )
            )
            continue
        room_names: set[str] = set()
        for r, room in enumerate(site.rooms):
            room_path = f"{site_path}.rooms[{r}]"
            if room.name in room_names:
                problems.append(
                    _("{path}: another room of this site is called {name}").format(
                        path=f"{room_path}.name", name=repr(room.name)
                    )
                )
            room_names.add(room.name)
            if (site.setting, room.room_type) not in catalogue.checklists:
                known = ", ".join(catalogue.room_types(site.setting))
                problems.append(
                    _("{path}: unknown room type {room_type} for a {setting} (one of {known})").format(
                        path=f"{room_path}.room_type", room_type=repr(room.room_type), setting=site.setting, known=known
                    )
                )
                continue
            applicable = catalogue.checklist(site.setting, room.room_type).by_id()

            where = _("a {room_type} in a {setting}").format(room_type=room.room_type, setting=site.setting)

            for a, assessment in enumerate(room.assessments):
                base = f"{room_path}.assessments[{a}]"
                known_person(f"{base}.assessor_email", assessment.assessor_email)
                known_person(f"{base}.reviewed_by", assessment.reviewed_by)
                for item_id, raw in assessment.responses.items():
                    path = f"{base}.responses.{item_id}"
                    if item_applies(path, item_id, applicable, where, known_items, problems):
                        try:
                            parse_answer(applicable[item_id], raw)
                        except AnswerError as error:
                            problems.append(f"{path}: {error}")
                for item_id in assessment.notes:
                    item_applies(f"{base}.notes.{item_id}", item_id, applicable, where, known_items, problems)
                for item_id, answered in assessment.answered.items():
                    path = f"{base}.answered.{item_id}"
                    if item_id not in assessment.responses and item_id not in assessment.notes:
                        problems.append(_("{path}: there is no response or note for this item").format(path=path))
                    known_person(f"{path}.by", answered.by)
                for e, entry in enumerate(assessment.evidence):
                    path = f"{base}.evidence[{e}]"
                    item_applies(f"{path}.item_id", entry.item_id, applicable, where, known_items, problems)
                    known_person(f"{path}.uploaded_by", entry.uploaded_by)
                    photo = check_photo_entry(session, path, entry, problems)
                    if photo is not None:
                        photos[path] = photo
            check_actions(room_path, room, applicable, where, known_items, known_person, problems)
    seen: set[tuple[str, str]] = set()
    for n, interval in enumerate(document.intervals):
        path, key = f"intervals[{n}]", (interval.setting, interval.room_type)
        if interval.setting not in catalogue.settings:
            problems.append(
                _("{path}: unknown setting {setting} (one of {settings})").format(
                    path=f"{path}.setting", setting=repr(interval.setting), settings=", ".join(catalogue.settings)
                )
            )
        elif key not in catalogue.checklists:
            known = ", ".join(catalogue.room_types(interval.setting))
            problems.append(
                _("{path}: unknown room type {room_type} for a {setting} (one of {known})").format(
                    path=f"{path}.room_type", room_type=repr(interval.room_type), setting=interval.setting, known=known
                )
            )
        elif key in seen:
            problems.append(
                _("{path}: the {room_type} of a {setting} has another interval above").format(
                    path=path, room_type=interval.room_type, setting=interval.setting
                )
            )
        seen.add(key)
    return problems, photos


def import_organisation(session: Session, data: object, *, user: UserLike | None = None) -> ImportResult:
    """Restore an exported organisation as a new organisation, all or nothing.

    Everything is checked first: the shape (pydantic), every answer against the catalogue, every
    reference (people, items, photos), and that no organisation of that name exists. Any problem
    raises ImportProblems listing them all, and the database is left as it was. People are
    matched by email; those not yet here are created without a password. `user`, when given,
    must be an admin (the command line imports as the system).
    """
    with _writing(session):
        actor: Actor | None = None
        if user is not None:
            actor = _acting(session, user)
            _require(actor, _ADMINS, N_("import organisations"))
        try:
            document = OrganisationFile.model_validate(data)
        except ValidationError as error:
            raise ImportProblems(pydantic_problems(error)) from None
        problems, photos = _check(session, document)
        if problems:
            raise ImportProblems(problems)
        result = _write(session, actor, document, photos)
    return result


def _write(session: Session, actor: Actor | None, document: OrganisationFile, photos: dict[str, Photo]) -> ImportResult:
    catalogue = _catalogue()
    now = utcnow()
    organisation = Organisation(name=document.organisation.name)
    session.add(organisation)
    session.flush()

    existing = {
        u.email: u for u in session.scalars(select(User).where(User.email.in_([p.email for p in document.people])))
    }
    created = 0
    for person in document.people:
        if person.email not in existing:
            existing[person.email] = User(name=person.name, email=person.email, role=person.role)
            session.add(existing[person.email])
            created += 1
    session.flush()
    members = [p.email for p in document.people if p.member]
    if members:
        session.execute(
            insert(memberships),
            [{"user_id": existing[email].id, "organisation_id": organisation.id} for email in members],
        )

    def user_id(email: str | None) -> int | None:
        return None if email is None else existing[email].id

    counts = {"sites": 0, "rooms": 0, "assessments": 0, "responses": 0, "evidence": 0, "actions": 0, "intervals": 0}
    pending: list[tuple[Assessment, AssessmentEntry, str, str, str]] = []
    planned: list[tuple[Room, list[Assessment], list[ActionEntry]]] = []
    for s, site_entry in enumerate(document.sites):
        site = Site(organisation=organisation, name=site_entry.name, setting=site_entry.setting,
                    address=site_entry.address)  # fmt: skip
        session.add(site)
        counts["sites"] += 1
        for r, room_entry in enumerate(site_entry.rooms):
            room = Room(site=site, name=room_entry.name, room_type=room_entry.room_type, floor=room_entry.floor,
                        capacity=room_entry.capacity)  # fmt: skip
            session.add(room)
            counts["rooms"] += 1
            room_assessments: list[Assessment] = []
            planned.append((room, room_assessments, room_entry.actions))
            for a, entry in enumerate(room_entry.assessments):
                assessment = Assessment(
                    room=room,
                    assessor_id=user_id(entry.assessor_email),
                    assessor=entry.assessor,
                    assessed_on=entry.date,
                    status=entry.status,
                    # Another store's organisation criteria do not come along (nor do its organisation
                    # ids mean the same here): an imported assessment records the catalogue version alone.
                    catalogue_version=base_version(entry.catalogue_version),
                    review_comment=entry.review_comment,
                    provisional_reason=entry.provisional_reason,
                    submitted_at=aware(entry.submitted_at),
                    reviewed_at=aware(entry.reviewed_at),
                    reviewed_by_id=user_id(entry.reviewed_by),
                    created_at=now,
                    updated_at=now,
                )
                session.add(assessment)
                room_assessments.append(assessment)
                pending.append((assessment, entry, site_entry.setting, room_entry.room_type,
                                f"sites[{s}].rooms[{r}].assessments[{a}]"))  # fmt: skip
    # One flush gives every assessment its id; answers then go in with bulk inserts.
    session.flush()

    response_rows: list[dict[str, Any]] = []
    answer_rows: list[dict[str, Any]] = []
    for assessment, entry, setting, room_type, path in pending:
        counts["assessments"] += 1
        applicable = catalogue.checklist(setting, room_type).by_id()
        for item_id in sorted(set(entry.responses) | set(entry.notes)):
            answered = entry.answered.get(item_id)
            value: Any = None
            na = False
            if item_id in entry.responses:
                answer = parse_answer(applicable[item_id], entry.responses[item_id])
                value, na = stored_value(answer), answer == NA
                answer_rows.extend(answer_row_dicts(assessment.id, item_id, answer))
                counts["responses"] += 1
            response_rows.append(
                {
                    "assessment_id": assessment.id,
                    "item_id": item_id,
                    "value": value,
                    "na": na,
                    "note": entry.notes.get(item_id) or None,
                    "answered_by_id": user_id(answered.by) if answered else None,
                    "answered_at": (aware(answered.at) if answered else None) or now,
                }
            )
        for e, photo_entry in enumerate(entry.evidence):
            photo = photos[f"{path}.evidence[{e}]"]
            record = Evidence(
                assessment_id=assessment.id,
                item_id=photo_entry.item_id,
                file_name=photo_entry.file_name,
                content_type=photo_entry.content_type,
                size=photo_entry.size,
                sha256=photo_entry.sha256,
                caption=photo_entry.caption,
                uploaded_by_id=user_id(photo_entry.uploaded_by),
                uploaded_at=aware(photo_entry.uploaded_at) or now,
            )
            if session.get_bind().dialect.name == "sqlite":
                extension = next(ext for kind, ext in PHOTO_FORMATS.values() if kind == photo_entry.content_type)
                record.stored_path = evidence_path(photo_entry.sha256, extension)
                if photo.content is not None:
                    store_photo_file(record.stored_path, photo.content)
            else:
                record.content = photo.content
            session.add(record)
            counts["evidence"] += 1
    counts["actions"] = _write_actions(session, organisation, planned, user_id, now)
    for interval in document.intervals:
        row = ReassessmentInterval(organisation_id=organisation.id, setting=interval.setting,
                                   room_type=interval.room_type, months=interval.months, updated_at=now)  # fmt: skip
        session.add(row)
        counts["intervals"] += 1
    if response_rows:
        session.execute(insert(Response), response_rows)
    if answer_rows:
        session.execute(insert(AnswerRow), answer_rows)
    session.flush()
    _audit(
        session, actor, organisation.id, "import", "organisations", organisation.id, None,
        {"name": organisation.name, **counts, "users_created": created},
    )  # fmt: skip
    return ImportResult(
        organisation_id=organisation.id,
        organisation_name=organisation.name,
        users_created=created,
        **counts,
    )


def _write_actions(
    session: Session,
    organisation: Organisation,
    planned: list[tuple[Room, list[Assessment], list[ActionEntry]]],
    user_id: Callable[[str | None], int | None],
    now: dt.datetime,
) -> int:
    """Add each room's actions (its assessments have their ids by now); returns how many."""
    added = 0
    for room, assessments, entries in planned:
        ids = [a.id for a in assessments]
        for entry in entries:
            session.add(
                PlannedAction(
                    organisation_id=organisation.id,
                    room_id=room.id,
                    item_id=entry.item_id,
                    owner_id=user_id(entry.owner),
                    due_on=entry.due_on,
                    cost_estimate=entry.cost_estimate,
                    note=entry.note,
                    status=entry.status,
                    source_assessment_id=None if entry.planned_from is None else ids[entry.planned_from],
                    score_before=entry.score_before,
                    gain=entry.gain,
                    checked_assessment_id=None if entry.checked_by is None else ids[entry.checked_by],
                    check_note=entry.check_note,
                    created_by_id=user_id(entry.created_by),
                    created_at=aware(entry.created_at) or now,
                    updated_at=aware(entry.updated_at) or now,
                    done_at=aware(entry.done_at),
                    verified_at=aware(entry.verified_at),
                )
            )
            added += 1
    session.flush()
    return added
