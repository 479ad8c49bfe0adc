"""The executive summary: the key figures of the whole portfolio, rooms by band, the rooms most in need,
failed critical items and the top fixes, for readers who read one page."""

from __future__ import annotations

from collections.abc import Sequence

from checklists.i18n import _, ngettext
from reports.data import ReportData
from reports.labels import NO_SCORE, format_date, format_percent, format_score, item_label
from reports.pdf.document import WARNING, Document, band_cell, band_letter
from reports.pdf.plan import plan_table
from reports.pdfkit import FONT, PANEL, hex_rgb
from reports.theme import INK, MUTED_INK, band_colour
from scoring.engine import PROVISIONAL_BELOW, Band

__all__ = ["summary"]


def summary(doc: Document, data: ReportData) -> None:
    """The executive summary, on the page the contents leave free."""
    pdf = doc.pdf
    doc.section(_("Executive summary"), 0)
    rooms = data.assessed_rooms
    scores = [r.score.overall for r in rooms if r.score is not None and r.score.overall is not None]
    bands = [None if r.score is None or r.score.band is None else str(r.score.band) for r in rooms]
    failed = [(r, item) for r in rooms if r.latest for item in r.latest.items if item.failed_critical]
    failed_rooms = {r.id for r, _item in failed}
    provisional = [r for r in rooms if r.score is not None and r.score.provisional]
    period = data.period
    counts = {b.value: bands.count(b.value) for b in Band}
    band_words = ", ".join(_("{n} in band {band}").format(n=counts[b.value], band=b.value) for b in Band)
    covers = ngettext(
        "This report covers {rooms} assessed room at {sites}",
        "This report covers {rooms} assessed rooms at {sites}",
        len(rooms),
    ).format(
        rooms=len(rooms),
        sites=ngettext("{n} site of {organisation}", "{n} sites of {organisation}", len(data.sites)).format(
            n=len(data.sites), organisation=data.organisation_name
        ),
    )
    between = (
        _(", assessed between {start} and {end}").format(start=format_date(period[0]), end=format_date(period[1]))
        if period
        else ""
    )
    intro = f"{covers}{between}. {band_words}."
    doc.text(intro)
    pdf.ln(3)
    average = sum(scores) / len(scores) if scores else None
    supportive = counts[Band.A.value] + counts[Band.B.value]
    figures_row = [
        (f"{len(rooms)}", _("rooms assessed (of {rooms})").format(rooms=len(data.rooms))),
        (format_score(average), _("average overall score")),
        (f"{supportive}", _("rooms in band A or B")),
        (
            f"{len(failed)}",
            ngettext("failed critical item in {rooms}", "failed critical items in {rooms}", len(failed)).format(
                rooms=ngettext("{n} room", "{n} rooms", len(failed_rooms)).format(n=len(failed_rooms))
            ),
        ),
    ]
    _key_figures(doc, figures_row)
    if provisional:
        doc.text(
            ngettext(
                "{n} room score is provisional (fewer than {percent} of items answered): {rooms}.",
                "{n} room scores are provisional (fewer than {percent} of items answered): {rooms}.",
                len(provisional),
            ).format(
                n=len(provisional),
                percent=format_percent(PROVISIONAL_BELOW),
                rooms=", ".join(r.name for r in provisional),
            ),
            colour=WARNING,
            style="B",
        )
        pdf.ln(2)
    doc.chart("bands", 135)

    doc.subheading(_("Rooms most in need"))
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
        [_("Room"), _("Overall"), _("Band"), _("First fix")],
        rows,
        (44, 11, 9, 36),
        align=("LEFT", "RIGHT", "CENTER", "LEFT"),
        fills=fills,
    )

    doc.subheading(_("Failed critical items"))
    if failed:
        doc.text(
            _("Each of these caps its room at band C whatever the rest of the room scores; fix them first."),
            colour=MUTED_INK,
            size=9,
        )
        pdf.ln(1)
        doc.table(
            [_("Room"), _("Item"), _("Answer")],
            [[r.name, f"{item_label(i.item_id)}: {i.question}", i.answer_text] for r, i in failed],
            (28, 52, 20),
        )
    else:
        doc.text(_("No critical item failed in any room."))

    doc.subheading(_("Top fixes"))
    doc.text(
        _("The fixes that raise scores most for the effort they take, across all rooms (failed critical items first)."),
        colour=MUTED_INK,
        size=9,
    )
    pdf.ln(1)
    plan_table(doc, data.action_plan[:10])


def _key_figures(doc: Document, values: Sequence[tuple[str, str]]) -> None:
    """A row of grey boxes, each a big number over a few words (the first on the right, right to left)."""
    pdf = doc.pdf
    gap = 3.0
    width = (pdf.epw - gap * (len(values) - 1)) / len(values)
    y = pdf.get_y()
    for n, (number, label) in enumerate(values):
        place = len(values) - 1 - n if doc.rtl else n
        x = pdf.l_margin + place * (width + gap)
        pdf.set_fill_color(*hex_rgb(PANEL))
        pdf.rect(x, y, width, 20, style="F")
        pdf.set_xy(x + 3, y + 2.5)
        pdf.set_font(FONT, "B", 17)
        pdf.cell(width - 6, 8, number, align=doc.start)
        pdf.set_xy(x + 3, y + 11)
        pdf.set_font(FONT, "", 8)
        pdf.set_text_color(*hex_rgb(MUTED_INK))
        pdf.multi_cell(width - 6, 3.6, label, align=doc.start)
        pdf.set_text_color(*hex_rgb(INK))
    pdf.set_y(y + 24)
