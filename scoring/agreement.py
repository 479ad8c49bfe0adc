"""Do two assessors see the same room? Agreement between assessors who rated the same rooms.

A calibration round is a set of rooms ("units"), each assessed independently by two or more
assessors ("raters"). This module turns their answers into agreement figures, per checklist item,
per category and overall:

- yes/no, choice and rating items: the share of rater pairs giving the same answer (exact
  agreement) and a chance-corrected kappa. Two raters: Cohen's kappa with linear weights (the
  options of a choice ordered by their score, rating levels 0 to 4); three or more: Fleiss' kappa.
  Both come from statsmodels (`statsmodels.stats.inter_rater`).
- measurements (the mean of an answer's readings), category scores and the overall score: the
  intraclass correlation ICC(2,1) (two-way random effects, absolute agreement, single rater;
  McGraw and Wong 1996, Shrout and Fleiss 1979) with its 95 % confidence interval, both from
  pingouin (`pingouin.intraclass_corr`), and the mean absolute difference between raters.

A figure is only given when at least `Thresholds.min_units` rooms have an answer from every rater;
otherwise the result says why there is no figure. Items whose agreement is poor (kappa below
`kappa_poor` or ICC below `icc_poor`) are listed with every rater's answers and what the
disagreement cost in overall score. The statistics themselves are in `scoring.agreement_stats`.
Pure functions: no files, no database, no screens.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from checklists.responses import NA, Answer, Flicker
from checklists.schema import Catalogue, Item, ItemKind, RoomChecklist
from scoring.agreement_stats import IccResult, categorical_kappa, exact_agreement, icc21, mean_abs_diff
from scoring.engine import evaluate
from scoring.items import score_answer
from scoring.portfolio import PortfolioScores, answers_frame, score_portfolio

__all__ = [
    "IccResult",
    "ItemAgreement",
    "PoorItem",
    "RatedUnit",
    "RoundAgreement",
    "ScoreAgreement",
    "Thresholds",
    "answer_text",
    "categorical_kappa",
    "icc21",
    "round_agreement",
]

_CATEGORICAL = frozenset({ItemKind.yes_no, ItemKind.choice, ItemKind.rating})
_CONTINUOUS = frozenset({ItemKind.measurement})


@dataclass(frozen=True)
class Thresholds:
    """When agreement counts as poor, and how many rooms a figure needs before it means anything."""

    kappa_poor: float = 0.6
    icc_poor: float = 0.75
    # Rooms with an answer from every rater; fewer than this and no figure is given.
    min_units: int = 5


@dataclass(frozen=True)
class RatedUnit:
    """One room of a calibration round with each rater's answers (rater name -> item id -> answer)."""

    key: str
    label: str
    setting: str
    room_type: str
    ratings: Mapping[str, Mapping[str, Answer]]


@dataclass(frozen=True)
class ScoreAgreement:
    """Agreement on a continuous figure (a reading, a category score or the overall score)."""

    units: int
    icc: float | None = None
    icc_low: float | None = None
    icc_high: float | None = None
    mean_abs_diff: float | None = None
    # Why there is no ICC figure, in words ("3 rooms rated by every assessor; at least 5 needed").
    no_figure: str | None = None


@dataclass(frozen=True)
class ItemAgreement:
    item_id: str
    category: str
    kind: str
    method: str  # "weighted kappa", "Fleiss' kappa" or "ICC(2,1)"
    units: int
    exact: float | None = None
    kappa: float | None = None
    score: ScoreAgreement | None = None  # measurements
    no_figure: str | None = None
    poor: bool = False

    @property
    def figure(self) -> float | None:
        """The one number that decides whether agreement is poor: kappa, or the ICC of readings."""
        return self.kappa if self.score is None else self.score.icc


@dataclass(frozen=True)
class PoorItem:
    """An item assessors disagree on, with what each said and what it cost."""

    agreement: ItemAgreement
    question: str
    guidance: str
    # Per room: its label and each rater's answer as text.
    answers: tuple[tuple[str, dict[str, str]], ...]
    # Mean over rooms of how far the overall score moves between the raters' answers of this item,
    # everything else held at the first rater's answers (points out of 100).
    cost: float | None


@dataclass(frozen=True)
class RoundAgreement:
    raters: tuple[str, ...]
    units: int
    thresholds: Thresholds
    items: tuple[ItemAgreement, ...]
    categories: dict[str, ScoreAgreement]
    overall: ScoreAgreement
    # Exact agreement pooled over every yes/no, choice and rating answer given by every rater.
    overall_exact: float | None
    poor: tuple[PoorItem, ...] = field(default=())


# --------------------------------------------------------------------------------------------
# The statistics
# --------------------------------------------------------------------------------------------


def _score_agreement(matrix: np.ndarray, thresholds: Thresholds) -> ScoreAgreement:
    n = matrix.shape[0]
    if n < thresholds.min_units:
        return ScoreAgreement(units=n, no_figure=_too_few(n, thresholds))
    mad = mean_abs_diff(matrix)
    result = icc21(matrix)
    if result is None:
        return ScoreAgreement(
            units=n, mean_abs_diff=mad, no_figure="every room got the same value: no spread to compare"
        )
    return ScoreAgreement(units=n, icc=result.icc, icc_low=result.low, icc_high=result.high, mean_abs_diff=mad)


