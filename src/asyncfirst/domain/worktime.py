"""Working time as UTC intervals, and arithmetic in working time.

Definition (see PRODUCT.md): a person's weekly hours in their own zone made concrete day
by day, daylight-saving changes applied, minus holidays and time off. Exactly:

    an instant ``t`` is working time  iff  its local wall-clock time falls inside a shift
    of its local day (or of the previous day, for a shift that crosses midnight), the day
    is not off, and ``t`` is not the *second* pass through a repeated wall-clock hour.

So a wall-clock time that does not exist (spring forward) contributes nothing, and one
that happens twice (fall back) is counted once, the first time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from asyncfirst.domain.errors import InputError
from asyncfirst.domain.intervals import Interval, intersect_all, normalise, subtract, utc
from asyncfirst.domain.schedule import WorkSchedule

__all__ = [
    "add_working_minutes",
    "local_day_bounds",
    "local_week",
    "overlap",
    "to_utc",
    "working_minutes_between",
    "working_time",
]

_SEARCH_LIMIT = timedelta(days=3 * 366)


def _offset(instant: datetime, tz: ZoneInfo) -> timedelta:
    offset = instant.astimezone(tz).utcoffset()
    assert offset is not None  # a ZoneInfo always answers  # noqa: S101
    return offset


def _offset_change(lo: datetime, hi: datetime, tz: ZoneInfo) -> datetime:
    """The first instant in ``(lo, hi]`` whose UTC offset differs from ``lo``'s (to the second)."""
    before = _offset(lo, tz)
    low, high = 0, int((hi - lo).total_seconds())
    while low < high:
        mid = (low + high) // 2
        if _offset(lo + timedelta(seconds=mid), tz) == before:
            low = mid + 1
        else:
            high = mid
    return lo + timedelta(seconds=low)


@lru_cache(maxsize=65536)
def to_utc(wall: datetime, tz: ZoneInfo) -> datetime:
    """The first instant whose local wall-clock time in ``tz`` is at or after naive ``wall``.

    An ordinary time maps to its instant, a repeated one to its first pass, and one that
    falls in a spring-forward gap to the moment the clocks jump.
    """
    first = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if first.astimezone(tz).replace(tzinfo=None) == wall:
        return first
    second = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    lo, hi = min(first, second), max(first, second)
    return _offset_change(lo, hi, tz)


def _repeated_passes(start: datetime, end: datetime, tz: ZoneInfo) -> list[Interval]:
    """Second passes through repeated wall-clock hours within ``[start, end)``."""
    before, after = _offset(start, tz), _offset(end, tz)
    if after >= before:
        return []
    change = _offset_change(start, end, tz)
    return [Interval(change, min(end, change + (before - after)))]


@lru_cache(maxsize=4096)
def _day_intervals(schedule: WorkSchedule, day: date) -> tuple[Interval, ...]:
    """The working intervals of the shifts that start on local ``day``."""
    shifts = schedule.hours.on(day.weekday())
    if not shifts or schedule.day_off(day) is not None:
        return ()
    tz = schedule.tz
    midnight = datetime(day.year, day.month, day.day)  # noqa: DTZ001 - a wall clock, zoned below
    result: list[Interval] = []
    for shift in shifts:
        start = to_utc(midnight + timedelta(minutes=shift.start), tz)
        end = to_utc(midnight + timedelta(minutes=shift.end), tz)
        if end > start:
            result.extend(subtract([Interval(start, end)], _repeated_passes(start, end, tz)))
    return tuple(result)


def _local_days(schedule: WorkSchedule, start: datetime, end: datetime) -> Iterable[date]:
    tz = schedule.tz
    day = start.astimezone(tz).date() - timedelta(days=1)  # a night shift from the day before
    last = end.astimezone(tz).date()
    while day <= last:
        yield day
        day += timedelta(days=1)


def working_time(schedule: WorkSchedule, start: datetime, end: datetime) -> list[Interval]:
    """Normalised working intervals of ``schedule`` inside ``[start, end)``."""
    start, end = utc(start), utc(end)
    if end <= start:
        return []
    pieces = (
        iv for day in _local_days(schedule, start, end) for iv in _day_intervals(schedule, day)
    )
    window = Interval(start, end)
    return [
        Interval(max(iv.start, start), min(iv.end, end))
        for iv in normalise(pieces)
        if iv.overlaps(window)
    ]


def working_minutes_between(schedule: WorkSchedule, start: datetime, end: datetime) -> float:
    """Working minutes of ``schedule`` from ``start`` to ``end`` (0 when ``end <= start``)."""
    return sum(iv.minutes for iv in working_time(schedule, start, end))


def add_working_minutes(schedule: WorkSchedule, instant: datetime, minutes: float) -> datetime:
    """The instant when ``minutes`` of ``schedule``'s working time have passed after ``instant``.

    The result lies inside working time (or at the end of a shift when it fills it exactly).
    """
    if minutes < 0:
        raise InputError(f"working time to add must not be negative, got {minutes} minutes")
    cursor, remaining = utc(instant), timedelta(minutes=minutes)
    if remaining == timedelta(0):
        return cursor
    limit = cursor + _SEARCH_LIMIT
    while cursor < limit:
        chunk_end = cursor + timedelta(days=14)
        for iv in working_time(schedule, cursor, chunk_end):
            if iv.duration >= remaining:
                return iv.start + remaining
            remaining -= iv.duration
        cursor = chunk_end
    raise InputError(
        f"no working time found within three years in {schedule.zone_name}; "
        "check the working hours and time off",
        zone=schedule.zone_name,
    )


def overlap(schedules: Sequence[WorkSchedule], start: datetime, end: datetime) -> list[Interval]:
    """Instants in ``[start, end)`` that are working time for every schedule."""
    return intersect_all([working_time(s, start, end) for s in schedules])


def local_day_bounds(day: date, tz: ZoneInfo) -> Interval:
    """Local ``day`` from its first to its last instant, as UTC."""
    midnight = datetime(day.year, day.month, day.day)  # noqa: DTZ001 - a wall clock, zoned here
    return Interval(to_utc(midnight, tz), to_utc(midnight + timedelta(days=1), tz))


def local_week(monday: date, tz: ZoneInfo) -> Interval:
    """The local week Monday 00:00 to the next Monday 00:00 in ``tz``, as UTC."""
    if monday.weekday() != 0:
        raise InputError(f"{monday.isoformat()} is a {monday:%A}; a week starts on a Monday")
    midnight = datetime(monday.year, monday.month, monday.day)  # noqa: DTZ001 - zoned here
    return Interval(to_utc(midnight, tz), to_utc(midnight + timedelta(days=7), tz))
