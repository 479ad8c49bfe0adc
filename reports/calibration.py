"""Calibration rounds as the screens and reports show them: agreement figures and the items to clarify.

`collect_calibration` reads a round from the store and scores its agreement with
`scoring.agreement.round_agreement`; the table functions turn the result into rows of plain
values, the same rows for the Calibration screen, the PDF section and the workbook sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from assessments import repository
from assessments.access import UserLike
from assessments.models import Role
from checklists.loader import default_catalogue
from checklists.schema import Catalogue
from scoring.agreement import RatedUnit, RoundAgreement, ScoreAgreement, Thresholds, round_agreement

__all__ = [
    "CalibrationSection",
    "collect_calibration",
    "collect_organisation_calibration",
    "item_rows",
    "poor_item_ids",
    "poor_rows",
    "score_rows",
]

_READERS = frozenset({Role.manager, Role.consultant, Role.admin})


@dataclass(frozen=True)
class CalibrationSection:
    """One calibration round and its agreement figures."""

    summary: repository.RoundSummary
    agreement: RoundAgreement


def collect_calibration(
    session: Session,
    user: UserLike,
    round_id: int,
    thresholds: Thresholds | None = None,
    catalogue: Catalogue | None = None,
) -> CalibrationSection:
    summary = repository.get_calibration_round(session, user, round_id)
    units = [
        RatedUnit(key=u.key, label=u.label, setting=u.setting, room_type=u.room_type, ratings=u.ratings)
        for u in repository.calibration_units(session, user, round_id)
    ]
    agreement = round_agreement(catalogue or default_catalogue(), units, thresholds)
    return CalibrationSection(summary=summary, agreement=agreement)


def collect_organisation_calibration(
    session: Session, user: UserLike, organisation_id: int, catalogue: Catalogue | None = None
) -> tuple[CalibrationSection, ...]:
    """Every round of an organisation the user may read (none for staff, who do not read rounds)."""
    if user.role not in _READERS:
        return ()
    rounds = repository.list_calibration_rounds(session, user, organisation_id)
    return tuple(collect_calibration(session, user, r.id, catalogue=catalogue) for r in rounds)


def poor_item_ids(sections: Sequence[CalibrationSection]) -> dict[str, str]:
    """Item id -> a sentence naming the round and figure, for items with poor agreement."""
    marked: dict[str, str] = {}
    for section in sections:
        for poor in section.agreement.poor:
            figure = poor.agreement.figure
            name = "ICC" if poor.agreement.score is not None else "kappa"
            marked.setdefault(
                poor.agreement.item_id,
                f"Assessors disagree ({name} {_num(figure, 2)} in {section.summary.name}): read the guidance closely.",
            )
    return marked


def _num(value: float | None, places: int) -> str:
    return "—" if value is None else f"{value:.{places}f}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f} %"


def item_rows(catalogue: Catalogue, agreement: RoundAgreement) -> list[dict[str, Any]]:
    """One row per item: how often the assessors agreed, and the chance-corrected figure."""
    by_id = {i.id: i for i in catalogue.items}
    rows = []
    for item in agreement.items:
        figure = item.figure
        interval = ""
        if item.score is not None and item.score.icc_low is not None and item.score.icc_high is not None:
            interval = f"{item.score.icc_low:.2f} to {item.score.icc_high:.2f}"
        rows.append(
            {
                "Item": item.item_id,
                "Question": by_id[item.item_id].question,
                "Method": item.method,
                "Rooms": item.units,
                "Exact agreement": _pct(item.exact),
                "Figure": _num(figure, 2),
                "95 % CI": interval,
                "Mean abs. difference": _num(item.score.mean_abs_diff if item.score else None, 1),
                "Agreement": "poor" if item.poor else ("no figure" if figure is None else "good"),
                "Why no figure": item.no_figure or "",
            }
        )
    return rows


def _score_row(label: str, score: ScoreAgreement) -> dict[str, Any]:
    interval = ""
    if score.icc_low is not None and score.icc_high is not None:
        interval = f"{score.icc_low:.2f} to {score.icc_high:.2f}"
    return {
        "Score": label,
        "Rooms": score.units,
        "ICC(2,1)": _num(score.icc, 2),
        "95 % CI": interval,
        "Mean abs. difference (points)": _num(score.mean_abs_diff, 1),
        "Why no figure": score.no_figure or "",
    }


def score_rows(catalogue: Catalogue, agreement: RoundAgreement) -> list[dict[str, Any]]:
    """The category scores and the overall score: ICC(2,1), its interval and the mean absolute difference."""
    titles = {c.id: c.title for c in catalogue.categories}
    rows = [_score_row(titles.get(c, c), s) for c, s in agreement.categories.items()]
    rows.append(_score_row("Overall", agreement.overall))
    return rows


def poor_rows(agreement: RoundAgreement) -> list[dict[str, Any]]:
    """The items to clarify: question, guidance, what it cost, and each assessor's answer per room."""
    rows = []
    for poor in agreement.poor:
        answers = "; ".join(
            f"{room}: " + ", ".join(f"{rater} {answer}" for rater, answer in given.items())
            for room, given in poor.answers
        )
        rows.append(
            {
                "Item": poor.agreement.item_id,
                "Question": poor.question,
                "Guidance": poor.guidance,
                "Figure": f"{poor.agreement.method} {_num(poor.agreement.figure, 2)}",
                "Cost (points)": _num(poor.cost, 1),
                "Answers": answers,
            }
        )
    return rows
