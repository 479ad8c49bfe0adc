"""The calibration part: do the organisation's assessors see the same room? Agreement per round, the
category and overall scores' ICC, and the items whose guidance needs to be clearer.

The rows are reports.calibration's (the screens' and the workbook's); their words and numbers are
written here in the reader's language: the "Overall" row, why a score has no figure, the kappa's name,
the figures with the locale's decimal sign, and each item's question, guidance and answers as the
reader's checklist words them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import reduce

from babel.numbers import format_decimal

from checklists.i18n import DEFAULT_LANGUAGE, N_, _, language, ngettext
from checklists.schema import Catalogue, Item, ItemKind
from reports.calibration import CalibrationSection, poor_rows, score_rows
from reports.data import ReportData
from reports.labels import format_date, format_number, format_percent
from reports.pdf.document import Document
from reports.theme import MUTED_INK
from scoring.agreement import PoorItem, ScoreAgreement

__all__ = ["calibration", "calibration_sections"]

# The agreement methods as scoring.agreement names them; "ICC(2,1)" is the same in every language.
_METHODS = {
    "weighted kappa": N_("weighted kappa"),
    "Fleiss' kappa": N_("Fleiss' kappa"),
}
# Why a score has no figure, as scoring.agreement words it in English.
_TOO_FEW = re.compile(r"(\d+) rooms? rated by every assessor; at least (\d+) needed for a figure")
_NO_SPREAD = "every room got the same value: no spread to compare"
# An answer as scoring.agreement.answer_text writes it.
_NOT_ANSWERED = "(not answered)"
_FLICKER = re.compile(r"(\S+) % at (\S+) Hz")
_DECIMAL = re.compile(r"-?\d+\.\d+")


def _english() -> bool:
    return language() == DEFAULT_LANGUAGE


def _decimal(value: float | None, places: int) -> str:
    """A figure with `places` decimals, as reports.calibration writes it in English ('0.49', '—');
    with the locale's decimal sign otherwise ('0,49')."""
    if value is None:
        return "—"
    if _english():
        return f"{value:.{places}f}"
    return format_decimal(value, format="0." + "0" * places, locale=language())


