"""One assessment as the Room and Compare screens show it: scored by the engine, every item of the
room's checklist laid out with its answer in words, its target, note, photos and retired answers;
and the item-by-item comparison of several rooms.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import streamlit as st

from assessments import repository
from assessments.catalogue_versions import catalogue_for
from assessments.repository import UserLike
from checklists.describe import target_summary
from checklists.overrides import base_version
from checklists.responses import AnswerSheet
from checklists.schema import Catalogue, ItemKind, ResolvedItem
from checklists.stored_answers import RetiredAnswer
from checklists.translations import localized
from reports.labels import NO_SCORE
from scoring.engine import RoomScore, score_assessment
from ui import numbers
from ui.i18n import _, language
from ui.table_words import answer_text, item_name, shown_catalogue, target_text

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # only the store imports SQLAlchemy at run time

__all__ = [
    "MAX_COMPARE",
    "MIN_COMPARE",
    "ItemRow",
    "ScoredAssessment",
    "cached_scored",
    "compare_items",
    "default_compare",
    "score_assessment_of",
    "score_mark",
    "target_words",
]

MIN_COMPARE, MAX_COMPARE = 2, 6


# --------------------------------------------------------------------------------------------
# One room, one assessment: scored by the engine
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemRow:
    """One checklist item of one assessment, as the Room and Compare screens show it."""

    item_id: str
    category: str
    question: str  # in the person's language, as the answers and targets
    kind: str
    critical: bool
    status: str  # answered, not_applicable or missing
    answer: str  # in words: '420 lx, 610 lx', 'yes', 'not answered'
    target: str  # the room type's target in words ('' when the item has none)
    score: float | None  # 0..1, 3 decimals as in RoomScore
    failed_critical: bool
    note: str | None
    photos: tuple[int, ...] = ()  # evidence ids


@dataclass(frozen=True)
class ScoredAssessment:
    """One assessment scored by the engine, with every item of the room's checklist in order."""

    assessment_id: int
    room_id: int
    status: str
    assessed_on: dt.date
    assessor: str
    provisional_reason: str | None
    score: RoomScore
    items: tuple[ItemRow, ...] = field(default_factory=tuple)
    # Stored answers the current catalogue no longer accepts: kept, shown as retired, scored as missing.
    retired: tuple[RetiredAnswer, ...] = ()

    def item(self, item_id: str) -> ItemRow | None:
        return next((row for row in self.items if row.item_id == item_id), None)


def target_words(resolved: ResolvedItem) -> str:
    """The target of an item for its room type, short (`checklists.describe.target_summary`)."""
    return target_summary(resolved)


def score_assessment_of(
    session: Session,
    user: UserLike,
    catalogue: Catalogue,
    assessment_id: int,
    *,
    with_photos: bool = True,
    shipped: bool = False,
) -> ScoredAssessment:
    """Score one stored assessment with the engine and lay out its items, notes and photo ids; the
    items' words (questions, answers, targets) in the current language.

    With `shipped`, an assessment taken under an organisation's own criteria is scored under the
    catalogue they adapt, as shipped (for comparing rooms of organisations with different criteria)."""
    assessment = repository.get_assessment(session, user, assessment_id)
    source: AnswerSheet = repository.scoring_input(session, user, assessment_id)
    retired = repository.stored_answers(session, user, assessment_id).retired
    kept = {r.item_id: r for r in retired}
    # Scored under the catalogue version the assessment was taken with (score.catalogue_version).
    version = base_version(assessment.catalogue_version) if shipped else assessment.catalogue_version
    catalogue = catalogue_for(session, version, assessment.status, catalogue, (source.setting, source.room_type))
    checklist = catalogue.checklist(source.setting, source.room_type)
    locale = language()
    words = localized(catalogue, locale).catalogue.checklist(source.setting, source.room_type).by_id()
    if shipped:
        applies = checklist.by_id()
        source = replace(source, answers={k: v for k, v in source.answers.items() if k in applies})
    score = score_assessment(catalogue, source)
    notes = dict(source.notes or {})
    photos: dict[str, list[int]] = {}
    if with_photos:
        for evidence in repository.list_evidence(session, user, assessment_id):
            photos.setdefault(evidence.item_id, []).append(evidence.id)
    rows = []
    for resolved in checklist.items:
        item = resolved.item
        shown = words.get(item.id, resolved)
        result = score.items[item.id]
        rows.append(
            ItemRow(
                item_id=item.id,
                category=item.category,
                question=shown.item.question,
                kind=item.kind.value,
                critical=item.critical,
                status=str(result.status),
                answer=answer_text(shown.item, source.answers.get(item.id), locale)
                if item.id not in kept
                else _("retired answer: {answer}").format(answer=kept[item.id].value_text),
                target=target_text(shown, locale) if item.scored else "",
                score=result.score,
                failed_critical=item.id in score.critical_failures,
                note=notes.get(item.id),
                photos=tuple(photos.get(item.id, ())),
            )
        )
    return ScoredAssessment(
        assessment_id=assessment.id,
        room_id=assessment.room_id,
        status=assessment.status.value,
        assessed_on=assessment.assessed_on,
        assessor=assessment.assessor,
        provisional_reason=assessment.provisional_reason,
        score=score,
        items=tuple(rows),
        retired=retired,
    )


