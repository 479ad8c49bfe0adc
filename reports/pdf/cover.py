"""The report's first pages: the cover with who and what the report is about and how to read the bands,
then the contents with page numbers and links."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos
from fpdf.outline import OutlineSection
from PIL import Image

from checklists.i18n import _
from reports.data import ReportData
from reports.labels import NO_SCORE, format_date, format_number, format_percent
from reports.pdf.calibration import calibration_sections
from reports.pdf.document import REPORT_TITLE, Document, fit
from reports.pdf.methodology import methodology_sections
from reports.pdfkit import FONT, hex_rgb
from reports.theme import ACCENT, BAND_COLOURS, INK, MUTED_INK
from scoring.engine import BAND_LABELS, PROVISIONAL_BELOW, Band

__all__ = ["Entry", "contents_entries", "contents_page_count", "cover", "render_contents"]

# The height of one line of the contents, mm.
CONTENTS_LINE = 6.0


@dataclass(frozen=True)
class Entry:
    """A contents entry, known before the pages are drawn so the contents can be sized exactly."""

    name: str
    level: int


def cover(doc: Document, data: ReportData, *, consultant: str | None, logo: bytes | None) -> None:
    """The cover: optional logo, title, organisation and scope, the facts of the report, the band legend."""
    pdf = doc.pdf
    catalogue = data.catalogue
    pdf.running = ""
    top = 30.0
    if logo is not None:
        with Image.open(io.BytesIO(logo)) as image:
            ratio = image.width / max(1, image.height)
        width = min(60.0, 28.0 * ratio)
        x = pdf.w - pdf.r_margin - width if doc.rtl else pdf.l_margin
        pdf.image(io.BytesIO(logo), x=x, y=20, w=width, h=width / ratio, alt_text=_("Logo"))
        top = 20 + width / ratio + 12
    # The accent band runs down the edge the text starts from.
    pdf.set_fill_color(*hex_rgb(ACCENT))
    pdf.rect(pdf.w - 8 if doc.rtl else 0, 0, 8, pdf.h, style="F")
    pdf.set_y(max(top, 55))
    doc.text(_(REPORT_TITLE).upper(), size=10, style="B", colour=ACCENT)
    pdf.ln(3)
    pdf.set_font(FONT, "B", 26)
    pdf.multi_cell(pdf.epw, 12, data.organisation_name, align=doc.start, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    doc.text(data.scope, size=13, colour=MUTED_INK, height=6.5)
    pdf.ln(12)

    period = data.period
    sites = "; ".join(f"{s.name} ({s.setting_title.lower()})" for s in data.sites)
    facts = [
        (_("Sites"), sites),
        (
            _("Rooms"),
            _("{assessed} assessed of {rooms} in scope").format(
                assessed=len(data.assessed_rooms), rooms=len(data.rooms)
            ),
        ),
        (
            _("Period"),
            _("{start} to {end}").format(start=format_date(period[0]), end=format_date(period[1]))
            if period
            else NO_SCORE,
        ),
        (_("Assessed by"), ", ".join(data.assessors) or NO_SCORE),
    ]
    if consultant:
        facts.append((_("Prepared by"), consultant))
    based_on = (
        _("each room's latest submitted, reviewed and draft assessment")
        if data.include_drafts
        else _("each room's latest submitted and reviewed assessment")
    )
    facts += [
        (_("Criteria"), _("{title}, version {version}").format(title=catalogue.title, version=catalogue.version)),
        (_("Based on"), based_on),
        (_("Generated"), format_date(data.generated_at.date())),
    ]
    # Each fact's label, then its value: from the left, or from the right in Arabic.
    label_x, value_x = (pdf.l_margin + pdf.epw - 34, pdf.l_margin) if doc.rtl else (pdf.l_margin, pdf.l_margin + 34)
    for label, value in facts:
        pdf.set_font(FONT, "B", 10)
        y = pdf.get_y()
        pdf.set_text_color(*hex_rgb(MUTED_INK))
        pdf.set_x(label_x)
        pdf.cell(34, 6, label, align=doc.start)
        pdf.set_text_color(*hex_rgb(INK))
        pdf.set_font(FONT, "", 10)
        pdf.set_xy(value_x, y)
        pdf.multi_cell(pdf.epw - 34, 6, value, align=doc.start, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)
    _band_legend(doc, y=pdf.h - 62)


def _band_legend(doc: Document, *, y: float) -> None:
    """The four bands with colour, letter, words and score range: colour is never the only cue."""
    pdf = doc.pdf
    pdf.set_y(y)
    doc.text(_("How to read the bands"), size=10, style="B")
    pdf.ln(1)
    ranges = {
        Band.A: _("{low} to {high}").format(low=format_number(85), high=format_number(100)),
        Band.B: _("{low} to {high}").format(low=format_number(70), high=format_number(84.9)),
        Band.C: _("{low} to {high}").format(low=format_number(50), high=format_number(69.9)),
        Band.D: _("below {value}").format(value=format_number(50)),
    }
    width = pdf.epw / 4
    y = pdf.get_y()
    for n, band in enumerate(Band):
        # A to D from the left, or from the right in Arabic, each swatch before its words.
        x = pdf.l_margin + (3 - n if doc.rtl else n) * width
        swatch, words = (x + width - 11, x + 1) if doc.rtl else (x, x + 12.5)
        pdf.set_fill_color(*hex_rgb(BAND_COLOURS[band.value]))
        pdf.rect(swatch, y, 11, 11, style="F")
        pdf.set_xy(swatch, y + 1.2)
        pdf.set_font(FONT, "B", 14)
        pdf.cell(11, 8.5, band.value, align=Align.C)
        pdf.set_xy(words, y + 0.3)
        pdf.set_font(FONT, "B", 7.8)
        pdf.cell(width - 13.5, 4.5, fit(pdf, _(BAND_LABELS[band]), width - 13.5), align=doc.start)
        pdf.set_xy(words, y + 5.3)
        pdf.set_font(FONT, "", 7.8)
        pdf.cell(width - 13.5, 4.5, ranges[band], align=doc.start)
    pdf.set_y(y + 14)
    doc.text(
        _(
            "A failed critical item caps a room at band C. Scores from checklists with fewer than "
            "{percent} of their items answered are marked provisional."
        ).format(percent=format_percent(PROVISIONAL_BELOW)),
        size=8,
        colour=MUTED_INK,
        height=4,
    )


def contents_entries(data: ReportData) -> list[Entry]:
    """The contents (and bookmarks) of the report: its parts, each site's rooms, the appendix topics."""
    entries = [Entry(_("Executive summary"), 0)]
    for site in data.sites:
        entries.append(Entry(_("Site: {name}").format(name=site.name), 0))
        entries += [Entry(room.name, 1) for room in site.assessed_rooms]
    entries.append(Entry(_("Action plan"), 0))
    if data.calibration:
        entries.append(Entry(_("Calibration"), 0))
        entries += [Entry(title, 1) for title in calibration_sections(data)]
    entries.append(Entry(_("Methodology"), 0))
    entries += [Entry(title, 1) for title in methodology_sections(data)]
    return entries


