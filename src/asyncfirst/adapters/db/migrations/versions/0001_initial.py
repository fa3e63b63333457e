"""The charter tables: organisations, teams, people, charter applies and policy history.

Revision ID: 0001
Revises:
Create Date: 2026-05-01
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _instant(name: str, *, nullable: bool = False) -> sa.Column[datetime]:
    """UTCDateTime's DDL: timestamptz on PostgreSQL, DATETIME (naive UTC) on SQLite."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        _instant("created_at"),
        _instant("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
    )
    op.create_table(
        "charter_applies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        _instant("applied_at"),
        sa.Column("applied_by", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_charter_applies_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_charter_applies")),
    )
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("hours", sa.Text(), nullable=False),
        sa.Column("holidays", sa.String(length=32), nullable=False),
        sa.Column("band_low", sa.Float(), nullable=False),
        sa.Column("band_high", sa.Float(), nullable=False),
        sa.Column("respond_by_hours", sa.Float(), nullable=False),
        sa.Column("decision_deadline_hours", sa.Float(), nullable=False),
        sa.Column("alignment_every_weeks", sa.Integer(), nullable=False),
        sa.Column("alignment_minutes", sa.Integer(), nullable=False),
        sa.Column("sync_kinds", sa.JSON(), nullable=False),
        sa.Column("coffee_every_weeks", sa.Integer(), nullable=False),
        sa.Column("reflection_every_weeks", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _instant("created_at"),
        _instant("updated_at"),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_teams_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams")),
        sa.UniqueConstraint("organisation_id", "key", name=op.f("uq_teams_organisation_id_key")),
    )
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.Column("hours", sa.Text(), nullable=False),
        sa.Column("holidays", sa.String(length=32), nullable=False),
        sa.Column("emails", sa.JSON(), nullable=False),
        sa.Column("focus", sa.Text(), nullable=False),
        sa.Column("meeting_free_days", sa.String(length=64), nullable=False),
        sa.Column("time_off", sa.Text(), nullable=False),
        sa.Column("daily_sync_cap_minutes", sa.Integer(), nullable=True),
        sa.Column("weekly_sync_cap_minutes", sa.Integer(), nullable=True),
        sa.Column("stretch_minutes", sa.Integer(), nullable=False),
        sa.Column("social_appetite", sa.Float(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _instant("created_at"),
        _instant("updated_at"),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_people_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_people_team_id_teams")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("organisation_id", "key", name=op.f("uq_people_organisation_id_key")),
    )
    op.create_index(op.f("ix_people_team_id"), "people", ["team_id"], unique=False)
    op.create_table(
        "team_policy_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("apply_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=False),
        _instant("changed_at"),
        sa.Column("changed_by", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["apply_id"],
            ["charter_applies.id"],
            name=op.f("fk_team_policy_history_apply_id_charter_applies"),
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_team_policy_history_team_id_teams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_policy_history")),
    )
    op.create_index(
        op.f("ix_team_policy_history_team_id"), "team_policy_history", ["team_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_team_policy_history_team_id"), table_name="team_policy_history")
    op.drop_table("team_policy_history")
    op.drop_index(op.f("ix_people_team_id"), table_name="people")
    op.drop_table("people")
    op.drop_table("teams")
    op.drop_table("charter_applies")
    op.drop_table("organisations")
