"""A team's outgoing webhooks behind the ``WebhookRepository`` port."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from asyncfirst.adapters.db.access_repository import person_id
from asyncfirst.adapters.db.notification_repository import team_id
from asyncfirst.adapters.db.rows import inserted_id
from asyncfirst.adapters.db.tables import people, teams, webhooks
from asyncfirst.services.notify_ports import NewWebhook, WebhookRecord

__all__ = ["SqlWebhookRepository", "webhook_record", "webhooks_query"]

_w = webhooks


def webhooks_query() -> Any:
    return (
        select(_w, teams.c.key.label("team_key"), people.c.key.label("created_by_key"))
        .join(teams, _w.c.team_id == teams.c.id)
        .join(people, _w.c.created_by_id == people.c.id)
    )


def webhook_record(row: Row[Any]) -> WebhookRecord:
    return WebhookRecord(
        id=row.id, team=row.team_key, format=row.format, url=row.url, active=row.active,
        created_by=row.created_by_key, created_at=row.created_at, removed_at=row.removed_at,
        matrix_room_id=row.matrix_room_id, matrix_access_token=row.matrix_access_token,
        secret=row.secret,
    )  # fmt: skip


class SqlWebhookRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add(self, webhook: NewWebhook) -> int:
        w = webhook
        result = self._db.execute(
            insert(_w).values(
                team_id=team_id(self._db, w.team), format=w.format, url=w.url,
                matrix_room_id=w.matrix_room_id, matrix_access_token=w.matrix_access_token,
                secret=w.secret, active=True, created_by_id=person_id(self._db, w.created_by),
                created_at=w.created_at,
            )
        )  # fmt: skip
        return inserted_id(result, "webhook")

    def get(self, webhook_id: int) -> WebhookRecord | None:
        row = self._db.execute(webhooks_query().where(_w.c.id == webhook_id)).first()
        return None if row is None else webhook_record(row)

    def listed(self, team: str | None = None) -> list[WebhookRecord]:
        query = webhooks_query().where(_w.c.active).order_by(_w.c.id)
        if team is not None:
            query = query.where(teams.c.key == team)
        return [webhook_record(row) for row in self._db.execute(query)]

    def remove(self, webhook_id: int, at: datetime) -> bool:
        result = self._db.execute(
            update(_w).where(_w.c.id == webhook_id, _w.c.active).values(active=False, removed_at=at)
        )
        return bool(result.rowcount)
