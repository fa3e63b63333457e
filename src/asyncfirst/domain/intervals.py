"""Half-open time intervals on the UTC line and set operations over sorted lists of them.

An ``Interval`` is ``[start, end)`` between two aware datetimes. Lists returned by the
functions here are *normalised*: sorted, non-overlapping, non-touching, no empty interval.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

__all__ = [
    "Interval",
    "clip",
    "intersect",
    "intersect_all",
    "normalise",
    "subtract",
    "total_minutes",
    "total_seconds",
]


@dataclass(frozen=True, order=True, slots=True)
class Interval:
    """``[start, end)`` in real time; both ends aware, kept in UTC."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("Interval needs aware datetimes")
        if self.end < self.start:
            raise ValueError(f"Interval ends before it starts: {self.start} > {self.end}")

    @classmethod
    def of(cls, start: datetime, end: datetime) -> Interval:
        """An interval with both ends converted to UTC."""
        return cls(start.astimezone(UTC), end.astimezone(UTC))

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, instant: datetime) -> bool:
        return self.start <= instant < self.end


def normalise(intervals: Iterable[Interval]) -> list[Interval]:
    """Sort and merge overlapping or touching intervals; drop empty ones."""
    result: list[Interval] = []
    for iv in sorted(i for i in intervals if i.end > i.start):
        if result and iv.start <= result[-1].end:
            if iv.end > result[-1].end:
                result[-1] = Interval(result[-1].start, iv.end)
        else:
            result.append(iv)
    return result


def intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    """Intersection of two normalised lists (a linear merge)."""
    result: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start = max(a[i].start, b[j].start)
        end = min(a[i].end, b[j].end)
        if start < end:
            result.append(Interval(start, end))
        if a[i].end < b[j].end:
            i += 1
        else:
            j += 1
    return result


def intersect_all(lists: Sequence[Sequence[Interval]]) -> list[Interval]:
    """Intersection of any number of normalised lists; empty input gives an empty list."""
    if not lists:
        return []
    result = list(lists[0])
    for other in lists[1:]:
        result = intersect(result, other)
    return result


def subtract(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    """``a`` minus ``b``, both normalised."""
    result: list[Interval] = []
    j = 0
    for iv in a:
        start = iv.start
        while j < len(b) and b[j].end <= start:
            j += 1
        k = j
        while k < len(b) and b[k].start < iv.end:
            if b[k].start > start:
                result.append(Interval(start, b[k].start))
            start = max(start, b[k].end)
            k += 1
        if start < iv.end:
            result.append(Interval(start, iv.end))
    return result


def clip(intervals: Iterable[Interval], window: Interval) -> list[Interval]:
    """The parts of normalised ``intervals`` inside ``window``."""
    return intersect(list(intervals), [window])


def total_seconds(intervals: Iterable[Interval]) -> float:
    return sum((iv.end - iv.start).total_seconds() for iv in intervals)


def total_minutes(intervals: Iterable[Interval]) -> float:
    return total_seconds(intervals) / 60


def utc(value: datetime) -> datetime:
    """``value`` in UTC; refuses naive datetimes."""
    if value.tzinfo is None:
        raise ValueError("naive datetime where an aware one is required")
    return value.astimezone(UTC)
