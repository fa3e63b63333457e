"""The hub: API tokens, roles, threads with their recipients' respond-by, and replies.

Revision ID: 0002
Revises: 0001
Create Date: 2026-05-20
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
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
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        _instant("created_at"),
        _instant("last_used_at", nullable=True),
        _instant("revoked_at", nullable=True),
        _fk("api_tokens", "person_id", "people"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("digest", name=op.f("uq_api_tokens_digest")),
    )
    _index("api_tokens", "person_id")
    _index("api_tokens", "prefix")
    op.create_table(
        "roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        _instant("granted_at"),
        sa.CheckConstraint("role IN ('org_admin', 'team_lead')", name=op.f("ck_roles_known_role")),
        sa.CheckConstraint(
            "(role = 'team_lead') = (team_id IS NOT NULL)",
            name=op.f("ck_roles_team_lead_names_team"),
        ),
        _fk("roles", "person_id", "people"),
        _fk("roles", "team_id", "teams"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roles")),
    )
    _index("roles", "person_id")
    op.create_table(
        "threads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        _instant("created_at"),
        sa.CheckConstraint("kind IN ('update', 'question')", name=op.f("ck_threads_known_kind")),
        _fk("threads", "team_id", "teams"),
        _fk("threads", "author_id", "people"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_threads")),
    )
    _index("threads", "team_id")
    op.create_table(
        "thread_recipients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        _instant("respond_by"),
        sa.Column("zone", sa.String(length=64), nullable=False),
        _instant("answered_at", nullable=True),
        _instant("reminded_at", nullable=True),
        _fk("thread_recipients", "thread_id", "threads"),
        _fk("thread_recipients", "person_id", "people"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_thread_recipients")),
        sa.UniqueConstraint(
            "thread_id", "person_id", name=op.f("uq_thread_recipients_thread_id_person_id")
        ),
    )
    _index("thread_recipients", "person_id")
    op.create_table(
        "replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        _instant("created_at"),
        _fk("replies", "thread_id", "threads"),
        _fk("replies", "author_id", "people"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_replies")),
    )
    _index("replies", "thread_id")


def downgrade() -> None:
    for table, columns in (
        ("replies", ("thread_id",)),
        ("thread_recipients", ("person_id",)),
        ("threads", ("team_id",)),
        ("roles", ("person_id",)),
        ("api_tokens", ("prefix", "person_id")),
    ):
        for column in columns:
            op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
        op.drop_table(table)
