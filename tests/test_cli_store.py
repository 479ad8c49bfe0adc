"""The store commands as a person runs them: demo, export, import, and scoring an exported assessment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "first"
    monkeypatch.setenv("SENSORY_AUDIT_DATA_DIR", str(folder))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SENSORY_AUDIT_USER", raising=False)
    return folder


def test_demo_export_import_export_round_trip(data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run("demo")
    assert (code, out.strip()) == (
        0,
        f"Loaded 3 demo organisations into the SQLite file {data_dir / 'sensory-audit.db'}.",
    )
    assert "already" in run("demo")[1]
    first = tmp_path / "school.json"
    assert run("export", "--org", "2", "--out", str(first))[0] == 0
    document = json.loads(first.read_text())
    assert document["organisation"]["name"] == "Hillview Primary School"

    monkeypatch.setenv("SENSORY_AUDIT_DATA_DIR", str(tmp_path / "second"))
    code, out, err = run("import", str(first))
    assert code == 0, err
    assert out.startswith("Imported Hillview Primary School (id 1): 1 sites, 10 rooms,")
    # The importing store has no administrator of its own: act as an imported manager.
    again = tmp_path / "again.json"
    code, _, err = run("export", "--org", "1", "--out", str(again), "--as", "manager@demo.sensory-audit.test")
    assert code == 0, err
    assert again.read_text() == first.read_text()


def test_a_bad_import_changes_nothing(data_dir: Path, tmp_path: Path) -> None:
    assert run("demo")[0] == 0
    exported = tmp_path / "office.json"
    assert run("export", "--org", "3", "--out", str(exported))[0] == 0
    document = json.loads(exported.read_text())
    document["organisation"]["name"] = "Harbour Street Partners (copy)"
    room = document["sites"][0]["rooms"][0]
    item = next(iter(room["assessments"][0]["responses"]))
    room["assessments"][0]["responses"][item] = "certainly"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    code, out, err = run("import", str(bad))
    assert code == 2
    assert out == ""
    assert f"{bad}: sites[0].rooms[0].assessments[0].responses.{item}" in err
    assert err.strip().endswith("nothing was imported")
    assert "Traceback" not in err
    code, out, _ = run("export", "--org", "4", "--out", str(tmp_path / "none.json"))
    assert code == 2, "no fourth organisation was created"


def test_an_exported_assessment_scores(data_dir: Path, tmp_path: Path) -> None:
    assert run("demo")[0] == 0
    path = tmp_path / "assessment.yaml"
    assert run("export", "--assessment", "1", "--out", str(path))[0] == 0
    code, out, err = run("score", str(path))
    assert code == 0, err
    result = json.loads(out)
    assert result["setting"] == "clinic"
    assert result["band"] in ("A", "B", "C", "D")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "--out", "x.json"], "give exactly one of --org ID or --assessment ID"),
        (["export", "--org", "1", "--assessment", "2", "--out", "x.json"], "give exactly one of"),
        (["export", "--org", "1", "--out", "/no/such/folder/x.json"], "the folder /no/such/folder does not exist"),
        (["export", "--org", "1", "--out", "x.json", "--as", "nobody@example.org"], "--as: no active user"),
        (["export", "--org", "99", "--out", "x.json"], "There is no organisation 99"),
        (
            ["report", "--org", "1", "--format", "docx", "--out", "x.docx"],
            "--format: expected one of pdf, xlsx, csv, json",
        ),
        (
            ["report", "--org", "1", "--format", "pdf", "--out", "x.pdf", "--locale", "it"],
            "--locale: expected one of en, fr, es, de, ar, got 'it'",
        ),
        (
            ["report", "--org", "1", "--format", "json", "--out", "x.json", "--locale", "fr"],
            "--locale: a json file is data and is written in English",
        ),
    ],
)
def test_store_command_mistakes(data_dir: Path, args: list[str], message: str) -> None:
    assert run("demo")[0] == 0
    code, _, err = run(*args)
    assert code == 2
    assert message in err, err


def test_a_report_in_the_readers_language(data_dir: Path, tmp_path: Path) -> None:
    import openpyxl

    assert run("demo")[0] == 0
    out = tmp_path / "clinic-fr.xlsx"
    code, _, err = run("report", "--org", "1", "--format", "xlsx", "--out", str(out), "--locale", "fr")
    assert code == 0, err
    assert openpyxl.load_workbook(out).sheetnames[:2] == ["Résumé", "Pièces"]
