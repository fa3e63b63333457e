"""Check-ins (async stand-ups): the questions, the private mood and day mode, working days.

A check-in belongs to its author's *local* day: the calendar date in their own zone when
they post it. It may be posted only on a working day of theirs: a weekday with working
hours that is neither a public holiday of their calendar nor inside their time off.
Mood (1–5) and day mode are optional and private to the author (``services/access.py``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Literal

from asyncfirst.domain.errors import InputError
from asyncfirst.domain.schedule import WorkSchedule
from asyncfirst.domain.worktime import to_utc

__all__ = [
    "BLOCKERS_QUESTION",
    "DAY_MODES",
    "DEFAULT_QUESTIONS",
    "MOOD_RANGE",
    "DayMode",
    "check_day_mode",
    "check_mood",
    "first_shift_start",
    "not_a_working_day",
]

DayMode = Literal["heads-down", "normal", "social", "low-energy"]
DAY_MODES: tuple[DayMode, ...] = ("heads-down", "normal", "social", "low-energy")
MOOD_RANGE = range(1, 6)

BLOCKERS_QUESTION = "Anything blocking?"
DEFAULT_QUESTIONS: tuple[str, ...] = ("What did you finish?", "What's next?", BLOCKERS_QUESTION)
"""Every team's questions until the charter can set its own; the last is answered by ``blockers``."""

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def check_mood(mood: int | None) -> int | None:
    if mood is None:
        return None
    if isinstance(mood, bool) or not isinstance(mood, int) or mood not in MOOD_RANGE:
        raise InputError(f"mood must be a whole number from 1 to 5, got {mood!r}", field="mood")
    return mood


def check_day_mode(mode: str | None) -> DayMode | None:
    if mode is None:
        return None
    for known in DAY_MODES:
        if mode == known:
            return known
    raise InputError(
        f'day mode "{mode}" is not one of: {", ".join(DAY_MODES)}', field="day_mode", value=mode
    )


def not_a_working_day(schedule: WorkSchedule, day: date) -> str | None:
    """Why local ``day`` is not a working day (``"Saturday"``, ``"public holiday: …"``), or None."""
    if not schedule.hours.on(day.weekday()):
        return f"{_WEEKDAYS[day.weekday()]} has no working hours"
    return schedule.day_off(day)


def first_shift_start(schedule: WorkSchedule, day: date) -> datetime | None:
    """The UTC instant the first shift of local ``day`` starts; None when it is not worked."""
    if not_a_working_day(schedule, day) is not None:
        return None
    first = min(shift.start for shift in schedule.hours.on(day.weekday()))
    midnight = datetime(day.year, day.month, day.day)  # noqa: DTZ001 - a wall clock, zoned below
    return to_utc(midnight + timedelta(minutes=first), schedule.tz)
