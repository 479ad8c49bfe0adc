"""What changed between two assessments of one room: item by item, and in every category and principle score.

Takes two engine results (`scoring.engine.evaluate`) with the answers they were scored from, and
says of each scored item whether it improved, worsened, stayed the same, was newly answered, no
longer applies, or lost its answer to a change of the criteria (a retired answer). Item scores are
compared as the engine reports them (3 decimals), and score changes are the difference of the
reported scores (1 decimal), so a reader can check every change against the two scorecards.
Pure: no I/O, no wording beyond the kind of change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from checklists.i18n import N_, _
from checklists.responses import Answer
from checklists.schema import ResolvedItem
from checklists.stored_answers import RetiredAnswer
from scoring.engine import Band, Evaluation, ItemStatus
from scoring.items import round_half_up

__all__ = ["Change", "Changes", "ItemChange", "ItemSide", "ScoreChange", "Scored", "what_changed"]


class Change(StrEnum):
    """How one item moved from the earlier assessment to the later one."""

    improved = "improved"
    worsened = "worsened"
    unchanged = "unchanged"
    newly_answered = "newly_answered"  # no score before (unanswered, n/a or retired), a score now
    no_longer_applicable = "no_longer_applicable"  # answered n/a now, not before
    no_longer_answered = "no_longer_answered"  # a score before, left unanswered now
    retired = "retired"  # the later answer is one the current criteria no longer take
    not_answered = "not_answered"  # no score in either assessment

    @property
    def words(self) -> str:
        return _(CHANGE_WORDS[self])


CHANGE_WORDS = {
    Change.improved: N_("improved"),
    Change.worsened: N_("worsened"),
    Change.unchanged: N_("unchanged"),
    Change.newly_answered: N_("newly answered"),
    Change.no_longer_applicable: N_("no longer applicable"),
    Change.no_longer_answered: N_("no longer answered"),
    Change.retired: N_("answer retired"),
    Change.not_answered: N_("not answered in either"),
}
# Changes a reader looks for first, in the order a list of them is read.
MOVED = (
    Change.worsened, Change.improved, Change.newly_answered, Change.no_longer_applicable,
    Change.no_longer_answered, Change.retired,
)  # fmt: skip


@dataclass(frozen=True)
class Scored:
    """One assessment as the engine scored it, with the answers it was scored from and those retired."""

    evaluation: Evaluation
    answers: Mapping[str, Answer] = field(default_factory=dict)
    retired: Sequence[RetiredAnswer] = ()


@dataclass(frozen=True, slots=True)
class ItemSide:
    """One item in one of the two assessments."""

    status: ItemStatus | None  # None: the item is not in this assessment's checklist
    score: float | None  # 0..1, 3 decimals as in RoomScore; None unless answered and scored
    answer: Answer | None = None
    retired: RetiredAnswer | None = None


@dataclass(frozen=True, slots=True)
class ItemChange:
    item_id: str
    category: str
    resolved: ResolvedItem | None  # None for an answer kept from an item no longer in the checklist
    before: ItemSide
    after: ItemSide
    change: Change

    @property
    def delta(self) -> float | None:
        """The item's score now minus before (0..1), when it has one in both."""
        if self.before.score is None or self.after.score is None:
            return None
        return round_half_up(self.after.score - self.before.score, 3)


@dataclass(frozen=True, slots=True)
class ScoreChange:
    """A 0..100 score in both assessments (1 decimal, as reported) and its change."""

    key: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return round_half_up(self.after - self.before, 1)


@dataclass(frozen=True)
class Changes:
    items: tuple[ItemChange, ...]
    categories: tuple[ScoreChange, ...]
    principles: tuple[ScoreChange, ...]
    overall: ScoreChange
    bands: tuple[Band | None, Band | None]

    def counts(self) -> dict[Change, int]:
        """How many items changed in each way, every kind listed (0 where none)."""
        return {kind: sum(c.change is kind for c in self.items) for kind in Change}

    @property
    def moved(self) -> tuple[ItemChange, ...]:
        """The items that changed in any way, worsened first (see MOVED), each group in checklist order."""
        order = {kind: n for n, kind in enumerate(MOVED)}
        return tuple(sorted((c for c in self.items if c.change in order), key=lambda c: order[c.change]))


def _score(value: float | None, digits: int) -> float | None:
    return None if value is None else round_half_up(value, digits)


def _sides(scored: Scored) -> dict[str, ItemSide]:
    retired = {r.item_id: r for r in scored.retired}
    sides = {}
    for ev in scored.evaluation.items:
        item_id = ev.resolved.item.id
        sides[item_id] = ItemSide(ev.status, _score(ev.score, 3), scored.answers.get(item_id), retired.get(item_id))
    return sides


def _change(before: ItemSide, after: ItemSide) -> Change:
    if after.score is not None:
        if before.score is None:
            return Change.newly_answered
        if after.score > before.score:
            return Change.improved
        if after.score < before.score:
            return Change.worsened
        return Change.unchanged
    if after.retired is not None:
        return Change.retired
    if after.status is ItemStatus.not_applicable:
        return Change.unchanged if before.status is ItemStatus.not_applicable else Change.no_longer_applicable
    if before.score is not None:
        return Change.no_longer_answered
    return Change.not_answered


def what_changed(before: Scored, after: Scored) -> Changes:
    """Item by item and score by score, from `before` to `after` (two assessments of one room).

    Every scored item of either checklist is listed in checklist order (the later one's, then any
    only the earlier one had); unscored evidence (notes, photos) is left out. Answers retired from
    items no longer in the checklist follow, as `Change.retired` when the later assessment has one.
    """
    sides_before, sides_after = _sides(before), _sides(after)
    resolved: dict[str, ResolvedItem] = {}
    for scored in (after, before):
        for ev in scored.evaluation.items:
            if ev.resolved.item.scored:
                resolved.setdefault(ev.resolved.item.id, ev.resolved)
    absent = ItemSide(None, None)
    items = []
    for item_id, res in resolved.items():
        side_before, side_after = sides_before.get(item_id, absent), sides_after.get(item_id, absent)
        items.append(
            ItemChange(item_id, res.item.category, res, side_before, side_after, _change(side_before, side_after))
        )
    # Answers to items gone from the checklist: the engine never saw them, the reader must.
    gone_before = {r.item_id: r for r in before.retired if r.item_id not in resolved}
    gone_after = {r.item_id: r for r in after.retired if r.item_id not in resolved}
    for item_id in sorted(gone_before.keys() | gone_after.keys()):
        side_before = ItemSide(None, None, None, gone_before.get(item_id))
        side_after = ItemSide(None, None, None, gone_after.get(item_id))
        change = Change.retired if item_id in gone_after else Change.not_answered
        items.append(ItemChange(item_id, item_id.split(".", 1)[0], None, side_before, side_after, change))

    def scores(old: Mapping[str, float | None], new: Mapping[str, float | None]) -> tuple[ScoreChange, ...]:
        keys = list(new) + [k for k in old if k not in new]
        return tuple(ScoreChange(k, _score(old.get(k), 1), _score(new.get(k), 1)) for k in keys)

    old_ev, new_ev = before.evaluation, after.evaluation
    return Changes(
        items=tuple(items),
        categories=scores(old_ev.category_scores, new_ev.category_scores),
        principles=scores(old_ev.principle_scores, new_ev.principle_scores),
        overall=ScoreChange("overall", _score(old_ev.overall, 1), _score(new_ev.overall, 1)),
        bands=(old_ev.band, new_ev.band),
    )