def contents_page_count(pdf: FPDF, entries: Sequence[Entry]) -> int:
    """How many pages the contents take, so they can be kept free before the pages they list are drawn."""
    first, rest = _contents_capacity(pdf)
    if len(entries) <= first:
        return 1
    return 1 + math.ceil((len(entries) - first) / rest)


def _contents_capacity(pdf: FPDF) -> tuple[int, int]:
    """How many one-line entries fit on the first contents page and on each further one."""
    usable = pdf.h - pdf.t_margin - pdf.b_margin
    return int((usable - 16) // CONTENTS_LINE), int(usable // CONTENTS_LINE)


def render_contents(doc: Document, outline: list[OutlineSection]) -> None:
    """Draw the contents once every page is known: each entry with dot leaders to its page, linked."""
    pdf = doc.pdf
    pdf.set_xy(pdf.l_margin, pdf.t_margin)
    doc.heading(_("Contents"), size=18, space_after=6)
    pdf.set_font(FONT, "", 9.5)
    for section in outline:
        if pdf.will_page_break(CONTENTS_LINE):
            pdf.add_page()
        link = pdf.add_link(page=section.page_number)
        indent = 7.0 * section.level
        label = str(section.page_number)
        pdf.set_font(FONT, "B" if section.level == 0 else "", 9.5)
        number_width = 14.0
        name = fit(pdf, section.name, pdf.epw - indent - number_width - 4)
        pdf.set_x(pdf.l_margin + indent)
        name_width = pdf.get_string_width(name) + 1
        pdf.cell(name_width, CONTENTS_LINE, name, link=link)
        dots_width = pdf.epw - indent - name_width - number_width
        pdf.set_text_color(*hex_rgb(MUTED_INK))
        dots = "." * max(0, int(dots_width / max(pdf.get_string_width("."), 0.1)) - 2)
        pdf.cell(dots_width, CONTENTS_LINE, dots, align=Align.R, link=link)
        pdf.set_text_color(*hex_rgb(INK))
        pdf.cell(number_width, CONTENTS_LINE, label, align=Align.R, link=link, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
