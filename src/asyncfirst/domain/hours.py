"""Weekly working hours: shifts per weekday, split days and shifts that cross midnight."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import time
from itertools import pairwise

__all__ = ["WEEKDAYS", "Shift", "WorkingHours", "format_clock", "parse_clock"]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_clock(text: str) -> int:
    """Minutes after midnight for ``HH:MM``; ``24:00`` is allowed as the end of a day."""
    hours, sep, minutes = text.partition(":")
    if not sep or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2:
        raise ValueError(f'"{text}" is not a time of day like "09:30"')
    h, m = int(hours), int(minutes)
    if not (0 <= h <= 24 and 0 <= m < 60) or (h == 24 and m != 0):
        raise ValueError(f'"{text}" is not a time of day between 00:00 and 24:00')
    return h * 60 + m


def format_clock(minute_of_day: int) -> str:
    return f"{minute_of_day // 60:02d}:{minute_of_day % 60:02d}"


@dataclass(frozen=True, slots=True)
class Shift:
    """One stretch of work starting on a weekday, in local minutes after midnight.

    ``end`` may exceed 1440 for a shift that crosses midnight (22:00–06:00 is 1320–1800);
    the shift belongs to the day it starts on.
    """

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < 1440:
            raise ValueError(f"shift start {self.start} outside the day")
        if not self.start < self.end <= self.start + 1440:
            raise ValueError(f"shift {self.start}-{self.end} is empty or longer than a day")

    @property
    def minutes(self) -> int:
        return self.end - self.start

    @property
    def overnight(self) -> bool:
        return self.end > 1440

    @property
    def start_time(self) -> time:
        return time(self.start // 60, self.start % 60)

    def label(self) -> str:
        return f"{format_clock(self.start)}–{format_clock(self.end % 1440 or 1440)}"


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """Shifts per ISO weekday (0 = Monday); a weekday without shifts is a day off."""

    days: tuple[tuple[Shift, ...], ...] = field(default_factory=lambda: ((),) * 7)

    def __post_init__(self) -> None:
        if len(self.days) != 7:
            raise ValueError("working hours need exactly seven weekdays")
        for shifts in self.days:
            ordered = sorted(shifts, key=lambda s: s.start)
            for a, b in pairwise(ordered):
                if b.start < a.end:
                    raise ValueError(f"shifts {a.label()} and {b.label()} overlap")

    @classmethod
    def weekly(cls, shifts: Mapping[int, Iterable[Shift]]) -> WorkingHours:
        return cls(tuple(tuple(sorted(shifts.get(d, ()), key=lambda s: s.start)) for d in range(7)))

    @classmethod
    def office(cls, start: str, end: str, weekdays: Iterable[int] = range(5)) -> WorkingHours:
        """The same single shift on the given weekdays (Mon–Fri by default)."""
        s, e = parse_clock(start), parse_clock(end)
        shift = Shift(s, e if e > s else e + 1440)
        return cls.weekly({d: (shift,) for d in weekdays})

    def on(self, weekday: int) -> tuple[Shift, ...]:
        return self.days[weekday]

    @property
    def weekly_minutes(self) -> int:
        return sum(s.minutes for shifts in self.days for s in shifts)

    def describe(self) -> str:
        """Human summary, e.g. "Mon–Fri 09:00–17:30"."""
        groups: list[tuple[list[int], str]] = []
        for day, shifts in enumerate(self.days):
            text = " + ".join(s.label() for s in shifts)
            if not text:
                continue
            if groups and groups[-1][1] == text and groups[-1][0][-1] == day - 1:
                groups[-1][0].append(day)
            else:
                groups.append(([day], text))
        parts = []
        for days, text in groups:
            first, last = WEEKDAYS[days[0]].title(), WEEKDAYS[days[-1]].title()
            parts.append(f"{first}–{last} {text}" if len(days) > 1 else f"{first} {text}")
        return ", ".join(parts) or "no working hours"
