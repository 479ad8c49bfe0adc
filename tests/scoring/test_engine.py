"""The engine's semantics (DESIGN.md "The engine"), worked out by hand on the fixture catalogue."""

from __future__ import annotations

from typing import Any

import pytest

from checklists.responses import AssessmentError
from checklists.schema import Catalogue
from scoring.engine import score_assessment

CLASSROOM: dict[str, Any] = {
    "setting": "school",
    "room_type": "classroom",
    "responses": {
        "lighting.illuminance": [420, 610],  # 1 and 0.78 -> 0.89
        "lighting.dimmable": "yes",  # 1
        "lighting.flicker": {"percent": 8, "frequency_hz": 100},  # high risk -> 0, critical
        "noise.background_level": 42,  # 0.5333, weight 2
        "noise.absorption": "partial",  # 0.5
    },
}


def test_worked_example(mini_catalogue: Catalogue) -> None:
    result = score_assessment(mini_catalogue, CLASSROOM)
    # lighting = (0.89 + 1 + 0) / 3 = 63.0; noise = (2 * 0.5333 + 0.5) / 3 = 52.2
    assert result.categories["lighting"].score == 63.0
    assert result.categories["noise"].score == 52.2
    assert (result.categories["lighting"].answered, result.categories["lighting"].applicable) == (3, 4)
    # overall = (1 * 63.0 + 1.5 * 52.22) / 2.5
    assert result.overall == 56.5
    assert result.band == "C"
    assert result.critical_failures == ["lighting.flicker"]
    # completeness: answered weight 6 of 7 (the text item weighs 0; noise.hum is missing)
    assert result.completeness == 0.857
    assert result.provisional is False
    assert result.missing == ["lighting.observations", "noise.hum"]
    assert result.items["noise.background_level"].model_dump() == {"score": 0.533, "status": "answered", "weight": 2.0}
    # safety: flicker 0 (w 1) and background 0.533 (w 2) -> 35.6; dignity has no answered item
    assert result.principles == {"safety": 35.6, "regulation": 69.1, "choice": 100.0, "dignity": None}


def test_action_plan_order_and_gains(mini_catalogue: Catalogue) -> None:
    actions = score_assessment(mini_catalogue, CLASSROOM).actions
    assert [a.item for a in actions] == [
        "lighting.flicker",  # failed critical first, whatever its gain per effort
        "noise.absorption",  # 10.0 / medium (2) = 5.0
        "noise.background_level",  # 18.7 / high (4) = 4.67
        "lighting.illuminance",  # 1.5 / medium (2) = 0.73
    ]
    gains = {a.item: a.gain for a in actions}
    # fixing flicker: lighting 63.0 -> 96.3, overall +(33.3 * 1 / 2.5) = 13.3
    assert gains == {"lighting.flicker": 13.3, "noise.absorption": 10.0, "noise.background_level": 18.7,
                     "lighting.illuminance": 1.5}  # fmt: skip
    assert actions[0].critical is True
    assert actions[0].model_dump()["effort"] == "high"


def test_gain_equals_rescoring_with_the_item_fixed(mini_catalogue: Catalogue) -> None:
    before = score_assessment(mini_catalogue, CLASSROOM)
    fixed = {**CLASSROOM, "responses": {**CLASSROOM["responses"], "noise.absorption": "yes"}}
    after = score_assessment(mini_catalogue, fixed)
    gain = next(a.gain for a in before.actions if a.item == "noise.absorption")
    assert after.overall is not None
    assert before.overall is not None
    assert after.overall - before.overall == pytest.approx(gain, abs=0.1)


def test_not_applicable_leaves_every_denominator(mini_catalogue: Catalogue) -> None:
    with_na = {**CLASSROOM, "responses": {**CLASSROOM["responses"], "lighting.dimmable": "n/a"}}
    result = score_assessment(mini_catalogue, with_na)
    assert result.items["lighting.dimmable"].status == "not_applicable"
    assert result.categories["lighting"].score == 44.5  # (0.89 + 0) / 2
    assert result.categories["lighting"].applicable == 3
    assert result.principles["choice"] is None
    assert result.completeness == 0.833  # 5 of 6


