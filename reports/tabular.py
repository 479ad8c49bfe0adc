"""CSV and JSON exports of responses and scores, for people who analyse the data in other tools.

CSV: one file in long form, one row per room x assessment x checklist item. The assessment's own
scores (overall, band, completeness) and the item's category score are repeated on each of its rows,
so the file stands alone: filter `latest == True` for the current state of each room, or drop
duplicate `assessment_id`s for one row per assessment. UTF-8, comma-separated, header row; empty
cells mean "no value" (never 0). The columns are `CSV_COLUMNS`.

JSON: one document (`schema_version` 1, described by `report.schema.json` beside this module):
the organisation, its sites and rooms, every assessment with its full `RoomScore` (the engine's
JSON contract) and its responses, and the portfolio action plan.
"""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from reports.data import AssessmentReport, ReportData, RoomReport, flat_value
from reports.output import Progress, atomic_output, check_output_path, no_progress
from scoring.engine import RoomScore

__all__ = [
    "CSV_COLUMNS",
    "JSON_SCHEMA_PATH",
    "SCHEMA_VERSION",
    "build_json_schema",
    "csv_cell",
    "frame_csv",
    "json_schema",
    "report_json",
    "write_csv",
    "write_json",
]

SCHEMA_VERSION = 1
JSON_SCHEMA_PATH = Path(__file__).parent / "report.schema.json"

CSV_COLUMNS = (
    "organisation",
    "site_id",
    "site",
    "room_id",
    "room",
    "setting",
    "room_type",
    "assessment_id",
    "assessed_on",
    "assessor",
    "assessment_status",
    "latest",
    "overall",
    "band",
    "completeness",
    "provisional",
    "category",
    "category_score",
    "item_id",
    "kind",
    "status",
    "answer",
    "value",
    "unit",
    "score",
    "weight",
    "critical",
    "failed_critical",
    "gain",
    "note",
)


def _csv_rows(data: ReportData) -> Any:
    for room in data.rooms:
        for assessment in room.assessments:
            score = assessment.score
            gains = {action.item: action.gain for action in score.actions}
            head = {
                "organisation": data.organisation_name,
                "site_id": room.site_id,
                "site": room.site_name,
                "room_id": room.id,
                "room": room.name,
                "setting": room.setting,
                "room_type": room.room_type,
                "assessment_id": assessment.id,
                "assessed_on": assessment.assessed_on.isoformat(),
                "assessor": assessment.assessor,
                "assessment_status": assessment.status,
                "latest": assessment is room.latest,
                "overall": score.overall,
                "band": None if score.band is None else str(score.band),
                "completeness": score.completeness,
                "provisional": score.provisional,
            }
            for item in assessment.items:
                category = score.categories.get(item.category)
                yield {
                    **head,
                    "category": item.category,
                    "category_score": None if category is None else category.score,
                    "item_id": item.item_id,
                    "kind": item.kind,
                    "status": item.status,
                    "answer": item.answer_text,
                    "value": flat_value(item),
                    "unit": item.unit,
                    "score": item.score,
                    "weight": item.weight,
                    "critical": item.critical,
                    "failed_critical": item.failed_critical,
                    "gain": gains.get(item.item_id),
                    "note": item.note,
                }


# A text cell starting with one of these is run as a formula by a spreadsheet that opens the CSV.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    # Booleans as True/False (what pandas reads back as bool), None as an empty cell; floats print in
    # their shortest exact form (71.4, not 71.40000000000001). Text that a spreadsheet would run as
    # a formula (a room called "=HYPERLINK(...)", a note starting with "-") gets a leading apostrophe,
    # so it is shown as the text it is.
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def frame_csv(frame: pd.DataFrame) -> bytes:
    """A table as CSV (UTF-8) for a download button, with text that a spreadsheet would run as a
    formula neutralised as in `write_csv`."""
    safe = frame.map(csv_cell)
    return safe.to_csv(index=False).encode("utf-8")


def write_csv(data: ReportData, out_path: Path | str, progress: Progress | None = None) -> Path:
    """Write the long-form responses and scores CSV to `out_path` (atomically); see the module docstring."""
    path = check_output_path(out_path)
    report = progress or no_progress
    total = max(1, len(data.rooms))
    with atomic_output(path) as temporary, temporary.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        current = None
        done = 0
        for row in _csv_rows(data):
            if row["room_id"] != current:
                current = row["room_id"]
                report(done, total, f"Room {done + 1} of {total}: {row['room']}")
                done += 1
            writer.writerow([csv_cell(row[column]) for column in CSV_COLUMNS])
    report(total, total, "CSV ready")
    return path


def _assessment_json(assessment: AssessmentReport) -> dict[str, Any]:
    return {
        "id": assessment.id,
        "assessed_on": assessment.assessed_on.isoformat(),
        "assessor": assessment.assessor,
        "status": assessment.status,
        "catalogue_version": assessment.catalogue_version,
        "provisional_reason": assessment.provisional_reason,
        "score": assessment.score.model_dump(mode="json"),
        "responses": {
            item.item_id: {"value": item.value, "note": item.note}
            for item in assessment.items
            if item.answer is not None or item.note
        },
        "photos": [
            {"id": p.evidence_id, "item": p.item_id, "file_name": p.file_name, "caption": p.caption}
            for p in assessment.photos
        ],
    }


def _room_json(room: RoomReport) -> dict[str, Any]:
    latest = room.latest
    return {
        "id": room.id,
        "name": room.name,
        "room_type": room.room_type,
        "floor": room.floor,
        "capacity": room.capacity,
        "latest_assessment_id": None if latest is None else latest.id,
        "assessments": [_assessment_json(a) for a in room.assessments],
    }


