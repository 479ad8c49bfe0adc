"""Properties of the engine that hold for every assessment (hypothesis)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checklists.loader import default_catalogue
from checklists.schema import Catalogue, ItemKind
from scoring.engine import score_assessment
from tests.generators import assessment_documents, reading_span

CATALOGUE = default_catalogue()
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(assessment_documents(CATALOGUE))
def test_scores_stay_within_bounds(document: dict[str, Any]) -> None:
    result = score_assessment(CATALOGUE, document)
    assert 0.0 <= result.completeness <= 1.0
    for item in result.items.values():
        assert item.score is None or 0.0 <= item.score <= 1.0
    for value in [result.overall, *(c.score for c in result.categories.values()), *result.principles.values()]:
        assert value is None or 0.0 <= value <= 100.0
    for action in result.actions:
        assert 0.0 <= action.gain <= 100.0


@SETTINGS
@given(assessment_documents(CATALOGUE), st.randoms(use_true_random=False))
def test_order_of_responses_does_not_matter(document: dict[str, Any], rnd: random.Random) -> None:
    items = list(document["responses"].items())
    rnd.shuffle(items)
    shuffled = {**document, "responses": dict(items)}
    assert score_assessment(CATALOGUE, shuffled) == score_assessment(CATALOGUE, document)


@SETTINGS
@given(assessment_documents(CATALOGUE))
def test_a_failed_critical_item_never_yields_band_a_or_b(document: dict[str, Any]) -> None:
    result = score_assessment(CATALOGUE, document)
    if result.critical_failures:
        assert result.band in ("C", "D")


@SETTINGS
@given(assessment_documents(CATALOGUE), st.data())
def test_not_applicable_leaves_every_denominator(document: dict[str, Any], data: st.DataObject) -> None:
    checklist = CATALOGUE.checklist(document["setting"], document["room_type"])
    optional = [r.item.id for r in checklist.items if r.item.allow_na and r.item.scored]
    if not optional:
        return
    item_id = data.draw(st.sampled_from(optional))
    responses = {k: v for k, v in document["responses"].items() if k != item_id}
    as_na = score_assessment(CATALOGUE, {**document, "responses": {**responses, item_id: "n/a"}})
    as_missing = score_assessment(CATALOGUE, {**document, "responses": responses})
    # n/a and missing both leave the score denominators; only completeness tells them apart.
    assert as_na.overall == as_missing.overall
    assert as_na.categories.keys() == as_missing.categories.keys()
    assert all(as_na.categories[c].score == as_missing.categories[c].score for c in as_na.categories)
    assert as_na.principles == as_missing.principles
    assert as_na.completeness >= as_missing.completeness
    category = item_id.split(".")[0]
    assert as_na.categories[category].applicable == as_missing.categories[category].applicable - 1
    assert item_id not in as_na.missing


def _measurements(catalogue: Catalogue) -> list[tuple[str, str, str]]:
    return [
        (s, rt, r.item.id)
        for (s, rt), checklist in sorted(catalogue.checklists.items())
        for r in checklist.items
        if r.item.kind is ItemKind.measurement
    ]


@SETTINGS
@given(assessment_documents(CATALOGUE), st.data())
def test_moving_a_reading_toward_its_ideal_never_lowers_a_score(document: dict[str, Any], data: st.DataObject) -> None:
    checklist = CATALOGUE.checklist(document["setting"], document["room_type"])
    measured = [r for r in checklist.items if r.item.kind is ItemKind.measurement]
    resolved = data.draw(st.sampled_from(measured))
    assert resolved.target is not None
    low, high = reading_span(resolved)
    reading = data.draw(st.floats(low, high, allow_nan=False))
    lo, hi = resolved.target.ideal
    # The nearest point of the ideal band, and a reading part of the way toward it.
    nearest = min(max(reading, lo if lo is not None else reading), hi if hi is not None else reading)
    step = data.draw(st.floats(0, 1))
    closer = reading + (nearest - reading) * step
    before = score_assessment(CATALOGUE, {**document, "responses": {**document["responses"], resolved.id: reading}})
    after = score_assessment(CATALOGUE, {**document, "responses": {**document["responses"], resolved.id: closer}})
    category = resolved.item.category
    assert after.items[resolved.id].score >= before.items[resolved.id].score
    assert after.categories[category].score >= before.categories[category].score
    assert after.overall >= before.overall


@pytest.mark.parametrize("key", sorted(CATALOGUE.checklists), ids=lambda k: f"{k[0]}/{k[1]}")
def test_a_perfect_room_scores_100_band_a(key: tuple[str, str]) -> None:
    checklist = CATALOGUE.checklists[key]
    responses: dict[str, Any] = {}
    for resolved in checklist.items:
        item = resolved.item
        if item.kind is ItemKind.yes_no:
            responses[item.id] = "yes" if item.good_answer else "no"
        elif item.kind is ItemKind.choice:
            assert item.options is not None
            responses[item.id] = max(item.options, key=lambda o: o.score).value
        elif item.kind is ItemKind.rating:
            responses[item.id] = 4
        elif item.kind is ItemKind.measurement:
            assert resolved.target is not None
            lo, hi = resolved.target.ideal
            responses[item.id] = lo if lo is not None else hi
        elif item.kind is ItemKind.flicker:
            responses[item.id] = {"percent": 1, "frequency_hz": 1000}
    result = score_assessment(CATALOGUE, {"setting": key[0], "room_type": key[1], "responses": responses})
    assert (result.overall, result.band, result.completeness, result.actions) == (100.0, "A", 1.0, [])
