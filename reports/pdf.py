"""The PDF report a consultant hands over: cover, contents, executive summary, a page per site, a scorecard
per room, the action plan and a methodology appendix generated from the catalogue.

Built with fpdf2 from a `ReportData`; charts are the dashboard's own plotly figures (`reports.figures`),
drawn by kaleido at twice their size so they stay sharp in print, on a background thread while the
pages are laid out. Page by page:

1. Cover: organisation, scope, sites, period, assessors, who prepared it, optional logo, band legend.
2. Contents, with page numbers and links (the same entries form the PDF outline / bookmarks).
3. Executive summary: key figures, rooms by band, the rooms most in need, failed critical items,
   the top fixes.
4. Per site: its rooms compared (table, rooms x categories and rooms x principles heatmaps), then a
   scorecard per room: overall score and band, completeness (provisional marked), history, category
   bars beside the principle radar, measurements against targets, notes, photos, the first fixes.
5. Action plan: fixes grouped across rooms with how to fix them, then the highest-value fixes room by room.
6. Methodology: the scoring rules in plain words, evidence grades, principles, and every criterion
   with its targets and sources.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from fpdf import FPDF
from fpdf.enums import Align, TableBordersLayout, TableCellFillMode, XPos, YPos
from fpdf.fonts import FontFace
from fpdf.outline import OutlineSection
from PIL import Image, UnidentifiedImageError

from checklists.schema import EFFORT_COST, Catalogue, Effort, ItemKind, Target
from reports import figures
from reports.data import AssessmentReport, ItemAnswer, Photo, PlanEntry, ReportData, RoomReport, SiteReport
from reports.errors import ReportError
from reports.images import figure_png
from reports.labels import (
    EVIDENCE_GRADES,
    NO_SCORE,
    category_title,
    format_date,
    format_gain,
    format_percent,
    format_score,
    item_label,
    principle_short,
)
from reports.output import Progress, atomic_output, check_output_path, no_progress
from reports.pdfkit import FONT, close_fonts, hex_rgb, line_count, register_fonts
from reports.theme import ACCENT, BAND_COLOURS, INK, MUTED_INK, band_colour
from scoring.engine import BAND_LABELS, BAND_THRESHOLDS, CRITICAL_FAIL_BELOW, PROVISIONAL_BELOW, Band, band_for

__all__ = ["REPORT_TITLE", "write_pdf_report"]

REPORT_TITLE = "Sensory and trauma-informed environment report"
LANGUAGE = "en-GB"
# Charts are drawn at this many times their CSS pixel size: crisp at print resolution.
CHART_SCALE = 2
# A heatmap shows at most this many rooms; larger sites get several.
HEATMAP_ROWS = 24
ROOM_FIXES = 5
PLAN_ROWS = 30
LIGHT_RULE = "#CBD2D9"
ZEBRA = "#F2F4F6"
WARNING = BAND_COLOURS[Band.D.value]


@dataclass(frozen=True)
class _Entry:
    """A contents entry, known before the pages are drawn so the contents can be sized exactly."""

    name: str
    level: int


class _ReportPDF(FPDF):
    """A4 pages with a running header and a 'Page N of M' footer (none on the cover)."""

    def __init__(self, organisation: str, generated: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.organisation = organisation
        self.generated = generated
        self.running = ""
        # The pages the contents are drawn on later, so their header can say "Contents".
        self.contents_pages: range = range(0)
        self.set_margins(16, 18, 16)
        self.set_auto_page_break(auto=True, margin=18)

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*hex_rgb(MUTED_INK))
        self.set_xy(self.l_margin, 8)
        self.cell(self.epw / 2, 5, self.organisation, align=Align.L)
        self.cell(self.epw / 2, 5, "Contents" if self.page_no() in self.contents_pages else self.running, align=Align.R)
        self.set_draw_color(*hex_rgb(LIGHT_RULE))
        self.set_line_width(0.2)
        self.line(self.l_margin, 13.5, self.w - self.r_margin, 13.5)
        self.set_xy(self.l_margin, self.t_margin)
        self.set_text_color(*hex_rgb(INK))

    def footer(self) -> None:
        if self.page_no() == 1:
            return
        self.set_y(-12)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*hex_rgb(MUTED_INK))
        self.cell(self.epw / 3, 5, f"Generated {self.generated}", align=Align.L)
        self.cell(self.epw / 3, 5, f"Page {self.page_no()} of {{nb}}", align=Align.C)
        self.cell(self.epw / 3, 5, "sensory-audit", align=Align.R)
        self.set_text_color(*hex_rgb(INK))


class _Charts:
    """Charts drawn one after another on a background thread, collected by name when a page needs them."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="report-charts")
        self.jobs: dict[str, tuple[Future[bytes], int, int, str]] = {}

    def submit(self, key: str, fig: go.Figure, width_px: int, height_px: int, alt: str) -> None:
        # Print on white; the dashboard's off-white paper would show as grey boxes on the page.
        fig.update_layout(paper_bgcolor="#FFFFFF", plot_bgcolor="#FFFFFF")
        future = self.pool.submit(figure_png, fig, width_px, height_px, CHART_SCALE)
        self.jobs[key] = (future, width_px, height_px, alt)

    def height_mm(self, key: str, width_mm: float) -> float:
        """How tall a queued chart will be when placed `width_mm` wide."""
        _, width_px, height_px, _ = self.jobs[key]
        return width_mm * height_px / width_px

    def get(self, key: str) -> tuple[bytes, int, int, str]:
        future, width_px, height_px, alt = self.jobs.pop(key)
        return future.result(), width_px, height_px, alt

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def write_pdf_report(
    data: ReportData,
    out_path: Path | str,
    *,
    consultant: str | None = None,
    logo: Path | str | bytes | None = None,
    progress: Progress | None = None,
) -> Path:
    """Write the PDF report of `data` to `out_path` (atomically) and return the path written.

    `consultant` is printed on the cover as who prepared the report; `logo` (a PNG or JPEG file or its
    bytes) goes at the top of the cover. Raises ReportOutputError when the file cannot be written,
    ReportError for an unreadable logo, ChartRenderError when charts cannot be drawn.
    """
    path = check_output_path(out_path)
    logo_bytes = _read_logo(logo)
    writer = _Writer(data, consultant=consultant, logo=logo_bytes, progress=progress or no_progress)
    try:
        pdf = writer.build()
        with atomic_output(path) as temporary:
            pdf.output(str(temporary))
    finally:
        writer.charts.close()
        close_fonts(writer.pdf)
    return path


