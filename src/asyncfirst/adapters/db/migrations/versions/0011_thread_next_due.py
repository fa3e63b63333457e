"""Threads keep their earliest open respond-by (``next_due``), indexed with the team.

A team's thread list is ordered by it (waiting threads by ``next_due``, then answered ones
newest first); computing it per thread on every read cost a pass over every thread of the
team (5 ms for 742 threads in the load test, growing with use). Existing threads get it
from their recipients.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # UTCDateTime's DDL: timestamptz on PostgreSQL, DATETIME (naive UTC) on SQLite.
    op.add_column("threads", sa.Column("next_due", sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE threads SET next_due = (SELECT min(r.respond_by) FROM thread_recipients r"
        " WHERE r.thread_id = threads.id AND r.answered_at IS NULL)"
    )
    op.create_index(
        "ix_threads_team_id_next_due", "threads", ["team_id", "next_due", "id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_threads_team_id_next_due", table_name="threads")
    # a plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch copy of the table would
    # drop it, which the rows of the tables that refer to threads forbid
    op.drop_column("threads", "next_due")
