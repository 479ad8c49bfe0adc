"""An organisation's criteria file: each kind of override changes the score as DESIGN.md says, and a
bad file is refused with its file, line and field."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from checklists.loader import CatalogueError, default_catalogue
from checklists.overrides import (
    apply_override,
    base_version,
    check_override,
    override_version,
    parse_override_version,
    read_override,
)
from checklists.schema import Catalogue, ItemKind
from scoring.engine import score_assessment

FILE = "riverside.yaml"


def _good_answers(catalogue: Catalogue, setting: str = "school", room_type: str = "classroom") -> dict[str, Any]:
    """Every scored item of a room type answered at full marks."""
    answers: dict[str, Any] = {}
    for r in catalogue.checklist(setting, room_type).items:
        item = r.item
        if item.kind is ItemKind.yes_no:
            answers[item.id] = "yes" if item.good_answer else "no"
        elif item.kind is ItemKind.choice:
            assert item.options is not None
            answers[item.id] = max(item.options, key=lambda o: o.score).value
        elif item.kind is ItemKind.rating:
            answers[item.id] = 4
        elif item.kind is ItemKind.measurement:
            assert r.target is not None
            lo, hi = r.target.ideal
            answers[item.id] = lo if lo is not None else hi
        elif item.kind is ItemKind.flicker:
            answers[item.id] = {"percent": 0, "frequency_hz": 3000}
    return answers


def _score(catalogue: Catalogue, answers: dict[str, Any]) -> Any:
    return score_assessment(catalogue, {"setting": "school", "room_type": "classroom", "responses": answers})


def _apply(text: str) -> Catalogue:
    base = default_catalogue()
    return apply_override(base, read_override(text, base, FILE), override_version(base.version, 7, 1))


def test_the_version_names_base_and_organisation_version() -> None:
    assert override_version("2026.1", 7, 3) == "2026.1+org7.3"
    parsed = parse_override_version("2026.1+org7.3")
    assert parsed is not None
    assert (parsed.base, parsed.organisation_id, parsed.number) == ("2026.1", 7, 3)
    assert parse_override_version("2026.1") is None
    assert base_version("2027.1+org12.40") == "2027.1"
    assert base_version("2026.1") == "2026.1"
    catalogue = _apply("critical: [noise.background_level]\n")
    assert catalogue.version == "2026.1+org7.1"
    assert catalogue.checklist("school", "classroom").catalogue_version == "2026.1+org7.1"
    assert _score(catalogue, {}).catalogue_version == "2026.1+org7.1"


def test_a_threshold_moves_the_measurement_score() -> None:
    base = default_catalogue()
    answers = _good_answers(base) | {"noise.background_level": 42}
    before = _score(base, answers)
    assert before.items["noise.background_level"].score == pytest.approx(0.533, abs=1e-3)
    quieter = _apply(
        "thresholds:\n  school/classroom:\n    noise.background_level: {ideal: [null, 30], limit: [null, 45]}\n"
    )
    after = _score(quieter, answers)
    # (45 - 42) / (45 - 30) = 0.2
    assert after.items["noise.background_level"].score == pytest.approx(0.2, abs=1e-3)
    assert after.overall is not None
    assert before.overall is not None
    assert after.overall < before.overall
    # Only the room type named changes: a special-needs classroom keeps its own target.
    assert quieter.checklist("school", "special_needs_classroom") == base.checklist(
        "school", "special_needs_classroom"
    ).model_copy(update={"catalogue_version": quieter.version})


def test_a_weight_is_the_items_weight_in_its_category() -> None:
    base = default_catalogue()
    answers = _good_answers(base) | {"noise.background_level": 42}
    heavier = _apply("weights:\n  school/classroom: {noise.background_level: 6}\n")
    result = _score(heavier, answers)
    assert result.items["noise.background_level"].weight == 6.0
    noise = [r for r in heavier.checklist("school", "classroom").items if r.item.category == "noise" and r.item.scored]
    scores = {i: result.items[r.id].score for i, r in enumerate(noise)}
    expected = 100 * sum(r.weight * scores[i] for i, r in enumerate(noise)) / sum(r.weight for r in noise)
    assert result.categories["noise"].score == pytest.approx(expected, abs=0.05)
    assert result.categories["noise"].score < _score(base, answers).categories["noise"].score
    # A setting-wide weight applies to every room type of the setting; the room type's own wins.
    both = _apply("weights:\n  school: {noise.background_level: 4}\n  school/classroom: {noise.background_level: 6}\n")
    assert both.checklist("school", "classroom").by_id()["noise.background_level"].weight == 6.0
    assert both.checklist("school", "dining_hall").by_id()["noise.background_level"].weight == 4.0


def test_a_switched_off_item_counts_neither_in_score_nor_in_completeness() -> None:
    base = default_catalogue()
    answers = _good_answers(base)
    del answers["textures.natural_materials"]
    assert _score(base, answers).completeness < 1
    off = _apply("switched_off: [textures.natural_materials]\n")
    result = _score(off, answers)
    assert result.completeness == 1.0
    assert "textures.natural_materials" not in result.items
    assert "textures.natural_materials" not in {item.id for item in off.items}
    assert all("textures.natural_materials" not in c.by_id() for c in off.checklists.values())


def test_an_item_made_critical_caps_the_band_and_leads_the_action_plan() -> None:
    base = default_catalogue()
    answers = _good_answers(base) | {"noise.background_level": 60}
    before = _score(base, answers)
    assert before.band == "A"
    assert before.critical_failures == []
    critical = _apply("critical: [noise.background_level]\n")
    after = _score(critical, answers)
    assert after.overall == before.overall
    assert after.band == "C"
    assert after.critical_failures == ["noise.background_level"]
    assert after.actions[0].item == "noise.background_level"
    assert after.actions[0].critical


ADDED = """\
items:
  - id: lighting.night_light
    kind: yes_no
    question: Is there a dim night light that staff can switch on without waking others?
    guidance: Good - a low, warm light at floor level, on its own switch by the door.
    how_to_fix: Fit a plug-in or wired night light on its own switch.
    effort: low
    principles: [safety, regulation]
    source: Riverside Health ward lighting policy RH-L2 (2026)
    evidence: D
    good_answer: yes
    applies_to: [school/classroom]
    weight: 2
