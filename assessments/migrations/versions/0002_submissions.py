"""Field submissions: the offline round submissions (ODK Collect, KoboToolbox) each assessment came from.

Revision ID: 0002_submissions
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_submissions"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "field_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.String(100), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("form_version", sa.String(100), nullable=True),
        sa.Column("imported_by_id", sa.Integer(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name="fk_field_submissions_assessment_id_assessments",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["imported_by_id"], ["users.id"], name="fk_field_submissions_imported_by_id_users", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_field_submissions"),
        sa.UniqueConstraint("submission_id", name="uq_field_submissions_submission_id"),
        sa.UniqueConstraint("assessment_id", name="uq_field_submissions_assessment_id"),
    )


def downgrade() -> None:
    op.drop_table("field_submissions")
