"""Inconvenience of one meeting interval for one person (see PRODUCT.md, "Inconvenience").

Every minute of a meeting falls in exactly one band of the person's day, judged in their
own zone and working time (``asyncfirst.domain.worktime``):

    inside      working time                                      weight 0
    stretch     within ``stretch_minutes`` before or after a shift  STRETCH_WEIGHT
    early-late  outside hours on a working weekday, 07:00–22:00     EARLY_LATE_WEIGHT
    night       22:00–07:00 local                                   NIGHT_WEIGHT
    day-off     a weekday without shifts (a weekend), any hour      DAY_OFF_WEIGHT

The weights live in ``bands``. Minutes overlapping a focus block add ``FOCUS_WEIGHT``
(``PROTECTED_FOCUS_WEIGHT`` for a protected block). A meeting touching a local date that
is a public holiday, time off or a meeting-free day, overlapping busy time, or pushing
the person past their daily sync cap is *blocked*: its cost is infinite and ``blocked``
says why in words.

Build a ``PersonProfile`` once per person and window, then ``evaluate`` many intervals
against it; nothing is recomputed per interval except a few binary searches.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from asyncfirst.domain.intervals import Interval, normalise, subtract
from asyncfirst.domain.model import Person
from asyncfirst.domain.schedule import WorkSchedule
from asyncfirst.domain.worktime import local_day_bounds, to_utc, working_time
from asyncfirst.scheduling.bands import (
    DAY_OFF_WEIGHT,
    EARLY_LATE_WEIGHT,
    FOCUS_WEIGHT,
    NIGHT_WEIGHT,
    PROTECTED_FOCUS_WEIGHT,
    STRETCH_WEIGHT,
    Bands,
    Category,
    PersonCost,
    format_minutes,
)

__all__ = [
    "DAY_OFF_WEIGHT",
    "EARLY_LATE_WEIGHT",
    "FOCUS_WEIGHT",
    "NIGHT_WEIGHT",
    "PROTECTED_FOCUS_WEIGHT",
    "STRETCH_WEIGHT",
    "Bands",
    "Category",
    "PersonCost",
    "PersonProfile",
    "evaluate",
    "format_minutes",
    "inconvenience",
    "person_profile",
]

_DAY_START, _NIGHT_START = 7 * 60, 22 * 60
_MARGIN = timedelta(days=2)


class _Track:
    """A normalised interval list with its starts, for fast overlap queries."""

    __slots__ = ("intervals", "starts")

    def __init__(self, intervals: Iterable[Interval]) -> None:
        self.intervals = tuple(normalise(intervals))
        self.starts = tuple(iv.start for iv in self.intervals)

    def minutes(self, iv: Interval) -> float:
        i = max(bisect_right(self.starts, iv.start) - 1, 0)
        total = 0.0
        while i < len(self.intervals) and self.intervals[i].start < iv.end:
            start, end = max(iv.start, self.intervals[i].start), min(iv.end, self.intervals[i].end)
            if end > start:
                total += (end - start).total_seconds() / 60
            i += 1
        return total

    def gaps(self, iv: Interval) -> tuple[float | None, float | None]:
        """Minutes from the end of the last interval before ``iv`` to its start, and from its
        start to the next interval's start (``iv`` overlapping none)."""
        i = bisect_right(self.starts, iv.start) - 1
        after = (iv.start - self.intervals[i].end).total_seconds() / 60 if i >= 0 else None
        j = i + 1
        before = (self.starts[j] - iv.start).total_seconds() / 60 if j < len(self.starts) else None
        return after, before


@dataclass(frozen=True, slots=True, eq=False)
class PersonProfile:
    """A person's day bands over a window, precomputed once (build with ``person_profile``)."""

    person: Person
    schedule: WorkSchedule
    tz: ZoneInfo
    window: Interval
    working: _Track
    stretch: _Track
    early_late: _Track
    day_off: _Track
    focus: _Track
    protected_focus: _Track
    busy: _Track


def _local_days(window: Interval, tz: ZoneInfo) -> list[date]:
    first, last = window.start.astimezone(tz).date(), window.end.astimezone(tz).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _wall(day: date, minute: int, tz: ZoneInfo) -> datetime:
    midnight = datetime(day.year, day.month, day.day)  # noqa: DTZ001 - a wall clock, zoned below
    return to_utc(midnight + timedelta(minutes=minute), tz)


