"""A person's week on the 15-minute grid, for costing every candidate start at once.

``inconvenience.evaluate`` costs one interval for one person (tens of microseconds, seven
interval-track queries and the day checks). The candidate table asks it about every start
of every request for every attendee: about 440,000 times for 500 people and 4.4 million
for 5,000. Here each person's bands are laid once on the grid the starts live on (UTC
slots of ``GRID_MINUTES``), as prefix sums per band, so a meeting of ``k`` slots starting
at slot ``i`` costs a subtraction per band, for all starts of a request at once (numpy).

It is exact, not an approximation: a meeting on the grid covers whole slots, and every
band is additive over the slots it covers; a slot touching a blocked local date blocks
every meeting over it; local dates come from each slot's first and last minute (a slot
never straddles a local midnight in a zone whose offset is a multiple of the grid, which
``aligned`` checks). ``week_table`` falls back to ``evaluate`` where ``aligned`` is false,
for meetings off the grid, and for the reasons in words (only needed for requests
without any start). ``tests/unit/test_week_grid.py`` compares the two on whole weeks.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from asyncfirst.domain.intervals import Interval, subtract
from asyncfirst.domain.requests import GRID_MINUTES
from asyncfirst.domain.worktime import local_day_bounds
from asyncfirst.scheduling.bands import (
    DAY_OFF_WEIGHT,
    EARLY_LATE_WEIGHT,
    FOCUS_WEIGHT,
    NIGHT_WEIGHT,
    STRETCH_WEIGHT,
)
from asyncfirst.scheduling.constraints import COST_SCALE, FOCUS_STRETCH_MINUTES

if TYPE_CHECKING:
    from asyncfirst.scheduling.inconvenience import PersonProfile

__all__ = ["GRID_SECONDS", "PersonGrid", "grid_origin"]

GRID_SECONDS = GRID_MINUTES * 60
_EPSILON = 0.5  # minutes, as the start rules in ``constraints``
_TINY = 1e-9


def grid_origin(start: datetime) -> datetime:
    """The grid slot boundary at or before ``start`` (the grid is aligned to UTC midnight)."""
    seconds = int(start.timestamp())
    return datetime.fromtimestamp(seconds - seconds % GRID_SECONDS, UTC)


def _slot_minutes(np: Any, intervals: Sequence[Interval], origin: float, n: int) -> Any:
    """Minutes of ``intervals`` (normalised) inside each of the ``n`` slots from ``origin``
    (seconds), as prefix sums of length ``n + 1``."""
    edges = origin + GRID_SECONDS * np.arange(n + 1, dtype=np.float64)
    total = np.zeros(n + 1)
    for iv in intervals:
        s, e = iv.start.timestamp(), iv.end.timestamp()
        if e <= edges[0] or s >= edges[-1]:
            continue
        total += np.clip(edges - s, 0.0, e - s)
    return total / 60.0


class PersonGrid:
    """One person's bands per grid slot over a profile's window, as prefix sums."""

    def __init__(self, profile: PersonProfile, origin: datetime, slots: int) -> None:
        import numpy as np  # here, not at import: the CLI's start-up stays light

        self.np = np
        self.profile = profile
        self.origin, self.slots = origin, slots
        zero = origin.timestamp()
        self.inside = _slot_minutes(np, profile.working.intervals, zero, slots)
        self.stretch = _slot_minutes(np, profile.stretch.intervals, zero, slots)
        self.early_late = _slot_minutes(np, profile.early_late.intervals, zero, slots)
        self.day_off = _slot_minutes(np, profile.day_off.intervals, zero, slots)
        self.focus = _slot_minutes(np, profile.focus.intervals, zero, slots)
        self.protected = _slot_minutes(np, profile.protected_focus.intervals, zero, slots)
        busy = _slot_minutes(np, profile.busy.intervals, zero, slots)
        tz, person, schedule = profile.tz, profile.person, profile.schedule
        edges = zero + GRID_SECONDS * np.arange(slots, dtype=np.float64)
        day = origin.astimezone(tz).date() - timedelta(days=1)
        stop = (origin + slots * timedelta(seconds=GRID_SECONDS)).astimezone(tz).date()
        dates: list[date] = []
        while day <= stop + timedelta(days=1):
            dates.append(day)
            day += timedelta(days=1)
        begins = np.array([local_day_bounds(d, tz).start.timestamp() for d in dates])
        ordinals = np.array([d.toordinal() for d in dates], dtype=np.int64)
        off = np.array(
            [schedule.day_off(d) is not None or d.weekday() in person.meeting_free_days
             for d in dates],
            dtype=bool,
        )  # fmt: skip
        at_first = np.searchsorted(begins, edges, side="right") - 1
        at_last = np.searchsorted(begins, edges + GRID_SECONDS - 60, side="right") - 1
        firsts, lasts = ordinals[at_first], ordinals[at_last]
        bad = off[at_first] | off[at_last]
        self.first_day, self.last_day = firsts, lasts
        self.aligned = bool(np.all(self.first_day == self.last_day))
        self.blocked = np.concatenate(([0], np.cumsum(bad.astype(np.int64))))
        busy_slot = np.diff(busy) > _TINY
        self.busy = np.concatenate(([0], np.cumsum(busy_slot.astype(np.int64))))
        self.weekday = (firsts - 1) % 7  # date.toordinal() 1 is a Monday
        profile_free = subtract(list(profile.working.intervals), list(profile.busy.intervals))
        self._free_start = [iv.start.timestamp() for iv in profile_free]
        self._free_end = [iv.end.timestamp() for iv in profile_free]

    def window(self, prefix: Any, first: Any, k: int) -> Any:
        """The band's minutes over the ``k`` slots from each index of ``first``."""
        return prefix[first + k] - prefix[first]

    def startable(self, first: Any, k: int, *, out_of_hours: bool) -> Any:
        """Starts (slot indices ``first``, ``k`` slots long) that break no start rule for
        this person, weekday rule aside: no blocked date, no busy time, no protected focus,
        and inside working time or stretch unless ``out_of_hours`` is allowed."""
        ok = (self.window(self.blocked, first, k) == 0) & (self.window(self.busy, first, k) == 0)
        ok &= self.window(self.protected, first, k) < _EPSILON
        if not out_of_hours:
            outside = self.window(self.early_late, first, k) + self.window(self.day_off, first, k)
            night = k * GRID_MINUTES - self.window(self.inside, first, k)
            night = night - self.window(self.stretch, first, k) - outside
            ok &= (outside + self.np.maximum(night, 0.0)) < _EPSILON
        cap = self.profile.person.daily_sync_cap_minutes
        if cap is not None and k * GRID_MINUTES > cap:
            # one meeting over the daily cap on one local date: rare, counted exactly
            ok &= self.np.array([self._under_cap(int(i), k, cap) for i in first], dtype=bool)
        return ok

    def _under_cap(self, i: int, k: int, cap: int) -> bool:
        per_day: dict[int, int] = {}
        for j in range(i, i + k):
            day = int(self.first_day[j])
            per_day[day] = per_day.get(day, 0) + GRID_MINUTES
        return all(m <= cap for m in per_day.values())

    def on_days(self, first: Any, k: int, week: date, days: frozenset[int]) -> Any:
        """``constraints.on_allowed_day`` for every start: the first and last minute fall
        on allowed local weekdays inside the week."""
        np = self.np
        low, high = week.toordinal(), week.toordinal() + 7
        start, last = self.first_day[first], self.last_day[first + k - 1]
        allowed = np.zeros(7, dtype=bool)
        allowed[sorted(days)] = True
        weekday_last = (last - 1) % 7  # date.toordinal() 1 is a Monday
        return (
            (start >= low)
            & (start < high)
            & (last >= low)
            & (last < high)
            & allowed[self.weekday[first]]
            & allowed[weekday_last]
        )

    def points(self, first: Any, k: int) -> Any:
        """Out-of-hours points (``constraints.out_of_hours_cost`` × ``COST_SCALE``,
        rounded) of each start."""
        np = self.np
        inside, stretch = self.window(self.inside, first, k), self.window(self.stretch, first, k)
        early_late, day_off = (
            self.window(self.early_late, first, k),
            self.window(self.day_off, first, k),
        )
        night = np.maximum(k * GRID_MINUTES - inside - stretch - early_late - day_off, 0.0)
        cost = (
            stretch * STRETCH_WEIGHT
            + early_late * EARLY_LATE_WEIGHT
            + night * NIGHT_WEIGHT
            + day_off * DAY_OFF_WEIGHT
        )
        return np.rint(cost * COST_SCALE).astype(np.int64)

    def focus_points(self, index: int, k: int) -> int:
        """Focus points of one start: focus minutes destroyed in free working time
        (``constraints.focus_minutes_destroyed``) plus its focus-block overlap."""
        a = self.origin.timestamp() + index * GRID_SECONDS
        b = a + k * GRID_SECONDS
        lo = bisect_right(self._free_end, a)
        hi = bisect_left(self._free_start, b)
        least = FOCUS_STRETCH_MINUTES * 60
        lost = 0.0
        for j in range(lo, hi):
            s, e = self._free_start[j], self._free_end[j]
            if e - s >= least:
                lost += e - s
            for piece in (a - s, e - b):
                if piece >= least:
                    lost -= piece
        overlap = float(self.focus[index + k] - self.focus[index])
        return round(lost / 60 + overlap * FOCUS_WEIGHT * COST_SCALE)

    def local_days(self, index: int, k: int) -> tuple[tuple[date, int], ...] | None:
        """Minutes on each local date of one start; ``None`` off a single date (the caller
        counts those exactly)."""
        day = int(self.first_day[index])
        if int(self.last_day[index + k - 1]) != day:
            return None
        return ((date.fromordinal(day), k * GRID_MINUTES),)
