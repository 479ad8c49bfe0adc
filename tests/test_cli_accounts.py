"""The command line lists what exists with its ids, scoped to the acting user, and creates the first admin."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app

runner = CliRunner()
TEACHER = "teacher@demo.sensory-audit.test"  # staff of the school only


def run(*args: str, given: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=given)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def demo_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SENSORY_AUDIT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SENSORY_AUDIT_USER", raising=False)
    assert run("demo")[0] == 0
    return tmp_path


def test_orgs_sites_rooms_and_users_list_with_ids(demo_store: Path) -> None:
    code, out, _ = run("orgs")
    assert code == 0
    assert out.splitlines()[0].split() == ["id", "organisation"]
    assert {line.split(maxsplit=1)[1] for line in out.splitlines()[1:]} == {
        "Riverside Community Health", "Hillview Primary School", "Harbour Street Partners"}  # fmt: skip
    school = next(line.split()[0] for line in out.splitlines() if "Hillview" in line)
    code, out, _ = run("sites", "--org", school)
    assert code == 0
    site = out.splitlines()[1].split()[0]
    code, out, _ = run("rooms", "--site", site)
    assert code == 0
    assert "Year 1 classroom" in out
    code, out, _ = run("users")
    assert code == 0
    assert "admin@demo.sensory-audit.test" in out


def test_the_listings_are_scoped_to_the_acting_user(demo_store: Path) -> None:
    _, everything, _ = run("orgs")
    clinic = next(line.split()[0] for line in everything.splitlines() if "Riverside" in line)
    code, out, _ = run("orgs", "--as", TEACHER)
    assert code == 0
    assert [line.split(maxsplit=1)[1] for line in out.splitlines()[1:]] == ["Hillview Primary School"]
    _, clinic_sites, _ = run("sites", "--org", clinic)
    clinic_site = clinic_sites.splitlines()[1].split()[0]
    # Another organisation's ids get the same answer as ids that do not exist.
    for command, option, value in (("sites", "--org", clinic), ("rooms", "--site", clinic_site)):
        refused = run(command, option, value, "--as", TEACHER)
        missing = run(command, option, "9999", "--as", TEACHER)
        assert refused[0] == missing[0] == 2
        assert refused[2].replace(value, "ID") == missing[2].replace("9999", "ID")
        assert "not in your organisations" in refused[2]
    code, _, err = run("users", "--as", TEACHER)
    assert code == 2
    assert "Only managers and admins can see user accounts" in err


def test_create_admin_once_with_a_good_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SENSORY_AUDIT_DATA_DIR", str(tmp_path / "empty"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    args = ("users", "create-admin", "--email", "Ada@Example.test", "--name", "Ada Lovelace")
    code, _, err = run(*args, given="short\nshort\n")
    assert code == 2
    assert "at least 12 characters" in err
    code, out, err = run(*args, given="quiet lamp soft corner\nquiet lamp soft corner\n")
    assert code == 0, err
    assert "Created the administrator ada@example.test" in out
    code, _, err = run(*args, given="quiet lamp soft corner\nquiet lamp soft corner\n")
    assert code == 2
    assert "exists already" in err
    code, out, _ = run("users")
    assert "ada@example.test" in out