def _read_logo(logo: Path | str | bytes | None) -> bytes | None:
    if logo is None:
        return None
    if isinstance(logo, bytes):
        content = logo
    else:
        try:
            content = Path(logo).expanduser().read_bytes()
        except OSError as error:
            raise ReportError(f"the logo {logo} cannot be read: {error.strerror or error}") from error
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ReportError("the logo is not an image fpdf can embed: use a PNG or JPEG file") from error
    return content


def _texts(data: ReportData, consultant: str | None) -> Iterable[str]:
    """Every piece of user-written text, to pick fallback fonts for scripts DejaVu Sans lacks."""
    yield data.organisation_name
    yield data.scope
    if consultant:
        yield consultant
    for site in data.sites:
        yield site.name
        yield site.address or ""
        for room in site.rooms:
            yield room.name
            for assessment in room.assessments:
                yield assessment.assessor
                yield assessment.provisional_reason or ""
                for item in assessment.items:
                    yield item.note or ""
                for photo in assessment.photos:
                    yield photo.caption or ""
                    yield photo.file_name


class _Writer:
    def __init__(self, data: ReportData, *, consultant: str | None, logo: bytes | None, progress: Progress):
        self.data = data
        self.catalogue = data.catalogue
        self.consultant = consultant
        self.logo = logo
        self.progress = progress
        self.pdf = _ReportPDF(data.organisation_name, format_date(data.generated_at.date()))
        rooms = len(data.assessed_rooms)
        # Steps: the summary, each site, each room, the plan, the appendix.
        self.total = 3 + len(data.sites) + rooms
        self.done = 0
        self.fresh_page = False
        self.charts = _Charts()

    # -- plumbing ---------------------------------------------------------------------------

    def step(self, message: str) -> None:
        self.progress(self.done, self.total, message)
        self.done += 1

    def build(self) -> FPDF:
        pdf = self.pdf
        data = self.data
        register_fonts(pdf, _texts(data, self.consultant))
        pdf.set_title(f"{REPORT_TITLE}: {data.organisation_name}")
        pdf.set_subject(f"{data.scope}; catalogue {self.catalogue.version}")
        pdf.set_author(self.consultant or "sensory-audit")
        pdf.set_creator("sensory-audit")
        pdf.set_keywords(["sensory", "trauma-informed", "assessment", data.organisation_name])
        pdf.set_lang(LANGUAGE)
        pdf.set_creation_date(data.generated_at)
        pdf.set_display_mode(zoom="fullwidth", layout="continuous")
        pdf.set_text_color(*hex_rgb(INK))

        entries = self.contents()
        self.plan_charts()
        self.step("Cover and contents")
        contents_pages = self.contents_pages(entries)
        pdf.contents_pages = range(2, 2 + contents_pages)
        pdf.add_page()
        self.cover()
        pdf.add_page()
        # The placeholder ends with a page break, so the summary starts on the fresh page it leaves.
        pdf.running = "Executive summary"
        pdf.insert_toc_placeholder(self.render_contents, pages=contents_pages)
        self.fresh_page = True
        self.summary()
        rooms_done = 0
        for site in data.sites:
            self.step(f"Site {site.name}")
            self.site(site)
            for room in site.assessed_rooms:
                rooms_done += 1
                self.step(f"Room {rooms_done} of {len(data.assessed_rooms)}: {room.name}")
                self.room(site, room)
        self.step("Action plan")
        self.action_plan()
        self.step("Methodology")
        self.methodology()
        self.progress(self.total, self.total, "PDF ready")
        return pdf

    def contents(self) -> list[_Entry]:
        entries = [_Entry("Executive summary", 0)]
        for site in self.data.sites:
            entries.append(_Entry(f"Site: {site.name}", 0))
            entries += [_Entry(room.name, 1) for room in site.assessed_rooms]
        entries.append(_Entry("Action plan", 0))
        entries.append(_Entry("Methodology", 0))
        entries += [_Entry(title, 1) for title in self.methodology_sections()]
        return entries

    def contents_pages(self, entries: Sequence[_Entry]) -> int:
        first, rest = self.contents_capacity()
        if len(entries) <= first:
            return 1
        return 1 + math.ceil((len(entries) - first) / rest)

    def contents_capacity(self) -> tuple[int, int]:
        """How many one-line entries fit on the first contents page and on each further one."""
        usable = self.pdf.h - self.pdf.t_margin - self.pdf.b_margin
        return int((usable - 16) // _CONTENTS_LINE), int(usable // _CONTENTS_LINE)

    def render_contents(self, pdf: FPDF, outline: list[OutlineSection]) -> None:
        pdf.set_xy(pdf.l_margin, pdf.t_margin)
        self.heading("Contents", size=18, space_after=6)
        pdf.set_font(FONT, "", 9.5)
        for section in outline:
            if pdf.will_page_break(_CONTENTS_LINE):
                pdf.add_page()
            link = pdf.add_link(page=section.page_number)
            indent = 7.0 * section.level
            label = str(section.page_number)
            pdf.set_font(FONT, "B" if section.level == 0 else "", 9.5)
            number_width = 14.0
            name = _fit(pdf, section.name, pdf.epw - indent - number_width - 4)
            pdf.set_x(pdf.l_margin + indent)
            name_width = pdf.get_string_width(name) + 1
            pdf.cell(name_width, _CONTENTS_LINE, name, link=link)
            dots_width = pdf.epw - indent - name_width - number_width
            pdf.set_text_color(*hex_rgb(MUTED_INK))
            dots = "." * max(0, int(dots_width / max(pdf.get_string_width("."), 0.1)) - 2)
            pdf.cell(dots_width, _CONTENTS_LINE, dots, align=Align.R, link=link)
            pdf.set_text_color(*hex_rgb(INK))
            pdf.cell(number_width, _CONTENTS_LINE, label, align=Align.R, link=link, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

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
        pdf.multi_cell(pdf.epw, size * 0.5, text, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
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
        pdf.multi_cell(pdf.epw, height, text, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
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

    def plan_charts(self) -> None:
        """Build every chart of the report and queue it for drawing, in the order the pages need them.

        Chromium draws the charts in its own process while this thread lays out pages, so most of
        the drawing time is hidden behind the page layout.
        """
        data = self.data
        rooms = data.assessed_rooms
        bands = [None if r.score is None or r.score.band is None else str(r.score.band) for r in rooms]
        counts = {b.value: bands.count(b.value) for b in Band}
        self.charts.submit(
            "bands",
            figures.band_distribution(bands),
            760,
            300,
            "Bar chart of rooms by band: " + ", ".join(f"{counts[b.value]} in band {b.value}" for b in Band),
        )
        for site in data.sites:
            assessed = site.assessed_rooms
            if not assessed:
                continue
            categories, principles = _site_frames(self.catalogue, assessed)
            for start in range(0, len(assessed), HEATMAP_ROWS):
                chunk = slice(start, start + HEATMAP_ROWS)
                frame = categories.iloc[chunk]
                self.charts.submit(
                    f"site-{site.id}-categories-{start}",
                    figures.category_heatmap(frame, self.catalogue),
                    780,
                    110 + 34 * len(frame),
                    f"Heatmap of category scores for the rooms of {site.name}",
                )
                frame = principles.iloc[chunk]
                self.charts.submit(
                    f"site-{site.id}-principles-{start}",
                    figures.principle_heatmap(frame, self.catalogue),
                    780,
                    90 + 34 * len(frame),
                    f"Heatmap of principle scores for the rooms of {site.name}",
                )
            for room in assessed:
                latest = room.latest
                assert latest is not None
                score = latest.score
                alt = (
                    _category_alt(self.catalogue, latest)
                    + ". Radar of principle scores: "
                    + ", ".join(f"{principle_short(p)} {format_score(v)}" for p, v in score.principles.items())
                )
                fig = figures.room_profile(score, self.catalogue, name=room.name)
                self.charts.submit(f"room-{room.id}", fig, 820, 340, alt)

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
        """A table with a bold header row repeated on each page; `fills` colours single cells (band cells)."""
        pdf = self.pdf
        pdf.set_font(FONT, "", size)
        # Cells without their own fill take the current fill colour: start from white, not from the last box drawn.
        pdf.set_fill_color(255, 255, 255)
        headings_style = FontFace(emphasis="BOLD", color=hex_rgb(INK), fill_color=hex_rgb(ZEBRA))
        with pdf.table(
            col_widths=tuple(widths),
            text_align=tuple(align or ["LEFT"] * len(headings)),
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

    # -- cover --------------------------------------------------------------------------------

    def cover(self) -> None:
        pdf = self.pdf
        data = self.data
        pdf.running = ""
        top = 30.0
        if self.logo is not None:
            with Image.open(io.BytesIO(self.logo)) as image:
                ratio = image.width / max(1, image.height)
            width = min(60.0, 28.0 * ratio)
            pdf.image(io.BytesIO(self.logo), x=pdf.l_margin, y=20, w=width, h=width / ratio, alt_text="Logo")
            top = 20 + width / ratio + 12
        pdf.set_fill_color(*hex_rgb(ACCENT))
        pdf.rect(0, 0, 8, pdf.h, style="F")
        pdf.set_y(max(top, 55))
        self.text(REPORT_TITLE.upper(), size=10, style="B", colour=ACCENT)
        pdf.ln(3)
        pdf.set_font(FONT, "B", 26)
        pdf.multi_cell(pdf.epw, 12, data.organisation_name, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
        self.text(data.scope, size=13, colour=MUTED_INK, height=6.5)
        pdf.ln(12)

        period = data.period
        sites = "; ".join(f"{s.name} ({s.setting_title.lower()})" for s in data.sites)
        facts = [
            ("Sites", sites),
            ("Rooms", f"{len(data.assessed_rooms)} assessed of {len(data.rooms)} in scope"),
            ("Period", f"{format_date(period[0])} to {format_date(period[1])}" if period else NO_SCORE),
            ("Assessed by", ", ".join(data.assessors) or NO_SCORE),
        ]
        if self.consultant:
            facts.append(("Prepared by", self.consultant))
        statuses = "submitted, reviewed and draft" if data.include_drafts else "submitted and reviewed"
        facts += [
            ("Criteria", f"{self.catalogue.title}, version {self.catalogue.version}"),
            ("Based on", f"each room's latest {statuses} assessment"),
            ("Generated", format_date(data.generated_at.date())),
        ]
        for label, value in facts:
            pdf.set_font(FONT, "B", 10)
            y = pdf.get_y()
            pdf.set_text_color(*hex_rgb(MUTED_INK))
            pdf.cell(34, 6, label)
            pdf.set_text_color(*hex_rgb(INK))
            pdf.set_font(FONT, "", 10)
            pdf.set_xy(pdf.l_margin + 34, y)
            pdf.multi_cell(pdf.epw - 34, 6, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1)
        self.band_legend(y=pdf.h - 62)

    def band_legend(self, *, y: float) -> None:
        """The four bands with colour, letter, words and score range: colour is never the only cue."""
        pdf = self.pdf
        pdf.set_y(y)
        self.text("How to read the bands", size=10, style="B")
        pdf.ln(1)
        ranges = {Band.A: "85 to 100", Band.B: "70 to 84.9", Band.C: "50 to 69.9", Band.D: "below 50"}
        width = pdf.epw / 4
        y = pdf.get_y()
        for n, band in enumerate(Band):
            x = pdf.l_margin + n * width
            pdf.set_fill_color(*hex_rgb(BAND_COLOURS[band.value]))
            pdf.rect(x, y, 11, 11, style="F")
            pdf.set_xy(x, y + 1.2)
            pdf.set_font(FONT, "B", 14)
            pdf.cell(11, 8.5, band.value, align=Align.C)
            pdf.set_xy(x + 12.5, y + 0.3)
            pdf.set_font(FONT, "B", 7.8)
            pdf.cell(width - 13.5, 4.5, _fit(pdf, BAND_LABELS[band], width - 13.5))
            pdf.set_xy(x + 12.5, y + 5.3)
            pdf.set_font(FONT, "", 7.8)
            pdf.cell(width - 13.5, 4.5, ranges[band])
        pdf.set_y(y + 14)
        self.text(
            "A failed critical item caps a room at band C. Scores from checklists with fewer than "
            f"{PROVISIONAL_BELOW:.0%} of their items answered are marked provisional.".replace("%", " %"),
            size=8,
            colour=MUTED_INK,
            height=4,
        )

    # -- executive summary ----------------------------------------------------------------------

    def summary(self) -> None:
        pdf = self.pdf
        data = self.data
        self.step("Executive summary")
        self.section("Executive summary", 0)
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
        self.text(intro)
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
        self.key_figures(figures_row)
        if provisional:
            self.text(
                f"{len(provisional)} room score{'s are' if len(provisional) != 1 else ' is'} provisional "
                f"(fewer than {PROVISIONAL_BELOW * 100:.0f} % of items answered): "
                + ", ".join(r.name for r in provisional)
                + ".",
                colour=WARNING,
                style="B",
            )
            pdf.ln(2)
        self.chart("bands", 135)

        self.subheading("Rooms most in need")
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
                    _band_cell(room.score.band),
                    item_label(first) if first else NO_SCORE,
                ]
            )
            fills.append([None, None, band_colour(_band(room.score.band)), None])
        self.table(
            ["Room", "Overall", "Band", "First fix"],
            rows,
            (44, 11, 9, 36),
            align=("LEFT", "RIGHT", "CENTER", "LEFT"),
            fills=fills,
        )

        self.subheading("Failed critical items")
        if failed:
            self.text(
                "Each of these caps its room at band C whatever the rest of the room scores; fix them first.",
                colour=MUTED_INK,
                size=9,
            )
            pdf.ln(1)
            self.table(
                ["Room", "Item", "Answer"],
                [[r.name, f"{item_label(i.item_id)}: {i.question}", i.answer_text] for r, i in failed],
                (28, 52, 20),
            )
        else:
            self.text("No critical item failed in any room.")

        self.subheading("Top fixes")
        self.text(
            "The fixes that raise scores most for the effort they take, across all rooms "
            "(failed critical items first).",
            colour=MUTED_INK,
            size=9,
        )
        pdf.ln(1)
        self.plan_table(data.action_plan[:10])

    def key_figures(self, values: Sequence[tuple[str, str]]) -> None:
        pdf = self.pdf
        gap = 3.0
        width = (pdf.epw - gap * (len(values) - 1)) / len(values)
        y = pdf.get_y()
        for n, (number, label) in enumerate(values):
            x = pdf.l_margin + n * (width + gap)
            pdf.set_fill_color(*hex_rgb(ZEBRA))
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

    def plan_table(self, entries: Sequence[PlanEntry], *, with_room: bool = True) -> None:
        rows = []
        for entry in entries:
            fix = f"{item_label(entry.item_id)}" + (" (failed critical item)" if entry.failed_critical else "")
            row = [str(entry.rank)]
            if with_room:
                row.append(entry.room_name)
            row += [fix, format_gain(entry.gain), entry.effort]
            rows.append(row)
        if with_room:
            self.table(
                ["#", "Room", "Fix", "Gain", "Effort"],
                rows,
                (6, 34, 44, 10, 12),
                align=("RIGHT", "LEFT", "LEFT", "RIGHT", "LEFT"),
            )
        else:
            self.table(["#", "Fix", "Gain", "Effort"], rows, (6, 70, 10, 12), align=("RIGHT", "LEFT", "RIGHT", "LEFT"))

    # -- sites --------------------------------------------------------------------------------

    def site(self, site: SiteReport) -> None:
        pdf = self.pdf
        self.section(f"Site: {site.name}", 0, running=site.name)
        details = site.setting_title + (f" · {site.address}" if site.address else "")
        self.text(details, colour=MUTED_INK)
        pdf.ln(2)
        assessed = site.assessed_rooms
        scores = [r.score.overall for r in assessed if r.score is not None and r.score.overall is not None]
        bands = [str(r.score.band) for r in assessed if r.score is not None and r.score.band is not None]
        average = format_score(sum(scores) / len(scores)) if scores else NO_SCORE
        self.text(
            f"{len(assessed)} of {len(site.rooms)} rooms assessed; average overall score {average}; "
            + ", ".join(f"band {b.value}: {bands.count(b.value)}" for b in Band)
            + "."
        )
        not_assessed = [r.name for r in site.rooms if r.latest is None]
        if not_assessed:
            self.text("Not yet assessed: " + ", ".join(not_assessed) + ".", colour=MUTED_INK, size=9)
        pdf.ln(2)
        rows, fills = [], []
        for room in assessed:
            latest = room.latest
            assert latest is not None
            score = latest.score
            completeness = format_percent(score.completeness) + (" provisional" if score.provisional else "")
            rows.append(
                [
                    room.name,
                    room.room_type_title,
                    format_date(latest.assessed_on),
                    format_score(score.overall),
                    _band_cell(score.band),
                    completeness,
                    str(len(score.critical_failures)),
                ]
            )
            fills.append([None, None, None, None, band_colour(_band(score.band)), None, None])
        self.table(
            ["Room", "Type", "Assessed", "Overall", "Band", "Answered", "Critical"],
            rows,
            (34, 28, 18, 11, 8, 14, 11),
            align=("LEFT", "LEFT", "LEFT", "RIGHT", "CENTER", "RIGHT", "RIGHT"),
            fills=fills,
        )
        if not assessed:
            return
        for start in range(0, len(assessed), HEATMAP_ROWS):
            last = min(len(assessed), start + HEATMAP_ROWS)
            part = "" if len(assessed) <= HEATMAP_ROWS else f" ({start + 1} to {last})"
            for kind, title in (
                ("categories", "Rooms by category"),
                ("principles", "Rooms by trauma-informed principle"),
            ):
                key = f"site-{site.id}-{kind}-{start}"
                # Keep the heading with its chart: a heading alone at the foot of a page helps nobody.
                self.subheading(title + part, keep=self.charts.height_mm(key, pdf.epw))
                self.chart(key, pdf.epw)

    # -- room scorecards ------------------------------------------------------------------------

    def room(self, site: SiteReport, room: RoomReport) -> None:
        pdf = self.pdf
        latest = room.latest
        assert latest is not None
        score = latest.score
        self.section(room.name, 1, running=f"{site.name} · {room.name}")
        details = [site.name, room.room_type_title]
        if room.floor is not None:
            details.append("ground floor" if room.floor == 0 else f"floor {room.floor}")
        if room.capacity:
            details.append(f"for {room.capacity} people")
        self.text(" · ".join(details), colour=MUTED_INK)
        self.text(
            f"Assessed {format_date(latest.assessed_on)} by {latest.assessor} · {latest.status} · "
            f"criteria version {latest.catalogue_version}",
            colour=MUTED_INK,
            size=8.5,
        )
        pdf.ln(3)
        self.score_panel(latest)
        if score.provisional:
            reason = f" Reason given: {latest.provisional_reason}" if latest.provisional_reason else ""
            self.callout(
                f"PROVISIONAL SCORE: only {format_percent(score.completeness)} of this room's checklist was answered "
                f"({PROVISIONAL_BELOW * 100:.0f} % is needed for a firm score); the score may change once the rest "
                f"is assessed.{reason}",
            )
        failed = [i for i in latest.items if i.failed_critical]
        if failed:
            names = "; ".join(f"{item_label(i.item_id)} (answer: {i.answer_text})" for i in failed)
            uncapped = band_for(score.overall, False)
            if uncapped in (Band.A, Band.B):
                message = (
                    f"Band capped at C (the score alone would give {uncapped.value}): a critical item failed: {names}."
                )
            else:
                message = (
                    f"A critical item failed, which would cap this room at band C even with a higher score: {names}."
                )
            self.callout(message, colour=band_colour("C"))
        if room.draft_on is not None:
            self.text(
                f"A newer assessment, dated {format_date(room.draft_on)}, is in progress and not included.",
                colour=MUTED_INK,
                size=8.5,
            )
        if len(room.assessments) > 1:
            history = " → ".join(
                f"{format_date(a.assessed_on)}: {format_score(a.score.overall)}"
                + (f" ({a.score.band})" if a.score.band else "")
                for a in room.assessments
            )
            self.text(f"History: {history}", size=8.5)
        pdf.ln(2)

        # Category bars and principle radar, side by side in one image.
        self.chart(f"room-{room.id}", pdf.epw)
        # The chart values as text too: searchable, read aloud by screen readers, and with the answered counts.
        self.text(_category_line(self.catalogue, latest), size=8, colour=MUTED_INK, height=3.8)

        readings = list(latest.readings)
        if readings:
            self.subheading("Measurements against their targets", keep=35)
            rows = [
                [
                    item_label(i.item_id),
                    i.answer_text,
                    _target_short(i.target) if i.kind == "measurement" else "IEEE 1789 no-risk region",
                    _item_score(i),
                ]
                for i in readings
            ]
            self.table(
                ["Measurement", "Reading", "Target (score 0 where stated)", "Score"],
                rows,
                (24, 28, 52, 9),
                align=("LEFT", "LEFT", "LEFT", "RIGHT"),
            )
        notes = latest.notes
        earlier_notes = [(a, i) for a in room.assessments[:-1] for i in a.notes]
        if notes or earlier_notes:
            self.subheading("Assessor's notes", keep=15)
            for item in notes:
                self.note(item_label(item.item_id), item.note or "")
            for assessment, item in earlier_notes[-4:]:
                self.note(
                    f"{item_label(item.item_id)} ({format_date(assessment.assessed_on)})", item.note or "", muted=True
                )
        photos = [(a, p) for a in reversed(room.assessments) for p in a.photos]
        if photos:
            self.subheading("Photos", keep=50)
            self.photo_grid(photos, latest)
        if score.actions:
            self.subheading("What to fix first in this room", keep=40)
            rows = [
                [
                    str(n),
                    item_label(a.item) + (" (critical)" if a.item in score.critical_failures else ""),
                    _first_sentence(a.how_to_fix),
                    format_gain(a.gain),
                    str(a.effort),
                ]
                for n, a in enumerate(score.actions[:ROOM_FIXES], start=1)
            ]
            self.table(
                ["#", "Fix", "How", "Gain", "Effort"],
                rows,
                (5, 22, 60, 9, 10),
                align=("RIGHT", "LEFT", "LEFT", "RIGHT", "LEFT"),
                size=8,
            )
            more = len(score.actions) - ROOM_FIXES
            if more > 0:
                self.text(f"… and {more} more in the action plan.", colour=MUTED_INK, size=8)

    def score_panel(self, assessment: AssessmentReport) -> None:
        pdf = self.pdf
        score = assessment.score
        y = pdf.get_y()
        x = pdf.l_margin
        height = 24.0
        pdf.set_fill_color(*hex_rgb(ZEBRA))
        pdf.rect(x, y, 44, height, style="F")
        pdf.set_xy(x + 3, y + 2)
        pdf.set_font(FONT, "", 8.5)
        pdf.set_text_color(*hex_rgb(MUTED_INK))
        pdf.cell(38, 4, "Overall score")
        pdf.set_text_color(*hex_rgb(INK))
        pdf.set_xy(x + 3, y + 7)
        pdf.set_font(FONT, "B", 24)
        pdf.cell(38, 11, format_score(score.overall))
        pdf.set_xy(x + 3, y + 18)
        pdf.set_font(FONT, "", 8)
        pdf.set_text_color(*hex_rgb(MUTED_INK))
        pdf.cell(38, 4, "out of 100" + (" · provisional" if score.provisional else ""))
        pdf.set_text_color(*hex_rgb(INK))

        band = _band(score.band)
        x += 47
        pdf.set_fill_color(*hex_rgb(band_colour(band)))
        pdf.rect(x, y, 64, height, style="F")
        pdf.set_xy(x + 3, y + 2.5)
        pdf.set_font(FONT, "B", 30)
        pdf.cell(16, 14, band or NO_SCORE, align=Align.C)
        pdf.set_xy(x + 20, y + 4)
        pdf.set_font(FONT, "", 8.5)
        pdf.cell(42, 4, "Band")
        pdf.set_xy(x + 20, y + 9)
        pdf.set_font(FONT, "B", 9.5)
        pdf.multi_cell(42, 4.6, BAND_LABELS[Band(band)] if band else "no band yet", align=Align.L)

        x += 67
        lines = [
            ("Answered", format_percent(score.completeness) + (" (provisional)" if score.provisional else "")),
            ("Critical items failed", str(len(score.critical_failures))),
            ("Items still open", str(len(score.missing))),
            ("Fixes in the plan", str(len(score.actions))),
        ]
        for n, (label, value) in enumerate(lines):
            pdf.set_xy(x, y + 1.5 + n * 5.4)
            pdf.set_font(FONT, "", 8.5)
            pdf.set_text_color(*hex_rgb(MUTED_INK))
            pdf.cell(36, 5, label)
            pdf.set_text_color(*hex_rgb(WARNING if "provisional" in value else INK))
            pdf.set_font(FONT, "B", 8.5)
            pdf.cell(pdf.w - pdf.r_margin - x - 36, 5, value)
            pdf.set_text_color(*hex_rgb(INK))
        pdf.set_y(y + height + 3)

    def callout(self, text: str, *, colour: str = WARNING) -> None:
        """A boxed warning with a thick coloured edge (provisional scores, capped bands)."""
        pdf = self.pdf
        pdf.set_font(FONT, "B", 9)
        height = 4.6 * line_count(pdf, pdf.epw - 8, 4.6, text) + 4
        if pdf.will_page_break(height):
            pdf.add_page()
        y = pdf.get_y()
        pdf.set_draw_color(*hex_rgb(colour))
        pdf.set_line_width(0.5)
        pdf.rect(pdf.l_margin, y, pdf.epw, height)
        pdf.set_fill_color(*hex_rgb(colour))
        pdf.rect(pdf.l_margin, y, 2.5, height, style="F")
        pdf.set_line_width(0.2)
        pdf.set_xy(pdf.l_margin + 5, y + 2)
        pdf.multi_cell(pdf.epw - 8, 4.6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_y(y + height + 2)

    def note(self, label: str, text: str, *, muted: bool = False) -> None:
        """'Label: text' as one flowing paragraph with the label in bold."""
        pdf = self.pdf
        pdf.set_x(pdf.l_margin)
        pdf.set_text_color(*hex_rgb(MUTED_INK if muted else INK))
        pdf.set_font(FONT, "B", 9)
        pdf.write(4.4, f"{label}: ")
        pdf.set_font(FONT, "", 9)
        pdf.write(4.4, text)
        pdf.ln(5.2)
        pdf.set_text_color(*hex_rgb(INK))

    def photo_grid(self, photos: Sequence[tuple[AssessmentReport, Photo]], latest: AssessmentReport) -> None:
        pdf = self.pdf
        columns = 4
        gap = 4.0
        width = (pdf.epw - gap * (columns - 1)) / columns
        for start in range(0, len(photos), columns):
            row = photos[start : start + columns]
            heights = []
            for _, photo in row:
                with Image.open(io.BytesIO(photo.thumbnail)) as image:
                    heights.append(width * image.height / max(1, image.width))
            block = max(heights) + 14
            if pdf.will_page_break(block):
                pdf.add_page()
            y = pdf.get_y()
            for n, (assessment, photo) in enumerate(row):
                x = pdf.l_margin + n * (width + gap)
                caption = photo.caption or photo.file_name
                pdf.image(io.BytesIO(photo.thumbnail), x=x, y=y, w=width, h=heights[n], alt_text=caption)
                pdf.set_xy(x, y + heights[n] + 1)
                pdf.set_font(FONT, "B", 7.5)
                pdf.multi_cell(width, 3.4, item_label(photo.item_id), new_x=XPos.LEFT, new_y=YPos.NEXT)
                pdf.set_font(FONT, "", 7.5)
                when = "" if assessment is latest else f" ({format_date(assessment.assessed_on)}, earlier visit)"
                pdf.multi_cell(width, 3.4, caption + when, new_x=XPos.LEFT, new_y=YPos.NEXT)
            pdf.set_y(y + block + 2)

    # -- action plan ----------------------------------------------------------------------------

    def action_plan(self) -> None:
        pdf = self.pdf
        data = self.data
        self.section("Action plan", 0)
        self.text(
            "Every answered item that does not yet score in full is a fix. Its gain is how many points the room's "
            "overall score would rise if that one item were fixed. Failed critical items come first, because each "
            "caps its room at band C; then fixes are ordered by gain per unit of effort (low effort counts 1, "
            "medium 2, high 4), then by gain."
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

        self.subheading("Fixes across the rooms", keep=30)
        self.text(
            "Each fix once, with the rooms it would help and the total points it would add across them.",
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
            rooms = ", ".join(names[:12]) + (f" and {len(names) - 12} more" if len(names) > 12 else "")
            title = f"{n}. {item_label(item_id)}"
            facts = (
                f"{category_title(self.catalogue, entries[0].category)} · {entries[0].effort} effort · "
                f"{format_gain(total)} points in total over {len(entries)} room{'s' if len(entries) != 1 else ''}"
                + (f" · failed critical item in {len(failed)}" if failed else "")
            )
            pdf.set_font(FONT, "", 8.5)
            fix_lines = line_count(pdf, pdf.epw, 4.2, entries[0].how_to_fix)
            if pdf.will_page_break(16 + 4.2 * fix_lines):
                pdf.add_page()
            self.text(title, size=10, style="B", colour=WARNING if failed else INK, height=5.2)
            self.text(facts, size=8.5, colour=MUTED_INK, height=4.2)
            self.text(f"Rooms: {rooms}", size=8.5, height=4.2)
            self.text(entries[0].how_to_fix, size=8.5, height=4.2)
            pdf.ln(2.5)

        self.subheading(f"The {min(PLAN_ROWS, len(data.action_plan))} highest-value fixes, room by room", keep=40)
        if len(data.action_plan) > PLAN_ROWS:
            self.text(
                f"The full plan of {len(data.action_plan)} fixes is in the Excel workbook (sheet Action plan).",
                colour=MUTED_INK,
                size=9,
            )
            pdf.ln(1)
        self.plan_table(data.action_plan[:PLAN_ROWS])

    # -- methodology ----------------------------------------------------------------------------

    def methodology_sections(self) -> list[str]:
        return ["How rooms are scored", "Evidence grades and principles"] + [
            f"Criteria: {c.title}" for c in self.catalogue.categories if self.items_of(c.id)
        ]

    def room_types(self) -> list[tuple[str, str]]:
        """The (setting, room type) pairs of the rooms in the report, in catalogue order."""
        present = {(r.setting, r.room_type) for r in self.data.assessed_rooms}
        return [key for key in self.catalogue.checklists if key in present]

    def items_of(self, category: str) -> list[str]:
        """Items of a category that apply to at least one room type in the report, in catalogue order."""
        applying = {r.item.id for key in self.room_types() for r in self.catalogue.checklists[key].items}
        return [i.id for i in self.catalogue.items if i.category == category and i.id in applying]

    def methodology(self) -> None:
        pdf = self.pdf
        catalogue = self.catalogue
        self.section("Methodology", 0)
        self.text(
            f"This appendix is generated from the criteria catalogue ({catalogue.title}, version "
            f"{catalogue.version}) and the scoring engine, so it always describes the rules the scores above were "
            "computed with."
        )
        pdf.ln(1)
        pdf.start_section("How rooms are scored", level=1)
        self.subheading("How rooms are scored", keep=40)
        for paragraph in scoring_rules():
            self.text("• " + paragraph, size=9)
            pdf.ln(1)

        pdf.start_section("Evidence grades and principles", level=1)
        self.subheading("Evidence grades", keep=30)
        self.table(["Grade", "Meaning"], [[g, m] for g, m in EVIDENCE_GRADES.items()], (10, 90))
        self.subheading("Trauma-informed principles", keep=30)
        self.table(
            ["Principle", "What it means for a room"],
            [[p.title, p.description] for p in catalogue.principles],
            (32, 68),
        )

        room_types = self.room_types()
        for category in catalogue.categories:
            item_ids = self.items_of(category.id)
            if not item_ids:
                continue
            title = f"Criteria: {category.title}"
            pdf.running = title
            pdf.add_page()
            pdf.start_section(title, level=1)
            self.heading(title, size=14, space_after=1)
            self.text(category.description, colour=MUTED_INK, size=9)
            pdf.ln(2)
            for item_id in item_ids:
                self.criterion(item_id, room_types)

    def criterion(self, item_id: str, room_types: Sequence[tuple[str, str]]) -> None:
        pdf = self.pdf
        item = self.catalogue.item(item_id)
        lines = [f"How it scores: {_how_it_scores(self.catalogue, item_id, room_types)}"]
        lines.append(f"Source: {item.source.strip()}")
        grade = f"Evidence: {item.evidence.value}, {EVIDENCE_GRADES[item.evidence.value]}"
        if item.evidence_note:
            grade += f". {item.evidence_note.strip()}"
        lines.append(grade)
        flags = [
            f"{item.effort.value} effort to fix",
            "principles: " + ", ".join(principle_short(p).lower() for p in item.principles),
        ]
        if item.critical:
            flags.insert(0, "critical: a failure caps the room at band C")
        if item.allow_na:
            flags.append("may be not applicable")
        lines.append(" · ".join(flags))
        pdf.set_font(FONT, "", 8.3)
        needed = 6 + sum(line_count(pdf, pdf.epw, 3.9, line) * 3.9 for line in lines)
        if pdf.will_page_break(min(needed, 80)):
            pdf.add_page()
        self.text(f"{item_label(item.id)}: {item.question}", size=9.2, style="B", height=4.6)
        for n, line in enumerate(lines):
            self.text(line, size=8.3, height=3.9, colour=INK if n == 0 else MUTED_INK)
        pdf.ln(2.2)


_CONTENTS_LINE = 6.0


def scoring_rules() -> list[str]:
    """The scoring rules in plain words, with the engine's own thresholds."""
    bands = (
        "; ".join(f"{band.value} ({BAND_LABELS[band]}) from {threshold:g}" for band, threshold in BAND_THRESHOLDS)
        + f"; {Band.D.value} ({BAND_LABELS[Band.D]}) below {BAND_THRESHOLDS[-1][1]:g}"
    )
    costs = ", ".join(f"{effort.value} {cost:g}" for effort, cost in EFFORT_COST.items())
    return [
        "Each checklist item scores from 0 to 1. A yes/no question scores 1 for the good answer and 0 otherwise; "
        "a choice scores what its option is worth; a rating from 0 to 4 scores a quarter per level; a measurement "
        "scores 1 inside its ideal range, 0 beyond its limit and in proportion in between (several readings score "
        "the mean of their scores); flicker scores 1 in the IEEE 1789 no-risk region, 0.5 in the low-risk region "
        "and 0 in the high-risk region. Notes and photos are evidence and are not scored.",
        "A category score is the weighted mean of its answered items, times 100. The room profile of each room "
        "type sets the weights. The overall score is the weighted mean of the category scores.",
        "A principle score is the weighted mean, times 100, of the answered items tagged with that principle.",
        "Items answered 'not applicable' leave the calculation: they neither help nor hurt. Unanswered items are "
        "never counted as passed: they are listed as open and lower the completeness.",
        f"Completeness is the share of the checklist's weight that has been answered. Below "
        f"{PROVISIONAL_BELOW * 100:.0f} % the score is marked provisional.",
        f"Bands come from the overall score: {bands}. A critical item scoring below {CRITICAL_FAIL_BELOW:g} "
        "is a failure and caps the room at band C.",
        f"The action plan lists every answered item scoring below 1. Its gain is the rise in the overall score if "
        f"that item alone scored 1. Failed critical items come first, then gain per effort (effort costs: {costs}), "
        "then gain.",
        "Scores are rounded to one decimal only when shown; every calculation uses the exact values.",
    ]


def _how_it_scores(catalogue: Catalogue, item_id: str, room_types: Sequence[tuple[str, str]]) -> str:
    item = catalogue.item(item_id)
    kind = item.kind
    if kind is ItemKind.yes_no:
        good = "yes" if item.good_answer else "no"
        return f"answer {good} scores 1, {'no' if item.good_answer else 'yes'} scores 0."
    if kind is ItemKind.choice:
        return "; ".join(f"{o.label} scores {o.score:g}" for o in item.options or ()) + "."
    if kind is ItemKind.rating:
        levels = item.levels or []
        return "rating 0 to 4, a quarter point per level: " + "; ".join(f"{n}: {t}" for n, t in enumerate(levels))
    if kind is ItemKind.flicker:
        return "percent flicker at its frequency, in the IEEE 1789-2015 risk regions: no risk 1, low 0.5, high 0."
    if kind is ItemKind.measurement:
        targets: dict[str, list[str]] = {}
        for key in room_types:
            resolved = catalogue.checklists[key].by_id().get(item_id)
            if resolved is not None and resolved.target is not None:
                title = catalogue.checklists[key].room_type_title
                setting = catalogue.settings.get(key[0], key[0]).lower()
                targets.setdefault(resolved.target.describe(), []).append(f"{title.lower()} ({setting})")
        if not targets:
            return f"a reading in {item.unit}." + (f" Default target: {item.target.describe()}." if item.target else "")
        return " ".join(f"{', '.join(rooms).capitalize()}: {target}." for target, rooms in targets.items())
    return "not scored (evidence)."


def _band(band: object) -> str | None:
    return None if band is None else str(band)


def _band_cell(band: object) -> str:
    """A band in a table: its letter on its colour (the cover's legend gives the words)."""
    value = _band(band)
    return NO_SCORE if value is None else value


def _item_score(item: ItemAnswer) -> str:
    """An item's 0..1 score on the 0..100 scale of every other score in the report."""
    if item.score is None:
        return "n/a" if item.status == "not_applicable" else NO_SCORE
    return format_score(item.score * 100)


def _target_short(target: Target | None) -> str:
    """'ideal 150–300 lx; 0 below 75 or above 750 lx': the target and where the score reaches 0."""
    return NO_SCORE if target is None else target.describe().replace(" to ", "–").replace("; scores 0", "; 0")


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    for end in (". ", "; "):
        if end in text:
            return text.split(end, 1)[0] + "."
    return text


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """Cut `text` to fit `width` in the current font, ending with an ellipsis when cut."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _site_frames(catalogue: Catalogue, rooms: Sequence[RoomReport]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rooms x categories and rooms x principles of a site's latest scores, rows labelled by room name."""
    labels = _unique_labels([r.name for r in rooms])
    scored = [(label, r.score) for label, r in zip(labels, rooms, strict=True) if r.score is not None]
    categories = pd.DataFrame.from_dict(
        {label: {c: v.score for c, v in score.categories.items()} for label, score in scored},
        orient="index",
        dtype=float,
    )
    principles = pd.DataFrame.from_dict(
        {label: dict(score.principles) for label, score in scored}, orient="index", dtype=float
    )
    categories = categories[[c.id for c in catalogue.categories if c.id in categories]]
    principles = principles[[p.id for p in catalogue.principles if p.id in principles]]
    return categories, principles


def _unique_labels(names: Sequence[str]) -> list[str]:
    """Chart rows need distinct labels: a repeated room name gets ' (2)', ' (3)'..."""
    seen: dict[str, int] = {}
    labels = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        labels.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return labels


def _category_line(catalogue: Catalogue, assessment: AssessmentReport) -> str:
    """'Lighting 66.1 (C, 11 of 11 answered) · Noise and acoustics ...'."""
    parts = []
    for category, value in assessment.score.categories.items():
        band = band_for(value.score, False)
        letter = f"{band.value}, " if band else ""
        parts.append(
            f"{category_title(catalogue, category)} {format_score(value.score)} "
            f"({letter}{value.answered} of {value.applicable} answered)"
        )
    return " · ".join(parts)


def _category_alt(catalogue: Catalogue, assessment: AssessmentReport) -> str:
    parts = []
    for category, value in assessment.score.categories.items():
        band = band_for(value.score, False)
        letter = f" ({band.value})" if band else ""
        parts.append(f"{category_title(catalogue, category)} {format_score(value.score)}{letter}")
    return "Bar chart of category scores: " + ", ".join(parts)
