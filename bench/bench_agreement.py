"""Agreement of a calibration round: 500 rooms, each assessed by 3 assessors.

Target (issue #17): under 2 s for the whole round (every item, category and overall figure).
"""

from __future__ import annotations

import random
import statistics
import time

from checklists.loader import default_catalogue
from checklists.responses import Answer
from scoring.agreement import RatedUnit, round_agreement
from tests.generators import random_portfolio

ROOMS = 500
RATERS = ("Ann", "Bob", "Cy")


def _disagree(rng: random.Random, answers: dict[str, Answer]) -> dict[str, Answer]:
    changed = dict(answers)
    for item_id, answer in answers.items():
        if rng.random() > 0.1:
            continue
        if isinstance(answer, bool):
            changed[item_id] = not answer
        elif isinstance(answer, int):
            changed[item_id] = max(0, min(4, answer + rng.choice((-1, 1))))
        elif isinstance(answer, tuple):
            changed[item_id] = tuple(v * rng.uniform(0.9, 1.1) for v in answer)
    return changed


def main() -> None:
    catalogue = default_catalogue()
    rng = random.Random(17)
    units = [
        RatedUnit(
            key=str(n), label=f"Room {n}", setting=setting, room_type=room_type,
            ratings={rater: _disagree(rng, dict(answers)) for rater in RATERS},
        )
        for n, setting, room_type, answers in random_portfolio(catalogue, ROOMS, seed=17)
    ]  # fmt: skip
    round_agreement(catalogue, units[:20])  # warm up
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        result = round_agreement(catalogue, units)
        runs.append(time.perf_counter() - start)
    print(
        f"agreement: {ROOMS} rooms x {len(RATERS)} assessors, {len(result.items)} items, "
        f"{len(result.poor)} poor: median of 3 {statistics.median(runs):.2f} s (target < 2 s)"
    )


if __name__ == "__main__":
    main()
