"""Everything a report shows, gathered once from the store and scored by the engine: `collect_report`.

The writers (PDF, workbook, CSV, JSON) read only the plain dataclasses defined here, never the
store, so every export of one scope shows the same numbers, and tests and benchmarks can build a
`ReportData` by hand. Scores are `scoring.engine.RoomScore`s, computed from the stored answers with
the current catalogue, exactly as the Room screen and `sensory-audit score` compute them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

import pandas as pd

from assessments import repository
from assessments.errors import StoreError
from assessments.latest import FINAL_STATUSES, latest_per_room
from assessments.models import AssessmentStatus, Room, Site
from assessments.repository import UserLike
from checklists.loader import default_catalogue
from checklists.responses import Answer, AnswerRow, RetiredAnswer, answer_to_json, decode_stored, raw_from_rows
from checklists.schema import Catalogue, ItemKind, RoomChecklist, Target
from reports.errors import ReportScopeError
from reports.labels import format_answer
from reports.output import Progress, no_progress
from scoring.actions import Candidate, plan_key
from scoring.engine import RoomScore, evaluate, room_score

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # only the store imports SQLAlchemy at run time

__all__ = [
    "REPORTED_STATUSES",
    "AssessmentReport",
    "ItemAnswer",
    "Photo",
    "PlanEntry",
    "ReportData",
    "RoomReport",
    "SiteReport",
    "collect_report",
    "flat_value",
    "make_assessment",
    "make_plan",
]

# A report shows finished work: drafts are still being filled in, so by default a room is reported
# on its newest submitted or reviewed assessment (and the scorecard says when a newer draft exists).
REPORTED_STATUSES = FINAL_STATUSES
# Photos go into the PDF as thumbnails no larger than this many pixels a side.
THUMBNAIL_SIDE = 480


@dataclass(frozen=True)
class Photo:
    """A photo taken as evidence for one item, as a small JPEG ready to print."""

    evidence_id: int
    item_id: str
    file_name: str
    caption: str | None
    thumbnail: bytes


@dataclass(frozen=True)
class ItemAnswer:
    """One checklist item of one assessment: what was seen, what it scored, and the assessor's note."""

    item_id: str
    category: str
    kind: str
    question: str
    status: str  # answered, not_applicable or missing (scoring.engine.ItemStatus)
    answer: Answer | None
    answer_text: str
    score: float | None  # 0..1, rounded to 3 decimals as in RoomScore; None unless answered and scored
    weight: float
    critical: bool
    failed_critical: bool
    note: str | None
    target: Target | None
    unit: str | None

    @property
    def value(self) -> Any:
        """The answer in its assessment-file (JSON) form: 'yes', 420, [420, 610], {percent, frequency_hz}, 'n/a'."""
        return None if self.answer is None else answer_to_json(self.answer)


@dataclass(frozen=True)
class AssessmentReport:
    """One assessment of one room: its answers, the assessor's notes, photos and the engine's score."""

    id: int
    room_id: int
    assessed_on: dt.date
    assessor: str
    status: str
    catalogue_version: str
    provisional_reason: str | None
    score: RoomScore
    checklist: RoomChecklist
    answers: Mapping[str, Answer]
    item_notes: Mapping[str, str] = field(default_factory=dict)
    photos: tuple[Photo, ...] = ()
    # Stored answers the current catalogue no longer accepts (scored as missing, shown as retired).
    retired: tuple[RetiredAnswer, ...] = ()
    # The fixes with their unrounded gains, for ranking a portfolio plan exactly as the screens do.
    plan: tuple[Candidate, ...] = ()

    @cached_property
    def items(self) -> tuple[ItemAnswer, ...]:
        """Every item of the room's checklist, in checklist order.

        Laid out on first use: a workbook of a large portfolio lists only the latest assessments'
        items, and skipping the rest saves seconds.
        """
        score = self.score
        failed = set(score.critical_failures)
        items = []
        for resolved in self.checklist.items:
            item = resolved.item
            result = score.items[item.id]
            answer = self.answers.get(item.id)
            items.append(
                ItemAnswer(
                    item_id=item.id,
                    category=item.category,
                    kind=item.kind.value,
                    question=item.question,
                    status=str(result.status),
                    answer=answer,
                    answer_text=format_answer(item, answer),
                    score=result.score,
                    weight=result.weight,
                    critical=item.critical,
                    failed_critical=item.id in failed,
                    note=self.item_notes.get(item.id),
                    target=resolved.target,
                    unit=item.unit,
                )
            )
        return tuple(items)

    @property
    def readings(self) -> tuple[ItemAnswer, ...]:
        """Measured items (measurements and flicker), answered or not."""
        return tuple(i for i in self.items if i.kind in (ItemKind.measurement.value, ItemKind.flicker.value))

    @property
    def notes(self) -> tuple[ItemAnswer, ...]:
        return tuple(i for i in self.items if i.note)


