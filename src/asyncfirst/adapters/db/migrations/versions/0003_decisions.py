"""Decisions: proposals with options, their deciders' decide-by, and their responses.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _instant(name: str, *, nullable: bool = False) -> sa.Column[datetime]:
    """UTCDateTime's DDL: timestamptz on PostgreSQL, DATETIME (naive UTC) on SQLite."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def _index(table: str, column: str) -> None:
    op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("quorum", sa.Integer(), nullable=False),
        _instant("decide_by"),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("critical", sa.Boolean(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("max_rounds", sa.Integer(), nullable=False),
        sa.Column("decided_option", sa.String(length=200), nullable=True),
        sa.Column("escalated_reason", sa.Text(), nullable=True),
        _instant("escalated_meeting_start", nullable=True),
        _instant("escalated_meeting_end", nullable=True),
        _instant("created_at"),
        _instant("closed_at", nullable=True),
        sa.CheckConstraint("mode IN ('consent', 'vote')", name=op.f("ck_decisions_known_mode")),
        sa.CheckConstraint(
            "state IN ('open', 'decided', 'escalated', 'withdrawn')",
            name=op.f("ck_decisions_known_state"),
        ),
        _fk("decisions", "team_id", "teams"),
        _fk("decisions", "author_id", "people"),
        _fk("decisions", "thread_id", "threads"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
    )
    _index("decisions", "team_id")
    _index("decisions", "state")
    op.create_table(
        "decision_deciders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        _instant("decide_by"),
        sa.Column("zone", sa.String(length=64), nullable=False),
        _fk("decision_deciders", "decision_id", "decisions"),
        _fk("decision_deciders", "person_id", "people"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_deciders")),
        sa.UniqueConstraint(
            "decision_id", "person_id", name=op.f("uq_decision_deciders_decision_id_person_id")
        ),
    )
    _index("decision_deciders", "person_id")
    op.create_table(
        "decision_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("choice", sa.String(length=200), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        _instant("created_at"),
        _fk("decision_responses", "decision_id", "decisions"),
        _fk("decision_responses", "person_id", "people"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_responses")),
    )
    _index("decision_responses", "decision_id")


def downgrade() -> None:
    for table, columns in (
        ("decision_responses", ("decision_id",)),
        ("decision_deciders", ("person_id",)),
        ("decisions", ("state", "team_id")),
    ):
        for column in columns:
            op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
        op.drop_table(table)
