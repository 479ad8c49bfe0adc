"""The Room page's "What changed": two assessments of the room side by side, item by item, with the
change in every category and principle score, and the same table as a CSV download.

The comparison is `reports.changes` (the engine's item scores of both assessments, worded once for
the screen, the reports and the command line); this module draws it.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
from babel.numbers import format_decimal
from streamlit.elements.lib.column_types import ColumnConfig

from assessments.errors import StoreError
from assessments.repository import UserLike
from reports.changes import (
    ChangeRow,
    Compared,
    change_rows,
    changes_csv,
    compare_stored,
    counts_text,
    default_pair,
    format_delta,
    score_rows,
)
from reports.labels import NO_SCORE, format_date, format_score, value_text
from scoring.changes import Change
from ui import state
from ui.i18n import DEFAULT_LANGUAGE, _, language
from ui.language_choice import worded_key
from ui.text import literal

__all__ = ["cached_changes", "change_table", "what_changed_section"]

# A mark beside each kind of change, so the column reads without colour.
_MARKS = {
    Change.improved: "▲", Change.worsened: "▼", Change.unchanged: "=", Change.newly_answered: "+",
    Change.no_longer_applicable: "n/a", Change.no_longer_answered: "?", Change.retired: "⌀",
    Change.not_answered: "–",
}  # fmt: skip


@st.cache_data(show_spinner=False, max_entries=128)
def _cached_changes(
    before_id: int, after_id: int, version: int, user_id: int, _user: UserLike, lang: str = "en"
) -> Compared:
    from ui import context

    with context.store().session() as session:
        return compare_stored(session, _user, context.catalogue(), before_id, after_id)


def cached_changes(user: UserLike, before_id: int, after_id: int, version: int) -> Compared:
    """`reports.changes.compare_stored`, cached per pair of assessments and data version."""
    # Per language too: the comparison's words are the reader's.
    return _cached_changes(before_id, after_id, version, user.id, user, language())


def _scores(values: list[float | None], digits: int) -> list[float | None] | list[str]:
    """Scores for a table column: numbers in English (the grid writes them "%.2f"), text with the
    language's decimal mark in the others ("0,76"), where the grid would write a full stop."""
    if language() == DEFAULT_LANGUAGE:
        return values
    pattern = "0." + "0" * digits
    return [NO_SCORE if v is None else format_decimal(v, format=pattern, locale=language()) for v in values]


def _score_column(label: str | None, digits: int, width: int, help: str | None = None) -> ColumnConfig:
    if language() == DEFAULT_LANGUAGE:
        return st.column_config.NumberColumn(label, format=f"%.{digits}f", width=width, help=help)
    return st.column_config.TextColumn(label, width=width, help=help)


def change_table(rows: list[ChangeRow]) -> pd.DataFrame:
    """The item rows as the screen shows them (item scores 0 to 1)."""
    return pd.DataFrame(
        {
            _("Item"): [r.item for r in rows],
            _("Change"): [f"{_MARKS[r.change]} {r.change_text}" for r in rows],
            _("Score before"): _scores([r.score_before for r in rows], 2),
            _("Score after"): _scores([r.score_after for r in rows], 2),
            _("Answer before"): [r.before for r in rows],
            _("Answer after"): [r.after for r in rows],
            _("Target"): [r.target or NO_SCORE for r in rows],
            _("Score change"): [format_delta(r.delta, 3) for r in rows],
            _("Category"): [r.category for r in rows],
        }
    )


