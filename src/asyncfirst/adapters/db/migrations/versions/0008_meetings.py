"""Meetings with their attendees (and zones), and per-person calendar-feed secrets.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
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
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("why_sync", sa.Text(), nullable=False),
        _instant("starts_at"),
        _instant("ends_at"),
        sa.Column("organiser_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        _instant("created_at"),
        _instant("cancelled_at", nullable=True),
        sa.CheckConstraint(
            "kind IN ('alignment', 'workshop', 'kickoff', 'troubleshooting', 'pairing', "
            "'coffee', 'decision')",
            name=op.f("ck_meetings_known_kind"),
        ),
        sa.CheckConstraint(
            "source IN ('planner', 'decision')", name=op.f("ck_meetings_known_source")
        ),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_meetings_ends_after_start")),
        sa.CheckConstraint(
            "(source = 'decision') = (decision_id IS NOT NULL)",
            name=op.f("ck_meetings_decision_source_names_decision"),
        ),
        _fk("meetings", "team_id", "teams"),
        _fk("meetings", "organiser_id", "people"),
        _fk("meetings", "decision_id", "decisions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
        sa.UniqueConstraint("decision_id", name=op.f("uq_meetings_decision_id")),
    )
    _index("meetings", "team_id")
    _index("meetings", "starts_at")
    op.create_table(
        "meeting_attendees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        _fk("meeting_attendees", "meeting_id", "meetings"),
        _fk("meeting_attendees", "person_id", "people"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_attendees")),
        sa.UniqueConstraint(
            "meeting_id", "person_id", name=op.f("uq_meeting_attendees_meeting_id_person_id")
        ),
    )
    _index("meeting_attendees", "person_id")
    op.create_table(
        "feed_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        _instant("created_at"),
        _instant("revoked_at", nullable=True),
        _fk("feed_tokens", "person_id", "people"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_tokens")),
        sa.UniqueConstraint("digest", name=op.f("uq_feed_tokens_digest")),
    )
    _index("feed_tokens", "person_id")
    _index("feed_tokens", "prefix")


def downgrade() -> None:
    for table, columns in (
        ("feed_tokens", ("prefix", "person_id")),
        ("meeting_attendees", ("person_id",)),
        ("meetings", ("starts_at", "team_id")),
    ):
        for column in columns:
            op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
        op.drop_table(table)
