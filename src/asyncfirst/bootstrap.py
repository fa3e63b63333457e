"""The composition root: the one place that picks real implementations of the ports."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from asyncfirst.domain.errors import InputError
from asyncfirst.domain.model import Organisation
from asyncfirst.domain.requests import MeetingRequest
from asyncfirst.scheduling.plan import Plan
from asyncfirst.services.balance import PersonCalendars
from asyncfirst.services.calendars import CalendarSource
from asyncfirst.services.ports import Clock
from asyncfirst.services.synthetic import CalendarGenerator

__all__ = [
    "FixedClock",
    "SystemClock",
    "calendar_source",
    "clock",
    "person_calendars",
    "plan_ics_writer",
    "synthetic_generator",
    "synthetic_org",
]


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


# Adapters are imported when first needed, so that `asyncfirst demo` starts fast.


def calendar_source() -> CalendarSource:
    """Real ICS files, folders and URLs."""
    from asyncfirst.adapters.ics import IcsCalendarSource

    return IcsCalendarSource()


def synthetic_generator() -> CalendarGenerator:
    from asyncfirst.adapters.synthetic import iter_calendars

    return iter_calendars


def synthetic_org(people: int, seed: int) -> Organisation:
    from asyncfirst.adapters.synthetic import synthetic_organisation

    return synthetic_organisation(people, seed)


PlanIcsWriter = Callable[[Sequence[Plan], Organisation, Sequence[MeetingRequest]], bytes]


def plan_ics_writer() -> PlanIcsWriter:
    """The function that turns planned weeks into iCalendar bytes (one VEVENT per meeting)."""
    from asyncfirst.adapters.ics_export import plan_to_ics

    return plan_to_ics
