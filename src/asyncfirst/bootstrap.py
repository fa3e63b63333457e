"""The composition root: the one place that picks real implementations of the ports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from asyncfirst.domain.errors import InputError
from asyncfirst.domain.model import Organisation
from asyncfirst.services.balance import PersonCalendars
from asyncfirst.services.ports import Clock

__all__ = ["FixedClock", "SystemClock", "clock", "person_calendars"]


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


def person_calendars(
    org: Organisation,
    folder: Path | None,
    *,
    synthetic_allowed: bool,
    start_monday: date,
    weeks: int,
) -> PersonCalendars:
    """A folder of ``<person id>.ics`` files, or generated calendars for the shipped demo."""
    from asyncfirst.adapters.person_calendars import FolderCalendars, synthetic_calendars

    if folder is not None:
        return FolderCalendars(folder)
    if synthetic_allowed:
        return synthetic_calendars(org, start_monday, weeks)
    raise InputError("give --calendars DIR, a folder of <person id>.ics files")