"""


def test_an_added_item_is_scored_where_it_applies() -> None:
    base = default_catalogue()
    catalogue = _apply(ADDED)
    added = catalogue.item("lighting.night_light")
    assert added.source == "Riverside Health ward lighting policy RH-L2 (2026)"
    classroom = catalogue.checklist("school", "classroom").by_id()
    assert classroom["lighting.night_light"].weight == 2.0
    assert "lighting.night_light" not in catalogue.checklist("school", "quiet_room").by_id()
    # It sits with its category, after the shipped lighting items.
    ids = [r.id for r in catalogue.checklist("school", "classroom").items]
    assert ids.index("lighting.night_light") < min(i for i, x in enumerate(ids) if x.startswith("noise."))
    answers = _good_answers(base)
    assert _score(catalogue, answers | {"lighting.night_light": "yes"}).categories["lighting"].score == 100.0
    failed = _score(catalogue, answers | {"lighting.night_light": "no"})
    lighting = [r for r in catalogue.checklist("school", "classroom").items if r.item.category == "lighting"]
    total = sum(r.weight for r in lighting if r.item.scored)
    assert failed.categories["lighting"].score == pytest.approx(100 * (total - 2) / total, abs=0.05)
    assert _score(catalogue, answers).completeness < 1  # unanswered, it counts as missing


def test_an_empty_file_changes_nothing() -> None:
    base = default_catalogue()
    same = _apply("# nothing yet\n")
    assert same.checklist("school", "classroom").items == base.checklist("school", "classroom").items


# (override text, expected "file:line: field: message" fragment)
MISTAKES = [
    ("critical: [noise.quietness]\n", f"{FILE}:1: critical[0]: unknown item 'noise.quietness'"),
    ("thresholds:\n  school/classroom:\n    noise.background_level: {ideal: [null, 40], limit: [null, 35]}\n",
     f"{FILE}:3: thresholds.school/classroom.noise.background_level: ideal [null, 40] reaches above limit"),
    ("weights:\n  school/classroom:\n    noise.background_level: 12\n",
     f"{FILE}:3: weights.school/classroom.noise.background_level: must be more than 0 and at most 10 (got 12)"),
    ("weights:\n  school/classroom:\n    noise.background_level: 0\n",
     f"{FILE}:3: weights.school/classroom.noise.background_level: must be more than 0"),
    (ADDED.replace("    source: Riverside Health ward lighting policy RH-L2 (2026)\n", ""),
     f"{FILE}:2: items[0].source: required field is missing"),
    (ADDED.replace("[safety, regulation]", "[safety, calm]"), f"{FILE}:8: items[0].principles[1]: Input should be"),
    ("weights:\n  school/gym: {noise.background_level: 2}\n",
     f"{FILE}:2: weights.school/gym: unknown room type 'gym' of setting 'school'"),
    ("thresholds:\n  school/classroom:\n    noise.background_level: {unit: dB, ideal: [null, 30], limit: [null, 45]}\n",
     f"{FILE}:3: thresholds.school/classroom.noise.background_level.unit: 'dB' differs from the item's unit 'dBA'"),
    ("thresholds:\n  school/classroom:\n    lighting.dimmable: {ideal: [1, 2], limit: [0, 3]}\n",
     f"{FILE}:3: thresholds.school/classroom.lighting.dimmable: 'lighting.dimmable' is a yes_no item"),
    ("switched_off: [textures.natural_materials]\ncritical: [textures.natural_materials]\n",
     f"{FILE}:2: critical[0]: 'textures.natural_materials' is switched off in this file"),
    (ADDED.replace("lighting.night_light", "lighting.dimmable"),
     f"{FILE}:2: items[0].id: 'lighting.dimmable' is already an item of catalogue 2026.1"),
    (ADDED.replace("school/classroom]", "school/classroom, hospital]"),
     f"{FILE}:12: items[0].applies_to[1]: unknown setting 'hospital'"),
    ("colour: blue\n", f"{FILE}:1: colour: unknown field"),
    ("critical: [noise.background_level\n", f"{FILE}:2: (yaml): not valid YAML"),
    ("- noise.background_level\n", f"{FILE}:1: (file): must be a mapping"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), MISTAKES, ids=[m[1].split(": ", 2)[1] for m in MISTAKES])
def test_a_bad_file_is_refused_with_its_line_and_field(text: str, expected: str) -> None:
    base = default_catalogue()
    with pytest.raises(CatalogueError) as raised:
        read_override(text, base, FILE)
    shown = [str(p) for p in raised.value.problems]
    assert any(line.startswith(expected) for line in shown), shown
    assert check_override(text, base, FILE) == raised.value.problems


def test_every_problem_of_a_file_is_reported_at_once() -> None:
    text = "critical: [noise.quietness]\nweights:\n  school/classroom: {noise.loudness: 2}\n  school/gym: {}\n"
    problems = check_override(text, default_catalogue(), FILE)
    assert [(p.line, p.field) for p in problems] == [
        (1, "critical[0]"),
        (3, "weights.school/classroom.noise.loudness"),
        (4, "weights.school/gym"),
    ]


DOC = Path(__file__).resolve().parents[2] / "docs" / "organisation-criteria.md"


def test_the_documented_example_applies_and_the_documented_mistakes_are_the_real_messages() -> None:
    text = DOC.read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", text, re.DOTALL)
    assert example is not None
    base = default_catalogue()
    catalogue = apply_override(base, read_override(example.group(1), base), "2026.1+org1.1")
    waiting = catalogue.checklist("clinic", "waiting_room").by_id()
    assert waiting["lighting.night_light"].weight == 1.0
    assert waiting["noise.background_level"].item.critical
    assert waiting["noise.background_level"].weight == 2.0
    assert catalogue.checklist("clinic", "corridor").by_id()["quiet_zones.retreat_space"].weight == 3.0
    documented = re.findall(r"^riverside-criteria\.yaml:.*$", text, re.MULTILINE)
    first = """\
thresholds:
  clinic/waiting_room:
    noise.background_level: {ideal: [null, 40], limit: [null, 35]}
weights:
  school/classroom:
    noise.background_level: 12
items:
  - id: lighting.night_light
    kind: yes_no
    question: Is there a night light?
    guidance: A low, warm light.
    how_to_fix: Fit one.
    effort: low
    principles: [safety, calm]
    evidence: D
    good_answer: yes
    applies_to: [clinic/waiting_room]
"""
    second = "critical: [noise.quietness]\nweights:\n  school/gym: {noise.background_level: 2}\n"
    real = [str(p) for t in (first, second) for p in check_override(t, base, "riverside-criteria.yaml")]
    assert documented == real
