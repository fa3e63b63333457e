"""Check-ins behind the ``CheckinRepository`` port, on the hub unit of work's connection.

The team's queries (``feed``, ``open_blockers``) never select ``mood`` or ``day_mode``;
only ``own`` (the author's rows) and ``latest_moods`` (one value per person, for the
privacy gate) do.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, func, insert, or_, select, update

from asyncfirst.adapters.db.access_repository import person_id
from asyncfirst.adapters.db.rows import inserted_id
from asyncfirst.adapters.db.tables import checkins, people, teams
from asyncfirst.services.checkin_ports import (
    BlockerRow,
    FeedRow,
    NewCheckin,
    OwnCheckin,
)

__all__ = ["SqlCheckinRepository"]

_c = checkins
_FEED_COLUMNS = (
    _c.c.id, teams.c.key.label("team_key"), people.c.key.label("person_key"),
    people.c.name.label("person_name"), _c.c.local_date, _c.c.zone, _c.c.answers,
    _c.c.blockers, _c.c.created_at, _c.c.updated_at,
)  # fmt: skip


def _feed_query(*extra: Any) -> Any:
    return (
        select(*_FEED_COLUMNS, *extra)
        .join(teams, _c.c.team_id == teams.c.id)
        .join(people, _c.c.person_id == people.c.id)
    )


def _open_blockers_query() -> Any:
    clear = _c.alias("clear")
    last_clear = (
        select(func.max(clear.c.local_date))
        .where(clear.c.person_id == _c.c.person_id, clear.c.blockers == "")
        .scalar_subquery()
    )
    return (
        select(people.c.key, people.c.name, _c.c.local_date, _c.c.blockers)
        .join(teams, _c.c.team_id == teams.c.id)
        .join(people, _c.c.person_id == people.c.id)
        .where(
            teams.c.key == bindparam("team"),
            _c.c.blockers != "",
            or_(last_clear.is_(None), _c.c.local_date > last_clear),
        )
        .order_by(people.c.id, _c.c.local_date)
    )


# The read statements, built once with bind parameters (see ``hub_repository``: building
# and hashing a select per call costs more than looking its compiled form up).
_OWN = (
    _feed_query(_c.c.mood, _c.c.day_mode)
    .where(people.c.key == bindparam("person"), _c.c.local_date >= bindparam("since"))
    .order_by(_c.c.local_date.desc(), _c.c.id.desc())
)
_FEED = (
    _feed_query()
    .where(teams.c.key == bindparam("team"), _c.c.local_date >= bindparam("since"))
    .order_by(_c.c.local_date.desc(), _c.c.created_at.desc(), _c.c.id.desc())
)
_OPEN_BLOCKERS = _open_blockers_query()
_MEMBERS = (
    select(people.c.key)
    .join(teams, people.c.team_id == teams.c.id)
    .where(teams.c.key == bindparam("team"), people.c.active)
)
_MOODS = (
    select(people.c.key, _c.c.mood)
    .join(teams, _c.c.team_id == teams.c.id)
    .join(people, _c.c.person_id == people.c.id)
    .where(
        teams.c.key == bindparam("team"),
        people.c.active,
        _c.c.mood.is_not(None),
        func.coalesce(_c.c.updated_at, _c.c.created_at) >= bindparam("since"),
    )
    .order_by(_c.c.local_date, _c.c.id)
)


def _feed_row(r: Row[Any]) -> FeedRow:
    return FeedRow(
        r.id, r.team_key, r.person_key, r.person_name, r.local_date, r.zone, dict(r.answers),
        r.blockers, r.created_at, r.updated_at,
    )  # fmt: skip


class SqlCheckinRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def save(self, checkin: NewCheckin) -> tuple[int, bool]:
        c = checkin
        author = person_id(self._db, c.person)
        values = {"answers": dict(c.answers), "blockers": c.blockers, "mood": c.mood,
                  "day_mode": c.day_mode, "zone": c.zone}  # fmt: skip
        existing = self._db.scalar(
            select(_c.c.id).where(_c.c.person_id == author, _c.c.local_date == c.local_date)
        )
        if existing is not None:
            self._db.execute(
                update(_c).where(_c.c.id == existing).values(**values, updated_at=c.at)
            )
            return int(existing), False
        team_id = self._db.scalar(select(teams.c.id).where(teams.c.key == c.team, teams.c.active))
        if team_id is None:
            raise RuntimeError(f'no active team "{c.team}"')
        result = self._db.execute(
            insert(_c).values(
                **values, team_id=team_id, person_id=author, local_date=c.local_date,
                created_at=c.at,
            )
        )  # fmt: skip
        return inserted_id(result, "check-in"), True

    def own(self, person: str, since: date) -> list[OwnCheckin]:
        rows = self._db.execute(_OWN, {"person": person, "since": since})
        return [OwnCheckin(_feed_row(r), r.mood, r.day_mode) for r in rows]

    def feed(self, team: str, since: date) -> list[FeedRow]:
        rows = self._db.execute(_FEED, {"team": team, "since": since})
        return [_feed_row(r) for r in rows]

    def open_blockers(self, team: str) -> list[BlockerRow]:
        rows = self._db.execute(_OPEN_BLOCKERS, {"team": team})
        return [BlockerRow(r.key, r.name, r.local_date, r.blockers) for r in rows]

    def latest_moods(self, team: str, since: datetime) -> dict[str, int | None]:
        members = self._db.scalars(_MEMBERS, {"team": team})
        moods: dict[str, int | None] = dict.fromkeys(members)
        rows = self._db.execute(_MOODS, {"team": team, "since": since})
        for row in rows:
            moods[row.key] = row.mood  # the latest wins
        return moods
