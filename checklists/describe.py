"""Plain-words descriptions of the catalogue: evidence grades, answer kinds, and the one wording of
an item's target that every screen, report and the command line use.

A target and the flicker regions are worded in a language (`locale`, or the one in force, see
checklists.i18n): the words come from the "reports" catalogue and the numbers are written as that
language writes them ("ideal 300 to 500 lx" in English, "idéal de 300 à 500 lx" in French; 3,3 %).
In English the wording is exactly the catalogue's own, with numbers as Python's `g` writes them.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.numbers import format_decimal

from checklists.i18n import DEFAULT_LANGUAGE, N_, _, language, using
from checklists.schema import Bound, Catalogue, Grade, Item, ItemKind, ResolvedItem, Target

__all__ = [
    "FLICKER_SCORING",
    "FLICKER_TARGET",
    "FLICKER_TARGET_SHORT",
    "GRADE_MEANING",
    "GRADE_TEXT",
    "KIND_TEXT",
    "TargetRow",
    "answer_options",
    "describe",
    "flicker_scoring",
    "flicker_target",
    "flicker_target_short",
    "grade_meaning",
    "grade_text",
    "ideal_words",
    "kind_text",
    "number_words",
    "target_full",
    "target_rows",
    "target_summary",
]

# The evidence grades of shared CRITERIA.md in words, for the Criteria screen and the report appendix.
GRADE_MEANING = {
    Grade.P: N_("a published standard or guideline value"),
    Grade.R: N_("a peer-reviewed research finding"),
    Grade.D: N_("a design choice of ours, derived from published or research values"),
    Grade.Q: N_("qualitative good practice from audit tools and guides (no number exists)"),
}
GRADE_TEXT = {grade: f"{grade.value}: {meaning}" for grade, meaning in GRADE_MEANING.items()}

KIND_TEXT = {
    ItemKind.yes_no: N_("yes or no"),
    ItemKind.choice: N_("one of several answers"),
    ItemKind.rating: N_("a rating from 0 to 4"),
    ItemKind.measurement: N_("a measured reading (several readings are averaged)"),
    ItemKind.flicker: N_("a flicker reading: percent modulation and frequency (IEEE 1789 regions)"),
    ItemKind.text: N_("a written note (not scored)"),
    ItemKind.photo: N_("a photo (not scored)"),
}


# Flicker has no per-room target: it is scored by the IEEE 1789-2015 risk regions (scoring.items).
FLICKER_TARGET_SHORT = N_("IEEE 1789 no-risk region")
FLICKER_TARGET = "the IEEE 1789 no-risk region: at most 3.3 % at 100 Hz, any depth above 3000 Hz"
FLICKER_SCORING = N_("IEEE 1789-2015 regions: no risk 1, low risk 0.5, high risk 0")


def number_words(value: float, locale: str | None = None) -> str:
    """A bound or a reading as `locale` writes it: 0.45 -> '0.45' (en, as `g` writes it), '0,45' (fr)."""
    code = locale or language()
    if code == DEFAULT_LANGUAGE:
        return f"{value:g}"
    if value == int(value) and abs(value) < 1e15:
        value = int(value)
    return format_decimal(value, locale=code, group_separator=False, decimal_quantization=False)


def _range(bounds: tuple[Bound, Bound], unit: str, compact: bool, locale: str) -> str:
    lo, hi = bounds
    if lo is not None and hi is not None:
        low, high = number_words(lo, locale), number_words(hi, locale)
        if compact:
            return _("ideal {low}–{high} {unit}").format(low=low, high=high, unit=unit)
        return _("ideal {low} to {high} {unit}").format(low=low, high=high, unit=unit)
    if lo is not None:
        return _("ideal at least {value} {unit}").format(value=number_words(lo, locale), unit=unit)
    if hi is not None:
        return _("ideal at most {value} {unit}").format(value=number_words(hi, locale), unit=unit)
    return _("ideal any value")


def _outside(bounds: tuple[Bound, Bound], unit: str, compact: bool, locale: str) -> str:
    lo, hi = bounds
    if lo is not None and hi is not None:
        low, high = number_words(lo, locale), number_words(hi, locale)
        if compact:
            return _("0 below {low} or above {high} {unit}").format(low=low, high=high, unit=unit)
        return _("scores 0 below {low} or above {high} {unit}").format(low=low, high=high, unit=unit)
    if lo is not None:
        value = number_words(lo, locale)
        return (_("0 below {value} {unit}") if compact else _("scores 0 below {value} {unit}")).format(
            value=value, unit=unit
        )
    if hi is not None:
        value = number_words(hi, locale)
        return (_("0 above {value} {unit}") if compact else _("scores 0 above {value} {unit}")).format(
            value=value, unit=unit
        )
    return _("0 never") if compact else _("scores 0 never")


def ideal_words(target: Target, *, compact: bool = False, locale: str | None = None) -> str:
    """The ideal band alone: 'ideal 300 to 500 lx' ('ideal 300–500 lx' with `compact`)."""
    code = locale or language()
    with using(code):
        return _range(target.ideal, target.unit, compact, code)


def describe(target: Target, *, compact: bool = False, locale: str | None = None) -> str:
    """A target in words: 'ideal 300 to 500 lx; scores 0 below 150 or above 1000 lx', or with
    `compact`, for a narrow column: 'ideal 300–500 lx; 0 below 150 or above 1000 lx'; in `locale`
    (default: the language in force), its numbers written as that language writes them."""
    code = locale or language()
    with using(code):
        ideal, outside = (
            _range(target.ideal, target.unit, compact, code),
            _outside(target.limit, target.unit, compact, code),
        )
        return _("{ideal}; {outside}").format(ideal=ideal, outside=outside)


def flicker_target(locale: str | None = None) -> str:
    """The flicker regions as a target: 'the IEEE 1789 no-risk region: at most 3.3 % at 100 Hz, any
    depth above 3000 Hz' (FLICKER_TARGET in English)."""
    code = locale or language()
    with using(code):
        return _("the IEEE 1789 no-risk region: at most {percent} % at 100 Hz, any depth above 3000 Hz").format(
            percent=number_words(3.3, code)
        )


