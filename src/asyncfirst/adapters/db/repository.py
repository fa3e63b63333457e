"""The charter tables behind the ``CharterUnitOfWork`` port, with SQLAlchemy Core.

One database holds one organisation. Teams and people are found by their charter id
(``key``), so applying a charter updates rows in place instead of adding new ones.
"""

from __future__ import annotations

from datetime import datetime
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine, Row, insert, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from asyncfirst.adapters.db.engine import display_url, unavailable
from asyncfirst.adapters.db.errors import StorageError
from asyncfirst.adapters.db.rows import inserted_id
from asyncfirst.adapters.db.tables import (
    charter_applies,
    organisations,
    people,
    team_policy_history,
    teams,
)
from asyncfirst.services.charter_records import (
    AppliedCharter,
    CharterRepository,
    CharterSnapshot,
    PersonRecord,
    PolicyChange,
    TeamRecord,
)

__all__ = ["SqlCharterRepository", "SqlCharterUnitOfWork"]

_LOCK_KEY = 0x61737966  # "asyf": the advisory lock of charter writes on PostgreSQL


def _team_values(team: TeamRecord) -> dict[str, Any]:
    return {
        "key": team.key, "name": team.name, "zone": team.zone, "hours": team.hours,
        "holidays": team.holidays, "band_low": team.band_low, "band_high": team.band_high,
        "respond_by_hours": team.respond_by_hours,
        "decision_deadline_hours": team.decision_deadline_hours,
        "alignment_every_weeks": team.alignment_every_weeks,
        "alignment_minutes": team.alignment_minutes, "sync_kinds": list(team.sync_kinds),
        "coffee_every_weeks": team.coffee_every_weeks,
        "reflection_every_weeks": team.reflection_every_weeks, "active": team.active,
    }  # fmt: skip


def _team_record(row: Row[Any]) -> TeamRecord:
    m = row._mapping
    return TeamRecord(
        m["key"], m["name"], m["zone"], m["hours"], m["holidays"], m["band_low"],
        m["band_high"], m["respond_by_hours"], m["decision_deadline_hours"],
        m["alignment_every_weeks"], m["alignment_minutes"], tuple(m["sync_kinds"]),
        m["coffee_every_weeks"], m["reflection_every_weeks"], m["active"],
    )  # fmt: skip


def _person_values(person: PersonRecord) -> dict[str, Any]:
    return {
        "key": person.key, "name": person.name, "zone": person.zone, "hours": person.hours,
        "holidays": person.holidays, "emails": list(person.emails), "focus": person.focus,
        "meeting_free_days": person.meeting_free_days, "time_off": person.time_off,
        "daily_sync_cap_minutes": person.daily_sync_cap_minutes,
        "weekly_sync_cap_minutes": person.weekly_sync_cap_minutes,
        "stretch_minutes": person.stretch_minutes, "social_appetite": person.social_appetite,
        "active": person.active,
    }  # fmt: skip


def _person_record(row: Row[Any]) -> PersonRecord:
    m = row._mapping
    return PersonRecord(
        m["key"], m["name"], m["team_key"], m["zone"], m["hours"], m["holidays"],
        tuple(m["emails"]), m["focus"], m["meeting_free_days"], m["time_off"],
        m["daily_sync_cap_minutes"], m["weekly_sync_cap_minutes"], m["stretch_minutes"],
        m["social_appetite"], m["active"],
    )  # fmt: skip