def _interval(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return ""
    return _("{low} to {high}").format(low=_decimal(low, 2), high=_decimal(high, 2))


def _semicolons(parts: Iterable[str]) -> str:
    """Parts joined as a list after a semicolon each: 'a; b; c' ('a ; b ; c' in French); '' for none."""
    listed = list(parts)
    if not listed:
        return ""
    return reduce(lambda first, second: _("{first}; {second}").format(first=first, second=second), listed)


def _why_no_figure(reason: str | None) -> str:
    """Why a score has no figure, in the reader's words (an unknown reason as it is)."""
    if not reason:
        return ""
    too_few = _TOO_FEW.fullmatch(reason)
    if too_few:
        n, needed = int(too_few.group(1)), int(too_few.group(2))
        return ngettext(
            "{n} room rated by every assessor; at least {needed} needed for a figure",
            "{n} rooms rated by every assessor; at least {needed} needed for a figure",
            n,
        ).format(n=n, needed=needed)
    if reason == _NO_SPREAD:
        return _("every room got the same value: no spread to compare")
    return reason


def _start_date(section: CalibrationSection) -> str:
    """The round's first day: '14 September 2026' in English, the locale's long form otherwise."""
    starts_on = section.summary.starts_on
    return f"{starts_on:%d %B %Y}" if _english() else format_date(starts_on)


def calibration_sections(data: ReportData) -> list[str]:
    """The rounds, as they appear in the contents."""
    return [_("Round: {name}").format(name=section.summary.name) for section in data.calibration]


def calibration(doc: Document, data: ReportData) -> None:
    """One page or more per calibration round of the organisation; nothing when there is none."""
    if not data.calibration:
        return
    pdf = doc.pdf
    doc.section(_("Calibration"), 0)
    doc.text(
        _(
            "Comparing rooms is only fair when different assessors would rate the same room the same way. In a "
            "calibration round two or more assessors assess the same rooms independently. Agreement on yes/no, "
            "choice and rating items is the share of identical answers and a chance-corrected kappa (weighted "
            "Cohen's kappa for two assessors, Fleiss' kappa for more); on readings and scores it is the intraclass "
            "correlation ICC(2,1) with its {level} confidence interval, and the mean absolute difference. Where too "
            "few rooms were rated by every assessor, no figure is given."
        ).format(level=format_percent(0.95))
    )
    pdf.ln(1)
    for section in data.calibration:
        _round(doc, data, section)


def _round(doc: Document, data: ReportData, section: CalibrationSection) -> None:
    pdf = doc.pdf
    summary, agreement = section.summary, section.agreement
    title = _("Round: {name}").format(name=summary.name)
    pdf.start_section(title, level=1)
    doc.subheading(title, keep=50)
    exact = _("no figure") if agreement.overall_exact is None else format_percent(agreement.overall_exact)
    window = ngettext("{n} day", "{n} days", summary.window_days).format(n=summary.window_days)
    rated = ngettext(
        "{n} room rated by every assessor ({assessors}), from {date} within {window}.",
        "{n} rooms rated by every assessor ({assessors}), from {date} within {window}.",
        agreement.units,
    ).format(n=agreement.units, assessors=", ".join(agreement.raters), date=_start_date(section), window=window)
    doc.text(
        rated + " " + _("Exact agreement over every yes/no, choice and rating answer: {exact}.").format(exact=exact),
        colour=MUTED_INK,
        size=9,
    )
    pdf.ln(1)
    doc.table(
        [_("Score"), _("Rooms"), "ICC(2,1)", _("95 % CI"), _("Mean abs. difference"), _("Why no figure")],
        _score_cells(data.catalogue, section),
        (26, 8, 10, 14, 14, 28),
    )
    thresholds = agreement.thresholds
    doc.subheading(_("Items to clarify"), keep=30)
    if not agreement.poor:
        doc.text(
            _("No item has poor agreement (kappa under {kappa}, ICC under {icc}).").format(
                kappa=format_number(thresholds.kappa_poor), icc=format_number(thresholds.icc_poor)
            ),
            size=9,
        )
        return
    doc.text(
        _(
            "Agreement is poor below a kappa of {kappa} or an ICC of {icc}. Cost is the mean, over the rooms, of "
            "how far the overall score moves between the assessors' answers to the item."
        ).format(kappa=format_number(thresholds.kappa_poor), icc=format_number(thresholds.icc_poor)),
        colour=MUTED_INK,
        size=9,
    )
    doc.table(
        [_("Item"), _("Question and guidance"), _("Agreement"), _("Cost"), _("Answers")],
        _poor_cells(data.catalogue, section),
        (18, 38, 12, 7, 25),
        size=7.5,
    )


def _score_cells(catalogue: Catalogue, section: CalibrationSection) -> list[list[str]]:
    """The score table: each category's row of reports.calibration.score_rows, then the overall score's."""
    agreement = section.agreement
    scores: list[ScoreAgreement] = [*agreement.categories.values(), agreement.overall]
    rows = score_rows(catalogue, agreement)
    cells = []
    for n, (row, score) in enumerate(zip(rows, scores, strict=True)):
        label = _("Overall") if n == len(rows) - 1 else str(row["Score"])
        cells.append(
            [
                label,
                str(row["Rooms"]),
                _decimal(score.icc, 2),
                _interval(score.icc_low, score.icc_high),
                _decimal(score.mean_abs_diff, 1),
                _why_no_figure(score.no_figure),
            ]
        )
    return cells


def _poor_cells(catalogue: Catalogue, section: CalibrationSection) -> list[list[str]]:
    """The items to clarify (reports.calibration.poor_rows), their question and guidance from the reader's
    checklist, their figure and each assessor's answers in the reader's words."""
    items = {i.id: i for i in catalogue.items}
    cells = []
    for row, poor in zip(poor_rows(section.agreement), section.agreement.poor, strict=True):
        item = items.get(poor.agreement.item_id)
        question = item.question if item is not None else poor.question
        guidance = item.guidance if item is not None else poor.guidance
        method = _METHODS.get(poor.agreement.method)
        figure = f"{_(method) if method else poor.agreement.method} {_decimal(poor.agreement.figure, 2)}"
        cells.append(
            [str(row["Item"]), f"{question}\n{guidance}", figure, _decimal(poor.cost, 1), _answers(poor, item)]
        )
    return cells


def _answers(poor: PoorItem, item: Item | None) -> str:
    """'Room 1: Morgan Reid yes, Sam Patel no; Room 2: …' ('Salle 1 : Morgan Reid oui, …')."""
    return _semicolons(
        _("{room}: {answers}").format(
            room=room, answers=", ".join(f"{rater} {_answer(answer, item)}" for rater, answer in given.items())
        )
        for room, given in poor.answers
    )


def _answer(text: str, item: Item | None) -> str:
    """An answer as scoring.agreement.answer_text writes it ('yes', '420 / 610', 'partial'), in the
    reader's words: a translated yes or no, the option's label in the reader's checklist, the
    locale's decimal sign. English as it is."""
    if _english():
        return text
    if text == "yes":
        return _("yes")
    if text == "no":
        return _("no")
    if text == _NOT_ANSWERED:
        return "(" + _("not answered") + ")"
    if item is not None and item.kind is ItemKind.choice:
        for option in item.options or ():
            if option.value == text:
                return option.label
    flicker = _FLICKER.fullmatch(text)
    if flicker:
        try:
            percent, frequency = float(flicker.group(1)), float(flicker.group(2))
        except ValueError:
            return text
        return _("{percent} % at {frequency} Hz").format(
            percent=format_number(percent), frequency=format_number(frequency)
        )
    return _DECIMAL.sub(lambda number: format_number(float(number.group())), text)
