"""Writing to the store: one short transaction per change, each leaving an event in the audit trail.

Also the reading side of the trail: the events themselves, and `data_version`, the number that
moves on every save and keys the screens' caches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from assessments.access import _AUDIT_READERS, _WRITING, Actor, UserLike, _acting, _organisation, _require
from assessments.db import WRITE_OPTION
from assessments.errors import ConflictError
from assessments.models import AuditEvent, utcnow
from checklists.i18n import N_, _

__all__ = ["SYSTEM_ACTOR", "data_version", "data_versions", "list_audit_events"]

# Who the audit trail names for changes made by no signed-in user (an import from the command line, the demo).
SYSTEM_ACTOR = "system"

# The default of a keyword argument a caller leaves out, when None means "clear this".
_UNCHANGED: Any = object()


@contextmanager
def _writing(session: Session) -> Iterator[None]:
    """One write transaction: commit at the end, roll back on any error, stale rows -> ConflictError."""
    if session.in_transaction():
        session.commit()
    # On SQLite this makes BEGIN take the write lock up front (see assessments.db.make_engine).
    session.connection(execution_options={WRITE_OPTION: True})
    session.info[_WRITING] = True
    try:
        yield
        session.commit()
    except StaleDataError:
        session.rollback()
        raise ConflictError(
            _("Someone else changed this assessment at the same moment. Reload it, then make your change again.")
        ) from None
    except BaseException:
        session.rollback()
        raise
    finally:
        session.info.pop(_WRITING, None)


def _audit(
    session: Session,
    actor: Actor | None,
    organisation_id: int | None,
    action: str,
    entity: str,
    entity_id: int | None,
    old: Any = None,
    new: Any = None,
) -> None:
    session.add(
        AuditEvent(
            at=utcnow(),
            actor_id=None if actor is None else actor.id,
            actor=SYSTEM_ACTOR if actor is None else actor.email,
            organisation_id=organisation_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            old_value=old,
            new_value=new,
        )
    )


# Events of signing in and out: in the trail, but they change no data.
SESSION_ACTIONS = ("sign_in", "sign_out", "sign_in_failed", "sign_in_locked")


def data_version(session: Session) -> int:
    """A number that grows with every change saved to the store, for keying caches.

    Every change writes an audit event, so the newest event's id moves on every save (signing in
    and out are left out: they change no data).
    """
    stmt = select(func.max(AuditEvent.id)).where(AuditEvent.action.not_in(SESSION_ACTIONS))
    return int(session.scalar(stmt) or 0)


def data_versions(session: Session, organisation_ids: Iterable[int]) -> dict[int, int]:
    """`data_version` per organisation: the newest audit event of each (0 for none), so a cache of one
    organisation's portfolio stays warm while another organisation saves.

    Read from the database on every call, so it is right on every app instance at once: a view
    that starts after a save has committed sees the new version. One query, one index lookup per
    organisation (ix_audit_events_organisation_id_id), however long the trail.
    """
    wanted = sorted(set(organisation_ids))
    if not wanted:
        return {}
    newest = [
        select(func.max(AuditEvent.id)).where(AuditEvent.organisation_id == org).scalar_subquery() for org in wanted
    ]
    row = session.execute(select(*newest)).one()
    return {org: int(event or 0) for org, event in zip(wanted, row, strict=True)}


def list_audit_events(
    session: Session,
    user: UserLike,
    *,
    organisation_id: int | None = None,
    entity: str | None = None,
    entity_id: int | None = None,
    actor_email: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    limit: int = 200,
) -> list[AuditEvent]:
    """The newest audit events first; managers and consultants see their organisations' events.

    Filters: an organisation, a record (`entity`, `entity_id`), who acted (their email, or "system"),
    and a time range (`since` inclusive, `until` exclusive). Sign-ins, failures and locks belong to no
    organisation: admins see them.
    """
    actor = _acting(session, user)
    if organisation_id is not None:
        # The same check as `get_organisation`, which reads the acting user afresh.
        _organisation(session, _acting(session, user), organisation_id)
    _require(actor, _AUDIT_READERS, N_("read the audit trail"))
    stmt = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    if organisation_id is not None:
        stmt = stmt.where(AuditEvent.organisation_id == organisation_id)
    elif not actor.sees_everything:
        stmt = stmt.where(AuditEvent.organisation_id.in_(sorted(actor.organisation_ids)))
    if entity is not None:
        stmt = stmt.where(AuditEvent.entity == entity)
    if entity_id is not None:
        stmt = stmt.where(AuditEvent.entity_id == entity_id)
    if actor_email is not None:
        stmt = stmt.where(AuditEvent.actor == actor_email.strip().lower())
    if since is not None:
        stmt = stmt.where(AuditEvent.at >= since)
    if until is not None:
        stmt = stmt.where(AuditEvent.at < until)
    return list(session.scalars(stmt))