def _too_few(n: int, thresholds: Thresholds) -> str:
    rooms = "room" if n == 1 else "rooms"
    return f"{n} {rooms} rated by every assessor; at least {thresholds.min_units} needed for a figure"


def _levels(item: Item) -> list[object]:
    """An item's possible answers in order, so that neighbouring levels count as near misses."""
    if item.kind is ItemKind.yes_no:
        return [False, True]
    if item.kind is ItemKind.rating:
        return [0, 1, 2, 3, 4]
    options = sorted(item.options or [], key=lambda o: o.score)
    return [o.value for o in options]


# --------------------------------------------------------------------------------------------
# A whole round
# --------------------------------------------------------------------------------------------


def _reading(answer: Answer) -> float | None:
    if isinstance(answer, tuple) and answer:
        return float(np.mean(answer))
    return None


def answer_text(answer: Answer | None) -> str:
    """An answer as a person reads it in a table: yes, no, partial, 3, 420 / 610 lx."""
    if answer is None:
        return "(not answered)"
    if isinstance(answer, bool):
        return "yes" if answer else "no"
    if isinstance(answer, tuple):
        return " / ".join(f"{v:g}" for v in answer)
    if isinstance(answer, Flicker):
        return f"{answer.percent:g} % at {answer.frequency_hz:g} Hz"
    return str(answer)


def _scores(catalogue: Catalogue, units: Sequence[RatedUnit], raters: tuple[str, ...]) -> PortfolioScores:
    frame = pd.DataFrame(
        {
            "assessment_id": np.arange(len(units) * len(raters), dtype=np.int64),
            "setting": [u.setting for u in units for _ in raters],
            "room_type": [u.room_type for u in units for _ in raters],
        }
    )
    answers = answers_frame(enumerate(u.ratings[r] for u in units for r in raters))
    return score_portfolio(catalogue, frame, answers)


def _item_categories(scores: PortfolioScores, checklists: Mapping[tuple[str, str], RoomChecklist]) -> list[str]:
    """The category of each item column of the scorer's matrices."""
    category_of = {r.item.id: r.item.category for c in checklists.values() for r in c.items}
    return [category_of.get(str(i), str(i).split(".")[0]) for i in scores.item_ids]


def _common_items(checklists: Sequence[RoomChecklist]) -> list[Item]:
    seen: dict[str, Item] = {}
    for checklist in checklists:
        for resolved in checklist.items:
            seen.setdefault(resolved.item.id, resolved.item)
    return list(seen.values())


