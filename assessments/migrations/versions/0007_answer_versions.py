"""Answer versions: each response keeps the assessment version at which its answer last changed, so
two assessors on one assessment conflict only when both answer the same item.

Revision ID: 0007_answer_versions
Revises: 0006_actions
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_answer_versions"
down_revision: str | None = "0006_actions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN with a default: no table rebuild on SQLite (its foreign keys stay as they are).
    op.add_column("responses", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("responses") as batch:
        batch.drop_column("version")
