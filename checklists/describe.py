"""Plain-words descriptions of the catalogue, shared by the Criteria screen and the report appendix."""

from __future__ import annotations

from dataclasses import dataclass

from checklists.schema import Catalogue, Grade, Item, ItemKind, Target

__all__ = ["GRADE_MEANING", "GRADE_TEXT", "KIND_TEXT", "TargetRow", "answer_options", "target_rows"]

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
