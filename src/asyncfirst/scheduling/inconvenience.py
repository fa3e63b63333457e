"""Inconvenience of one meeting interval for one person (see PRODUCT.md, "Inconvenience").

Every minute of a meeting falls in exactly one band of the person's day, judged in their
own zone and working time (``asyncfirst.domain.worktime``):

    inside      working time                                      weight 0
    stretch     within ``stretch_minutes`` before or after a shift  STRETCH_WEIGHT
    early-late  outside hours on a working weekday, 07:00–22:00     EARLY_LATE_WEIGHT
    night       22:00–07:00 local                                   NIGHT_WEIGHT
    day-off     a weekday without shifts (a weekend), any hour      DAY_OFF_WEIGHT

Minutes overlapping a focus block add ``FOCUS_WEIGHT`` (``PROTECTED_FOCUS_WEIGHT`` for a
protected block). A meeting touching a local date that is a public holiday, time off or a
meeting-free day, overlapping busy time, or pushing the person past their daily sync cap
is *blocked*: its cost is infinite and ``blocked`` says why in words.

Build a ``PersonProfile`` once per person and window, then ``evaluate`` many intervals
against it; nothing is recomputed per interval except a few binary searches.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from asyncfirst.domain.intervals import Interval, normalise, subtract
from asyncfirst.domain.model import Person
from asyncfirst.domain.schedule import WorkSchedule
from asyncfirst.domain.worktime import local_day_bounds, to_utc, working_time

__all__ = [
    "DAY_OFF_WEIGHT",
    "EARLY_LATE_WEIGHT",
    "FOCUS_WEIGHT",
    "NIGHT_WEIGHT",
    "PROTECTED_FOCUS_WEIGHT",
    "STRETCH_WEIGHT",
    "Category",
    "PersonCost",
    "PersonProfile",
    "evaluate",
    "format_minutes",
    "inconvenience",
    "person_profile",
]

STRETCH_WEIGHT = 1.0
"""Cost per minute inside the person's own stretch allowance next to a shift."""
EARLY_LATE_WEIGHT = 3.0
"""Cost per minute outside hours but in the waking day (07:00–22:00 local)."""
NIGHT_WEIGHT = 10.0
"""Cost per minute at night (22:00–07:00 local): the night counts most."""
DAY_OFF_WEIGHT = 10.0
"""Cost per minute on a weekday the person does not work at all (e.g. Saturday)."""
FOCUS_WEIGHT = 1.0
"""Extra cost per minute overlapping an unprotected focus block."""
PROTECTED_FOCUS_WEIGHT = 4.0
"""Extra cost per minute overlapping a protected focus block."""

_DAY_START, _NIGHT_START = 7 * 60, 22 * 60
_MARGIN = timedelta(days=2)


class Category(StrEnum):
    """The worst band a meeting touches for one person, from best to worst."""

    INSIDE = "inside"
    STRETCH = "stretch"
    EARLY_LATE = "early-late"
    NIGHT = "night"
    DAY_OFF = "day-off"


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
        """Minutes from the last interval ending before ``iv`` and to the next one after it."""
        i = bisect_right(self.starts, iv.start) - 1
        after = (iv.start - self.intervals[i].end).total_seconds() / 60 if i >= 0 else None
        j = bisect_right(self.starts, iv.end - timedelta(microseconds=1))
        before = (self.starts[j] - iv.end).total_seconds() / 60 if j < len(self.starts) else None
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


