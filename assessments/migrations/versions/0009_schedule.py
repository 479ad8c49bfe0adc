"""Re-assessment schedule: how many months after its last assessment each room type is due again, per organisation.

Revision ID: 0009_schedule
Revises: 0008_deploy
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_schedule"
down_revision: str | None = "0008_deploy"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reassessment_intervals",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("setting", sa.String(40), nullable=False),
        sa.Column("room_type", sa.String(40), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name="fk_reassessment_intervals_organisation_id_organisations",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organisation_id", "setting", "room_type", name="pk_reassessment_intervals"),
    )


def downgrade() -> None:
    op.drop_table("reassessment_intervals")
