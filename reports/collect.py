"""Gathering a report from the store: `collect_report` reads the scope through the repository,
types the stored answers with the one decoding (`checklists.stored_answers.decode_stored`) and scores
every assessment with the engine into the plain dataclasses of `reports.data`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from assessments import repository
from assessments.catalogue_versions import CatalogueChooser
from assessments.errors import StoreError
from assessments.latest import latest_per_room
from assessments.models import AssessmentStatus, Room, Site
from assessments.repository import UserLike
from checklists.i18n import DEFAULT_LANGUAGE, _, language, ngettext
from checklists.loader import default_catalogue
from checklists.schema import Catalogue
from checklists.stored_answers import AnswerRow, decode_stored, raw_from_rows
from checklists.translations import localized
from reports.errors import ReportScopeError
from reports.output import Progress, no_progress
from reports.versions import rescored_history

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # only the store imports SQLAlchemy at run time

from reports.calibration import collect_organisation_calibration
from reports.data import (
    REPORTED_STATUSES,
    THUMBNAIL_SIDE,
    ActionEntry,
    AssessmentReport,
    Photo,
    ReportData,
    RoomReport,
    SiteReport,
    make_assessment,
    make_plan,
)

__all__ = ["collect_report"]


# --------------------------------------------------------------------------------------------
# From the store
# --------------------------------------------------------------------------------------------


def collect_report(
    session: Session,
    user: UserLike,
    *,
    org_id: int,
    site_id: int | None = None,
    room_ids: Sequence[int] | None = None,
    include_drafts: bool = False,
    notes: Literal["all", "latest"] = "all",
    photos: bool = True,
    progress: Progress | None = None,
    catalogue: Catalogue | None = None,
) -> ReportData:
    """Gather and score everything a report on this scope shows, through the store's repository.

    Answers of every assessment come from the store's answers table in one read, and notes in one
    more; with `photos`, thumbnails take one read per assessment. `notes="latest"` keeps notes only
    for each room's latest assessment, which is all a workbook of a large portfolio shows.

    The scope is an organisation, optionally narrowed to one of its sites and/or to chosen rooms.
    Raises ReportScopeError, with a sentence saying what is wrong, when the organisation, site or a
    room is unknown to this user, when the scope holds no room, when a chosen room has no finished
    assessment, or when no room in scope has one.
    """
    report = progress or no_progress
    default = catalogue is None
    catalogue = catalogue or default_catalogue()
    try:
        organisation = repository.get_organisation(session, user, org_id)
        sites = repository.list_sites(session, user, org_id)
        # An organisation with criteria of its own is reported under them: the methodology appendix
        # describes them, and drafts and re-scored views follow them.
        catalogue = repository.criteria_catalogue(session, user, org_id) if default else catalogue
    except StoreError as error:
        raise ReportScopeError(str(error)) from error
    if site_id is not None:
        sites = [s for s in sites if s.id == site_id]
        if not sites:
            raise ReportScopeError(f"There is no site {site_id} in {organisation.name}.")
    rooms_by_site: dict[int, list[Room]] = {}
    try:
        for site in sites:
            rooms_by_site[site.id] = repository.list_rooms(session, user, site.id)
    except StoreError as error:
        raise ReportScopeError(str(error)) from error
    if room_ids is not None:
        chosen = set(room_ids)
        if not chosen:
            raise ReportScopeError("No rooms were chosen: pick at least one room for the report.")
        known = {room.id for rooms in rooms_by_site.values() for room in rooms}
        unknown = sorted(chosen - known)
        if unknown:
            where = f"site {sites[0].name}" if site_id is not None else organisation.name
            listed = ", ".join(str(i) for i in unknown)
            many = len(unknown) > 1
            raise ReportScopeError(f"Room{'s' if many else ''} {listed} {'are' if many else 'is'} not in {where}.")
        rooms_by_site = {sid: [r for r in rooms if r.id in chosen] for sid, rooms in rooms_by_site.items()}
    total_rooms = sum(len(rooms) for rooms in rooms_by_site.values())
    if total_rooms == 0:
        where = f"The site {sites[0].name}" if site_id is not None else organisation.name
        raise ReportScopeError(f"{where} has no rooms yet: add rooms and assess them before making a report.")

    try:
        heads, answer_table = repository.load_portfolio_frames(
            session,
            user,
            org_ids=[org_id],
            site_ids=None if site_id is None else [site_id],
            room_ids=None if room_ids is None else sorted(set(room_ids)),
        )
    except StoreError as error:
        raise ReportScopeError(str(error)) from error
    statuses = (*REPORTED_STATUSES, AssessmentStatus.draft.value) if include_drafts else REPORTED_STATUSES
    heads = heads.sort_values(["assessed_on", "assessment_id"])
    by_room: dict[int, list[Mapping[Any, Any]]] = {}
    for row in heads[heads["status"].isin(statuses)].to_dict("records"):
        by_room.setdefault(int(row["room_id"]), []).append(row)
    # A draft newer than the assessment a room is reported on, or a room with nothing but a draft:
    # someone is working on the room.
    latest = latest_per_room(heads, final=statuses)
    in_progress = latest["draft_newer_on"].where(latest["status"].isin(statuses), latest["assessed_on"])
    drafts: dict[int, dt.date] = {
        int(room_id): day.date()
        for room_id, day in zip(latest["room_id"], in_progress, strict=True)
        if not pd.isna(day)
    }

    raw_answers = _raw_answers(answer_table)
    # Notes of every assessment whose details the report shows, in one read.
    wanted = [int(rows[n]["assessment_id"]) for rows in by_room.values() for n in range(len(rows))
              if notes == "all" or n == len(rows) - 1]  # fmt: skip
    all_notes = repository.notes_by_assessment(session, user, wanted)
    # Each assessment is scored under the catalogue version it was taken with.
    chooser = CatalogueChooser(session, catalogue)
    # The catalogue's words in the report's language (questions, titles, how to fix): the same ids,
    # scores and targets, so scores do not change; earlier versions keep their own words.
    words = catalogue if language() == DEFAULT_LANGUAGE else localized(catalogue, language()).catalogue

    def pick(version: str, status: str, key: tuple[str, str]) -> Catalogue:
        chosen = chooser(version, status, key)
        return words if chosen is catalogue else chosen

    site_reports = []
    done = 0
    for site in sites:
        room_reports = []
        for room in rooms_by_site[site.id]:
            done += 1
            report(
                done - 1,
                total_rooms,
                _("Scoring room {done} of {total}: {room}").format(done=done, total=total_rooms, room=room.name),
            )
            rows = by_room.get(room.id, [])
            assessments = tuple(
                _assessment_report(
                    session,
                    user,
                    pick(str(row["catalogue_version"]), row["status"], (site.setting, room.room_type)),
                    site,
                    room,
                    row,
                    raw_answers.get(int(row["assessment_id"]), {}),
                    all_notes.get(int(row["assessment_id"]), {}),
                    details=notes == "all" or n == len(rows) - 1,
                    photos=photos,
                )
                for n, row in enumerate(rows)
            )
            draft_on = drafts.get(room.id)
            rescored = rescored_history(catalogue, chooser, site.setting, room.room_type, assessments, raw_answers)
            room_reports.append(
                RoomReport(
                    id=room.id,
                    name=room.name,
                    room_type=room.room_type,
                    room_type_title=_room_type_title(words, site.setting, room.room_type),
                    floor=room.floor,
                    capacity=room.capacity,
                    site_id=site.id,
                    site_name=site.name,
                    setting=site.setting,
                    assessments=assessments,
                    draft_on=draft_on,
                    rescored=rescored,
                )
            )
        if room_reports:
            site_reports.append(
                SiteReport(
                    id=site.id,
                    name=site.name,
                    setting=site.setting,
                    setting_title=words.settings.get(site.setting, site.setting),
                    address=site.address,
                    rooms=tuple(room_reports),
                )
            )
    report(total_rooms, total_rooms, _("Scores ready"))

    all_rooms = [room for site in site_reports for room in site.rooms]
    unassessed = [room for room in all_rooms if room.latest is None]
    finished = "assessment" if include_drafts else "submitted assessment"
    if room_ids is not None and unassessed:
        names = ", ".join(f"{room.name} ({room.site_name})" for room in unassessed)
        verb = "has" if len(unassessed) == 1 else "have"
        raise ReportScopeError(
            f"No report: {names} {verb} no {finished} yet. Leave the room out, or submit its assessment first."
        )
    if len(unassessed) == len(all_rooms):
        where = f"the site {site_reports[0].name}" if site_id is not None else organisation.name
        if len(all_rooms) == 1:
            message = f"No report: the only room of {where}, {all_rooms[0].name}, has no {finished} yet."
        else:
            message = f"No report: none of the {len(all_rooms)} rooms of {where} has a {finished} yet."
        raise ReportScopeError(message)

    if room_ids is not None:
        scope = ngettext("{n} selected room", "{n} selected rooms", len(all_rooms)).format(n=len(all_rooms))
    elif site_id is not None:
        scope = _("Site: {name}").format(name=site_reports[0].name)
    else:
        scope = _("Whole organisation")
    return ReportData(
        organisation_id=organisation.id,
        organisation_name=organisation.name,
        scope=scope,
        sites=tuple(site_reports),
        catalogue=words,
        action_plan=make_plan(words, site_reports),
        include_drafts=include_drafts,
        calibration=collect_organisation_calibration(session, user, org_id, catalogue),
        actions=_actions(session, user, org_id, {room.id for room in all_rooms}),
    )


_ACTION_ORDER = {"open": 0, "in_progress": 0, "done": 1, "verified": 2}


def _actions(session: Session, user: UserLike, org_id: int, rooms: set[int]) -> tuple[ActionEntry, ...]:
    """The actions on the rooms in scope, to do first (soonest due first), then done, then verified."""
    today = dt.date.today()
    found = [a for a in repository.list_actions(session, user, organisation_id=org_id) if a.room_id in rooms]
    found.sort(key=lambda a: (_ACTION_ORDER[a.status], a.due_on, a.site_name, a.room_name, a.id))
    return tuple(
        ActionEntry(
            room_id=a.room_id,
            room_name=a.room_name,
            site_name=a.site_name,
            item_id=a.item_id,
            question=a.question,
            owner=a.owner_name,
            due_on=a.due_on,
            status=a.status,
            overdue=a.overdue(today),
            gain=a.gain,
            cost_estimate=a.cost_estimate,
            note=a.note,
            check_note=a.check_note,
            verified_on=a.checked_on if a.status == "verified" else None,
        )
        for a in found
    )


def _room_type_title(catalogue: Catalogue, setting: str, room_type: str) -> str:
    try:
        return catalogue.checklist(setting, room_type).room_type_title
    except KeyError:
        return room_type.replace("_", " ").capitalize()


def _raw_answers(table: pd.DataFrame) -> dict[int, dict[str, object]]:
    """The answers table back in assessment-file form: assessment id -> item id -> raw answer
    (`checklists.stored_answers.raw_from_rows`); `decode_stored` then types them against the catalogue."""
    grouped: dict[int, dict[str, list[AnswerRow]]] = {}
    columns = zip(
        table["assessment_id"].to_numpy(),
        table["item_id"].to_numpy(),
        table["na"].to_numpy(),
        table["num"].to_numpy(),
        table["freq"].to_numpy(),
        table["text"].to_numpy(),
        strict=True,
    )
    for assessment_id, item_id, na, num, freq, text in columns:
        row: AnswerRow = (bool(na), _number(num), _number(freq), text if isinstance(text, str) else None)
        grouped.setdefault(int(assessment_id), {}).setdefault(str(item_id), []).append(row)
    return {aid: {item_id: raw_from_rows(rows) for item_id, rows in items.items()} for aid, items in grouped.items()}


def _number(value: object) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)  # type: ignore[arg-type]


def _assessment_report(
    session: Session,
    user: UserLike,
    catalogue: Catalogue,
    site: Site,
    room: Room,
    row: Mapping[str, Any],
    raw_answers: Mapping[str, object],
    item_notes: Mapping[str, str],
    *,
    details: bool,
    photos: bool,
) -> AssessmentReport:
    assessment_id = int(row["assessment_id"])
    decoded = decode_stored(catalogue, catalogue.checklist(site.setting, room.room_type), raw_answers)
    notes = dict(item_notes) if details else {}
    pictures: list[Photo] = []
    if details and photos:
        for evidence in repository.list_evidence(session, user, assessment_id):
            try:
                content = repository.evidence_content(session, user, evidence.id)
            except StoreError:
                continue  # a photo file gone missing from the data folder must not stop the report
            small = repository.thumbnail(content, THUMBNAIL_SIDE)
            if small is not None:
                pictures.append(Photo(evidence.id, evidence.item_id, evidence.file_name, evidence.caption, small))
    reason = row.get("provisional_reason")
    return make_assessment(
        catalogue,
        id=assessment_id,
        room_id=room.id,
        setting=site.setting,
        room_type=room.room_type,
        assessed_on=row["assessed_on"].date(),
        assessor=str(row["assessor"]),
        status=str(row["status"]),
        answers=decoded.answers,
        notes=notes,
        photos=pictures,
        retired=decoded.retired,
        catalogue_version=catalogue.version,
        provisional_reason=reason if isinstance(reason, str) and reason else None,
    )
