"""The organisation file: the JSON document an export writes and an import reads, as pydantic models.

The document carries no database ids (see `assessments.transfer`); `OrganisationFile` is what an
import validates against first. Version 2 adds each room's actions and the organisation's
re-assessment intervals; a version 1 file (without them) still imports.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from assessments.models import ActionStatus, AssessmentStatus, Role

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "ActionEntry",
    "Answered",
    "AssessmentEntry",
    "EvidenceEntry",
    "IntervalEntry",
    "OrganisationEntry",
    "OrganisationFile",
    "PersonEntry",
    "RoomEntry",
    "SiteEntry",
]


FORMAT = "sensory-audit.organisation"
FORMAT_VERSION = 2

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=4000)]
Email = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[^@\s]+@[^@\s]+$")]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PersonEntry(_Strict):
    email: Email
    name: Text
    role: Role
    # Members belong to the organisation; others are only named by its records (e.g. an admin who reviewed).
    member: bool


class Answered(_Strict):
    by: Email | None = None
    at: dt.datetime


class EvidenceEntry(_Strict):
    item_id: str
    file_name: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    content_type: str
    size: Annotated[int, Field(ge=1)]
    sha256: Sha256
    caption: LongText | None = None
    uploaded_by: Email | None = None
    uploaded_at: dt.datetime
    # The image itself, base64, when exported with photos.
    content: str | None = None


class AssessmentEntry(_Strict):
    date: dt.date
    assessor: Text
    assessor_email: Email | None = None
    status: AssessmentStatus
    catalogue_version: Text
    review_comment: LongText | None = None
    provisional_reason: LongText | None = None
    submitted_at: dt.datetime | None = None
    reviewed_at: dt.datetime | None = None
    reviewed_by: Email | None = None
    # item id -> answer in the assessment-file form ("n/a" included); checked against the catalogue.
    responses: dict[str, Any] = {}
    notes: dict[str, LongText] = {}
    answered: dict[str, Answered] = {}
    evidence: list[EvidenceEntry] = []


class ActionEntry(_Strict):
    """A fix someone took on. Assessments are named by their place in the room's `assessments`."""

    item_id: str
    owner: Email | None = None
    due_on: dt.date
    cost_estimate: Annotated[float, Field(ge=0, le=1e9, allow_inf_nan=False)] | None = None
    note: LongText | None = None
    status: ActionStatus
    # The assessment the fix was planned from, the item's score there and the points it was worth.
    planned_from: Annotated[int, Field(ge=0)] | None = None
    score_before: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] | None = None
    gain: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)] | None = None
    # The later assessment that verified or reopened it, and what it found.
    checked_by: Annotated[int, Field(ge=0)] | None = None
    check_note: LongText | None = None
    created_by: Email | None = None
    created_at: dt.datetime
    updated_at: dt.datetime
    done_at: dt.datetime | None = None
    verified_at: dt.datetime | None = None


class RoomEntry(_Strict):
    name: Text
    room_type: str
    floor: Annotated[int, Field(ge=-20, le=200)] | None = None
    capacity: Annotated[int, Field(ge=0)] | None = None
    assessments: list[AssessmentEntry] = []
    actions: list[ActionEntry] = []


class IntervalEntry(_Strict):
    """How many months after its last assessment a room of this type is due again."""

    setting: str
    room_type: str
    months: Annotated[int, Field(ge=1, le=60, strict=True)]


class SiteEntry(_Strict):
    name: Text
    setting: str
    address: str | None = None
    rooms: list[RoomEntry] = []


class OrganisationEntry(_Strict):
    name: Text


class OrganisationFile(_Strict):
    """The export document; `import_organisation` validates against this first."""

    format: Literal["sensory-audit.organisation"]
    format_version: Literal[1, 2]
    organisation: OrganisationEntry
    people: list[PersonEntry] = []
    sites: list[SiteEntry] = []
    intervals: list[IntervalEntry] = []
