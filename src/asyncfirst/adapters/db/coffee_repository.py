"""Coffee choices and drawn pairings behind the ``CoffeeRepository`` port."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import Connection, insert, select, update

from asyncfirst.adapters.db.access_repository import person_id
from asyncfirst.adapters.db.tables import coffee_pairings, coffee_preferences, people
from asyncfirst.services.coffee_ports import CoffeePreference, StoredGroup, StoredRound

__all__ = ["SqlCoffeeRepository"]

_pref, _pair = coffee_preferences, coffee_pairings


class SqlCoffeeRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def preferences(self) -> dict[str, CoffeePreference]:
        rows = self._db.execute(
            select(people.c.key, _pref.c.opted_in, _pref.c.paused_until, _pref.c.updated_at)
            .join(people, _pref.c.person_id == people.c.id)
        )  # fmt: skip
        return {
            r.key: CoffeePreference(r.key, bool(r.opted_in), r.paused_until, r.updated_at)
            for r in rows
        }

    def set_preference(
        self, person: str, opted_in: bool, paused_until: date | None, at: datetime
    ) -> None:
        who = person_id(self._db, person)
        values = {"opted_in": opted_in, "paused_until": paused_until, "updated_at": at}
        result = self._db.execute(update(_pref).where(_pref.c.person_id == who).values(**values))
        if not result.rowcount:
            self._db.execute(insert(_pref).values(person_id=who, **values))

    def _rounds(self, query_filter: object | None) -> list[StoredRound]:
        query = (
            select(_pair.c.week, _pair.c.group_no, people.c.key, _pair.c.starts_at,
                   _pair.c.ends_at)
            .join(people, _pair.c.person_id == people.c.id)
            .order_by(_pair.c.week, _pair.c.group_no, _pair.c.id)
        )  # fmt: skip
        if query_filter is not None:
            query = query.where(query_filter)  # type: ignore[arg-type]  # a column expression
        groups: dict[date, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
        slots: dict[tuple[date, int], tuple[datetime | None, datetime | None]] = {}
        for row in self._db.execute(query):
            groups[row.week][row.group_no].append(row.key)
            slots[(row.week, row.group_no)] = (row.starts_at, row.ends_at)
        return [
            StoredRound(
                week,
                tuple(
                    StoredGroup(tuple(members), *slots[(week, number)])
                    for number, members in by_number.items()
                ),
            )
            for week, by_number in groups.items()
        ]

    def rounds(self, before: date | None = None) -> list[StoredRound]:
        return self._rounds(None if before is None else _pair.c.week < before)

    def round_of(self, week: date) -> StoredRound | None:
        found = self._rounds(_pair.c.week == week)
        return found[0] if found else None

    def save_round(self, week: date, groups: Sequence[StoredGroup], at: datetime) -> None:
        if self._db.scalar(select(_pair.c.id).where(_pair.c.week == week).limit(1)) is not None:
            return
        rows = [
            {"week": week, "group_no": number, "person_id": person_id(self._db, member),
             "starts_at": group.starts_at, "ends_at": group.ends_at, "created_at": at}
            for number, group in enumerate(groups, start=1)
            for member in group.members
        ]  # fmt: skip
        if rows:
            self._db.execute(insert(_pair), rows)
