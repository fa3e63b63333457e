"""``CharterMemo``: remember what a pure function computed from the charter and a few values.

For results that depend on nothing but the charter (an ``Organisation``) and a hashable key
(a person, a date, the meetings read for the page): a person's day laid out, their calendar
feed as bytes. The key must hold every other input, so an entry is never stale; a charter
applied again is a new ``Organisation`` object and is compared by identity, so nothing
computed from the old one is returned (and identity is cheap: a charter's own hash walks
every person). The last ``size`` entries are kept, per process; thread-safe.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from asyncfirst.domain.model import Organisation

__all__ = ["CharterMemo"]

V = TypeVar("V")


class CharterMemo(Generic[V]):
    def __init__(self, size: int = 1024) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[int, Hashable], tuple[Organisation, V]] = OrderedDict()
        self._lock = threading.Lock()
        self.computed = 0  # how many values were computed (tests read it)

    def get(self, org: Organisation, key: Hashable, compute: Callable[[], V]) -> V:
        """The value for ``(org, key)``, computed by ``compute()`` the first time."""
        slot = (id(org), key)  # the entry keeps ``org`` alive, so its id is not reused
        with self._lock:
            found = self._entries.get(slot)
            if found is not None and found[0] is org:
                self._entries.move_to_end(slot)
                return found[1]
        value = compute()  # outside the lock: two threads may both compute; both are right
        with self._lock:
            self._entries[slot] = (org, value)
            self._entries.move_to_end(slot)
            self.computed += 1
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
