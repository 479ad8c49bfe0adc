"""The Calibration sheet: every agreement figure of the organisation's calibration rounds, one row per
item, category and the overall score, with the answers behind the items assessors disagree on."""

from __future__ import annotations

from checklists.i18n import N_
from reports.data import ReportData
from reports.excel.book import MEDIUM, NARROW, TEXT, WIDE, Book, write_cell

__all__ = ["calibration_sheet"]

HEADINGS = [
    N_("Round"),
    N_("Level"),
    N_("Item or score"),
    N_("Question"),
    N_("Method"),
    N_("Rooms"),
    N_("Exact agreement"),
    N_("Kappa or ICC"),
    N_("CI low"),
    N_("CI high"),
    N_("Mean abs. difference"),
    N_("Poor agreement"),
    N_("Why no figure"),
    N_("Cost (points)"),
    N_("Answers"),
]


def calibration_sheet(book: Book, data: ReportData) -> None:
    widths = [WIDE, NARROW, WIDE, TEXT, MEDIUM, 7, 10, 10, 8, 8, 11, 9, WIDE, 9, TEXT]
    sheet = book.sheet(N_("Calibration"), HEADINGS, widths)
    questions = {i.id: i.question for i in data.catalogue.items}
    titles = {c.id: c.title for c in data.catalogue.categories}
    row = 0
    for section in data.calibration:
        agreement = section.agreement
        poor = {p.agreement.item_id: p for p in agreement.poor}
        for item in agreement.items:
            row += 1
            score = item.score
            found = poor.get(item.item_id)
            answers = (
                "; ".join(
                    f"{room}: " + ", ".join(f"{k} {v}" for k, v in given.items()) for room, given in found.answers
                )
                if found
                else None
            )
            values = [
                section.summary.name, "item", item.item_id, questions.get(item.item_id), item.method, item.units,
                item.exact, item.figure, score.icc_low if score else None, score.icc_high if score else None,
                score.mean_abs_diff if score else None, item.poor, item.no_figure, found.cost if found else None,
                answers,
            ]  # fmt: skip
            for column, value in enumerate(values):
                write_cell(sheet, row, column, value, book)
        scores = [(titles.get(c, c), "category", s) for c, s in agreement.categories.items()]
        scores.append(("Overall", "overall", agreement.overall))
        for name, level, s in scores:
            row += 1
            values = [
                section.summary.name, level, name, None, "ICC(2,1)", s.units, None, s.icc, s.icc_low, s.icc_high,
                s.mean_abs_diff, None if s.icc is None else s.icc < agreement.thresholds.icc_poor, s.no_figure,
                None, None,
            ]  # fmt: skip
            for column, value in enumerate(values):
                write_cell(sheet, row, column, value, book)
    book.finish(sheet, row, len(HEADINGS), freeze_columns=3)
