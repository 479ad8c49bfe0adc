"""Scoring 100,000 assessments spread over three catalogue versions (and over those versions under
ten organisations' own criteria), against 100,000 under one.

Target (issue #13): the three-version portfolio, and the one with ten organisation overrides on top,
within 1.5 times the single-catalogue figure of the same run. Each assessment is scored under its
own version: the portfolio scorer groups them by version and scores each group vectorised.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

from checklists.loader import default_catalogue, load_catalogue
from checklists.overrides import apply_override, override_version, read_override
from checklists.schema import Catalogue
from scoring.portfolio import score_portfolio
from scoring.portfolio_versions import score_portfolio_versions
from tests.catalogue_versions import new_version
from tests.generators import portfolio_frames

N = 100_000
ORGANISATIONS = 10


def _override(n: int) -> str:
    """Organisation n's own criteria: a quieter classroom, a heavier retreat space, one item critical."""
    limit = 50 - n
    return (
        f"thresholds:\n  school/classroom:\n    noise.background_level: {{ideal: [null, {limit - 15}], "
        f"limit: [null, {limit}]}}\nweights:\n  school: {{quiet_zones.retreat_space: {2 + n / 10}}}\n"
        "critical: [lighting.dimmable]\n"
    )


def _organisation_versions(catalogues: list[Catalogue]) -> dict[str, Catalogue]:
    """Each catalogue under each organisation's criteria, by version ("2027.1+org3.1")."""
    out: dict[str, Catalogue] = {}
    for base in catalogues:
        for n in range(1, ORGANISATIONS + 1):
            version = override_version(base.version, n, 1)
            out[version] = apply_override(base, read_override(_override(n), base), version)
    return out


def _versions(where: Path) -> list[Catalogue]:
    second = load_catalogue(new_version(where))
    third_folder = new_version(where / "third", version="2028.1", previous=second.version)
    school = third_folder / "profiles" / "school.yaml"
    school.write_text(school.read_text().replace("noise.background_level: 2.0", "noise.background_level: 3.0"))
    return [default_catalogue(), second, load_catalogue(third_folder)]


def _median(run: object, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        catalogues = _versions(Path(tmp))
    by_version = {c.version: c for c in catalogues}
    current = catalogues[-1]

    heads, rows = [], []
    share = N // len(catalogues)
    for n, catalogue in enumerate(catalogues):
        count = share if n < len(catalogues) - 1 else N - share * (len(catalogues) - 1)
        assessments, answers = portfolio_frames(catalogue, count, seed=20 + n)
        offset = n * 10_000_000
        assessments["assessment_id"] += offset
        answers["assessment_id"] += offset
        assessments["catalogue_version"] = catalogue.version
        assessments["status"] = "submitted"
        heads.append(assessments)
        rows.append(answers)
    mixed_heads = pd.concat(heads, ignore_index=True).sample(frac=1.0, random_state=3, ignore_index=True)
    mixed_answers = pd.concat(rows, ignore_index=True)
    single_heads, single_answers = portfolio_frames(current, N, seed=19)

    def choose(version: str, _status: object, _place: tuple[str, str]) -> Catalogue:
        return by_version[version]

    # The same portfolio with most assessments taken under one of ten organisations' own criteria.
    by_version.update(_organisation_versions(catalogues))
    organisation = pd.Series(range(len(mixed_heads))) % (ORGANISATIONS + 1)
    org_heads = mixed_heads.copy()
    org_heads["catalogue_version"] = [
        v if n == 0 else override_version(v, n, 1)
        for v, n in zip(mixed_heads["catalogue_version"], organisation, strict=True)
    ]

    # Warm the lookup tables of every version.
    for catalogue in catalogues:
        score_portfolio(catalogue, single_heads.head(50), single_answers[single_answers["assessment_id"] <= 50])
    single = _median(lambda: score_portfolio(current, single_heads, single_answers).summary())
    mixed = _median(lambda: score_portfolio_versions(current, mixed_heads, mixed_answers, choose).summary())
    organisations = _median(lambda: score_portfolio_versions(current, org_heads, mixed_answers, choose).summary())
    print(
        f"portfolio, one catalogue: {N:,} assessments ({len(single_answers):,} answer rows) with summary: "
        f"median of 3 {single:.2f} s"
    )
    print(
        f"portfolio, three catalogue versions: {N:,} assessments ({len(mixed_answers):,} answer rows), each "
        f"under its own version: median of 3 {mixed:.2f} s = {mixed / single:.2f}x the one-catalogue figure "
        "(target <= 1.5x)"
    )
    print(
        f"portfolio, three catalogue versions and {ORGANISATIONS} organisation overrides ("
        f"{org_heads['catalogue_version'].nunique()} criteria versions): {N:,} assessments, each under its own: "
        f"median of 3 {organisations:.2f} s = {organisations / single:.2f}x the one-catalogue figure (target <= 1.5x)"
    )


if __name__ == "__main__":
    main()
