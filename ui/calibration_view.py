"""The Calibration screen's data: the rounds a manager or consultant may read and their agreement figures.

Plain functions over the store and `reports.calibration`; the page only lays them out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from assessments import repository
from assessments.access import UserLike
from assessments.errors import StoreError
from assessments.models import AssessmentStatus
from assessments.roles import allowed
from reports.calibration import (
    CalibrationSection,
    collect_calibration,
    item_rows,
    poor_item_ids,
    score_rows,
)
from ui import context
from ui.dates import format_day
from ui.i18n import N_, _, language

__all__ = [
    "ORGANISERS",
    "READERS",
    "RoundOptions",
    "close_round",
    "items_frame",
    "mark_round",
    "organisations",
    "poor_frame",
    "poor_items",
    "round_choices",
    "round_options",
    "round_section",
    "scores_frame",
    "start_round",
]

READERS = allowed("read_calibration")
# Who may mark or start a round (the store checks it again).
ORGANISERS = allowed("run_calibration")
# The headings and words of the agreement tables (`reports.calibration` rows), shown in the reader's language.
HEADINGS = {
    text: text
    for text in (
        N_("Item"), N_("Question"), N_("Method"), N_("Rooms"), N_("Exact agreement"), N_("Figure"), N_("95 % CI"),
        N_("Mean abs. difference"), N_("Agreement"), N_("Why no figure"), N_("Score"),
        N_("Mean abs. difference (points)"), N_("Room"),
    )
}  # fmt: skip
WORDS = {text: text for text in (N_("poor"), N_("good"), N_("no figure"), N_("Overall"))}
MODES = {"independent": N_("independent"), "marked": N_("marked")}


@dataclass(frozen=True)
class RoundOptions:
    """What a new round of one organisation can be made of: id -> label."""

    rooms: dict[int, str]
    assessors: dict[int, str]
    assessments: dict[int, str]


def organisations(user: UserLike) -> dict[int, str]:
    with context.store().session() as session:
        return {o.id: o.name for o in repository.list_organisations(session, user)}


def round_options(user: UserLike, organisation_id: int) -> RoundOptions:
    with context.store().session() as session:
        sites = {s.id: s.name for s in repository.list_sites(session, user, organisation_id)}
        rooms = {
            r.id: f"{sites[r.site_id]} · {r.name}"
            for site_id in sites
            for r in repository.list_rooms(session, user, site_id)
        }
        assessors = {
            u.id: u.name
            for u in repository.list_users(session, user)
            if u.active and u.role in allowed("assess") and organisation_id in {o.id for o in u.organisations}
        }
        finished = [
            a
            for a in repository.list_assessments(session, user, organisation_id=organisation_id)
            if a.status is not AssessmentStatus.draft
        ]
        assessments = {
            a.id: f"{rooms.get(a.room_id, a.room_id)} · {a.assessor} · {format_day(a.assessed_on, 'dd MMM y')}"
            for a in reversed(finished)
        }
    return RoundOptions(rooms=rooms, assessors=assessors, assessments=assessments)


def start_round(
    user: UserLike, name: str, room_ids: list[int], assessor_ids: list[int], starts_on: dt.date, window_days: int
) -> int | str:
    """Start an independent round: its id, or the store's refusal as a sentence."""
    try:
        with context.store().session() as session:
            round_ = repository.start_calibration_round(
                session, user, name, room_ids, assessor_ids, starts_on=starts_on, window_days=window_days
            )
    except StoreError as error:
        return str(error)
    return round_.id


def mark_round(user: UserLike, name: str, assessment_ids: list[int], window_days: int) -> int | str:
    """Mark assessments already taken as a round: its id, or the store's refusal as a sentence."""
    try:
        with context.store().session() as session:
            round_ = repository.mark_calibration_round(session, user, name, assessment_ids, window_days=window_days)
    except StoreError as error:
        return str(error)
    return round_.id


def close_round(user: UserLike, round_id: int) -> str | None:
    """Close an independent round early; None when done, else the store's refusal."""
    try:
        with context.store().session() as session:
            repository.close_calibration_round(session, user, round_id)
    except StoreError as error:
        return str(error)
    return None


def round_choices(user: UserLike) -> dict[int, str]:
    """Round id -> "name (mode, from date)", newest first."""
    with context.store().session() as session:
        rounds = repository.list_calibration_rounds(session, user)
    return {
        r.id: _("{name} ({mode}, from {date})").format(
            name=r.name, mode=_(MODES.get(r.mode.value, r.mode.value)), date=format_day(r.starts_on, "dd MMM y")
        )
        for r in rounds
    }


def round_section(user: UserLike, round_id: int) -> CalibrationSection:
    with context.store().session() as session:
        return collect_calibration(session, user, round_id, catalogue=context.catalogue())


def poor_items(user: UserLike) -> dict[str, str]:
    """Items with poor agreement in the newest round of each organisation (none for staff).

    Worked out again only when something was saved in one of the user's organisations (a round
    started, marked or closed, an assessment submitted) or the day changed (a round's window ends).
    """
    if user.role not in READERS:
        return {}
    with context.store().session() as session:
        organisations = [o.id for o in repository.list_organisations(session, user)]
        versions = tuple(sorted(repository.data_versions(session, organisations).items()))
    return _cached_poor_items(user.id, versions, dt.date.today(), user, language())


@st.cache_data(show_spinner=False, max_entries=64)
def _cached_poor_items(
    user_id: int, versions: tuple[tuple[int, int], ...], today: dt.date, _user: UserLike, lang: str = "en"
) -> dict[str, str]:
    with context.store().session() as session:
        rounds = repository.list_calibration_rounds(session, _user)
        newest: dict[int, int] = {}
        for r in rounds:  # newest first
            newest.setdefault(r.organisation_id, r.id)
        sections = [collect_calibration(session, _user, rid, catalogue=context.catalogue()) for rid in newest.values()]
    return poor_item_ids(sections)


def shown(frame: pd.DataFrame) -> pd.DataFrame:
    """A table of the screen with its headings and its words (poor, good, Overall) in the reader's language."""
    words = frame.map(lambda v: _(WORDS[v]) if isinstance(v, str) and v in WORDS else v)
    return words.rename(columns=lambda c: _(HEADINGS[c]) if c in HEADINGS else c)


def items_frame(section: CalibrationSection) -> pd.DataFrame:
    return shown(pd.DataFrame(item_rows(context.catalogue(), section.agreement)))


def scores_frame(section: CalibrationSection) -> pd.DataFrame:
    return shown(pd.DataFrame(score_rows(context.catalogue(), section.agreement)))


def poor_frame(section: CalibrationSection) -> pd.DataFrame:
    """One row per poor item and room, with each assessor's answer in its own column."""
    agreement = section.agreement
    rows = []
    for poor in agreement.poor:
        for room, given in poor.answers:
            rows.append({"Item": poor.agreement.item_id, "Room": room, **given})
    return pd.DataFrame(rows, columns=["Item", "Room", *agreement.raters])
