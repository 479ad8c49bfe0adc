"""The executive summary: the key figures of the whole portfolio, rooms by band, the rooms most in need,
failed critical items and the top fixes, for readers who read one page."""

from __future__ import annotations

from collections.abc import Sequence

from reports.data import ReportData
from reports.labels import NO_SCORE, format_date, format_score, item_label
from reports.pdf.document import WARNING, Document, band_cell, band_letter
from reports.pdf.plan import plan_table
from reports.pdfkit import FONT, PANEL, hex_rgb
from reports.theme import INK, MUTED_INK, band_colour
from scoring.engine import PROVISIONAL_BELOW, Band

__all__ = ["summary"]


def summary(doc: Document, data: ReportData) -> None:
    """The executive summary, on the page the contents leave free."""
    pdf = doc.pdf
    doc.section("Executive summary", 0)
    rooms = data.assessed_rooms
    scores = [r.score.overall for r in rooms if r.score is not None and r.score.overall is not None]
    bands = [None if r.score is None or r.score.band is None else str(r.score.band) for r in rooms]
    failed = [(r, item) for r in rooms if r.latest for item in r.latest.items if item.failed_critical]
    failed_rooms = {r.id for r, _ in failed}
    provisional = [r for r in rooms if r.score is not None and r.score.provisional]
    period = data.period
    counts = {b.value: bands.count(b.value) for b in Band}
    band_words = ", ".join(f"{counts[b.value]} in band {b.value}" for b in Band)
    intro = (
        f"This report covers {len(rooms)} assessed room{'s' if len(rooms) != 1 else ''} at "
        f"{len(data.sites)} site{'s' if len(data.sites) != 1 else ''} of {data.organisation_name}"
        + (f", assessed between {format_date(period[0])} and {format_date(period[1])}" if period else "")
        + f". {band_words}."
    )
    doc.text(intro)
    pdf.ln(3)
    average = sum(scores) / len(scores) if scores else None
    supportive = counts[Band.A.value] + counts[Band.B.value]
    figures_row = [
        (f"{len(rooms)}", f"rooms assessed (of {len(data.rooms)})"),
        (format_score(average), "average overall score"),
        (f"{supportive}", "rooms in band A or B"),
        (
            f"{len(failed)}",
            f"failed critical item{'' if len(failed) == 1 else 's'} in {len(failed_rooms)} "
            f"room{'' if len(failed_rooms) == 1 else 's'}",
        ),
    ]
    _key_figures(doc, figures_row)
    if provisional:
        doc.text(
            f"{len(provisional)} room score{'s are' if len(provisional) != 1 else ' is'} provisional "
            f"(fewer than {PROVISIONAL_BELOW * 100:.0f} % of items answered): "
            + ", ".join(r.name for r in provisional)
            + ".",
            colour=WARNING,
            style="B",
        )
        pdf.ln(2)
    doc.chart("bands", 135)

    doc.subheading("Rooms most in need")
    ranked = sorted(
        (r for r in rooms if r.score is not None and r.score.overall is not None),
        key=lambda r: (r.score.overall if r.score and r.score.overall is not None else 0.0, r.name),
    )[:5]
    rows, fills = [], []
    for room in ranked:
        assert room.score is not None
        first = room.score.actions[0].item if room.score.actions else None
        name = room.name if len(data.sites) == 1 else f"{room.name} ({room.site_name})"
        rows.append(
            [
                name,
                format_score(room.score.overall),
                band_cell(room.score.band),
                item_label(first) if first else NO_SCORE,
            ]
        )
        fills.append([None, None, band_colour(band_letter(room.score.band)), None])
    doc.table(
        ["Room", "Overall", "Band", "First fix"],
        rows,
        (44, 11, 9, 36),
        align=("LEFT", "RIGHT", "CENTER", "LEFT"),
        fills=fills,
    )

    doc.subheading("Failed critical items")
    if failed:
        doc.text(
            "Each of these caps its room at band C whatever the rest of the room scores; fix them first.",
            colour=MUTED_INK,
            size=9,
        )
        pdf.ln(1)
        doc.table(
            ["Room", "Item", "Answer"],
            [[r.name, f"{item_label(i.item_id)}: {i.question}", i.answer_text] for r, i in failed],
            (28, 52, 20),
        )
    else:
        doc.text("No critical item failed in any room.")

    doc.subheading("Top fixes")
    doc.text(
        "The fixes that raise scores most for the effort they take, across all rooms (failed critical items first).",
        colour=MUTED_INK,
        size=9,
    )
    pdf.ln(1)
    plan_table(doc, data.action_plan[:10])


def _key_figures(doc: Document, values: Sequence[tuple[str, str]]) -> None:
    """A row of grey boxes, each a big number over a few words."""
    pdf = doc.pdf
    gap = 3.0
    width = (pdf.epw - gap * (len(values) - 1)) / len(values)
    y = pdf.get_y()
    for n, (number, label) in enumerate(values):
        x = pdf.l_margin + n * (width + gap)
        pdf.set_fill_color(*hex_rgb(PANEL))
        pdf.rect(x, y, width, 20, style="F")
        pdf.set_xy(x + 3, y + 2.5)
        pdf.set_font(FONT, "B", 17)
        pdf.cell(width - 6, 8, number)
        pdf.set_xy(x + 3, y + 11)
        pdf.set_font(FONT, "", 8)
        pdf.set_text_color(*hex_rgb(MUTED_INK))
        pdf.multi_cell(width - 6, 3.6, label)
        pdf.set_text_color(*hex_rgb(INK))
    pdf.set_y(y + 24)