class SqlCharterRepository:
    """Reads and writes the charter tables on one connection (inside the caller's transaction)."""

    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def _organisation_id(self) -> int | None:
        found = self._db.scalar(select(organisations.c.id).order_by(organisations.c.id).limit(1))
        return None if found is None else int(found)

    def _require_organisation(self) -> int:
        org_id = self._organisation_id()
        if org_id is None:
            raise RuntimeError("save_organisation must come first")
        return org_id

    def _id_of(self, table: Any, key: str) -> int | None:
        found = self._db.scalar(
            select(table.c.id).where(
                table.c.organisation_id == self._require_organisation(), table.c.key == key
            )
        )
        return None if found is None else int(found)

    def snapshot(self) -> CharterSnapshot | None:
        org = self._db.execute(
            select(organisations.c.id, organisations.c.name).order_by(organisations.c.id).limit(1)
        ).first()
        if org is None:
            return None
        team_rows = self._db.execute(select(teams).where(teams.c.organisation_id == org.id))
        person_rows = self._db.execute(
            select(people, teams.c.key.label("team_key"))
            .join(teams, people.c.team_id == teams.c.id)
            .where(people.c.organisation_id == org.id)
            .order_by(people.c.id)
        )
        return CharterSnapshot(
            org.name,
            {r.key: _team_record(r) for r in team_rows},
            {r.key: _person_record(r) for r in person_rows},
        )

    def save_organisation(self, name: str, at: datetime) -> None:
        org_id = self._organisation_id()
        if org_id is None:
            self._db.execute(insert(organisations).values(name=name, created_at=at, updated_at=at))
        else:
            self._db.execute(
                update(organisations)
                .where(organisations.c.id == org_id)
                .values(name=name, updated_at=at)
            )

    def _save(self, table: Any, key: str, values: dict[str, Any], at: datetime) -> None:
        row_id = self._id_of(table, key)
        if row_id is None:
            org_id = self._require_organisation()
            self._db.execute(
                insert(table).values(organisation_id=org_id, created_at=at, updated_at=at, **values)
            )
        else:
            self._db.execute(
                update(table).where(table.c.id == row_id).values(updated_at=at, **values)
            )

    def save_team(self, team: TeamRecord, at: datetime) -> None:
        self._save(teams, team.key, _team_values(team), at)

    def save_person(self, person: PersonRecord, at: datetime) -> None:
        team_id = self._id_of(teams, person.team)
        if team_id is None:
            raise RuntimeError(f'save team "{person.team}" before its member "{person.key}"')
        self._save(people, person.key, {**_person_values(person), "team_id": team_id}, at)

    def add_apply(self, applied: AppliedCharter) -> int:
        result = self._db.execute(
            insert(charter_applies).values(
                organisation_id=self._require_organisation(),
                digest=applied.digest,
                source=applied.source,
                applied_at=applied.applied_at,
                applied_by=applied.applied_by,
                reason=applied.reason,
            )
        )
        return inserted_id(result, "apply")

    def add_policy_change(self, change: PolicyChange, apply_id: int) -> None:
        team_id = self._id_of(teams, change.team)
        if team_id is None:
            raise RuntimeError(f'save team "{change.team}" before its policy history')
        self._db.execute(
            insert(team_policy_history).values(
                team_id=team_id, apply_id=apply_id, field=change.field, old_value=change.old,
                new_value=change.new, changed_at=change.changed_at,
                changed_by=change.changed_by, reason=change.reason,
            )
        )  # fmt: skip

    def policy_history(self, team: str | None = None) -> list[PolicyChange]:
        h = team_policy_history
        query = (
            select(h, teams.c.key.label("team_key"))
            .join(teams, h.c.team_id == teams.c.id)
            .order_by(h.c.changed_at, h.c.id)
        )
        if team is not None:
            query = query.where(teams.c.key == team)
        return [
            PolicyChange(
                r.team_key, r.field, r.old_value, r.new_value, r.changed_at, r.changed_by, r.reason
            )
            for r in self._db.execute(query)
        ]

    def last_apply(self) -> AppliedCharter | None:
        a = charter_applies
        row = self._db.execute(select(a).order_by(a.c.id.desc()).limit(1)).first()
        if row is None:
            return None
        return AppliedCharter(row.digest, row.applied_at, row.applied_by, row.source, row.reason)


class SqlCharterUnitOfWork:
    """One transaction on ``engine``: rolled back on leaving unless ``commit`` was called.

    With ``owns_engine`` the engine is disposed on leaving, so a one-shot command closes
    every connection it opened.
    """

    charter: CharterRepository

    def __init__(self, engine: Engine, *, owns_engine: bool = False) -> None:
        self._engine = engine
        self._owns_engine = owns_engine
        self._connection: Connection | None = None

    def __enter__(self) -> Self:
        try:
            self._connection = self._engine.connect()
        except DBAPIError as error:
            self._close()
            raise unavailable(self._engine, error) from None
        self._connection.begin()
        try:
            self._serialise(self._connection)
        except DBAPIError as error:
            self._close()
            raise StorageError(
                f"the database at {display_url(self._engine.url)} is busy with another write "
                f"({str(error.orig).strip()}); run the command again"
            ) from None
        self.charter = SqlCharterRepository(self._connection)
        return self

    @staticmethod
    def _serialise(connection: Connection) -> None:
        """Take the charter's write lock first, so that two applies never both see "empty".

        SQLite: ``BEGIN IMMEDIATE`` (the other writer waits up to the busy timeout);
        PostgreSQL: an advisory lock held until the transaction ends.
        """
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        elif connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})

    def commit(self) -> None:
        if self._connection is None:
            raise RuntimeError("commit outside the unit of work")
        self._connection.commit()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._close()
        if isinstance(exc, IntegrityError):
            raise StorageError(
                f"the database at {display_url(self._engine.url)} refused the change "
                "(another apply may have run at the same time); run the command again"
            ) from exc
        if isinstance(exc, DBAPIError) and exc.connection_invalidated:
            raise unavailable(self._engine, exc) from exc

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.rollback()
            self._connection.close()
            self._connection = None
        if self._owns_engine:
            self._engine.dispose()
