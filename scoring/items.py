"""One answer -> one item score in [0, 1]: a function per item kind (DESIGN.md, "Item kinds")."""

from __future__ import annotations

import math
from collections.abc import Sequence
from enum import StrEnum

from checklists.i18n import N_
from checklists.responses import NA, Answer, Flicker
from checklists.schema import ItemKind, Option, ResolvedItem, Target

__all__ = [
    "FlickerRisk",
    "clean",
    "flicker_risk",
    "round_half_up",
    "score_answer",
    "score_choice",
    "score_flicker",
    "score_measurement",
    "score_rating",
    "score_reading",
    "score_yes_no",
]

# Threshold tests (band, provisional, critical failure, "below 1") compare values cleaned of
# floating-point noise, so 85 computed as 84.99999999999999 is still band A.
NOISE_DIGITS = 9


def clean(value: float) -> float:
    return round(value, NOISE_DIGITS)


def round_half_up(value: float, digits: int) -> float:
    """Round for output the way a person does (2.25 -> 2.3), immune to floating-point noise."""
    scale = 10.0**digits
    return math.floor(round(value * scale, 6) + 0.5) / scale


def score_yes_no(answer: bool, good_answer: bool) -> float:
    return 1.0 if answer == good_answer else 0.0


def score_choice(answer: str, options: Sequence[Option]) -> float:
    for option in options:
        if option.value == answer:
            return option.score
    raise ValueError(f"unknown option {answer!r}")


def score_rating(answer: int) -> float:
    return answer / 4


def score_reading(value: float, target: Target) -> float:
    """1 inside `ideal`, 0 outside `limit`, linear in between.

    An open (null) limit end has no point where the score reaches 0, so a reading beyond the ideal
    on that side keeps the full score: the ramp's limit as the limit end moves away.
    """
    (ideal_lo, ideal_hi), (limit_lo, limit_hi) = target.ideal, target.limit
    if ideal_lo is not None and value < ideal_lo:
        if limit_lo is None:
            return 1.0
        if value <= limit_lo:
            return 0.0
        return (value - limit_lo) / (ideal_lo - limit_lo)
    if ideal_hi is not None and value > ideal_hi:
        if limit_hi is None:
            return 1.0
        if value >= limit_hi:
            return 0.0
        return (limit_hi - value) / (limit_hi - ideal_hi)
    return 1.0


def score_measurement(readings: Sequence[float], target: Target) -> float:
    """Several readings (e.g. morning and afternoon) score as the mean of their scores."""
    return sum(score_reading(value, target) for value in readings) / len(readings)


class FlickerRisk(StrEnum):
    """IEEE 1789-2015 risk regions for percent modulation at a frequency."""

    # Marked for the reports' catalogue: a report shows them translated.
    no_risk = N_("no risk")
    low_risk = N_("low risk")
    high_risk = N_("high risk")

    @property
    def score(self) -> float:
        return {FlickerRisk.no_risk: 1.0, FlickerRisk.low_risk: 0.5, FlickerRisk.high_risk: 0.0}[self]


# The IEEE 1789-2015 regions, the one definition that the engine and the portfolio scorer share:
# below SLOW_BELOW_HZ the no-risk and low-risk limits are these fractions of the frequency (percent
# per Hz), from there to FREE_ABOVE_HZ the second pair, and above FREE_ABOVE_HZ there is no risk.
FLICKER_SLOW_BELOW_HZ = 90.0
FLICKER_FREE_ABOVE_HZ = 3000.0
FLICKER_SLOW_LIMITS = (0.01, 0.025)
FLICKER_FAST_LIMITS = (0.0333, 0.08)


def flicker_risk(percent: float, frequency_hz: float) -> FlickerRisk:
    """Below 90 Hz: no risk under 0.01*f %, low risk under 0.025*f %. From 90 to 3000 Hz: no risk
    under 0.0333*f %, low risk under 0.08*f % (which covers every percentage above 1250 Hz).
    Above 3000 Hz: no risk."""
    if frequency_hz > FLICKER_FREE_ABOVE_HZ:
        return FlickerRisk.no_risk
    no_share, low_share = FLICKER_SLOW_LIMITS if frequency_hz < FLICKER_SLOW_BELOW_HZ else FLICKER_FAST_LIMITS
    no_risk, low_risk = no_share * frequency_hz, low_share * frequency_hz
    if percent < no_risk:
        return FlickerRisk.no_risk
    if percent < low_risk:
        return FlickerRisk.low_risk
    return FlickerRisk.high_risk


def score_flicker(reading: Flicker) -> float:
    return flicker_risk(reading.percent, reading.frequency_hz).score


def score_answer(resolved: ResolvedItem, answer: Answer) -> float | None:
    """The item score of a typed answer; None for n/a and for unscored evidence (text, photo)."""
    item = resolved.item
    if (isinstance(answer, str) and answer == NA) or not item.scored:
        return None
    kind = item.kind
    if kind is ItemKind.yes_no and isinstance(answer, bool):
        assert item.good_answer is not None
        return score_yes_no(answer, item.good_answer)
    if kind is ItemKind.choice and isinstance(answer, str):
        assert item.options is not None
        return score_choice(answer, item.options)
    if kind is ItemKind.rating and isinstance(answer, int) and not isinstance(answer, bool):
        return score_rating(answer)
    if kind is ItemKind.measurement and isinstance(answer, tuple):
        assert resolved.target is not None
        return score_measurement(answer, resolved.target)
    if kind is ItemKind.flicker and isinstance(answer, Flicker):
        return score_flicker(answer)
    raise TypeError(f"{item.id}: a {kind.value} item cannot score {answer!r}")
