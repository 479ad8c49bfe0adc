"""The words and numbers of the dashboard's tables (Overview, Compare rooms, Room) in the person's
language: bands, statuses, efforts, answers, targets, dates, scores, and the checklist's own words
(item questions, category, setting and room type titles) from its translation files
(`checklists.translations.localized`).

Only what is shown changes: ids, scores and the values a table sorts by stay as they are. English
reads as the reports print it (`reports.labels`). Free of Streamlit; the language is the current
one (`ui.i18n.language`) unless a function is given one.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from numbers import Real

import pandas as pd
from babel import dates as babel_dates
from pandas.io.formats.style import Styler

from checklists.describe import target_summary
from checklists.responses import NA, Answer, Flicker
from checklists.schema import Catalogue, Item, ItemKind, ResolvedItem
from checklists.translations import localized
from reports.labels import NO_SCORE, format_date, item_label
from scoring.engine import Band
from scoring.items import FlickerRisk, flicker_risk
from ui import numbers
from ui.assess_answers import describe_answer
from ui.i18n import N_, _, language, using

__all__ = [
    "answer_text",
    "band_meaning",
    "band_text",
    "date_text",
    "effort_text",
    "gain_text",
    "item_name",
    "number_cells",
    "percent_text",
    "score_text",
    "shown_catalogue",
    "status_text",
    "target_text",
]

BAND_WORDS = {
    Band.A: N_("sensory-supportive"),
    Band.B: N_("mostly supportive"),
    Band.C: N_("partly supportive"),
    Band.D: N_("not yet supportive"),
}
STATUS_WORDS = {"draft": N_("draft"), "submitted": N_("submitted"), "reviewed": N_("reviewed")}
EFFORT_WORDS = {"low": N_("low"), "medium": N_("medium"), "high": N_("high")}
RISK_WORDS = {FlickerRisk.no_risk: N_("no risk"), FlickerRisk.low_risk: N_("low risk"),
              FlickerRisk.high_risk: N_("high risk")}  # fmt: skip


def shown_catalogue(catalogue: Catalogue, locale: str | None = None) -> Catalogue:
    """The catalogue with its words in the person's language (the catalogue itself in English)."""
    return localized(catalogue, locale or language()).catalogue


def band_meaning(band: Band | str) -> str:
    """What a band means: 'mostly supportive', in the person's language."""
    return _(BAND_WORDS[Band(band)])


def band_text(band: Band | str | None) -> str:
    """'B · mostly supportive' ('B · plutôt favorable'); the letter always travels with the colour."""
    if band is None:
        return _("no band")
    return f"{Band(band).value} · {band_meaning(band)}"


def status_text(status: str, provisional: bool = False) -> str:
    """'reviewed', 'draft', 'submitted · provisional', in the person's language."""
    word = _(STATUS_WORDS[status]) if status in STATUS_WORDS else status
    return word + " · " + _("provisional") if provisional else word


def effort_text(effort: str) -> str:
    return _(EFFORT_WORDS[effort]) if effort in EFFORT_WORDS else effort


def date_text(value: dt.date | None, locale: str | None = None) -> str:
    """'3 Sep 2025' as the reports print it ('3 sept. 2025', '03.09.2025'); a dash when there is none."""
    locale = locale or language()
    if value is None or locale == "en":
        return format_date(value)
    return babel_dates.format_date(value, "medium", locale=locale)


def score_text(value: float | None, locale: str | None = None) -> str:
    """A 0..100 score with one decimal: 71.4 (en), 71,4 (fr); a dash when there is none."""
    return NO_SCORE if value is None else numbers.format_score(value, locale or language())


def gain_text(value: float, locale: str | None = None) -> str:
    return "+" + numbers.format_score(value, locale or language())


def percent_text(fraction: float, locale: str | None = None) -> str:
    """A share as a whole percentage, '95 %'."""
    return f"{numbers.format_number(round(fraction * 100), locale or language())} %"


def number_cells(
    table: pd.DataFrame | Styler,
    places: Mapping[str, int],
    locale: str | None = None,
    units: Mapping[str, str] | None = None,
) -> Styler:
    """The table with its number columns shown in the person's language ('71,4' in French, '95 %'),
    `places` decimals each; the cells keep their numbers, so the table still sorts by value.

    Every number column of a table given here is to be named in `places`: Streamlit shows the
    styler's text for each cell, and a column left out would show six decimals ("1.000000"). An
    empty cell stays Streamlit's own (a grey "None"); a column that is often empty is better shown
    as text in the language (as `ui.changes_view` does)."""
    locale = locale or language()
    styler = table if isinstance(table, Styler) else table.style

    def cell(digits: int, unit: str) -> Callable[[object], str]:
        def shown(value: object) -> str:
            if isinstance(value, bool) or not isinstance(value, Real) or math.isnan(value):
                return NO_SCORE
            text = numbers.format_decimals(float(value), digits, locale)
            return f"{text} {unit}" if unit else text

        return shown

    return styler.format({column: cell(digits, (units or {}).get(column, "")) for column, digits in places.items()})


def item_name(catalogue: Catalogue, item_id: str, locale: str | None = None) -> str:
    """An item's short name in English ('Retreat space', from its id); its question in another
    language, the only words of it the translation files give."""
    locale = locale or language()
    if locale == "en":
        return item_label(item_id)
    try:
        return shown_catalogue(catalogue, locale).item(item_id).question
    except KeyError:  # an organisation's own item, or one the catalogue no longer holds
        return item_label(item_id)


def answer_text(item: Item, answer: Answer | None, locale: str | None = None) -> str:
    """An answer in words, with `item` in the person's language: 'yes', '420 lx and 610 lx',
    '4 % at 100 Hz (no risk)', '3 of 4: Good …', the option's label."""
    locale = locale or language()
    if answer is None:
        return _("not answered")
    if isinstance(answer, str) and answer == NA:
        return _("not applicable")
    if isinstance(answer, bool):
        return _("yes") if answer else _("no")
    if isinstance(answer, Flicker):
        risk = flicker_risk(answer.percent, answer.frequency_hz)
        return f"{describe_answer(item, answer, locale)} ({_(RISK_WORDS[risk])})"
    if isinstance(answer, tuple):
        return describe_answer(item, answer, locale)
    if item.kind is ItemKind.rating and isinstance(answer, int):
        level = item.levels[answer] if item.levels and 0 <= answer < len(item.levels) else ""
        said = _("{level} of 4").format(level=answer)
        return f"{said}: {level}" if level else said
    if item.kind is ItemKind.choice and isinstance(answer, str):
        for option in item.options or ():
            if option.value == answer:
                return option.label
    return str(answer)


def target_text(resolved: ResolvedItem, locale: str | None = None) -> str:
    """What an item aims for, short, with `resolved` in the person's language: 'ideal 300 to 500 lx',
    'best: yes', 'best: Most surfaces', 'best: 4 of 4', 'IEEE 1789 no-risk region'; '' when none
    (`checklists.describe.target_summary`, the reports' wording)."""
    with using(locale or language()):
        return target_summary(resolved)
