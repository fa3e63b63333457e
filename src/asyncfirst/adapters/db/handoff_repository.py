"""Hand-offs behind the ``HandoffRepository`` port, on the hub unit of work's connection."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, insert, select, update

from asyncfirst.adapters.db.access_repository import person_id
from asyncfirst.adapters.db.rows import inserted_id
from asyncfirst.adapters.db.tables import handoffs, people, teams
from asyncfirst.services.handoff_ports import HandoffRecord, NewHandoff

__all__ = ["SqlHandoffRepository"]

_h = handoffs
_from, _to = teams.alias("from_team"), teams.alias("to_team")
_author, _acker = people.alias("author"), people.alias("acker")
_COLUMNS = (
    _h.c.id, _from.c.key.label("from_key"), _to.c.key.label("to_key"),
    _author.c.key.label("author_key"), _author.c.name.label("author_name"), _h.c.note,
    _h.c.open_items, _h.c.created_at, _h.c.to_starts_at, _h.c.to_zone,
    _acker.c.key.label("acker_key"), _acker.c.name.label("acker_name"), _h.c.acknowledged_at,
)  # fmt: skip


def _query() -> Any:
    return (
        select(*_COLUMNS)
        .join(_from, _h.c.from_team_id == _from.c.id)
        .join(_to, _h.c.to_team_id == _to.c.id)
        .join(_author, _h.c.author_id == _author.c.id)
        .outerjoin(_acker, _h.c.acknowledged_by_id == _acker.c.id)
    )


def _listed_query(team_column: Any) -> Any:
    return (
        _query()
        .where(team_column == bindparam("team"))
        .order_by(_h.c.created_at.desc(), _h.c.id.desc())
    )


def _record(r: Row[Any]) -> HandoffRecord:
    return HandoffRecord(
        r.id, r.from_key, r.to_key, r.author_key, r.author_name, r.note,
        tuple(str(item) for item in r.open_items), r.created_at, r.to_starts_at, r.to_zone,
        r.acker_key, r.acker_name, r.acknowledged_at,
    )  # fmt: skip


# The team page reads both lists on every visit: built once (see hub_repository).
_TO_TEAM = _listed_query(_to.c.key)
_FROM_TEAM = _listed_query(_from.c.key)


class SqlHandoffRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def _team_id(self, key: str) -> int:
        found = self._db.scalar(select(teams.c.id).where(teams.c.key == key, teams.c.active))
        if found is None:
            raise RuntimeError(f'no active team "{key}"')
        return int(found)

    def add(self, handoff: NewHandoff) -> int:
        h = handoff
        result = self._db.execute(
            insert(_h).values(
                from_team_id=self._team_id(h.from_team), to_team_id=self._team_id(h.to_team),
                author_id=person_id(self._db, h.author), note=h.note,
                open_items=list(h.open_items), created_at=h.created_at,
                to_starts_at=h.to_starts_at, to_zone=h.to_zone,
            )
        )  # fmt: skip
        return inserted_id(result, "hand-off")

    def get(self, handoff_id: int) -> HandoffRecord | None:
        row = self._db.execute(_query().where(_h.c.id == handoff_id)).first()
        return None if row is None else _record(row)

    def _listed(self, query: Any, team: str) -> list[HandoffRecord]:
        return [_record(r) for r in self._db.execute(query, {"team": team})]

    def to_team(self, team: str) -> list[HandoffRecord]:
        return self._listed(_TO_TEAM, team)

    def from_team(self, team: str) -> list[HandoffRecord]:
        return self._listed(_FROM_TEAM, team)

    def acknowledge(self, handoff_id: int, person: str, at: datetime) -> bool:
        result = self._db.execute(
            update(_h)
            .where(_h.c.id == handoff_id, _h.c.acknowledged_at.is_(None))
            .values(acknowledged_by_id=person_id(self._db, person), acknowledged_at=at)
        )
        return bool(result.rowcount)