@st.cache_data(show_spinner=False, max_entries=256)
def _cached_scored(
    assessment_id: int, version: int, user_id: int, _user: UserLike, shipped: bool = False, locale: str = "en"
) -> ScoredAssessment:
    from ui import context
    from ui.i18n import using

    with context.store().session() as session, using(locale):
        return score_assessment_of(session, _user, context.catalogue(), assessment_id, shipped=shipped)


def cached_scored(user: UserLike, assessment_id: int, version: int, *, shipped: bool = False) -> ScoredAssessment:
    """`score_assessment_of`, cached per assessment, data version, `shipped` and language."""
    return _cached_scored(assessment_id, version, user.id, user, shipped, language())


# --------------------------------------------------------------------------------------------
# Compare rooms
# --------------------------------------------------------------------------------------------


def default_compare(latest: pd.DataFrame) -> list[int]:
    """A useful first comparison: the strongest and the weakest scored room in scope."""
    scored = latest.dropna(subset=["overall"]).sort_values(["overall", "label"])
    if len(scored) < MIN_COMPARE:
        return [int(r) for r in latest["room_id"].head(MIN_COMPARE)]
    return [int(scored["room_id"].iloc[-1]), int(scored["room_id"].iloc[0])]


def score_mark(row: ItemRow | None) -> str:
    """A mark that says what an item scored without colour: ✓ full, ◐ part, ✗ none."""
    if row is None:
        return ""
    if row.status == "not_applicable":
        return _("n/a")
    if row.score is None:
        return NO_SCORE
    if row.score >= 1:
        return "✓"
    if row.score > 0:
        return "◐"
    return "✗"


def compare_items(
    catalogue: Catalogue, rooms: Sequence[tuple[str, ScoredAssessment]], *, only_differences: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Item by item, each room's answer against its room type's target.

    Returns (table, scores): `table` has Item (a short name: 'Illuminance'; the question in another
    language), Category, one column per room ('✗ 820 lx (ideal 300 to 500 lx) · 0.53') and Differs,
    headings and words in the current language; `scores` has one column per room
    with the item scores (NaN where none), for highlighting. Scored items of any of the rooms'
    checklists, in catalogue order.
    """
    locale = language()
    titles = {c.id: c.title.split(",")[0] for c in shown_catalogue(catalogue, locale).categories}
    item_col, category_col, differs_col = _("Item"), _("Category"), _("Differs")
    does_not_apply = _("does not apply")
    applicable = {row.item_id for _name, scored in rooms for row in scored.items}
    table_rows, score_rows = [], []
    for item in catalogue.items:
        if not item.scored or item.id not in applicable:
            continue
        cells: dict[str, str] = {}
        values: dict[str, float] = {}
        seen: list[tuple[str, float | None]] = []
        for name, scored in rooms:
            row = scored.item(item.id)
            if row is None:
                cells[name] = does_not_apply
                values[name] = np.nan
                seen.append(("does not apply", None))
                continue
            # A rating's level descriptions are long; the table keeps "3 of 4".
            text = row.answer.split(":")[0].strip() if row.kind == ItemKind.rating.value else row.answer
            if row.target and row.status == "answered":
                text = f"{text} ({row.target})"
            if row.score is not None:
                text = f"{text} · {numbers.format_decimals(row.score, 2, locale)}"
            cells[name] = f"{score_mark(row)} {text}".strip()
            values[name] = np.nan if row.score is None else row.score
            seen.append((row.status, row.score))
        differs = len(set(seen)) > 1
        if only_differences and not differs:
            continue
        table_rows.append(
            {item_col: item_name(catalogue, item.id, locale), category_col: titles.get(item.category, item.category),
             **cells, differs_col: _("yes") if differs else ""}
        )  # fmt: skip
        score_rows.append(values)
    columns = [item_col, category_col, *[name for name, _score in rooms], differs_col]
    return pd.DataFrame(table_rows, columns=columns), pd.DataFrame(score_rows, columns=[n for n, _score in rooms])
