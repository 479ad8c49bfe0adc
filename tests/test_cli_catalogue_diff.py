"""`sensory-audit catalogue diff OLD NEW`: what changed between two catalogues, and its exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from checklists.loader import DEFAULT_CATALOGUE_DIR
from cli import app
from tests.catalogue_versions import NEW_NAME, NEW_VERSION, OLD_NAME, RETIRED, new_version

runner = CliRunner()


def test_the_same_catalogue_has_no_differences() -> None:
    result = runner.invoke(app, ["catalogue", "diff", str(DEFAULT_CATALOGUE_DIR), str(DEFAULT_CATALOGUE_DIR)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["Catalogue 2026.1 -> 2026.1", "No differences."]


def test_a_new_version_lists_retired_renamed_and_the_moved_threshold(tmp_path: Path) -> None:
    folder = new_version(tmp_path)
    result = runner.invoke(app, ["catalogue", "diff", str(DEFAULT_CATALOGUE_DIR), str(folder)])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Catalogue 2026.1 -> {NEW_VERSION}"
    assert lines[lines.index("Items retired (1)") + 1] == f"  {RETIRED}"
    assert lines[lines.index("Items renamed (1)") + 1] == f"  {OLD_NAME} -> {NEW_NAME}"
    moved = lines[lines.index("Weights, targets and items per room type (1)") + 1]
    assert moved == (
        "  school/classroom: target of noise.background_level: ideal at most 35 dBA; 0 above 50 dBA -> "
        "ideal at most 30 dBA; 0 above 45 dBA"
    )
    assert "Not declared" not in result.output  # every change is declared in changes:


def test_wording_weights_new_items_and_undeclared_changes_as_json(tmp_path: Path) -> None:
    folder = new_version(tmp_path)
    lighting = folder / "lighting.yaml"
    text = lighting.read_text()
    text = text.replace(
        "question: What is the colour temperature of the electric lighting, in kelvin?",
        "question: What colour temperature, in kelvin, does the electric lighting have?",
    )
    text = text.replace("target: {unit: K, ideal: [3000, 4000], limit: [2200, 6500]}",
                        "target: {unit: K, ideal: [3000, 3500], limit: [2200, 6500]}")  # fmt: skip
    dimmable = text.index("  - id: lighting.dimmable\n")
    end = text.index("\n  - id:", dimmable + 1) + 1
    copy = text[dimmable:end].replace("lighting.dimmable", "lighting.dimmer_reachable")
    lighting.write_text(text[:end] + copy + text[end:])
    school = folder / "profiles" / "school.yaml"
    school.write_text(school.read_text().replace("noise.reverberation_time: 1.5", "noise.reverberation_time: 2.5", 1))
    result = runner.invoke(app, ["catalogue", "diff", str(DEFAULT_CATALOGUE_DIR), str(folder), "--format", "json"])
    assert result.exit_code == 1, result.output
    diff = json.loads(result.output)
    assert diff["added"] == ["lighting.dimmer_reachable"]
    assert diff["retired"] == [RETIRED]
    assert diff["undeclared"] == ["lighting.dimmer_reachable is new but not listed under new or renamed"]
    wording = [(c["where"], c["what"]) for c in diff["wording"]]
    assert wording == [("lighting.colour_temperature", "question")]
    assert {"where": "lighting.colour_temperature", "what": "target",
            "old": "ideal 3000–4000 K; 0 below 2200 or above 6500 K",
            "new": "ideal 3000–3500 K; 0 below 2200 or above 6500 K"} in diff["items"]  # fmt: skip
    assert {"where": "school/classroom", "what": "weight of noise.reverberation_time", "old": "1.5",
            "new": "2.5"} in diff["room_types"]  # fmt: skip
    # A new item is listed once, as added, not again as "applies" in every room type.
    assert not [c for c in diff["room_types"] if c["what"] == "lighting.dimmer_reachable"]


def test_a_folder_that_does_not_load_exits_2_with_file_line_field(tmp_path: Path) -> None:
    folder = new_version(tmp_path)
    index = folder / "catalogue.yaml"
    index.write_text(index.read_text().replace(f"retired: [{RETIRED}]", "retired: [lighting.illuminance]"))
    result = runner.invoke(app, ["catalogue", "diff", str(DEFAULT_CATALOGUE_DIR), str(folder)])
    assert result.exit_code == 2
    assert "catalogue.yaml:10: changes.retired[0]: 'lighting.illuminance' is still an item" in result.output
    assert "Traceback" not in result.output


def test_a_version_the_store_does_not_keep_exits_2(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SENSORY_AUDIT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    result = runner.invoke(app, ["catalogue", "diff", "2019.1", str(DEFAULT_CATALOGUE_DIR)])
    assert result.exit_code == 2
    assert "2019.1: the store keeps no catalogue version 2019.1 (it keeps: 2026.1)" in result.output
    # A kept version is named like a folder: the store keeps the shipped one from its first opening.
    same = runner.invoke(app, ["catalogue", "diff", "2026.1", str(DEFAULT_CATALOGUE_DIR)])
    assert same.exit_code == 0, same.output


def test_the_kept_versions_are_listed_and_compared(tmp_path: Path, monkeypatch) -> None:
    from checklists.loader import default_catalogue

    monkeypatch.setenv("SENSORY_AUDIT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert runner.invoke(app, ["catalogue", "versions"]).output.startswith("2026.1  (current): first seen ")
    monkeypatch.setenv("SENSORY_AUDIT_CATALOGUE_DIR", str(new_version(tmp_path)))
    default_catalogue.cache_clear()
    try:
        listed = runner.invoke(app, ["catalogue", "versions"])
        assert listed.exit_code == 0, listed.output
        lines = listed.output.splitlines()
        assert lines[0].startswith("2026.1: first seen ")
        assert lines[1].startswith(f"{NEW_VERSION}  (current): first seen ")
        assert lines[1].endswith(", after 2026.1")
        both = runner.invoke(app, ["catalogue", "diff", "2026.1", NEW_VERSION])
        assert both.exit_code == 1
        assert f"  {RETIRED}" in both.output.splitlines()
    finally:
        default_catalogue.cache_clear()


def test_the_documented_example_is_what_the_command_prints(tmp_path: Path) -> None:
    page = (Path(__file__).parent.parent / "docs" / "catalogue-versions.md").read_text()
    block = page.split("$ sensory-audit catalogue diff checklists/data new-criteria\n", 1)[1].split("```", 1)[0]
    result = runner.invoke(app, ["catalogue", "diff", str(DEFAULT_CATALOGUE_DIR), str(new_version(tmp_path))])
    assert result.output.splitlines() == block.rstrip("\n").splitlines()