def person_profile(
    person: Person, start: datetime, end: datetime, busy: Iterable[Interval] = ()
) -> PersonProfile:
    """Precompute ``person``'s bands for meetings anywhere in ``[start, end)``."""
    schedule, window = person.schedule, Interval.of(start - _MARGIN, end + _MARGIN)
    tz = schedule.tz
    days = _local_days(window, tz)
    working = working_time(schedule, window.start, window.end)
    pad = timedelta(minutes=max(person.stretch_minutes, 0))
    expanded = normalise(Interval(iv.start - pad, iv.end + pad) for iv in working)
    off = [local_day_bounds(d, tz) for d in days if not person.hours.on(d.weekday())]
    day_off = subtract(normalise(off), expanded)
    waking = normalise(Interval(_wall(d, _DAY_START, tz), _wall(d, _NIGHT_START, tz)) for d in days)
    focus: list[Interval] = []
    protected: list[Interval] = []
    for d in days:
        for block in person.focus_blocks:
            if block.weekday == d.weekday() and block.end > block.start:
                iv = Interval(_wall(d, block.start, tz), _wall(d, block.end, tz))
                (protected if block.protected else focus).append(iv)
    return PersonProfile(
        person=person,
        schedule=schedule,
        tz=tz,
        window=window,
        working=_Track(working),
        stretch=_Track(subtract(expanded, working)),
        early_late=_Track(subtract(subtract(waking, expanded), day_off)),
        day_off=_Track(day_off),
        focus=_Track(focus),
        protected_focus=_Track(protected),
        busy=_Track(Interval.of(iv.start, iv.end) for iv in busy),
    )


def _minutes_by_local_day(iv: Interval, tz: ZoneInfo) -> dict[date, float]:
    result: dict[date, float] = {}
    cursor = iv.start
    while cursor < iv.end:
        day = cursor.astimezone(tz).date()
        stop = min(iv.end, local_day_bounds(day, tz).end)
        result[day] = result.get(day, 0.0) + (stop - cursor).total_seconds() / 60
        cursor = stop
    return result


def _blocked(
    profile: PersonProfile, iv: Interval, per_day: Mapping[date, float], already: Mapping[date, int]
) -> str | None:
    person = profile.person
    for day in per_day:
        label = f"{day:%a %d %b}"
        off = profile.schedule.day_off(day)
        if off is not None:
            return f"{off} on {label}"
        if day.weekday() in person.meeting_free_days:
            return f"meeting-free day ({day:%A})"
    if profile.busy.minutes(iv) > 0:
        return "already busy at that time"
    cap = person.daily_sync_cap_minutes
    if cap is not None:
        for day, minutes in per_day.items():
            if already.get(day, 0) + minutes > cap + 1e-9:
                return f"daily sync cap of {cap} min reached on {day:%a %d %b}"
    return None


def evaluate(
    profile: PersonProfile, interval: Interval, already_sync: Mapping[date, int] | None = None
) -> PersonCost:
    """The inconvenience of ``interval`` for the profile's person.

    ``already_sync`` maps the person's local dates to sync minutes already booked, for the
    daily cap. ``interval`` must lie inside the window the profile was built for.
    """
    if interval.start < profile.window.start or interval.end > profile.window.end:
        raise ValueError(f"{interval} lies outside the profile's window {profile.window}")
    tz, person = profile.tz, profile.person
    inside, stretch = profile.working.minutes(interval), profile.stretch.minutes(interval)
    early_late, day_off = profile.early_late.minutes(interval), profile.day_off.minutes(interval)
    night = max(interval.minutes - inside - stretch - early_late - day_off, 0.0)
    focus, protected = profile.focus.minutes(interval), profile.protected_focus.minutes(interval)
    bands = Bands(inside, stretch, early_late, night, day_off, focus, protected)
    blocked = _blocked(profile, interval, _minutes_by_local_day(interval, tz), already_sync or {})
    gap_after, gap_before = profile.working.gaps(interval) if not inside else (None, None)
    return PersonCost(
        person.id,
        person.name,
        person.zone,
        interval.start.astimezone(tz),
        interval.end.astimezone(tz),
        bands,
        math.inf if blocked is not None else bands.cost,
        blocked,
        gap_after,
        gap_before,
    )


def inconvenience(
    person: Person,
    interval: Interval,
    *,
    busy: Sequence[Interval] = (),
    already_sync: Mapping[date, int] | None = None,
) -> PersonCost:
    """One-off evaluation (builds a profile just for ``interval``)."""
    profile = person_profile(person, interval.start, interval.end, busy)
    return evaluate(profile, interval, already_sync)
