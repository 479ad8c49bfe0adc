"""The command line as a person uses it: exit codes, messages, and the JSON contracts."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checklists.loader import DEFAULT_CATALOGUE_DIR, default_catalogue
from cli import app
from scoring.engine import score_assessment

runner = CliRunner()

# The example assessment file of DESIGN.md, as written there.
DESIGN_EXAMPLE = """\
setting: school
room_type: classroom
room: "Year 3 classroom"          # optional label
responses:
  lighting.illuminance: [420, 610] # two readings
  lighting.dimmable: yes
  noise.background_level: 42
  quiet_zones.walking_distance: n/a
"""


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_design_example_scores(tmp_path: Path) -> None:
    code, out, _ = run("score", str(write(tmp_path, "a.yaml", DESIGN_EXAMPLE)))
    assert code == 0
    data = json.loads(out)
    assert (data["setting"], data["room_type"], data["catalogue_version"]) == ("school", "classroom", "2026.1")
    assert data["items"]["noise.background_level"] == {"score": 0.533, "status": "answered", "weight": 2.0}
    assert data["items"]["lighting.illuminance"]["score"] == 0.89
    assert data["items"]["lighting.dimmable"]["score"] == 1.0
    assert data["items"]["quiet_zones.walking_distance"]["status"] == "not_applicable"
    assert data["provisional"] is True
    assert "noise.reverberation_time" in data["missing"]
    # The same numbers as the library gives.
    expected = score_assessment(default_catalogue(), json.loads(json.dumps({
        "setting": "school", "room_type": "classroom",
        "responses": {"lighting.illuminance": [420, 610], "lighting.dimmable": "yes",
                      "noise.background_level": 42, "quiet_zones.walking_distance": "n/a"}})))  # fmt: skip
    assert data == expected.model_dump(mode="json")


def test_json_file_and_text_scorecard(tmp_path: Path) -> None:
    doc = {"setting": "workplace", "room_type": "open_office", "room": "Café level 2",
           "responses": {"noise.background_level": [47, 52], "quiet_zones.retreat_space": "no",
                         "lighting.flicker": {"percent": 12, "frequency_hz": 100}}}  # fmt: skip
    path = write(tmp_path, "a.json", json.dumps(doc))
    code, out, _ = run("score", str(path), "--format", "text")
    assert code == 0
    assert "Café level 2 (Open-plan office, Workplace)" in out
    assert "PROVISIONAL" in out
    assert "quiet_zones.retreat_space" in out.split("Critical items failed")[1]
    code, out, _ = run("score", str(path))
    data = json.loads(out)
    assert data["band"] in ("C", "D")
    assert data["critical_failures"] == ["lighting.flicker", "quiet_zones.retreat_space"]
    # Failed critical items lead the action plan.
    assert {a["item"] for a in data["actions"][:2]} == set(data["critical_failures"])
    assert all(a["critical"] for a in data["actions"][:2])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("setting: school\nroom_type: classroom\nresponses:\n  lighting.glow: yes\n", "lighting.glow: unknown item id"),
        ("setting: prison\nroom_type: cell\nresponses: {}\n", "setting: unknown setting 'prison'"),
        ("setting: school\nroom_type: ward\nresponses: {}\n", "room_type: unknown room type 'ward'"),
        ("setting: school\nroom_type: classroom\nresponses:\n  quiet_zones.quiet_room_area: 9\n",
         "quiet_zones.quiet_room_area: does not apply to a classroom"),
        ("setting: school\nroom_type: classroom\nresponses:\n  lighting.illuminance: bright\n",
         "lighting.illuminance: reading must be a number"),
        ("setting: school\nroom_type: classroom\nresponses:\n  textures.natural_materials: 7\n",
         "textures.natural_materials: rating must be a whole number from 0 to 4"),
        ("setting: school\nroom_type: classroom\nresponses:\n  textures.muted_colours: purple\n",
         "textures.muted_colours: expected one of yes, partial, no or n/a"),
        ("setting: school\nroom_type: classroom\nresponses:\n  lighting.illuminance: n/a\n",
         "lighting.illuminance: n/a is not allowed"),
        ("setting: school\nroom_type: classroom\nresponses:\n  lighting.illuminance: -20\n",
         "lighting.illuminance: reading -20 lx is not physically possible"),
        ("setting: school\nroom_type: classroom\nresponses:\n  noise.reverberation_time: -0.5\n",
         "noise.reverberation_time: reading -0.5 s is not physically possible"),
        ("setting: school\nroom_type: classroom\nresponses:\n  noise.background_level: 150\n",
         "noise.background_level: reading 150 dBA is not physically possible (allowed: 0 to 140 dBA)"),
        ("setting: school\nroom_type: classroom\nresponses:\n  lighting.flicker: {percent: 140, frequency_hz: 100}\n",
         "lighting.flicker: percent flicker must be from 0 to 100"),
        ("setting: school\nroom_type: classroom\nresponses:\n  lighting.flicker: {percent: 4, frequency_hz: 0}\n",
         "lighting.flicker: frequency_hz must be above 0 Hz"),
        ("setting: school\nroom_type: classroom\nresponses:\n  noise.background_level: .nan\n",
         "noise.background_level: reading must be a finite number"),
        ("setting: school\nroom_type: classroom\nresponses:\n  noise.background_level: [30, .inf]\n",
         "noise.background_level: the second reading must be a finite number"),
        ("", "the file is empty"),
        ("setting: school\nroom_type: [classroom\n", "not valid YAML"),
        ("- 1\n- 2\n", "expected a mapping"),
    ],
)  # fmt: skip
def test_bad_assessments_are_refused(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, "bad.yaml", text)
    code, out, err = run("score", str(path))
    assert code == 2
    assert out == ""
    assert expected in err, err
    assert "Traceback" not in err
    assert err.startswith(str(path))


def test_nan_in_json_and_every_problem_on_its_own_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.json", '{"setting": "school", "room_type": "classroom", "responses": '
                 '{"noise.background_level": NaN, "lighting.illuminance": -1, "noise.hum_x": 1}}')  # fmt: skip
    code, _, err = run("score", str(path))
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 3
    assert all(line.startswith(f"{path}: ") for line in lines)


def test_missing_file(tmp_path: Path) -> None:
    code, _, err = run("score", str(tmp_path / "nope.yaml"))
    assert (code, err.strip()) == (2, f"{tmp_path / 'nope.yaml'}: no such file")


def test_catalogue_show_contract() -> None:
    code, out, _ = run("catalogue", "show", "--setting", "school", "--room-type", "classroom", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["setting", "room_type", "catalogue_version", "categories", "items"]
    assert data["categories"]["lighting"] == {"weight": 1.0}
    first = data["items"][0]
    assert first == {
        "id": "lighting.illuminance", "category": "lighting", "kind": "measurement", "weight": 1.0,
        "critical": False, "allow_na": False, "effort": first["effort"], "principles": first["principles"],
        "good_answer": None, "options": None,
        "target": {"unit": "lx", "ideal": [300, 500], "limit": [150, 1000]},
    }  # fmt: skip
    muted = next(i for i in data["items"] if i["id"] == "textures.muted_colours")
    assert muted["options"] == [{"value": "yes", "score": 1.0}, {"value": "partial", "score": 0.5},
                                {"value": "no", "score": 0.0}]  # fmt: skip
    ids = [i["id"] for i in data["items"]]
    assert "quiet_zones.quiet_room_area" not in ids
    assert len(ids) == len(default_catalogue().checklist("school", "classroom").items)


def test_catalogue_show_unknown_room_type() -> None:
    code, _, err = run("catalogue", "show", "--setting", "school", "--room-type", "lab")
    assert code == 2
    assert "unknown room type 'lab' for setting 'school'" in err


def test_catalogue_check(tmp_path: Path) -> None:
    code, out, _ = run("catalogue", "check")
    assert code == 0
    assert "is valid: 55 items in 4 categories, 16 room types in 3 settings" in out
    folder = tmp_path / "cat"
    shutil.copytree(DEFAULT_CATALOGUE_DIR, folder)
    noise = folder / "noise.yaml"
    noise.write_text(noise.read_text().replace("effort: high", "effort: huge", 1))
    code, _, err = run("catalogue", "check", str(folder))
    assert code == 2
    assert "noise.yaml:" in err
    assert ".effort: Input should be 'low', 'medium' or 'high' (got 'huge')" in err


def test_console_script_runs_without_traceback(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "sensory-audit"
    bad = write(tmp_path, "bad.yaml", "setting: school\nroom_type: classroom\nresponses:\n  noise.hum_level: 3\n")
    done = subprocess.run([str(script), "score", str(bad)], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stderr.strip() == f"{bad}: noise.hum_level: unknown item id"
    good = write(tmp_path, "good.yaml", DESIGN_EXAMPLE)
    done = subprocess.run(
        [str(script), "score", str(good), "--format", "json"], capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout)["items"]["lighting.illuminance"]["score"] == 0.89
