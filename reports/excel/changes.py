"""The workbook's "Changes" sheets: each room's latest reported assessment against the one before,
item by item (Changes) and score by score (Score changes)."""

from __future__ import annotations

from collections.abc import Iterator

from checklists.i18n import N_, _
from reports.changes import SCORE_KINDS, change_rows, compare_reports, score_rows
from reports.data import AssessmentReport, ReportData, RoomReport
from reports.excel.book import MEDIUM, NARROW, WIDE, Book, write_cell
from scoring.changes import Changes

__all__ = ["changes_sheets"]


def _pairs(data: ReportData) -> Iterator[tuple[RoomReport, AssessmentReport, AssessmentReport, Changes]]:
    for room in data.rooms:
        if len(room.assessments) >= 2:
            before, after = room.assessments[-2], room.assessments[-1]
            yield room, before, after, compare_reports(data.catalogue, before, after)


def changes_sheets(book: Book, data: ReportData) -> None:
    """Every scored item of every room assessed twice or more, and every score, before and after."""
    headings = [
        N_("Site"),
        N_("Room"),
        N_("From assessment"),
        N_("From date"),
        N_("To assessment"),
        N_("To date"),
        N_("Category"),
        N_("Item id"),
        N_("Item"),
        N_("Change"),
        N_("Answer before"),
        N_("Answer after"),
        N_("Target"),
        N_("Score before (0 to 1)"),
        N_("Score after (0 to 1)"),
        N_("Score change"),
    ]
    widths = [WIDE, WIDE, NARROW, 12, NARROW, 12, MEDIUM, WIDE, WIDE, 16, WIDE, WIDE, WIDE, NARROW, NARROW, NARROW]
    items = book.sheet(N_("Changes"), headings, widths)
    score_headings = [
        N_("Site"),
        N_("Room"),
        N_("From date"),
        N_("To date"),
        N_("Score of"),
        N_("Name"),
        N_("Before"),
        N_("After"),
        N_("Change"),
    ]
    scores = book.sheet(N_("Score changes"), score_headings, [WIDE, WIDE, 12, 12, 10, WIDE, NARROW, NARROW, NARROW])
    row = score_row = 0
    for room, before, after, changes in _pairs(data):
        head = (room.site_name, room.name, before.id, before.assessed_on, after.id, after.assessed_on)
        for change in change_rows(data.catalogue, changes):
            row += 1
            values = (
                *head, change.category, change.item_id, change.item, change.change_text, change.before,
                change.after, change.target or None, change.score_before, change.score_after, change.delta,
            )  # fmt: skip
            for column, value in enumerate(values):
                write_cell(items, row, column, value, book, book.item_score if column >= 13 else None)
        for score in score_rows(data.catalogue, changes):
            score_row += 1
            kind = _(SCORE_KINDS[score.kind])
            values_ = (room.site_name, room.name, before.assessed_on, after.assessed_on, kind, score.name,
                       score.before, score.after, score.delta)  # fmt: skip
            for column, value in enumerate(values_):
                write_cell(scores, score_row, column, value, book, book.score if column >= 6 else None)
    book.finish(items, row, len(widths), freeze_columns=2)
    book.finish(scores, score_row, len(score_headings), freeze_columns=2)