def flicker_target_short(locale: str | None = None) -> str:
    with using(locale):
        return _(FLICKER_TARGET_SHORT)


def flicker_scoring(locale: str | None = None) -> str:
    with using(locale):
        return _(FLICKER_SCORING)


def grade_text(grade: Grade) -> str:
    """'P: a published standard or guideline value', in the language in force."""
    return f"{grade.value}: {_(GRADE_MEANING[grade])}"


def kind_text(kind: ItemKind) -> str:
    """What kind of answer an item takes, in the language in force: 'a rating from 0 to 4'."""
    return _(KIND_TEXT[kind])


def grade_meaning(grade: Grade, locale: str | None = None) -> str:
    """An evidence grade in words, in `locale` (default: the language in force)."""
    with using(locale):
        return _(GRADE_MEANING[grade])


def target_full(resolved: ResolvedItem) -> str | None:
    """What an item aims for in this room type, in full: 'ideal 300 to 500 lx; scores 0 below 150 or
    above 1000 lx', the flicker region; None for items without a target (yes/no, choices, ratings)."""
    if resolved.target is not None:
        return describe(resolved.target)
    if resolved.item.kind is ItemKind.flicker:
        return flicker_target()
    return None


def target_summary(resolved: ResolvedItem) -> str:
    """What an item aims for, short, for a table cell: 'ideal 300 to 500 lx', 'best: yes',
    'best: Most surfaces', 'best: 4 of 4', 'IEEE 1789 no-risk region'; '' for unscored items."""
    item = resolved.item
    if resolved.target is not None:
        return ideal_words(resolved.target)
    if item.kind is ItemKind.yes_no:
        return _("best: yes") if item.good_answer else _("best: no")
    if item.kind is ItemKind.choice and item.options:
        return _("best: {answer}").format(answer=max(item.options, key=lambda o: o.score).label)
    if item.kind is ItemKind.rating:
        return _("best: 4 of 4")
    if item.kind is ItemKind.flicker:
        return _(FLICKER_TARGET_SHORT)
    return ""


@dataclass(frozen=True)
class TargetRow:
    setting: str
    room_type: str
    weight: float
    target: Target | None

    @property
    def text(self) -> str:
        return describe(self.target) if self.target else ""


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
