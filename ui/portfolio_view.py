"""The data behind the Overview, Compare, Room and Action plan screens: the user's portfolio, scored
once per organisation and data version, then filtered and shaped into what each screen shows (one
assessment at a time: `ui.assessment_view`; the Overview's filters: `ui.overview_view`; both
offered here too).

Scores come from the scoring package only: `scoring.portfolio.score_portfolio` for the portfolio
(the same numbers as the engine, vectorised) and `scoring.engine.score_assessment` for the rooms a
screen looks at one by one. Nothing here decides a score; it picks, filters, labels and orders.

Which assessment stands for a room ("latest") is the store's one rule, `assessments.latest`: here
a room that has only drafts is shown by its newest draft, marked as a draft.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import streamlit as st

from assessments import repository
from assessments.catalogue_versions import CatalogueChooser
from assessments.latest import FINAL_STATUSES, latest_per_room
from assessments.repository import UserLike
from checklists.schema import Catalogue
from reports.figures_layout import wrap_label
from reports.labels import item_label
from scoring.actions import rank_plan_frame
from scoring.portfolio_versions import score_portfolio_versions
from ui.i18n import DEFAULT_LANGUAGE, _, language
from ui.table_words import shown_catalogue

if TYPE_CHECKING:
    from sqlalchemy.orm import Session  # only the store imports SQLAlchemy at run time

__all__ = [
    "FINAL_STATUSES",
    "MAX_COMPARE",
    "MIN_COMPARE",
    "NO_BAND",
    "Filters",
    "ItemRow",
    "OverviewData",
    "Portfolio",
    "ScoredAssessment",
    "action_plan",
    "apply_filters",
    "assessment_months",
    "band_cell_style",
    "build_portfolio",
    "cached_portfolio",
    "cached_scored",
    "compare_items",
    "default_compare",
    "heatmap_rows",
    "latest_per_room",
    "month_end",
    "room_history",
    "score_assessment_of",
    "score_mark",
    "short_category_titles",
    "status_label",
    "target_words",
    "titles_in_language",
]


# --------------------------------------------------------------------------------------------
# The portfolio: every room and every assessment in the user's organisations, scored
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Portfolio:
    """Everything the dashboard screens start from; plain frames, so it caches by value.

    rooms:       one row per room in scope, assessed or not: room_id, room_name, label (unique),
                 room_type, room_type_title, setting, setting_title, site_id, site_name,
                 organisation_id, organisation_name
    assessments: one row per assessment: the store's columns, `PortfolioScores.summary()` columns
                 (overall, band, completeness, provisional, critical_failures, score_<category>,
                 principle_<principle>) and the room's label; oldest first
    actions:     every fix of every room's latest assessment (`PortfolioScores.action_frame`),
                 with room, site and item wording and the unrounded `raw_gain`, best first
    failures:    every failed critical item of every assessment: assessment_id, item_id, item_name
    retired:     stored answers the current catalogue no longer accepts: assessment_id, item_id, reason
    """

    rooms: pd.DataFrame
    assessments: pd.DataFrame
    actions: pd.DataFrame
    failures: pd.DataFrame
    retired: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["assessment_id", "item_id", "reason"]))
    version: int = 0

    @property
    def latest(self) -> pd.DataFrame:
        return latest_per_room(self.assessments)


def _unique_labels(frame: pd.DataFrame) -> pd.Series:
    """Room names, made unique by adding the site, then the organisation, then the id where needed."""
    label = frame["room_name"].astype(str)
    for extra in ("site_name", "organisation_name", "room_id"):
        clash = label.duplicated(keep=False)
        if not clash.any():
            break
        label = label.where(~clash, label + " · " + frame[extra].astype(str))
    return label


def build_portfolio(
    session: Session, user: UserLike, catalogue: Catalogue, version: int = 0, *, organisation_id: int | None = None
) -> Portfolio:
    """Read the user's rooms and assessments (of one organisation, or all of theirs) through the
    repository and score them all at once."""
    organisations = {o.id: o.name for o in repository.list_organisations(session, user)}
    if organisation_id is not None:
        organisations = {organisation_id: organisations[organisation_id]} if organisation_id in organisations else {}
    sites = {s.id: s for s in repository.list_sites(session, user) if s.organisation_id in organisations}
    room_rows = []
    for room in repository.list_rooms(session, user):
        if room.site_id not in sites:
            continue
        site = sites[room.site_id]
        checklist = catalogue.checklists.get((site.setting, room.room_type))
        room_rows.append(
            {
                "room_id": room.id,
                "room_name": room.name,
                "room_type": room.room_type,
                "room_type_title": checklist.room_type_title if checklist else room.room_type,
                "setting": site.setting,
                "setting_title": catalogue.settings.get(site.setting, site.setting),
                "site_id": site.id,
                "site_name": site.name,
                "organisation_id": site.organisation_id,
                "organisation_name": organisations.get(site.organisation_id, ""),
            }
        )
    rooms = pd.DataFrame(
        room_rows,
        columns=["room_id", "room_name", "room_type", "room_type_title", "setting", "setting_title", "site_id",
                 "site_name", "organisation_id", "organisation_name"],
    )  # fmt: skip
    rooms = rooms.sort_values(["organisation_name", "site_name", "room_name", "room_id"], ignore_index=True)
    rooms["label"] = _unique_labels(rooms)

    heads, answers = repository.load_portfolio_frames(session, user, org_ids=sorted(organisations))
    known = heads.set_index(["setting", "room_type"]).index.isin(list(catalogue.checklists))
    heads = heads[known]
    # Each assessment is scored under the catalogue version it was taken with (`scored_version`).
    scores = score_portfolio_versions(catalogue, heads, answers, CatalogueChooser(session, catalogue))
    assessments = scores.summary()
    assessments = assessments.merge(
        rooms[["room_id", "label", "room_type_title", "setting_title"]], on="room_id", how="left"
    )
    assessments = assessments.sort_values(["assessed_on", "assessment_id"], ignore_index=True)

    latest_ids = latest_per_room(assessments)["assessment_id"]
    actions = scores.action_frame(catalogue)
    # The unrounded gain, for ranking exactly as the engine does (action_frame rounds it for display).
    rows = scores.assessment_ids.get_indexer(pd.Index(actions["assessment_id"]))
    columns = scores.item_ids.get_indexer(pd.Index(actions["item_id"]))
    actions["raw_gain"] = scores.gain[rows, columns]
    actions = actions[actions["assessment_id"].isin(latest_ids)]
    actions = actions.merge(
        assessments[["assessment_id", "room_id", "label", "room_name", "site_id", "site_name", "organisation_id",
                     "organisation_name", "status", "assessed_on"]],
        on="assessment_id",
    )  # fmt: skip
    items = {**scores.extra_items, **{item.id: item for item in catalogue.items}}
    actions["question"] = actions["item_id"].map(lambda i: items[i].question)
    actions["how_to_fix"] = actions["item_id"].map(lambda i: items[i].how_to_fix.strip())
    actions["item_name"] = actions["item_id"].map(item_label)
    failed_at, failed_item = np.nonzero(scores.critical_failed)
    failures = pd.DataFrame(
        {
            "assessment_id": scores.assessment_ids.to_numpy()[failed_at],
            "item_id": scores.item_ids.to_numpy()[failed_item],
        }
    )
    failures["item_name"] = failures["item_id"].map(item_label)
    # Ties between rooms' equal fixes go by site, then room, as in the report's plan.
    return Portfolio(
        rooms=rooms,
        assessments=assessments,
        actions=_ranked(actions),
        failures=failures,
        retired=scores.retired,
        version=version,
    )


# --------------------------------------------------------------------------------------------
# Caching (Streamlit): heavy work once per user and data version
# --------------------------------------------------------------------------------------------


def _ranked(actions: pd.DataFrame) -> pd.DataFrame:
    # Equal fixes of several rooms go by site, then room, as in the report's plan.
    return rank_plan_frame(actions, gain="raw_gain", ties=("site_name", "room_name", "room_id"))


def combine(parts: Sequence[Portfolio]) -> Portfolio:
    """Several organisations' portfolios as one: room labels made unique across them, one plan."""
    if len(parts) == 1:
        return parts[0]
    rooms = pd.concat([p.rooms for p in parts], ignore_index=True)
    rooms = rooms.sort_values(["organisation_name", "site_name", "room_name", "room_id"], ignore_index=True)
    rooms["label"] = _unique_labels(rooms)
    labels = rooms.set_index("room_id")["label"]
    assessments = pd.concat([p.assessments for p in parts], ignore_index=True)
    assessments["label"] = assessments["room_id"].map(labels)
    assessments = assessments.sort_values(["assessed_on", "assessment_id"], ignore_index=True)
    actions = pd.concat([p.actions for p in parts], ignore_index=True)
    actions["label"] = actions["room_id"].map(labels)
    return Portfolio(
        rooms=rooms,
        assessments=assessments,
        actions=_ranked(actions),
        failures=pd.concat([p.failures for p in parts], ignore_index=True),
        retired=pd.concat([p.retired for p in parts], ignore_index=True),
        version=max(p.version for p in parts),
    )


