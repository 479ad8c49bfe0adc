"""The store's tables as typed SQLAlchemy models: who assessed which room, when, and what they saw.

Organisation -> Site (its setting) -> Room (room type) -> Assessment -> Response and Evidence.
Users belong to organisations through `memberships`; every change leaves an `AuditEvent`.
`AnswerRow` is a denormalised copy of each response in the long "answers table" shape that the
portfolio scorer reads, kept so that loading thousands of assessments needs no JSON parsing.
The Alembic migrations under `migrations/versions/` create exactly these tables.

This module is one cohesive schema and is kept whole on purpose: the tables refer to each other
(foreign keys, relationships and their back-references, the shared enums), and reading them side
by side against the migrations is how a change of the schema is checked.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = [
    "AccountLink",
    "ActionStatus",
    "AnswerRow",
    "Assessment",
    "AssessmentStatus",
    "AuditEvent",
    "Base",
    "CalendarToken",
    "CalibrationMember",
    "CalibrationMode",
    "CalibrationRound",
    "CalibrationRoundAssessor",
    "CalibrationRoundRoom",
    "CatalogueVersion",
    "Evidence",
    "FieldSubmission",
    "Notification",
    "Organisation",
    "OrganisationCriteria",
    "PlannedAction",
    "ReassessmentInterval",
    "Response",
    "Role",
    "Room",
    "SignInThrottle",
    "Site",
    "User",
    "UserSession",
    "memberships",
    "utcnow",
]

# Named constraints make Alembic migrations (and SQLite batch migrations) predictable.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timestamp that is always timezone-aware UTC in Python, whatever the database keeps.

    SQLite has no time zones and hands back naive values; PostgreSQL keeps `timestamptz`. Both come
    back as aware UTC, so exports from either database are identical.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Role(StrEnum):
    """What a user may do; the table is `assessments.roles`."""

    staff = "staff"
    manager = "manager"
    consultant = "consultant"
    # Looks and changes nothing: governors, a consultant's clients.
    viewer = "viewer"
    admin = "admin"


class AssessmentStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    reviewed = "reviewed"


class ActionStatus(StrEnum):
    """Where a planned fix stands (`assessments.actions`): verified only by a later submitted assessment."""

    open = "open"
    in_progress = "in_progress"
    done = "done"
    verified = "verified"


class CalibrationMode(StrEnum):
    """How a calibration round came about (see `assessments.calibration`)."""

    # A manager marked assessments already taken as a calibration set.
    marked = "marked"
    # A manager asked several assessors to assess the same rooms independently.
    independent = "independent"


def _enum(cls: type[StrEnum], name: str) -> Enum:
    # Stored as plain text with a CHECK constraint: portable, and new values need no ALTER TYPE.
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dt.datetime: UtcDateTime()}


memberships = Table(
    "memberships",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    sites: Mapped[list[Site]] = relationship(
        back_populates="organisation", order_by="Site.name", cascade="all, delete-orphan", passive_deletes=True
    )
    members: Mapped[list[User]] = relationship(secondary=memberships, back_populates="organisations")

    def __repr__(self) -> str:
        return f"Organisation(id={self.id}, name={self.name!r})"


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Stored lower-case: one person, one account, however they type their address.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    role: Mapped[Role] = mapped_column(_enum(Role, "user_role"))
    # An argon2 hash once sign-in with passwords exists; null means the user cannot sign in with one.
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # The interface language the person chose ("fr"); null: not chosen yet (the browser's choice counts).
    language: Mapped[str | None] = mapped_column(String(10), default=None)

    organisations: Mapped[list[Organisation]] = relationship(
        secondary=memberships, back_populates="members", order_by="Organisation.name"
    )

    def __repr__(self) -> str:
        return f"User(id={self.id}, email={self.email!r}, role={self.role.value})"


class Site(Base):
    """A clinic, a school or a workplace; its setting picks the checklist profiles of its rooms."""

    __tablename__ = "sites"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    setting: Mapped[str] = mapped_column(String(40))
    address: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="sites")
    rooms: Mapped[list[Room]] = relationship(
        back_populates="site", order_by="Room.name", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"Site(id={self.id}, name={self.name!r}, setting={self.setting!r})"


class Room(Base):
    __tablename__ = "rooms"
    __table_args__ = (UniqueConstraint("site_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    room_type: Mapped[str] = mapped_column(String(40))
    # Floor level: 0 is the ground floor, negative numbers are basements.
    floor: Mapped[int | None] = mapped_column()
    # How many people the room is meant for.
    capacity: Mapped[int | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    site: Mapped[Site] = relationship(back_populates="rooms")
    assessments: Mapped[list[Assessment]] = relationship(
        back_populates="room",
        order_by="(Assessment.assessed_on, Assessment.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    def __repr__(self) -> str:
        return f"Room(id={self.id}, name={self.name!r}, room_type={self.room_type!r})"


class Assessment(Base):
    """One visit to one room: draft while answers come in, then submitted, then reviewed.

    `version_id` goes up by one with every change to the assessment or any of its answers; a
    write that names an older version is refused, so two tablets never overwrite each other.
    """

    __tablename__ = "assessments"
    __table_args__ = (Index("ix_assessments_room_id_assessed_on", "room_id", "assessed_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The assessor's name as it should appear on reports, kept even if the user account goes.
    assessor: Mapped[str] = mapped_column(String(200))
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[AssessmentStatus] = mapped_column(
        _enum(AssessmentStatus, "assessment_status"), default=AssessmentStatus.draft
    )
    catalogue_version: Mapped[str] = mapped_column(String(40))
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)
    review_comment: Mapped[str | None] = mapped_column(Text)
    # Why an assessment with unanswered items was submitted anyway (e.g. "meter away for calibration").
    provisional_reason: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[dt.datetime | None] = mapped_column()
    reviewed_at: Mapped[dt.datetime | None] = mapped_column()
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    room: Mapped[Room] = relationship(back_populates="assessments")
    # The database deletes an assessment's responses, answer rows and photos with it (ON DELETE CASCADE).
    responses: Mapped[list[Response]] = relationship(
        back_populates="assessment", order_by="Response.item_id", cascade="all, delete-orphan", passive_deletes=True
    )
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="assessment", order_by="Evidence.id", cascade="all, delete-orphan", passive_deletes=True
    )
    assessor_user: Mapped[User | None] = relationship(foreign_keys=[assessor_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])

    __mapper_args__ = {"version_id_col": version_id}  # noqa: RUF012 (read once by SQLAlchemy)

    def __repr__(self) -> str:
        return f"Assessment(id={self.id}, room_id={self.room_id}, status={self.status.value}, v{self.version_id})"


class Response(Base):
    """The answer to one checklist item in one assessment, with the assessor's note.

    `value` holds the answer in its assessment-file form (`checklists.responses.answer_to_json`),
    "n/a" included; it is null when only a note has been written so far. `answered_by` is who
    gave the answer (or wrote the note, when there is no answer yet).
    """

    __tablename__ = "responses"
    __table_args__ = (UniqueConstraint("assessment_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(80))
    value: Mapped[Any] = mapped_column(JSON(none_as_null=True), nullable=True)
    na: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # The assessment's version when this item's answer last changed: two people on one assessment
    # conflict only when both change the same item's answer (see `answering.save_answer`).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    assessment: Mapped[Assessment] = relationship(back_populates="responses")
    answered_by: Mapped[User | None] = relationship()

    @property
    def answered(self) -> bool:
        return self.value is not None

    def __repr__(self) -> str:
        return f"Response(assessment_id={self.assessment_id}, item_id={self.item_id!r}, value={self.value!r})"


class AnswerRow(Base):
    """One row of the long answers table (see `checklists.stored_answers.AnswerRow`).

    A measurement with two readings has two rows (seq 0 and 1); rewritten with every save.
    """

    __tablename__ = "answer_rows"
    # SQLite keeps the rows in primary-key order, so one assessment's answers sit together on disk.
    __table_args__ = ({"sqlite_with_rowid": False},)

    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True)
    na: Mapped[bool] = mapped_column(Boolean)
    num: Mapped[float | None] = mapped_column(Float)
    freq: Mapped[float | None] = mapped_column(Float)
    text: Mapped[str | None] = mapped_column(Text)


class Evidence(Base):
    """A photo bound to one checklist item of one assessment.

    The image is kept either in `content` or as a file under the data folder named by its sha256
    (`stored_path`, relative to the data folder), never both.
    """

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str] = mapped_column(String(80))
    file_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(80))
    size: Mapped[int] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    width: Mapped[int | None] = mapped_column()
    height: Mapped[int | None] = mapped_column()
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    stored_path: Mapped[str | None] = mapped_column(String(255))
    caption: Mapped[str | None] = mapped_column(Text)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    assessment: Mapped[Assessment] = relationship(back_populates="evidence")
    uploaded_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"Evidence(id={self.id}, item_id={self.item_id!r}, file_name={self.file_name!r})"


class FieldSubmission(Base):
    """A submission of an offline field round (ODK Collect, KoboToolbox) and the assessment it became.

    `submission_id` is the tool's instance id (a UUID, kept without its `uuid:` prefix); it is
    unique, so importing the same export again creates nothing new.
    """

    __tablename__ = "field_submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[str] = mapped_column(String(100), unique=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), unique=True)
    # "odk" (an ODK Central export) or "kobo" (a KoboToolbox CSV export).
    source: Mapped[str] = mapped_column(String(20))
    form_version: Mapped[str | None] = mapped_column(String(100))
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    imported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"FieldSubmission({self.submission_id!r} -> assessment {self.assessment_id})"


class AuditEvent(Base):
    """Who did what to which record, and when, with the values before and after.

    Kept without foreign keys to the records it describes, so the trail outlives them.
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_organisation_id_at", "organisation_id", "at"),
        # The newest event of an organisation, the screens' cache key (see audit.data_versions).
        Index("ix_audit_events_organisation_id_id", "organisation_id", "id"),
        Index("ix_audit_events_entity_entity_id", "entity", "entity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The actor's email at the time ("system" for the command line and the demo loader).
    actor: Mapped[str] = mapped_column(String(320))
    organisation_id: Mapped[int | None] = mapped_column()
    # e.g. "create", "update", "answer", "submit", "review", "send_back", "import"
    action: Mapped[str] = mapped_column(String(40))
    # The table name of the record, e.g. "responses", and its id.
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column()
    old_value: Mapped[Any] = mapped_column(JSON(none_as_null=True), nullable=True)
    new_value: Mapped[Any] = mapped_column(JSON(none_as_null=True), nullable=True)

    def __repr__(self) -> str:
        return f"AuditEvent({self.actor} {self.action} {self.entity}#{self.entity_id} at {self.at:%Y-%m-%d %H:%M})"


class CalibrationRound(Base):
    """Several assessors rating the same rooms, to measure whether they see them alike.

    A marked round holds the assessments a manager chose (`CalibrationMember`). An independent
    round names its rooms and assessors; its assessments are those of its assessors, of its rooms,
    dated from `starts_on` to `window_days` later, or to `closed_on` when a manager closed it early.
    Until every assessor has submitted every room, the window has passed or the round was closed,
    staff see only their own assessments of an independent round.
    """

    __tablename__ = "calibration_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    mode: Mapped[CalibrationMode] = mapped_column(_enum(CalibrationMode, "calibration_mode"))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    window_days: Mapped[int] = mapped_column(Integer)
    closed_on: Mapped[dt.date | None] = mapped_column(Date, default=None)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"CalibrationRound(id={self.id}, name={self.name!r}, mode={self.mode.value})"


class CalibrationMember(Base):
    """An assessment a manager marked as part of a calibration round."""

    __tablename__ = "calibration_members"

    round_id: Mapped[int] = mapped_column(ForeignKey("calibration_rounds.id", ondelete="CASCADE"), primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class CalibrationRoundRoom(Base):
    """A room every assessor of an independent round is asked to assess."""

    __tablename__ = "calibration_round_rooms"

    round_id: Mapped[int] = mapped_column(ForeignKey("calibration_rounds.id", ondelete="CASCADE"), primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), primary_key=True, index=True)


class CalibrationRoundAssessor(Base):
    """An assessor asked to take part in an independent round."""

    __tablename__ = "calibration_round_assessors"

    round_id: Mapped[int] = mapped_column(ForeignKey("calibration_rounds.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)


class UserSession(Base):
    """A signed-in browser: kept on the server, so that signing out, disabling the user, a role change
    and a password change end it at once. The browser holds the token; only its sha256 is stored."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # The absolute end of the session, whatever the activity.
    expires_at: Mapped[dt.datetime] = mapped_column()
    # How the user signed in: "password", "demo" or "sso".
    method: Mapped[str] = mapped_column(String(20), default="password")


class AccountLink(Base):
    """A one-time link an admin hands over: to set the first password (invite) or a new one (reset)."""

    __tablename__ = "account_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # "invite" or "reset"
    purpose: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column()
    used_at: Mapped[dt.datetime | None] = mapped_column()


class CalendarToken(Base):
    """A person's calendar subscription: the secret in their calendar address (`/calendar/<token>.ics`),
    which lists the re-assessments of the rooms they may see. Only its sha256 is stored, so the address
    is shown once; a new one or a revoke ends the old one (`revoked_at`)."""

    __tablename__ = "calendar_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column()
    # When a calendar app last read it (so a person can tell whether the address is in use).
    last_used_at: Mapped[dt.datetime | None] = mapped_column()


class SignInThrottle(Base):
    """Failed sign-ins per email address, whether or not an account has it, so the answer never
    tells whether the address exists: after a few failures a growing wait, then a lock."""

    __tablename__ = "sign_in_throttle"

    email: Mapped[str] = mapped_column(String(320), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[dt.datetime | None] = mapped_column()


class SignOnDomain(Base):
    """An email domain whose people get an account on their first single sign-on, with this role in
    this organisation; without one, an address no account has is refused."""

    __tablename__ = "sign_on_domains"

    domain: Mapped[str] = mapped_column(String(253), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PlannedAction(Base):
    """A fix from the action plan that someone has taken on: one room, one item, an owner and a due date.

    It is open, in progress or done as its owner says, and verified only when a later submitted
    assessment of the room scores the item at full marks; a later submitted assessment that still
    scores it short reopens a done action (`check_note` says which assessment and what it scored).
    """

    __tablename__ = "actions"
    __table_args__ = (Index("ix_actions_room_id_item_id", "room_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(80))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    due_on: Mapped[dt.date] = mapped_column(Date)
    cost_estimate: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[ActionStatus] = mapped_column(_enum(ActionStatus, "action_status"), default=ActionStatus.open)
    # The assessment the fix was planned from, the item's score there and the points the fix was worth.
    source_assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id", ondelete="SET NULL"))
    score_before: Mapped[float | None] = mapped_column(Float)
    gain: Mapped[float | None] = mapped_column(Float)
    # The later submitted assessment that verified or reopened it, and what it found.
    checked_assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id", ondelete="SET NULL"))
    check_note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    done_at: Mapped[dt.datetime | None] = mapped_column()
    verified_at: Mapped[dt.datetime | None] = mapped_column()

    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])

    def __repr__(self) -> str:
        return f"PlannedAction(id={self.id}, room_id={self.room_id}, item_id={self.item_id!r}, {self.status.value})"


class Notification(Base):
    """A message in one person's inbox (`assessments.notifications`), emailed too when SMTP is set.

    `key` names the event, so one event never lands twice in the same inbox. An email that could
    not be sent keeps `emailed_at` empty and says why in `email_error`; it is tried again later.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("user_id", "key"),
        Index("ix_notifications_user_id_created_at", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    # submitted, sent_back, action_assigned, action_due, action_overdue, room_due, action_verified, action_reopened
    kind: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    read_at: Mapped[dt.datetime | None] = mapped_column()
    emailed_at: Mapped[dt.datetime | None] = mapped_column()
    email_attempts: Mapped[int] = mapped_column(default=0)
    email_error: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"Notification(id={self.id}, user_id={self.user_id}, kind={self.kind!r})"


class ReassessmentInterval(Base):
    """How many months after its last finished assessment a room of a type is due again, set per
    organisation (a room type without a row here uses the default, `assessments.schedule`)."""

    __tablename__ = "reassessment_intervals"

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    setting: Mapped[str] = mapped_column(String(40), primary_key=True)
    room_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    months: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CatalogueVersion(Base):
    """A catalogue version the store has seen, kept whole (every file of its folder as JSON text), so
    assessments taken under it are scored under it whatever the shipped catalogue becomes."""

    __tablename__ = "catalogue_versions"

    version: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    # The version before it, as its `changes:` section names it (None for a first version).
    previous: Mapped[str | None] = mapped_column(String(40))
    fingerprint: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    first_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class OrganisationCriteria(Base):
    """One version of an organisation's own criteria: the override file as written (YAML text), who
    saved it, when and why. Every version is kept; the newest applies to new assessments, and an
    assessment is scored under the version it was taken with (its `catalogue_version` names it,
    "2026.1+org7.3": catalogue 2026.1 under version 3 of organisation 7's criteria)."""

    __tablename__ = "organisation_criteria"
    __table_args__ = (UniqueConstraint("organisation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    # 1, 2, 3 ... per organisation.
    number: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    # The catalogue version it was checked against when saved.
    base_version: Mapped[str] = mapped_column(String(40))
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The email of who saved it, kept if the account goes ("system" from the command line's import).
    saved_by: Mapped[str] = mapped_column(String(320))
    saved_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"OrganisationCriteria(organisation {self.organisation_id}, version {self.number})"
