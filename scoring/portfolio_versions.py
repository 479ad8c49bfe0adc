"""Score a portfolio whose assessments were taken under several catalogue versions.

Each assessment is scored under its own version (the catalogue `choose` returns for its
`catalogue_version` and `status`): assessments are grouped by version, each group is scored by the
vectorised `score_portfolio`, and the groups are laid side by side on the union of their items,
categories and principles (an item a version does not have is "does not apply" there). The numbers
of every assessment are those the engine gives under its version; the frame gains `scored_version`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import fields, replace

import numpy as np
import pandas as pd

from checklists.schema import Catalogue, Item
from scoring.portfolio import PortfolioScores, score_portfolio

__all__ = ["Chooser", "score_portfolio_versions"]

# (catalogue_version, status, (setting, room_type)) -> the catalogue that assessment is scored under.
Chooser = Callable[[str, object, tuple[str, str]], Catalogue]

# Fill values of the dense arrays where a version lacks the item, category or principle.
_FILL: dict[str, object] = {
    "item_scores": np.nan, "status": -1, "weight": 0.0, "category_scores": np.nan, "category_weight": 0.0,
    "category_answered": 0, "category_applicable": 0, "category_present": False, "principle_scores": np.nan,
    "principle_present": False, "critical_failed": False, "gain": np.nan,
}  # fmt: skip
_BY_ITEM = ("item_scores", "status", "weight", "critical_failed", "gain")
_BY_CATEGORY = ("category_scores", "category_weight", "category_answered", "category_applicable", "category_present")
_BY_PRINCIPLE = ("principle_scores", "principle_present")
_PER_ASSESSMENT = ("overall", "completeness", "failed_critical_any")


def _union(lists: Sequence[Sequence[str]]) -> list[str]:
    out: dict[str, None] = {}
    for names in lists:
        out.update(dict.fromkeys(names))
    return list(out)


def _extra_items(current: Catalogue, others: Sequence[Catalogue]) -> dict[str, Item]:
    """Items of older versions the current catalogue does not have, newest wording first."""
    known = {item.id for item in current.items}
    out: dict[str, Item] = {}
    for catalogue in others:
        for item in catalogue.items:
            if item.id not in known:
                out.setdefault(item.id, item)
    return out


def score_portfolio_versions(
    current: Catalogue, assessments: pd.DataFrame, answers: pd.DataFrame, choose: Chooser | None = None
) -> PortfolioScores:
    """Score every assessment under the catalogue `choose` picks for it (by default: the current one).

    `assessments` needs `catalogue_version` (and `status`, when drafts are in it) beside the columns
    `score_portfolio` reads."""
    frame = assessments.reset_index(drop=True)
    if choose is None or len(frame) == 0 or "catalogue_version" not in frame:
        scores = score_portfolio(current, frame, answers)
        scores.assessments["scored_version"] = current.version
        return scores
    status = frame["status"] if "status" in frame else pd.Series([None] * len(frame))
    keys = pd.DataFrame(
        {"v": frame["catalogue_version"].astype(str), "d": status.astype(str) == "draft",
         "s": frame["setting"], "r": frame["room_type"]}
    )  # fmt: skip
    chosen: dict[tuple[str, bool, str, str], str] = {}
    catalogues: dict[str, Catalogue] = {current.version: current}
    for v, d, s, r in keys.drop_duplicates().itertuples(index=False):
        catalogue = choose(v, "draft" if d else None, (s, r))
        catalogues[catalogue.version] = catalogue
        chosen[(v, d, s, r)] = catalogue.version
    version_of = pd.Series([chosen[k] for k in keys.itertuples(index=False, name=None)], dtype=object)
    groups = {v: np.flatnonzero((version_of == v).to_numpy()) for v in pd.unique(version_of)}
    if len(groups) == 1:
        (only,) = groups
        scores = score_portfolio(catalogues[only], frame, answers)
        scores.assessments["scored_version"] = only
        if only == current.version:
            return scores
        return replace(scores, extra_items=_extra_items(current, [catalogues[only]]))

    ids = frame["assessment_id"].to_numpy(dtype=np.int64)
    answer_ids = answers["assessment_id"].to_numpy(dtype=np.int64)
    parts: dict[str, tuple[np.ndarray, PortfolioScores]] = {}
    for version, rows in groups.items():
        wanted = np.isin(answer_ids, ids[rows])
        parts[version] = (rows, score_portfolio(catalogues[version], frame.iloc[rows], answers[wanted]))
    order = [current.version, *(v for v in parts if v != current.version)]
    ordered = [parts[v][1] for v in order if v in parts]
    item_ids = pd.Index(_union([list(p.item_ids) for p in ordered]))
    categories = _union([p.categories for p in ordered])
    principles = _union([p.principles for p in ordered])
    n = len(frame)

    arrays: dict[str, np.ndarray] = {}
    first = ordered[0]
    for name, width in (
        *((f, len(item_ids)) for f in _BY_ITEM),
        *((f, len(categories)) for f in _BY_CATEGORY),
        *((f, len(principles)) for f in _BY_PRINCIPLE),
    ):
        like = getattr(first, name)
        arrays[name] = np.full((n, width), _FILL[name], dtype=like.dtype)
    for name in _PER_ASSESSMENT:
        arrays[name] = np.zeros(n, dtype=getattr(first, name).dtype)
    retired = []
    for version in order:
        if version not in parts:
            continue
        rows, part = parts[version]
        columns = {
            _BY_ITEM: item_ids.get_indexer(part.item_ids),
            _BY_CATEGORY: pd.Index(categories).get_indexer(pd.Index(part.categories)),
            _BY_PRINCIPLE: pd.Index(principles).get_indexer(pd.Index(part.principles)),
        }
        for names, cols in columns.items():
            for name in names:
                arrays[name][np.ix_(rows, cols)] = getattr(part, name)
        for name in _PER_ASSESSMENT:
            arrays[name][rows] = getattr(part, name)
        retired.append(part.retired)

    merged = frame.copy()
    merged["scored_version"] = version_of.to_numpy()
    values = {f.name: getattr(first, f.name) for f in fields(PortfolioScores)}
    values.update(arrays)
    values.update(
        assessment_ids=pd.Index(ids),
        item_ids=item_ids,
        categories=categories,
        principles=principles,
        assessments=merged,
        retired=pd.concat([r for r in retired if len(r)], ignore_index=True) if any(len(r) for r in retired)
        else first.retired,
        extra_items=_extra_items(current, [catalogues[v] for v in order if v in parts]),
    )  # fmt: skip
    return PortfolioScores(**values)
