"""Moving a whole organisation between databases: export to a JSON document, import it elsewhere.

An export carries no database ids: sites, rooms and people are named, assessments are ordered, so
export -> import -> export gives the same JSON, into an empty database or one with other
organisations. Each room's actions travel with it (owners by email, the assessments they were
planned from and checked by as places in the room's list), and so do the organisation's
re-assessment intervals. Photos travel as references (file name, content type, size, sha256), or with their
bytes (base64) when exported with `include_photos`. An import checks the whole file first and
writes nothing unless every part of it is valid; `ImportProblems` names each problem by its path,
e.g. `sites[0].rooms[2].assessments[1].responses.noise.background_level: ...`.

The file's shape is in `transfer_format`, the export in `transfer_export`, the import in
`transfer_import`; this module brings them together.
"""

from __future__ import annotations

from assessments.transfer_export import export_organisation
from assessments.transfer_format import (
    FORMAT,
    FORMAT_VERSION,
    ActionEntry,
    Answered,
    AssessmentEntry,
    EvidenceEntry,
    IntervalEntry,
    OrganisationEntry,
    OrganisationFile,
    PersonEntry,
    RoomEntry,
    SiteEntry,
)
from assessments.transfer_import import ImportResult, import_organisation

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "ActionEntry",
    "Answered",
    "AssessmentEntry",
    "EvidenceEntry",
    "ImportResult",
    "IntervalEntry",
    "OrganisationEntry",
    "OrganisationFile",
    "PersonEntry",
    "RoomEntry",
    "SiteEntry",
    "export_organisation",
    "import_organisation",
]
