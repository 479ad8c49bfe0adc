"""The agreement statistics behind calibration rounds, each from a well-kept library.

- `icc21`: the intraclass correlation ICC(2,1) of a rooms x raters matrix (two-way random effects,
  absolute agreement, single rater) with its 95 % interval, from pingouin.
- `categorical_kappa`: weighted Cohen's kappa for two raters, Fleiss' kappa for three or more,
  from statsmodels.
- `exact_agreement` and `mean_abs_diff`: the share of rater pairs giving the same answer, and how
  far apart the raters' values are on average.

`scoring.agreement` applies them to a whole round. Pure functions of arrays.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pingouin
from statsmodels.stats import inter_rater

__all__ = ["IccResult", "categorical_kappa", "exact_agreement", "icc21", "mean_abs_diff"]


@dataclass(frozen=True)
class IccResult:
    icc: float
    low: float
    high: float
    units: int
    raters: int


def icc21(matrix: np.ndarray) -> IccResult | None:
    """ICC(2,1) of a rooms x raters matrix with its 95 % confidence interval.

    The figure and McGraw and Wong's interval come from `pingouin.intraclass_corr` (its ICC(A,1):
    two-way random effects, absolute agreement, single rater; Shrout and Fleiss 1979, case 2),
    unrounded. None when the figure is undefined (fewer than 2 rooms or raters, or no spread at all).
    """
    x = np.asarray(matrix, dtype=float)
    n, k = x.shape
    if n < 2 or k < 2 or np.ptp(x) == 0:
        return None
    residuals = x - x.mean(axis=1, keepdims=True) - x.mean(axis=0, keepdims=True) + x.mean()
    if np.allclose(residuals, 0):
        # Each rater's values are every other rater's shifted by a constant: no residual error
        # left, so the interval shrinks to the one point (pingouin would divide by zero).
        return _icc_without_error(x)
    long = pd.DataFrame({"room": np.repeat(np.arange(n), k), "rater": np.tile(np.arange(k), n), "x": x.ravel()})
    with warnings.catch_warnings(), _unrounded_intervals():
        # pingouin 0.7 passes `inplace` to DataFrame.dropna, which pandas 3.1 deprecates.
        warnings.simplefilter("ignore", pd.errors.Pandas4Warning)
        table = pingouin.intraclass_corr(long, targets="room", raters="rater", ratings="x").set_index("Type")
    icc = float(table.loc["ICC(A,1)", "ICC"])
    low, high = (float(v) for v in table.loc["ICC(A,1)", "CI95"])
    if not all(math.isfinite(v) for v in (icc, low, high)):
        return None
    return IccResult(icc=icc, low=low, high=high, units=n, raters=k)


def _icc_without_error(x: np.ndarray) -> IccResult | None:
    n, k = x.shape
    msr = k * float(np.var(x.mean(axis=1), ddof=1))
    msc = n * float(np.var(x.mean(axis=0), ddof=1))
    denominator = msr + k * msc / n
    if denominator <= 0:
        return None
    icc = msr / denominator
    return IccResult(icc=icc, low=icc, high=icc, units=n, raters=k)


_PINGOUIN_OPTIONS = threading.Lock()


@contextlib.contextmanager
def _unrounded_intervals() -> Iterator[None]:
    """pingouin rounds confidence intervals to 2 decimals by default; the figures here keep them whole."""
    # The option is global to the process and screens run in threads: one change at a time.
    with _PINGOUIN_OPTIONS:
        saved = pingouin.options.get("round.column.CI95")
        pingouin.options["round.column.CI95"] = None
        try:
            yield
        finally:
            pingouin.options["round.column.CI95"] = saved


def mean_abs_diff(x: np.ndarray) -> float:
    pairs = list(itertools.combinations(range(x.shape[1]), 2))
    return float(np.mean([np.abs(x[:, i] - x[:, j]).mean() for i, j in pairs]))


def categorical_kappa(codes: np.ndarray, n_levels: int) -> float | None:
    """Weighted Cohen's kappa (two raters) or Fleiss' kappa (three or more) of rooms x raters codes."""
    k = codes.shape[1]
    if k == 2:
        table = np.zeros((n_levels, n_levels))
        np.add.at(table, (codes[:, 0], codes[:, 1]), 1)
        # Linear weights on the level positions: a rating one level apart is half-way agreement
        # on a three-level item, a quarter off on the five rating levels.
        with np.errstate(divide="ignore", invalid="ignore"):
            value = float(inter_rater.cohens_kappa(table, wt="linear", return_results=False))
    else:
        counts = np.zeros((codes.shape[0], n_levels))
        for column in range(k):
            np.add.at(counts, (np.arange(codes.shape[0]), codes[:, column]), 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = float(inter_rater.fleiss_kappa(counts, method="fleiss"))
    return value if math.isfinite(value) else None


def exact_agreement(codes: np.ndarray) -> float:
    pairs = list(itertools.combinations(range(codes.shape[1]), 2))
    return float(np.mean([(codes[:, i] == codes[:, j]).mean() for i, j in pairs]))
