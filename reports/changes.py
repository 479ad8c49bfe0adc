"""What changed between two assessments of a room, in words: the one table the Room screen, the PDF,
the workbook, the CSV export and `sensory-audit changes` show.

`scoring.changes.what_changed` decides how each item moved; this module words it (answers as
`reports.labels.format_answer`, targets as `checklists.describe.target_summary`), picks which two
assessments are compared by default, and reads them from the store for the screen and the command line.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from babel.numbers import get_decimal_symbol

from assessments.latest import FINAL_STATUSES
from checklists.describe import target_summary
from checklists.i18n import DEFAULT_LANGUAGE, N_, _, language, ngettext
from checklists.schema import Catalogue
from reports.data import AssessmentReport
from reports.labels import NO_SCORE, category_title, format_answer, format_date, item_label, principle_title
from reports.tabular import csv_cell
from scoring.changes import Change, Changes, ItemChange, ItemSide, ScoreChange, Scored, what_changed
from scoring.engine import evaluate

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # only the store imports SQLAlchemy at run time

    from assessments.repository import UserLike

__all__ = [
    "CHANGE_CSV_COLUMNS",
    "SCORE_KINDS",
    "ChangeRow",
    "Compared",
    "ScoreRow",
    "change_rows",
    "changes_csv",
    "changes_json",
    "changes_text",
    "compare_reports",
    "compare_stored",
    "counts_text",
    "default_pair",
    "format_delta",
    "score_rows",
]

# A score row's kind in the reader's words (the JSON export keeps the kind itself, in lower case).
SCORE_KINDS = {"Overall": N_("Overall"), "Category": N_("Category"), "Principle": N_("Principle")}

CHANGE_CSV_COLUMNS = (
    "room", "from_assessment", "from_date", "to_assessment", "to_date", "category", "item_id", "item",
    "change", "answer_before", "answer_after", "target", "score_before", "score_after", "score_change",
)  # fmt: skip


@dataclass(frozen=True)
class ChangeRow:
    """One item of the what-changed table, worded for a reader."""

    item_id: str
    item: str  # short name: 'Illuminance'
    category: str  # category title
    change: Change
    before: str  # the answer in words: '820 lx', 'not answered', 'retired answer: 3 (the item ...)'
    after: str
    target: str  # the room type's target, short: 'ideal 300 to 500 lx', 'best: yes'
    score_before: float | None  # 0..1 as the engine reports it
    score_after: float | None
    delta: float | None

    @property
    def change_text(self) -> str:
        return self.change.words


@dataclass(frozen=True)
class ScoreRow:
    kind: str  # "Overall", "Category" or "Principle" (SCORE_KINDS words it for a reader)
    name: str
    before: float | None
    after: float | None
    delta: float | None


def format_delta(value: float | None, digits: int = 1) -> str:
    """A change with its sign: '+6.2', '-0.133', '0.0' ('+6,2' in French, as the scores beside it); a
    dash when there is nothing to compare."""
    if value is None:
        return NO_SCORE
    text = f"{value:+.{digits}f}"
    text = text[1:] if float(text) == 0 else text
    code = language()
    return text if code == DEFAULT_LANGUAGE else text.replace(".", get_decimal_symbol(code))


def _answer(change: ItemChange, side: ItemSide) -> str:
    if side.retired is not None:
        return _("retired answer: {value} ({reason})").format(
            value=side.retired.value_text, reason=side.retired.shown_reason
        )
    if side.status is None:
        return _("not in the checklist then")
    assert change.resolved is not None
    return format_answer(change.resolved.item, side.answer)


def change_rows(catalogue: Catalogue, changes: Changes, *, only_moved: bool = False) -> list[ChangeRow]:
    """The items of `changes` in words; with `only_moved`, just those that changed (worsened first)."""
    rows = []
    for change in changes.moved if only_moved else changes.items:
        rows.append(
            ChangeRow(
                item_id=change.item_id,
                item=item_label(change.item_id),
                category=category_title(catalogue, change.category),
                change=change.change,
                before=_answer(change, change.before),
                after=_answer(change, change.after),
                target=target_summary(change.resolved) if change.resolved is not None else "",
                score_before=change.before.score,
                score_after=change.after.score,
                delta=change.delta,
            )
        )
    return rows


def score_rows(catalogue: Catalogue, changes: Changes) -> list[ScoreRow]:
    """The overall score, then each category and principle score, before and after."""

    def row(kind: str, name: str, score: ScoreChange) -> ScoreRow:
        return ScoreRow(kind, name, score.before, score.after, score.delta)

    return [
        row("Overall", _("Overall score"), changes.overall),
        *(row("Category", category_title(catalogue, s.key), s) for s in changes.categories),
        *(row("Principle", principle_title(catalogue, s.key), s) for s in changes.principles),
    ]


def counts_text(changes: Changes) -> str:
    """'3 improved · 1 worsened · 40 unchanged · 2 newly answered', the kinds that occur, each in
    the number its count takes ('1 dégradé · 46 inchangés')."""
    return " · ".join(count_words(kind, n).format(count=n) for kind, n in changes.counts().items() if n)


def count_words(kind: Change, count: int) -> str:
    """How many items changed in one way, with `{count}` for the number: '{count} improved'."""
    worded = {
        Change.improved: lambda: ngettext("{count} improved", "{count} improved", count),
        Change.worsened: lambda: ngettext("{count} worsened", "{count} worsened", count),
        Change.unchanged: lambda: ngettext("{count} unchanged", "{count} unchanged", count),
        Change.newly_answered: lambda: ngettext("{count} newly answered", "{count} newly answered", count),
        Change.no_longer_applicable: lambda: ngettext(
            "{count} no longer applicable", "{count} no longer applicable", count
        ),
        Change.no_longer_answered: lambda: ngettext("{count} no longer answered", "{count} no longer answered", count),
        Change.retired: lambda: ngettext("{count} answer retired", "{count} answers retired", count),
        Change.not_answered: lambda: ngettext(
            "{count} not answered in either", "{count} not answered in either", count
        ),
    }
    return worded[kind]()


# --------------------------------------------------------------------------------------------
# Which two assessments
# --------------------------------------------------------------------------------------------


def default_pair(history: Sequence[tuple[int, dt.date, str]]) -> tuple[int, int] | None:
    """The comparison a room opens with: its latest finished (submitted or reviewed) assessment
    against the finished one before it; drafts stand in only when fewer than two are finished.

    `history` holds (assessment id, date, status) in any order; None when the room has fewer than two.
    """
    ordered = sorted(history, key=lambda h: (h[1], h[0]))
    finished = [h for h in ordered if h[2] in FINAL_STATUSES]
    pool = finished if len(finished) >= 2 else ordered
    if len(pool) < 2:
        return None
    return pool[-2][0], pool[-1][0]


# --------------------------------------------------------------------------------------------
# From a report's data, or from the store
# --------------------------------------------------------------------------------------------


def _scored(catalogue: Catalogue, assessment: AssessmentReport) -> Scored:
    principles = tuple(p.id for p in catalogue.principles)
    return Scored(
        evaluate(assessment.checklist, assessment.answers, principles), assessment.answers, assessment.retired
    )


def compare_reports(catalogue: Catalogue, before: AssessmentReport, after: AssessmentReport) -> Changes:
    """What changed from one reported assessment of a room to another."""
    return what_changed(_scored(catalogue, before), _scored(catalogue, after))


@dataclass(frozen=True)
class Compared:
    """Two stored assessments of one room and what changed between them."""

    room_id: int
    room_name: str
    before_id: int
    before_on: dt.date
    after_id: int
    after_on: dt.date
    changes: Changes

    @property
    def title(self) -> str:
        return _("{room}: {start} to {end}").format(
            room=self.room_name, start=format_date(self.before_on), end=format_date(self.after_on)
        )


def compare_stored(session: Session, user: UserLike, catalogue: Catalogue, before_id: int, after_id: int) -> Compared:
    """Read two assessments through the store (scoped to `user`) and compare them.

    Raises StoreError when either is out of reach, and InvalidAnswer when they are the same
    assessment or of different rooms.
    """
    from assessments import repository
    from assessments.catalogue_versions import catalogue_for
    from assessments.errors import InvalidAnswer

    if before_id == after_id:
        raise InvalidAnswer(f"Assessment {before_id} was chosen twice: pick two different assessments.", field="to")
    first = repository.get_assessment(session, user, before_id)
    second = repository.get_assessment(session, user, after_id)
    if first.room_id != second.room_id:
        raise InvalidAnswer(
            f"Assessments {before_id} and {after_id} are of different rooms: compare two assessments of one room.",
            field="to",
        )
    room = repository.get_room(session, user, first.room_id)
    site = repository.get_site(session, user, room.site_id)
    sides = []
    for assessment in (first, second):
        # Each side scored under the criteria version it was taken with, as its Room page shows it.
        scored_under = catalogue_for(
            session, assessment.catalogue_version, assessment.status, catalogue, (site.setting, room.room_type)
        )
        checklist = scored_under.checklist(site.setting, room.room_type)
        principles = tuple(p.id for p in scored_under.principles)
        stored = repository.stored_answers(session, user, assessment.id)
        sides.append(Scored(evaluate(checklist, stored.answers, principles), stored.answers, stored.retired))
    return Compared(
        room_id=room.id,
        room_name=room.name,
        before_id=first.id,
        before_on=first.assessed_on,
        after_id=second.id,
        after_on=second.assessed_on,
        changes=what_changed(sides[0], sides[1]),
    )


def changes_csv(catalogue: Catalogue, compared: Compared) -> bytes:
    """The what-changed table as CSV (UTF-8, header row; text a spreadsheet would run as a formula is
    neutralised as in every CSV export, `reports.tabular.csv_cell`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CHANGE_CSV_COLUMNS)
    for row in change_rows(catalogue, compared.changes):
        values: dict[str, Any] = {
            "room": compared.room_name,
            "from_assessment": compared.before_id,
            "from_date": compared.before_on.isoformat(),
            "to_assessment": compared.after_id,
            "to_date": compared.after_on.isoformat(),
            "category": row.category,
            "item_id": row.item_id,
            "item": row.item,
            "change": row.change_text,
            "answer_before": row.before,
            "answer_after": row.after,
            "target": row.target,
            "score_before": row.score_before,
            "score_after": row.score_after,
            "score_change": row.delta,
        }
        writer.writerow([csv_cell(values[c]) for c in CHANGE_CSV_COLUMNS])
    return buffer.getvalue().encode("utf-8")


