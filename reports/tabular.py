"""CSV and JSON exports of responses and scores, for people who analyse the data in other tools.

CSV: one file in long form, one row per room x assessment x checklist item. The assessment's own
scores (overall, band, completeness) and the item's category score are repeated on each of its rows,
so the file stands alone: filter `latest == True` for the current state of each room, or drop
duplicate `assessment_id`s for one row per assessment. UTF-8, comma-separated, header row; empty
cells mean "no value" (never 0). The columns are `CSV_COLUMNS`.

JSON: one document (`schema_version` 1, described by `report.schema.json`, see `reports.json_schema`):
the organisation, its sites and rooms, every assessment with its full `RoomScore` (the engine's
JSON contract) and its responses, and the portfolio action plan.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pandas as pd

from checklists.i18n import _
from reports.data import AssessmentReport, ReportData, RoomReport, flat_value
from reports.json_schema import SCHEMA_VERSION
from reports.output import Progress, atomic_output, check_output_path, no_progress

__all__ = [
    "CSV_COLUMNS",
    "SCHEMA_VERSION",
    "csv_cell",
    "frame_csv",
    "report_json",
    "write_csv",
    "write_json",
]


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
                report(
                    done,
                    total,
                    _("Room {done} of {total}: {room}").format(done=done + 1, total=total, room=row["room"]),
                )
                done += 1
            writer.writerow([csv_cell(row[column]) for column in CSV_COLUMNS])
    report(total, total, _("CSV ready"))
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
    report(0, 1, _("Building the JSON document"))
    document = report_json(data)
    with atomic_output(path) as temporary, temporary.open("w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    report(1, 1, _("JSON ready"))
    return path
