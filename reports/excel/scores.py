"""The score sheets of the workbook: the Summary of what it covers, Rooms (each room's latest score) and
Assessments (every assessment, for trends), with scores per category and principle coloured by band."""

from __future__ import annotations

from typing import Any

from checklists.i18n import N_, _
from checklists.schema import Catalogue
from reports.data import ReportData
from reports.excel.book import MEDIUM, NARROW, TEXT, WIDE, Book, write_cell
from reports.labels import category_title, principle_short, value_text
from scoring.engine import BAND_LABELS, Band, RoomScore

__all__ = ["assessments_sheet", "rooms_sheet", "summary_sheet"]


def summary_sheet(book: Book, data: ReportData) -> None:
    """What the workbook covers: organisation, scope, period, criteria, rooms by band, and what each sheet holds."""
    sheet = book.book.add_worksheet(_("Summary"))
    sheet.set_column(0, 0, WIDE)
    sheet.set_column(1, 1, TEXT)
    sheet.write_string(0, 0, _("Sensory and trauma-informed environment report"), book.title)
    period = data.period
    rows: list[tuple[str, Any]] = [
        (_("Organisation"), data.organisation_name),
        (_("Scope"), data.scope),
        (_("Sites"), "; ".join(s.name for s in data.sites)),
        (_("Rooms in scope"), len(data.rooms)),
        (_("Rooms assessed"), len(data.assessed_rooms)),
        (_("Assessments"), len(data.assessments)),
        (_("First assessment"), period[0] if period else ""),
        (_("Last assessment"), period[1] if period else ""),
        (_("Assessed by"), ", ".join(data.assessors)),
        (
            _("Criteria"),
            _("{title}, version {version}").format(title=data.catalogue.title, version=data.catalogue.version),
        ),
        (
            _("Based on"),
            _("each room's latest assessment, drafts included")
            if data.include_drafts
            else _("each room's latest submitted or reviewed assessment"),
        ),
        (_("Generated"), data.generated_at.date()),
    ]
    for band in Band:
        count = sum(1 for r in data.assessed_rooms if r.score is not None and r.score.band == band.value)
        rows.append(
            (_("Rooms in band {band} ({meaning})").format(band=band.value, meaning=_(BAND_LABELS[band])), count)
        )
    row = 2
    for label, value in rows:
        sheet.write_string(row, 0, label, book.bold)
        write_cell(sheet, row, 1, value, book)
        row += 1
    row += 1
    sheet.write_string(row, 0, _("Sheets"), book.bold)
    for name, about in (
        (_("Rooms"), _("one row per room: its latest score, band and completeness, per category and principle")),
        (_("Assessments"), _("one row per assessment, oldest first: how each room's scores changed")),
        (_("Responses"), _("every answer of each room's latest assessment, one row per item, with score and note")),
        (_("Action plan"), _("every fix in priority order: failed critical items first, then gain per effort")),
        (_("Actions"), _("the fixes taken on: owner, due date, state, and which a later assessment verified")),
        (_("Criteria"), _("the checklist catalogue: questions, how they score, sources and evidence grades")),
    ):
        row += 1
        sheet.write_string(row, 0, name)
        sheet.write_string(row, 1, about)
    row += 2
    sheet.write_string(row, 0, _("Scores run from 0 to 100 (item scores from 0 to 1); blank means no score."))
    row += 1
    sheet.write_string(row, 0, _("The answers of earlier assessments are in the CSV and JSON exports of this report."))


def rooms_sheet(book: Book, data: ReportData) -> None:
    """One row per room in scope with its latest score; rooms not yet assessed are listed without one."""
    catalogue = data.catalogue
    fixed = [
        N_("Site"),
        N_("Room"),
        N_("Room type"),
        N_("Floor"),
        N_("Capacity"),
        N_("Assessment id"),
        N_("Assessed on"),
        N_("Assessor"),
        N_("Status"),
        N_("Criteria version"),
        N_("Overall"),
        N_("Band"),
        N_("Band meaning"),
        N_("Completeness"),
        N_("Provisional"),
        N_("Critical items failed"),
        N_("Failed critical item ids"),
        N_("Items not answered"),
    ]
    headings = fixed + _score_headings(catalogue)
    widths = [
        WIDE,
        WIDE,
        MEDIUM,
        6,
        NARROW,
        NARROW,
        12,
        MEDIUM,
        NARROW,
        NARROW,
        NARROW,
        6,
        MEDIUM,
        12,
        11,
        NARROW,
        WIDE,
        NARROW,
    ]
    widths += [14] * (len(headings) - len(fixed))
    sheet = book.sheet(N_("Rooms"), headings, widths)
    formats = _formats(book, headings, len(fixed))
    row = 0
    for room in data.rooms:
        row += 1
        latest = room.latest
        values: list[Any] = [room.site_name, room.name, room.room_type_title, room.floor, room.capacity]
        if latest is None:
            values += [None, None, None, _("not assessed"), None]
        else:
            score = latest.score
            band = None if score.band is None else str(score.band)
            values += [
                latest.id,
                latest.assessed_on,
                latest.assessor,
                value_text(latest.status),
                latest.catalogue_version,
                score.overall,
                band,
                _(BAND_LABELS[Band(band)]) if band else None,
                score.completeness,
                score.provisional,
                len(score.critical_failures),
                ", ".join(score.critical_failures) or None,
                len(score.missing),
            ]
            values += _score_values(catalogue, score)
        for column, value in enumerate(values):
            write_cell(sheet, row, column, value, book, formats[column])
    _finish_scores(book, sheet, row, headings, len(fixed))