def report_json(data: ReportData) -> dict[str, Any]:
    """The JSON document of a report (see report.schema.json)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": data.generated_at.isoformat(),
        "organisation": {"id": data.organisation_id, "name": data.organisation_name},
        "scope": data.scope,
        "include_drafts": data.include_drafts,
        "catalogue": {"title": data.catalogue.title, "version": data.catalogue.version},
        "sites": [
            {
                "id": site.id,
                "name": site.name,
                "setting": site.setting,
                "address": site.address,
                "rooms": [_room_json(room) for room in site.rooms],
            }
            for site in data.sites
        ],
        "action_plan": [
            {
                "rank": e.rank,
                "room_id": e.room_id,
                "assessment_id": e.assessment_id,
                "item": e.item_id,
                "gain": e.gain,
                "effort": e.effort,
                "critical": e.critical,
                "failed_critical": e.failed_critical,
                "how_to_fix": e.how_to_fix,
            }
            for e in data.action_plan
        ],
    }


def write_json(data: ReportData, out_path: Path | str, progress: Progress | None = None) -> Path:
    """Write the report as one JSON document to `out_path` (atomically)."""
    path = check_output_path(out_path)
    report = progress or no_progress
    report(0, 1, "Building the JSON document")
    document = report_json(data)
    with atomic_output(path) as temporary, temporary.open("w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    report(1, 1, "JSON ready")
    return path


def build_json_schema() -> dict[str, Any]:
    """The JSON Schema of `report_json`, with the engine's own RoomScore schema inside.

    `report.schema.json` is this function's output (a test keeps the file and the code equal);
    regenerate it with `python -m reports.tabular`.
    """
    room_score = RoomScore.model_json_schema(mode="serialization")
    defs: dict[str, Any] = dict(room_score.pop("$defs", {}))
    defs["RoomScore"] = room_score
    nullable_text = {"type": ["string", "null"]}
    date = {"type": "string", "format": "date"}
    answer_value = {
        "description": "The answer in assessment-file form: yes/no, an option value, a rating, a reading, a list of "
        "readings, {percent, frequency_hz}, 'n/a' or text; null when only a note was written.",
        "type": ["string", "number", "array", "object", "null"],
    }
    defs["Assessment"] = {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "id",
            "assessed_on",
            "assessor",
            "status",
            "catalogue_version",
            "provisional_reason",
            "score",
            "responses",
            "photos",
        ],
        "properties": {
            "id": {"type": "integer"},
            "assessed_on": date,
            "assessor": {"type": "string"},
            "status": {"enum": ["draft", "submitted", "reviewed"]},
            "catalogue_version": {"type": "string"},
            "provisional_reason": nullable_text,
            "score": {"$ref": "#/$defs/RoomScore"},
            "responses": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["value", "note"],
                    "properties": {"value": answer_value, "note": nullable_text},
                },
            },
            "photos": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["id", "item", "file_name", "caption"],
                    "properties": {
                        "id": {"type": "integer"},
                        "item": {"type": "string"},
                        "file_name": {"type": "string"},
                        "caption": nullable_text,
                    },
                },
            },
        },
    }
    defs["Room"] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "name", "room_type", "floor", "capacity", "latest_assessment_id", "assessments"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "room_type": {"type": "string"},
            "floor": {"type": ["integer", "null"]},
            "capacity": {"type": ["integer", "null"]},
            "latest_assessment_id": {"type": ["integer", "null"]},
            "assessments": {"type": "array", "items": {"$ref": "#/$defs/Assessment"}},
        },
    }
    defs["Site"] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "name", "setting", "address", "rooms"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "setting": {"type": "string"},
            "address": nullable_text,
            "rooms": {"type": "array", "items": {"$ref": "#/$defs/Room"}},
        },
    }
    defs["PlanEntry"] = {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "rank",
            "room_id",
            "assessment_id",
            "item",
            "gain",
            "effort",
            "critical",
            "failed_critical",
            "how_to_fix",
        ],
        "properties": {
            "rank": {"type": "integer", "minimum": 1},
            "room_id": {"type": "integer"},
            "assessment_id": {"type": "integer"},
            "item": {"type": "string"},
            "gain": {"type": "number"},
            "effort": {"enum": ["low", "medium", "high"]},
            "critical": {"type": "boolean"},
            "failed_critical": {"type": "boolean"},
            "how_to_fix": {"type": "string"},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://sensory-audit.example/schemas/report-1.json",
        "title": "sensory-audit report",
        "description": "Responses and scores of the rooms in one report scope (sensory-audit report --format json).",
        "type": "object",
        "additionalProperties": False,
        "required": [
            "schema_version",
            "generated_at",
            "organisation",
            "scope",
            "include_drafts",
            "catalogue",
            "sites",
            "action_plan",
        ],
        "properties": {
            "schema_version": {"const": SCHEMA_VERSION},
            "generated_at": {"type": "string", "format": "date-time"},
            "organisation": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "name"],
                "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
            },
            "scope": {"type": "string"},
            "include_drafts": {"type": "boolean"},
            "catalogue": {
                "type": "object",
                "additionalProperties": False,
                "required": ["title", "version"],
                "properties": {"title": {"type": "string"}, "version": {"type": "string"}},
            },
            "sites": {"type": "array", "items": {"$ref": "#/$defs/Site"}},
            "action_plan": {"type": "array", "items": {"$ref": "#/$defs/PlanEntry"}},
        },
        "$defs": defs,
    }


@cache
def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every `write_json` document satisfies."""
    schema: dict[str, Any] = json.loads(JSON_SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


if __name__ == "__main__":
    JSON_SCHEMA_PATH.write_text(json.dumps(build_json_schema(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {JSON_SCHEMA_PATH}")
