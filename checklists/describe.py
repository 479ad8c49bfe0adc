"""Plain-words descriptions of the catalogue: evidence grades, answer kinds, and the one wording of
an item's target that every screen, report and the command line use."""

from __future__ import annotations

from dataclasses import dataclass

from checklists.schema import Catalogue, Grade, Item, ItemKind, ResolvedItem, Target

__all__ = [
    "FLICKER_SCORING",
    "FLICKER_TARGET",
    "FLICKER_TARGET_SHORT",
    "GRADE_MEANING",
    "GRADE_TEXT",
    "KIND_TEXT",
    "TargetRow",
    "answer_options",
    "target_full",
    "target_rows",
    "target_summary",
]

# The evidence grades of shared CRITERIA.md in words, for the Criteria screen and the report appendix.
GRADE_MEANING = {
    Grade.P: "a published standard or guideline value",
    Grade.R: "a peer-reviewed research finding",
    Grade.D: "a design choice of ours, derived from published or research values",
    Grade.Q: "qualitative good practice from audit tools and guides (no number exists)",
}
GRADE_TEXT = {grade: f"{grade.value}: {meaning}" for grade, meaning in GRADE_MEANING.items()}

KIND_TEXT = {
    ItemKind.yes_no: "yes or no",
    ItemKind.choice: "one of several answers",
    ItemKind.rating: "a rating from 0 to 4",
    ItemKind.measurement: "a measured reading (several readings are averaged)",
    ItemKind.flicker: "a flicker reading: percent modulation and frequency (IEEE 1789 regions)",
    ItemKind.text: "a written note (not scored)",
    ItemKind.photo: "a photo (not scored)",
}


# Flicker has no per-room target: it is scored by the IEEE 1789-2015 risk regions (scoring.items).
FLICKER_TARGET_SHORT = "IEEE 1789 no-risk region"
FLICKER_TARGET = "the IEEE 1789 no-risk region: at most 3.3 % at 100 Hz, any depth above 3000 Hz"
FLICKER_SCORING = "IEEE 1789-2015 regions: no risk 1, low risk 0.5, high risk 0"


def target_full(resolved: ResolvedItem) -> str | None:
    """What an item aims for in this room type, in full: 'ideal 300 to 500 lx; scores 0 below 150 or
    above 1000 lx', the flicker region; None for items without a target (yes/no, choices, ratings)."""
    if resolved.target is not None:
        return resolved.target.describe()
    if resolved.item.kind is ItemKind.flicker:
        return FLICKER_TARGET
    return None


def target_summary(resolved: ResolvedItem) -> str:
    """What an item aims for, short, for a table cell: 'ideal 300 to 500 lx', 'best: yes',
    'best: Most surfaces', 'best: 4 of 4', 'IEEE 1789 no-risk region'; '' for unscored items."""
    item = resolved.item
    if resolved.target is not None:
        return resolved.target.ideal_text()
    if item.kind is ItemKind.yes_no:
        return "best: yes" if item.good_answer else "best: no"
    if item.kind is ItemKind.choice and item.options:
        return f"best: {max(item.options, key=lambda o: o.score).label}"
    if item.kind is ItemKind.rating:
        return "best: 4 of 4"
    if item.kind is ItemKind.flicker:
        return FLICKER_TARGET_SHORT
    return ""


@dataclass(frozen=True)
class TargetRow:
    setting: str
    room_type: str
    weight: float
    target: Target | None

    @property
    def text(self) -> str:
        return self.target.describe() if self.target else ""


def target_rows(catalogue: Catalogue, item_id: str) -> list[TargetRow]:
    """Where an item applies: each setting's room types with the weight and target there."""
    rows = []
    for checklist in catalogue.checklists.values():
        resolved = checklist.by_id().get(item_id)
        if resolved is not None:
            rows.append(TargetRow(checklist.setting_title, checklist.room_type_title, resolved.weight, resolved.target))
    return rows


def answer_options(item: Item) -> str:
    """The answers an assessor can give, in words: 'yes (scores 1), no (scores 0)'."""
    if item.kind is ItemKind.yes_no:
        good = "yes" if item.good_answer else "no"
        bad = "no" if item.good_answer else "yes"
        return f"{good} (scores 1), {bad} (scores 0)"
    if item.kind is ItemKind.choice and item.options:
        return ", ".join(f"{o.label} ({o.score:g})" for o in item.options)
    if item.kind is ItemKind.rating and item.levels:
        return "; ".join(f"{n}: {text}" for n, text in enumerate(item.levels))
    return KIND_TEXT[item.kind]
