"""A site's page: its rooms compared in a table and in heatmaps of rooms by category and by trauma-informed
principle, before the site's room scorecards."""

from __future__ import annotations

from checklists.i18n import _
from reports.data import SiteReport
from reports.labels import NO_SCORE, format_date, format_percent, format_score
from reports.pdf.charts import HEATMAP_ROWS, heatmap_key
from reports.pdf.document import Document, band_cell, band_letter
from reports.theme import MUTED_INK, band_colour
from scoring.engine import Band

__all__ = ["site_page"]


def site_page(doc: Document, site: SiteReport) -> None:
    """A site's page: its facts, its rooms in a table, then the heatmaps (several for a large site)."""
    pdf = doc.pdf
    doc.section(_("Site: {name}").format(name=site.name), 0, running=site.name)
    details = site.setting_title + (f" · {site.address}" if site.address else "")
    doc.text(details, colour=MUTED_INK)
    pdf.ln(2)
    assessed = site.assessed_rooms
    scores = [r.score.overall for r in assessed if r.score is not None and r.score.overall is not None]
    bands = [str(r.score.band) for r in assessed if r.score is not None and r.score.band is not None]
    average = format_score(sum(scores) / len(scores)) if scores else NO_SCORE
    doc.text(
        _("{assessed} of {rooms} rooms assessed; average overall score {average}; {bands}.").format(
            assessed=len(assessed),
            rooms=len(site.rooms),
            average=average,
            bands=", ".join(_("band {band}: {n}").format(band=b.value, n=bands.count(b.value)) for b in Band),
        )
    )
    not_assessed = [r.name for r in site.rooms if r.latest is None]
    if not_assessed:
        doc.text(_("Not yet assessed: {rooms}.").format(rooms=", ".join(not_assessed)), colour=MUTED_INK, size=9)
    pdf.ln(2)
    rows, fills = [], []
    for room in assessed:
        latest = room.latest
        assert latest is not None
        score = latest.score
        completeness = format_percent(score.completeness) + (" " + _("provisional") if score.provisional else "")
        rows.append(
            [
                room.name,
                room.room_type_title,
                format_date(latest.assessed_on),
                format_score(score.overall),
                band_cell(score.band),
                completeness,
                str(len(score.critical_failures)),
            ]
        )
        fills.append([None, None, None, None, band_colour(band_letter(score.band)), None, None])
    doc.table(
        [_("Room"), _("Type"), _("Assessed"), _("Overall"), _("Band"), _("Answered"), _("Critical")],
        rows,
        (34, 28, 18, 11, 8, 14, 11),
        align=("LEFT", "LEFT", "LEFT", "RIGHT", "CENTER", "RIGHT", "RIGHT"),
        fills=fills,
    )
    if not assessed:
        return
    for start in range(0, len(assessed), HEATMAP_ROWS):
        last = min(len(assessed), start + HEATMAP_ROWS)
        part = (
            ""
            if len(assessed) <= HEATMAP_ROWS
            else " (" + _("{start} to {end}").format(start=start + 1, end=last) + ")"
        )
        for kind, title in (
            ("categories", _("Rooms by category")),
            ("principles", _("Rooms by trauma-informed principle")),
        ):
            key = heatmap_key(site.id, kind, start)
            # Keep the heading with its chart: a heading alone at the foot of a page helps nobody.
            doc.subheading(title + part, keep=doc.charts.height_mm(key, pdf.epw))
            doc.chart(key, pdf.epw)