@dataclass(frozen=True)
class RoomReport:
    id: int
    name: str
    room_type: str
    room_type_title: str
    floor: int | None
    capacity: int | None
    site_id: int
    site_name: str
    setting: str
    assessments: tuple[AssessmentReport, ...]  # oldest first
    # The date of a draft assessment newer than the latest reported one, if someone is working on it.
    draft_on: dt.date | None = None

    @property
    def latest(self) -> AssessmentReport | None:
        return self.assessments[-1] if self.assessments else None

    @property
    def score(self) -> RoomScore | None:
        latest = self.latest
        return None if latest is None else latest.score


@dataclass(frozen=True)
class SiteReport:
    id: int
    name: str
    setting: str
    setting_title: str
    address: str | None
    rooms: tuple[RoomReport, ...]

    @property
    def assessed_rooms(self) -> tuple[RoomReport, ...]:
        return tuple(r for r in self.rooms if r.latest is not None)


@dataclass(frozen=True)
class PlanEntry:
    """One fix of the portfolio action plan: a room's action from its latest assessment."""

    rank: int
    room_id: int
    room_name: str
    site_name: str
    assessment_id: int
    item_id: str
    category: str
    question: str
    gain: float
    effort: str
    critical: bool  # the item is critical
    failed_critical: bool  # and it failed in this room (it caps the room's band at C)
    how_to_fix: str


@dataclass(frozen=True)
class ReportData:
    """A report's whole content: one organisation, the sites and rooms in scope, scores and the action plan."""

    organisation_id: int
    organisation_name: str
    scope: str  # what was chosen, in words: "Whole organisation", "Site: ...", "3 selected rooms"
    sites: tuple[SiteReport, ...]
    catalogue: Catalogue
    action_plan: tuple[PlanEntry, ...]
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    include_drafts: bool = False

    @cached_property
    def rooms(self) -> tuple[RoomReport, ...]:
        return tuple(room for site in self.sites for room in site.rooms)

    @cached_property
    def assessed_rooms(self) -> tuple[RoomReport, ...]:
        return tuple(room for room in self.rooms if room.latest is not None)

    @cached_property
    def assessments(self) -> tuple[AssessmentReport, ...]:
        return tuple(a for room in self.rooms for a in room.assessments)

    @property
    def period(self) -> tuple[dt.date, dt.date] | None:
        """First and last date of the assessments in the report."""
        dates = [a.assessed_on for a in self.assessments]
        return (min(dates), max(dates)) if dates else None

    @property
    def assessors(self) -> list[str]:
        return sorted({a.assessor for a in self.assessments})


def flat_value(item: ItemAnswer) -> str | float | None:
    """The raw answer in one spreadsheet cell: a number when it is one number, else text.

    'yes', 'partial', 'n/a', 420.0, '420; 610' (several readings), '4 % at 100 Hz' (flicker).
    """
    value = item.value
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, list):
        return "; ".join(f"{v:g}" for v in value)
    if isinstance(value, dict):
        return f"{value['percent']:g} % at {value['frequency_hz']:g} Hz"
    return str(value)


# --------------------------------------------------------------------------------------------
# Building blocks (pure: tests and benchmarks build reports from these without a store)
# --------------------------------------------------------------------------------------------


def make_assessment(
    catalogue: Catalogue,
    *,
    id: int,
    room_id: int,
    setting: str,
    room_type: str,
    assessed_on: dt.date,
    assessor: str,
    status: str,
    answers: Mapping[str, Answer],
    notes: Mapping[str, str] | None = None,
    photos: Sequence[Photo] = (),
    catalogue_version: str | None = None,
    provisional_reason: str | None = None,
    retired: Sequence[RetiredAnswer] = (),
) -> AssessmentReport:
    """Score one assessment with the engine (its items are laid out when first asked for)."""
    checklist = catalogue.checklist(setting, room_type)
    evaluation = evaluate(checklist, answers, tuple(p.id for p in catalogue.principles))
    return AssessmentReport(
        id=id,
        room_id=room_id,
        assessed_on=assessed_on,
        assessor=assessor,
        status=status,
        catalogue_version=catalogue_version or catalogue.version,
        provisional_reason=provisional_reason,
        score=room_score(evaluation),
        checklist=checklist,
        answers=dict(answers),
        item_notes=dict(notes or {}),
        photos=tuple(photos),
        retired=tuple(retired),
        plan=tuple(evaluation.candidates),
    )


