"""The report's pages and what every part draws with: A4 pages with a running header and footer, headings
that become bookmarks, paragraphs, tables and the charts rendered in the background."""

from __future__ import annotations

import io
from collections.abc import Sequence

from fpdf import FPDF
from fpdf.enums import Align, TableBordersLayout, TableCellFillMode, XPos, YPos
from fpdf.fonts import FontFace

from checklists.i18n import N_, _, direction, language
from reports.labels import NO_SCORE
from reports.pdf.charts import Charts
from reports.pdfkit import FONT, PANEL, hex_rgb, running_footer, running_header
from reports.theme import ACCENT, BAND_COLOURS, INK
from scoring.engine import Band

__all__ = [
    "LIGHT_RULE",
    "REPORT_TITLE",
    "WARNING",
    "Document",
    "ReportPages",
    "band_cell",
    "band_letter",
    "fit",
]

REPORT_TITLE = N_("Sensory and trauma-informed environment report")
LIGHT_RULE = "#CBD2D9"
# Provisional scores, failed critical items: the colour of band D.
WARNING = BAND_COLOURS[Band.D.value]


class ReportPages(FPDF):
    """A4 pages with a running header and a 'Page N of M' footer (none on the cover)."""

    def __init__(self, organisation: str, generated: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.organisation = organisation
        self.generated = generated
        self.running = ""
        self.rtl = direction(language()) == "rtl"
        # The pages the contents are drawn on later, so their header can say "Contents".
        self.contents_pages: range = range(0)
        self.set_margins(16, 18, 16)
        self.set_auto_page_break(auto=True, margin=18)

    def header(self) -> None:
        if self.page_no() == 1:
            return
        running = _("Contents") if self.page_no() in self.contents_pages else self.running
        # The organisation where the reader starts: on the left, or on the right right to left.
        first, second = (running, self.organisation) if self.rtl else (self.organisation, running)
        running_header(self, first, second, top=8, rule=LIGHT_RULE, line_width=0.2)

    def footer(self) -> None:
        if self.page_no() == 1:
            return
        cells = [
            (_("Generated {date}").format(date=self.generated), Align.L),
            (_("Page {page} of {pages}").format(page=self.page_no(), pages="{nb}"), Align.C),
            ("sensory-audit", Align.R),
        ]
        if self.rtl:  # the date where the reader starts, on the right
            cells = [(text, {Align.L: Align.R, Align.R: Align.L}.get(align, align)) for text, align in reversed(cells)]
        running_footer(self, *cells)


class Document:
    """The pages being laid out, the charts being drawn for them, and the text and table styles of the report."""

    def __init__(self, organisation: str, generated: str, charts: Charts) -> None:
        self.pdf = ReportPages(organisation, generated)
        self.charts = charts
        # True when the next section may start on the current page (left empty by the contents placeholder).
        self.fresh_page = False
        # A report in a language written right to left (Arabic) sets its headings and paragraphs from
        # the right and its tables' columns from right to left.
        self.rtl = direction(language()) == "rtl"
        self.start = Align.R if self.rtl else Align.L

    def section(self, title: str, level: int, *, running: str | None = None) -> None:
        """Start a page and an outline entry with a heading; level 0 for parts, 1 for rooms and appendix topics."""
        pdf = self.pdf
        pdf.running = running or title
        if not self.fresh_page:
            pdf.add_page()
        self.fresh_page = False
        pdf.start_section(title, level=level)
        self.heading(title, size=17 if level == 0 else 15, space_after=1)

    def heading(self, text: str, *, size: float = 12, space_after: float = 1.5, colour: str = INK) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, "B", size)
        pdf.set_text_color(*hex_rgb(colour))
        pdf.set_x(pdf.l_margin)
        pdf.multi_cell(pdf.epw, size * 0.5, text, align=self.start, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(*hex_rgb(INK))
        pdf.ln(space_after)

    def subheading(self, text: str, *, keep: float = 30) -> None:
        """A heading inside a page; starts a new page when less than `keep` mm would follow it."""
        pdf = self.pdf
        if pdf.will_page_break(keep + 8):
            pdf.add_page()
        pdf.ln(2.5)
        self.heading(text, size=11.5, space_after=1.5, colour=ACCENT)

    def text(self, text: str, *, size: float = 9.5, style: str = "", colour: str = INK, height: float = 4.6) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, style, size)
        pdf.set_text_color(*hex_rgb(colour))
        pdf.set_x(pdf.l_margin)
        pdf.multi_cell(pdf.epw, height, text, align=self.start, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(*hex_rgb(INK))

    def chart(self, key: str, width_mm: float, *, x: float | None = None, y: float | None = None) -> float:
        """Place a chart rendered in the background as a crisp image `width_mm` wide; returns its height in mm."""
        png, width_px, height_px, alt = self.charts.get(key)
        height_mm = width_mm * height_px / width_px
        pdf = self.pdf
        if x is None and y is None and pdf.will_page_break(height_mm):
            pdf.add_page()
        pdf.image(
            io.BytesIO(png),
            x=pdf.l_margin if x is None else x,
            y=pdf.get_y() if y is None else y,
            w=width_mm,
            h=height_mm,
            alt_text=alt,
        )
        if x is None and y is None:
            pdf.set_y(pdf.get_y() + height_mm + 2)
        return height_mm

    def table(
        self,
        headings: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        *,
        align: Sequence[str] | None = None,
        fills: Sequence[Sequence[str | None]] | None = None,
        size: float = 8.5,
    ) -> None:
        """A table with a bold header row repeated on each page; `fills` colours single cells (band cells).
        Right to left, the first column is the rightmost and text starts at each cell's right."""
        pdf = self.pdf
        aligns = list(align or ["LEFT"] * len(headings))
        if self.rtl:
            mirrored = {"LEFT": "RIGHT", "RIGHT": "LEFT", "L": "R", "R": "L"}
            headings, widths = headings[::-1], widths[::-1]
            rows = [list(values)[::-1] for values in rows]
            fills = None if fills is None else [list(cells)[::-1] for cells in fills]
            aligns = [mirrored.get(a, a) for a in aligns[::-1]]
        pdf.set_font(FONT, "", size)
        # Cells without their own fill take the current fill colour: start from white, not from the last box drawn.
        pdf.set_fill_color(255, 255, 255)
        headings_style = FontFace(
            emphasis="BOLD",
            color=hex_rgb(INK),
            fill_color=hex_rgb(PANEL),
            size_pt=self._heading_size(headings, widths, size),
        )
        with pdf.table(
            col_widths=tuple(widths),
            text_align=tuple(aligns),
            headings_style=headings_style,
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            line_height=size * 0.5,
            padding=(1.1, 1.2),
            cell_fill_mode=TableCellFillMode.NONE,
            repeat_headings=1,
            v_align="MIDDLE",
        ) as table:
            pdf.set_draw_color(*hex_rgb(LIGHT_RULE))
            header = table.row()
            for heading in headings:
                header.cell(heading)
            for n, values in enumerate(rows):
                row = table.row()
                for column, value in enumerate(values):
                    fill = fills[n][column] if fills is not None else None
                    if fill:
                        row.cell(
                            value,
                            style=FontFace(emphasis="BOLD", fill_color=hex_rgb(fill), color=(0, 0, 0)),
                            align=Align.C,
                        )
                    else:
                        row.cell(value)
        pdf.ln(2)

    def _heading_size(self, headings: Sequence[str], widths: Sequence[float], size: float) -> float:
        """The header row's font size: the table's, or smaller until each heading's longest word fits
        its column ("Catégorie" is not cut into "Catégor" and "ie")."""
        pdf = self.pdf
        total = sum(widths)
        room = [pdf.epw * w / total - 2.6 for w in widths]  # the cell's padding on both sides
        chosen = size
        while chosen > 6.0:
            pdf.set_font(FONT, "B", chosen)
            if all(
                pdf.get_string_width(word) <= space
                for h, space in zip(headings, room, strict=True)
                for word in h.split()
            ):
                break
            chosen -= 0.25
        pdf.set_font(FONT, "", size)
        return chosen


def fit(pdf: FPDF, text: str, width: float) -> str:
    """Cut `text` to fit `width` in the current font, ending with an ellipsis when cut."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def band_letter(band: object) -> str | None:
    """A score's band as its letter, or None before a room has one."""
    return None if band is None else str(band)


def band_cell(band: object) -> str:
    """A band in a table: its letter on its colour (the cover's legend gives the words)."""
    value = band_letter(band)
    return NO_SCORE if value is None else value
