"""Balance metrics of one person over one ISO week, in their zone and their working time.

Every number follows the Definitions of the product brief:

- the **week** runs from Monday 00:00 to the next Monday 00:00 in the *person's* zone;
- **working** = the minutes of ``working_time`` in that week;
- **busy** = the union of busy occurrences (timed, not cancelled, not free, not declined)
  inside the week, in or out of working time;
- **sync** = the union of sync occurrences (busy, with someone else) inside working time;
  **after-hours sync** = the rest of the week's sync time, outside working time;
- **sync share** = sync / working and **async share** = 1 − sync share; both are ``None``
  when the week has no working time, rather than a number that means nothing;
- **focus** = working time free of busy time, counted only in free stretches of at least
  ``focus_min`` minutes (120 by default); **fragmented** = the free working time in
  shorter stretches. So ``working = busy inside working + focus + fragmented``;
- **back-to-back chain**: busy occurrences starting in the week, taken in order, chained
  while the gap from the end of the chain so far to the next start is under 5 minutes
  (overlaps chain too). Only runs of two or more occurrences count, since a single long
  meeting is not back-to-back; the longest run by span (first start to last end) is kept;
- **meeting count** = sync occurrences starting in the week;
- **daily sync** = the week's sync time (in and after hours) per local day, Monday first;
  **after-hours days** = local days on which a stretch of after-hours sync begins.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from asyncfirst.domain.calendar import Occurrence, busy_intervals, sync_intervals
from asyncfirst.domain.intervals import Interval, clip, intersect, subtract, total_minutes
from asyncfirst.domain.model import Person
from asyncfirst.domain.worktime import local_day_bounds, local_week, working_time

__all__ = [
    "CHAIN_GAP",
    "DEFAULT_FOCUS_MINUTES",
    "WeekMetrics",
    "person_metrics",
    "person_week_metrics",
]

DEFAULT_FOCUS_MINUTES = 120
CHAIN_GAP = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class WeekMetrics:
    """One person's balance in one local ISO week; durations in minutes."""

    person_id: str
    monday: date
    zone: str
    working_minutes: float
    busy_minutes: float
    sync_minutes: float
    after_hours_sync_minutes: float
    focus_minutes: float
    fragmented_minutes: float
    longest_chain_minutes: float
    longest_chain_count: int
    meeting_count: int
    sync_share: float | None
    async_share: float | None
    daily_sync_minutes: tuple[float, ...]
    after_hours_days: int
    focus_min: int = DEFAULT_FOCUS_MINUTES

    @property
    def total_sync_minutes(self) -> float:
        """All sync time of the week, inside and outside working time."""
        return self.sync_minutes + self.after_hours_sync_minutes

    @property
    def free_minutes(self) -> float:
        return self.focus_minutes + self.fragmented_minutes


def _longest_chain(occurrences: Iterable[Occurrence]) -> tuple[float, int]:
    """(span in minutes, count) of the longest back-to-back run of two or more, else (0, 0)."""
    ordered = sorted(occurrences, key=lambda o: (o.start, o.end))
    best = (0.0, 0)
    i = 0
    while i < len(ordered):
        start, end, j = ordered[i].start, ordered[i].end, i + 1
        while j < len(ordered) and ordered[j].start - end < CHAIN_GAP:
            end = max(end, ordered[j].end)
            j += 1
        run = ((end - start).total_seconds() / 60, j - i)
        if run[1] >= 2 and run > best:
            best = run
        i = j
    return best


def _per_day(intervals: Sequence[Interval], days: Sequence[Interval]) -> tuple[float, ...]:
    """Minutes of ``intervals`` on each of the consecutive local ``days`` (one merge pass)."""
    starts = [day.start for day in days]
    totals = [0.0] * len(days)
    for piece in intersect(intervals, days):  # days touch end to start: pieces split at midnight
        totals[bisect_right(starts, piece.start) - 1] += piece.minutes
    return tuple(totals)


