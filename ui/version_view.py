"""Criteria versions on the screens: which version each score comes from, the change of version marked
on a room's trend, and the room's whole history re-scored under the current criteria, labelled as such.

A stored score is the one of the version its assessment was taken with and never moves; the
re-scored view is offered beside it, never in its place (`scoring.rescore`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from babel.lists import format_list

from assessments import repository
from assessments.catalogue_versions import CatalogueChooser
from assessments.repository import UserLike
from checklists.overrides import parse_override_version
from checklists.schema import Catalogue
from reports import figures
from reports.figures_versions import mark_version_changes
from reports.labels import format_score, item_label
from scoring.rescore import rescore
from ui import state
from ui.dates import format_day
from ui.i18n import _, language, ngettext

__all__ = [
    "mark_version_changes",
    "own_criteria_note",
    "rescored_history",
    "score_version_caption",
    "show_rescored",
    "versions_caption",
]

RESCORE_KEY = f"{state.ROOM_TREND_DRAFTS}_rescored"


def own_criteria_note(frame: pd.DataFrame) -> str | None:
    """Where the rooms of `frame` (columns organisation_name, scored_version) are scored under different
    criteria because an organisation has its own: a sentence naming those organisations; else None."""
    if frame.empty or "scored_version" not in frame or "organisation_name" not in frame:
        return None
    versions = frame["scored_version"].astype(str)
    if versions.nunique() < 2:
        return None
    own = sorted(
        {str(org) for org, v in zip(frame["organisation_name"], versions, strict=True) if parse_override_version(v)}
    )
    if not own:
        return None
    names = format_list(own, locale=language())
    return ngettext(
        "These rooms are not all scored under the same criteria: {names} uses criteria of its own (thresholds, "
        "weights or items differ from the shipped catalogue), so their scores are not like for like.",
        "These rooms are not all scored under the same criteria: {names} use criteria of their own (thresholds, "
        "weights or items differ from the shipped catalogue), so their scores are not like for like.",
        len(own),
    ).format(names=names)


def versions_caption(frame: pd.DataFrame, catalogue: Catalogue) -> str:
    """Which criteria versions the scores of `frame` (a `scored_version` column) come from, in words."""
    if "scored_version" not in frame or frame.empty:
        return _("Scores under criteria version {version}.").format(version=catalogue.version)
    counts = frame["scored_version"].astype(str).value_counts()
    if list(counts.index) == [catalogue.version]:
        return _("Scores under criteria version {version}.").format(version=catalogue.version)
    listed = ", ".join(
        ngettext("{version} ({n} assessment)", "{version} ({n} assessments)", int(n)).format(version=v, n=n)
        for v, n in sorted(counts.items())
    )
    return _(
        "Scores come from criteria versions {listed}: each assessment is scored under the version it was "
        "taken with, so its score never moves when the criteria change (current version {version})."
    ).format(listed=listed, version=catalogue.version)


def rescored_history(
    user: UserLike, history: pd.DataFrame, catalogue: Catalogue, data_version: int = 0
) -> pd.DataFrame:
    """The room's history re-scored under `catalogue`: assessment_id, assessed_on, overall, band,
    score_<category>, scored_version (the current one), stored_overall, stored_version, retired."""
    return _rescored(
        tuple(int(a) for a in history["assessment_id"]),
        tuple(str(v) for v in history["scored_version"]),
        catalogue.version,
        data_version,
        user.id,
        user,
        catalogue,
    )


@st.cache_data(show_spinner=False, max_entries=64)
def _rescored(
    ids: tuple[int, ...],
    versions: tuple[str, ...],
    current_version: str,
    data_version: int,
    user_id: int,
    _user: UserLike,
    _cat: Catalogue,
) -> pd.DataFrame:
    """Cached per assessments, versions, user and data version (a draft's answers may change)."""
    from ui import context

    rows = []
    with context.store().session() as session:
        known = CatalogueChooser(session, _cat).known()
        for assessment_id, version in zip(ids, versions, strict=True):
            document = repository.assessment_document(session, _user, assessment_id)
            again = rescore(_cat, known, version, document["setting"], document["room_type"], document["responses"])
            if again is None:
                continue
            score = again.score
            row: dict[str, object] = {
                "assessment_id": assessment_id,
                "assessed_on": pd.Timestamp(document["date"]),
                "overall": score.overall,
                "band": score.band,
                "scored_version": score.catalogue_version,
                "stored_version": version,
                "retired": ", ".join(item_label(r.item_id) for r in again.retired),
            }
            row.update({f"score_{c}": s.score for c, s in score.categories.items()})
            rows.append(row)
    return pd.DataFrame(rows)


def show_rescored(user: UserLike, history: pd.DataFrame, catalogue: Catalogue, data_version: int = 0) -> None:
    """Below the trend: which versions it mixes, and the history re-scored under the current one."""
    if history.empty or "scored_version" not in history:
        return
    versions = list(dict.fromkeys(history["scored_version"].astype(str)))
    if versions == [catalogue.version]:
        return
    st.caption(
        _(
            "This trend shows each assessment as it was scored, under criteria version {versions}. A dashed line "
            "marks where the version changed."
        ).format(versions=_(" then ").join(versions))
    )
    if not st.toggle(
        _("Show the whole history re-scored under the current criteria ({version})").format(version=catalogue.version),
        key=RESCORE_KEY,
        help=_("What every assessment would score under today's criteria. The stored scores do not change."),
    ):
        return
    again = rescored_history(user, history, catalogue, data_version)
    if again.empty:
        st.write(_("No assessment of this room can be scored under the current criteria."))
        return
    st.markdown(
        "**{}**".format(
            _("Re-scored under the current criteria ({version}), not the stored scores").format(
                version=catalogue.version
            )
        )
    )
    st.plotly_chart(
        figures.score_trend(again, catalogue, title=None, compact=True),
        theme=None,
        config={"displayModeBar": False},
        key=f"{RESCORE_KEY}_chart",
    )
    stored = history.set_index("assessment_id")
    table = pd.DataFrame(
        {
            _("Assessed on"): [format_day(d.date()) for d in again["assessed_on"]],
            _("Stored score"): [format_score(_number(stored.loc[a, "overall"])) for a in again["assessment_id"]],
            _("Stored under"): again["stored_version"],
            _("Re-scored under {version}").format(version=catalogue.version): [
                format_score(_number(v)) for v in again["overall"]
            ],
            _("Answers that do not carry over"): again["retired"].replace("", _("none")),
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and value == value else None


def score_version_caption(version: str, catalogue: Catalogue) -> str:
    """Under a scorecard: the criteria version its score comes from."""
    if version == catalogue.version:
        return _("Scored under criteria version {version} (the current criteria).").format(version=version)
    return _(
        "Scored under criteria version {version}, the version this assessment was taken with; the current "
        "criteria are version {current}."
    ).format(version=version, current=catalogue.version)
