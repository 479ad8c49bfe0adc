"""A room's scorecard: overall score and band, completeness, history, category bars beside the principle
radar, what changed since the assessment before, measurements against their targets, notes, photos and
the first fixes."""

from __future__ import annotations

import io
from collections.abc import Sequence

from fpdf.enums import Align, XPos, YPos
from PIL import Image

from checklists.describe import flicker_target_short
from checklists.i18n import _, ngettext
from checklists.schema import Catalogue, Target
from reports.data import AssessmentReport, ItemAnswer, Photo, RoomReport, SiteReport
from reports.labels import (
    NO_SCORE,
    category_title,
    format_date,
    format_gain,
    format_percent,
    format_score,
    item_label,
    value_text,
)
from reports.pdf.changes import changes_section
from reports.pdf.charts import room_key
from reports.pdf.document import WARNING, Document, band_letter
from reports.pdfkit import FONT, PANEL, hex_rgb, line_count
from reports.theme import INK, MUTED_INK, band_colour
from reports.versions import history_lines
from scoring.engine import BAND_LABELS, PROVISIONAL_BELOW, Band, band_for

__all__ = ["ROOM_FIXES", "scorecard"]

# The scorecard lists this many fixes; the action plan has the rest.
ROOM_FIXES = 5


def scorecard(doc: Document, catalogue: Catalogue, site: SiteReport, room: RoomReport) -> None:
    """The scorecard of a room's latest assessment, from a new page."""
    pdf = doc.pdf
    latest = room.latest
    assert latest is not None
    score = latest.score
    doc.section(room.name, 1, running=f"{site.name} · {room.name}")
    details = [site.name, room.room_type_title]
    if room.floor is not None:
        details.append(_("ground floor") if room.floor == 0 else _("floor {n}").format(n=room.floor))
    if room.capacity:
        details.append(ngettext("for {n} person", "for {n} people", room.capacity).format(n=room.capacity))
    doc.text(" · ".join(details), colour=MUTED_INK)
    doc.text(
        _("Assessed {date} by {assessor} · {status} · criteria version {version}").format(
            date=format_date(latest.assessed_on),
            assessor=latest.assessor,
            status=value_text(latest.status),
            version=latest.catalogue_version,
        ),
        colour=MUTED_INK,
        size=8.5,
    )
    pdf.ln(3)
    _score_panel(doc, latest)
    if score.provisional:
        reason = (
            " " + _("Reason given: {reason}").format(reason=latest.provisional_reason)
            if latest.provisional_reason
            else ""
        )
        critical = latest.critical_unanswered
        left = (
            " "
            + _("Critical items left unanswered: {items}.").format(
                items="; ".join(_first_sentence(i.question) for i in critical)
            )
            if critical
            else ""
        )
        provisional = _(
            "PROVISIONAL SCORE: only {answered} of this room's checklist was answered ({needed} is needed for a "
            "firm score); the score may change once the rest is assessed."
        ).format(answered=format_percent(score.completeness), needed=format_percent(PROVISIONAL_BELOW))
        _callout(doc, f"{provisional}{left}{reason}")
    failed = [i for i in latest.items if i.failed_critical]
    if failed:
        names = "; ".join(
            _("{item} (answer: {answer})").format(item=item_label(i.item_id), answer=i.answer_text) for i in failed
        )
        uncapped = band_for(score.overall, False)
        if uncapped in (Band.A, Band.B):
            message = _(
                "Band capped at C (the score alone would give {band}): a critical item failed: {items}."
            ).format(band=uncapped.value, items=names)
        else:
            message = _(
                "A critical item failed, which would cap this room at band C even with a higher score: {items}."
            ).format(items=names)
        _callout(doc, message, colour=band_colour("C"))
    if room.draft_on is not None:
        doc.text(
            _("A newer assessment, dated {date}, is in progress and not included.").format(
                date=format_date(room.draft_on)
            ),
            colour=MUTED_INK,
            size=8.5,
        )
    if len(room.assessments) > 1 or room.rescored:
        # Stored scores with each change of criteria version marked; re-scored under today's, labelled.
        for line in history_lines(room, catalogue):
            doc.text(line, size=8.5)
    pdf.ln(2)

    # Category bars and principle radar, side by side in one image.
    doc.chart(room_key(room.id), pdf.epw)
    # The chart values as text too: searchable, read aloud by screen readers, and with the answered counts.
    doc.text(_category_line(catalogue, latest), size=8, colour=MUTED_INK, height=3.8)

    changes_section(doc, catalogue, room)

    readings = list(latest.readings)
    if readings:
        doc.subheading(_("Measurements against their targets"), keep=35)
        rows = [
            [
                item_label(i.item_id),
                i.answer_text,
                _target_short(i.target) if i.kind == "measurement" else flicker_target_short(),
                _item_score(i),
            ]
            for i in readings
        ]
        doc.table(
            [_("Measurement"), _("Reading"), _("Target (score 0 where stated)"), _("Score")],
            rows,
            (24, 28, 52, 9),
            align=("LEFT", "LEFT", "LEFT", "RIGHT"),
        )
    notes = latest.notes
    earlier_notes = [(a, i) for a in room.assessments[:-1] for i in a.notes]
    if notes or earlier_notes:
        doc.subheading(_("Assessor's notes"), keep=15)
        for item in notes:
            _note(doc, item_label(item.item_id), item.note or "")
        for assessment, item in earlier_notes[-4:]:
            _note(
                doc,
                f"{item_label(item.item_id)} ({format_date(assessment.assessed_on)})",
                item.note or "",
                muted=True,
            )
    if latest.retired:
        doc.subheading(_("Answers the current criteria no longer take"), keep=25)
        doc.text(
            _(
                "Kept as they were given under an earlier version of the criteria (retired); "
                "they count as not answered in this scorecard."
            ),
            colour=MUTED_INK,
            size=8.5,
        )
        doc.table(
            [_("Item"), _("Answer kept"), _("Why it does not count")],
            [[item_label(r.item_id), r.value_text, r.shown_reason] for r in latest.retired],
            (24, 20, 56),
            align=("LEFT", "LEFT", "LEFT"),
            size=8,
        )
    photos = [(a, p) for a in reversed(room.assessments) for p in a.photos]
    if photos:
        doc.subheading(_("Photos"), keep=50)
        _photo_grid(doc, photos, latest)
    if score.actions:
        doc.subheading(_("What to fix first in this room"), keep=40)
        rows = [
            [
                str(n),
                item_label(a.item) + (" " + _("(critical)") if a.item in score.critical_failures else ""),
                _first_sentence(a.how_to_fix),
                format_gain(a.gain),
                value_text(a.effort),
            ]
            for n, a in enumerate(score.actions[:ROOM_FIXES], start=1)
        ]
        doc.table(
            ["#", _("Fix"), _("How"), _("Gain"), _("Effort")],
            rows,
            (5, 22, 60, 9, 10),
            align=("RIGHT", "LEFT", "LEFT", "RIGHT", "LEFT"),
            size=8,
        )
        more = len(score.actions) - ROOM_FIXES
        if more > 0:
            doc.text(_("… and {n} more in the action plan.").format(n=more), colour=MUTED_INK, size=8)


