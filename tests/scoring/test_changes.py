"""What changed between two assessments: the table equals the engine's item scores of both, every kind
of change is told apart, and the score changes are the differences of the two scorecards."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checklists.loader import default_catalogue
from checklists.responses import NA, Answer, AnswerError, AnswerSheet, parse_answer, parse_assessment
from checklists.stored_answers import RetiredAnswer
from scoring.changes import Change, Scored, what_changed
from scoring.engine import RoomScore, evaluate, score_assessment
from tests.generators import random_answers

CATALOGUE = default_catalogue()
PRINCIPLES = tuple(p.id for p in CATALOGUE.principles)
GOLDEN = Path(__file__).resolve().parents[1] / "golden"


def golden(name: str) -> AnswerSheet:
    return parse_assessment(CATALOGUE, yaml.safe_load((GOLDEN / f"{name}.assessment.yaml").read_text()))


def scored(assessment: AnswerSheet, answers: dict[str, Answer], retired: tuple[RetiredAnswer, ...] = ()) -> Scored:
    checklist = CATALOGUE.checklist(assessment.setting, assessment.room_type)
    return Scored(evaluate(checklist, answers, PRINCIPLES), answers, retired)


def engine(assessment: AnswerSheet, answers: dict[str, Answer]) -> RoomScore:
    return score_assessment(
        CATALOGUE, AnswerSheet(setting=assessment.setting, room_type=assessment.room_type, answers=answers)
    )


def assert_table_is_the_engine(before: RoomScore, after: RoomScore, changes: Any) -> None:
    scored_items = {i for i, r in after.items.items() if r.weight > 0 and i in before.items}
    rows = {c.item_id: c for c in changes.items if c.resolved is not None}
    checklist = CATALOGUE.checklist(after.setting, after.room_type)
    assert set(rows) == {r.item.id for r in checklist.items if r.item.scored}
    assert scored_items <= set(rows)
    for item_id, row in rows.items():
        assert row.before.score == before.items[item_id].score, item_id
        assert row.after.score == after.items[item_id].score, item_id
        assert row.before.status == before.items[item_id].status
        assert row.after.status == after.items[item_id].status
    for category in changes.categories:
        assert category.before == before.categories[category.key].score
        assert category.after == after.categories[category.key].score
    for principle in changes.principles:
        assert principle.before == before.principles[principle.key]
        assert principle.after == after.principles[principle.key]
    assert (changes.overall.before, changes.overall.after) == (before.overall, after.overall)


def test_each_kind_of_change_of_the_school_golden_assessment() -> None:
    base = golden("school")
    before = dict(base.answers)
    after = dict(before)
    # Background noise from 34.1/29 dBA (full marks) to 42 dBA: worse.
    after["noise.background_level"] = (42.0,)
    # Illuminance from far above the ideal to inside it: better.
    after["lighting.illuminance"] = (400.0,)
    # Task lighting from "no" to "yes": better; blind patterns removed from the answers: no longer answered.
    after["lighting.task_lighting"] = True
    del after["lighting.blind_patterns"]
    checklist = CATALOGUE.checklist(base.setting, base.room_type)
    na_item = next(r.item.id for r in checklist.items if r.item.allow_na and r.item.scored and r.item.id in before)
    after[na_item] = NA
    unanswered = next(r.item.id for r in checklist.items if r.item.scored and r.item.id not in before)
    after[unanswered] = next(
        a for a in (_typed(checklist.by_id()[unanswered], v) for v in ("yes", 4, 40.0)) if a is not None
    )

    changes = what_changed(scored(base, before), scored(base, after))
    kinds = {c.item_id: c.change for c in changes.items}
    assert kinds["noise.background_level"] is Change.worsened
    assert kinds["lighting.illuminance"] is Change.improved
    assert kinds["lighting.task_lighting"] is Change.improved
    assert kinds["lighting.blind_patterns"] is Change.no_longer_answered
    assert kinds[na_item] is Change.no_longer_applicable
    assert kinds[unanswered] is Change.newly_answered
    assert kinds["lighting.glare"] is Change.unchanged
    noise = next(c for c in changes.items if c.item_id == "noise.background_level")
    # 42 dBA in a classroom (ideal at most 35, 0 above 50): (50 - 42) / 15 = 0.533.
    assert (noise.before.score, noise.after.score, noise.delta) == (1.0, 0.533, -0.467)
    assert noise.after.answer == (42.0,)
    counts = changes.counts()
    assert counts[Change.worsened] >= 1
    assert counts[Change.improved] >= 2
    assert sum(counts.values()) == len(changes.items)
    assert next(c.change for c in changes.moved) is Change.worsened

    before_score, after_score = engine(base, before), engine(base, after)
    assert_table_is_the_engine(before_score, after_score, changes)
    noise_category = next(c for c in changes.categories if c.key == "noise")
    noise_before, noise_after = before_score.categories["noise"].score, after_score.categories["noise"].score
    assert noise_before is not None
    assert noise_after is not None
    assert noise_category.delta == round(noise_after - noise_before, 1)
    assert noise_category.delta is not None
    assert noise_category.delta < 0


def _typed(resolved: Any, raw: object) -> Answer | None:
    try:
        return parse_answer(resolved, raw)
    except AnswerError:
        return None


def test_a_retired_answer_is_shown_as_such_and_scored_as_missing() -> None:
    base = golden("workplace")
    before = dict(base.answers)
    after = dict(before)
    gone = next(iter(after))
    del after[gone]
    kept = RetiredAnswer(gone, "blue", "the answer is no longer accepted: expected yes or no, got 'blue'")
    old = RetiredAnswer("lighting.lamp_colour", "warm", "the item is no longer in the catalogue")
    changes = what_changed(scored(base, before, (old,)), scored(base, after, (kept,)))
    row = next(c for c in changes.items if c.item_id == gone)
    assert row.change is Change.retired
    assert row.after.retired == kept
    assert row.after.score is None
    removed = next(c for c in changes.items if c.item_id == "lighting.lamp_colour")
    assert removed.resolved is None
    assert removed.before.retired == old
    assert removed.change is Change.not_answered
    assert_table_is_the_engine(engine(base, before), engine(base, after), changes)


def test_two_identical_assessments_change_nothing() -> None:
    base = golden("clinic")
    changes = what_changed(scored(base, dict(base.answers)), scored(base, dict(base.answers)))
    assert not changes.moved
    assert all(s.delta in (None, 0.0) for s in (*changes.categories, *changes.principles, changes.overall))


ROOM_TYPES = sorted(CATALOGUE.checklists)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(ROOM_TYPES), st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1))
def test_any_two_assessments_give_the_engines_item_scores(room: tuple[str, str], seed_a: int, seed_b: int) -> None:
    setting, room_type = room
    checklist = CATALOGUE.checklist(setting, room_type)
    base = AnswerSheet(setting=setting, room_type=room_type, answers={})
    first = random_answers(checklist, random.Random(seed_a), p_missing=0.2)
    second = random_answers(checklist, random.Random(seed_b), p_missing=0.2)
    changes = what_changed(scored(base, first), scored(base, second))
    assert_table_is_the_engine(engine(base, first), engine(base, second), changes)
    for row in changes.items:
        if row.change is Change.improved:
            assert row.delta is not None
            assert row.delta > 0
        elif row.change is Change.worsened:
            assert row.delta is not None
            assert row.delta < 0
        elif row.change is Change.unchanged and row.after.score is not None:
            assert row.delta == 0
    # Swapping the two turns every improvement into a worsening and back.
    back = {c.item_id: c.change for c in what_changed(scored(base, second), scored(base, first)).items}
    for row in changes.items:
        swapped = {Change.improved: Change.worsened, Change.worsened: Change.improved}.get(row.change)
        if swapped is not None:
            assert back[row.item_id] is swapped
