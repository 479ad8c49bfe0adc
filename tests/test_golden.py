"""The golden scored assessments: any change to the catalogue or the engine shows up here first."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.golden import ASSESSMENTS, score_path, scored


def test_there_is_one_golden_room_per_setting() -> None:
    assert {p.name.split(".")[0] for p in ASSESSMENTS} == {"clinic", "school", "workplace"}


@pytest.mark.parametrize("path", ASSESSMENTS, ids=lambda p: p.name)
def test_golden_result_is_unchanged(path: Path) -> None:
    expected = score_path(path).read_text(encoding="utf-8")
    assert scored(path) == expected, "scores changed: review, then run `make golden` to accept"
