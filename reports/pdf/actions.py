"""The actions: fixes someone took on, who owns them and by when, and which a later assessment verified,
with the points they gained; part of the action plan."""

from __future__ import annotations

from checklists.i18n import _, ngettext
from reports.data import ActionEntry, ReportData
from reports.labels import format_date, format_gain, item_label
from reports.pdf.document import WARNING, Document
from reports.theme import MUTED_INK

__all__ = ["ACTION_ROWS", "actions_section"]

# The PDF lists this many actions at most; the workbook has them all (sheet Actions).
ACTION_ROWS = 60


def actions_section(doc: Document, data: ReportData) -> None:
    """Counts of open, overdue, done and verified actions, the points the verified ones gained, then the list."""
    doc.subheading(_("Actions"), keep=40)
    if not data.actions:
        doc.text(_("No fix of these rooms has been taken on as an action yet."), colour=MUTED_INK, size=9)
        return
    summary = data.action_summary
    doc.text(
        _(
            "{open} open ({overdue} overdue), {done} done and waiting for the next assessment to confirm them, "
            "{verified} verified by a later submitted assessment, which scored the item at full marks; together the "
            "verified fixes added {gain} points to their rooms' overall scores (as estimated when they were "
            "planned). A done action that a later assessment still scores short is reopened."
        ).format(
            open=summary.open,
            overdue=summary.overdue,
            done=summary.done,
            verified=summary.verified,
            gain=format_gain(summary.points_gained),
        )
    )
    if summary.overdue:
        doc.text(
            ngettext("{n} action is overdue.", "{n} actions are overdue.", summary.overdue).format(n=summary.overdue),
            colour=WARNING,
        )
    doc.pdf.ln(1)
    shown = data.actions[:ACTION_ROWS]
    if len(data.actions) > ACTION_ROWS:
        doc.text(
            _("The first {n} of {total} actions; the workbook lists them all.").format(
                n=ACTION_ROWS, total=len(data.actions)
            ),
            size=9,
        )
    doc.table(
        [_("Room"), _("Fix"), _("Owner"), _("Due"), _("State"), _("Gain")],
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
        action.owner or _("nobody"),
        format_date(action.due_on),
        state,
        "" if action.gain is None else format_gain(action.gain),
    ]
