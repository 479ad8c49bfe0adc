"""`sensory-audit criteria import|export|versions` as a person runs them: a round trip, a bad file
refused whole, and the roles that may not change an organisation's criteria."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from tests.reports.conftest import pdf_pages

runner = CliRunner()

SCHOOL = "2"  # Hillview Primary School in the demo portfolio
QUIETER = """\
# Hillview's own criteria: quieter classrooms, and the night light the trust asked for.
thresholds:
  school/classroom:
    noise.background_level: {ideal: [null, 30], limit: [null, 45]}
critical: [noise.background_level]
"""


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SENSORY_AUDIT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SENSORY_AUDIT_USER", raising=False)
    assert run("demo")[0] == 0
    return tmp_path


def test_import_export_round_trip(demo: Path) -> None:
    source = demo / "hillview.yaml"
    source.write_text(QUIETER, encoding="utf-8")
    code, out, err = run(
        "criteria", "import", str(source), "--org", SCHOOL, "--reason", "Trust noise policy 2026",
        "--as", "consultant@demo.sensory-audit.test",
    )  # fmt: skip
    assert code == 0, err
    assert out.strip() == (
        f"Saved criteria version 1 of organisation {SCHOOL} (2026.1+org{SCHOOL}.1) "
        "by consultant@demo.sensory-audit.test"
    )
    exported = demo / "exported.yaml"
    code, out, err = run("criteria", "export", "--org", SCHOOL, "--out", str(exported))
    assert code == 0, err
    assert exported.read_text(encoding="utf-8") == QUIETER
    code, out, _ = run("criteria", "versions", "--org", SCHOOL)
    assert code == 0
    (line,) = out.strip().splitlines()
    number, _, who, why = line.split("\t")
    assert (number, who, why) == ("1", "consultant@demo.sensory-audit.test", "Trust noise policy 2026")
    # The blank checklist of the organisation follows its criteria.
    pdf = demo / "classroom.pdf"
    code, _, err = run(
        "checklist", "--setting", "school", "--room-type", "classroom", "--out", str(pdf), "--org", SCHOOL
    )  # fmt: skip
    assert code == 0, err
    text = " ".join(pdf_pages(pdf))
    assert f"Criteria version 2026.1+org{SCHOOL}.1" in text
    assert "ideal at most 30 dBA" in text
    # The exported file imports again as the next version.
    code, out, err = run("criteria", "import", str(exported), "--org", SCHOOL, "--reason", "Restored")
    assert code == 0, err
    assert "Saved criteria version 2" in out


def test_a_bad_file_is_refused_whole(demo: Path) -> None:
    bad = demo / "bad.yaml"
    bad.write_text(
        "weights:\n  school/classroom:\n    noise.background_level: 40\ncritical: [noise.quietness]\n", encoding="utf-8"
    )
    code, out, err = run("criteria", "import", str(bad), "--org", SCHOOL, "--reason", "try")
    assert code == 2
    assert out == ""
    assert f"{bad}:3: weights.school/classroom.noise.background_level: must be more than 0 and at most 10" in err
    assert err.strip().endswith(f"{bad}: nothing was saved")
    assert "Traceback" not in err
    code, _, err = run("criteria", "export", "--org", SCHOOL, "--out", str(demo / "none.yaml"))
    assert code == 2
    assert "uses the catalogue as shipped" in err
    assert not (demo / "none.yaml").exists()


def test_staff_viewers_and_outsiders_are_refused(demo: Path) -> None:
    source = demo / "hillview.yaml"
    source.write_text(QUIETER, encoding="utf-8")
    code, _, err = run(
        "criteria", "import", str(source), "--org", SCHOOL, "--reason", "mine",
        "--as", "staff@demo.sensory-audit.test",
    )  # fmt: skip
    assert code == 2
    assert err.strip() == (
        "criteria import: Only managers, consultants and admins can change an organisation's criteria; "
        "you are signed in as staff."
    )
    # The school's teacher is not a member of the clinic: its criteria are refused like its records.
    code, _, err = run(
        "criteria",
        "export",
        "--org",
        "1",
        "--out",
        str(demo / "clinic.yaml"),
        "--as",
        "teacher@demo.sensory-audit.test",
    )
    assert code == 2
    assert "You do not have access to organisation 1" in err
    code, _, err = run("criteria", "versions", "--org", SCHOOL)
    assert (code, err) == (0, "")
    assert "as shipped" in run("criteria", "versions", "--org", SCHOOL)[1]
    assert "--reason" in run("criteria", "import", str(source), "--org", SCHOOL)[2]