# --------------------------------------------------------------------------------------------
# Caching (Streamlit): heavy work once per organisation and its data version
# --------------------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=64)
def _cached_organisation(organisation_id: int, version: int, role: str, _user: UserLike) -> Portfolio:
    from ui import context  # the store and the catalogue are opened once per server

    with context.store().session() as session:
        return build_portfolio(session, _user, context.catalogue(), version, organisation_id=organisation_id)


def cached_portfolio(user: UserLike) -> Portfolio:
    """The user's scored portfolio, one cached part per organisation they may see.

    A part is recomputed only when something was saved in that organisation since
    (`repository.data_versions`), so a save in one organisation leaves the others warm. Everyone
    of one role who may see an organisation sees the same rooms of it, so the part is shared by
    role rather than kept per user.
    """
    from ui import context

    with context.store().session() as session:
        organisations = [o.id for o in repository.list_organisations(session, user)]
        if not organisations:
            return build_portfolio(session, user, context.catalogue())
        versions = repository.data_versions(session, organisations)
    # Shown only when scoring takes a while (a cold part), in the person's language.
    with st.spinner(_("Scoring the portfolio…")):
        return _cached_combined(tuple((org, versions[org]) for org in organisations), str(user.role), user)


@st.cache_data(show_spinner=False, max_entries=64)
def _cached_combined(parts: tuple[tuple[int, int], ...], role: str, _user: UserLike) -> Portfolio:
    """The organisations' cached parts as one portfolio, ranked once per set of data versions rather
    than on every view."""
    return combine([_cached_organisation(org, version, role, _user) for org, version in parts])


