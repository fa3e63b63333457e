"""The per-process cache behind the token and session caches: expiry, bound, removal."""

from __future__ import annotations

from asyncfirst.services.expiring_cache import ExpiringCache


def test_an_entry_expires_after_its_ttl() -> None:
    now = [0.0]
    cache: ExpiringCache[str] = ExpiringCache(5.0, clock=lambda: now[0])
    cache.put("a", "x")
    now[0] = 4.9
    assert cache.get("a") == "x"
    now[0] = 5.0
    assert cache.get("a") is None


def test_the_oldest_goes_first_and_a_renewed_entry_is_young_again() -> None:
    cache: ExpiringCache[int] = ExpiringCache(60.0, max_entries=2)
    cache.put("a", 1)
    cache.put("b", 2)
    cache.put("a", 3)  # renewed: now younger than "b"
    cache.put("c", 4)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (3, None, 4)


def test_entries_can_be_dropped_by_key_or_by_value() -> None:
    cache: ExpiringCache[str] = ExpiringCache(60.0)
    for key in ("a", "b", "c"):
        cache.put(key, key.upper())
    cache.discard("a")
    cache.discard_where(lambda value: value == "B")
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (None, None, "C")
