"""Words and numbers as a report reader sees them: item names, answers, scores, bands and dates.

Every export formats through here, so the PDF, the charts and the workbook print a score, a band
or an answer the same way (and a test can look for exactly that text). Words and numbers are in the
report's language (checklists.i18n: `using(code)` around the build): numbers, percentages and dates
as Babel writes them for that locale ("71,4", "95 %", "3 septembre 2025" in French); in English
exactly as before ("71.4", "95 %", "3 Sep 2025").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from babel.dates import format_date as babel_date
from babel.numbers import format_decimal
from babel.numbers import format_percent as babel_percent

from checklists.describe import GRADE_MEANING, number_words
from checklists.i18n import DEFAULT_LANGUAGE, N_, _, language
from checklists.responses import NA, Answer, Flicker
from checklists.schema import Catalogue, Item, ItemKind, Target
from checklists.translations import item_names, localized
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
    "format_gains",
    "format_month",
    "format_number",
    "format_percent",
    "format_score",
    "item_label",
    "principle_short",
    "principle_title",
    "target_text",
    "value_text",
]

# What a reader sees where there is no number: never 0, never an empty cell.
NO_SCORE = "–"

# The evidence grades in words for the methodology appendix, worded once in checklists.describe
# (English; translate each with `_` where it is shown).
EVIDENCE_GRADES = {grade.value: meaning for grade, meaning in GRADE_MEANING.items()}


def _english() -> bool:
    return language() == DEFAULT_LANGUAGE


def format_score(value: float | None) -> str:
    """A 0..100 score as the reports print it: one decimal (71.4; 71,4 in French), or a dash when there is none."""
    if value is None:
        return NO_SCORE
    return f"{value:.1f}" if _english() else format_decimal(value, format="0.0", locale=language())


def format_gain(value: float) -> str:
    """Points a fix would add: '+6.2' ('+6,2' in French)."""
    return format_gains([value])[0]


def format_gains(values: Iterable[float]) -> list[str]:
    """`format_gain` of each of `values` (a plan's column), the language looked up once."""
    code = language()
    if code == DEFAULT_LANGUAGE:
        return [f"+{value:.1f}" for value in values]
    return ["+" + format_decimal(value, format="0.0", locale=code) for value in values]


def format_percent(fraction: float) -> str:
    """A completeness fraction as a whole percentage: 0.95 -> '95 %' (French '95 %', with a no-break space)."""
    return f"{fraction * 100:.0f} %" if _english() else babel_percent(fraction, locale=language())


def format_number(value: float) -> str:
    """A reading without noise: 420.0 -> '420', 0.45 -> '0.45' ('0,45' in French)."""
    return number_words(value)


def format_date(value: dt.date | None) -> str:
    """A date as people write it in reports: '3 Sep 2025' ('3 septembre 2025', '3. September 2025')."""
    if value is None:
        return NO_SCORE
    return f"{value.day} {value:%b %Y}" if _english() else babel_date(value, "long", locale=language())


def format_month(value: dt.date) -> str:
    """A month as a chart's date axis names it: 'Sep 2025' ('sept. 2025', 'Sept. 2025')."""
    return f"{value:%b %Y}" if _english() else babel_date(value, "MMM y", locale=language())


def band_text(band: Band | str | None) -> str:
    """'B · mostly supportive'; the letter always travels with the colour."""
    if band is None:
        return _("no band")
    value = Band(band)
    return f"{value.value} · {_(BAND_LABELS[value])}"


# Words the reports show for stored values: assessment statuses, efforts, action states.
_VALUE_WORDS = {
    "draft": N_("draft"),
    "submitted": N_("submitted"),
    "reviewed": N_("reviewed"),
    "low": N_("low"),
    "medium": N_("medium"),
    "high": N_("high"),
    "open": N_("open"),
    "in progress": N_("in progress"),
    "done": N_("done"),
    "verified": N_("verified"),
}


def value_text(value: object) -> str:
    """A stored value in the report's words: 'submitted' -> 'soumise'; an unknown value as it is."""
    text = str(value).replace("_", " ")
    return _(_VALUE_WORDS[text]) if text in _VALUE_WORDS else text


def item_label(item_id: str) -> str:
    """An item's short name: 'quiet_zones.retreat_space' -> 'Retreat space' (from its id), in the
    reader's language where its translation file names it ('Espace de retrait'); an item without
    a translated name (an organisation's own) keeps the name its id gives."""
    if not _english():
        name = item_names(language()).get(item_id)
        if name is not None:
            return name
    noun = item_id.split(".", 1)[-1].replace("_", " ")
    return noun[:1].upper() + noun[1:]


def _in_language(catalogue: Catalogue) -> Catalogue:
    """The catalogue's words in the reader's language (the catalogue itself in English)."""
    return catalogue if _english() else localized(catalogue, language()).catalogue


def category_title(catalogue: Catalogue, category: str) -> str:
    """A category's title in the reader's language: 'Lighting' ('Éclairage')."""
    for info in _in_language(catalogue).categories:
        if info.id == category:
            return info.title
    return category.replace("_", " ").capitalize()


def principle_title(catalogue: Catalogue, principle: str) -> str:
    """A principle's title in the reader's language."""
    for info in _in_language(catalogue).principles:
        if info.id == principle:
            return info.title
    return principle.capitalize()


# The principles' one-word names, in the reports' catalogue; an organisation's own principle is named by its id.
_PRINCIPLE_SHORT = {
    "safety": N_("Safety"),
    "regulation": N_("Regulation"),
    "choice": N_("Choice"),
    "predictability": N_("Predictability"),
    "dignity": N_("Dignity"),
    "inclusion": N_("Inclusion"),
}


def principle_short(principle: str) -> str:
    """The one-word name used on chart axes, where the full titles do not fit: 'Predictability'."""
    if principle in _PRINCIPLE_SHORT:
        return _(_PRINCIPLE_SHORT[principle])
    return principle.replace("_", " ").capitalize()


def target_text(target: Target | None) -> str:
    """'ideal 300 to 500 lx; scores 0 below 150 or above 1000 lx'."""
    return NO_SCORE if target is None else target.describe()


def format_answer(item: Item, answer: Answer | None) -> str:
    """An answer in words: 'yes', '420 lx, 610 lx', '4 % at 100 Hz (no risk)', '3 of 4: Good: ...'."""
    if answer is None:
        return _("not answered")
    if isinstance(answer, str) and answer == NA:
        return _("not applicable")
    kind = item.kind
    if isinstance(answer, bool):
        return _("yes") if answer else _("no")
    if isinstance(answer, Flicker):
        risk = flicker_risk(answer.percent, answer.frequency_hz)
        return _("{percent} % at {frequency} Hz ({risk})").format(
            percent=format_number(answer.percent), frequency=format_number(answer.frequency_hz), risk=_(risk.value)
        )
    if isinstance(answer, tuple):
        unit = item.unit or ""
        return ", ".join(f"{format_number(v)} {unit}".strip() for v in answer)
    if kind is ItemKind.rating and isinstance(answer, int):
        level = item.levels[answer] if item.levels and 0 <= answer < len(item.levels) else ""
        rating = _("{n} of 4").format(n=answer)
        return f"{rating}: {level}" if level else rating
    if kind is ItemKind.choice and isinstance(answer, str):
        for option in item.options or ():
            if option.value == answer:
                return option.label
    return str(answer)
