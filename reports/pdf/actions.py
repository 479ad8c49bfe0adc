"""The actions: fixes someone took on, who owns them and by when, and which a later assessment verified,
with the points they gained; part of the action plan."""

from __future__ import annotations

from reports.data import ActionEntry, ReportData
from reports.labels import format_date, format_gain, item_label
from reports.pdf.document import WARNING, Document
from reports.theme import MUTED_INK

__all__ = ["ACTION_ROWS", "actions_section"]

# The PDF lists this many actions at most; the workbook has them all (sheet Actions).
ACTION_ROWS = 60


def actions_section(doc: Document, data: ReportData) -> None:
    """Counts of open, overdue, done and verified actions, the points the verified ones gained, then the list."""
    doc.subheading("Actions", keep=40)
    if not data.actions:
        doc.text("No fix of these rooms has been taken on as an action yet.", colour=MUTED_INK, size=9)
        return
    summary = data.action_summary
    doc.text(
        f"{summary.open} open ({summary.overdue} overdue), {summary.done} done and waiting for the next "
        f"assessment to confirm them, {summary.verified} verified by a later submitted assessment, which scored "
        f"the item at full marks; together the verified fixes added {format_gain(summary.points_gained)} points "
        "to their rooms' overall scores (as estimated when they were planned). A done action that a later "
        "assessment still scores short is reopened."
    )
    if summary.overdue:
        doc.text(f"{summary.overdue} action{'s are' if summary.overdue != 1 else ' is'} overdue.", colour=WARNING)
    doc.pdf.ln(1)
    shown = data.actions[:ACTION_ROWS]
    if len(data.actions) > ACTION_ROWS:
        doc.text(f"The first {ACTION_ROWS} of {len(data.actions)} actions; the workbook lists them all.", size=9)
    doc.table(
        ["Room", "Fix", "Owner", "Due", "State", "Gain"],
        [_row(action) for action in shown],
        (30, 44, 26, 18, 22, 12),
        align=("LEFT", "LEFT", "LEFT", "LEFT", "LEFT", "RIGHT"),
    )


def _row(action: ActionEntry) -> list[str]:
    state = action.state
    if action.verified_on is not None:
        state += f" {format_date(action.verified_on)}"
    return [
        action.room_name,
        item_label(action.item_id),
        action.owner or "nobody",
        format_date(action.due_on),
        state,
        "" if action.gain is None else format_gain(action.gain),
    ]
