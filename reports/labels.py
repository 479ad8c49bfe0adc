"""Words and numbers as a report reader sees them: item names, answers, scores, bands and dates.

Every export formats through here, so the PDF, the charts and the workbook print a score, a band
or an answer the same way (and a test can look for exactly that text).
"""

from __future__ import annotations

import datetime as dt

from checklists.describe import GRADE_MEANING
from checklists.responses import NA, Answer, Flicker
from checklists.schema import Catalogue, Item, ItemKind, Target
from scoring.engine import BAND_LABELS, Band
from scoring.items import flicker_risk

__all__ = [
    "EVIDENCE_GRADES",
    "NO_SCORE",
    "band_text",
    "category_title",
    "format_answer",
    "format_date",
    "format_gain",
    "format_number",
    "format_percent",
    "format_score",
    "item_label",
    "principle_short",
    "principle_title",
    "target_text",
]

# What a reader sees where there is no number: never 0, never an empty cell.
NO_SCORE = "–"

# The evidence grades in words for the methodology appendix, worded once in checklists.describe.
EVIDENCE_GRADES = {grade.value: meaning for grade, meaning in GRADE_MEANING.items()}


def format_score(value: float | None) -> str:
    """A 0..100 score as the reports print it: one decimal (71.4), or a dash when there is none."""
    return NO_SCORE if value is None else f"{value:.1f}"


def format_gain(value: float) -> str:
    return f"+{value:.1f}"


def format_percent(fraction: float) -> str:
    """A completeness fraction as a whole percentage: 0.95 -> '95 %'."""
    return f"{fraction * 100:.0f} %"


def format_number(value: float) -> str:
    """A reading without noise: 420.0 -> '420', 0.45 -> '0.45'."""
    return f"{value:g}"


def format_date(value: dt.date | None) -> str:
    """A date as people write it in reports: '3 Sep 2025'."""
    return NO_SCORE if value is None else f"{value.day} {value:%b %Y}"


def band_text(band: Band | str | None) -> str:
    """'B · mostly supportive'; the letter always travels with the colour."""
    if band is None:
        return "no band"
    value = Band(band)
    return f"{value.value} · {BAND_LABELS[value]}"


def item_label(item_id: str) -> str:
    """A short name for an item from its id: 'quiet_zones.retreat_space' -> 'Retreat space'."""
    noun = item_id.split(".", 1)[-1].replace("_", " ")
    return noun[:1].upper() + noun[1:]


def category_title(catalogue: Catalogue, category: str) -> str:
    for info in catalogue.categories:
        if info.id == category:
            return info.title
    return category.replace("_", " ").capitalize()


def principle_title(catalogue: Catalogue, principle: str) -> str:
    for info in catalogue.principles:
        if info.id == principle:
            return info.title
    return principle.capitalize()


def principle_short(principle: str) -> str:
    """The one-word name used on chart axes, where the full titles do not fit: 'Predictability'."""
    return principle.replace("_", " ").capitalize()


def target_text(target: Target | None) -> str:
    """'ideal 300 to 500 lx; scores 0 below 150 or above 1000 lx'."""
    return NO_SCORE if target is None else target.describe()


def format_answer(item: Item, answer: Answer | None) -> str:
    """An answer in words: 'yes', '420 lx, 610 lx', '4 % at 100 Hz (no risk)', '3 of 4: Good: ...'."""
    if answer is None:
        return "not answered"
    if isinstance(answer, str) and answer == NA:
        return "not applicable"
    kind = item.kind
    if isinstance(answer, bool):
        return "yes" if answer else "no"
    if isinstance(answer, Flicker):
        risk = flicker_risk(answer.percent, answer.frequency_hz)
        return f"{format_number(answer.percent)} % at {format_number(answer.frequency_hz)} Hz ({risk.value})"
    if isinstance(answer, tuple):
        unit = item.unit or ""
        return ", ".join(f"{format_number(v)} {unit}".strip() for v in answer)
    if kind is ItemKind.rating and isinstance(answer, int):
        level = item.levels[answer] if item.levels and 0 <= answer < len(item.levels) else ""
        return f"{answer} of 4" + (f": {level}" if level else "")
    if kind is ItemKind.choice and isinstance(answer, str):
        for option in item.options or ():
            if option.value == answer:
                return option.label
    return str(answer)
