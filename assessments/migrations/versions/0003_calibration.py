"""Calibration rounds: several assessors rating the same rooms, to measure their agreement.

Revision ID: 0003_calibration
Revises: 0002_submissions
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_calibration"
down_revision: str | None = "0002_submissions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "calibration_rounds",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column(
            "mode",
            sa.Enum("marked", "independent", name="calibration_mode", native_enum=False, create_constraint=True,
                    length=20),
            nullable=False,
        ),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("window_days", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_calibration_rounds"),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name="fk_calibration_rounds_organisation_id_organisations",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name="fk_calibration_rounds_created_by_id_users", ondelete="SET NULL"
        ),
    )
    op.create_index("ix_calibration_rounds_organisation_id", "calibration_rounds", ["organisation_id"])
    for table, column, target in (
        ("calibration_members", "assessment_id", "assessments"),
        ("calibration_round_rooms", "room_id", "rooms"),
        ("calibration_round_assessors", "user_id", "users"),
    ):
        op.create_table(
            table,
            sa.Column("round_id", sa.Integer(), nullable=False),
            sa.Column(column, sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("round_id", column, name=f"pk_{table}"),
            sa.ForeignKeyConstraint(
                ["round_id"], ["calibration_rounds.id"], name=f"fk_{table}_round_id_calibration_rounds",
                ondelete="CASCADE",
            ),
            sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete="CASCADE"),
        )
        op.create_index(f"ix_{table}_{column}", table, [column])


def downgrade() -> None:
    for table, column in (
        ("calibration_round_assessors", "user_id"),
        ("calibration_round_rooms", "room_id"),
        ("calibration_members", "assessment_id"),
    ):
        op.drop_index(f"ix_{table}_{column}", table_name=table)
        op.drop_table(table)
    op.drop_index("ix_calibration_rounds_organisation_id", table_name="calibration_rounds")
    op.drop_table("calibration_rounds")
