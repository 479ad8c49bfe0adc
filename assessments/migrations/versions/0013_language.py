"""Each person's interface language, kept with their account.

Revision ID: 0013_language
Revises: 0012_followup2
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_language"
down_revision: str | None = "0012_followup2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE on both databases: SQLite adds and drops a column in place (3.35 and later), so
# the users table is never copied and dropped, which would cascade to the memberships and sign-in
# sessions that point at it.
def upgrade() -> None:
    op.add_column("users", sa.Column("language", sa.String(10), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE users DROP COLUMN language")
    else:
        op.drop_column("users", "language")