def round_agreement(
    catalogue: Catalogue, units: Sequence[RatedUnit], thresholds: Thresholds | None = None
) -> RoundAgreement:
    """Agreement figures of a calibration round (see the module's description).

    Raters are matched by name across rooms; a room counts for a figure when every rater of the
    round answered it (an n/a or a missing answer leaves that room out of that item's figure).
    """
    thresholds = thresholds or Thresholds()
    raters = tuple(sorted({r for unit in units for r in unit.ratings}))
    complete = [u for u in units if set(u.ratings) == set(raters)] if len(raters) >= 2 else []
    if not complete:
        # Nobody has assessed yet, or only one assessor has: nothing to compare.
        return RoundAgreement(
            raters=raters, units=0, thresholds=thresholds, items=(), categories={},
            overall=ScoreAgreement(units=0, no_figure=_too_few(0, thresholds)), overall_exact=None,
        )  # fmt: skip
    checklists = {(u.setting, u.room_type): catalogue.checklist(u.setting, u.room_type) for u in complete}
    principles = tuple(p.id for p in catalogue.principles)

    # Scores of every assessment, unrounded, from the vectorised scorer (the engine's numbers).
    position = {(u.key, r): n for n, (u, r) in enumerate((u, r) for u in complete for r in raters)}
    scores = _scores(catalogue, complete, raters)
    by_id_of = {key: checklist.by_id() for key, checklist in checklists.items()}

    items: list[ItemAgreement] = []
    pooled_same = 0.0
    pooled_pairs = 0
    for item in _common_items(list(checklists.values())):
        if item.kind not in _CATEGORICAL | _CONTINUOUS:
            continue
        rows: list[list[Answer]] = []
        for u in complete:
            if item.id not in by_id_of[(u.setting, u.room_type)]:
                continue
            given = [u.ratings[r].get(item.id) for r in raters]
            answers = [a for a in given if a is not None and a != NA]
            if len(answers) == len(raters):
                rows.append(answers)
        if item.kind in _CONTINUOUS:
            values = [[_reading(a) for a in row] for row in rows]
            matrix = np.array([v for v in values if None not in v], dtype=float).reshape(-1, len(raters))
            score = _score_agreement(matrix, thresholds)
            low = score.icc is not None and score.icc < thresholds.icc_poor
            items.append(
                ItemAgreement(
                    item_id=item.id, category=item.category, kind=item.kind.value, method="ICC(2,1)",
                    units=matrix.shape[0], score=score, no_figure=score.no_figure, poor=low,
                )
            )  # fmt: skip
            continue
        levels = _levels(item)
        index = {level: n for n, level in enumerate(levels)}
        codes = np.array([[index[a] for a in row if a in index] for row in rows if all(a in index for a in row)])
        codes = codes.reshape(-1, len(raters)).astype(int)
        n = codes.shape[0]
        method = "weighted kappa" if len(raters) == 2 else "Fleiss' kappa"
        if n:
            same = exact_agreement(codes)
            pairs = n * math.comb(len(raters), 2)
            pooled_same += same * pairs
            pooled_pairs += pairs
        if n < thresholds.min_units:
            items.append(
                ItemAgreement(
                    item_id=item.id, category=item.category, kind=item.kind.value, method=method, units=n,
                    exact=exact_agreement(codes) if n else None, no_figure=_too_few(n, thresholds),
                )
            )  # fmt: skip
            continue
        kappa = categorical_kappa(codes, len(levels))
        no_figure = None if kappa is not None else "every answer was the same: kappa is undefined without spread"
        items.append(
            ItemAgreement(
                item_id=item.id, category=item.category, kind=item.kind.value, method=method, units=n,
                exact=exact_agreement(codes), kappa=kappa, no_figure=no_figure,
                poor=kappa is not None and kappa < thresholds.kappa_poor,
            )
        )  # fmt: skip

    categories: dict[str, ScoreAgreement] = {}
    for c, category in enumerate(scores.categories):
        rows_of = np.array([[position[(u.key, r)] for r in raters] for u in complete], dtype=np.int64)
        matrix = scores.category_scores[rows_of.reshape(-1), c].reshape(-1, len(raters))
        matrix = matrix[~np.isnan(matrix).any(axis=1)]
        categories[category] = _score_agreement(matrix, thresholds)
    rows_of = np.array([[position[(u.key, r)] for r in raters] for u in complete], dtype=np.int64)
    matrix = scores.overall[rows_of.reshape(-1)].reshape(-1, len(raters))
    overall = _score_agreement(matrix[~np.isnan(matrix).any(axis=1)], thresholds)

    by_id = {item.id: item for item in catalogue.items}
    poor = tuple(
        _poor_item(agreement, by_id[agreement.item_id], complete, raters, checklists, principles, scores, position)
        for agreement in items
        if agreement.poor
    )
    return RoundAgreement(
        raters=raters,
        units=len(complete),
        thresholds=thresholds,
        items=tuple(items),
        categories=categories,
        overall=overall,
        overall_exact=pooled_same / pooled_pairs if pooled_pairs else None,
        poor=tuple(sorted(poor, key=lambda p: (-(p.cost or 0.0), p.agreement.item_id))),
    )


def _poor_item(
    agreement: ItemAgreement,
    item: Item,
    units: Sequence[RatedUnit],
    raters: tuple[str, ...],
    checklists: Mapping[tuple[str, str], RoomChecklist],
    principles: tuple[str, ...],
    scores: PortfolioScores,
    position: Mapping[tuple[str, str], int],
) -> PoorItem:
    answers = []
    costs = []
    column = scores.item_ids.get_loc(item.id)
    category = scores.categories.index(item.category)
    in_category = np.array([i == item.category for i in _item_categories(scores, checklists)])
    for u in units:
        checklist = checklists[(u.setting, u.room_type)]
        resolved = checklist.by_id().get(item.id)
        if resolved is None:
            continue
        given = {r: u.ratings[r].get(item.id) for r in raters}
        answers.append((u.label, {r: answer_text(a) for r, a in given.items()}))
        m = position[(u.key, raters[0])]
        item_scores = [None if a is None else score_answer(resolved, a) for a in given.values()]
        if scores.status[m, column] == 0 and all(x is not None for x in item_scores):
            # Only this item's score differs: the overall score moves by its share of the category
            # times the category's share of the overall score (the action plan's gain, docs/scoring.md).
            answered = (scores.status[m] == 0) & in_category & (scores.weight[m] > 0)
            category_weight = float(scores.weight[m][answered].sum())
            scored = ~np.isnan(scores.category_scores[m])
            total_weight = float(scores.category_weight[m][scored].sum())
            spread = max(x for x in item_scores if x is not None) - min(x for x in item_scores if x is not None)
            costs.append(
                100 * float(scores.category_weight[m, category]) * float(scores.weight[m, column]) * spread
                / (category_weight * total_weight)
            )  # fmt: skip
            continue
        # The first rater's assessment, with each rater's answer of this item in turn.
        base = dict(u.ratings[raters[0]])
        overalls = []
        for answer in given.values():
            trial = dict(base)
            if answer is None:
                trial.pop(item.id, None)
            else:
                trial[item.id] = answer
            value = evaluate(checklist, trial, principles).overall
            if value is not None:
                overalls.append(value)
        if len(overalls) >= 2:
            costs.append(max(overalls) - min(overalls))
    return PoorItem(
        agreement=agreement,
        question=item.question,
        guidance=item.guidance,
        answers=tuple(answers),
        cost=float(np.mean(costs)) if costs else None,
    )
