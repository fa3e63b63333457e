"""The notification outbox behind the ``NotificationOutbox`` port, on the unit of work's connection.

``enqueue`` is one ``INSERT ... ON CONFLICT (key) DO NOTHING`` (the dialect's own insert on
SQLite and PostgreSQL), so two processes racing on the same key keep it once and neither
fails: on PostgreSQL the second waits for the first transaction and then inserts nothing;
on SQLite the hub's ``BEGIN IMMEDIATE`` serialises them before they get there.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from asyncfirst.adapters.db.tables import notifications, teams
from asyncfirst.domain.notifications import Notification

__all__ = ["SqlNotificationOutbox", "team_id"]


def team_id(connection: Connection, key: str) -> int:
    """The row id of the team with charter id ``key`` (active first)."""
    found = connection.scalar(
        select(teams.c.id).where(teams.c.key == key).order_by(teams.c.active.desc()).limit(1)
    )
    if found is None:
        raise RuntimeError(f'no team "{key}" in the database')
    return int(found)


def _insert_unless_key_exists(connection: Connection) -> Any:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    return (
        dialect.insert(notifications)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(notifications.c.id)
    )


class SqlNotificationOutbox:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def enqueue(self, notification: Notification) -> bool:
        n = notification
        result = self._db.execute(
            _insert_unless_key_exists(self._db).values(
                key=n.key, kind=n.kind, team_id=team_id(self._db, n.team), subject=n.subject,
                text=n.text, recipients=list(n.recipients), link=n.link, data=dict(n.data),
                created_at=n.created_at,
            )
        )  # fmt: skip
        return result.first() is not None  # a skipped row returns nothing (rowcount is unreliable)
