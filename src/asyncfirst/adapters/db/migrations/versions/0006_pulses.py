"""Reflection pulses: one nameless-in-results answer per person, team and pulse week.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        "pulse_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("pulse_week", sa.Date(), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("suggestion", sa.Text(), nullable=False),
        # UTCDateTime's DDL: timestamptz on PostgreSQL, DATETIME (naive UTC) on SQLite.
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "verdict IN ('too_much_sync', 'about_right', 'too_little_sync')",
            name=op.f("ck_pulse_answers_known_verdict"),
        ),
        _fk("pulse_answers", "team_id", "teams"),
        _fk("pulse_answers", "person_id", "people"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pulse_answers")),
        sa.UniqueConstraint(
            "person_id",
            "team_id",
            "pulse_week",
            name=op.f("uq_pulse_answers_person_id_team_id_pulse_week"),
        ),
    )
    op.create_index(op.f("ix_pulse_answers_team_id"), "pulse_answers", ["team_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_pulse_answers_team_id"), table_name="pulse_answers")
    op.drop_table("pulse_answers")
