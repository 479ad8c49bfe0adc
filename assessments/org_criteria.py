"""Organisation criteria in the store: each organisation's own override of the catalogue, every version kept.

Saving an override file (`save_criteria`) checks it against the current catalogue with the loader's
`file:line: field: problem` messages, and keeps it as the organisation's next criteria version, with
who saved it, when and why in the audit trail; nothing is saved if anything is wrong. An earlier
version is never rewritten: an assessment records the version it was taken with in its
`catalogue_version` ("2026.1+org7.3", see `checklists.overrides.override_version`) and is scored
under it (`assessments.catalogue_versions.catalogue_for`). Drafts follow the newest criteria.

Admins, the organisation's managers and consultants granted it may save criteria; anyone who may see
the organisation may read them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from assessments.access import UserLike, _acting, _catalogue, _organisation, _require
from assessments.audit import _audit, _writing
from assessments.catalogue_versions import latest_criteria, organisation_catalogue
from assessments.errors import ConflictError, InvalidAnswer
from assessments.models import Assessment, AssessmentStatus, OrganisationCriteria, Room, Site
from assessments.roles import allowed
from checklists.i18n import N_, _
from checklists.loader import CatalogueError, Problem
from checklists.overrides import OverrideFile, override_version, read_override
from checklists.schema import Catalogue

__all__ = [
    "InvalidCriteria",
    "SavedCriteria",
    "check_criteria",
    "criteria_catalogue",
    "criteria_versions",
    "current_criteria",
    "organisations_with_criteria",
    "save_criteria",
]

_CRITERIA_SETTERS = allowed("set_criteria")
# Longest override file kept (characters): a long file of added items is a few hundred lines.
MAX_CRITERIA_CHARS = 200_000


class InvalidCriteria(InvalidAnswer):
    """An override file that does not validate; `problems` lists each as file:line: field: problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:50])
        more = "\n" + _("... and {count} more").format(count=len(problems) - 50) if len(problems) > 50 else ""
        super().__init__(_("The criteria were not saved:") + "\n" + shown + more, field="criteria")


@dataclass(frozen=True)
class SavedCriteria:
    """One kept version of an organisation's criteria, as the screens and commands show it."""

    organisation_id: int
    number: int
    version: str  # the catalogue version its assessments record, e.g. "2026.1+org7.3"
    content: str
    reason: str
    saved_by: str
    saved_at: str  # ISO 8601, UTC
    base_version: str

    @classmethod
    def of(cls, row: OrganisationCriteria, current: Catalogue) -> SavedCriteria:
        return cls(
            organisation_id=row.organisation_id,
            number=row.number,
            version=override_version(current.version, row.organisation_id, row.number),
            content=row.content,
            reason=row.reason,
            saved_by=row.saved_by,
            saved_at=row.saved_at.isoformat(timespec="seconds"),
            base_version=row.base_version,
        )


def check_criteria(text: str, catalogue: Catalogue | None = None, display: str = "criteria.yaml") -> OverrideFile:
    """Read an override file against the current catalogue; raise InvalidCriteria listing every problem."""
    if len(text) > MAX_CRITERIA_CHARS:
        longer = _("longer than {count} characters").format(count=f"{MAX_CRITERIA_CHARS:,}")
        raise InvalidCriteria([Problem(display, 1, "(file)", longer)])
    try:
        return read_override(text, catalogue or _catalogue(), display)
    except CatalogueError as error:
        raise InvalidCriteria(error.problems) from None


def current_criteria(session: Session, user: UserLike, organisation_id: int) -> SavedCriteria | None:
    """The organisation's newest criteria (None while it uses the catalogue as shipped)."""
    actor = _acting(session, user)
    _organisation(session, actor, organisation_id)
    row = latest_criteria(session, organisation_id)
    return None if row is None else SavedCriteria.of(row, _catalogue())


