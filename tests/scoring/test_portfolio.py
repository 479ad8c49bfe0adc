"""The portfolio scorer gives the engine's numbers for every assessment."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from checklists.loader import default_catalogue
from checklists.responses import Answer
from checklists.schema import Catalogue
from scoring.engine import RoomScore, score_assessment
from scoring.portfolio import answers_frame, score_portfolio
from tests.generators import portfolio_frames, random_portfolio


def _engine_and_portfolio(
    catalogue: Catalogue, portfolio: list[tuple[int, str, str, dict[str, Answer]]]
) -> tuple[dict[int, RoomScore], pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    from checklists.responses import Assessment

    engine = {aid: score_assessment(catalogue, Assessment(s, rt, answers)) for aid, s, rt, answers in portfolio}
    assessments = pd.DataFrame(
        [(aid, s, rt) for aid, s, rt, _ in portfolio], columns=["assessment_id", "setting", "room_type"]
    )
    scores = score_portfolio(catalogue, assessments, answers_frame((aid, a) for aid, _, _, a in portfolio))
    return engine, scores.summary().set_index("assessment_id"), scores.item_frame(), scores.category_frame()


def _same(a: float | None, b: float) -> bool:
    return (a is None and math.isnan(b)) or (a is not None and a == b)


@pytest.mark.parametrize("which", ["fixture", "shipped"])
def test_portfolio_equals_engine_on_thousands_of_assessments(which: str, mini_catalogue: Catalogue) -> None:
    catalogue = mini_catalogue if which == "fixture" else default_catalogue()
    portfolio = random_portfolio(catalogue, 3000, seed=11)
    engine, summary, items, categories = _engine_and_portfolio(catalogue, portfolio)
    mismatches = []
    for aid, result in engine.items():
        row = summary.loc[aid]
        checks = {
            "overall": _same(result.overall, row["overall"]),
            "band": result.band == (row["band"] if isinstance(row["band"], str) else None),
            "completeness": result.completeness == row["completeness"],
            "provisional": result.provisional == row["provisional"],
            "critical": len(result.critical_failures) == row["critical_failures"],
            "missing": len(result.missing) == row["missing"],
        }
        for category, value in result.categories.items():
            checks[f"category {category}"] = _same(value.score, row[f"score_{category}"])
        for principle, score in result.principles.items():
            checks[f"principle {principle}"] = _same(score, row[f"principle_{principle}"])
        mismatches += [f"assessment {aid}: {name}" for name, ok in checks.items() if not ok]
    assert not mismatches, mismatches[:10]

    # Item scores, statuses and gains, all at once.
    by_item = items.set_index(["assessment_id", "item_id"])
    gains = {(aid, a.item): a.gain for aid, r in engine.items() for a in r.actions}
    expected = pd.DataFrame(
        [
            (aid, item_id, value.status, np.nan if value.score is None else value.score, value.weight,
             gains.get((aid, item_id), np.nan))
            for aid, r in engine.items()
            for item_id, value in r.items.items()
        ],
        columns=["assessment_id", "item_id", "status", "score", "weight", "gain"],
    ).set_index(["assessment_id", "item_id"])  # fmt: skip
    assert len(by_item) == len(expected)
    joined = expected.join(by_item, suffixes=("", "_p"))
    for column in ("status", "score", "weight", "gain"):
        left, right = joined[column], joined[f"{column}_p"]
        same = (left == right) | (left.isna() & right.isna())
        assert same.all(), joined.loc[~same, [column, f"{column}_p"]].head()

    counts = categories.set_index(["assessment_id", "category"])
    for aid, result in list(engine.items())[:500]:
        for category, value in result.categories.items():
            row = counts.loc[(aid, category)]
            assert (row["answered"], row["applicable"], row["weight"]) == (
                value.answered,
                value.applicable,
                value.weight,
            )


def test_generated_frames_score_like_the_engine() -> None:
    """The fast frame generator used by the benchmark yields data the engine agrees on too."""
    catalogue = default_catalogue()
    assessments, answers = portfolio_frames(catalogue, 300, seed=3)
    scores = score_portfolio(catalogue, assessments, answers).summary().set_index("assessment_id")
    from checklists.responses import Assessment, Flicker

    for aid, group in answers.groupby("assessment_id"):
        row = assessments.loc[assessments["assessment_id"] == aid].iloc[0]
        checklist = catalogue.checklist(row["setting"], row["room_type"]).by_id()
        typed: dict[str, Answer] = {}
        for item_id, rows in group.groupby("item_id"):
            kind = checklist[str(item_id)].item.kind.value
            first = rows.iloc[0]
            if first["na"]:
                typed[str(item_id)] = "n/a"
            elif kind == "measurement":
                typed[str(item_id)] = tuple(rows["num"])
            elif kind == "rating":
                typed[str(item_id)] = int(first["num"])
            elif kind == "flicker":
                typed[str(item_id)] = Flicker(first["num"], first["freq"])
            elif kind == "yes_no":
                typed[str(item_id)] = first["text"] == "yes"
            else:
                typed[str(item_id)] = first["text"]
        result = score_assessment(catalogue, Assessment(row["setting"], row["room_type"], typed))
        assert _same(result.overall, scores.loc[aid, "overall"])
        band = scores.loc[aid, "band"]
        assert result.band == (band if isinstance(band, str) else None)


def test_unknown_room_type_is_refused(mini_catalogue: Catalogue) -> None:
    assessments = pd.DataFrame({"assessment_id": [1], "setting": ["school"], "room_type": ["gym"]})
    with pytest.raises(ValueError, match="unknown setting and room type"):
        score_portfolio(mini_catalogue, assessments, answers_frame([]))