def _score_panel(doc: Document, assessment: AssessmentReport) -> None:
    """Three boxes in a row: the overall score, the band on its colour, and the counts behind them
    (from the left, or mirrored from the right in a language written right to left)."""
    pdf = doc.pdf
    score = assessment.score
    start = doc.start

    def at(x: float, width: float) -> float:
        """Where a box or cell `width` wide starting `x` from the left edge goes, mirrored right to left."""
        return 2 * pdf.l_margin + pdf.epw - x - width if doc.rtl else x

    y = pdf.get_y()
    x = pdf.l_margin
    height = 24.0
    pdf.set_fill_color(*hex_rgb(PANEL))
    pdf.rect(at(x, 44), y, 44, height, style="F")
    pdf.set_xy(at(x + 3, 38), y + 2)
    pdf.set_font(FONT, "", 8.5)
    pdf.set_text_color(*hex_rgb(MUTED_INK))
    pdf.cell(38, 4, _("Overall score"), align=start)
    pdf.set_text_color(*hex_rgb(INK))
    pdf.set_xy(at(x + 3, 38), y + 7)
    pdf.set_font(FONT, "B", 24)
    pdf.cell(38, 11, format_score(score.overall), align=start)
    pdf.set_xy(at(x + 3, 38), y + 18)
    pdf.set_font(FONT, "", 8)
    pdf.set_text_color(*hex_rgb(MUTED_INK))
    pdf.cell(38, 4, _("out of 100 · provisional") if score.provisional else _("out of 100"), align=start)
    pdf.set_text_color(*hex_rgb(INK))

    band = band_letter(score.band)
    x += 47
    pdf.set_fill_color(*hex_rgb(band_colour(band)))
    pdf.rect(at(x, 64), y, 64, height, style="F")
    pdf.set_xy(at(x + 3, 16), y + 2.5)
    pdf.set_font(FONT, "B", 30)
    pdf.cell(16, 14, band or NO_SCORE, align=Align.C)
    pdf.set_xy(at(x + 20, 42), y + 4)
    pdf.set_font(FONT, "", 8.5)
    pdf.cell(42, 4, _("Band"), align=start)
    pdf.set_xy(at(x + 20, 42), y + 9)
    pdf.set_font(FONT, "B", 9.5)
    pdf.multi_cell(42, 4.6, _(BAND_LABELS[Band(band)]) if band else _("no band yet"), align=start)
    if band and score.provisional:
        # A provisional band never stands alone: it says so, with how much was answered.
        pdf.set_xy(at(x + 20, 42), y + 18.5)
        pdf.set_font(FONT, "B", 7.5)
        said = _("provisional · {answered} answered").format(answered=format_percent(score.completeness))
        pdf.cell(42, 4, said, align=start)

    x += 67
    answered = format_percent(score.completeness)
    lines = [
        (_("Answered"), _("{answered} (provisional)").format(answered=answered) if score.provisional else answered),
        (_("Critical items failed"), str(len(score.critical_failures))),
        (_("Items still open"), str(len(score.missing))),
        (_("Fixes in the plan"), str(len(score.actions))),
    ]
    # The labels' column is as wide as its longest label in the report's language ("Critères critiques
    # non satisfaits" is twice "Answered"), so no label runs under its figure; a figure too long for
    # what is left of the row is set smaller.
    room_left = pdf.w - pdf.r_margin - x
    pdf.set_font(FONT, "", 8.5)
    label_width = min(max(36.0, max(pdf.get_string_width(label) for label, _value in lines) + 2), room_left - 12)
    for n, (label, value) in enumerate(lines):
        warn = score.provisional and n == 0
        pdf.set_xy(at(x, label_width), y + 1.5 + n * 5.4)
        pdf.set_font(FONT, "", 8.5)
        pdf.set_text_color(*hex_rgb(MUTED_INK))
        pdf.cell(label_width, 5, label, align=start)
        pdf.set_text_color(*hex_rgb(WARNING if warn else INK))
        size = 8.5
        pdf.set_font(FONT, "B", size)
        while size > 6 and pdf.get_string_width(value) > room_left - label_width:
            size -= 0.5
            pdf.set_font(FONT, "B", size)
        pdf.set_xy(at(x + label_width, room_left - label_width), y + 1.5 + n * 5.4)
        pdf.cell(room_left - label_width, 5, value, align=start)
        pdf.set_text_color(*hex_rgb(INK))
    pdf.set_y(y + height + 3)


