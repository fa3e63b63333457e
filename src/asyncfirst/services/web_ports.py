"""What the web sign-in needs from storage: passwords (as hashes) and sign-in sessions.

``adapters.db.web_repository`` implements it on the hub's unit of work (``uow.web``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

__all__ = ["SignInMethod", "StoredSession", "WebRepository"]

SignInMethod = Literal["password", "token"]


@dataclass(frozen=True, slots=True)
class StoredSession:
    id: int
    person: str
    csrf: str
    method: SignInMethod
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None


class WebRepository(Protocol):
    def password_hash(self, person: str) -> str | None:
        """The person's argon2 hash, or None when they have no password."""
        ...

    def set_password_hash(self, person: str, hashed: str, at: datetime) -> None:
        """Store (or replace) the person's password hash."""
        ...

    def add_session(
        self,
        person: str,
        digest: str,
        csrf: str,
        method: SignInMethod,
        at: datetime,
        expires_at: datetime,
    ) -> int: ...

    def session(self, digest: str) -> StoredSession | None:
        """The session whose cookie has this SHA-256 digest (revoked or expired ones too)."""
        ...

    def revoke_session(self, session_id: int, at: datetime) -> None: ...

    def revoke_sessions_of(self, person: str, at: datetime) -> int:
        """Revoke every live session of the person (a new password signs them out)."""
        ...
