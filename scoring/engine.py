"""Score one assessment of one room: responses -> item scores -> room score (DESIGN.md, "The engine").

`evaluate` does the arithmetic on unrounded numbers; `score_assessment` returns the `RoomScore`
contract, rounded for output. Pure functions: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from pydantic import BaseModel, ConfigDict

from checklists.i18n import N_
from checklists.responses import NA, Answer, AnswerSheet, AssessmentError, parse_assessment
from checklists.schema import Catalogue, ResolvedItem, RoomChecklist
from scoring.actions import Action, Candidate, gain_of_fix, rank_actions
from scoring.items import clean, round_half_up, score_answer

__all__ = [
    "BAND_THRESHOLDS",
    "PROVISIONAL_BELOW",
    "Band",
    "CategoryScore",
    "Evaluation",
    "ItemResult",
    "ItemStatus",
    "RoomScore",
    "band_for",
    "evaluate",
    "score_assessment",
]


class ItemStatus(StrEnum):
    answered = "answered"
    not_applicable = "not_applicable"
    missing = "missing"


class Band(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"

    @property
    def label(self) -> str:
        return BAND_LABELS[self]


BAND_THRESHOLDS: tuple[tuple[Band, float], ...] = ((Band.A, 85.0), (Band.B, 70.0), (Band.C, 50.0))
# Marked for the reports' catalogue (babel-reports.cfg); reports.labels.band_text translates them.
BAND_LABELS = {
    Band.A: N_("sensory-supportive"),
    Band.B: N_("mostly supportive"),
    Band.C: N_("partly supportive"),
    Band.D: N_("not yet supportive"),
}
# Below this completeness a score is provisional: too much is unknown to rely on it.
PROVISIONAL_BELOW = 0.8
# A critical item answered below this score is a failure that caps the band at C.
CRITICAL_FAIL_BELOW = 0.5


def band_for(overall: float | None, critical_failed: bool) -> Band | None:
    if overall is None:
        return None
    value = clean(overall)
    band = next((b for b, threshold in BAND_THRESHOLDS if value >= threshold), Band.D)
    if critical_failed and band in (Band.A, Band.B):
        return Band.C
    return band


@dataclass(frozen=True, slots=True)
class ItemEvaluation:
    resolved: ResolvedItem
    status: ItemStatus
    score: float | None  # None unless answered and scored

    @property
    def failed_critical(self) -> bool:
        return self.resolved.item.critical and self.score is not None and clean(self.score) < CRITICAL_FAIL_BELOW


@dataclass(frozen=True)
class Evaluation:
    """Unrounded result of one assessment; RoomScore is its rounded, serialisable form."""

    checklist: RoomChecklist
    items: tuple[ItemEvaluation, ...]
    category_sums: dict[str, tuple[float, float]]  # category -> (sum w*s, sum w) over answered items
    category_scores: dict[str, float | None]
    principle_scores: dict[str, float | None]
    overall: float | None
    completeness: float
    critical_failures: list[str] = field(default_factory=list)

    @property
    def provisional(self) -> bool:
        return clean(self.completeness) < PROVISIONAL_BELOW

    @property
    def band(self) -> Band | None:
        return band_for(self.overall, bool(self.critical_failures))

    def actions(self) -> list[Action]:
        """The room's action plan, ranked and rounded (RoomScore.actions)."""
        return rank_actions(self.candidates)

    @cached_property
    def candidates(self) -> list[Candidate]:
        """Every answered item below full marks with its unrounded gain, unranked: what a portfolio
        plan ranks across rooms with `scoring.actions.plan_key`."""
        if self.overall is None:
            return []
        scored_weight = sum(
            self.checklist.category_weights[c] for c, s in self.category_scores.items() if s is not None
        )
        candidates = []
        for ev in self.items:
            if ev.score is None or clean(ev.score) >= 1.0:
                continue
            item = ev.resolved.item
            gain = gain_of_fix(
                item_weight=ev.resolved.weight,
                item_score=ev.score,
                category_weight_sum=self.category_sums[item.category][1],
                category_weight=self.checklist.category_weights[item.category],
                overall_weight_sum=scored_weight,
            )
            candidates.append(
                Candidate(item.id, gain, item.effort, item.critical, ev.failed_critical, item.how_to_fix.strip())
            )
        return candidates


