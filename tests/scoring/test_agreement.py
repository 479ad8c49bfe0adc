"""Agreement figures against published worked examples, a second library, and their properties."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn.metrics import cohen_kappa_score
from statsmodels.formula.api import ols
from statsmodels.stats.anova import anova_lm

from checklists.loader import default_catalogue
from checklists.responses import Answer
from scoring.agreement import RatedUnit, Thresholds, categorical_kappa, icc21, round_agreement
from scoring.engine import evaluate

CATALOGUE = default_catalogue()
CHECKLIST = CATALOGUE.checklist("school", "classroom")


def test_icc21_equals_shrout_and_fleiss_worked_example() -> None:
    # Shrout, P. E. and Fleiss, J. L. (1979), "Intraclass correlations: uses in assessing rater
    # reliability", Psychological Bulletin 86(2), 420-428, Table 2: six targets, four judges.
    # Their ICC(2,1) is 0.29; the pingouin documentation of intraclass_corr prints the same data's
    # ICC2 as 0.290 with the 95 % interval [0.02, 0.76].
    ratings = np.array([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]])
    result = icc21(ratings)
    assert result is not None
    assert round(result.icc, 3) == 0.290
    assert (round(result.low, 2), round(result.high, 2)) == (0.02, 0.76)


def _codes(table: list[list[int]]) -> np.ndarray:
    return np.array([(i, j) for i, row in enumerate(table) for j, n in enumerate(row) for _ in range(n)])


def test_weighted_kappa_equals_the_sas_worked_example() -> None:
    # SAS/STAT PROC FREQ documentation, agreement example of a 3 x 3 table (as printed in the
    # statsmodels test suite): simple kappa 0.4842, weighted kappa (Cicchetti-Allison weights) 0.4701.
    table = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]
    assert round(categorical_kappa(_codes(table), 3) or 0, 4) == 0.4701


def test_fleiss_kappa_equals_the_wikipedia_worked_example() -> None:
    # Fleiss' kappa worked example (Wikipedia, "Fleiss' kappa"): 10 subjects, 14 raters, 5 categories, kappa 0.210.
    counts = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
              [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]  # fmt: skip
    codes = np.array([[c for c, n in enumerate(row) for _ in range(n)] for row in counts])
    assert round(categorical_kappa(codes, 5) or 0, 3) == 0.210


def _icc21_from_statsmodels_anova(ratings: np.ndarray) -> tuple[float, float, float]:
    """ICC(2,1) and its 95 % interval (McGraw and Wong 1996, case A,1), the mean squares from a
    statsmodels two-way ANOVA: a second route to the figure the product takes from pingouin."""
    n, k = ratings.shape
    long = pd.DataFrame({"room": np.repeat(np.arange(n), k), "rater": np.tile(np.arange(k), n), "x": ratings.ravel()})
    table = anova_lm(ols("x ~ C(room) + C(rater)", data=long).fit())
    msr, msc, mse = (float(table.loc[row, "mean_sq"]) for row in ("C(room)", "C(rater)", "Residual"))
    icc = (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n)
    fj = msc / mse
    v = (k - 1) * (n - 1) * (k * icc * fj + n * (1 + (k - 1) * icc) - k * icc) ** 2
    v /= (n - 1) * k**2 * icc**2 * fj**2 + (n * (1 + (k - 1) * icc) - k * icc) ** 2
    f_upper, f_lower = stats.f.ppf(0.975, n - 1, v), stats.f.ppf(0.975, v, n - 1)
    low = n * (msr - f_upper * mse) / (f_upper * (k * msc + (k * n - k - n) * mse) + n * msr)
    high = n * (f_lower * msr - mse) / (k * msc + (k * n - k - n) * mse + n * f_lower * msr)
    return icc, low, high


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=5, max_value=40), st.integers(min_value=2, max_value=4), st.integers(0, 10**6))
def test_icc21_equals_a_statsmodels_anova_on_generated_data(n: int, k: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    truth = rng.normal(50, 10, size=(n, 1))
    ratings = truth + rng.normal(0, 5, size=(n, k)) + rng.normal(0, 2, size=(1, k))
    icc, low, high = _icc21_from_statsmodels_anova(ratings)
    result = icc21(ratings)
    assert result is not None
    assert (result.icc, result.low, result.high) == pytest.approx((icc, low, high), abs=1e-9)
    assert (result.units, result.raters) == (n, k)


def test_icc21_of_raters_a_constant_apart_has_a_one_point_interval() -> None:
    # The second assessor reads every room 20 lx higher: no residual error, yet not identical.
    first = np.array([300.0, 420.0, 510.0, 610.0, 250.0])
    result = icc21(np.column_stack([first, first + 20]))
    assert result is not None
    assert result.low == result.high == result.icc
    assert 0.9 < result.icc < 1.0
    perfect = icc21(np.column_stack([first, first]))
    assert perfect is not None
    assert perfect.icc == pytest.approx(1.0)


def test_icc21_gives_no_figure_without_spread_or_raters() -> None:
    assert icc21(np.full((6, 2), 400.0)) is None
    assert icc21(np.array([[300.0, 310.0]])) is None
    assert icc21(np.array([[300.0], [310.0], [320.0]])) is None


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=5, max_value=60), st.integers(0, 10**6))
def test_weighted_kappa_equals_scikit_learn_on_generated_data(n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    first = rng.integers(0, 5, size=n)
    second = np.clip(first + rng.integers(-1, 2, size=n), 0, 4)
    expected = cohen_kappa_score(first, second, weights="linear", labels=[0, 1, 2, 3, 4])
    value = categorical_kappa(np.column_stack([first, second]), 5)
    if np.isnan(expected):
        assert value is None
    else:
        assert value == pytest.approx(expected, abs=1e-9)


def _answers(rng: random.Random) -> dict[str, Answer]:
    answers: dict[str, Answer] = {}
    for resolved in CHECKLIST.items:
        item = resolved.item
        if item.kind.value == "yes_no":
            answers[item.id] = rng.random() < 0.5
        elif item.kind.value == "rating":
            answers[item.id] = rng.randint(0, 4)
        elif item.kind.value == "choice":
            answers[item.id] = rng.choice([o.value for o in item.options or []])
        elif item.kind.value == "measurement" and resolved.target is not None:
            lo, hi = resolved.target.limit
            answers[item.id] = (rng.uniform(lo or 0, hi or (lo or 0) + 100),)
    return answers


def _units(raters: list[dict[str, dict[str, Answer]]]) -> list[RatedUnit]:
    return [RatedUnit(str(n), f"Room {n}", "school", "classroom", r) for n, r in enumerate(raters)]


def _round(n: int, seed: int) -> list[dict[str, dict[str, Answer]]]:
    rng = random.Random(seed)
    rooms = []
    for _ in range(n):
        a = _answers(rng)
        rooms.append({"Ann": a, "Bob": dict(a)})
    return rooms


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10**6))
def test_identical_assessments_agree_perfectly(seed: int) -> None:
    result = round_agreement(CATALOGUE, _units(_round(8, seed)))
    assert result.units == 8
    assert result.overall_exact == 1.0
    assert result.overall.icc == pytest.approx(1.0)
    assert result.overall.mean_abs_diff == 0.0
    for item in result.items:
        assert item.exact in (None, 1.0)
        assert item.figure is None or item.figure == pytest.approx(1.0), item.item_id
    assert result.poor == ()


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10**6))
def test_agreement_never_rises_when_answers_are_shuffled_between_rooms(seed: int) -> None:
    rooms = _round(8, seed)
    before = round_agreement(CATALOGUE, _units(rooms))
    bobs = [r["Bob"] for r in rooms]
    random.Random(seed).shuffle(bobs)
    after = round_agreement(CATALOGUE, _units([{"Ann": r["Ann"], "Bob": b} for r, b in zip(rooms, bobs, strict=True)]))
    assert after.overall_exact is not None
    assert before.overall_exact is not None
    assert after.overall_exact <= before.overall_exact
    assert (after.overall.icc or 0) <= (before.overall.icc or 0) + 1e-9
    for old, new in zip(before.items, after.items, strict=True):
        if old.figure is not None and new.figure is not None:
            assert new.figure <= old.figure + 1e-9, old.item_id


def test_a_round_with_fewer_rooms_than_the_minimum_gives_no_figure() -> None:
    rooms = _round(4, 7)
    rooms[0]["Bob"] = dict(rooms[0]["Bob"], **{"lighting.glare": not rooms[0]["Ann"]["lighting.glare"]})
    result = round_agreement(CATALOGUE, _units(rooms), Thresholds(min_units=5))
    assert result.overall.icc is None
    assert result.overall.no_figure == "4 rooms rated by every assessor; at least 5 needed for a figure"
    glare = next(i for i in result.items if i.item_id == "lighting.glare")
    assert glare.kappa is None
    assert glare.exact == 0.75
    assert all(i.figure is None for i in result.items)
    assert result.poor == ()


def test_poor_items_carry_answers_and_cost() -> None:
    rooms = _round(6, 3)
    for n, room in enumerate(rooms):
        room["Bob"] = dict(
            room["Bob"], **{"textures.visual_clutter": (room["Ann"]["textures.visual_clutter"] + 2 + n) % 5}
        )
    three = [dict(r, Cy=dict(r["Ann"])) for r in rooms]
    result = round_agreement(CATALOGUE, _units(rooms))
    (poor,) = result.poor
    assert poor.agreement.item_id == "textures.visual_clutter"
    assert poor.agreement.method == "weighted kappa"
    assert poor.agreement.kappa is not None
    assert poor.agreement.kappa < 0.6
    assert poor.cost is not None
    assert poor.cost > 0
    assert poor.question == CATALOGUE.item("textures.visual_clutter").question
    assert len(poor.answers) == 6
    assert set(poor.answers[0][1]) == {"Ann", "Bob"}
    # The cost is what the engine gives when the first assessor's answer is swapped for the second's.
    moves = []
    for room in rooms:
        swapped = dict(room["Ann"], **{"textures.visual_clutter": room["Bob"]["textures.visual_clutter"]})
        before, after = evaluate(CHECKLIST, room["Ann"]).overall, evaluate(CHECKLIST, swapped).overall
        assert before is not None
        assert after is not None
        moves.append(abs(after - before))
    assert poor.cost == pytest.approx(sum(moves) / len(moves), abs=1e-9)
    # Three assessors: Fleiss' kappa.
    fleiss = round_agreement(CATALOGUE, _units(three))
    assert next(i for i in fleiss.items if i.item_id == "textures.visual_clutter").method == "Fleiss' kappa"


def test_a_round_nobody_or_one_assessor_has_assessed_gives_no_figure() -> None:
    answers: dict[str, Answer] = {"lighting.glare": True}
    one = RatedUnit(key="1", label="Room 1", setting="school", room_type="classroom", ratings={"Ann": answers})
    for units in ([], [one]):
        result = round_agreement(CATALOGUE, units)
        assert (result.units, result.items, result.categories, result.overall_exact) == (0, (), {}, None)
        assert result.overall.icc is None
        assert result.overall.no_figure == "0 rooms rated by every assessor; at least 5 needed for a figure"
