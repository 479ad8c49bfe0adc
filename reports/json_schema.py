"""The JSON Schema (draft 2020-12) of the JSON export (`reports.tabular.report_json`).

`report.schema.json` beside this module is `build_json_schema()`'s output, shipped so that other
tools can validate an export without this package; a test keeps the file and the code equal.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from scoring.engine import RoomScore

__all__ = ["JSON_SCHEMA_PATH", "SCHEMA_VERSION", "build_json_schema", "json_schema"]

SCHEMA_VERSION = 1
JSON_SCHEMA_PATH = Path(__file__).parent / "report.schema.json"


def build_json_schema() -> dict[str, Any]:
    """The JSON Schema of `report_json`, with the engine's own RoomScore schema inside.

    `report.schema.json` is this function's output (a test keeps the file and the code equal);
    regenerate it with `python -m reports.json_schema`.
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
