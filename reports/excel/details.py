"""The long sheets of the workbook: Responses (every answer of each room's latest assessment), Action plan
(every fix in priority order) and Criteria (the catalogue), one row per answer, fix or criterion."""

from __future__ import annotations

from typing import Any

from checklists.describe import FLICKER_SCORING
from checklists.schema import Catalogue, ItemKind
from reports.data import ReportData, flat_value
from reports.excel.book import MEDIUM, NARROW, TEXT, WIDE, Book, excel_date, write_cell
from reports.labels import EVIDENCE_GRADES, item_label

__all__ = ["action_plan_sheet", "criteria_sheet", "responses_sheet"]


def responses_sheet(book: Book, data: ReportData) -> None:
    """Every answer of each room's latest assessment, one row per checklist item.

    Earlier assessments appear in the Assessments sheet with their scores; their answers are in the
    CSV and JSON exports (a workbook of a thousand rooms with their whole history would hold
    hundreds of thousands of rows and take minutes to write and to open).
    """
    headings = (
        "Site|Room|Assessment id|Assessed on|Category|Item id|Item|Answer|Value|Unit|Status|Score (0 to 1)|Weight|"
        "Failed critical|Note"
    )
    widths = [WIDE, WIDE, NARROW, 12, MEDIUM, WIDE, WIDE, WIDE, 12, 7, 14, NARROW, 7, 9, TEXT]
    sheet = book.sheet("Responses", headings.split("|"), widths)
    titles = {c.id: c.title for c in data.catalogue.categories}
    labels = {i.id: item_label(i.id) for i in data.catalogue.items}
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
            write_string(row, 6, labels[item.item_id])
            write_string(row, 7, item.answer_text)
            value = flat_value(item)
            if isinstance(value, float):
                write_number(row, 8, value)
            elif value is not None:
                write_string(row, 8, value)
            if item.unit:
                write_string(row, 9, item.unit)
            write_string(row, 10, item.status)
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
            write_string(row, 10, "retired")
            write_string(row, 14, retired.reason)
    book.finish(sheet, row, len(widths), freeze_columns=2)


def action_plan_sheet(book: Book, data: ReportData) -> None:
    """Every fix of the plan in priority order, with its gain, effort and how to do it."""
    headings = [
        "Rank",
        "Site",
        "Room",
        "Assessment id",
        "Item id",
        "Fix",
        "Category",
        "Gain (points)",
        "Effort",
        "Critical item",
        "Failed critical",
        "How to fix",
    ]
    widths = [6, WIDE, WIDE, NARROW, WIDE, WIDE, MEDIUM, NARROW, 8, 9, 9, TEXT]
    sheet = book.sheet("Action plan", headings, widths)
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
        write_string(row, 5, labels[entry.item_id])
        write_string(row, 6, titles[entry.category])
        write_number(row, 7, entry.gain, book.score)
        write_string(row, 8, entry.effort)
        write_boolean(row, 9, entry.critical)
        write_boolean(row, 10, entry.failed_critical)
        write_string(row, 11, entry.how_to_fix)
    book.finish(sheet, row, len(headings), freeze_columns=3)


def actions_sheet(book: Book, data: ReportData) -> None:
    """Every action on the rooms in scope: owner, due date, state, gain, cost, notes and what the check found."""
    headings = ["Site", "Room", "Item id", "Fix", "Owner", "Due", "State", "Overdue", "Gain (points)",
                "Cost estimate", "Verified on", "Note", "Last check"]  # fmt: skip
    widths = [WIDE, WIDE, WIDE, WIDE, MEDIUM, 12, 12, 9, NARROW, NARROW, 12, TEXT, TEXT]
    sheet = book.sheet("Actions", headings, widths)
    row = 0
    for action in data.actions:
        row += 1
        values = [action.site_name, action.room_name, action.item_id, item_label(action.item_id), action.owner,
                  action.due_on, action.status.replace("_", " "), action.overdue, action.gain, action.cost_estimate,
                  action.verified_on, action.note, action.check_note]  # fmt: skip
        for column, value in enumerate(values):
            fmt = book.score if column == 8 else (book.wrap if column >= 11 else None)
            write_cell(sheet, row, column, value, book, fmt)
    book.finish(sheet, row, len(headings), freeze_columns=2)


def criteria_sheet(book: Book, catalogue: Catalogue) -> None:
    """Every criterion of the catalogue: question, how it scores, target, effort, evidence and guidance."""
    headings = [
        "Item id",
        "Category",
        "Question",
        "Kind",
        "How it scores",
        "Default target",
        "Effort",
        "Principles",
        "Critical",
        "May be n/a",
        "Module",
        "Evidence grade",
        "Evidence grade meaning",
        "Source",
        "Evidence note",
        "Guidance",
        "How to fix",
    ]
    widths = [WIDE, MEDIUM, TEXT, 11, TEXT, WIDE, 8, WIDE, 8, 9, 9, 9, WIDE, TEXT, TEXT, TEXT, TEXT]
    sheet = book.sheet("Criteria", headings, widths)
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
            item.effort.value,
            ", ".join(item.principles),
            item.critical,
            item.allow_na,
            item.module.value,
            item.evidence.value,
            EVIDENCE_GRADES[item.evidence.value],
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
        return f"{'yes' if item.good_answer else 'no'} scores 1, otherwise 0"
    if item.kind is ItemKind.choice:
        return "; ".join(f"{o.value} ({o.label}) scores {o.score:g}" for o in item.options or ())
    if item.kind is ItemKind.rating:
        return "0 to 4, a quarter per level: " + "; ".join(f"{n}: {t}" for n, t in enumerate(item.levels or []))
    if item.kind is ItemKind.measurement:
        return "1 inside the ideal range, 0 beyond the limit, in proportion between; the room profile sets the target"
    if item.kind is ItemKind.flicker:
        return FLICKER_SCORING
    return "not scored (evidence)"