# --------------------------------------------------------------------------------------------
# The checklist's titles in the person's language
# --------------------------------------------------------------------------------------------


def titles_in_language(frame: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """`frame` (rooms or assessments) with its setting and room type titles in the current language,
    from the checklist's translation files; ids and everything else as they were."""
    if language() == "en" or frame.empty:
        return frame
    shown = shown_catalogue(catalogue)
    out = frame.copy()
    if "setting_title" in out:
        out["setting_title"] = [shown.settings.get(s, t) for s, t in zip(out["setting"], out["setting_title"],
                                                                           strict=True)]  # fmt: skip
    if "room_type_title" in out:
        out["room_type_title"] = [
            shown.checklists[(s, r)].room_type_title if (s, r) in shown.checklists else t
            for s, r, t in zip(out["setting"], out["room_type"], out["room_type_title"], strict=True)
        ]
    return out


# --------------------------------------------------------------------------------------------
# Chart labels
# --------------------------------------------------------------------------------------------


def short_category_titles(catalogue: Catalogue) -> dict[str, str]:
    """Category titles short enough for a chart axis, in the person's language: 'Noise<br>and
    acoustics', 'Textures' ('Bruit et<br>acoustique')."""
    if language() == DEFAULT_LANGUAGE:
        return {c.id: c.title.split(",")[0].replace(" and ", "<br>and ", 1) for c in catalogue.categories}
    return {c.id: wrap_label(c.title.split(",")[0], 14) for c in shown_catalogue(catalogue).categories}


# --------------------------------------------------------------------------------------------
# Action plan
# --------------------------------------------------------------------------------------------


def action_plan(
    portfolio: Portfolio,
    *,
    sites: Iterable[int] = (),
    categories: Iterable[str] = (),
    efforts: Iterable[str] = (),
    critical_only: bool = False,
) -> pd.DataFrame:
    """The fixes across the portfolio, best first, narrowed by site, category, effort and criticality.

    `critical_only` keeps the fixes of critical items (failed or only short of full marks).
    """
    plan = portfolio.actions
    sites, categories, efforts = list(sites), list(categories), list(efforts)
    if sites:
        plan = plan[plan["site_id"].isin(sites)]
    if categories:
        plan = plan[plan["category"].isin(categories)]
    if efforts:
        plan = plan[plan["effort"].isin(efforts)]
    if critical_only:
        plan = plan[plan["critical"]]
    plan = plan.reset_index(drop=True)
    return plan.assign(rank=np.arange(1, len(plan) + 1))


# --------------------------------------------------------------------------------------------
# One room over time
# --------------------------------------------------------------------------------------------


def room_history(portfolio: Portfolio, room_id: int, *, include_drafts: bool) -> pd.DataFrame:
    """A room's assessments, oldest first, in the shape `reports.figures.score_trend` reads."""
    history = portfolio.assessments[portfolio.assessments["room_id"] == room_id]
    if not include_drafts:
        history = history[history["status"].isin(FINAL_STATUSES)]
    return history.sort_values(["assessed_on", "assessment_id"]).reset_index(drop=True)


# The screens read one assessment through `ui.assessment_view`; its names are offered here too, so a
# page needs one import for its data.
from ui.assessment_view import (  # noqa: E402
    MAX_COMPARE,
    MIN_COMPARE,
    ItemRow,
    ScoredAssessment,
    cached_scored,
    compare_items,
    default_compare,
    score_assessment_of,
    score_mark,
    target_words,
)

# The Overview's filters and shaping live in `ui.overview_view`; offered here with the portfolio.
from ui.overview_view import (  # noqa: E402
    NO_BAND,
    Filters,
    OverviewData,
    apply_filters,
    assessment_months,
    band_cell_style,
    heatmap_rows,
    month_end,
    status_label,
)
