"""Ports the use cases need from the outside world; real ones are wired in bootstrap."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

__all__ = ["Clock"]


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, aware."""
        ...