def _score_text(value: float | None, digits: int = 1) -> str:
    return NO_SCORE if value is None else f"{value:.{digits}f}"


def changes_text(catalogue: Catalogue, compared: Compared) -> str:
    """The comparison for a person at a terminal: the scores, then every item that changed."""
    changes = compared.changes
    heading = f"{compared.title} (assessments {compared.before_id} and {compared.after_id})"
    before_band, after_band = (b.value if b else NO_SCORE for b in changes.bands)
    lines = [heading, "=" * len(heading), f"Band {before_band} -> {after_band}", ""]
    for row in score_rows(catalogue, changes):
        lines.append(
            f"  {row.kind:<9} {row.name:<48} {_score_text(row.before):>5} -> {_score_text(row.after):>5}  "
            f"{format_delta(row.delta):>6}"
        )
    lines += ["", f"Items: {counts_text(changes)}"]
    for item in change_rows(catalogue, changes, only_moved=True):
        target = f" (target: {item.target})" if item.target else ""
        lines.append(f"  {item.change_text:<21} {item.item}: {item.before} -> {item.after}{target}")
        if item.delta is not None:
            lines.append(
                f"  {'':<21} score {_score_text(item.score_before, 3)} -> {_score_text(item.score_after, 3)} "
                f"({format_delta(item.delta, 3)})"
            )
    return "\n".join(lines)


def changes_json(catalogue: Catalogue, compared: Compared) -> dict[str, Any]:
    """The comparison as one JSON document: both assessments, every score and every item."""
    changes = compared.changes
    return {
        "room_id": compared.room_id,
        "room": compared.room_name,
        "from": {"assessment_id": compared.before_id, "assessed_on": compared.before_on.isoformat(),
                 "band": None if changes.bands[0] is None else changes.bands[0].value},
        "to": {"assessment_id": compared.after_id, "assessed_on": compared.after_on.isoformat(),
               "band": None if changes.bands[1] is None else changes.bands[1].value},
        "counts": {kind.value: n for kind, n in changes.counts().items()},
        "scores": [
            {"kind": r.kind.lower(), "name": r.name, "before": r.before, "after": r.after, "change": r.delta}
            for r in score_rows(catalogue, changes)
        ],
        "items": [
            {"item_id": r.item_id, "category": r.category, "change": r.change.value, "answer_before": r.before,
             "answer_after": r.after, "target": r.target, "score_before": r.score_before,
             "score_after": r.score_after, "score_change": r.delta}
            for r in change_rows(catalogue, changes)
        ],
    }  # fmt: skip
