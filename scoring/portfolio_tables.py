"""The catalogue as arrays for the portfolio scorer, and the rule of which stored answer rows the
catalogue accepts (`checklists.stored_answers.decode_stored`, applied to whole arrays at once)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from checklists.responses import AnswerError, parse_answer
from checklists.schema import EFFORT_COST, Catalogue, ItemKind, ResolvedItem
from checklists.stored_answers import NOT_APPLYING, REFUSED_ANSWER, RETIRED_ITEM

__all__ = ["KIND_CODES", "Tables", "accepted_rows", "cached_tables"]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

KIND_CODES = {kind: n for n, kind in enumerate(ItemKind)}


@dataclass(frozen=True)
class Tables:
    """The catalogue as arrays: profiles (setting, room_type) x items, and per-item facts."""

    profiles: pd.MultiIndex
    item_ids: pd.Index
    categories: list[str]
    principles: list[str]
    applies: BoolArray  # profile x item
    weight: FloatArray  # profile x item (0 where it does not apply, and for text/photo)
    category_weight: FloatArray  # profile x category
    ideal_lo: FloatArray  # profile x item, NaN = open end
    ideal_hi: FloatArray
    limit_lo: FloatArray
    limit_hi: FloatArray
    kind: IntArray  # item
    good_answer: BoolArray  # item (yes_no)
    critical: BoolArray  # item
    scored: BoolArray  # item
    effort_cost: FloatArray  # item
    item_category: IntArray  # item -> category index
    category_onehot: FloatArray  # item x category
    principle_onehot: FloatArray  # item x principle
    option_keys: pd.Index  # "item\x1fvalue" for every choice option
    option_scores: FloatArray


def _tables(catalogue: Catalogue) -> Tables:
    items = list(catalogue.items)
    item_ids = pd.Index([item.id for item in items])
    categories = [c.id for c in catalogue.categories]
    principles: list[str] = [p.id for p in catalogue.principles]
    keys = list(catalogue.checklists)
    n_p, n_i = len(keys), len(items)
    applies = np.zeros((n_p, n_i), dtype=bool)
    weight = np.zeros((n_p, n_i))
    bounds = np.full((4, n_p, n_i), np.nan)
    category_weight = np.zeros((n_p, len(categories)))
    for p, key in enumerate(keys):
        checklist = catalogue.checklists[key]
        category_weight[p] = [checklist.category_weights[c] for c in categories]
        for resolved in checklist.items:
            i = item_ids.get_loc(resolved.item.id)
            applies[p, i] = True
            weight[p, i] = resolved.weight
            if resolved.target is not None:
                (ilo, ihi), (llo, lhi) = resolved.target.ideal, resolved.target.limit
                bounds[:, p, i] = [np.nan if v is None else v for v in (ilo, ihi, llo, lhi)]
    option_keys, option_scores = [], []
    for item in items:
        for option in item.options or ():
            option_keys.append(f"{item.id}\x1f{option.value}")
            option_scores.append(option.score)
    item_category = np.array([categories.index(item.category) for item in items], dtype=np.int64)
    return Tables(
        profiles=pd.MultiIndex.from_tuples(keys, names=["setting", "room_type"]),
        item_ids=item_ids,
        categories=categories,
        principles=principles,
        applies=applies,
        weight=weight,
        category_weight=category_weight,
        ideal_lo=bounds[0],
        ideal_hi=bounds[1],
        limit_lo=bounds[2],
        limit_hi=bounds[3],
        kind=np.array([KIND_CODES[item.kind] for item in items], dtype=np.int64),
        good_answer=np.array([bool(item.good_answer) for item in items]),
        critical=np.array([item.critical for item in items]),
        scored=np.array([item.scored for item in items]),
        effort_cost=np.array([EFFORT_COST[item.effort] for item in items]),
        item_category=item_category,
        category_onehot=np.eye(len(categories))[item_category],
        principle_onehot=np.array(
            [[p in item.principles and item.scored for p in principles] for item in items], float
        ),
        option_keys=pd.Index(option_keys),
        option_scores=np.array(option_scores, dtype=float),
    )


_TABLE_CACHE: dict[int, tuple[Catalogue, Tables]] = {}


def cached_tables(catalogue: Catalogue) -> Tables:
    hit = _TABLE_CACHE.get(id(catalogue))
    if hit is None or hit[0] is not catalogue:
        hit = (catalogue, _tables(catalogue))
        _TABLE_CACHE[id(catalogue)] = hit
    return hit[1]


def accepted_rows(
    catalogue: Catalogue,
    t: Tables,
    *,
    pos: IntArray,
    item: IntArray,
    profile: IntArray,
    na: BoolArray,
    num: FloatArray,
    freq: FloatArray,
    text: IntArray,
    words: npt.NDArray[np.object_],
    n_items: int,
) -> tuple[BoolArray, npt.NDArray[np.object_]]:
    """Which answer rows the catalogue accepts, and why the others are refused: the rule of
    `checklists.stored_answers.decode_stored`, on arrays. A refused row refuses its whole answer.

    Text answers are checked by `parse_answer` itself, once per distinct (item, word) pair; numbers
    by the same ranges it applies (`Item.valid`, ratings 0 to 4, flicker percent and frequency).
    The reasons are given for the refused rows only, in their order; every step is linear in the
    rows (counts, never sorts), as the scorer that calls it is.
    """
    n = len(pos)
    code = np.zeros(n, dtype=np.int8)  # 0 accepted, else an index into _REASONS
    known = item >= 0
    code[~known] = _RETIRED
    safe_item = np.where(known, item, 0)
    applies = known & t.applies[profile[pos], safe_item]
    code[known & ~applies] = _NOT_APPLYING
    ok = applies.copy()
    kind = t.kind[safe_item]
    k = KIND_CODES
    resolved = _any_resolved(catalogue)
    # n/a, where the item allows it.
    allow_na = np.array([i.allow_na for i in catalogue.items], dtype=bool)
    ok &= ~na | allow_na[safe_item]
    # Text: each distinct (item, word) pair through parse_answer, looked up from a small table.
    has_text = ok & ~na & (text >= 0)
    if has_text.any():
        width = len(words) + 1
        pairs = safe_item[has_text].astype(np.int64) * width + text[has_text]
        seen = np.bincount(pairs, minlength=len(t.item_ids) * width)
        verdict = np.zeros(len(seen), dtype=bool)
        for p in np.flatnonzero(seen):
            verdict[p] = _accepts(resolved[t.item_ids[int(p) // width]], words[int(p) % width])
        ok[has_text] = verdict[pairs]
    # Numbers, by kind (a number where text or yes/no is expected is refused), checked on those rows only.
    numeric = np.flatnonzero(ok & ~na & (text < 0))
    n_kind, x, f, n_item = kind[numeric], num[numeric], freq[numeric], safe_item[numeric]
    finite, no_freq = np.isfinite(x), np.isnan(f)
    verdicts = np.zeros(len(numeric), dtype=bool)
    with np.errstate(invalid="ignore"):
        rows = n_kind == k[ItemKind.measurement]
        lo, hi = _valid_bounds(catalogue)
        v, i = x[rows], n_item[rows]
        verdicts[rows] = finite[rows] & no_freq[rows] & ~(v < lo[i]) & ~(v > hi[i])
        rows = n_kind == k[ItemKind.rating]
        v = x[rows]
        verdicts[rows] = finite[rows] & no_freq[rows] & (v == np.round(v)) & (v >= 0) & (v <= 4)
        rows = n_kind == k[ItemKind.flicker]
        v = x[rows]
        verdicts[rows] = finite[rows] & np.isfinite(f[rows]) & (v >= 0) & (v <= 100) & (f[rows] > 0)
    ok[numeric] = verdicts
    # One answer is one row, except a measurement's several readings. (A row of an unknown item is
    # an answer of its own: it must not be taken for an answer to the first item of the catalogue.)
    n_cells = (int(pos.max()) + 1 if n else 0) * n_items
    cell = pos.astype(np.int64) * n_items + safe_item
    rows_per_cell = np.bincount(cell[known], minlength=n_cells)
    ok &= ~known | (kind == k[ItemKind.measurement]) | (rows_per_cell[cell] == 1)
    code[applies & ~ok] = _REFUSED
    # A refused row refuses every row of its answer.
    refused_cell = np.zeros(n_cells, dtype=bool)
    refused_cell[cell[known & (code != 0)]] = True
    code[known & (code == 0) & refused_cell[cell]] = _REFUSED
    accepted = code == 0
    return accepted, _REASONS[code[~accepted]]


_RETIRED, _NOT_APPLYING, _REFUSED = 1, 2, 3
_REASONS = np.array(["", RETIRED_ITEM, NOT_APPLYING, REFUSED_ANSWER], dtype=object)


def _valid_bounds(catalogue: Catalogue) -> tuple[FloatArray, FloatArray]:
    """Each item's lowest and highest valid reading (`Item.valid`), NaN where there is no bound."""
    lo = np.array([np.nan if i.valid is None or i.valid[0] is None else i.valid[0] for i in catalogue.items])
    hi = np.array([np.nan if i.valid is None or i.valid[1] is None else i.valid[1] for i in catalogue.items])
    return lo, hi


def _accepts(resolved: ResolvedItem, word: object) -> bool:
    try:
        parse_answer(resolved, word)
    except AnswerError:
        return False
    return True


_RESOLVED_CACHE: dict[int, tuple[Catalogue, dict[str, ResolvedItem]]] = {}


def _any_resolved(catalogue: Catalogue) -> dict[str, ResolvedItem]:
    """Each item as some room type resolves it: what parse_answer needs to check a word (it reads
    only the item itself, never the room type's weight or target)."""
    hit = _RESOLVED_CACHE.get(id(catalogue))
    if hit is None or hit[0] is not catalogue:
        found: dict[str, ResolvedItem] = {}
        for checklist in catalogue.checklists.values():
            for resolved in checklist.items:
                found.setdefault(resolved.item.id, resolved)
        for it in catalogue.items:
            found.setdefault(it.id, ResolvedItem(item=it, weight=1.0, target=None))
        hit = (catalogue, found)
        _RESOLVED_CACHE[id(catalogue)] = hit
    return hit[1]