def _callout(doc: Document, text: str, *, colour: str = WARNING) -> None:
    """A boxed warning with a thick coloured edge (provisional scores, capped bands)."""
    pdf = doc.pdf
    pdf.set_font(FONT, "B", 9)
    height = 4.6 * line_count(pdf, pdf.epw - 8, 4.6, text) + 4
    if pdf.will_page_break(height):
        pdf.add_page()
    y = pdf.get_y()
    pdf.set_draw_color(*hex_rgb(colour))
    pdf.set_line_width(0.5)
    pdf.rect(pdf.l_margin, y, pdf.epw, height)
    pdf.set_fill_color(*hex_rgb(colour))
    # The thick edge on the side the text starts from.
    pdf.rect(pdf.l_margin + pdf.epw - 2.5 if doc.rtl else pdf.l_margin, y, 2.5, height, style="F")
    pdf.set_line_width(0.2)
    pdf.set_xy(pdf.l_margin + 3 if doc.rtl else pdf.l_margin + 5, y + 2)
    pdf.multi_cell(pdf.epw - 8, 4.6, text, align=doc.start, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(y + height + 2)


def _note(doc: Document, label: str, text: str, *, muted: bool = False) -> None:
    """'Label: text' as one flowing paragraph with the label in bold; right to left, the label in bold
    over its text, both set from the right (a paragraph written in two runs would start at the left)."""
    pdf = doc.pdf
    # The colon as the language writes it ("Espace de retrait :" in French).
    label = _("{label}:").format(label=label)
    if doc.rtl:
        colour = MUTED_INK if muted else INK
        doc.text(label, size=9, style="B", colour=colour, height=4.4)
        doc.text(text, size=9, colour=colour, height=4.4)
        pdf.ln(0.8)
        return
    pdf.set_x(pdf.l_margin)
    pdf.set_text_color(*hex_rgb(MUTED_INK if muted else INK))
    pdf.set_font(FONT, "B", 9)
    pdf.write(4.4, f"{label} ")
    pdf.set_font(FONT, "", 9)
    pdf.write(4.4, text)
    pdf.ln(5.2)
    pdf.set_text_color(*hex_rgb(INK))


def _photo_grid(doc: Document, photos: Sequence[tuple[AssessmentReport, Photo]], latest: AssessmentReport) -> None:
    """Photo thumbnails four to a row, each with its item and caption; earlier visits' photos say so."""
    pdf = doc.pdf
    columns = 4
    gap = 4.0
    width = (pdf.epw - gap * (columns - 1)) / columns
    for start in range(0, len(photos), columns):
        row = photos[start : start + columns]
        heights = []
        for _assessment, photo in row:
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
            when = (
                ""
                if assessment is latest
                else " " + _("({date}, earlier visit)").format(date=format_date(assessment.assessed_on))
            )
            pdf.multi_cell(width, 3.4, caption + when, new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_y(y + block + 2)


def _category_line(catalogue: Catalogue, assessment: AssessmentReport) -> str:
    """'Lighting 66.1 (C, 11 of 11 answered) · Noise and acoustics ...'."""
    parts = []
    for category, value in assessment.score.categories.items():
        band = band_for(value.score, False)
        letter = f"{band.value}, " if band else ""
        answered = _("{answered} of {applicable} answered").format(answered=value.answered, applicable=value.applicable)
        parts.append(f"{category_title(catalogue, category)} {format_score(value.score)} ({letter}{answered})")
    return " · ".join(parts)


def _item_score(item: ItemAnswer) -> str:
    """An item's 0..1 score on the 0..100 scale of every other score in the report."""
    if item.score is None:
        return _("n/a") if item.status == "not_applicable" else NO_SCORE
    return format_score(item.score * 100)


def _target_short(target: Target | None) -> str:
    """'ideal 150–300 lx; 0 below 75 or above 750 lx': the target and where the score reaches 0."""
    return NO_SCORE if target is None else target.describe(compact=True)


def _first_sentence(text: str) -> str:
    """The text up to its first full stop or semicolon, ended with a full stop (French sets a space
    before a semicolon, "ambiance ; si…": the sentence ends at the word, "ambiance.")."""
    text = " ".join(text.split())
    for end in (". ", "; "):
        if end in text:
            return text.split(end, 1)[0].rstrip() + "."
    return text
