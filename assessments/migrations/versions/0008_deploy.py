"""Audit trail: an index on (organisation_id, id), so each screen's cache key is one index lookup.

Every dashboard view reads the newest audit event of each of the user's organisations
(`assessments.audit.data_versions`); with this index that is one step down the index per
organisation, however long the trail, on every app instance.

Revision ID: 0008_deploy
Revises: 0007_answer_versions
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0008_deploy"
down_revision: str | None = "0007_answer_versions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_audit_events_organisation_id_id", "audit_events", ["organisation_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_audit_events_organisation_id_id", table_name="audit_events")
