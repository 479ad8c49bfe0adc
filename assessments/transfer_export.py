"""Exporting an organisation: every site, room, assessment, answer, note, photo and action, and the
re-assessment intervals, as one JSON document.

The document has a fixed order and fixed keys and no database ids, so export -> import -> export
gives the same JSON (see `assessments.transfer`).
"""

from __future__ import annotations

import base64
import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessments.access import UserLike, _acting, _require
from assessments.evidence import read_evidence_bytes
from assessments.models import (
    Assessment,
    Evidence,
    PlannedAction,
    ReassessmentInterval,
    Response,
    Role,
    Room,
    Site,
    User,
    memberships,
)
from assessments.people import get_organisation
from assessments.transfer_format import FORMAT, FORMAT_VERSION
from checklists.i18n import N_

__all__ = ["export_organisation"]


def _when(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(dt.UTC).isoformat()


def export_organisation(
    session: Session, user: UserLike, org_id: int, *, include_photos: bool = False
) -> dict[str, Any]:
    """The whole organisation as one JSON-ready document, in a fixed order with fixed keys.

    Managers, consultants and admins may export. With `include_photos` each photo carries its
    image (base64), so the file restores into a database that does not share this data folder.
    """
    actor = _acting(session, user)
    organisation = get_organisation(session, user, org_id)
    _require(actor, frozenset({Role.manager, Role.consultant, Role.admin}), N_("export organisations"))

    sites = list(session.scalars(select(Site).where(Site.organisation_id == org_id).order_by(Site.name)))
    rooms = list(
        session.scalars(select(Room).join(Site).where(Site.organisation_id == org_id).order_by(Room.name, Room.id))
    )
    assessments = list(
        session.scalars(
            select(Assessment)
            .join(Room, Assessment.room_id == Room.id)
            .join(Site)
            .where(Site.organisation_id == org_id)
            .order_by(Assessment.assessed_on, Assessment.id)
        )
    )
    assessment_ids = [a.id for a in assessments]
    responses: dict[int, list[Response]] = defaultdict(list)
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    # Chunked so that no single IN list grows past what the databases accept.
    for start in range(0, len(assessment_ids), 5000):
        chunk = assessment_ids[start : start + 5000]
        for response in session.scalars(
            select(Response).where(Response.assessment_id.in_(chunk)).order_by(Response.item_id)
        ):
            responses[response.assessment_id].append(response)
        stmt = select(Evidence).where(Evidence.assessment_id.in_(chunk)).order_by(Evidence.id)
        for record in session.scalars(stmt):
            evidence[record.assessment_id].append(record)

    actions: dict[int, list[PlannedAction]] = defaultdict(list)
    for action in session.scalars(
        select(PlannedAction)
        .where(PlannedAction.organisation_id == org_id)
        .order_by(PlannedAction.created_at, PlannedAction.id)
    ):
        actions[action.room_id].append(action)
    intervals = list(
        session.scalars(
            select(ReassessmentInterval)
            .where(ReassessmentInterval.organisation_id == org_id)
            .order_by(ReassessmentInterval.setting, ReassessmentInterval.room_type)
        )
    )

    member_ids = set(session.scalars(select(memberships.c.user_id).where(memberships.c.organisation_id == org_id)))
    named_ids = set(member_ids)
    for a in assessments:
        named_ids.update(i for i in (a.assessor_id, a.reviewed_by_id) if i is not None)
        named_ids.update(r.answered_by_id for r in responses[a.id] if r.answered_by_id is not None)
        named_ids.update(e.uploaded_by_id for e in evidence[a.id] if e.uploaded_by_id is not None)
    for room_actions in actions.values():
        named_ids.update(i for a in room_actions for i in (a.owner_id, a.created_by_id) if i is not None)
    people = {u.id: u for u in session.scalars(select(User).where(User.id.in_(sorted(named_ids))))}

    def email(user_id: int | None) -> str | None:
        return None if user_id is None or user_id not in people else people[user_id].email

    def assessment_entry(a: Assessment) -> dict[str, Any]:
        rows = responses[a.id]
        photos = sorted(evidence[a.id], key=lambda e: (e.item_id, e.uploaded_at, e.sha256, e.file_name))
        return {
            "date": a.assessed_on.isoformat(),
            "assessor": a.assessor,
            "assessor_email": email(a.assessor_id),
            "status": a.status.value,
            "catalogue_version": a.catalogue_version,
            "review_comment": a.review_comment,
            "provisional_reason": a.provisional_reason,
            "submitted_at": _when(a.submitted_at),
            "reviewed_at": _when(a.reviewed_at),
            "reviewed_by": email(a.reviewed_by_id),
            "responses": {r.item_id: r.value for r in rows if r.value is not None},
            "notes": {r.item_id: r.note for r in rows if r.note},
            "answered": {r.item_id: {"by": email(r.answered_by_id), "at": _when(r.answered_at)} for r in rows},
            "evidence": [photo_entry(e) for e in photos],
        }

    def photo_entry(e: Evidence) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "item_id": e.item_id,
            "file_name": e.file_name,
            "content_type": e.content_type,
            "size": e.size,
            "sha256": e.sha256,
            "caption": e.caption,
            "uploaded_by": email(e.uploaded_by_id),
            "uploaded_at": _when(e.uploaded_at),
        }
        if include_photos:
            entry["content"] = base64.b64encode(read_evidence_bytes(e)).decode("ascii")
        return entry

    by_room: dict[int, list[Assessment]] = defaultdict(list)
    for a in assessments:
        by_room[a.room_id].append(a)
    # An action names its assessments by their place in the room's list (the file has no ids).
    place = {a.id: n for room_assessments in by_room.values() for n, a in enumerate(room_assessments)}

    def action_entry(a: PlannedAction) -> dict[str, Any]:
        return {
            "item_id": a.item_id,
            "owner": email(a.owner_id),
            "due_on": a.due_on.isoformat(),
            "cost_estimate": a.cost_estimate,
            "note": a.note,
            "status": a.status.value,
            "planned_from": place.get(a.source_assessment_id or 0),
            "score_before": a.score_before,
            "gain": a.gain,
            "checked_by": place.get(a.checked_assessment_id or 0),
            "check_note": a.check_note,
            "created_by": email(a.created_by_id),
            "created_at": _when(a.created_at),
            "updated_at": _when(a.updated_at),
            "done_at": _when(a.done_at),
            "verified_at": _when(a.verified_at),
        }

    by_site: dict[int, list[Room]] = defaultdict(list)
    for room in rooms:
        by_site[room.site_id].append(room)

    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "organisation": {"name": organisation.name},
        "people": [
            {"email": u.email, "name": u.name, "role": u.role.value, "member": u.id in member_ids}
            for u in sorted(people.values(), key=lambda u: u.email)
        ],
        "sites": [
            {
                "name": site.name,
                "setting": site.setting,
                "address": site.address,
                "rooms": [
                    {
                        "name": room.name,
                        "room_type": room.room_type,
                        "floor": room.floor,
                        "capacity": room.capacity,
                        "assessments": [assessment_entry(a) for a in by_room[room.id]],
                        "actions": [action_entry(a) for a in actions[room.id]],
                    }
                    for room in by_site[site.id]
                ],
            }
            for site in sites
        ],
        "intervals": [{"setting": i.setting, "room_type": i.room_type, "months": i.months} for i in intervals],
    }
