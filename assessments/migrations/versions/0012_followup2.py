"""Calendar subscriptions: a per-person secret address listing the rooms due for re-assessment.

Revision ID: 0012_followup2
Revises: 0011_signin
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_followup2"
down_revision: str | None = "0011_signin"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_calendar_tokens_user_id_users", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_calendar_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_calendar_tokens_token_hash"),
    )
    op.create_index("ix_calendar_tokens_user_id", "calendar_tokens", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_calendar_tokens_user_id", "calendar_tokens")
    op.drop_table("calendar_tokens")
