"""The shipped catalogue: complete, resolvable for every room type, and true to CRITERIA.md."""

from __future__ import annotations

import pytest

from checklists.loader import default_catalogue
from checklists.schema import PRINCIPLES, ItemKind

CATALOGUE = default_catalogue()
ROOM_TYPES = {
    "clinic": ["waiting_room", "consultation_room", "examination_room", "corridor", "quiet_room"],
    "school": ["classroom", "special_needs_classroom", "dining_hall", "corridor", "quiet_room"],
    "workplace": ["open_office", "enclosed_office", "meeting_room", "break_room", "reception", "quiet_room"],
}
ALL = [(s, rt) for s, rts in ROOM_TYPES.items() for rt in rts]


def test_every_room_type_of_every_setting_resolves() -> None:
    assert sorted(CATALOGUE.checklists) == sorted(ALL)
    assert set(CATALOGUE.settings) == set(ROOM_TYPES)


@pytest.mark.parametrize(("setting", "room_type"), ALL)
def test_each_category_has_items_in_every_room_type(setting: str, room_type: str) -> None:
    checklist = CATALOGUE.checklist(setting, room_type)
    for category in CATALOGUE.categories:
        scored = [r for r in checklist.items if r.item.category == category.id and r.item.scored]
        assert len(scored) >= 5, f"{category.id} has {len(scored)} scored items in {setting}/{room_type}"
    assert all(r.target is not None for r in checklist.items if r.item.kind is ItemKind.measurement)


def test_at_least_twelve_items_per_category() -> None:
    for category in CATALOGUE.categories:
        assert sum(1 for i in CATALOGUE.items if i.category == category.id) >= 12, category.id


def test_every_item_has_the_full_anatomy() -> None:
    for item in CATALOGUE.items:
        for text in (item.question, item.guidance, item.how_to_fix, item.source):
            assert len(text.strip()) > 10, item.id
        assert set(item.principles) <= set(PRINCIPLES)
        assert not item.id.split(".")[1].startswith("no_"), f"{item.id}: ids are nouns, not negations"


@pytest.mark.parametrize(
    ("setting", "room_type", "item", "ideal", "limit"),
    [
        ("school", "classroom", "lighting.illuminance", (300, 500), (150, 1000)),
        ("workplace", "open_office", "lighting.illuminance", (300, 500), (150, 1000)),
        ("clinic", "waiting_room", "lighting.illuminance", (150, 300), (75, 750)),
        ("workplace", "reception", "lighting.illuminance", (150, 300), (75, 750)),
        ("clinic", "examination_room", "lighting.illuminance", (500, 1000), (300, 2000)),
        ("school", "corridor", "lighting.illuminance", (100, 200), (50, 500)),
        ("clinic", "quiet_room", "lighting.illuminance", (50, 200), (None, 500)),
        ("school", "classroom", "lighting.colour_temperature", (3000, 4000), (2200, 6500)),
        ("workplace", "quiet_room", "lighting.colour_temperature", (None, 2700), (None, 4000)),
        ("school", "classroom", "noise.background_level", (None, 35), (None, 50)),
        ("school", "special_needs_classroom", "noise.background_level", (None, 30), (None, 45)),
        ("school", "quiet_room", "noise.background_level", (None, 30), (None, 45)),
        ("clinic", "consultation_room", "noise.background_level", (None, 35), (None, 50)),
        ("clinic", "waiting_room", "noise.background_level", (None, 40), (None, 55)),
        ("school", "dining_hall", "noise.background_level", (None, 40), (None, 55)),
        ("workplace", "enclosed_office", "noise.background_level", (None, 35), (None, 50)),
        ("workplace", "open_office", "noise.background_level", (None, 45), (None, 55)),
        ("school", "classroom", "noise.reverberation_time", (None, 0.6), (None, 1.2)),
        ("workplace", "meeting_room", "noise.reverberation_time", (None, 0.6), (None, 1.2)),
        ("school", "special_needs_classroom", "noise.reverberation_time", (None, 0.4), (None, 0.8)),
        ("workplace", "open_office", "noise.reverberation_time", (None, 0.5), (None, 1.0)),
        ("clinic", "examination_room", "lighting.colour_rendering", (90, None), (80, None)),
        ("school", "classroom", "lighting.colour_rendering", (80, None), (70, None)),
        ("school", "classroom", "quiet_zones.walking_distance", (None, 30), (None, 150)),
    ],
)
def test_targets_follow_the_criteria(
    setting: str,
    room_type: str,
    item: str,
    ideal: tuple[float | None, float | None],
    limit: tuple[float | None, float | None],
) -> None:
    target = CATALOGUE.checklist(setting, room_type).by_id()[item].target
    assert target is not None
    assert (target.ideal, target.limit) == (ideal, limit)


def test_room_specific_items_apply_only_where_criteria_say() -> None:
    speech = {(s, rt) for (s, rt), c in CATALOGUE.checklists.items() if "noise.speech_privacy" in c.by_id()}
    assert speech == {("clinic", "consultation_room"), ("clinic", "examination_room"), ("workplace", "meeting_room")}
    area = {(s, rt) for (s, rt), c in CATALOGUE.checklists.items() if "quiet_zones.quiet_room_area" in c.by_id()}
    assert area == {("workplace", "quiet_room")}
    for setting in ROOM_TYPES:
        assert "lighting.daylight_control" not in CATALOGUE.checklist(setting, "quiet_room").by_id()


def test_retreat_space_is_critical() -> None:
    assert CATALOGUE.item("quiet_zones.retreat_space").critical
    assert CATALOGUE.item("quiet_zones.retreat_space").kind is ItemKind.yes_no
