"""The long sheets of the workbook: Responses (every answer of each room's latest assessment), Action plan
(every fix in priority order) and Criteria (the catalogue), one row per answer, fix or criterion."""

from __future__ import annotations

from typing import Any

from checklists.describe import flicker_scoring
from checklists.i18n import DEFAULT_LANGUAGE, N_, _, language
from checklists.schema import Catalogue, ItemKind
from reports.data import ReportData, flat_value
from reports.excel.book import MEDIUM, NARROW, TEXT, WIDE, Book, excel_date, write_cell
from reports.labels import EVIDENCE_GRADES, format_number, item_label, value_text

__all__ = ["action_plan_sheet", "criteria_sheet", "responses_sheet"]


def responses_sheet(book: Book, data: ReportData) -> None:
    """Every answer of each room's latest assessment, one row per checklist item.

    Earlier assessments appear in the Assessments sheet with their scores; their answers are in the
    CSV and JSON exports (a workbook of a thousand rooms with their whole history would hold
    hundreds of thousands of rows and take minutes to write and to open).
    """
    headings = [
        N_("Site"),
        N_("Room"),
        N_("Assessment id"),
        N_("Assessed on"),
        N_("Category"),
        N_("Item id"),
        N_("Item"),
        N_("Answer"),
        N_("Value"),
        N_("Unit"),
        N_("Status"),
        N_("Score (0 to 1)"),
        N_("Weight"),
        N_("Failed critical"),
        N_("Note"),
    ]
    widths = [WIDE, WIDE, NARROW, 12, MEDIUM, WIDE, WIDE, WIDE, 12, 7, 14, NARROW, 7, 9, TEXT]
    sheet = book.sheet(N_("Responses"), headings, widths)
    titles = {c.id: c.title for c in data.catalogue.categories}
    labels = {i.id: item_label(i.id) for i in data.catalogue.items}
    # The stored status words in English (as the CSV and JSON exports have them), else translated.
    status_words = {"answered": _("answered"), "not_applicable": _("not applicable"), "missing": _("missing"),
                    "retired": _("retired")} if language() != DEFAULT_LANGUAGE else {}  # fmt: skip
    row = 0
    # Bound methods and plain loops: this sheet holds most of a workbook's cells.
    write_string, write_number, write_boolean = sheet.write_string, sheet.write_number, sheet.write_boolean
    for room in data.rooms:
        assessment = room.latest
        if assessment is None:
            continue
        when = excel_date(assessment.assessed_on)
        for item in assessment.items:
            row += 1
            write_string(row, 0, room.site_name)
            write_string(row, 1, room.name)
            write_number(row, 2, assessment.id)
            write_number(row, 3, when, book.date)
            write_string(row, 4, titles[item.category])
            write_string(row, 5, item.item_id)
            write_string(row, 6, labels.get(item.item_id) or item_label(item.item_id))  # an earlier version's item too
            write_string(row, 7, item.answer_text)
            value = flat_value(item)
            if isinstance(value, float):
                write_number(row, 8, value)
            elif value is not None:
                write_string(row, 8, value)
            if item.unit:
                write_string(row, 9, item.unit)
            write_string(row, 10, status_words.get(item.status, item.status))
            if item.score is not None:
                write_number(row, 11, item.score, book.item_score)
            write_number(row, 12, item.weight)
            write_boolean(row, 13, item.failed_critical)
            if item.note:
                write_string(row, 14, item.note)
        # Answers kept from an earlier catalogue: listed with status "retired", scored as missing.
        for retired in assessment.retired:
            row += 1
            write_string(row, 0, room.site_name)
            write_string(row, 1, room.name)
            write_number(row, 2, assessment.id)
            write_number(row, 3, when, book.date)
            write_string(row, 5, retired.item_id)
            write_string(row, 6, item_label(retired.item_id))
            write_string(row, 7, retired.value_text)
            write_string(row, 10, status_words.get("retired", "retired"))
            write_string(row, 14, retired.shown_reason)
    book.finish(sheet, row, len(widths), freeze_columns=2)


def action_plan_sheet(book: Book, data: ReportData) -> None:
    """Every fix of the plan in priority order, with its gain, effort and how to do it."""
    headings = [
        N_("Rank"),
        N_("Site"),
        N_("Room"),
        N_("Assessment id"),
        N_("Item id"),
        N_("Fix"),
        N_("Category"),
        N_("Gain (points)"),
        N_("Effort"),
        N_("Critical item"),
        N_("Failed critical"),
        N_("How to fix"),
    ]
    widths = [6, WIDE, WIDE, NARROW, WIDE, WIDE, MEDIUM, NARROW, 8, 9, 9, TEXT]
    sheet = book.sheet(N_("Action plan"), headings, widths)
    titles = {c.id: c.title for c in data.catalogue.categories}
    labels = {i.id: item_label(i.id) for i in data.catalogue.items}
    write_string, write_number, write_boolean = sheet.write_string, sheet.write_number, sheet.write_boolean
    row = 0
    for entry in data.action_plan:
        row += 1
        write_number(row, 0, entry.rank)
        write_string(row, 1, entry.site_name)
        write_string(row, 2, entry.room_name)
        write_number(row, 3, entry.assessment_id)
        write_string(row, 4, entry.item_id)
        write_string(row, 5, labels.get(entry.item_id) or item_label(entry.item_id))
        write_string(row, 6, titles[entry.category])
        write_number(row, 7, entry.gain, book.score)
        write_string(row, 8, value_text(entry.effort))
        write_boolean(row, 9, entry.critical)
        write_boolean(row, 10, entry.failed_critical)
        write_string(row, 11, entry.how_to_fix)
    book.finish(sheet, row, len(headings), freeze_columns=3)