def what_changed_section(user: UserLike, history: pd.DataFrame, room_id: int, version: int) -> None:
    """The "What changed" part of the Room page; `history` is the room's assessments, drafts included."""
    from ui import context

    catalogue = context.catalogue()
    st.subheader(_("What changed"), anchor=False)
    entries = [
        (int(a), pd.Timestamp(d).date(), str(s))
        for a, d, s in zip(history["assessment_id"], history["assessed_on"], history["status"], strict=True)
    ]
    pair = default_pair(entries)
    if pair is None:
        st.write(_("One assessment so far: what changed shows once the room is assessed again."))
        return
    names = {a: _name(d, s, history, a) for a, d, s in entries}
    options = [a for a, _day, _status in sorted(entries, key=lambda e: (e[1], e[0]), reverse=True)]
    pickers = st.columns(2)
    before_id = pickers[0].selectbox(
        _("From assessment"), options, index=options.index(pair[0]), format_func=names.__getitem__,
        key=worded_key(state.room_changes(room_id, "from")),
    )  # fmt: skip
    after_id = pickers[1].selectbox(
        _("To assessment"), options, index=options.index(pair[1]), format_func=names.__getitem__,
        key=worded_key(state.room_changes(room_id, "to")),
    )  # fmt: skip
    if before_id is None or after_id is None or before_id == after_id:
        st.info(_("Pick two different assessments to see what changed between them."))
        return
    try:
        compared = cached_changes(user, int(before_id), int(after_id), version)
    except StoreError as error:
        st.warning(literal(str(error)))
        return
    changes = compared.changes
    if compared.before_on > compared.after_on:
        st.caption(_("The first assessment picked is the later one: the changes read backwards in time."))

    overall = changes.overall
    band_before, band_after = (b.value if b else NO_SCORE for b in changes.bands)
    numbers = st.columns(3)
    numbers[0].metric(
        _("Overall score"), format_score(overall.after),
        None if overall.delta is None else format_delta(overall.delta), border=True,
        help=_("{score} on {date}").format(score=format_score(overall.before), date=format_date(compared.before_on)),
    )  # fmt: skip
    numbers[1].metric(_("Band"), f"{band_before} → {band_after}", border=True)
    counts = changes.counts()
    numbers[2].metric(
        _("Items improved"), str(counts[Change.improved]), border=True,
        help=_("{worsened} worsened, {unchanged} unchanged").format(
            worsened=counts[Change.worsened], unchanged=counts[Change.unchanged]
        ),
    )  # fmt: skip
    st.caption(literal(f"{compared.title}: {counts_text(changes)}."))  # the room's name as typed

    every = st.toggle(_("Show unchanged items too"), key=state.room_changes(room_id, "all"))
    rows = change_rows(catalogue, changes, only_moved=not every)
    if rows:
        st.dataframe(
            change_table(rows),
            hide_index=True,
            key=state.room_changes(room_id, "table"),
            column_config={
                _("Item"): st.column_config.TextColumn(width=170),
                _("Change"): st.column_config.TextColumn(width=150),
                _("Score before"): _score_column(_("Before"), 2, 65, _("Score, 0 to 1")),
                _("Score after"): _score_column(_("After"), 2, 65, _("Score, 0 to 1")),
                _("Answer before"): st.column_config.TextColumn(width=170),
                _("Answer after"): st.column_config.TextColumn(width=170),
                _("Target"): st.column_config.TextColumn(width=150),
                _("Score change"): st.column_config.TextColumn(width=90),
            },
        )
    else:
        st.write(_("No item changed between these two assessments."))

    scores = score_rows(catalogue, changes)
    st.dataframe(
        pd.DataFrame(
            {
                _("Score"): [
                    r.name if r.kind != "Principle" else _("Principle: {name}").format(name=r.name) for r in scores
                ],
                _("Before"): _scores([r.before for r in scores], 1),
                _("After"): _scores([r.after for r in scores], 1),
                _("Change"): [format_delta(r.delta) for r in scores],
            }
        ),
        hide_index=True,
        key=state.room_changes(room_id, "scores"),
        column_config={
            _("Score"): st.column_config.TextColumn(width=360),
            _("Before"): _score_column(None, 1, 80),
            _("After"): _score_column(None, 1, 80),
            _("Change"): st.column_config.TextColumn(width=80),
        },
    )
    st.download_button(
        _("Download the changes (CSV)"),
        changes_csv(catalogue, compared),
        file_name=f"changes-room-{compared.room_id}-{compared.before_id}-to-{compared.after_id}.csv",
        mime="text/csv",
        key=state.room_changes(room_id, "download"),
        icon=":material/download:",
    )


def _name(day: dt.date, status: str, history: pd.DataFrame, assessment_id: int) -> str:
    assessor = history.loc[history["assessment_id"] == assessment_id, "assessor"].iloc[0]
    return f"{format_date(day)} · {value_text(status)} · {assessor}"
