"""When to remind someone of a deadline: shortly before it, in their own working time.

**The rule.** A reminder of a deadline ``due`` goes out at the instant ``lead`` working
minutes (60 by default) before ``due``, counted *backwards* in the recipient's working
time (their hours in their zone, daylight-saving changes applied, holidays and time off
skipped; ``domain.worktime``). So it always falls inside their working hours, never at
night: a reply due Monday 09:30 in Paris (hours 09:00–17:30) is reminded on Friday at
17:00, not on Monday at 08:30. A deadline set less than ``lead`` working minutes after
the message was sent gets no reminder (the message itself is the notice).

A reminder that could not go out at its instant (the service was down) goes out at the
next instant that is working time for the recipient and still before the deadline.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from asyncfirst.domain.intervals import utc
from asyncfirst.domain.schedule import WorkSchedule
from asyncfirst.domain.worktime import working_time

__all__ = [
    "REMINDER_LEAD_MINUTES",
    "is_working_instant",
    "reminder_at",
    "reminder_due",
    "subtract_working_minutes",
]

REMINDER_LEAD_MINUTES = 60
_CHUNK = timedelta(days=14)
_SEARCH_LIMIT = timedelta(days=3 * 366)


def subtract_working_minutes(
    schedule: WorkSchedule, instant: datetime, minutes: float
) -> datetime | None:
    """The latest instant from which ``minutes`` of working time pass until ``instant``.

    The mirror of ``worktime.add_working_minutes``: the result lies inside working time (or
    at the start of a shift when it fills it exactly). None when there is not that much
    working time in the three years before ``instant``.
    """
    if minutes < 0:
        raise ValueError(f"working time to subtract must not be negative, got {minutes}")
    cursor, remaining = utc(instant), timedelta(minutes=minutes)
    if remaining == timedelta(0):
        return cursor
    limit = cursor - _SEARCH_LIMIT
    while cursor > limit:
        chunk_start = cursor - _CHUNK
        for interval in reversed(working_time(schedule, chunk_start, cursor)):
            if interval.duration >= remaining:
                return interval.end - remaining
            remaining -= interval.duration
        cursor = chunk_start
    return None


def reminder_at(
    schedule: WorkSchedule,
    sent: datetime,
    due: datetime,
    lead_minutes: float = REMINDER_LEAD_MINUTES,
) -> datetime | None:
    """The reminder's instant for a deadline ``due`` set at ``sent`` (see the module docstring)."""
    at = subtract_working_minutes(schedule, due, lead_minutes)
    if at is None or at <= utc(sent):
        return None
    return at


def is_working_instant(schedule: WorkSchedule, instant: datetime) -> bool:
    """Whether ``instant`` is inside the schedule's working time."""
    start = utc(instant)
    return bool(working_time(schedule, start, start + timedelta(seconds=1)))


def reminder_due(
    schedule: WorkSchedule,
    sent: datetime,
    due: datetime,
    now: datetime,
    lead_minutes: float = REMINDER_LEAD_MINUTES,
) -> bool:
    """Whether a reminder should go out at ``now``: its instant has come, the deadline has
    not passed, and ``now`` is working time for the recipient."""
    at = reminder_at(schedule, sent, due, lead_minutes)
    now = utc(now)
    return at is not None and at <= now < utc(due) and is_working_instant(schedule, now)
