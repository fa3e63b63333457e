"""Passwords and sign-in sessions behind the ``WebRepository`` port."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from asyncfirst.adapters.db.access_repository import person_id
from asyncfirst.adapters.db.rows import inserted_id
from asyncfirst.adapters.db.tables import people, web_passwords, web_sessions
from asyncfirst.services.web_ports import SignInMethod, StoredSession

__all__ = ["SqlWebRepository"]


class SqlWebRepository:
    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def password_hash(self, person: str) -> str | None:
        found = self._db.scalar(
            select(web_passwords.c.hash)
            .join(people, web_passwords.c.person_id == people.c.id)
            .where(people.c.key == person)
        )
        return None if found is None else str(found)

    def set_password_hash(self, person: str, hashed: str, at: datetime) -> None:
        pid = person_id(self._db, person)
        changed = self._db.execute(
            update(web_passwords)
            .where(web_passwords.c.person_id == pid)
            .values(hash=hashed, updated_at=at)
        )
        if not changed.rowcount:
            self._db.execute(
                insert(web_passwords).values(person_id=pid, hash=hashed, updated_at=at)
            )

    def add_session(
        self,
        person: str,
        digest: str,
        csrf: str,
        method: SignInMethod,
        at: datetime,
        expires_at: datetime,
    ) -> int:
        result = self._db.execute(
            insert(web_sessions).values(
                person_id=person_id(self._db, person), digest=digest, csrf=csrf, method=method,
                created_at=at, expires_at=expires_at,
            )
        )  # fmt: skip
        return inserted_id(result, "web session")

    def session(self, digest: str) -> StoredSession | None:
        s = web_sessions
        row = self._db.execute(
            select(s, people.c.key.label("person_key"))
            .join(people, s.c.person_id == people.c.id)
            .where(s.c.digest == digest)
        ).first()
        if row is None:
            return None
        return StoredSession(row.id, row.person_key, row.csrf, row.method, row.created_at,
                             row.expires_at, row.revoked_at)  # fmt: skip

    def revoke_session(self, session_id: int, at: datetime) -> None:
        self._db.execute(
            update(web_sessions)
            .where(web_sessions.c.id == session_id, web_sessions.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )

    def revoke_sessions_of(self, person: str, at: datetime) -> int:
        result = self._db.execute(
            update(web_sessions)
            .where(
                web_sessions.c.person_id == person_id(self._db, person),
                web_sessions.c.revoked_at.is_(None),
            )
            .values(revoked_at=at)
        )
        return int(result.rowcount)
