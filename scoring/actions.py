"""The action plan: which fixes raise a room's score most for the effort they take."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from checklists.schema import EFFORT_COST, Effort
from scoring.items import clean, round_half_up

if TYPE_CHECKING:
    import pandas as pd  # the one-room engine runs without pandas; only portfolio plans need it

__all__ = ["Action", "Candidate", "gain_of_fix", "plan_key", "rank_actions", "rank_plan_frame"]


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


def plan_key(failed_critical: bool, gain: float, effort: Effort | str, item: str) -> tuple[bool, float, float, str]:
    """The order of every action plan, one room's or a portfolio's, on screen, in reports and on the
    command line: failed critical items first, then gain per effort cost, then gain (both descending,
    unrounded, cleaned of float noise), then the item id."""
    return (not failed_critical, -clean(gain / EFFORT_COST[Effort(effort)]), -clean(gain), item)


def rank_actions(candidates: Iterable[Candidate]) -> list[Action]:
    """One room's plan, ranked by `plan_key`, rounded for output."""
    return [
        Action(
            item=c.item, gain=round_half_up(c.gain, 1), effort=c.effort, critical=c.critical, how_to_fix=c.how_to_fix
        )
        for c in sorted(candidates, key=lambda c: plan_key(c.failed_critical, c.gain, c.effort, c.item))
    ]


def rank_plan_frame(
    plan: pd.DataFrame,
    *,
    gain: str = "raw_gain",
    failed_critical: str = "failed_critical",
    effort: str = "effort",
    item: str = "item_id",
    ties: Sequence[str] = (),
) -> pd.DataFrame:
    """A portfolio's fixes (one row each) in `plan_key` order; rooms' fixes interleave, and equal
    keys are ordered by the `ties` columns (site, then room). Returns a new frame, index reset.

    The key is computed by `plan_key` itself, row by row: a plan has at most a few thousand rows,
    and one definition of the order is worth more than a vectorised copy of it.
    """
    import pandas as pd

    if plan.empty:
        return plan.reset_index(drop=True)
    keys = [
        plan_key(bool(f), float(g), str(e), str(i))
        for f, g, e, i in zip(plan[failed_critical], plan[gain], plan[effort], plan[item], strict=True)
    ]
    order = pd.DataFrame(keys, columns=["_a", "_b", "_c", "_d"], index=plan.index)
    for n, column in enumerate(ties):
        order[f"_t{n}"] = plan[column]
    ranked = order.sort_values(list(order.columns), kind="stable").index
    return plan.loc[ranked].reset_index(drop=True)
