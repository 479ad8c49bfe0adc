"""Single sign-on: email domains whose people get an account on their first sign-on.

Revision ID: 0011_signin
Revises: 0010_catalogue_versions
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_signin"
down_revision: str | None = "0010_catalogue_versions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_on_domains",
        sa.Column("domain", sa.String(253), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name="fk_sign_on_domains_organisation_id_organisations",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("domain", name="pk_sign_on_domains"),
    )
    op.create_index("ix_sign_on_domains_organisation_id", "sign_on_domains", ["organisation_id"])


def downgrade() -> None:
    op.drop_index("ix_sign_on_domains_organisation_id", "sign_on_domains")
    op.drop_table("sign_on_domains")