def criteria_versions(session: Session, user: UserLike, organisation_id: int) -> list[SavedCriteria]:
    """Every kept version of the organisation's criteria, oldest first."""
    actor = _acting(session, user)
    _organisation(session, actor, organisation_id)
    stmt = select(OrganisationCriteria).where(OrganisationCriteria.organisation_id == organisation_id)
    current = _catalogue()
    return [SavedCriteria.of(row, current) for row in session.scalars(stmt.order_by(OrganisationCriteria.number))]


def criteria_catalogue(session: Session, user: UserLike, organisation_id: int) -> Catalogue:
    """The catalogue the organisation's new assessments are taken under (its newest criteria applied)."""
    actor = _acting(session, user)
    _organisation(session, actor, organisation_id)
    return organisation_catalogue(session, organisation_id, _catalogue())


def organisations_with_criteria(session: Session, user: UserLike, organisation_ids: list[int]) -> dict[int, int]:
    """{organisation id: its newest criteria version} for those of `organisation_ids` that have their own."""
    actor = _acting(session, user)
    for organisation_id in organisation_ids:
        _organisation(session, actor, organisation_id)
    if not organisation_ids:
        return {}
    rows = session.execute(
        select(OrganisationCriteria.organisation_id, OrganisationCriteria.number).where(
            OrganisationCriteria.organisation_id.in_(sorted(set(organisation_ids)))
        )
    )
    out: dict[int, int] = {}
    for organisation_id, number in rows:
        out[organisation_id] = max(out.get(organisation_id, 0), number)
    return out


def save_criteria(
    session: Session,
    user: UserLike,
    organisation_id: int,
    text: str,
    reason: str,
    *,
    expected_number: int | None = None,
    display: str = "criteria.yaml",
) -> SavedCriteria:
    """Keep `text` as the organisation's next criteria version, after checking it against the current
    catalogue; the organisation's drafts move onto it (work in progress follows the newest criteria).

    `expected_number` is the version the caller last saw (0 for none): when someone else saved in the
    meantime, nothing is saved and ConflictError says so."""
    reason = reason.strip()
    with _writing(session):
        actor = _acting(session, user)
        _organisation(session, actor, organisation_id)
        _require(actor, _CRITERIA_SETTERS, N_("change an organisation's criteria"))
        if not reason:
            raise InvalidAnswer(
                _("Say why the criteria change: the reason is kept in the record of changes."), field="reason"
            )
        if len(reason) > 2000:
            raise InvalidAnswer(_("A reason can have at most 2000 characters."), field="reason")
        current = _catalogue()
        check_criteria(text, current, display)
        latest = latest_criteria(session, organisation_id)
        number = 0 if latest is None else latest.number
        if expected_number is not None and expected_number != number:
            raise ConflictError(
                _(
                    "Someone else saved version {number} of these criteria since you opened them "
                    "(you had version {expected}). Reload them, then make your change again."
                ).format(number=number, expected=expected_number)
            )
        row = OrganisationCriteria(
            organisation_id=organisation_id,
            number=number + 1,
            content=text,
            reason=reason,
            base_version=current.version,
            saved_by_id=actor.id,
            saved_by=actor.email,
        )
        session.add(row)
        session.flush()
        version = override_version(current.version, organisation_id, row.number)
        drafts = (
            select(Assessment.id)
            .join(Room, Assessment.room_id == Room.id)
            .join(Site)
            .where(Site.organisation_id == organisation_id, Assessment.status == AssessmentStatus.draft)
        )
        # Not through the ORM: a draft open on a tablet keeps its row version, so its next answer saves.
        result = session.execute(
            update(Assessment).where(Assessment.id.in_(drafts)).values(catalogue_version=version),
            execution_options={"synchronize_session": False},
        )
        moved = int(getattr(result, "rowcount", 0) or 0)
        _audit(
            session, actor, organisation_id, "save_criteria", "organisation_criteria", row.id,
            None if latest is None else {"number": latest.number},
            {"number": row.number, "version": version, "reason": reason, "drafts_moved": moved},
        )  # fmt: skip
    return SavedCriteria.of(row, current)
