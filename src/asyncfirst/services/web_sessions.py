"""Use cases: sign in to the web app (password or personal token), who a cookie stands for,
sign out, and set a password.

A session cookie holds 32 random bytes; only its SHA-256 digest is stored, so a copy of
the database does not sign anyone in. Each session has its own CSRF token that every form
posts back. Signing out revokes the stored session, so the old cookie stops working at
once. Passwords are kept only as argon2id hashes (argon2-cffi's defaults).

Every signed-in page asks who its cookie stands for; a ``SessionCache`` lets a process
answer from memory for a few seconds (``SESSION_CACHE_SECONDS``) instead of three queries
each time, as the API does for tokens. Signing out through the process forgets the
session at once; another process (a second server worker, ``set-password`` on the CLI, a
charter that drops the person) is believed within those seconds. Expiry is checked on
every request, cached or not.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING

from asyncfirst.domain.access_errors import NotFoundError, UnauthenticatedError
from asyncfirst.domain.errors import InputError
from asyncfirst.services.access import Actor, Role
from asyncfirst.services.expiring_cache import ExpiringCache
from asyncfirst.services.hub_ports import HubUnitOfWork, PersonInfo
from asyncfirst.services.ports import Clock
from asyncfirst.services.tokens import authenticate
from asyncfirst.services.web_ports import SignInMethod

if TYPE_CHECKING:
    from argon2 import PasswordHasher

__all__ = [
    "MAX_PASSWORD",
    "MIN_PASSWORD",
    "SESSION_CACHE_SECONDS",
    "SESSION_LIFETIME",
    "NewSession",
    "SessionCache",
    "SignedIn",
    "csrf_matches",
    "set_password",
    "sign_in_with_password",
    "sign_in_with_token",
    "sign_out",
    "signed_in",
]

SESSION_LIFETIME = timedelta(days=7)
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
_WRONG = "that person and password do not match"
SESSION_CACHE_SECONDS = 5.0  # as long as the API trusts a checked token


@dataclass(frozen=True, slots=True)
class SignedIn:
    """The person a live session stands for, their roles, and the session's CSRF token."""

    actor: Actor
    person: PersonInfo
    csrf: str
    session_id: int
    method: SignInMethod

    @property
    def key(self) -> str:
        return self.person.key

    @property
    def zone(self) -> str:
        return self.person.zone


@dataclass(frozen=True, slots=True)
class NewSession:
    """A new session: ``cookie`` goes to the browser once and is never stored."""

    cookie: str
    signed_in: SignedIn
    expires_at: datetime


@cache
def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    """A hash to verify against when the person has none, so timing does not tell."""
    return _hasher().hash(secrets.token_urlsafe(16))


def _digest(cookie: str) -> str:
    return hashlib.sha256(cookie.encode("utf-8")).hexdigest()


def _actor(uow: HubUnitOfWork, person: PersonInfo) -> Actor:
    return Actor(
        person.key, frozenset({*uow.access.roles_of(person.key), Role("member", person.team)})
    )


def _open(uow: HubUnitOfWork, clock: Clock, person: PersonInfo, method: SignInMethod) -> NewSession:
    cookie = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = clock.now()
    expires = now + SESSION_LIFETIME
    session_id = uow.web.add_session(person.key, _digest(cookie), csrf, method, now, expires)
    return NewSession(
        cookie, SignedIn(_actor(uow, person), person, csrf, session_id, method), expires
    )


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InputError(
            f"the password is too short: use at least {MIN_PASSWORD} characters",
            field="password",
        )
    if len(password) > MAX_PASSWORD:
        raise InputError(
            f"the password is too long: use at most {MAX_PASSWORD} characters", field="password"
        )


def sign_in_with_password(
    uow: HubUnitOfWork, clock: Clock, person_key: str, password: str
) -> NewSession:
    """A session for the person when the password matches; ``UnauthenticatedError`` otherwise.

    The error does not say whether the person exists or has a password.
    """
    from argon2.exceptions import InvalidHashError, VerificationError

    key = person_key.strip().lower()
    with uow:
        person = uow.threads.person(key) if key else None
        stored = uow.web.password_hash(key) if person is not None and person.active else None
        try:
            ok: bool = _hasher().verify(stored or _dummy_hash(), password[:MAX_PASSWORD])
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok or stored is None or person is None:
            raise UnauthenticatedError(_WRONG)
        if _hasher().check_needs_rehash(stored):
            uow.web.set_password_hash(key, _hasher().hash(password), clock.now())
        session = _open(uow, clock, person, "password")
        uow.commit()
    return session


