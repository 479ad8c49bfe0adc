"""The scoring engine: how a room's answers become item scores, a room score, a band and an action plan.

A library on its own (no files, no database, no screens), so a script, a notebook or another
service can call it. `score_assessment` scores one assessment and returns a `RoomScore`, the
contract of `sensory-audit score --format json`; `score_portfolio` scores many at once with pandas
and gives the same numbers. The rules are written out in docs/scoring.md.

    from checklists import default_catalogue
    from scoring import score_assessment
    result = score_assessment(default_catalogue(), {"setting": "school", "room_type": "classroom", ...})
"""

import importlib
import typing

from scoring.actions import Action
from scoring.engine import (
    BAND_LABELS,
    BAND_THRESHOLDS,
    CRITICAL_FAIL_BELOW,
    PROVISIONAL_BELOW,
    Band,
    CategoryScore,
    ItemResult,
    ItemStatus,
    RoomScore,
    band_for,
    score_assessment,
)
from scoring.items import FlickerRisk, flicker_risk, score_answer, score_reading

if typing.TYPE_CHECKING:
    from scoring.portfolio import ANSWER_COLUMNS, PortfolioScores, answers_frame, score_portfolio

__all__ = [
    "ANSWER_COLUMNS",
    "BAND_LABELS",
    "BAND_THRESHOLDS",
    "CRITICAL_FAIL_BELOW",
    "PROVISIONAL_BELOW",
    "Action",
    "Band",
    "CategoryScore",
    "FlickerRisk",
    "ItemResult",
    "ItemStatus",
    "PortfolioScores",
    "RoomScore",
    "answers_frame",
    "band_for",
    "flicker_risk",
    "score_answer",
    "score_assessment",
    "score_portfolio",
    "score_reading",
]

# The portfolio scorer needs pandas, which takes about a second to import: it is loaded on first
# use, so scoring one file from the command line stays quick.
_LAZY = dict.fromkeys(("ANSWER_COLUMNS", "PortfolioScores", "answers_frame", "score_portfolio"), "scoring.portfolio")


def __getattr__(name: str) -> typing.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'scoring' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