def make_plan(catalogue: Catalogue, sites: Sequence[SiteReport]) -> tuple[PlanEntry, ...]:
    """The portfolio action plan: every room's fixes (latest assessment) in one order.

    The order is `scoring.actions.plan_key` on unrounded gains, as the engine orders one room's plan
    and the Action plan screen orders the portfolio's; equal fixes of several rooms go by site, then
    room.
    """
    questions = {item.id: item for item in catalogue.items}
    ranked: list[tuple[tuple[bool, float, float, str], str, str, int, PlanEntry]] = []
    for site in sites:
        for room in site.rooms:
            latest = room.latest
            if latest is None:
                continue
            rounded = {action.item: action.gain for action in latest.score.actions}
            for fix in latest.plan:
                entry = PlanEntry(
                    rank=0,
                    room_id=room.id,
                    room_name=room.name,
                    site_name=site.name,
                    assessment_id=latest.id,
                    item_id=fix.item,
                    category=questions[fix.item].category,
                    question=questions[fix.item].question,
                    gain=rounded[fix.item],
                    effort=str(fix.effort.value),
                    critical=fix.critical,
                    failed_critical=fix.failed_critical,
                    how_to_fix=fix.how_to_fix,
                )
                key = plan_key(fix.failed_critical, fix.gain, fix.effort, fix.item)
                ranked.append((key, site.name, room.name, room.id, entry))
    ranked.sort(key=lambda r: r[:4])
    return tuple(replace(r[4], rank=rank) for rank, r in enumerate(ranked, start=1))


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
    catalogue = catalogue or default_catalogue()
    try:
        organisation = repository.get_organisation(session, user, org_id)
        sites = repository.list_sites(session, user, org_id)
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
    site_reports = []
    done = 0
    for site in sites:
        room_reports = []
        for room in rooms_by_site[site.id]:
            done += 1
            report(done - 1, total_rooms, f"Scoring room {done} of {total_rooms}: {room.name}")
            rows = by_room.get(room.id, [])
            assessments = tuple(
                _assessment_report(
                    session,
                    user,
                    catalogue,
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
            room_reports.append(
                RoomReport(
                    id=room.id,
                    name=room.name,
                    room_type=room.room_type,
                    room_type_title=_room_type_title(catalogue, site.setting, room.room_type),
                    floor=room.floor,
                    capacity=room.capacity,
                    site_id=site.id,
                    site_name=site.name,
                    setting=site.setting,
                    assessments=assessments,
                    draft_on=draft_on,
                )
            )
        if room_reports:
            site_reports.append(
                SiteReport(
                    id=site.id,
                    name=site.name,
                    setting=site.setting,
                    setting_title=catalogue.settings.get(site.setting, site.setting),
                    address=site.address,
                    rooms=tuple(room_reports),
                )
            )
    report(total_rooms, total_rooms, "Scores ready")

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
        scope = f"{len(all_rooms)} selected room{'s' if len(all_rooms) != 1 else ''}"
    elif site_id is not None:
        scope = f"Site: {site_reports[0].name}"
    else:
        scope = "Whole organisation"
    return ReportData(
        organisation_id=organisation.id,
        organisation_name=organisation.name,
        scope=scope,
        sites=tuple(site_reports),
        catalogue=catalogue,
        action_plan=make_plan(catalogue, site_reports),
        include_drafts=include_drafts,
    )


def _room_type_title(catalogue: Catalogue, setting: str, room_type: str) -> str:
    try:
        return catalogue.checklist(setting, room_type).room_type_title
    except KeyError:
        return room_type.replace("_", " ").capitalize()


def _raw_answers(table: pd.DataFrame) -> dict[int, dict[str, object]]:
    """The answers table back in assessment-file form: assessment id -> item id -> raw answer
    (`checklists.responses.raw_from_rows`); `decode_stored` then types them against the catalogue."""
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
        catalogue_version=str(row["catalogue_version"]),
        provisional_reason=reason if isinstance(reason, str) and reason else None,
    )
