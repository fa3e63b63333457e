"""Use case: the fairest start times for one meeting of some people and teams."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from asyncfirst.domain.errors import InputError
from asyncfirst.domain.intervals import Interval
from asyncfirst.domain.model import Organisation, Person
from asyncfirst.scheduling.slots import SlotSearch, rank_slots

__all__ = ["MAX_DAYS", "MAX_DURATION_MINUTES", "SlotReport", "find_slots"]

MAX_DURATION_MINUTES = 8 * 60
MAX_DAYS = 31
_STEPS = (5, 10, 15, 20, 30, 60)


@dataclass(frozen=True)
class SlotReport:
    """The attendees, the horizon searched and the ranked result."""

    attendees: tuple[Person, ...]
    duration_minutes: int
    horizon: Interval
    search: SlotSearch

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``asyncfirst slots --json``."""
        return {
            "attendees": [
                {"id": p.id, "name": p.name, "team": p.team_id, "zone": p.zone}
                for p in self.attendees
            ],
            "duration_minutes": self.duration_minutes,
            "horizon": {
                "start": self.horizon.start.isoformat(),
                "end": self.horizon.end.isoformat(),
            },
            **self.search.to_dict(),
        }


def _check(duration_minutes: int, days: int, limit: int, step_minutes: int) -> None:
    if not 0 < duration_minutes <= MAX_DURATION_MINUTES:
        raise InputError(
            f"--duration must be between 1 and {MAX_DURATION_MINUTES} minutes, "
            f"got {duration_minutes}",
            duration=duration_minutes,
        )
    if not 0 < days <= MAX_DAYS:
        raise InputError(f"--days must be between 1 and {MAX_DAYS}, got {days}", days=days)
    if duration_minutes > days * 24 * 60:
        raise InputError("the meeting is longer than the horizon; raise --days")
    if limit < 1:
        raise InputError(f"--limit must be at least 1, got {limit}", limit=limit)
    if step_minutes not in _STEPS:
        steps = ", ".join(map(str, _STEPS))
        raise InputError(f"the grid step must be one of {steps} minutes, got {step_minutes}")


def find_slots(
    org: Organisation,
    attendee_ids: Sequence[str],
    duration_minutes: int,
    start_day: date,
    days: int,
    *,
    limit: int = 10,
    step_minutes: int = 15,
    busy: Mapping[str, Sequence[Interval]] | None = None,
    already_sync_minutes: Mapping[tuple[str, date], int] | None = None,
) -> SlotReport:
    """Rank meeting start times for the people of ``attendee_ids`` (person or team ids).

    The horizon is ``start_day`` 00:00 UTC to ``days`` days later (00:00 UTC): one fixed
    window for everyone, whatever their zone, so candidates near its edges fall on local
    days that begin before or end after it. Starts lie on a ``step_minutes`` grid aligned to
    UTC midnight. ``busy`` (person id → intervals) and ``already_sync_minutes`` ((person id,
    local date) → minutes) come from calendars where the caller has them.
    """
    _check(duration_minutes, days, limit, step_minutes)
    people = org.resolve_all(attendee_ids)
    start = datetime(start_day.year, start_day.month, start_day.day, tzinfo=UTC)
    horizon = Interval(start, start + timedelta(days=days))
    search = rank_slots(
        people,
        duration_minutes,
        horizon.start,
        horizon.end,
        busy=busy,
        already_sync_minutes=already_sync_minutes,
        limit=limit,
        step_minutes=step_minutes,
    )
    return SlotReport(people, duration_minutes, horizon, search)
