"""Random assessments for property tests, the portfolio equivalence test and the benchmarks."""

from __future__ import annotations

import math
import random
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from checklists.responses import NA, Answer, Flicker
from checklists.schema import Catalogue, ItemKind, ResolvedItem, RoomChecklist

FREQUENCIES = (50.0, 89.0, 90.0, 100.0, 120.0, 300.0, 1000.0, 2000.0, 3000.0, 4000.0)


def reading_span(resolved: ResolvedItem) -> tuple[float, float]:
    """A range of readings that covers the whole target with some room either side, within valid."""
    assert resolved.target is not None
    bounds = [v for v in (*resolved.target.ideal, *resolved.target.limit) if v is not None]
    lo, hi = min(bounds), max(bounds)
    margin = max((hi - lo) * 0.5, abs(hi) * 0.3, 1.0)
    lo, hi = lo - margin, hi + margin
    valid = resolved.item.valid or (None, None)
    if valid[0] is not None:
        lo = max(lo, valid[0])
    if valid[1] is not None:
        hi = min(hi, valid[1])
    return lo, hi


def random_answer(resolved: ResolvedItem, rng: random.Random) -> Answer:
    item = resolved.item
    kind = item.kind
    if kind is ItemKind.yes_no:
        return rng.random() < 0.5
    if kind is ItemKind.choice:
        assert item.options is not None
        return rng.choice(item.options).value
    if kind is ItemKind.rating:
        return rng.randint(0, 4)
    if kind is ItemKind.measurement:
        lo, hi = reading_span(resolved)
        return tuple(round(rng.uniform(lo, hi), 1) for _ in range(rng.choice((1, 1, 2, 3))))
    if kind is ItemKind.flicker:
        return Flicker(round(rng.uniform(0, 100) ** 2 / 100, 2), rng.choice(FREQUENCIES))
    return "Seen on the walk-round"


def random_answers(checklist: RoomChecklist, rng: random.Random, p_missing: float = 0.1) -> dict[str, Answer]:
    answers: dict[str, Answer] = {}
    for resolved in checklist.items:
        roll = rng.random()
        if roll < p_missing:
            continue
        if resolved.item.allow_na and roll < p_missing + 0.05:
            answers[resolved.item.id] = NA
        else:
            answers[resolved.item.id] = random_answer(resolved, rng)
    return answers


def random_portfolio(catalogue: Catalogue, n: int, seed: int = 7) -> list[tuple[int, str, str, dict[str, Answer]]]:
    """n assessments: (id, setting, room_type, answers); completeness varies from room to room."""
    rng = random.Random(seed)
    keys = sorted(catalogue.checklists)
    out = []
    for assessment_id in range(1, n + 1):
        setting, room_type = rng.choice(keys)
        p_missing = rng.choice((0.0, 0.05, 0.1, 0.3, 0.9))
        answers = random_answers(catalogue.checklists[(setting, room_type)], rng, p_missing)
        out.append((assessment_id, setting, room_type, answers))
    return out


def portfolio_frames(catalogue: Catalogue, n: int, seed: int = 7) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The same kind of data as random_portfolio, generated straight into frames with numpy (fast)."""
    rng = np.random.default_rng(seed)
    keys = sorted(catalogue.checklists)
    profile = rng.integers(0, len(keys), n)
    assessments = pd.DataFrame(
        {
            "assessment_id": np.arange(1, n + 1, dtype=np.int64),
            "setting": [keys[p][0] for p in profile],
            "room_type": [keys[p][1] for p in profile],
        }
    )
    parts = []
    for p, key in enumerate(keys):
        ids = assessments["assessment_id"].to_numpy()[profile == p]
        if not len(ids):
            continue
        for resolved in catalogue.checklists[key].items:
            item, kind = resolved.item, resolved.item.kind
            present = ids[rng.random(len(ids)) >= 0.08]
            m = len(present)
            na = np.zeros(m, dtype=bool)
            if item.allow_na:
                na = rng.random(m) < 0.05
            num = np.full(m, np.nan)
            freq = np.full(m, np.nan)
            text = np.full(m, None, dtype=object)
            if kind is ItemKind.yes_no:
                text = np.where(rng.random(m) < 0.5, "yes", "no").astype(object)
            elif kind is ItemKind.choice:
                assert item.options is not None
                text = np.array([o.value for o in item.options], dtype=object)[rng.integers(0, len(item.options), m)]
            elif kind is ItemKind.rating:
                num = rng.integers(0, 5, m).astype(float)
            elif kind is ItemKind.flicker:
                num = np.round(rng.uniform(0, 100, m) ** 2 / 100, 2)
                freq = np.array(FREQUENCIES)[rng.integers(0, len(FREQUENCIES), m)]
            elif kind is ItemKind.measurement:
                lo, hi = reading_span(resolved)
                num = np.round(rng.uniform(lo, hi, m), 1)
            else:
                text = np.full(m, "Seen on the walk-round", dtype=object)
            text[na] = None
            num, freq = np.where(na, np.nan, num), np.where(na, np.nan, freq)
            frame = {"assessment_id": present, "item_id": item.id, "na": na, "num": num, "freq": freq, "text": text}
            parts.append(pd.DataFrame(frame))
            if kind is ItemKind.measurement:
                # A second reading for about a third of the measurements (morning and afternoon).
                again = (rng.random(m) < 0.33) & ~na
                lo, hi = reading_span(resolved)
                second = dict(frame, assessment_id=present[again], na=na[again], freq=freq[again], text=text[again])
                second["num"] = np.round(rng.uniform(lo, hi, int(again.sum())), 1)
                parts.append(pd.DataFrame(second))
    answers = pd.concat(parts, ignore_index=True)
    return assessments, answers


@st.composite
def assessment_documents(draw: st.DrawFn, catalogue: Catalogue) -> dict[str, Any]:
    """A valid raw assessment document for a hypothesis test."""
    setting, room_type = draw(st.sampled_from(sorted(catalogue.checklists)))
    checklist = catalogue.checklists[(setting, room_type)]
    responses: dict[str, Any] = {}
    for resolved in checklist.items:
        item = resolved.item
        choice = draw(st.integers(0, 9))
        if choice == 0:
            continue
        if choice == 1 and item.allow_na:
            responses[item.id] = "n/a"
            continue
        kind = item.kind
        if kind is ItemKind.yes_no:
            responses[item.id] = draw(st.sampled_from(["yes", "no"]))
        elif kind is ItemKind.choice:
            assert item.options is not None
            responses[item.id] = draw(st.sampled_from([o.value for o in item.options]))
        elif kind is ItemKind.rating:
            responses[item.id] = draw(st.integers(0, 4))
        elif kind is ItemKind.measurement:
            lo, hi = reading_span(resolved)
            reading = st.floats(lo, hi, allow_nan=False, allow_infinity=False)
            responses[item.id] = draw(st.lists(reading, min_size=1, max_size=3))
        elif kind is ItemKind.flicker:
            percent = draw(st.floats(0, 100, allow_nan=False))
            frequency = draw(st.floats(1, 5000, allow_nan=False))
            responses[item.id] = {"percent": percent, "frequency_hz": frequency}
        else:
            responses[item.id] = "noted"
    return {"setting": setting, "room_type": room_type, "responses": responses}


def finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)
