"""The plausibility factor of measurement items: how far past its limit a reading may go before the
Assess screen asks "Save it anyway?"."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from checklists.loader import DEFAULT_CATALOGUE_DIR, CatalogueError, default_catalogue, load_catalogue
from checklists.schema import DEFAULT_PLAUSIBLE_FACTOR, ItemKind


def _catalogue_with(tmp_path: Path, file: str, find: str, replace: str) -> tuple[Path, int]:
    folder = tmp_path / "catalogue"
    shutil.copytree(DEFAULT_CATALOGUE_DIR, folder)
    path = folder / file
    text = path.read_text()
    assert find in text, f"the shipped {file} no longer has {find!r}; update this test"
    path.write_text(text.replace(find, replace, 1))
    return folder, text[: text.index(find)].count("\n") + 1


def test_every_measurement_has_a_factor_above_one() -> None:
    for item in default_catalogue().items:
        if item.kind is ItemKind.measurement:
            assert item.unlikely_factor > 1, item.id
    assert default_catalogue().item("quiet_zones.walking_distance").unlikely_factor == DEFAULT_PLAUSIBLE_FACTOR
    assert default_catalogue().item("noise.background_level").unlikely_factor == 1.6


@pytest.mark.parametrize(
    ("value", "says"),
    [("1", "must be a number above 1 (got 1)"), ("0.5", "must be a number above 1"), ("loud", "valid number")],
)
def test_a_bad_factor_is_reported_with_file_line_and_field(tmp_path: Path, value: str, says: str) -> None:
    folder, line = _catalogue_with(
        tmp_path, "noise.yaml", "    plausible_factor: 1.6\n", f"    plausible_factor: {value}\n"
    )
    with pytest.raises(CatalogueError) as raised:
        load_catalogue(folder)
    messages = [str(p) for p in raised.value.problems]
    assert any(f"noise.yaml:{line}: items[0].plausible_factor: " in m and says in m for m in messages), messages


def test_a_factor_belongs_to_measurements_only(tmp_path: Path) -> None:
    folder, _ = _catalogue_with(
        tmp_path,
        "noise.yaml",
        "  - id: noise.speech_privacy\n",
        "  - id: noise.speech_privacy\n    plausible_factor: 3\n",
    )
    with pytest.raises(CatalogueError) as raised:
        load_catalogue(folder)
    assert any("'plausible_factor' does not belong to a yes_no item" in str(p) for p in raised.value.problems)