def test_empty_assessment_has_no_score(mini_catalogue: Catalogue) -> None:
    result = score_assessment(mini_catalogue, {"setting": "school", "room_type": "classroom", "responses": {}})
    assert result.overall is None
    assert result.band is None
    assert result.completeness == 0.0
    assert result.provisional is True
    assert result.actions == []
    assert all(c.score is None for c in result.categories.values())


def test_band_thresholds_and_critical_cap(mini_catalogue: Catalogue) -> None:
    perfect = {
        "setting": "school",
        "room_type": "classroom",
        "responses": {
            "lighting.illuminance": 400,
            "lighting.dimmable": "yes",
            "lighting.flicker": {"percent": 1, "frequency_hz": 100},
            "noise.background_level": 30,
            "noise.absorption": "yes",
            "noise.hum": 4,
        },
    }
    result = score_assessment(mini_catalogue, perfect)
    assert (result.overall, result.band, result.completeness) == (100.0, "A", 1.0)
    # Low-risk flicker scores 0.5: not a critical failure (the cap needs a score below 0.5).
    low = {**perfect, "responses": {**perfect["responses"], "lighting.flicker": {"percent": 5, "frequency_hz": 100}}}
    assert score_assessment(mini_catalogue, low).band == "A"
    assert score_assessment(mini_catalogue, low).critical_failures == []
    high = {**perfect, "responses": {**perfect["responses"], "lighting.flicker": {"percent": 20, "frequency_hz": 100}}}
    capped = score_assessment(mini_catalogue, high)
    assert capped.overall == 86.7  # lighting 66.7, noise 100
    assert capped.band == "C"


def test_provisional_below_eighty_percent(mini_catalogue: Catalogue) -> None:
    few = {"setting": "school", "room_type": "classroom", "responses": {"lighting.dimmable": "yes"}}
    result = score_assessment(mini_catalogue, few)
    assert result.provisional is True
    assert result.overall == 100.0
    assert result.categories["noise"].score is None


def test_json_shape(mini_catalogue: Catalogue) -> None:
    data = score_assessment(mini_catalogue, CLASSROOM).model_dump(mode="json")
    assert list(data) == [
        "setting", "room_type", "catalogue_version", "overall", "band", "provisional", "completeness",
        "categories", "principles", "critical_failures", "missing", "items", "actions",
    ]  # fmt: skip
    assert data["catalogue_version"] == "test.1"
    assert set(data["actions"][0]) == {"item", "gain", "effort", "critical", "how_to_fix"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"setting": "hospital"}, "setting: unknown setting 'hospital'"),
        ({"room_type": "gym"}, "room_type: unknown room type 'gym'"),
        ({"responses": {"lighting.glare": "yes"}}, "lighting.glare: unknown item id"),
        ({"responses": {"noise.masking": "yes"}}, "noise.masking: does not apply to a classroom"),
        ({"colour": "blue"}, "colour: unknown field"),
        ({"responses": [1, 2]}, "responses: expected a mapping"),
    ],
)
def test_bad_documents_name_the_problem(mini_catalogue: Catalogue, change: dict[str, Any], message: str) -> None:
    with pytest.raises(AssessmentError) as raised:
        score_assessment(mini_catalogue, {**CLASSROOM, **change})
    assert any(message in p for p in raised.value.problems), raised.value.problems


def test_every_problem_is_listed_at_once(mini_catalogue: Catalogue) -> None:
    bad = {**CLASSROOM, "responses": {"noise.hum": 7, "lighting.illuminance": -3, "noise.absorption": "loud"}}
    with pytest.raises(AssessmentError) as raised:
        score_assessment(mini_catalogue, bad)
    assert len(raised.value.problems) == 3


def test_a_blank_answer_is_missing_and_true_false_words_are_yes_no(mini_catalogue: Catalogue) -> None:
    document = {
        **CLASSROOM,
        "responses": {**CLASSROOM["responses"], "noise.absorption": None, "lighting.dimmable": "false"},
    }
    result = score_assessment(mini_catalogue, document)
    assert result.items["noise.absorption"].status == "missing"
    assert "noise.absorption" in result.missing
    assert result.items["lighting.dimmable"].score == 0.0
