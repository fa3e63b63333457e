"""Coffee chats: opt-in, pauses and past pairings.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        "coffee_preferences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("opted_in", sa.Boolean(), nullable=False),
        sa.Column("paused_until", sa.Date(), nullable=True),
        # UTCDateTime's DDL: timestamptz on PostgreSQL, DATETIME (naive UTC) on SQLite.
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _fk("coffee_preferences", "person_id", "people"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coffee_preferences")),
        sa.UniqueConstraint("person_id", name=op.f("uq_coffee_preferences_person_id")),
    )
    op.create_table(
        "coffee_pairings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("group_no", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("coffee_pairings", "person_id", "people"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coffee_pairings")),
        sa.UniqueConstraint("week", "person_id", name=op.f("uq_coffee_pairings_week_person_id")),
    )
    op.create_index(op.f("ix_coffee_pairings_week"), "coffee_pairings", ["week"], unique=False)
    op.create_index(
        op.f("ix_coffee_pairings_person_id"), "coffee_pairings", ["person_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_coffee_pairings_person_id"), table_name="coffee_pairings")
    op.drop_index(op.f("ix_coffee_pairings_week"), table_name="coffee_pairings")
    op.drop_table("coffee_pairings")
    op.drop_table("coffee_preferences")
