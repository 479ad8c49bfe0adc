"""Scoring throughput: one assessment with the engine, and 100,000 with the portfolio scorer.

Targets (issue #2): one assessment under 5 ms (median); 100,000 assessments under 5 s.
"""

from __future__ import annotations

import statistics
import time
from typing import Any

from checklists.loader import default_catalogue
from checklists.responses import AnswerSheet, answer_to_json, parse_assessment
from scoring.engine import score_assessment
from scoring.portfolio import score_portfolio
from tests.generators import portfolio_frames, random_portfolio


def main() -> None:
    catalogue = default_catalogue()
    portfolio = random_portfolio(catalogue, 600, seed=5)
    documents: list[dict[str, Any]] = [
        {"setting": setting, "room_type": room_type, "responses": {k: answer_to_json(v) for k, v in given.items()}}
        for _, setting, room_type, given in portfolio
    ]
    for document in documents[:50]:  # warm up
        score_assessment(catalogue, document)
    times = []
    for document in documents[50:]:
        start = time.perf_counter()
        score_assessment(catalogue, parse_assessment(catalogue, document))
        times.append(time.perf_counter() - start)
    per_assessment = statistics.median(times)
    items = statistics.mean(len(catalogue.checklist(d["setting"], d["room_type"]).items) for d in documents)
    p90 = statistics.quantiles(times, n=10)[-1]
    print(
        f"engine: one assessment, validated and scored: median {per_assessment * 1000:.2f} ms "
        f"(p90 {p90 * 1000:.2f} ms; {items:.0f} items each; target < 5 ms)"
    )

    typed = [AnswerSheet(s, rt, a) for _, s, rt, a in portfolio]
    start = time.perf_counter()
    for assessment in typed:
        score_assessment(catalogue, assessment)
    loop_each = (time.perf_counter() - start) / len(typed)

    n = 100_000
    assessments, answers = portfolio_frames(catalogue, n, seed=1)
    score_portfolio(catalogue, assessments.head(100), answers[answers["assessment_id"] <= 100])  # warm the tables
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        scores = score_portfolio(catalogue, assessments, answers)
        scores.summary()
        runs.append(time.perf_counter() - start)
    portfolio_time = statistics.median(runs)
    loop_time = loop_each * n
    print(
        f"portfolio: {n:,} assessments ({len(answers):,} answer rows) scored with summary: median of 3 "
        f"{portfolio_time:.2f} s (target < 5 s)"
    )
    print(
        f"engine loop, same run: {loop_each * 1000:.2f} ms per assessment -> {loop_time:.0f} s for {n:,} "
        f"(measured on {len(typed)}); portfolio is {loop_time / portfolio_time:.0f}x faster"
    )


if __name__ == "__main__":
    main()
