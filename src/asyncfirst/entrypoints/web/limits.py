"""A small sign-in rate limit: a few failed attempts per address and account, then a pause.

Kept in the server's memory (one process serves the hub): after ``attempts`` failures for
the same address and account within ``window``, further attempts are refused with 429
until the oldest failure leaves the window. A successful sign-in clears the count.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from threading import Lock

__all__ = ["SignInLimiter"]


@dataclass
class SignInLimiter:
    attempts: int = 5
    window: timedelta = timedelta(minutes=15)
    _failures: dict[tuple[str, str], deque[datetime]] = field(default_factory=dict)
    _lock: Lock = field(default_factory=Lock)

    def _recent(self, key: tuple[str, str], now: datetime) -> deque[datetime]:
        found = self._failures.setdefault(key, deque())
        while found and now - found[0] >= self.window:
            found.popleft()
        return found

    def retry_after(self, address: str, account: str, now: datetime) -> timedelta | None:
        """How long to wait before another attempt, or None when one is allowed now."""
        with self._lock:
            recent = self._recent((address, account), now)
            if len(recent) < self.attempts:
                return None
            return recent[0] + self.window - now

    def failed(self, address: str, account: str, now: datetime) -> None:
        with self._lock:
            self._recent((address, account), now).append(now)
            if len(self._failures) > 10_000:  # forget the oldest keys rather than grow forever
                for stale in list(self._failures)[:5_000]:
                    del self._failures[stale]

    def succeeded(self, address: str, account: str) -> None:
        with self._lock:
            self._failures.pop((address, account), None)
