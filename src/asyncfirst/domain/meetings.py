"""Meetings the hub holds: their kinds, where they come from, the rules of their times,
and the focus blocks a person's calendar feed shows.

A meeting is stored as a UTC interval with each attendee's zone beside it. Its times
must be aware, end after they start, last at most ``MAX_MEETING_MINUTES`` and not start
in the past. Every meeting says why it is sync (``why_sync``): async is the default.

Focus blocks are weekly wall-clock stretches in the person's zone (the charter's
``focus``); ``focus_occurrences`` turns them into instants day by day, so a block at
09:00 Paris is 08:00 UTC in winter and 07:00 UTC in summer, and a day off (public
holiday, time off, a weekday without hours) has none.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from asyncfirst.domain.errors import InputError
from asyncfirst.domain.intervals import Interval
from asyncfirst.domain.model import Person
from asyncfirst.domain.worktime import to_utc

__all__ = [
    "MAX_MEETING_MINUTES",
    "MEETING_KINDS",
    "MEETING_SOURCES",
    "FocusOccurrence",
    "MeetingKind",
    "MeetingSource",
    "check_meeting_times",
    "focus_occurrences",
    "meeting_kind",
]

MeetingKind = Literal[
    "alignment", "workshop", "kickoff", "troubleshooting", "pairing", "coffee", "decision"
]
MEETING_KINDS: tuple[MeetingKind, ...] = (
    "alignment", "workshop", "kickoff", "troubleshooting", "pairing", "coffee", "decision",
)  # fmt: skip
MeetingSource = Literal["planner", "decision"]
MEETING_SOURCES: tuple[MeetingSource, ...] = ("planner", "decision")
MAX_MEETING_MINUTES = 8 * 60


def meeting_kind(kind: str) -> MeetingKind:
    """``kind`` as a known meeting kind, or an ``InputError`` listing the known ones."""
    for known in MEETING_KINDS:
        if kind.strip().lower() == known:
            return known
    raise InputError(
        f'meeting kind "{kind}" is not one of: {", ".join(MEETING_KINDS)}',
        field="kind", value=kind,
    )  # fmt: skip


def _aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise InputError(
            f"{name} {value.isoformat()} has no time zone; give an offset "
            f"(e.g. {value.isoformat()}Z or +09:00)",
            field=name, value=value.isoformat(),
        )  # fmt: skip


def check_meeting_times(starts_at: datetime, ends_at: datetime, now: datetime) -> Interval:
    """The meeting's interval, after checking the rules in the module docstring."""
    _aware(starts_at, "starts_at")
    _aware(ends_at, "ends_at")
    if ends_at <= starts_at:
        raise InputError(
            f"ends_at {ends_at.isoformat()} is not after starts_at {starts_at.isoformat()}",
            field="ends_at", value=ends_at.isoformat(),
        )  # fmt: skip
    minutes = (ends_at - starts_at) / timedelta(minutes=1)
    if minutes > MAX_MEETING_MINUTES:
        raise InputError(
            f"the meeting lasts {minutes:.0f} minutes; at most {MAX_MEETING_MINUTES}",
            field="ends_at", value=ends_at.isoformat(),
        )  # fmt: skip
    if starts_at < now:
        raise InputError(
            f"starts_at {starts_at.isoformat()} is in the past (now is {now.isoformat()})",
            field="starts_at", value=starts_at.isoformat(),
        )  # fmt: skip
    return Interval(starts_at, ends_at)


@dataclass(frozen=True, slots=True)
class FocusOccurrence:
    """One focus block on one local day: aware start and end in the person's zone."""

    day: date
    start: datetime
    end: datetime
    protected: bool


def _wall(day: date, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day) + timedelta(minutes=minute)  # noqa: DTZ001 - a wall clock, zoned by the caller (to_utc)


def focus_occurrences(person: Person, first: date, days: int) -> Iterator[FocusOccurrence]:
    """The person's focus blocks on the local days ``first`` .. ``first + days - 1``,
    skipping days off; each instant DST-exact in the person's zone."""
    schedule = person.schedule
    tz = schedule.tz
    for offset in range(days):
        day = first + timedelta(days=offset)
        if not person.hours.on(day.weekday()) or schedule.day_off(day) is not None:
            continue
        for block in sorted(person.focus_blocks, key=lambda b: b.start):
            if block.weekday != day.weekday() or block.end <= block.start:
                continue
            start = to_utc(_wall(day, block.start), tz).astimezone(tz)
            end = to_utc(_wall(day, block.end), tz).astimezone(tz)
            if end > start:
                yield FocusOccurrence(day, start, end, block.protected)
