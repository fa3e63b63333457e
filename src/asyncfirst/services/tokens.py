"""Personal API tokens: issued once in plain text, kept only as a SHA-256 hash; who is asking.

A token looks like ``afk_`` + 43 URL-safe characters (32 random bytes). The first 12
characters are its *prefix*: stored in the clear to find the token and to show which one
it is; the whole token is only ever compared by hash, in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from asyncfirst.domain.access_errors import NotFoundError, UnauthenticatedError
from asyncfirst.services.access import Actor, PersonRef, Role, TokenRef, can, not_found, require
from asyncfirst.services.expiring_cache import ExpiringCache
from asyncfirst.services.hub_ports import HubUnitOfWork, PersonInfo
from asyncfirst.services.ports import Clock

__all__ = [
    "AUTH_CACHE_SECONDS",
    "TOKEN_MARK",
    "TOKEN_PREFIX_LENGTH",
    "AuthCache",
    "IssuedToken",
    "authenticate",
    "grant_roles",
    "issue_token",
    "issue_token_as",
    "profile",
    "revoke_token",
]

TOKEN_MARK = "afk_"  # noqa: S105 - the visible mark of every token, not a secret
TOKEN_PREFIX_LENGTH = 12
_PREFIX_LENGTH = TOKEN_PREFIX_LENGTH
_TOKEN_LENGTH = len(TOKEN_MARK) + 43
_TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is written at most once a minute
# How long one process trusts a token it has checked: a token revoked through the API is
# refused at once by the process that revoked it, and by every other (another server
# worker, after a revocation from the CLI) within this; so are a person who left the
# charter and changed roles.
AUTH_CACHE_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A new token: ``token`` is shown once and cannot be recovered afterwards."""

    token: str
    prefix: str
    person: str

    def to_dict(self) -> dict[str, Any]:
        return {"token": self.token, "prefix": self.prefix, "person": self.person}


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _person(uow: HubUnitOfWork, key: str) -> PersonInfo:
    person = uow.threads.person(key)
    if person is None or not person.active:
        raise NotFoundError(f'person "{key}" not found', resource="person", id=key)
    return person


def _new(uow: HubUnitOfWork, clock: Clock, person: str) -> IssuedToken:
    token = TOKEN_MARK + secrets.token_urlsafe(32)
    prefix = token[:_PREFIX_LENGTH]
    uow.access.add_token(person, prefix, _digest(token), clock.now())
    return IssuedToken(token, prefix, person)


def grant_roles(uow: HubUnitOfWork, clock: Clock, person: str, roles: Iterable[Role]) -> None:
    """Grant ``roles`` to ``person`` (trusted callers only: serve, CLI); held ones stay."""
    with uow:
        _person(uow, person)
        for role in roles:
            uow.access.grant_role(person, role, clock.now())
        uow.commit()


def issue_token(
    uow: HubUnitOfWork, clock: Clock, person: str, roles: Iterable[Role] = ()
) -> IssuedToken:
    """A token for ``person``, granting ``roles`` first (trusted callers only: serve, CLI)."""
    with uow:
        _person(uow, person)
        for role in roles:
            uow.access.grant_role(person, role, clock.now())
        issued = _new(uow, clock, person)
        uow.commit()
    return issued


def issue_token_as(uow: HubUnitOfWork, clock: Clock, actor: Actor, person: str) -> IssuedToken:
    """A new token for ``person`` asked for by ``actor``: only ever themself (``token.issue``)."""
    with uow:
        info = _person(uow, person)
        require(actor, "token.issue", PersonRef(info.key, info.team))
        issued = _new(uow, clock, person)
        uow.commit()
    return issued


def revoke_token(uow: HubUnitOfWork, clock: Clock, actor: Actor, prefix: str) -> None:
    """Revoke the actor's token with this prefix (``token.revoke``: an org admin may revoke
    anyone's); one the actor may not revoke answers like a missing one."""
    with uow:
        found = [
            t
            for t in uow.access.tokens_with_prefix(prefix)
            if t.revoked_at is None and can(actor, "token.revoke", TokenRef(prefix, t.person))
        ]
        if not found:
            raise not_found(TokenRef(prefix, ""))
        for stored in found:
            uow.access.revoke_token(stored.id, clock.now())
        uow.commit()


def authenticate(uow: HubUnitOfWork, clock: Clock, token: str) -> Actor:
    """The actor a bearer token stands for; ``UnauthenticatedError`` for any bad token."""
    token = token.strip()
    if not token.startswith(TOKEN_MARK) or len(token) != _TOKEN_LENGTH:
        raise UnauthenticatedError("the token is not an asyncfirst API token (afk_…)")
    digest = _digest(token)
    with uow:
        match = None
        for stored in uow.access.tokens_with_prefix(token[:_PREFIX_LENGTH]):
            if hmac.compare_digest(stored.digest, digest):
                match = stored
        if match is None:
            raise UnauthenticatedError("the token is not known")
        if match.revoked_at is not None:
            raise UnauthenticatedError(f"the token {match.prefix}… was revoked")
        person = uow.threads.person(match.person)
        if person is None or not person.active:
            raise UnauthenticatedError(f'"{match.person}" is no longer in the charter')
        roles = {*uow.access.roles_of(person.key), Role("member", person.team)}
        now = clock.now()
        if match.last_used_at is None or now - match.last_used_at >= _TOUCH_EVERY:
            uow.access.touch_token(match.id, now)
            uow.commit()
    return Actor(person.key, frozenset(roles))


class AuthCache:
    """The actors of tokens this process checked in the last ``ttl_seconds`` (per process).

    Only good tokens are kept, by their SHA-256 digest, never in plain text; a bad one is
    looked up (and rate-limited) every time. ``forget_prefix`` drops a revoked token at once.
    """

    def __init__(
        self,
        ttl_seconds: float = AUTH_CACHE_SECONDS,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.clock = clock  # read at each use: a test may swap it
        # by digest: the token's prefix (to forget it when revoked) and its actor
        self._entries: ExpiringCache[tuple[str, Actor]] = ExpiringCache(
            ttl_seconds, max_entries, lambda: self.clock()
        )

    def actor(self, token: str) -> Actor | None:
        """The cached actor for ``token``; ``None`` when unknown here or older than the TTL."""
        entry = self._entries.get(_digest(token.strip()))
        return None if entry is None else entry[1]

    def remember(self, token: str, actor: Actor) -> None:
        token = token.strip()
        self._entries.put(_digest(token), (token[:_PREFIX_LENGTH], actor))

    def forget_prefix(self, prefix: str) -> None:
        """Forget every token with this prefix (it was just revoked)."""
        self._entries.discard_where(lambda entry: entry[0] == prefix)


def profile(uow: HubUnitOfWork, actor: Actor) -> dict[str, Any]:
    """Who the actor is: id, name, team, zone and roles (``GET /api/v1/me``)."""
    require(actor, "me.read")
    with uow:
        person = _person(uow, actor.person_id)
    return {
        "id": person.key,
        "name": person.name,
        "team": person.team,
        "zone": person.zone,
        "roles": sorted(role.label() for role in actor.roles),
    }
