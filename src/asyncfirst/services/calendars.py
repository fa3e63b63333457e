"""Calendar use cases: inspect one person's calendar over a window.

The use case reads calendars through the ``CalendarSource`` port (the ICS adapter in
production, a fake in tests) and returns plain data that the CLI, the API and the web
pages render alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from asyncfirst.domain.calendar import (
    ImportResult,
    SkippedSeries,
    busy_intervals,
    normalise_email,
    sync_intervals,
)
from asyncfirst.domain.errors import InputError, UnknownZoneError
from asyncfirst.domain.intervals import Interval, clip, total_minutes

__all__ = ["CalendarSource", "InspectReport", "inspect_calendar", "zone_named"]


class CalendarSource(Protocol):
    """Where calendars come from (the ICS adapter, or a fake)."""

    def import_window(
        self, source: str, start: datetime, end: datetime, owner_emails: frozenset[str]
    ) -> ImportResult:
        """Occurrences at ``source`` overlapping ``[start, end)`` (aware, owner's zone)."""
        ...


@dataclass(frozen=True, slots=True)
class InspectReport:
    """What one calendar holds in a window, in the product's terms."""

    source: str
    start: date
    end: date
    zone: str
    occurrences: int
    timed: int
    all_day: int
    cancelled: int
    transparent: int
    declined: int
    busy_minutes: float
    sync_minutes: float
    skipped: tuple[SkippedSeries, ...]
    warnings: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``asyncfirst calendar inspect --json``."""
        return {
            "occurrences": self.occurrences,
            "timed": self.timed,
            "all_day": self.all_day,
            "busy_minutes": self.busy_minutes,
            "sync_minutes": self.sync_minutes,
            "skipped": [{"uid": s.uid, "reason": s.reason} for s in self.skipped],
            "warnings": list(self.warnings),
            "cancelled": self.cancelled,
            "transparent": self.transparent,
            "declined": self.declined,
            "window": {
                "from": self.start.isoformat(),
                "to": self.end.isoformat(),
                "zone": self.zone,
            },
        }


def zone_named(name: str) -> ZoneInfo:
    """The IANA zone ``name``; ``UnknownZoneError`` if there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UnknownZoneError(
            f"unknown time zone {name!r}; use an IANA name such as Europe/Paris or UTC",
            zone=name,
        ) from None


def inspect_calendar(
    source: str,
    start: date,
    end: date,
    zone: str,
    owner_emails: frozenset[str],
    *,
    calendars: CalendarSource,
) -> InspectReport:
    """Count and measure the occurrences at ``source`` in ``[start 00:00, end 00:00)``.

    The window is in ``zone``, which is also the zone of floating times and all-day
    dates. ``busy_minutes`` is the busy time (product brief) clipped to the window,
    ``sync_minutes`` the part of it spent in meetings with someone besides the owner.
    """
    tz = zone_named(zone)
    if end <= start:
        raise InputError(
            f"the window must end after it starts: --from {start} --to {end}",
            start=start.isoformat(),
            end=end.isoformat(),
        )
    window_start = datetime.combine(start, time(), tzinfo=tz)
    window_end = datetime.combine(end, time(), tzinfo=tz)
    owners = frozenset(normalise_email(email) for email in owner_emails if email.strip())
    result = calendars.import_window(source, window_start, window_end, owners)
    window = Interval.of(window_start, window_end)
    found = result.occurrences
    all_day = sum(1 for o in found if o.all_day)
    return InspectReport(
        source=source,
        start=start,
        end=end,
        zone=zone,
        occurrences=len(found),
        timed=len(found) - all_day,
        all_day=all_day,
        cancelled=sum(1 for o in found if o.cancelled),
        transparent=sum(1 for o in found if o.transparent),
        declined=sum(1 for o in found if o.declined_by_owner),
        busy_minutes=round(total_minutes(clip(busy_intervals(found), window)), 2),
        sync_minutes=round(total_minutes(clip(sync_intervals(found), window)), 2),
        skipped=result.skipped,
        warnings=result.warnings,
    )
