"""Everything a report shows, as plain dataclasses scored by the engine (gathered from the store by
`reports.collect.collect_report`).

The writers (PDF, workbook, CSV, JSON) read only the plain dataclasses defined here, never the
store, so every export of one scope shows the same numbers, and tests and benchmarks can build a
`ReportData` by hand. Scores are `scoring.engine.RoomScore`s, computed from the stored answers with
the criteria version each was taken with, exactly as the Room screen computes them.
One table of figures, kept whole on purpose: the data classes every report part reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from assessments.latest import FINAL_STATUSES
from checklists.i18n import _
from checklists.responses import Answer, answer_to_json
from checklists.schema import Catalogue, ItemKind, RoomChecklist, Target
from checklists.stored_answers import RetiredAnswer
from reports.labels import format_answer, value_text
from scoring.actions import Candidate, plan_key
from scoring.engine import RoomScore, evaluate, room_score

if TYPE_CHECKING:
    from reports.calibration import CalibrationSection  # only the store imports SQLAlchemy at run time

__all__ = [
    "REPORTED_STATUSES",
    "ActionEntry",
    "ActionSummary",
    "AssessmentReport",
    "ItemAnswer",
    "Photo",
    "PlanEntry",
    "ReportData",
    "RoomReport",
    "SiteReport",
    "flat_value",
    "make_assessment",
    "make_plan",
    "summarise_actions",
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
    def critical_unanswered(self) -> tuple[ItemAnswer, ...]:
        """Critical items left unanswered (a reviewer and a reader of a provisional score must see them)."""
        return tuple(i for i in self.items if i.critical and i.status == "missing")

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
    # Each assessment re-scored under the current criteria, where it was scored under an earlier
    # version (None where it already is under the current one); see reports.versions.
    rescored: tuple[RoomScore | None, ...] = ()

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
class ActionEntry:
    """A fix someone took on (`assessments.actions`), as the report shows it."""

    room_id: int
    room_name: str
    site_name: str
    item_id: str
    question: str
    owner: str | None
    due_on: dt.date
    status: str  # open, in_progress, done or verified
    overdue: bool  # due before the report's date and not done
    gain: float | None  # points the room's overall score rises with the fix, at planning
    cost_estimate: float | None
    note: str | None
    check_note: str | None  # what the later submitted assessment found
    verified_on: dt.date | None  # the date of the assessment that verified it

    @property
    def state(self) -> str:
        """'open', 'open, overdue', 'in progress', 'done', 'verified'."""
        text = value_text(self.status)
        return _("{state}, overdue").format(state=text) if self.overdue else text


@dataclass(frozen=True)
class ActionSummary:
    """How the report's actions stand: counts per state and the points the verified ones gained."""

    open: int
    overdue: int
    done: int
    verified: int
    points_gained: float


def summarise_actions(actions: Sequence[ActionEntry]) -> ActionSummary:
    verified = [a for a in actions if a.status == "verified"]
    return ActionSummary(
        open=sum(a.status in ("open", "in_progress") for a in actions),
        overdue=sum(a.overdue for a in actions),
        done=sum(a.status == "done" for a in actions),
        verified=len(verified),
        points_gained=sum(a.gain or 0.0 for a in verified),
    )


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
    # The organisation's calibration rounds with their agreement (for managers, consultants and admins).
    calibration: tuple[CalibrationSection, ...] = ()
    # The actions on the rooms in scope: open and overdue first, then done, then verified.
    actions: tuple[ActionEntry, ...] = ()

    @cached_property
    def action_summary(self) -> ActionSummary:
        return summarise_actions(self.actions)

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
            # The items as the version the assessment is scored under words them.
            scored_items = {r.item.id: r.item for r in latest.checklist.items}
            for fix in latest.plan:
                item = scored_items.get(fix.item) or questions[fix.item]
                entry = PlanEntry(
                    rank=0,
                    room_id=room.id,
                    room_name=room.name,
                    site_name=site.name,
                    assessment_id=latest.id,
                    item_id=fix.item,
                    category=item.category,
                    question=item.question,
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
