"""Notifications: the outbox, webhook endpoints and the delivery log.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("link", sa.Text(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        # UTCDateTime's DDL: timestamptz on PostgreSQL, DATETIME (naive UTC) on SQLite.
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fanned_out_at", sa.DateTime(timezone=True), nullable=True),
        _fk("notifications", "team_id", "teams"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint("key", name=op.f("uq_notifications_key")),
    )
    op.create_index(op.f("ix_notifications_team_id"), "notifications", ["team_id"])
    op.create_index(op.f("ix_notifications_fanned_out_at"), "notifications", ["fanned_out_at"])
    op.create_table(
        "webhooks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("matrix_room_id", sa.String(length=255), nullable=True),
        sa.Column("matrix_access_token", sa.Text(), nullable=True),
        sa.Column("secret", sa.String(length=128), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "format IN ('slack', 'mattermost', 'matrix', 'json')",
            name=op.f("ck_webhooks_known_format"),
        ),
        sa.CheckConstraint(
            "(format = 'matrix') = "
            "(matrix_room_id IS NOT NULL AND matrix_access_token IS NOT NULL)",
            name=op.f("ck_webhooks_matrix_has_room_and_token"),
        ),
        sa.CheckConstraint(
            "(format = 'json') = (secret IS NOT NULL)", name=op.f("ck_webhooks_json_has_secret")
        ),
        _fk("webhooks", "team_id", "teams"),
        _fk("webhooks", "created_by_id", "people"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhooks")),
    )
    op.create_index(op.f("ix_webhooks_team_id"), "webhooks", ["team_id"])
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("webhook_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("last_response", sa.String(length=300), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'delivered', 'failed', 'gave_up')",
            name=op.f("ck_deliveries_known_status"),
        ),
        sa.CheckConstraint(
            "(webhook_id IS NULL) <> (email IS NULL)", name=op.f("ck_deliveries_one_channel")
        ),
        _fk("deliveries", "notification_id", "notifications"),
        _fk("deliveries", "webhook_id", "webhooks"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        sa.UniqueConstraint(
            "notification_id", "webhook_id", name=op.f("uq_deliveries_notification_id_webhook_id")
        ),
        sa.UniqueConstraint(
            "notification_id", "email", name=op.f("uq_deliveries_notification_id_email")
        ),
    )
    op.create_index(op.f("ix_deliveries_notification_id"), "deliveries", ["notification_id"])
    op.create_index(op.f("ix_deliveries_webhook_id"), "deliveries", ["webhook_id"])
    op.create_index(op.f("ix_deliveries_next_attempt_at"), "deliveries", ["next_attempt_at"])


def downgrade() -> None:
    for index in ("next_attempt_at", "webhook_id", "notification_id"):
        op.drop_index(op.f(f"ix_deliveries_{index}"), table_name="deliveries")
    op.drop_table("deliveries")
    op.drop_index(op.f("ix_webhooks_team_id"), table_name="webhooks")
    op.drop_table("webhooks")
    op.drop_index(op.f("ix_notifications_fanned_out_at"), table_name="notifications")
    op.drop_index(op.f("ix_notifications_team_id"), table_name="notifications")
    op.drop_table("notifications")