def _start_days(intervals: Sequence[Interval], days: Sequence[Interval]) -> int:
    starts = [day.start for day in days]
    return len({bisect_right(starts, iv.start) - 1 for iv in intervals})


def _week_metrics(
    person: Person,
    tz: ZoneInfo,
    monday: date,
    week: Interval,
    working: list[Interval],
    occurrences: Sequence[Occurrence],
    focus_min: int,
) -> WeekMetrics:
    """The metrics from the week's bounds, working time and overlapping occurrences."""
    days = [local_day_bounds(monday + timedelta(days=i), tz) for i in range(7)]
    busy = clip(busy_intervals(occurrences), week)
    sync_week = clip(sync_intervals(occurrences), week)
    sync_in = intersect(sync_week, working)
    after_hours = subtract(sync_week, working)
    threshold = timedelta(minutes=focus_min)
    focus = fragmented = 0.0
    for piece in subtract(working, busy):
        if piece.duration >= threshold:
            focus += piece.minutes
        else:
            fragmented += piece.minutes
    starting = [o for o in occurrences if week.start <= o.start < week.end]
    # a chain is of meetings: a solo focus block next to a call is not back-to-back sync
    chain_minutes, chain_count = _longest_chain(o for o in starting if o.is_sync)
    working_minutes = total_minutes(working)
    sync_minutes = total_minutes(sync_in)
    share = sync_minutes / working_minutes if working_minutes > 0 else None
    return WeekMetrics(
        person_id=person.id,
        monday=monday,
        zone=person.zone,
        working_minutes=working_minutes,
        busy_minutes=total_minutes(busy),
        sync_minutes=sync_minutes,
        after_hours_sync_minutes=total_minutes(after_hours),
        focus_minutes=focus,
        fragmented_minutes=fragmented,
        longest_chain_minutes=chain_minutes,
        longest_chain_count=chain_count,
        meeting_count=sum(1 for o in starting if o.is_sync),
        sync_share=share,
        async_share=None if share is None else 1.0 - share,
        daily_sync_minutes=_per_day(sync_week, days),
        after_hours_days=_start_days(after_hours, days),
        focus_min=focus_min,
    )


def person_week_metrics(
    person: Person,
    occurrences: Iterable[Occurrence],
    monday: date,
    focus_min: int = DEFAULT_FOCUS_MINUTES,
) -> WeekMetrics:
    """``person``'s metrics for the local ISO week starting ``monday`` (see module doc)."""
    return person_metrics(person, occurrences, monday, 1, focus_min)[0]


def person_metrics(
    person: Person,
    occurrences: Iterable[Occurrence],
    start_monday: date,
    weeks: int,
    focus_min: int = DEFAULT_FOCUS_MINUTES,
) -> list[WeekMetrics]:
    """``person``'s metrics for ``weeks`` consecutive local weeks from ``start_monday``.

    The busy occurrences are sorted once; each week takes the ones overlapping it by
    bisection and computes the person's working time once.
    """
    if focus_min <= 0:
        raise ValueError(f"focus stretches need a positive length, got {focus_min} minutes")
    schedule = person.schedule
    tz = schedule.tz
    # only busy occurrences count for any metric (sync ones are busy too)
    ordered = sorted((o for o in occurrences if o.is_busy), key=lambda o: o.start)
    starts = [o.start for o in ordered]
    longest = max((o.end - o.start for o in ordered), default=timedelta(0))
    result: list[WeekMetrics] = []
    for index in range(weeks):
        monday = start_monday + timedelta(weeks=index)
        week = local_week(monday, tz)
        lo = bisect_left(starts, week.start - longest)
        hi = bisect_left(starts, week.end)
        overlapping = [o for o in ordered[lo:hi] if o.end > week.start]
        working = working_time(schedule, week.start, week.end)
        result.append(_week_metrics(person, tz, monday, week, working, overlapping, focus_min))
    return result
