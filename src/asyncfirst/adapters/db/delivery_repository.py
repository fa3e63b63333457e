"""The delivery log behind the ``DeliveryRepository`` port: fan-out, claims and outcomes.

A claim is ``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL (two workers never claim
the same row; SQLite's ``BEGIN IMMEDIATE`` already serialises them), then one UPDATE that
counts the attempt and moves ``next_attempt_at`` to the end of the lease.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, select, update
from sqlalchemy.dialects import postgresql, sqlite

from asyncfirst.adapters.db.tables import deliveries, notifications, people, teams, webhooks
from asyncfirst.adapters.db.webhook_repository import webhook_record, webhooks_query
from asyncfirst.domain.notifications import Notification
from asyncfirst.services.notify_ports import (
    DeliveryRecord,
    DeliveryStatus,
    DueDelivery,
    StoredNotification,
    WebhookRecord,
)

__all__ = ["SqlDeliveryRepository"]

_d, _n = deliveries, notifications


def _notification(row: Row[Any]) -> Notification:
    return Notification(
        key=row.key, kind=row.kind, team=row.team_key, subject=row.subject, text=row.text,
        created_at=row.created_at, recipients=tuple(row.recipients), link=row.link,
        data=dict(row.data),
    )  # fmt: skip


def _notifications_query() -> Any:
    return select(_n, teams.c.key.label("team_key")).join(teams, _n.c.team_id == teams.c.id)


class SqlDeliveryRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def unfanned(self, limit: int) -> list[StoredNotification]:
        query = (
            _notifications_query()
            .where(_n.c.fanned_out_at.is_(None))
            .order_by(_n.c.created_at, _n.c.id)
            .limit(limit)
        )
        return [StoredNotification(row.id, _notification(row)) for row in self._db.execute(query)]

    def addresses(self, team: str, people_keys: Sequence[str]) -> dict[str, str | None]:
        query = select(people.c.key, people.c.emails).order_by(people.c.id)
        if people_keys:
            query = query.where(people.c.key.in_(people_keys))
        else:
            query = query.join(teams, people.c.team_id == teams.c.id).where(
                teams.c.key == team, people.c.active
            )
        found = {
            row.key: (row.emails[0] if row.emails else None) for row in self._db.execute(query)
        }
        keys = people_keys or list(found)
        return {key: found.get(key) for key in keys}

    def add(
        self, notification_id: int, at: datetime, *, webhook_id: int | None = None,
        email: str | None = None,
    ) -> bool:  # fmt: skip
        dialect = postgresql if self._db.dialect.name == "postgresql" else sqlite
        result = self._db.execute(
            dialect.insert(_d)
            .values(
                notification_id=notification_id, webhook_id=webhook_id, email=email, attempts=0,
                status="pending", next_attempt_at=at, created_at=at, updated_at=at,
            )
            .on_conflict_do_nothing()
            .returning(_d.c.id)
        )  # fmt: skip
        return result.first() is not None

    def mark_fanned_out(self, notification_id: int, at: datetime) -> None:
        self._db.execute(update(_n).where(_n.c.id == notification_id).values(fanned_out_at=at))

    def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[DueDelivery]:
        ids = list(
            self._db.scalars(
                select(_d.c.id)
                .where(_d.c.status.in_(("pending", "failed")), _d.c.next_attempt_at <= now)
                .order_by(_d.c.next_attempt_at, _d.c.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        )
        if not ids:
            return []
        self._db.execute(
            update(_d)
            .where(_d.c.id.in_(ids))
            .values(attempts=_d.c.attempts + 1, next_attempt_at=lease_until, updated_at=now)
        )
        rows = list(self._db.execute(select(_d).where(_d.c.id.in_(ids)).order_by(_d.c.id)))
        found = {r.id: _notification(r) for r in self._db.execute(
            _notifications_query().where(_n.c.id.in_({row.notification_id for row in rows}))
        )}  # fmt: skip
        hook_ids = {row.webhook_id for row in rows if row.webhook_id is not None}
        hooks: dict[int, WebhookRecord] = {}
        if hook_ids:
            query = webhooks_query().where(webhooks.c.id.in_(hook_ids))
            hooks = {r.id: webhook_record(r) for r in self._db.execute(query)}
        return [
            DueDelivery(
                row.id,
                found[row.notification_id],
                row.attempts,
                hooks.get(row.webhook_id) if row.webhook_id is not None else None,
                row.email,
            )
            for row in rows
        ]

    def record(
        self, delivery_id: int, status: DeliveryStatus, at: datetime, *,
        response: str | None, error: str | None, next_attempt_at: datetime | None,
    ) -> None:  # fmt: skip
        self._db.execute(
            update(_d)
            .where(_d.c.id == delivery_id)
            .values(
                status=status, last_response=response[:300] if response else None,
                last_error=_d.c.last_error if error is None else error,  # kept after success
                next_attempt_at=next_attempt_at, updated_at=at,
                delivered_at=at if status == "delivered" else None,
            )
        )  # fmt: skip

    def log(self, webhook_id: int, limit: int) -> list[DeliveryRecord]:
        rows = self._db.execute(
            select(_d, _n.c.key, _n.c.kind)
            .join(_n, _d.c.notification_id == _n.c.id)
            .where(_d.c.webhook_id == webhook_id)
            .order_by(_d.c.id.desc())
            .limit(limit)
        )
        return [
            DeliveryRecord(
                r.id,
                r.key,
                r.kind,
                r.webhook_id,
                r.email,
                r.attempts,
                r.status,
                r.last_response,
                r.last_error,
                r.next_attempt_at,
                r.delivered_at,
                r.created_at,
                r.updated_at,
            )
            for r in rows
        ]
