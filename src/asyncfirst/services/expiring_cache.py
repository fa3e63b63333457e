"""A small, thread-safe cache whose entries expire ``ttl_seconds`` after they were put,
the oldest dropped first beyond ``max_entries``: the per-process memory behind the API's
token cache and the web's session cache (one policy, one implementation)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["ExpiringCache"]

V = TypeVar("V")


class ExpiringCache(Generic[V]):
    def __init__(
        self,
        ttl_seconds: float,
        max_entries: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self.clock = clock
        self._entries: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        """The value put under ``key`` less than ``ttl_seconds`` ago, else ``None``."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if self.clock() >= entry[0]:
                del self._entries[key]
                return None
            return entry[1]

    def put(self, key: Hashable, value: V) -> None:
        with self._lock:
            self._entries.pop(key, None)  # a renewed entry moves to the young end
            self._entries[key] = (self.clock() + self.ttl_seconds, value)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def discard(self, key: Hashable) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def discard_where(self, doomed: Callable[[V], bool]) -> None:
        """Drop every entry whose value ``doomed`` picks."""
        with self._lock:
            for key in [k for k, (_, value) in self._entries.items() if doomed(value)]:
                del self._entries[key]
