"""Check-ins: one per person and local day, answers, blockers, a private mood and day mode.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
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
        "checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("blockers", sa.Text(), nullable=False),
        sa.Column("mood", sa.Integer(), nullable=True),
        sa.Column("day_mode", sa.String(length=16), nullable=True),
        _instant("created_at"),
        _instant("updated_at", nullable=True),
        sa.CheckConstraint(
            "mood IS NULL OR (mood >= 1 AND mood <= 5)", name=op.f("ck_checkins_mood_1_to_5")
        ),
        sa.CheckConstraint(
            "day_mode IS NULL OR day_mode IN ('heads-down', 'normal', 'social', 'low-energy')",
            name=op.f("ck_checkins_known_day_mode"),
        ),
        _fk("checkins", "team_id", "teams"),
        _fk("checkins", "person_id", "people"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
        sa.UniqueConstraint(
            "person_id", "local_date", name=op.f("uq_checkins_person_id_local_date")
        ),
    )
    op.create_index(op.f("ix_checkins_team_id"), "checkins", ["team_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_checkins_team_id"), table_name="checkins")
    op.drop_table("checkins")
