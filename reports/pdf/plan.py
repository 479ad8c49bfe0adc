"""The action plan: every fix once with the rooms it helps and how to do it, then the highest-value fixes
room by room, so a facilities team knows what to do first."""

from __future__ import annotations

from collections.abc import Sequence

from checklists.i18n import _, ngettext
from checklists.schema import EFFORT_COST, Effort
from reports.data import PlanEntry, ReportData
from reports.labels import category_title, format_gain, item_label, value_text
from reports.pdf.document import WARNING, Document
from reports.pdfkit import FONT, line_count
from reports.theme import INK, MUTED_INK

__all__ = ["PLAN_ROWS", "action_plan", "plan_table"]

# The room-by-room table stops after this many fixes; the workbook has them all.
PLAN_ROWS = 30


def action_plan(doc: Document, data: ReportData) -> None:
    """The action plan part: how fixes are ordered, each fix across the rooms, then the top fixes room by room."""
    pdf = doc.pdf
    doc.section(_("Action plan"), 0)
    doc.text(
        _(
            "Every answered item that does not yet score in full is a fix. Its gain is how many points the room's "
            "overall score would rise if that one item were fixed. Failed critical items come first, because each "
            "caps its room at band C; then fixes are ordered by gain per unit of effort (low effort counts 1, "
            "medium 2, high 4), then by gain."
        )
    )
    pdf.ln(2)
    groups: dict[str, list[PlanEntry]] = {}
    for entry in data.action_plan:
        groups.setdefault(entry.item_id, []).append(entry)

    def order(item: str) -> tuple[int, float, str]:
        entries = groups[item]
        failed = sum(e.failed_critical for e in entries)
        total = sum(e.gain for e in entries)
        return (-failed, -total / EFFORT_COST[Effort(entries[0].effort)], item)

    doc.subheading(_("Fixes across the rooms"), keep=30)
    doc.text(
        _("Each fix once, with the rooms it would help and the total points it would add across them."),
        colour=MUTED_INK,
        size=9,
    )
    pdf.ln(1)
    for n, item_id in enumerate(sorted(groups, key=order), start=1):
        entries = groups[item_id]
        failed = [e for e in entries if e.failed_critical]
        total = sum(e.gain for e in entries)
        names = [e.room_name for e in entries]
        # A fix that helps dozens of rooms names the first few; the workbook lists them all.
        rooms = ", ".join(names[:12]) + (" " + _("and {n} more").format(n=len(names) - 12) if len(names) > 12 else "")
        title = f"{n}. {item_label(item_id)}"
        facts = " · ".join(
            [
                category_title(data.catalogue, entries[0].category),
                _("{effort} effort").format(effort=value_text(entries[0].effort)),
                ngettext(
                    "{gain} points in total over {n} room", "{gain} points in total over {n} rooms", len(entries)
                ).format(gain=format_gain(total), n=len(entries)),
                *([_("failed critical item in {n}").format(n=len(failed))] if failed else []),
            ]
        )
        pdf.set_font(FONT, "", 8.5)
        fix_lines = line_count(pdf, pdf.epw, 4.2, entries[0].how_to_fix)
        if pdf.will_page_break(16 + 4.2 * fix_lines):
            pdf.add_page()
        doc.text(title, size=10, style="B", colour=WARNING if failed else INK, height=5.2)
        doc.text(facts, size=8.5, colour=MUTED_INK, height=4.2)
        doc.text(_("Rooms: {rooms}").format(rooms=rooms), size=8.5, height=4.2)
        doc.text(entries[0].how_to_fix, size=8.5, height=4.2)
        pdf.ln(2.5)

    doc.subheading(
        _("The {n} highest-value fixes, room by room").format(n=min(PLAN_ROWS, len(data.action_plan))), keep=40
    )
    if len(data.action_plan) > PLAN_ROWS:
        doc.text(
            _("The full plan of {n} fixes is in the Excel workbook (sheet {sheet}).").format(
                n=len(data.action_plan), sheet=_("Action plan")
            ),
            colour=MUTED_INK,
            size=9,
        )
        pdf.ln(1)
    plan_table(doc, data.action_plan[:PLAN_ROWS])


def plan_table(doc: Document, entries: Sequence[PlanEntry]) -> None:
    """Fixes in plan order: rank, room, fix, gain and effort (the summary's top fixes and the plan's own table)."""
    rows = []
    for entry in entries:
        fix = f"{item_label(entry.item_id)}" + (" " + _("(failed critical item)") if entry.failed_critical else "")
        rows.append([str(entry.rank), entry.room_name, fix, format_gain(entry.gain), value_text(entry.effort)])
    doc.table(
        ["#", _("Room"), _("Fix"), _("Gain"), _("Effort")],
        rows,
        (6, 34, 44, 10, 12),
        align=("RIGHT", "LEFT", "LEFT", "RIGHT", "LEFT"),
    )
