"""Under mixed catalogue versions the portfolio scorer gives, for every assessment, the engine's
numbers under the version that assessment was taken with."""

from __future__ import annotations

import math
import random
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checklists.loader import default_catalogue, load_catalogue
from checklists.responses import Answer, AnswerSheet
from checklists.schema import Catalogue
from scoring.engine import RoomScore, score_assessment
from scoring.portfolio import answers_frame
from scoring.portfolio_versions import score_portfolio_versions
from tests.catalogue_versions import NEW_NAME, OLD_NAME, RETIRED, new_version
from tests.generators import random_answers


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Catalogue]:
    return _versions(tmp_path_factory.mktemp("versions"))


@cache
def _versions(where: Path) -> dict[str, Catalogue]:
    """Three versions: the shipped one; one that moves a threshold, retires and renames an item; and one
    that also weighs classroom background noise higher."""
    second = load_catalogue(new_version(where))
    third_folder = new_version(where / "third", version="2028.1", previous=second.version)
    school = third_folder / "profiles" / "school.yaml"
    school.write_text(school.read_text().replace("noise.background_level: 2.0", "noise.background_level: 3.0"))
    third = load_catalogue(third_folder)
    return {c.version: c for c in (default_catalogue(), second, third)}


def _same(a: float | None, b: float) -> bool:
    return (a is None and math.isnan(b)) or (a is not None and a == b)


def _score(versions: dict[str, Catalogue], draws: list[tuple[int, int, int]]):
    names = sorted(versions)
    portfolio: list[tuple[int, str, str, str, dict[str, Answer]]] = []
    for n, (which, place, seed) in enumerate(draws, start=1):
        catalogue = versions[names[which % len(names)]]
        keys = sorted(catalogue.checklists)
        setting, room_type = keys[place % len(keys)]
        rng = random.Random(seed)
        answers = random_answers(catalogue.checklists[(setting, room_type)], rng, rng.choice((0.0, 0.1, 0.5)))
        portfolio.append((n, catalogue.version, setting, room_type, answers))
    engine: dict[int, RoomScore] = {
        aid: score_assessment(versions[v], AnswerSheet(s, rt, a)) for aid, v, s, rt, a in portfolio
    }
    frame = pd.DataFrame(
        [(aid, s, rt, v, "submitted") for aid, v, s, rt, _ in portfolio],
        columns=["assessment_id", "setting", "room_type", "catalogue_version", "status"],
    )
    current = versions[names[-1]]
    scores = score_portfolio_versions(
        current, frame, answers_frame((aid, a) for aid, _, _, _, a in portfolio), lambda v, _s, _p: versions[v]
    )
    return engine, scores, current


class _Versions:
    """The versions, with a short repr, so a failing example reads well."""

    def __init__(self, versions: dict[str, Catalogue]):
        self.versions = versions

    def __repr__(self) -> str:
        return f"versions {', '.join(self.versions)}"


@pytest.fixture(scope="module")
def held(versions: dict[str, Catalogue]) -> _Versions:
    return _Versions(versions)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 30), st.integers(0, 10**6)), min_size=1, max_size=20))
def test_mixed_versions_score_like_the_engine_under_each_version(
    held: _Versions, draws: list[tuple[int, int, int]]
) -> None:
    versions = held.versions
    engine, scores, current = _score(versions, draws)
    summary = scores.summary().set_index("assessment_id")
    for aid, result in engine.items():
        row = summary.loc[aid]
        assert row["scored_version"] == result.catalogue_version
        assert _same(result.overall, row["overall"]), aid
        assert result.band == (row["band"] if isinstance(row["band"], str) else None)
        assert result.completeness == row["completeness"]
        assert len(result.critical_failures) == row["critical_failures"]
        assert len(result.missing) == row["missing"]
        for category, value in result.categories.items():
            assert _same(value.score, row[f"score_{category}"]), (aid, category)
        for principle, value in result.principles.items():
            assert _same(value, row[f"principle_{principle}"]), (aid, principle)
    items = scores.item_frame().set_index(["assessment_id", "item_id"])
    gains = {(aid, a.item): a.gain for aid, r in engine.items() for a in r.actions}
    expected = pd.DataFrame(
        [(aid, i, v.status, np.nan if v.score is None else v.score, v.weight, gains.get((aid, i), np.nan))
         for aid, r in engine.items() for i, v in r.items.items()],
        columns=["assessment_id", "item_id", "status", "score", "weight", "gain"],
    ).set_index(["assessment_id", "item_id"])  # fmt: skip
    assert set(items.index) == set(expected.index)
    joined = expected.join(items, suffixes=("", "_p"))
    for column in ("status", "score", "weight", "gain"):
        left, right = joined[column], joined[f"{column}_p"]
        same = (left == right) | (left.isna() & right.isna())
        assert same.all(), joined.loc[~same, [column, f"{column}_p"]].head()
    # Every fix of an older version's item is named, though the current catalogue no longer has it.
    actions = scores.action_frame(current)
    assert set(actions["item_id"]) <= {i.id for c in versions.values() for i in c.items}


def test_items_only_older_versions_have_stay_with_their_assessments(versions: dict[str, Catalogue]) -> None:
    draws = [(0, place, seed) for place in range(10) for seed in (1, 2)] + [(2, p, 3) for p in range(5)]
    engine, scores, current = _score(versions, draws)
    ids = list(scores.item_ids)
    assert RETIRED in ids
    assert OLD_NAME in ids
    assert NEW_NAME in ids
    old = [aid for aid, r in engine.items() if r.catalogue_version == "2026.1"]
    new = [aid for aid, r in engine.items() if r.catalogue_version == current.version]
    status = pd.DataFrame(scores.status, index=scores.assessment_ids, columns=ids)
    assert (status.loc[new, RETIRED] == -1).all()  # does not apply under the newest version
    assert (status.loc[old, NEW_NAME] == -1).all()
    assert (status.loc[old, RETIRED] >= 0).any()
    assert scores.item_of(current, RETIRED).id == RETIRED
    assert np.isnan(scores.item_scores[scores.assessment_ids.get_indexer(new), ids.index(RETIRED)]).all()


def test_one_version_is_scored_as_before(versions: dict[str, Catalogue]) -> None:
    _engine, scores, _ = _score(versions, [(0, p, p) for p in range(12)])
    assert set(scores.assessments["scored_version"]) == {"2026.1"}
    assert list(scores.item_ids) == [i.id for i in default_catalogue().items]