def format_minutes(minutes: float) -> str:
    """``210`` → "3 h 30", ``45`` → "45 min", ``120`` → "2 h"."""
    whole = round(minutes)
    hours, rest = divmod(whole, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


@dataclass(frozen=True, slots=True)
class PersonCost:
    """How one interval sits for one person; ``cost`` is ``math.inf`` when blocked."""

    person_id: str
    name: str
    zone: str
    local_start: datetime
    local_end: datetime
    inside: float
    stretch: float
    early_late: float
    night: float
    day_off: float
    focus: float
    protected_focus: float
    cost: float
    category: Category
    blocked: str | None = None
    gap_after: float | None = None
    gap_before: float | None = None

    @property
    def minutes(self) -> float:
        return (self.local_end - self.local_start).total_seconds() / 60

    @property
    def inside_hours(self) -> bool:
        """Unblocked and entirely inside working time."""
        return self.blocked is None and self.category is Category.INSIDE

    @property
    def outside_minutes(self) -> float:
        return max(self.minutes - self.inside, 0.0)

    def local_label(self) -> str:
        """E.g. "Tue 22:00–22:30 Asia/Tokyo" (the end's weekday shown when it differs)."""
        start, end = self.local_start, self.local_end
        end_text = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%a %H:%M}"
        return f"{start:%a %H:%M}–{end_text} {self.zone}"

    @property
    def reason(self) -> str:
        """Why it costs what it costs, in words, without the name and time."""
        if self.blocked is not None:
            return f"blocked: {self.blocked}"
        if self.category is Category.INSIDE:
            text = "inside working hours"
        elif self.day_off and not self.inside:
            text = f"on a day off ({self.local_start:%A})"
        elif self.inside:
            text = f"{format_minutes(self.outside_minutes)} outside working hours"
        else:
            text = self._distance()
        if self.protected_focus:
            text += f", overlaps a protected focus block by {format_minutes(self.protected_focus)}"
        if self.focus:
            text += f", overlaps a focus block by {format_minutes(self.focus)}"
        return text

    def _distance(self) -> str:
        after, before = self.gap_after, self.gap_before
        if after is not None and (before is None or after <= before):
            return f"{format_minutes(after)} after working hours"
        if before is not None:
            return f"{format_minutes(before)} before working hours"
        return "outside working hours"

    def describe(self) -> str:
        """E.g. "Kenji: Tue 22:00–22:30 Asia/Tokyo, 3 h 30 after working hours"."""
        return f"{self.name}: {self.local_label()}, {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "person": self.person_id,
            "name": self.name,
            "zone": self.zone,
            "local_start": self.local_start.isoformat(),
            "local_end": self.local_end.isoformat(),
            "inside_hours": self.inside_hours,
            "category": self.category.value,
            "cost": None if math.isinf(self.cost) else round(self.cost, 2),
            "blocked": self.blocked,
            "minutes": {
                "inside": round(self.inside, 2),
                "stretch": round(self.stretch, 2),
                "early_late": round(self.early_late, 2),
                "night": round(self.night, 2),
                "day_off": round(self.day_off, 2),
                "focus": round(self.focus, 2),
                "protected_focus": round(self.protected_focus, 2),
            },
            "reason": self.reason,
            "text": self.describe(),
        }


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
    total = interval.minutes
    inside = profile.working.minutes(interval)
    stretch = profile.stretch.minutes(interval)
    early_late = profile.early_late.minutes(interval)
    day_off = profile.day_off.minutes(interval)
    night = max(total - inside - stretch - early_late - day_off, 0.0)
    focus = profile.focus.minutes(interval)
    protected = profile.protected_focus.minutes(interval)
    bands = (
        (Category.DAY_OFF, day_off),
        (Category.NIGHT, night),
        (Category.EARLY_LATE, early_late),
        (Category.STRETCH, stretch),
    )
    category = next((c for c, m in bands if m > 1e-9), Category.INSIDE)
    per_day = _minutes_by_local_day(interval, tz)
    blocked = _blocked(profile, interval, per_day, already_sync or {})
    cost = (
        math.inf
        if blocked is not None
        else stretch * STRETCH_WEIGHT
        + early_late * EARLY_LATE_WEIGHT
        + night * NIGHT_WEIGHT
        + day_off * DAY_OFF_WEIGHT
        + focus * FOCUS_WEIGHT
        + protected * PROTECTED_FOCUS_WEIGHT
    )
    gap_after, gap_before = profile.working.gaps(interval) if not inside else (None, None)
    return PersonCost(
        person_id=person.id,
        name=person.name,
        zone=person.zone,
        local_start=interval.start.astimezone(tz),
        local_end=interval.end.astimezone(tz),
        inside=inside,
        stretch=stretch,
        early_late=early_late,
        night=night,
        day_off=day_off,
        focus=focus,
        protected_focus=protected,
        cost=cost,
        category=category,
        blocked=blocked,
        gap_after=gap_after,
        gap_before=gap_before,
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
