"""A room's "What changed since the last assessment": its latest reported assessment against the one
before, score by score and item by item (the items that moved; the count of those that did not)."""

from __future__ import annotations

from checklists.i18n import _
from checklists.schema import Catalogue
from reports.changes import change_rows, compare_reports, counts_text, format_delta, score_rows
from reports.data import RoomReport
from reports.labels import NO_SCORE, format_date, format_score
from reports.pdf.document import Document
from reports.theme import MUTED_INK

__all__ = ["changes_section"]


def _item_score(value: float | None) -> str:
    """An item's 0..1 score on the 0..100 scale of every other score in the report."""
    return NO_SCORE if value is None else format_score(value * 100)


def changes_section(doc: Document, catalogue: Catalogue, room: RoomReport) -> None:
    """The section, when the room has an earlier reported assessment to compare with; else nothing."""
    if len(room.assessments) < 2:
        return
    before, after = room.assessments[-2], room.assessments[-1]
    changes = compare_reports(catalogue, before, after)
    doc.subheading(_("What changed since {date}").format(date=format_date(before.assessed_on)), keep=45)
    bands = " → ".join(b.value if b else NO_SCORE for b in changes.bands)
    doc.text(
        _("Assessment of {after} against that of {before}: band {bands}; items {counts}.").format(
            after=format_date(after.assessed_on),
            before=format_date(before.assessed_on),
            bands=bands,
            counts=counts_text(changes),
        ),
        colour=MUTED_INK,
        size=8.5,
    )
    doc.table(
        [_("Score"), _("Before"), _("After"), _("Change")],
        [
            [r.name if r.kind != "Principle" else _("Principle: {name}").format(name=r.name), format_score(r.before),
             format_score(r.after), format_delta(r.delta)]
            for r in score_rows(catalogue, changes)
        ],
        (70, 10, 10, 10),
        align=("LEFT", "RIGHT", "RIGHT", "RIGHT"),
        size=8,
    )  # fmt: skip
    moved = change_rows(catalogue, changes, only_moved=True)
    if not moved:
        doc.text(_("No item changed its answer's score between these two assessments."), size=8.5)
        return
    doc.table(
        [_("Item"), _("Change"), _("Before"), _("After"), _("Target"), _("Score")],
        [
            [r.item, r.change_text, r.before, r.after, r.target or NO_SCORE,
             f"{_item_score(r.score_before)} → {_item_score(r.score_after)}"]
            for r in moved
        ],
        (20, 15, 20, 20, 18, 14),
        align=("LEFT", "LEFT", "LEFT", "LEFT", "LEFT", "RIGHT"),
        size=7.5,
    )  # fmt: skip
