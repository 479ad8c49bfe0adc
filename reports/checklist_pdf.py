"""A printable blank checklist for one room type, for rounds where a tablet is not practical.

Every question of the room type's resolved checklist, grouped by category: tick boxes for yes/no and
choices, the five described levels of a rating, blanks with the unit and the target for readings
(room for three), percent and frequency blanks for flicker, an n/a box where the item allows it, and
lines for notes. The answers are then typed into the Assess screen.

In a language written right to left (Arabic) the whole page is mirrored: numbers, boxes, blanks and
lines start at the right margin, and every text is set from the right.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from checklists.describe import flicker_target
from checklists.i18n import _, direction, language, using
from checklists.schema import Catalogue, Item, ItemKind, ResolvedItem, RoomChecklist
from checklists.translations import ENGLISH, localized
from reports.errors import ReportScopeError
from reports.output import atomic_output, check_output_path
from reports.pdfkit import (
    FONT,
    LANGUAGE,
    PANEL,
    close_fonts,
    hex_rgb,
    line_count,
    register_fonts,
    running_footer,
    running_header,
)
from reports.theme import ACCENT, INK, MUTED_INK

__all__ = ["write_blank_checklist"]

BOX = 3.6  # tick box side, mm
LINE = 5.2  # line height of answers, mm
RULE = "#9AA5B1"


class _ChecklistPDF(FPDF):
    """The checklist's pages. Positions are worked out as for a page read left to right, then placed
    with `at` and `put`, which mirror them when the language is written right to left."""

    def __init__(self, checklist: RoomChecklist) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.checklist = checklist
        self.rtl = direction(language()) == "rtl"
        self.start = Align.R if self.rtl else Align.L
        # Paragraphs that may wrap (the heading, the subtitle): justified, or set from the right.
        self.paragraph = Align.R if self.rtl else Align.J
        self.set_margins(16, 20, 16)
        self.set_auto_page_break(auto=True, margin=18)

    def header(self) -> None:
        title = _("Checklist: {room_type} ({setting})").format(
            room_type=self.checklist.room_type_title, setting=self.checklist.setting_title
        )
        blanks = _("Room: ______________________   Date: ____________")
        # The title where the reader starts: on the left, or on the right right to left.
        first, second, shares = (blanks, title, (0.4, 0.6)) if self.rtl else (title, blanks, (0.6, 0.4))
        running_header(self, first, second, top=9, rule=RULE, shares=shares)

    def footer(self) -> None:
        version = _("Criteria version {version}").format(version=self.checklist.catalogue_version)
        page = _("Page {page} of {pages}").format(page=self.page_no(), pages="{nb}")
        first, second = (page, version) if self.rtl else (version, page)
        running_footer(self, (first, Align.L), (second, Align.R))

    def at(self, x: float, width: float = 0) -> float:
        """Where something `width` wide that starts `x` from the page's left edge goes: there, or
        mirrored about the middle of the page right to left (a point when `width` is 0)."""
        return 2 * self.l_margin + self.epw - x - width if self.rtl else x

    def put(self, x: float, y: float, width: float, height: float, text: str) -> None:
        """A cell of text at `x`, `y` (placed with `at`), set from its start; the cursor then follows it."""
        self.set_xy(self.at(x, width), y)
        self.cell(width, height, text, align=self.start)
        self.set_xy(x + width, y)


def write_blank_checklist(
    catalogue: Catalogue, setting: str, room_type: str, out_path: Path | str, *, locale: str = ENGLISH
) -> Path:
    """Write the blank paper checklist of one room type to `out_path` (atomically) and return the path.

    `locale` chooses the language of the catalogue's words (questions, guidance, answers, titles)
    and of the checklist's own (headings, fields, instructions, targets); a catalogue text the
    locale does not translate yet is printed in English, marked "(English)".

    Raises ReportScopeError for an unknown setting or room type (the message lists the known ones)
    and ReportOutputError when the file cannot be written.
    """
    path = check_output_path(out_path)
    catalogue = localized(catalogue, locale).catalogue
    try:
        checklist = catalogue.checklist(setting, room_type)
    except KeyError as error:
        raise ReportScopeError(str(error.args[0])) from None
    # The page header and footer are drawn as pages are added, the last footer on output.
    with using(locale):
        pdf = _ChecklistPDF(checklist)
        try:
            _draw(pdf, catalogue, checklist)
            if locale != ENGLISH:
                pdf.set_lang(locale.replace("_", "-"))
            with atomic_output(path) as temporary:
                pdf.output(str(temporary))
        finally:
            close_fonts(pdf)
    return path


def _draw(pdf: _ChecklistPDF, catalogue: Catalogue, checklist: RoomChecklist) -> None:
    # The catalogue's words may be in another script (Arabic): fallback fonts and shaping follow them.
    register_fonts(pdf, _words(catalogue, checklist))
    pdf.set_title(
        _("Blank checklist: {room_type} ({setting})").format(
            room_type=checklist.room_type_title, setting=checklist.setting_title
        )
    )
    pdf.set_subject(_("{catalogue}, version {version}").format(catalogue=catalogue.title, version=catalogue.version))
    pdf.set_creator("sensory-audit")
    pdf.set_lang(LANGUAGE)
    pdf.add_page()
    _first_page(pdf, catalogue, checklist)
    titles = {c.id: c.title for c in catalogue.categories}
    category = ""
    for number, resolved in enumerate(checklist.items, start=1):
        item = resolved.item
        if item.category != category:
            category = item.category
            if pdf.will_page_break(40):
                pdf.add_page()
            pdf.ln(3)
            pdf.start_section(titles.get(category, category))
            pdf.set_font(FONT, "B", 13)
            pdf.set_text_color(*hex_rgb(ACCENT))
            title = titles.get(category, category)
            pdf.cell(pdf.epw, 8, title, align=pdf.start, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_text_color(*hex_rgb(INK))
            pdf.set_draw_color(*hex_rgb(ACCENT))
            pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
            pdf.ln(2)
        _item(pdf, number, resolved)


def _words(catalogue: Catalogue, checklist: RoomChecklist) -> list[str]:
    """Every text of the catalogue this checklist prints."""
    words = [catalogue.title, checklist.setting_title, checklist.room_type_title]
    words += [c.title for c in catalogue.categories]
    for resolved in checklist.items:
        item = resolved.item
        words += [item.question, item.guidance, *(o.label for o in item.options or ()), *(item.levels or ())]
    return words


def _first_page(pdf: _ChecklistPDF, catalogue: Catalogue, checklist: RoomChecklist) -> None:
    pdf.set_font(FONT, "B", 18)
    heading = _("Room checklist: {room_type}").format(room_type=checklist.room_type_title)
    pdf.multi_cell(pdf.epw, 9, heading, align=pdf.paragraph, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 10)
    pdf.set_text_color(*hex_rgb(MUTED_INK))
    pdf.multi_cell(
        pdf.epw,
        5,
        _("{setting} · {catalogue}, version {version}").format(
            setting=checklist.setting_title, catalogue=catalogue.title, version=catalogue.version
        ),
        align=pdf.paragraph,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_text_color(*hex_rgb(INK))
    pdf.ln(4)
    occupied = _("Room occupied?")
    fields = [
        (_("Organisation"), _("Site")),
        (_("Room"), _("Floor")),
        (_("Date"), _("Time of visit")),
        (_("Assessor"), occupied),
    ]
    half = pdf.epw / 2
    for left, right in fields:
        y = pdf.get_y()
        for n, label in enumerate((left, right)):
            x = pdf.l_margin + n * half
            pdf.set_font(FONT, "B", 9.5)
            pdf.put(x, y, 30, 8, label)
            pdf.set_draw_color(*hex_rgb(RULE))
            if label == occupied:
                pdf.set_font(FONT, "", 9.5)
                _box(pdf, x + 36, y + 2.2)
                pdf.put(x + 36 + BOX + 1.5, y, 14, 8, _("yes"))
                _box(pdf, x + 56, y + 2.2)
                pdf.put(x + 56 + BOX + 1.5, y, 14, 8, _("no"))
            else:
                pdf.line(pdf.at(x + 30), y + 6.5, pdf.at(x + half - 6), y + 6.5)
        pdf.set_y(y + 10)
    pdf.ln(3)
    pdf.set_fill_color(*hex_rgb(PANEL))
    instructions = _(
        "How to fill in: tick one box per question unless it says otherwise. Write each reading with the meter "
        "as described in the guidance, up to three readings per measurement (for example at different seats or "
        "times of day). Tick n/a only where it is offered. Write a note for anything that falls short, and note "
        "photo numbers beside the item they show. Items marked CRITICAL cap the room at band C when they fail. "
        "Type the answers into the Assess screen afterwards."
    )
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(
        pdf.epw, 4.6, instructions, fill=True, padding=3, align=pdf.start, new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.ln(2)


def _box(pdf: _ChecklistPDF, x: float, y: float) -> None:
    pdf.set_draw_color(*hex_rgb(INK))
    pdf.set_line_width(0.3)
    pdf.rect(pdf.at(x, BOX), y, BOX, BOX)
    pdf.set_line_width(0.2)


def _tick(pdf: _ChecklistPDF, label: str, *, width: float | None = None, size: float = 9) -> None:
    """A tick box with its label at the current position; moves on by `width` (or to the next line)."""
    x, y = pdf.get_x(), pdf.get_y()
    _box(pdf, x, y + (LINE - BOX) / 2)
    pdf.set_font(FONT, "", size)
    if width is None:
        rest = pdf.w - pdf.r_margin - x - BOX - 1.5
        pdf.set_xy(pdf.at(x + BOX + 1.5, rest), y)
        pdf.multi_cell(rest, LINE, label, align=pdf.start, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_x(x)
    else:
        pdf.put(x + BOX + 1.5, y, width - BOX - 1.5, LINE, label)


def _blank(pdf: _ChecklistPDF, label: str, unit: str, width: float = 34) -> None:
    """'label ________ unit' at the current position."""
    pdf.set_font(FONT, "", 9)
    x, y = pdf.get_x(), pdf.get_y()
    pdf.put(x, y, pdf.get_string_width(label) + 1.5, LINE, label)
    start = pdf.get_x()
    pdf.set_draw_color(*hex_rgb(RULE))
    pdf.line(pdf.at(start), y + LINE - 0.8, pdf.at(start + width), y + LINE - 0.8)
    pdf.put(start + width + 1, y, pdf.get_string_width(unit) + 6, LINE, unit)


def _height(pdf: _ChecklistPDF, resolved: ResolvedItem) -> float:
    """About how tall an item's block is, so a block is never split over two pages."""
    item = resolved.item
    pdf.set_font(FONT, "B", 9.5)
    question = line_count(pdf, pdf.epw - 10, 4.8, item.question) * 4.8
    body = {
        ItemKind.yes_no: LINE,
        ItemKind.choice: LINE * len(item.options or ()),
        ItemKind.rating: LINE * 5 * 1.3,
        ItemKind.measurement: LINE * 2 + 2,
        ItemKind.flicker: LINE * 2 + 2,
        ItemKind.text: LINE * 3,
        ItemKind.photo: LINE,
    }[item.kind]
    return question + body + LINE * 1.5 + 6