def assessments_sheet(book: Book, data: ReportData) -> None:
    """One row per assessment, oldest first within each room, marking each room's latest."""
    catalogue = data.catalogue
    fixed = [
        N_("Site"),
        N_("Room"),
        N_("Room id"),
        N_("Assessment id"),
        N_("Assessed on"),
        N_("Assessor"),
        N_("Status"),
        N_("Latest"),
        N_("Criteria version"),
        N_("Overall"),
        N_("Band"),
        N_("Completeness"),
        N_("Provisional"),
        N_("Provisional reason"),
        N_("Critical items failed"),
        N_("Overall re-scored under criteria {version}"),
    ]
    headings = fixed + _score_headings(catalogue)
    headings[len(fixed) - 1] = _(fixed[-1]).format(version=catalogue.version)
    widths = [WIDE, WIDE, NARROW, NARROW, 12, MEDIUM, NARROW, 8, NARROW, NARROW, 6, 12, 11, WIDE, NARROW, 16]
    widths += [14] * (len(headings) - len(fixed))
    sheet = book.sheet(N_("Assessments"), headings, widths)
    formats = _formats(book, headings, len(fixed))
    row = 0
    for room in data.rooms:
        rescored = room.rescored or (None,) * len(room.assessments)
        for assessment, again in zip(room.assessments, rescored, strict=True):
            row += 1
            score = assessment.score
            values: list[Any] = [
                room.site_name,
                room.name,
                room.id,
                assessment.id,
                assessment.assessed_on,
                assessment.assessor,
                value_text(assessment.status),
                assessment is room.latest,
                assessment.catalogue_version,
                score.overall,
                None if score.band is None else str(score.band),
                score.completeness,
                score.provisional,
                assessment.provisional_reason,
                len(score.critical_failures),
                score.overall if again is None else again.overall,
            ]
            values += _score_values(catalogue, score)
            for column, value in enumerate(values):
                write_cell(sheet, row, column, value, book, formats[column])
    _finish_scores(book, sheet, row, headings, len(fixed))


def _score_headings(catalogue: Catalogue) -> list[str]:
    """The score columns after a sheet's own: each category, then each principle."""
    return [category_title(catalogue, c.id) for c in catalogue.categories] + [
        _("Principle: {name}").format(name=principle_short(p.id)) for p in catalogue.principles
    ]


def _score_values(catalogue: Catalogue, score: RoomScore) -> list[Any]:
    """A score's values under `_score_headings`: blank where a category or principle has no score."""
    return [score.categories[c.id].score if c.id in score.categories else None for c in catalogue.categories] + [
        score.principles.get(p.id) for p in catalogue.principles
    ]


def _formats(book: Book, headings: list[str], first_score: int) -> list[Any]:
    """The number format of each column: one decimal for scores, a percentage for completeness."""
    return [
        book.score
        if heading == "Overall" or column >= first_score
        else book.percent
        if heading == "Completeness"
        else None
        for column, heading in enumerate(headings)
    ]


def _finish_scores(book: Book, sheet: Any, rows: int, headings: list[str], first_score: int) -> None:
    """Colour the bands and scores of a score sheet, freeze its header and room names, filter it."""
    overall = headings.index("Overall")
    book.band_colours(sheet, 1, rows, headings.index("Band"))
    book.score_colours(sheet, 1, rows, overall, overall)
    book.score_colours(sheet, 1, rows, first_score, len(headings) - 1)
    book.finish(sheet, rows, len(headings), freeze_columns=2)