def evaluate(checklist: RoomChecklist, answers: Mapping[str, Answer], principles: tuple[str, ...] = ()) -> Evaluation:
    """Score every item of the room's checklist and aggregate (answers must belong to the checklist)."""
    unknown = set(answers) - {r.item.id for r in checklist.items}
    if unknown:
        raise AssessmentError([f"{item_id}: not in the checklist of this room type" for item_id in sorted(unknown)])
    evaluations = []
    for resolved in checklist.items:
        answer = answers.get(resolved.item.id)
        if answer is None:
            evaluations.append(ItemEvaluation(resolved, ItemStatus.missing, None))
        elif isinstance(answer, str) and answer == NA:
            # Not applicable leaves every denominator: the item neither helps nor hurts the room.
            evaluations.append(ItemEvaluation(resolved, ItemStatus.not_applicable, None))
        else:
            evaluations.append(ItemEvaluation(resolved, ItemStatus.answered, score_answer(resolved, answer)))

    category_sums: dict[str, tuple[float, float]] = {}
    for category in checklist.category_weights:
        scored = [ev for ev in evaluations if ev.resolved.item.category == category and ev.score is not None]
        category_sums[category] = (
            sum(ev.resolved.weight * ev.score for ev in scored if ev.score is not None),
            sum(ev.resolved.weight for ev in scored),
        )
    category_scores = {
        c: (100.0 * num / den if den > 0 else None)
        for c, (num, den) in category_sums.items()
        if any(ev.resolved.item.category == c for ev in evaluations)
    }
    weighted = [(checklist.category_weights[c], s) for c, s in category_scores.items() if s is not None]
    total_weight = sum(w for w, _ in weighted)
    overall = sum(w * s for w, s in weighted) / total_weight if weighted and total_weight > 0 else None

    principle_scores: dict[str, float | None] = {}
    tagged = {p for ev in evaluations if ev.resolved.item.scored for p in ev.resolved.item.principles}
    for principle in principles or tuple(sorted(tagged)):
        if principle not in tagged:
            continue
        scored = [ev for ev in evaluations if principle in ev.resolved.item.principles and ev.score is not None]
        den = sum(ev.resolved.weight for ev in scored)
        num = sum(ev.resolved.weight * ev.score for ev in scored if ev.score is not None)
        principle_scores[principle] = 100.0 * num / den if den > 0 else None

    answered_weight = sum(ev.resolved.weight for ev in evaluations if ev.status is ItemStatus.answered)
    missing_weight = sum(ev.resolved.weight for ev in evaluations if ev.status is ItemStatus.missing)
    denominator = answered_weight + missing_weight
    completeness = answered_weight / denominator if denominator > 0 else 0.0

    return Evaluation(
        checklist=checklist,
        items=tuple(evaluations),
        category_sums=category_sums,
        category_scores=category_scores,
        principle_scores=principle_scores,
        overall=overall,
        completeness=completeness,
        critical_failures=[ev.resolved.item.id for ev in evaluations if ev.failed_critical],
    )


class _Output(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=True)


class CategoryScore(_Output):
    score: float | None
    weight: float
    answered: int
    applicable: int


class ItemResult(_Output):
    score: float | None
    status: ItemStatus
    weight: float


class RoomScore(_Output):
    """The scored room: the JSON contract of `sensory-audit score --format json`."""

    setting: str
    room_type: str
    catalogue_version: str
    overall: float | None
    band: Band | None
    provisional: bool
    completeness: float
    categories: dict[str, CategoryScore]
    principles: dict[str, float | None]
    critical_failures: list[str]
    missing: list[str]
    items: dict[str, ItemResult]
    actions: list[Action]


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round_half_up(value, digits)


def room_score(evaluation: Evaluation) -> RoomScore:
    checklist = evaluation.checklist
    categories = {}
    for category, score in evaluation.category_scores.items():
        in_category = [ev for ev in evaluation.items if ev.resolved.item.category == category]
        categories[category] = CategoryScore(
            score=_round(score, 1),
            weight=checklist.category_weights[category],
            answered=sum(ev.status is ItemStatus.answered for ev in in_category),
            applicable=sum(ev.status is not ItemStatus.not_applicable for ev in in_category),
        )
    return RoomScore(
        setting=checklist.setting,
        room_type=checklist.room_type,
        catalogue_version=checklist.catalogue_version,
        overall=_round(evaluation.overall, 1),
        band=evaluation.band,
        provisional=evaluation.provisional,
        completeness=round_half_up(evaluation.completeness, 3),
        categories=categories,
        principles={p: _round(s, 1) for p, s in evaluation.principle_scores.items()},
        critical_failures=list(evaluation.critical_failures),
        missing=[ev.resolved.item.id for ev in evaluation.items if ev.status is ItemStatus.missing],
        items={
            ev.resolved.item.id: ItemResult(score=_round(ev.score, 3), status=ev.status, weight=ev.resolved.weight)
            for ev in evaluation.items
        },
        actions=evaluation.actions(),
    )


def score_assessment(catalogue: Catalogue, assessment: AnswerSheet | Mapping[str, object]) -> RoomScore:
    """Score one assessment (typed, or a raw assessment document, which is validated first)."""
    if not isinstance(assessment, AnswerSheet):
        assessment = parse_assessment(catalogue, assessment)
    checklist = catalogue.checklist(assessment.setting, assessment.room_type)
    principles = tuple(p.id for p in catalogue.principles)
    return room_score(evaluate(checklist, assessment.answers, principles))