def _item(pdf: _ChecklistPDF, number: int, resolved: ResolvedItem) -> None:
    item = resolved.item
    if pdf.will_page_break(_height(pdf, resolved)):
        pdf.add_page()
    pdf.set_font(FONT, "B", 9.5)
    y = pdf.get_y()
    pdf.put(pdf.l_margin, y, 9, 4.8, f"{number}.")
    flag = "   " + _("CRITICAL") if item.critical else ""
    pdf.set_xy(pdf.at(pdf.l_margin + 9, pdf.epw - 9), y)
    pdf.multi_cell(pdf.epw - 9, 4.8, item.question + flag, align=pdf.start, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(0.8)
    pdf.set_x(pdf.l_margin + 9)
    kind = item.kind
    if kind is ItemKind.yes_no:
        _tick(pdf, _("Yes"), width=24)
        _tick(pdf, _("No"), width=24)
        if item.allow_na:
            _tick(pdf, _("n/a"), width=24)
        pdf.ln(LINE)
    elif kind is ItemKind.choice:
        for option in item.options or ():
            pdf.set_x(pdf.l_margin + 9)
            _tick(pdf, option.label)
        _na(pdf, item)
    elif kind is ItemKind.rating:
        for level, description in enumerate(item.levels or ()):
            pdf.set_x(pdf.l_margin + 9)
            _tick(pdf, f"{level}  {description}", size=8.5)
        _na(pdf, item)
    elif kind is ItemKind.measurement:
        unit = item.unit or ""
        target = resolved.target.describe() if resolved.target else _("no target set")
        pdf.set_font(FONT, "", 8.5)
        pdf.set_text_color(*hex_rgb(MUTED_INK))
        pdf.put(pdf.l_margin + 9, pdf.get_y(), pdf.epw - 9, LINE, _("Target: {target}").format(target=target))
        pdf.ln(LINE)
        pdf.set_text_color(*hex_rgb(INK))
        pdf.set_x(pdf.l_margin + 9)
        for n in range(1, 4):
            _blank(pdf, _("Reading {n}").format(n=n), unit, width=22)
        if item.allow_na:
            _tick(pdf, _("n/a"), width=16)
        pdf.ln(LINE + 1)
    elif kind is ItemKind.flicker:
        pdf.set_font(FONT, "", 8.5)
        pdf.set_text_color(*hex_rgb(MUTED_INK))
        target = _("Target: {target}").format(target=flicker_target())
        pdf.put(pdf.l_margin + 9, pdf.get_y(), pdf.epw - 9, LINE, target)
        pdf.ln(LINE)
        pdf.set_text_color(*hex_rgb(INK))
        pdf.set_x(pdf.l_margin + 9)
        _blank(pdf, _("Percent flicker"), "%", width=24)
        _blank(pdf, _("at frequency"), "Hz", width=24)
        if item.allow_na:
            _tick(pdf, _("n/a"), width=16)
        pdf.ln(LINE + 1)
    elif kind is ItemKind.text:
        for _line in range(2):
            _rule(pdf)
    else:  # photo
        _tick(pdf, _("Photo taken, number:"), width=44)
        _blank(pdf, "", "", width=40)
        pdf.ln(LINE)
    pdf.set_x(pdf.l_margin + 9)
    pdf.set_font(FONT, "", 8.5)
    pdf.set_text_color(*hex_rgb(MUTED_INK))
    y = pdf.get_y()
    pdf.put(pdf.l_margin + 9, y, 12, LINE, _("Notes"))
    pdf.set_text_color(*hex_rgb(INK))
    pdf.set_draw_color(*hex_rgb(RULE))
    pdf.line(pdf.at(pdf.l_margin + 21), y + LINE - 0.8, pdf.at(pdf.w - pdf.r_margin), y + LINE - 0.8)
    pdf.set_y(y + LINE + 3.5)


def _na(pdf: _ChecklistPDF, item: Item) -> None:
    if item.allow_na:
        pdf.set_x(pdf.l_margin + 9)
        _tick(pdf, _("n/a: does not apply to this room"))


def _rule(pdf: _ChecklistPDF) -> None:
    y = pdf.get_y() + LINE
    pdf.set_draw_color(*hex_rgb(RULE))
    pdf.line(pdf.at(pdf.l_margin + 9), y, pdf.at(pdf.w - pdf.r_margin), y)
    pdf.set_y(y + 1.5)
