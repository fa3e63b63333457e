"""Shared working time of two people over one week, each person's stretch included.

Exactly how stretch extends working time (the same rule ``inconvenience`` uses for its
stretch band, so a time found here is never costed worse than "stretch"):

    1. Take the person's working time (``domain.worktime.working_time``): their shifts
       made concrete day by day in their own zone, minus public holidays and time off.
       Days off therefore contribute nothing, and nothing below can add them back.
    2. Widen every maximal working interval by ``stretch_minutes`` before its start and
       after its end. A split day (08:30–12:30, 13:30–17:00) has two intervals, each
       widened; when the widenings meet, the lunch gap is covered.
    3. Keep what lies inside the person's own local week, Monday 00:00 to the next
       Monday 00:00 in their zone.

Two people's *shared time* is the intersection of their stretched working time; its
minutes, over the week, are what pairing compares with its 30-minute threshold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from asyncfirst.domain.intervals import Interval, clip, intersect, normalise
from asyncfirst.domain.model import Person
from asyncfirst.domain.worktime import local_week, working_time

__all__ = ["pair_key", "shared_minutes", "shared_windows", "stretched_working_time"]


def pair_key(a: str, b: str) -> frozenset[str]:
    """The key of the pair ``a``–``b`` in a shared-minutes mapping (order does not matter)."""
    return frozenset((a, b))


def stretched_working_time(person: Person, week_monday: date) -> list[Interval]:
    """``person``'s working time in the local week of ``week_monday``, widened by stretch."""
    week = local_week(week_monday, person.schedule.tz)
    pad = timedelta(minutes=max(person.stretch_minutes, 0))
    working = working_time(person.schedule, week.start - pad, week.end + pad)
    widened = normalise(Interval(iv.start - pad, iv.end + pad) for iv in working)
    return clip(widened, week)


def shared_windows(a: Person, b: Person, week_monday: date) -> list[Interval]:
    """The instants of the week that are (stretched) working time for both ``a`` and ``b``."""
    return intersect(stretched_working_time(a, week_monday), stretched_working_time(b, week_monday))


def shared_minutes(people: Sequence[Person], week_monday: date) -> Mapping[frozenset[str], float]:
    """Minutes of shared (stretched) working time in the week, for every pair of ``people``."""
    stretched = {p.id: stretched_working_time(p, week_monday) for p in people}
    result: dict[frozenset[str], float] = {}
    for i, a in enumerate(people):
        for b in people[i + 1 :]:
            common = intersect(stretched[a.id], stretched[b.id])
            result[pair_key(a.id, b.id)] = sum(iv.minutes for iv in common)
    return result
