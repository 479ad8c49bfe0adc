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
    from checklists.responses import AnswerSheet

    engine = {aid: score_assessment(catalogue, AnswerSheet(s, rt, answers)) for aid, s, rt, answers in portfolio}
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
    from checklists.responses import AnswerSheet, Flicker

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
        result = score_assessment(catalogue, AnswerSheet(row["setting"], row["room_type"], typed))
        assert _same(result.overall, scores.loc[aid, "overall"])
        band = scores.loc[aid, "band"]
        assert result.band == (band if isinstance(band, str) else None)


def test_unknown_room_type_is_refused(mini_catalogue: Catalogue) -> None:
    assessments = pd.DataFrame({"assessment_id": [1], "setting": ["school"], "room_type": ["gym"]})
    with pytest.raises(ValueError, match="unknown setting and room type"):
        score_portfolio(mini_catalogue, assessments, answers_frame([]))


def _corrupt(catalogue: Catalogue, answers: pd.DataFrame, assessments: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Answer rows as a store holds them after the catalogue moved on: items retired or no longer
    applying, options removed, readings outside a range, n/a where it is not allowed, numbers where
    words are expected, words where numbers are, a rating stored twice."""
    rng = np.random.default_rng(seed)
    rows = answers.copy()
    items = list(catalogue.items)
    setting_of = dict(
        zip(
            assessments["assessment_id"],
            zip(assessments["setting"], assessments["room_type"], strict=True),
            strict=True,
        )
    )
    extra = []
    for aid in assessments["assessment_id"].sample(frac=0.6, random_state=seed):
        setting, room_type = setting_of[aid]
        applicable = {r.item.id for r in catalogue.checklist(setting, room_type).items}
        match rng.integers(0, 8):
            case 0:
                extra.append((aid, "lighting.retired_glare_index", False, 3.0, np.nan, None))
            case 1:
                others = [i.id for i in items if i.id not in applicable]
                if others:
                    extra.append((aid, others[int(rng.integers(len(others)))], False, None, np.nan, "yes"))
            case 2:
                choices = [i for i in items if i.id in applicable and i.options]
                if choices:
                    extra.append((aid, choices[int(rng.integers(len(choices)))].id, False, np.nan, np.nan, "sometimes"))
            case 3:
                readings = [i for i in items if i.id in applicable and i.valid is not None and i.valid[1] is not None]
                if readings:
                    item = readings[int(rng.integers(len(readings)))]
                    extra.append((aid, item.id, False, 420.0, np.nan, None))
                    extra.append((aid, item.id, False, float(item.valid[1]) * 10 + 1, np.nan, None))
            case 4:
                strict = [i for i in items if i.id in applicable and not i.allow_na]
                if strict:
                    extra.append((aid, strict[int(rng.integers(len(strict)))].id, True, np.nan, np.nan, None))
            case 5:
                words = [i for i in items if i.id in applicable and i.kind.value == "yes_no"]
                if words:
                    extra.append((aid, words[int(rng.integers(len(words)))].id, False, 1.0, np.nan, None))
            case 6:
                ratings = [i for i in items if i.id in applicable and i.kind.value == "rating"]
                if ratings:
                    item = ratings[int(rng.integers(len(ratings)))]
                    extra += [(aid, item.id, False, 2.0, np.nan, None), (aid, item.id, False, 3.0, np.nan, None)]
            case _:
                readings = [i for i in items if i.id in applicable and i.kind.value == "measurement"]
                if readings:
                    extra.append((aid, readings[int(rng.integers(len(readings)))].id, False, np.nan, np.nan, "loud"))
    touched = {(aid, item_id) for aid, item_id, *_ in extra}
    keep = [(a, i) not in touched for a, i in zip(rows["assessment_id"], rows["item_id"], strict=True)]
    added = pd.DataFrame(extra, columns=rows.columns).astype(rows.dtypes.to_dict())
    return pd.concat([rows[keep], added], ignore_index=True)


@pytest.mark.parametrize("which", ["fixture", "shipped"])
def test_answers_the_catalogue_no_longer_accepts_are_retired_alike(which: str, mini_catalogue: Catalogue) -> None:
    """One rule for stored answers: the portfolio scorer retires exactly the answers that
    `decode_stored` retires, never raises, and scores what is left as the engine does."""
    from checklists.responses import AnswerSheet
    from checklists.stored_answers import AnswerRow, decode_stored, raw_from_rows

    catalogue = mini_catalogue if which == "fixture" else default_catalogue()
    portfolio = random_portfolio(catalogue, 600, seed=5)
    assessments = pd.DataFrame(
        [(aid, s, rt) for aid, s, rt, _ in portfolio], columns=["assessment_id", "setting", "room_type"]
    )
    answers = _corrupt(catalogue, answers_frame((aid, a) for aid, _, _, a in portfolio), assessments, seed=5)
    scores = score_portfolio(catalogue, assessments, answers)
    summary = scores.summary().set_index("assessment_id")

    expected_retired = set()
    groups = dict(list(answers.groupby("assessment_id")))
    for aid, setting, room_type, _ in portfolio:
        group = groups.get(aid, answers.iloc[:0])
        stored: dict[str, object] = {}
        for item_id, rows in group.groupby("item_id", sort=False):
            cells: list[AnswerRow] = [
                (bool(na), None if pd.isna(num) else float(num), None if pd.isna(freq) else float(freq),
                 text if isinstance(text, str) else None)
                for na, num, freq, text in rows[["na", "num", "freq", "text"]].itertuples(index=False)
            ]  # fmt: skip
            stored[str(item_id)] = raw_from_rows(cells)
        decoded = decode_stored(catalogue, catalogue.checklist(setting, room_type), stored)
        expected_retired |= {(aid, r.item_id) for r in decoded.retired}
        result = score_assessment(catalogue, AnswerSheet(setting, room_type, decoded.answers))
        row = summary.loc[aid]
        assert _same(result.overall, row["overall"]), aid
        assert result.completeness == row["completeness"], aid
        assert len(result.missing) == row["missing"], aid
    got = set(zip(scores.retired["assessment_id"], scores.retired["item_id"], strict=True))
    assert len(expected_retired) > 100
    assert got == expected_retired
