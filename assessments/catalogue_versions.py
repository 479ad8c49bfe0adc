"""Every catalogue version the store has seen, kept whole, and the catalogue each assessment is scored under.

When the app or a command opens the store with a catalogue version it has not seen, the version's
whole folder is written to `catalogue_versions` (`register_catalogue`, called by `db.open_store`).
A finished assessment is scored under the version it was taken with (`catalogue_for`), so its score
never moves when a new version arrives; a draft is work in progress and follows the current
catalogue (submitting it records the current version). A version the store does not hold (an
assessment imported from elsewhere) is scored under the current catalogue, which says so: every
score names the version it comes from (`RoomScore.catalogue_version`).

An organisation with criteria of its own (`assessments.org_criteria`) scores under its override of
the catalogue: such a version reads "2026.1+org7.3" (catalogue 2026.1 under version 3 of organisation
7's criteria) and is rebuilt from the kept catalogue and the kept override (`organisation_catalogue`,
`catalogue_for`). A draft of an organisation follows its newest criteria on the current catalogue.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assessments.errors import StoreError
from assessments.models import AssessmentStatus, CatalogueVersion, OrganisationCriteria
from checklists.i18n import _
from checklists.loader import CatalogueError, catalogue_dir, default_catalogue
from checklists.overrides import (
    OrganisationVersion,
    apply_override,
    override_version,
    parse_override_version,
    read_override,
)
from checklists.schema import Catalogue
from checklists.versions import fingerprint, load_snapshot, snapshot_of

__all__ = [
    "CatalogueChooser",
    "CatalogueVersionError",
    "catalogue_for",
    "catalogues_for",
    "kept_catalogue",
    "kept_catalogues",
    "kept_versions",
    "latest_criteria",
    "organisation_catalogue",
    "register_catalogue",
]

log = logging.getLogger(__name__)


class CatalogueVersionError(StoreError):
    """A catalogue version the store does not hold, or holds but can no longer read."""


def register_catalogue(session: Session, folder: Path | str | None = None) -> CatalogueVersion:
    """Keep the catalogue folder's version in the store if it is not there yet; return the kept row.

    A version already kept is never rewritten: assessments taken under it are scored as it was first
    seen. If the folder's files differ from the kept ones under the same version, the kept ones stay
    and a warning asks for a new version."""
    folder = catalogue_dir() if folder is None else folder
    snapshot = snapshot_of(folder)
    index = yaml.safe_load(snapshot.get("catalogue.yaml", "")) or {}
    version = str(index.get("version", "")).strip()
    if not version:
        raise CatalogueVersionError(_("{folder}: catalogue.yaml names no version").format(folder=folder))
    digest = fingerprint(snapshot)
    found = session.get(CatalogueVersion, version)
    if found is not None:
        if found.fingerprint != digest:
            log.warning(
                "catalogue %s in %s differs from the version %s the store keeps; scores of assessments taken "
                "under %s use the kept files. Give the changed catalogue a new version.",
                version, folder, version, version,
            )  # fmt: skip
        return found
    changes = index.get("changes") if isinstance(index.get("changes"), dict) else None
    row = CatalogueVersion(
        version=version,
        title=str(index.get("title", ""))[:200],
        previous=str(changes["previous"]) if changes and changes.get("previous") else None,
        fingerprint=digest,
        content=json.dumps(snapshot, ensure_ascii=False),
    )
    session.add(row)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()  # another app instance kept it first
        kept = session.get(CatalogueVersion, version)
        assert kept is not None
        return kept
    return row


def kept_versions(session: Session) -> list[CatalogueVersion]:
    """Every kept catalogue version, oldest first."""
    return list(
        session.scalars(select(CatalogueVersion).order_by(CatalogueVersion.first_seen_at, CatalogueVersion.version))
    )


def kept_catalogue(session: Session, version: str) -> Catalogue:
    """The catalogue of a kept version (the shipped one when it is that version)."""
    shipped = default_catalogue()
    if version == shipped.version:
        return shipped
    row = session.get(CatalogueVersion, version)
    if row is None:
        known = ", ".join(v.version for v in kept_versions(session)) or _("none")
        raise CatalogueVersionError(
            _("the store keeps no catalogue version {version} (it keeps: {known})").format(version=version, known=known)
        )
    try:
        return load_snapshot(json.loads(row.content))
    except CatalogueError as error:
        raise CatalogueVersionError(
            _("the kept catalogue version {version} no longer validates: {problem}").format(
                version=version, problem=error.problems[0]
            )
        ) from error


def kept_catalogues(session: Session, current: Catalogue | None = None) -> dict[str, Catalogue]:
    """Every kept version that still loads, by version, with `current` under its own version."""
    current = current or default_catalogue()
    out: dict[str, Catalogue] = {}
    for row in kept_versions(session):
        if row.version == current.version:
            continue
        try:
            out[row.version] = kept_catalogue(session, row.version)
        except CatalogueVersionError as error:
            log.warning("%s", error)
    out[current.version] = current
    return out


def catalogue_for(
    session: Session,
    version: str,
    status: AssessmentStatus | str | object | None = None,
    current: Catalogue | None = None,
    place: tuple[str, str] | None = None,
) -> Catalogue:
    """The catalogue an assessment is scored under: the version it was taken with when the store
    keeps it (and it has the room's `place`, setting and room type); the current catalogue for a
    draft, or for a version the store does not hold."""
    current = current or default_catalogue()
    organisation = parse_override_version(version)
    if organisation is not None:
        return _under_organisation(session, organisation, status, current, place)
    if version == current.version or str(status) == AssessmentStatus.draft.value:
        return current
    try:
        kept = kept_catalogue(session, version)
    except CatalogueVersionError:
        return current
    return kept if place is None or place in kept.checklists else current


def latest_criteria(session: Session, organisation_id: int) -> OrganisationCriteria | None:
    """The newest version of an organisation's own criteria (None: it uses the catalogue as shipped)."""
    stmt = select(OrganisationCriteria).where(OrganisationCriteria.organisation_id == organisation_id)
    return session.scalars(stmt.order_by(OrganisationCriteria.number.desc()).limit(1)).first()


def _overridden(base: Catalogue, row: OrganisationCriteria) -> Catalogue:
    """`base` under a kept version of an organisation's criteria (raises CatalogueError when the
    override no longer fits the base: an item it names is gone)."""
    return _apply_cached(base, row.organisation_id, row.number, row.content)


_APPLIED: dict[tuple[str, int, int, str], Catalogue] = {}


def _apply_cached(base: Catalogue, organisation_id: int, number: int, content: str) -> Catalogue:
    key = (base.version, organisation_id, number, content)
    found = _APPLIED.get(key)
    if found is None:
        override = read_override(content, base, f"organisation {organisation_id} criteria version {number}")
        found = apply_override(base, override, override_version(base.version, organisation_id, number))
        if len(_APPLIED) > 64:
            _APPLIED.clear()
        _APPLIED[key] = found
    return found


def organisation_catalogue(session: Session, organisation_id: int, current: Catalogue | None = None) -> Catalogue:
    """The catalogue new assessments of an organisation are taken under: its newest criteria on the
    current catalogue, or the current catalogue itself when it has none (or they no longer fit)."""
    current = current or default_catalogue()
    row = latest_criteria(session, organisation_id)
    if row is None:
        return current
    try:
        return _overridden(current, row)
    except CatalogueError as error:
        log.warning(
            "organisation %s criteria version %s no longer fit catalogue %s (%s); its new assessments use the "
            "catalogue as shipped until the criteria are saved again.",
            organisation_id, row.number, current.version, error.problems[0],
        )  # fmt: skip
        return current


def _under_organisation(
    session: Session,
    version: OrganisationVersion,
    status: object,
    current: Catalogue,
    place: tuple[str, str] | None,
) -> Catalogue:
    """The catalogue of an organisation version: a draft follows the organisation's newest criteria;
    a finished assessment its kept base version under its kept criteria version."""
    if str(status) == AssessmentStatus.draft.value:
        return organisation_catalogue(session, version.organisation_id, current)
    base = catalogue_for(session, version.base, status, current, place)
    row = session.scalars(
        select(OrganisationCriteria).where(
            OrganisationCriteria.organisation_id == version.organisation_id,
            OrganisationCriteria.number == version.number,
        )
    ).first()
    if row is None or base.version != version.base:
        return base  # not kept here (imported from elsewhere): the catalogue, which says which
    try:
        found = _overridden(base, row)
    except CatalogueError:
        return base
    return found if place is None or place in found.checklists else base


def catalogues_for(session: Session, versions: Iterable[str], current: Catalogue | None = None) -> dict[str, Catalogue]:
    """`catalogue_for` of each version (finished assessments), by version."""
    current = current or default_catalogue()
    return {version: catalogue_for(session, version, current=current) for version in set(versions)}


class CatalogueChooser:
    """`catalogue_for` with the answers remembered, for scoring many assessments of one store read."""

    def __init__(self, session: Session, current: Catalogue | None = None):
        self._session = session
        self.current = current or default_catalogue()
        self._kept: dict[str, Catalogue | None] = {self.current.version: self.current}
        self._known: dict[str, Catalogue] | None = None
        self._organisations: dict[tuple[str, bool, tuple[str, str] | None], Catalogue] = {}

    def __call__(self, version: str, status: object = None, place: tuple[str, str] | None = None) -> Catalogue:
        if "+org" in version:
            key = (version, str(status) == AssessmentStatus.draft.value, place)
            if key not in self._organisations:
                self._organisations[key] = catalogue_for(self._session, version, status, self.current, place)
            return self._organisations[key]
        if str(status) == AssessmentStatus.draft.value:
            return self.current
        if version not in self._kept:
            try:
                self._kept[version] = kept_catalogue(self._session, version)
            except CatalogueVersionError:
                self._kept[version] = None
        kept = self._kept[version]
        if kept is None or (place is not None and place not in kept.checklists):
            return self.current
        return kept

    def known(self) -> dict[str, Catalogue]:
        """Every kept version that still loads (read once), by version: what re-scoring follows."""
        if self._known is None:
            self._known = kept_catalogues(self._session, self.current)
        return self._known