def actions_sheet(book: Book, data: ReportData) -> None:
    """Every action on the rooms in scope: owner, due date, state, gain, cost, notes and what the check found."""
    headings = [
        N_("Site"),
        N_("Room"),
        N_("Item id"),
        N_("Fix"),
        N_("Owner"),
        N_("Due"),
        N_("State"),
        N_("Overdue"),
        N_("Gain (points)"),
        N_("Cost estimate"),
        N_("Verified on"),
        N_("Note"),
        N_("Last check"),
    ]
    widths = [WIDE, WIDE, WIDE, WIDE, MEDIUM, 12, 12, 9, NARROW, NARROW, 12, TEXT, TEXT]
    sheet = book.sheet(N_("Actions"), headings, widths)
    row = 0
    for action in data.actions:
        row += 1
        values = [action.site_name, action.room_name, action.item_id, item_label(action.item_id), action.owner,
                  action.due_on, value_text(action.status), action.overdue, action.gain, action.cost_estimate,
                  action.verified_on, action.note, action.check_note]  # fmt: skip
        for column, value in enumerate(values):
            fmt = book.score if column == 8 else (book.wrap if column >= 11 else None)
            write_cell(sheet, row, column, value, book, fmt)
    book.finish(sheet, row, len(headings), freeze_columns=2)


def criteria_sheet(book: Book, catalogue: Catalogue) -> None:
    """Every criterion of the catalogue: question, how it scores, target, effort, evidence and guidance."""
    headings = [
        N_("Item id"),
        N_("Category"),
        N_("Question"),
        N_("Kind"),
        N_("How it scores"),
        N_("Default target"),
        N_("Effort"),
        N_("Principles"),
        N_("Critical"),
        N_("May be n/a"),
        N_("Module"),
        N_("Evidence grade"),
        N_("Evidence grade meaning"),
        N_("Source"),
        N_("Evidence note"),
        N_("Guidance"),
        N_("How to fix"),
    ]
    widths = [WIDE, MEDIUM, TEXT, 11, TEXT, WIDE, 8, WIDE, 8, 9, 9, 9, WIDE, TEXT, TEXT, TEXT, TEXT]
    sheet = book.sheet(N_("Criteria"), headings, widths)
    titles = {c.id: c.title for c in catalogue.categories}
    row = 0
    for item in catalogue.items:
        row += 1
        values: list[Any] = [
            item.id,
            titles.get(item.category, item.category),
            item.question,
            item.kind.value,
            _scoring_words(item.id, catalogue),
            item.target.describe() if item.target else None,
            value_text(item.effort.value),
            ", ".join(item.principles),
            item.critical,
            item.allow_na,
            item.module.value,
            item.evidence.value,
            _(EVIDENCE_GRADES[item.evidence.value]),
            " ".join(item.source.split()),
            " ".join((item.evidence_note or "").split()) or None,
            " ".join(item.guidance.split()),
            " ".join(item.how_to_fix.split()),
        ]
        for column, value in enumerate(values):
            write_cell(sheet, row, column, value, book)
    book.finish(sheet, row, len(headings), freeze_columns=1)


def _scoring_words(item_id: str, catalogue: Catalogue) -> str:
    """How an item's answer becomes its score, in a few words for a spreadsheet cell."""
    item = catalogue.item(item_id)
    if item.kind is ItemKind.yes_no:
        return _("yes scores 1, otherwise 0") if item.good_answer else _("no scores 1, otherwise 0")
    if item.kind is ItemKind.choice:
        return "; ".join(
            _("{value} ({label}) scores {score}").format(value=o.value, label=o.label, score=format_number(o.score))
            for o in item.options or ()
        )
    if item.kind is ItemKind.rating:
        return _("0 to 4, a quarter per level: {levels}").format(
            levels="; ".join(f"{n}: {t}" for n, t in enumerate(item.levels or []))
        )
    if item.kind is ItemKind.measurement:
        return _(
            "1 inside the ideal range, 0 beyond the limit, in proportion between; the room profile sets the target"
        )
    if item.kind is ItemKind.flicker:
        return flicker_scoring()
    return _("not scored (evidence)")
