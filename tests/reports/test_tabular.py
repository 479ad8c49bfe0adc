"""CSV and JSON read back by the tools analysts use: pandas for CSV, the shipped JSON Schema for JSON."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from reports.data import ReportData
from reports.json_schema import JSON_SCHEMA_PATH, build_json_schema, json_schema
from reports.tabular import CSV_COLUMNS, frame_csv, write_csv, write_json
from tests.reports.conftest import handmade_report

# jsonschema comes with the app's dependencies (through Streamlit); without it these checks are skipped.
jsonschema = pytest.importorskip("jsonschema")


@pytest.fixture(scope="module")
def csv_frame(clinic_report: ReportData, tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    path = write_csv(clinic_report, tmp_path_factory.mktemp("csv") / "clinic.csv")
    return pd.read_csv(path)


def test_csv_has_one_row_per_room_assessment_and_item(csv_frame: pd.DataFrame, clinic_report: ReportData) -> None:
    assert tuple(csv_frame.columns) == CSV_COLUMNS
    assert len(csv_frame) == sum(len(a.items) for a in clinic_report.assessments)
    assert not csv_frame.duplicated(["assessment_id", "item_id"]).any()
    assert csv_frame["latest"].dtype == bool
    assert csv_frame["overall"].dtype == float


def test_csv_scores_equal_the_engine(csv_frame: pd.DataFrame, clinic_report: ReportData) -> None:
    latest = csv_frame[csv_frame["latest"]].drop_duplicates("assessment_id").set_index("room")
    for room in clinic_report.rooms:
        score = room.score
        assert score is not None
        row = latest.loc[room.name]
        assert row["overall"] == score.overall
        assert row["band"] == score.band
        assert row["completeness"] == score.completeness
    for assessment in clinic_report.assessments:
        rows = csv_frame[csv_frame["assessment_id"] == assessment.id].set_index("item_id")
        for item in assessment.items:
            value = rows.loc[item.item_id, "score"]
            assert (pd.isna(value) and item.score is None) or value == item.score
            assert rows.loc[item.item_id, "status"] == item.status


def test_json_validates_against_the_shipped_schema(clinic_report: ReportData, tmp_path: Path) -> None:
    path = write_json(clinic_report, tmp_path / "clinic.json")
    document = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(json_schema(), format_checker=jsonschema.FormatChecker()).validate(document)
    assert document["schema_version"] == 1
    rooms = [room for site in document["sites"] for room in site["rooms"]]
    for room, expected in zip(rooms, clinic_report.rooms, strict=True):
        latest = next(a for a in room["assessments"] if a["id"] == room["latest_assessment_id"])
        assert expected.score is not None
        assert latest["score"] == expected.score.model_dump(mode="json")


def test_json_keeps_other_scripts_as_written(tmp_path: Path) -> None:
    path = write_json(handmade_report(), tmp_path / "h.json")
    text = path.read_text(encoding="utf-8")
    assert "Кабинет" in text
    assert "غرفة الانتظار" in text
    jsonschema.validate(json.loads(text), json_schema())


def test_the_shipped_schema_file_is_up_to_date() -> None:
    assert json.loads(JSON_SCHEMA_PATH.read_text(encoding="utf-8")) == build_json_schema()


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_text_a_spreadsheet_would_run_is_kept_as_text(start: str, tmp_path: Path) -> None:
    import dataclasses

    report = handmade_report()
    name = f'{start}HYPERLINK("http://example.test","x")'
    sites = tuple(
        dataclasses.replace(
            site, name=name, rooms=tuple(dataclasses.replace(r, name=name, site_name=name) for r in site.rooms)
        )
        for site in report.sites
    )
    path = write_csv(dataclasses.replace(report, sites=sites), tmp_path / "h.csv")
    frame = pd.read_csv(path, keep_default_na=False)
    assert set(frame["room"]) == set(frame["site"]) == {"'" + name}
    # Numbers stay numbers.
    assert pd.api.types.is_numeric_dtype(frame["room_id"])


def test_a_downloaded_table_neutralises_formulas_like_the_csv_export() -> None:

    import pandas as pd

    frame = pd.DataFrame({"Room": ['=HYPERLINK("http://x")', "Quiet room"], "Gain": [1.5, None], "Note": ["-2", "@me"]})
    rows = list(csv.reader(io.StringIO(frame_csv(frame).decode("utf-8"))))
    assert rows == [["Room", "Gain", "Note"], ['\'=HYPERLINK("http://x")', "1.5", "'-2"], ["Quiet room", "", "'@me"]]
