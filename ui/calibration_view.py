"""The Calibration screen's data: the rounds a manager or consultant may read and their agreement figures.

Plain functions over the store and `reports.calibration`; the page only lays them out.
"""

from __future__ import annotations

import pandas as pd

from assessments import repository
from assessments.access import UserLike
from assessments.models import Role
from reports.calibration import (
    CalibrationSection,
    collect_calibration,
    item_rows,
    poor_item_ids,
    score_rows,
)
from ui import context

__all__ = ["READERS", "items_frame", "poor_frame", "poor_items", "round_choices", "round_section", "scores_frame"]

READERS = frozenset({Role.manager, Role.consultant, Role.admin})


def round_choices(user: UserLike) -> dict[int, str]:
    """Round id -> "name (mode, from date)", newest first."""
    with context.store().session() as session:
        rounds = repository.list_calibration_rounds(session, user)
    return {r.id: f"{r.name} ({r.mode.value}, from {r.starts_on:%d %b %Y})" for r in rounds}


def round_section(user: UserLike, round_id: int) -> CalibrationSection:
    with context.store().session() as session:
        return collect_calibration(session, user, round_id, catalogue=context.catalogue())


def poor_items(user: UserLike) -> dict[str, str]:
    """Items with poor agreement in the newest round of each organisation (none for staff)."""
    if user.role not in READERS:
        return {}
    with context.store().session() as session:
        rounds = repository.list_calibration_rounds(session, user)
        newest: dict[int, int] = {}
        for r in rounds:  # newest first
            newest.setdefault(r.organisation_id, r.id)
        sections = [collect_calibration(session, user, rid, catalogue=context.catalogue()) for rid in newest.values()]
    return poor_item_ids(sections)


def items_frame(section: CalibrationSection) -> pd.DataFrame:
    return pd.DataFrame(item_rows(context.catalogue(), section.agreement))


def scores_frame(section: CalibrationSection) -> pd.DataFrame:
    return pd.DataFrame(score_rows(context.catalogue(), section.agreement))


def poor_frame(section: CalibrationSection) -> pd.DataFrame:
    """One row per poor item and room, with each assessor's answer in its own column."""
    agreement = section.agreement
    rows = []
    for poor in agreement.poor:
        for room, given in poor.answers:
            rows.append({"Item": poor.agreement.item_id, "Room": room, **given})
    return pd.DataFrame(rows, columns=["Item", "Room", *agreement.raters])