def sign_in_with_token(uow: HubUnitOfWork, clock: Clock, token: str) -> NewSession:
    """A session for the owner of a personal API token (``UnauthenticatedError`` if bad)."""
    actor = authenticate(uow, clock, token)
    with uow:
        person = uow.threads.person(actor.person_id)
        if person is None or not person.active:
            raise UnauthenticatedError(f'"{actor.person_id}" is no longer in the charter')
        session = _open(uow, clock, person, "token")
        uow.commit()
    return session


class SessionCache:
    """The sessions this process found live in the last ``ttl_seconds``, by cookie digest
    (never the cookie itself). Thread-safe; the oldest go first beyond ``max_entries``."""

    def __init__(
        self,
        ttl_seconds: float = SESSION_CACHE_SECONDS,
        max_entries: int = 10_000,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.monotonic = monotonic  # read at each use: a test may swap it
        # by digest: when the session itself expires, and who it stands for
        self._entries: ExpiringCache[tuple[datetime, SignedIn]] = ExpiringCache(
            ttl_seconds, max_entries, lambda: self.monotonic()
        )

    def get(self, cookie: str, now: datetime) -> SignedIn | None:
        """The cached person for ``cookie``; None when not cached, too old, or expired."""
        digest = _digest(cookie)
        entry = self._entries.get(digest)
        if entry is None:
            return None
        if entry[0] <= now:
            self._entries.discard(digest)
            return None
        return entry[1]

    def remember(self, cookie: str, expires_at: datetime, signed: SignedIn) -> None:
        self._entries.put(_digest(cookie), (expires_at, signed))

    def forget(self, cookie: str) -> None:
        self._entries.discard(_digest(cookie))


def signed_in(
    uow: HubUnitOfWork, clock: Clock, cookie: str, cache: SessionCache | None = None
) -> SignedIn:
    """Who a session cookie stands for; ``UnauthenticatedError`` when unknown, expired or
    revoked. With a ``cache``, a session found in the last few seconds is not looked up."""
    if not cookie or len(cookie) > 128:
        raise UnauthenticatedError("not signed in")
    if cache is not None:
        found = cache.get(cookie, clock.now())
        if found is not None:
            return found
    with uow:
        stored = uow.web.session(_digest(cookie))
        if stored is None or stored.revoked_at is not None:
            raise UnauthenticatedError("not signed in")
        if stored.expires_at <= clock.now():
            raise UnauthenticatedError("the session has expired; sign in again")
        person = uow.threads.person(stored.person)
        if person is None or not person.active:
            raise UnauthenticatedError(f'"{stored.person}" is no longer in the charter')
        signed = SignedIn(_actor(uow, person), person, stored.csrf, stored.id, stored.method)
    if cache is not None:
        cache.remember(cookie, stored.expires_at, signed)
    return signed


def csrf_matches(signed: SignedIn, submitted: str | None) -> bool:
    """Whether a form's CSRF token is this session's, compared in constant time."""
    return submitted is not None and hmac.compare_digest(signed.csrf, submitted)


def sign_out(
    uow: HubUnitOfWork, clock: Clock, cookie: str, cache: SessionCache | None = None
) -> None:
    """Revoke the session behind the cookie (nothing happens for an unknown one), and forget
    it in ``cache`` so that this process refuses it at once."""
    with uow:
        stored = uow.web.session(_digest(cookie)) if cookie else None
        if stored is not None:
            uow.web.revoke_session(stored.id, clock.now())
            uow.commit()
    if cache is not None and cookie:  # after the commit: a lookup now finds it revoked
        cache.forget(cookie)


def set_password(uow: HubUnitOfWork, clock: Clock, person_key: str, password: str) -> int:
    """Set the person's password (trusted callers only: the CLI) and sign out their sessions.

    Returns how many sessions were revoked.
    """
    _check_password(password)
    hashed = _hasher().hash(password)
    with uow:
        person = uow.threads.person(person_key)
        if person is None or not person.active:
            raise NotFoundError(
                f'person "{person_key}" not found', resource="person", id=person_key
            )
        now = clock.now()
        uow.web.set_password_hash(person.key, hashed, now)
        revoked = uow.web.revoke_sessions_of(person.key, now)
        uow.commit()
    return revoked
