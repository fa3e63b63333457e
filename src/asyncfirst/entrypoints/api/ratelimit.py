"""Rate limits on token use: token buckets per token prefix and per client address.

A bucket holds up to ``burst`` requests and refills at ``per_second``; a request takes one,
and an empty bucket answers 429 in the one error shape with ``Retry-After`` (whole
seconds). Two limits guard the API's bearer tokens (``TokenLimits``):

* every request that carries a token takes from the bucket of the token's prefix (its
  first 12 characters, shown in the clear anyway), so one leaked or runaway token cannot
  flood the service;
* every request whose token turns out bad (unknown, revoked, malformed) takes from the
  bucket of the client's address, and while that bucket is empty the address is refused
  before any lookup, so tokens cannot be guessed at speed.

``TokenBucketLimiter`` is generic (any string key) and thread-safe, for other entry points
too (the web sign-in). Buckets live in this process's memory and are bounded in number:
the fullest (idle) keys are forgotten first, which loses nothing, since a full bucket is
the same as a new one.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from asyncfirst.domain.errors import AsyncfirstError

__all__ = [
    "RateLimitedError",
    "TokenBucketLimiter",
    "TokenLimits",
]


class RateLimitedError(AsyncfirstError):
    """Too many requests for one token or address; ``retry_after_seconds`` says when to retry."""

    code = "rate_limited"


@dataclass
class TokenBucketLimiter:
    """``burst`` requests at once, then ``per_second`` on average, per key."""

    per_second: float
    burst: int
    max_keys: int = 10_000
    clock: Callable[[], float] = time.monotonic
    _buckets: OrderedDict[str, tuple[float, float]] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        if self.per_second <= 0 or self.burst < 1:
            raise ValueError("a rate limit needs per_second > 0 and burst >= 1")

    def _level(self, key: str, now: float) -> float:
        level, at = self._buckets.get(key, (float(self.burst), now))
        return min(float(self.burst), level + (now - at) * self.per_second)

    def _wait(self, level: float) -> float:
        return (1.0 - level) / self.per_second

    def retry_after(self, key: str) -> float | None:
        """Seconds until ``key`` may make a request again; ``None``: it may now (nothing taken)."""
        with self._lock:
            level = self._level(key, self.clock())
        return None if level >= 1.0 else self._wait(level)

    def take(self, key: str) -> float | None:
        """Take one request for ``key``: ``None`` if allowed, else the seconds to wait."""
        with self._lock:
            now = self.clock()
            level = self._level(key, now)
            if level < 1.0:
                self._store(key, level, now)
                return self._wait(level)
            self._store(key, level - 1.0, now)
            return None

    def _store(self, key: str, level: float, now: float) -> None:
        self._buckets[key] = (level, now)
        self._buckets.move_to_end(key)
        while len(self._buckets) > self.max_keys:  # the least recently used key goes first
            self._buckets.popitem(last=False)

    def reset(self, key: str) -> None:
        with self._lock:
            self._buckets.pop(key, None)


def _refuse(what: str, wait: float, **fields: object) -> RateLimitedError:
    seconds = max(1, math.ceil(wait))
    return RateLimitedError(
        f"too many requests {what}; retry in {seconds} s", retry_after_seconds=seconds, **fields
    )


@dataclass
class TokenLimits:
    """The API's two limits on bearer tokens (see the module's docstring); tunable per app."""

    per_token: TokenBucketLimiter = field(
        default_factory=lambda: TokenBucketLimiter(per_second=50.0, burst=200)
    )
    failures_per_address: TokenBucketLimiter = field(
        default_factory=lambda: TokenBucketLimiter(per_second=0.2, burst=20)
    )

    def before(self, address: str, prefix: str) -> None:
        """Call before authenticating: raises ``RateLimitedError`` when over a limit."""
        wait = self.failures_per_address.retry_after(address)
        if wait is not None:
            raise _refuse("with bad tokens from your address", wait, limit="address")
        wait = self.per_token.take(prefix)
        if wait is not None:
            raise _refuse(f"with the token {prefix}…", wait, limit="token")

    def failed(self, address: str) -> None:
        """Call when a token was refused: counts against the client's address."""
        self.failures_per_address.take(address)
