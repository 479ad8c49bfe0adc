"""Organisation criteria: every version of each organisation's own override of the catalogue.

Revision ID: 0014_org_criteria
Revises: 0013_language
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_org_criteria"
down_revision: str | None = "0013_language"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organisation_criteria",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("base_version", sa.String(40), nullable=False),
        sa.Column("saved_by_id", sa.Integer(), nullable=True),
        sa.Column("saved_by", sa.String(320), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name="fk_organisation_criteria_organisation_id_organisations",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["saved_by_id"], ["users.id"], name="fk_organisation_criteria_saved_by_id_users", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_organisation_criteria"),
        sa.UniqueConstraint("organisation_id", "number", name="uq_organisation_criteria_organisation_id"),
    )
    op.create_index("ix_organisation_criteria_organisation_id", "organisation_criteria", ["organisation_id"])


def downgrade() -> None:
    op.drop_index("ix_organisation_criteria_organisation_id", "organisation_criteria")
    op.drop_table("organisation_criteria")
