"""Days a person does not work: public holidays (country and subdivision) and time off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

import holidays

__all__ = ["DateRange", "HolidayCalendar", "known_countries", "subdivisions_of"]


@cache
def known_countries() -> frozenset[str]:
    return frozenset(holidays.list_supported_countries())


def subdivisions_of(country: str) -> tuple[str, ...]:
    return tuple(holidays.list_supported_countries().get(country, ()))


@cache
def _holidays_for(country: str, subdivision: str | None, year: int) -> dict[date, str]:
    table = holidays.country_holidays(country, subdiv=subdivision, years=year)
    return {day: str(name) for day, name in table.items()}


@dataclass(frozen=True, slots=True)
class HolidayCalendar:
    """The public holidays of a country (ISO 3166-1 alpha-2) and optional subdivision."""

    country: str
    subdivision: str | None = None

    def holiday(self, day: date) -> str | None:
        """The holiday's name on ``day``, or ``None`` on an ordinary day."""
        return _holidays_for(self.country, self.subdivision, day.year).get(day)

    def label(self) -> str:
        return f"{self.country}-{self.subdivision}" if self.subdivision else self.country


@dataclass(frozen=True, slots=True)
class DateRange:
    """Local calendar days ``first`` to ``last`` inclusive, e.g. a holiday away from work."""

    first: date
    last: date
    reason: str = "time off"

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"time off ends ({self.last}) before it starts ({self.first})")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last
