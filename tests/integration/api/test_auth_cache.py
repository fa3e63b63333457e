"""The per-process cache of checked tokens (``tokens.AuthCache``, ``AUTH_CACHE_SECONDS``).

A token revoked through this app is refused at once; one revoked elsewhere (another server
process, the CLI: here the service called on the database directly) is refused once the
cached check is older than the TTL. Bad tokens are never cached.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.testclient import TestClient

from asyncfirst.services.access import Actor, Role
from asyncfirst.services.hub_ports import HubContext
from asyncfirst.services.tokens import AUTH_CACHE_SECONDS, AuthCache, revoke_token
from tests.integration.api.conftest import TokenFor


@dataclass
class Ticks:
    """A monotonic clock the test moves by hand."""

    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


def _cache(client: TestClient) -> tuple[AuthCache, Ticks]:
    ticks = Ticks()
    cache = AuthCache(clock=ticks)
    client.app.state.auth_cache = cache  # type: ignore[attr-defined]  # TestClient's app is ours
    return cache, ticks


def test_a_token_revoked_elsewhere_is_refused_after_the_ttl(
    client: TestClient, token: TokenFor, hub: HubContext
) -> None:
    _, ticks = _cache(client)
    headers = token("yuki")
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    prefix = headers["Authorization"].removeprefix("Bearer ")[:12]
    yuki = Actor("yuki", frozenset({Role("member", "coding")}))
    revoke_token(hub.unit_of_work(), hub.clock, yuki, prefix)  # not through this app
    ticks.now += AUTH_CACHE_SECONDS - 0.5
    assert client.get("/api/v1/me", headers=headers).status_code == 200  # still trusted here
    ticks.now += 1.0
    after = client.get("/api/v1/me", headers=headers)
    assert after.status_code == 401
    assert after.json()["error"]["message"] == f"the token {prefix}… was revoked"


def test_a_token_revoked_through_the_app_is_refused_at_once(
    client: TestClient, token: TokenFor
) -> None:
    cache, _ticks = _cache(client)
    headers = token("yuki")
    other = token("yuki")
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert client.get("/api/v1/me", headers=other).status_code == 200
    prefix = headers["Authorization"].removeprefix("Bearer ")[:12]
    assert client.delete(f"/api/v1/tokens/{prefix}", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert client.get("/api/v1/me", headers=other).status_code == 200  # only that token went
    assert cache.actor(other["Authorization"].removeprefix("Bearer ")) is not None


def test_bad_tokens_are_never_cached(client: TestClient) -> None:
    cache, _ticks = _cache(client)
    unknown = "afk_" + "B" * 43
    for _ in range(2):
        assert (
            client.get("/api/v1/me", headers={"Authorization": f"Bearer {unknown}"}).status_code
            == 401
        )
    assert cache.actor(unknown) is None


def test_the_cache_expires_forgets_by_prefix_and_stays_bounded() -> None:
    ticks = Ticks()
    cache = AuthCache(ttl_seconds=5.0, max_entries=2, clock=ticks)
    kenji = Actor("kenji", frozenset({Role("member", "coding")}))
    first, second, third = ("afk_" + c * 43 for c in "abc")
    cache.remember(first, kenji)
    assert cache.actor(first) == kenji
    assert cache.actor(" " + first + " ") == kenji  # as the header may carry it
    ticks.now += 5.0
    assert cache.actor(first) is None
    cache.remember(first, kenji)
    cache.remember(second, kenji)
    cache.remember(third, kenji)  # over max_entries: the oldest goes
    assert [cache.actor(t) for t in (first, second, third)] == [None, kenji, kenji]
    cache.forget_prefix(second[:12])
    assert cache.actor(second) is None and cache.actor(third) == kenji
