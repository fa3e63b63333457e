"""A work schedule: whose working time we compute (a person's, or a team's charter hours)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from asyncfirst.domain.calendars import DateRange, HolidayCalendar
from asyncfirst.domain.hours import WorkingHours
from asyncfirst.domain.zones import zone as load_zone

__all__ = ["WorkSchedule"]


@dataclass(frozen=True, slots=True)
class WorkSchedule:
    """Weekly hours in an IANA zone, minus public holidays and time off.

    A shift belongs to the local day it starts on: a holiday or a day off removes the
    shifts that start that day, including the part of a night shift after midnight.
    """

    zone_name: str
    hours: WorkingHours
    holidays: HolidayCalendar | None = None
    time_off: tuple[DateRange, ...] = ()

    @property
    def tz(self) -> ZoneInfo:
        return load_zone(self.zone_name)

    def day_off(self, day: date) -> str | None:
        """Why ``day`` (local) is not worked although its weekday is, or ``None``."""
        if self.holidays is not None:
            name = self.holidays.holiday(day)
            if name is not None:
                return f"public holiday: {name}"
        for period in self.time_off:
            if day in period:
                return period.reason
        return None
