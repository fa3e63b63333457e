"""The composition root: the one place that picks real implementations of the ports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from asyncfirst.services.ports import Clock

__all__ = ["FixedClock", "SystemClock", "clock"]


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass(frozen=True)
class FixedClock:
    """A clock that always answers the same instant (tests, reproducible demos)."""

    instant: datetime

    def now(self) -> datetime:
        return self.instant


def clock() -> Clock:
    return SystemClock()
