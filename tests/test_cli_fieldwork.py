"""Offline field rounds from the command line: `xlsform`, then `import-submissions` of what was collected."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from PIL import Image
from typer.testing import CliRunner

from checklists.loader import default_catalogue
from cli import app
from tests.field_exports import Submission, form_columns, kobo_csv, odk_zip

runner = CliRunner()
GOLDEN = Path(__file__).resolve().parent / "golden" / "school.assessment.yaml"
CLASSROOM = default_catalogue().checklist("school", "classroom")


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo portfolio, loaded once; each test works on a copy."""
    folder = tmp_path_factory.mktemp("demo") / "data"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SENSORY_AUDIT_DATA_DIR", str(folder))
        patch.delenv("DATABASE_URL", raising=False)
        assert run("demo")[0] == 0
    return folder


@pytest.fixture
def demo(demo_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(demo_data, tmp_path / "data")
    monkeypatch.setenv("SENSORY_AUDIT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SENSORY_AUDIT_USER", raising=False)
    return tmp_path


def _answers() -> dict[str, Any]:
    answers = {k: v for k, v in yaml.safe_load(GOLDEN.read_text())["responses"].items() if v is not None}
    return answers | {
        "noise.sound_absorption": "partial",
        "textures.visual_clutter": 2,
        "quiet_zones.retreat_space": "no",
    }


def _form(folder: Path) -> tuple[bytes, str, int]:
    out = folder / "classroom.xlsx"
    code, text, err = run("xlsform", "--org", "2", "--room-type", "classroom", "--out", str(out))
    assert code == 0, err
    assert text.startswith(f"Wrote {out}: form sensory_school_classroom_org2, version 2026.1-")
    xlsx = out.read_bytes()
    assert [c.path for c in form_columns(xlsx)][:5] == [("catalogue_version",), ("form_version",), ("setting",),
                                                        ("room_type",), ("room",)]  # fmt: skip
    return xlsx, "sensory_school_classroom_org2", _first_room(xlsx)


def _first_room(xlsx: bytes) -> int:
    from openpyxl import load_workbook

    choices = list(load_workbook(io.BytesIO(xlsx), read_only=True)["choices"].iter_rows(values_only=True))
    return int(next(str(name) for list_name, name, *_labels in choices[1:] if list_name == "rooms"))


def test_export_a_form_import_its_submissions_and_import_them_again(demo: Path) -> None:
    xlsx, form_id, room = _form(demo)
    zipped = demo / "submissions.zip"
    zipped.write_bytes(odk_zip(xlsx, form_id, CLASSROOM, [Submission(room, _answers()), Submission(room, _answers())]))
    code, out, err = run("import-submissions", str(zipped))
    assert code == 0, err
    assert out.strip() == "Imported 2 submissions as submitted assessments awaiting review, with 0 photos."
    code, out, _ = run("import-submissions", str(zipped))
    assert (code, out.strip()) == (0, "Nothing new: all 2 submissions were imported before.")


def test_a_kobotoolbox_export_with_its_media_folder(demo: Path) -> None:
    xlsx, _, room = _form(demo)
    image = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 90, 200)).save(image, format="JPEG")
    submission = Submission(room, _answers(), photos={"lighting.glare": ("glare.jpg", image.getvalue())})
    media = demo / "media" / "attachments" / submission.instance_id.removeprefix("uuid:")
    media.mkdir(parents=True)
    (media / "glare.jpg").write_bytes(image.getvalue())
    exported = demo / "kobo.csv"
    exported.write_bytes(kobo_csv(xlsx, CLASSROOM, [submission]))
    code, out, err = run("import-submissions", str(exported), "--media", str(demo / "media"))
    assert code == 0, err
    assert out.strip() == "Imported 1 submission as submitted assessments awaiting review, with 1 photo."


def test_a_bad_export_is_refused_line_by_line_and_nothing_is_saved(demo: Path) -> None:
    xlsx, _, room = _form(demo)
    bad = _answers() | {"noise.background_level": [34, 900]}
    exported = demo / "kobo.csv"
    exported.write_bytes(kobo_csv(xlsx, CLASSROOM, [Submission(room, _answers()), Submission(room, bad),
                                                     Submission(99999, _answers())]))  # fmt: skip
    code, out, err = run("import-submissions", str(exported))
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"{exported}: row 3, column noise/background_level_2: noise.background_level: reading 900 dBA is not "
        "physically possible (allowed: 0 to 140 dBA)",
        f"{exported}: row 4, column room: unknown room 99999 (allowed: the id of one of your classroom rooms: "
        + err.split("classroom rooms: ")[1].split(")")[0]
        + ")",
        f"{exported}: nothing was imported",
    ]
    # Nothing was saved: the good first row imports now on its own.
    exported.write_bytes(kobo_csv(xlsx, CLASSROOM, [Submission(room, _answers())]))
    assert run("import-submissions", str(exported))[1].startswith("Imported 1 submission ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["xlsform", "--org", "2", "--room-type", "classroom", "--out", "form.pdf"], "an XLSForm is an .xlsx"),
        (["xlsform", "--org", "2", "--room-type", "ballroom", "--out", "f.xlsx"], "Unknown room type 'ballroom'"),
        (["xlsform", "--org", "2", "--room-type", "waiting_room", "--out", "f.xlsx"], "has no room of type"),
        (["xlsform", "--org", "99", "--room-type", "classroom", "--out", "f.xlsx"], "There is no organisation 99"),
        (["import-submissions", "missing.zip"], "missing.zip: no such file"),
        (["import-submissions", "x.csv", "--media", "nowhere"], "--media: nowhere: no such folder"),
    ],
)
def test_field_round_mistakes(demo: Path, args: list[str], message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(demo)
    (demo / "x.csv").write_text("a;b\n")
    code, _, err = run(*args)
    assert code == 2
    assert message in err, err
