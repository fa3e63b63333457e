"""Pulse answers behind the ``PulseRepository`` port, on the hub unit of work's connection.

Answers leave this module only keyed by person id for the privacy gate; nothing here
joins them to a name.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, bindparam, insert, select, update

from asyncfirst.adapters.db.access_repository import person_id
from asyncfirst.adapters.db.tables import people, pulse_answers, teams
from asyncfirst.services.pulse_ports import PulseAnswer, StoredPulse

__all__ = ["SqlPulseRepository"]

_p = pulse_answers


# The team page reads it on every visit: built once (see hub_repository).
_ANSWERS = (
    select(people.c.key, _p.c.verdict, _p.c.suggestion)
    .join(people, _p.c.person_id == people.c.id)
    .join(teams, _p.c.team_id == teams.c.id)
    .where(teams.c.key == bindparam("team"), _p.c.pulse_week == bindparam("week"))
)


class SqlPulseRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def _team_id(self, key: str) -> int:
        found = self._db.scalar(select(teams.c.id).where(teams.c.key == key, teams.c.active))
        if found is None:
            raise RuntimeError(f'no active team "{key}"')
        return int(found)

    def save(self, answer: PulseAnswer) -> bool:
        a = answer
        team_id, who = self._team_id(a.team), person_id(self._db, a.person)
        values = {"verdict": a.verdict, "suggestion": a.suggestion, "created_at": a.created_at}
        result = self._db.execute(
            update(_p)
            .where(_p.c.team_id == team_id, _p.c.person_id == who, _p.c.pulse_week == a.pulse_week)
            .values(**values)
        )
        if result.rowcount:
            return False
        self._db.execute(
            insert(_p).values(team_id=team_id, person_id=who, pulse_week=a.pulse_week, **values)
        )
        return True

    def answers(self, team: str, pulse_week: date) -> dict[str, StoredPulse]:
        rows = self._db.execute(_ANSWERS, {"team": team, "week": pulse_week})
        return {r.key: StoredPulse(r.verdict, r.suggestion) for r in rows}
