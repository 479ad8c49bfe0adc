"""Score many assessments at once, vectorised; the numbers equal engine.py's for every assessment.

Inputs are two pandas frames:
  assessments: assessment_id, setting, room_type (more columns are carried through)
  answers:     assessment_id, item_id, na, num, freq, text (one row per reading; see
               checklists.stored_answers.AnswerRow), as the store keeps them

Everything is then done on dense (assessment x item) arrays: the catalogue is turned into lookup
tables once (per room profile and item), answer rows are scored with array operations, readings are
averaged with bincount, and category and principle sums are matrix products. There is no Python
loop per assessment or per response.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import numpy.typing as npt
import pandas as pd

from checklists.responses import Answer
from checklists.schema import EFFORT_COST, Catalogue, Item, ItemKind
from checklists.stored_answers import answer_rows
from scoring.engine import BAND_THRESHOLDS, CRITICAL_FAIL_BELOW, PROVISIONAL_BELOW, Band
from scoring.items import (
    FLICKER_FAST_LIMITS,
    FLICKER_FREE_ABOVE_HZ,
    FLICKER_SLOW_BELOW_HZ,
    FLICKER_SLOW_LIMITS,
    NOISE_DIGITS,
    FlickerRisk,
)
from scoring.portfolio_tables import KIND_CODES, accepted_rows, cached_tables

__all__ = ["ANSWER_COLUMNS", "PortfolioScores", "answers_frame", "score_portfolio"]

ANSWER_COLUMNS = ["assessment_id", "item_id", "na", "num", "freq", "text"]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


def answers_frame(assessments: Iterable[tuple[int, Mapping[str, Answer]]]) -> pd.DataFrame:
    """Build the answers frame from typed answers (for tests and callers without a store)."""
    rows = [
        (assessment_id, item_id, *row)
        for assessment_id, answers in assessments
        for item_id, answer in answers.items()
        for row in answer_rows(answer)
    ]
    frame = pd.DataFrame(rows, columns=ANSWER_COLUMNS)
    return frame.astype({"assessment_id": "int64", "na": "bool", "num": "float64", "freq": "float64"})


def _reading_scores(x: FloatArray, ilo: FloatArray, ihi: FloatArray, llo: FloatArray, lhi: FloatArray) -> FloatArray:
    """score_reading of items.py on arrays; NaN bounds are open ends."""
    with np.errstate(divide="ignore", invalid="ignore"):
        below = (x < ilo) & ~np.isnan(ilo)
        above = (x > ihi) & ~np.isnan(ihi)
        low_ramp = np.where(x <= llo, 0.0, (x - llo) / (ilo - llo))
        high_ramp = np.where(x >= lhi, 0.0, (lhi - x) / (lhi - ihi))
        low_score = np.where(np.isnan(llo), 1.0, low_ramp)
        high_score = np.where(np.isnan(lhi), 1.0, high_ramp)
        result: FloatArray = np.where(below, low_score, np.where(above, high_score, 1.0))
    return result


def _flicker_scores(percent: FloatArray, freq: FloatArray) -> FloatArray:
    """score_flicker of items.py on arrays (IEEE 1789 regions)."""
    slow = freq < FLICKER_SLOW_BELOW_HZ
    no_risk = np.where(slow, FLICKER_SLOW_LIMITS[0] * freq, FLICKER_FAST_LIMITS[0] * freq)
    low_risk = np.where(slow, FLICKER_SLOW_LIMITS[1] * freq, FLICKER_FAST_LIMITS[1] * freq)
    result: FloatArray = np.where(
        freq > FLICKER_FREE_ABOVE_HZ,
        FlickerRisk.no_risk.score,
        np.where(
            percent < no_risk,
            FlickerRisk.no_risk.score,
            np.where(percent < low_risk, FlickerRisk.low_risk.score, FlickerRisk.high_risk.score),
        ),
    )
    return result


def _round_half_up(values: FloatArray, digits: int) -> FloatArray:
    """items.round_half_up on arrays (NaN stays NaN)."""
    scale = 10.0**digits
    result: FloatArray = np.floor(np.round(values * scale, 6) + 0.5) / scale
    return result


@dataclass(frozen=True)
class PortfolioScores:
    """Unrounded dense results plus tidy frames (rounded like RoomScore) built on demand."""

    assessment_ids: pd.Index
    item_ids: pd.Index
    categories: list[str]
    principles: list[str]
    assessments: pd.DataFrame  # the input frame, aligned to assessment_ids
    item_scores: FloatArray  # assessment x item; NaN unless answered and scored
    status: npt.NDArray[np.int8]  # assessment x item: 0 answered, 1 not applicable, 2 missing, -1 does not apply
    weight: FloatArray  # assessment x item
    category_scores: FloatArray  # assessment x category; NaN = no score
    category_weight: FloatArray  # assessment x category
    category_answered: IntArray
    category_applicable: IntArray
    category_present: BoolArray  # the room type has items in the category
    principle_scores: FloatArray  # assessment x principle; NaN = no score
    principle_present: BoolArray
    overall: FloatArray  # NaN = no score
    completeness: FloatArray
    critical_failed: BoolArray  # assessment x item
    gain: FloatArray  # assessment x item; NaN where the item is not in the plan
    failed_critical_any: BoolArray
    # Stored answers the catalogue no longer accepts (checklists.stored_answers.decode_stored, as arrays):
    # assessment_id, item_id, reason; their items count as missing.
    retired: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["assessment_id", "item_id", "reason"]))
    # Items of older catalogue versions that the current one no longer has (scoring.portfolio_versions).
    extra_items: Mapping[str, Item] = field(default_factory=dict)

    STATUS_NAMES = ("answered", "not_applicable", "missing")

    @cached_property
    def bands(self) -> pd.Series:
        value = np.round(self.overall, NOISE_DIGITS)
        band = np.full(len(value), None, dtype=object)
        band[~np.isnan(value)] = Band.D.value
        for name, threshold in reversed(BAND_THRESHOLDS):
            band[value >= threshold] = name.value
        capped = self.failed_critical_any & np.isin(band, [Band.A.value, Band.B.value])
        band[capped] = Band.C.value
        return pd.Series(band, index=self.assessment_ids, name="band")

    @property
    def provisional(self) -> BoolArray:
        result: BoolArray = np.round(self.completeness, NOISE_DIGITS) < PROVISIONAL_BELOW
        return result

    def summary(self) -> pd.DataFrame:
        """One row per assessment: the input columns plus overall, band, completeness, provisional,
        the number of failed critical items and of missing items (rounded as in RoomScore)."""
        frame = self.assessments.copy()
        frame["overall"] = _round_half_up(self.overall, 1)
        frame["band"] = self.bands.to_numpy()
        frame["completeness"] = _round_half_up(self.completeness, 3)
        frame["provisional"] = self.provisional
        frame["critical_failures"] = self.critical_failed.sum(axis=1)
        frame["missing"] = (self.status == 2).sum(axis=1)
        for c, category in enumerate(self.categories):
            frame[f"score_{category}"] = np.where(
                self.category_present[:, c], _round_half_up(self.category_scores[:, c], 1), np.nan
            )
        for p, principle in enumerate(self.principles):
            frame[f"principle_{principle}"] = _round_half_up(self.principle_scores[:, p], 1)
        return frame

    def category_frame(self) -> pd.DataFrame:
        """Long form: assessment_id, category, score, weight, answered, applicable."""
        a, c = np.nonzero(self.category_present)
        return pd.DataFrame(
            {
                "assessment_id": self.assessment_ids.to_numpy()[a],
                "category": np.array(self.categories, dtype=object)[c],
                "score": _round_half_up(self.category_scores[a, c], 1),
                "weight": self.category_weight[a, c],
                "answered": self.category_answered[a, c],
                "applicable": self.category_applicable[a, c],
            }
        )

    def principle_frame(self) -> pd.DataFrame:
        a, p = np.nonzero(self.principle_present)
        return pd.DataFrame(
            {
                "assessment_id": self.assessment_ids.to_numpy()[a],
                "principle": np.array(self.principles, dtype=object)[p],
                "score": _round_half_up(self.principle_scores[a, p], 1),
            }
        )

    def item_frame(self) -> pd.DataFrame:
        """Long form of every applicable item: assessment_id, item_id, status, score, weight, gain."""
        a, i = np.nonzero(self.status >= 0)
        return pd.DataFrame(
            {
                "assessment_id": self.assessment_ids.to_numpy()[a],
                "item_id": self.item_ids.to_numpy()[i],
                "status": np.array(self.STATUS_NAMES, dtype=object)[self.status[a, i]],
                "score": _round_half_up(self.item_scores[a, i], 3),
                "weight": self.weight[a, i],
                "gain": _round_half_up(self.gain[a, i], 1),
                "critical_failed": self.critical_failed[a, i],
            }
        )

    def item_of(self, catalogue: Catalogue, item_id: str) -> Item:
        """An item of the scores: from `catalogue`, or from the older version that still had it."""
        for item in catalogue.items:
            if item.id == item_id:
                return item
        return self.extra_items[item_id]

    def action_frame(self, catalogue: Catalogue) -> pd.DataFrame:
        """Every fix across the portfolio with its gain and gain per effort, unsorted."""
        a, i = np.nonzero(~np.isnan(self.gain))
        items = {**self.extra_items, **{item.id: item for item in catalogue.items}}
        ids = self.item_ids.to_numpy()[i]
        gain = self.gain[a, i]
        cost = np.array([EFFORT_COST[items[x].effort] for x in self.item_ids])[i]
        return pd.DataFrame(
            {
                "assessment_id": self.assessment_ids.to_numpy()[a],
                "item_id": ids,
                "category": [items[x].category for x in ids],
                "gain": _round_half_up(gain, 1),
                "gain_per_effort": np.round(gain / cost, 3),
                "effort": [items[x].effort.value for x in ids],
                "critical": [items[x].critical for x in ids],
                "failed_critical": self.critical_failed[a, i],
                "item_score": _round_half_up(self.item_scores[a, i], 3),
            }
        )


def score_portfolio(catalogue: Catalogue, assessments: pd.DataFrame, answers: pd.DataFrame) -> PortfolioScores:
    """Score every assessment of `assessments` from the answer rows in `answers`."""
    t = cached_tables(catalogue)
    frame = assessments.reset_index(drop=True)
    ids = pd.Index(frame["assessment_id"].to_numpy(dtype=np.int64))
    if not ids.is_unique:
        raise ValueError("assessment_id must be unique in the assessments frame")
    profile = t.profiles.get_indexer(pd.MultiIndex.from_arrays([frame["setting"], frame["room_type"]]))
    if (profile < 0).any():
        bad = frame.loc[profile < 0, ["setting", "room_type"]].drop_duplicates().to_records(index=False).tolist()
        raise ValueError(f"unknown setting and room type: {bad}")
    n_a, n_i = len(ids), len(t.item_ids)

    # Answer rows -> (assessment position, item position); rows of unknown assessments are ignored.
    # Strings are factorised once (a few dozen distinct item ids and answer words), never compared per row.
    pos = ids.get_indexer(pd.Index(answers["assessment_id"].to_numpy(dtype=np.int64)))
    item_codes, item_uniques = pd.factorize(answers["item_id"])
    item_names = np.asarray(item_uniques, dtype=object)
    item = t.item_ids.get_indexer(pd.Index(item_names))[item_codes]
    keep = pos >= 0
    text_codes, text_words = pd.factorize(answers["text"])
    words = np.asarray(text_words, dtype=object)
    na = answers["na"].to_numpy(dtype=bool)
    num = answers["num"].to_numpy(dtype=np.float64)
    freq = answers["freq"].to_numpy(dtype=np.float64)
    text = text_codes  # -1 where there is no text
    # Every row usually belongs to a known assessment and is accepted: the columns are then used as
    # they are, without copying 4 million rows twice.
    kept_rows = None if keep.all() else np.flatnonzero(keep)
    if kept_rows is not None:
        pos, item, item_codes = pos[kept_rows], item[kept_rows], item_codes[kept_rows]
        na, num, freq, text = na[kept_rows], num[kept_rows], freq[kept_rows], text[kept_rows]
    accepted, reason = accepted_rows(
        catalogue,
        t,
        pos=pos,
        item=item,
        profile=profile,
        na=na,
        num=num,
        freq=freq,
        text=text,
        words=words,
        n_items=len(t.item_ids),
    )
    refused = np.flatnonzero(~accepted)
    retired = pd.DataFrame(
        {"assessment_id": ids.to_numpy()[pos[refused]], "item_id": item_names[item_codes[refused]], "reason": reason}
    ).drop_duplicates(["assessment_id", "item_id"], ignore_index=True)
    if len(refused):
        rows = np.flatnonzero(accepted)
        pos, item, na, num, freq, text = pos[rows], item[rows], na[rows], num[rows], freq[rows], text[rows]
    row_profile = profile[pos]
    kind = t.kind[item]

    row_score = np.full(len(pos), np.nan)
    k = KIND_CODES
    is_yes_no = (kind == k[ItemKind.yes_no]) & ~na
    yes = np.flatnonzero(words == "yes")
    yes_code = int(yes[0]) if len(yes) else -2
    row_score[is_yes_no] = ((text[is_yes_no] == yes_code) == t.good_answer[item[is_yes_no]]).astype(float)
    is_choice = (kind == k[ItemKind.choice]) & ~na
    if is_choice.any():
        # option_score[item, word]: NaN where the word is not an option of that item.
        option_score = np.full((len(t.item_ids), len(words) + 1), np.nan)
        keys = t.item_ids.to_numpy().astype(object)[:, None] + "\x1f" + words[None, :].astype(str)
        found = t.option_keys.get_indexer(pd.Index(keys.ravel())).reshape(keys.shape)
        option_score[:, :-1] = np.where(found >= 0, t.option_scores[np.maximum(found, 0)], np.nan)
        row_score[is_choice] = option_score[item[is_choice], text[is_choice]]
    is_rating = (kind == k[ItemKind.rating]) & ~na
    row_score[is_rating] = num[is_rating] / 4.0
    is_measure = (kind == k[ItemKind.measurement]) & ~na
    p, i = row_profile[is_measure], item[is_measure]
    row_score[is_measure] = _reading_scores(
        num[is_measure], t.ideal_lo[p, i], t.ideal_hi[p, i], t.limit_lo[p, i], t.limit_hi[p, i]
    )
    is_flicker = (kind == k[ItemKind.flicker]) & ~na
    row_score[is_flicker] = _flicker_scores(num[is_flicker], freq[is_flicker])

    # Readings of one item average into its score; flags become dense (assessment x item) arrays.
    cell = pos * n_i + item
    size = n_a * n_i
    scored_rows = ~np.isnan(row_score)
    sums = np.bincount(cell[scored_rows], weights=row_score[scored_rows], minlength=size)
    counts = np.bincount(cell[scored_rows], minlength=size)
    with np.errstate(divide="ignore", invalid="ignore"):
        item_scores = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan).reshape(n_a, n_i)
    is_na = (np.bincount(cell[na], minlength=size) > 0).reshape(n_a, n_i)
    has_answer = (np.bincount(cell[~na], minlength=size) > 0).reshape(n_a, n_i)

    applies = t.applies[profile]
    weight = t.weight[profile]
    answered = applies & has_answer & ~is_na
    not_applicable = applies & is_na
    missing = applies & ~answered & ~not_applicable
    status = np.full((n_a, n_i), -1, dtype=np.int8)
    status[answered], status[not_applicable], status[missing] = 0, 1, 2
    scored = answered & t.scored[None, :] & ~np.isnan(item_scores)
    item_scores = np.where(scored, item_scores, np.nan)
    ws = np.where(scored, weight * np.nan_to_num(item_scores), 0.0)
    w = np.where(scored, weight, 0.0)

    cat_num = ws @ t.category_onehot
    cat_den = w @ t.category_onehot
    with np.errstate(divide="ignore", invalid="ignore"):
        category_scores = np.where(cat_den > 0, 100.0 * cat_num / cat_den, np.nan)
    category_weight = t.category_weight[profile]
    category_present = (applies.astype(float) @ t.category_onehot) > 0
    has_score = ~np.isnan(category_scores)
    overall_den = np.where(has_score, category_weight, 0.0).sum(axis=1)
    overall_num = np.where(has_score, category_weight * np.nan_to_num(category_scores), 0.0).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        overall = np.where(overall_den > 0, overall_num / overall_den, np.nan)

    principle_num = ws @ t.principle_onehot
    principle_den = w @ t.principle_onehot
    with np.errstate(divide="ignore", invalid="ignore"):
        principle_scores = np.where(principle_den > 0, 100.0 * principle_num / principle_den, np.nan)
    principle_present = (applies.astype(float) @ t.principle_onehot) > 0

    answered_weight = np.where(answered, weight, 0.0).sum(axis=1)
    missing_weight = np.where(missing, weight, 0.0).sum(axis=1)
    denominator = answered_weight + missing_weight
    with np.errstate(divide="ignore", invalid="ignore"):
        completeness = np.where(denominator > 0, answered_weight / denominator, 0.0)

    critical_failed = scored & t.critical[None, :] & (np.round(item_scores, NOISE_DIGITS) < CRITICAL_FAIL_BELOW)

    # Gain of fixing each item (see actions.gain_of_fix): W_c * 100 * w_i * (1 - s_i) / (sum w_c * sum W).
    in_plan = scored & (np.round(item_scores, NOISE_DIGITS) < 1.0)
    item_cat_den = cat_den[:, t.item_category]
    item_cat_weight = category_weight[:, t.item_category]
    with np.errstate(divide="ignore", invalid="ignore"):
        category_rise = 100.0 * weight * (1.0 - item_scores) / item_cat_den
        gain = np.where(in_plan, item_cat_weight * category_rise / overall_den[:, None], np.nan)

    return PortfolioScores(
        assessment_ids=ids,
        item_ids=t.item_ids,
        categories=t.categories,
        principles=t.principles,
        assessments=frame,
        item_scores=item_scores,
        status=status,
        weight=weight,
        category_scores=category_scores,
        category_weight=category_weight,
        category_answered=(answered.astype(float) @ t.category_onehot).astype(np.int64),
        category_applicable=((answered | missing).astype(float) @ t.category_onehot).astype(np.int64),
        category_present=category_present,
        principle_scores=principle_scores,
        principle_present=principle_present,
        overall=overall,
        completeness=completeness,
        critical_failed=critical_failed,
        gain=gain,
        failed_critical_any=np.asarray(critical_failed.any(axis=1), dtype=bool),
        retired=retired,
    )
