"""API tokens and granted roles behind the ``AccessRepository`` port."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, ScalarSelect, bindparam, insert, select, update

from asyncfirst.adapters.db.rows import inserted_id
from asyncfirst.adapters.db.tables import api_tokens, people, roles, teams
from asyncfirst.services.access import Role
from asyncfirst.services.hub_ports import StoredToken

__all__ = ["SqlAccessRepository", "person_id", "person_id_of"]


# Built once: its cache key is memoised on the object, so a call only looks the compiled
# form up (building and hashing selects per call was about 4 % of the server's samples).
_PERSON_ID = select(people.c.id).where(people.c.key == bindparam("key"))


def person_id_of(key: str) -> ScalarSelect[Any]:
    """The person's row id as a subquery of the statement that needs it: no round trip of
    its own (NULL for an unknown id: a NOT NULL column refuses it, a filter matches nothing)."""
    return select(people.c.id).where(people.c.key == key).scalar_subquery()


def person_id(connection: Connection, key: str) -> int:
    """The row id of the person with charter id ``key`` (the services checked they exist)."""
    found = connection.scalar(_PERSON_ID, {"key": key})
    if found is None:
        raise RuntimeError(f'no person "{key}"')
    return int(found)


class SqlAccessRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def add_token(self, person: str, prefix: str, digest: str, at: datetime) -> int:
        result = self._db.execute(
            insert(api_tokens).values(
                person_id=person_id(self._db, person), prefix=prefix, digest=digest, created_at=at
            )
        )
        return inserted_id(result, "token")

    def tokens_with_prefix(self, prefix: str) -> list[StoredToken]:
        t = api_tokens
        rows = self._db.execute(
            select(t, people.c.key.label("person_key"))
            .join(people, t.c.person_id == people.c.id)
            .where(t.c.prefix == prefix)
            .order_by(t.c.id)
        )
        return [
            StoredToken(r.id, r.person_key, r.prefix, r.digest, r.created_at, r.last_used_at,
                        r.revoked_at)
            for r in rows
        ]  # fmt: skip

    def touch_token(self, token_id: int, at: datetime) -> None:
        self._db.execute(
            update(api_tokens).where(api_tokens.c.id == token_id).values(last_used_at=at)
        )

    def revoke_token(self, token_id: int, at: datetime) -> None:
        self._db.execute(
            update(api_tokens).where(api_tokens.c.id == token_id).values(revoked_at=at)
        )

    def roles_of(self, person: str) -> list[Role]:
        rows = self._db.execute(
            select(roles.c.role, teams.c.key.label("team_key"))
            .outerjoin(teams, roles.c.team_id == teams.c.id)
            .where(roles.c.person_id == person_id(self._db, person))
            .order_by(roles.c.id)
        )
        found = []
        for row in rows:
            if row.role == "org_admin":
                found.append(Role("org_admin"))
            elif row.role == "team_lead" and row.team_key is not None:
                found.append(Role("team_lead", row.team_key))
        return found

    def grant_role(self, person: str, role: Role, at: datetime) -> None:
        if role.name == "member":
            raise ValueError("membership comes from the charter; it is not granted")
        if role in self.roles_of(person):
            return
        team_id = None
        if role.team is not None:
            team_id = self._db.scalar(select(teams.c.id).where(teams.c.key == role.team))
            if team_id is None:
                raise RuntimeError(f'no team "{role.team}"')
        self._db.execute(
            insert(roles).values(
                person_id=person_id(self._db, person), role=role.name, team_id=team_id,
                granted_at=at,
            )
        )  # fmt: skip
