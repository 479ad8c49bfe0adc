"""The action plan: which fixes raise a room's score most for the effort they take."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from checklists.schema import EFFORT_COST, Effort
from scoring.items import clean, round_half_up

__all__ = ["Action", "Candidate", "gain_of_fix", "rank_actions"]


class Action(BaseModel):
    """One entry of the JSON action plan (DESIGN.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=True)

    item: str
    gain: float
    effort: Effort
    critical: bool
    how_to_fix: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """An answered item scoring below 1, with its unrounded gain."""

    item: str
    gain: float
    effort: Effort
    critical: bool
    failed_critical: bool
    how_to_fix: str


def gain_of_fix(
    item_weight: float, item_score: float, category_weight_sum: float, category_weight: float, overall_weight_sum: float
) -> float:
    """How much the overall score rises when one answered item is fixed to score 1.

    Fixing item i of category c raises the category score by 100 * w_i * (1 - s_i) / sum(w of c's
    answered items), and the overall score by W_c times that over sum(W of scored categories). The
    closed form is exact and is the same one the portfolio scorer vectorises.
    """
    category_rise = 100.0 * item_weight * (1.0 - item_score) / category_weight_sum
    return category_weight * category_rise / overall_weight_sum


def rank_actions(candidates: Iterable[Candidate]) -> list[Action]:
    """Failed critical items first, then gain per effort cost, then gain (both descending), then id."""

    def key(c: Candidate) -> tuple[bool, float, float, str]:
        return (not c.failed_critical, -clean(c.gain / EFFORT_COST[c.effort]), -clean(c.gain), c.item)

    return [
        Action(
            item=c.item, gain=round_half_up(c.gain, 1), effort=c.effort, critical=c.critical, how_to_fix=c.how_to_fix
        )
        for c in sorted(candidates, key=key)
    ]
