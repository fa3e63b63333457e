"""Hand-offs: end-of-day notes routed to the team whose day starts next, with open items.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _instant(name: str, *, nullable: bool = False) -> sa.Column[datetime]:
    """UTCDateTime's DDL: timestamptz on PostgreSQL, DATETIME (naive UTC) on SQLite."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        "handoffs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_team_id", sa.Integer(), nullable=False),
        sa.Column("to_team_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("open_items", sa.JSON(), nullable=False),
        _instant("created_at"),
        _instant("to_starts_at"),
        sa.Column("to_zone", sa.String(length=64), nullable=False),
        sa.Column("acknowledged_by_id", sa.Integer(), nullable=True),
        _instant("acknowledged_at", nullable=True),
        sa.CheckConstraint("from_team_id <> to_team_id", name=op.f("ck_handoffs_to_another_team")),
        sa.CheckConstraint(
            "(acknowledged_by_id IS NULL) = (acknowledged_at IS NULL)",
            name=op.f("ck_handoffs_acknowledged_together"),
        ),
        _fk("handoffs", "from_team_id", "teams"),
        _fk("handoffs", "to_team_id", "teams"),
        _fk("handoffs", "author_id", "people"),
        _fk("handoffs", "acknowledged_by_id", "people"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoffs")),
    )
    op.create_index(op.f("ix_handoffs_from_team_id"), "handoffs", ["from_team_id"], unique=False)
    op.create_index(op.f("ix_handoffs_to_team_id"), "handoffs", ["to_team_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_handoffs_to_team_id"), table_name="handoffs")
    op.drop_index(op.f("ix_handoffs_from_team_id"), table_name="handoffs")
    op.drop_table("handoffs")
