"""Item scores per kind, from the cases files in cases/ (input -> expected score)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from checklists.responses import AnswerError, Flicker, parse_answer
from checklists.schema import Catalogue, Target
from scoring.items import flicker_risk, round_half_up, score_answer, score_flicker, score_measurement

CASES = Path(__file__).parent / "cases"


def cases(name: str) -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = yaml.safe_load((CASES / name).read_text())
    return data


@pytest.mark.parametrize("case", cases("measurement.yaml"), ids=lambda c: c["note"])
def test_measurement(case: dict[str, Any]) -> None:
    target = Target(unit="u", ideal=tuple(case["ideal"]), limit=tuple(case["limit"]))
    assert score_measurement(case["readings"], target) == pytest.approx(case["score"], abs=1e-6)


@pytest.mark.parametrize("case", cases("flicker.yaml"), ids=lambda c: f"{c['percent']}%@{c['frequency_hz']}Hz")
def test_flicker(case: dict[str, Any]) -> None:
    assert flicker_risk(case["percent"], case["frequency_hz"]).value == case["risk"]
    assert score_flicker(Flicker(case["percent"], case["frequency_hz"])) == case["score"]


@pytest.mark.parametrize("case", cases("simple.yaml"), ids=lambda c: f"{c['item']}={c['answer']}")
def test_simple_kinds(case: dict[str, Any], mini_catalogue: Catalogue) -> None:
    resolved = mini_catalogue.checklist("school", "classroom").by_id()[case["item"]]
    assert score_answer(resolved, parse_answer(resolved, case["answer"])) == case["score"]


@pytest.mark.parametrize("case", cases("invalid.yaml"), ids=lambda c: f"{c['item']}={c['answer']!r}")
def test_invalid_answers_are_refused(case: dict[str, Any], mini_catalogue: Catalogue) -> None:
    resolved = mini_catalogue.checklist("school", "classroom").by_id()[case["item"]]
    with pytest.raises(AnswerError, match=case["says"].replace("(", r"\(")):
        parse_answer(resolved, case["answer"])


def test_measurement_uses_the_room_types_target(mini_catalogue: Catalogue) -> None:
    classroom = mini_catalogue.checklist("school", "classroom").by_id()["lighting.illuminance"]
    quiet = mini_catalogue.checklist("school", "quiet_room").by_id()["lighting.illuminance"]
    assert score_answer(classroom, (350.0,)) == 1.0
    assert score_answer(quiet, (350.0,)) == pytest.approx(0.5)


def test_text_items_are_not_scored(mini_catalogue: Catalogue) -> None:
    resolved = mini_catalogue.checklist("school", "classroom").by_id()["lighting.observations"]
    assert resolved.weight == 0.0
    assert score_answer(resolved, "Tube flickers near the door") is None


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [(0.5333333, 3, 0.533), (2.25, 1, 2.3), (2.2499999999999996, 1, 2.3), (71.44, 1, 71.4), (0.8995, 3, 0.9)],
)
def test_round_half_up(value: float, digits: int, expected: float) -> None:
    assert round_half_up(value, digits) == expected
