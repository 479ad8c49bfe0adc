"""Actions (fixes someone has taken on, verified by later assessments) and the notification inbox.

Revision ID: 0006_actions
Revises: 0005_round_close
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_actions"
down_revision: str | None = "0005_round_close"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(80), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("cost_estimate", sa.Float(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("open", "in_progress", "done", "verified", name="action_status", native_enum=False,
                    create_constraint=True, length=20),
            nullable=False,
        ),
        sa.Column("source_assessment_id", sa.Integer(), nullable=True),
        sa.Column("score_before", sa.Float(), nullable=True),
        sa.Column("gain", sa.Float(), nullable=True),
        sa.Column("checked_assessment_id", sa.Integer(), nullable=True),
        sa.Column("check_note", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.Column("done_at", TIMESTAMP, nullable=True),
        sa.Column("verified_at", TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_actions"),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name="fk_actions_organisation_id_organisations",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["room_id"], ["rooms.id"], name="fk_actions_room_id_rooms", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name="fk_actions_owner_id_users", ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["source_assessment_id"], ["assessments.id"], name="fk_actions_source_assessment_id_assessments",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["checked_assessment_id"], ["assessments.id"], name="fk_actions_checked_assessment_id_assessments",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name="fk_actions_created_by_id_users", ondelete="SET NULL"
        ),
    )
    op.create_index("ix_actions_organisation_id", "actions", ["organisation_id"])
    op.create_index("ix_actions_owner_id", "actions", ["owner_id"])
    op.create_index("ix_actions_room_id_item_id", "actions", ["room_id", "item_id"])
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("read_at", TIMESTAMP, nullable=True),
        sa.Column("emailed_at", TIMESTAMP, nullable=True),
        sa.Column("email_attempts", sa.Integer(), nullable=False),
        sa.Column("email_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_notifications"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_notifications_user_id_users", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name="fk_notifications_organisation_id_organisations",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("user_id", "key", name="uq_notifications_user_id"),
    )
    op.create_index("ix_notifications_user_id_created_at", "notifications", ["user_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_notifications_user_id_created_at", table_name="notifications")
    op.drop_table("notifications")
    op.drop_index("ix_actions_room_id_item_id", table_name="actions")
    op.drop_index("ix_actions_owner_id", table_name="actions")
    op.drop_index("ix_actions_organisation_id", table_name="actions")
    op.drop_table("actions")
