"""Calendar occurrences as the product sees them, and the busy and sync time they make.

An ``Occurrence`` is one happening of a calendar event, already expanded from its series and
placed on the UTC line. It carries exactly the facts the definitions in the product brief
need:

- **busy**: timed, not cancelled, not marked free (TRANSP:TRANSPARENT), not declined by the
  owner. All-day occurrences are never busy.
- **sync**: busy, with at least one attendee besides the owner.

Nothing here knows about iCalendar; the ICS adapter produces these values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from asyncfirst.domain.intervals import Interval, normalise

__all__ = [
    "ImportResult",
    "Occurrence",
    "SkippedSeries",
    "busy_intervals",
    "combine",
    "normalise_email",
    "sync_intervals",
]


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One occurrence of a calendar event.

    ``start``/``end`` are aware and in UTC. For a timed occurrence they are its real
    instants; for an all-day one (``all_day``) they are midnight of its first day and of
    the day after its last day in the zone it was read in (the owner's zone), so the
    span covers whole local days. ``status`` is the iCalendar STATUS upper-cased
    (``CONFIRMED``, ``TENTATIVE``, ``CANCELLED``) or ``None`` when absent.
    ``recurrence_id`` identifies the occurrence inside its series (UTC), ``None`` for a
    single event.
    """

    uid: str
    recurrence_id: datetime | None
    start: datetime
    end: datetime
    all_day: bool = False
    status: str | None = None
    transparent: bool = False
    declined_by_owner: bool = False
    attendee_count_besides_owner: int = 0
    summary: str = ""

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError(f"occurrence {self.uid!r} needs aware start and end")
        if self.end < self.start:
            raise ValueError(f"occurrence {self.uid!r} ends before it starts")

    @property
    def cancelled(self) -> bool:
        return self.status == "CANCELLED"

    @property
    def is_busy(self) -> bool:
        """Timed, not cancelled, not free, not declined by the owner."""
        return not (self.all_day or self.cancelled or self.transparent or self.declined_by_owner)

    @property
    def is_sync(self) -> bool:
        """Busy and shared with at least one other attendee."""
        return self.is_busy and self.attendee_count_besides_owner > 0

    @property
    def interval(self) -> Interval:
        return Interval(self.start, self.end)


@dataclass(frozen=True, slots=True)
class SkippedSeries:
    """A series (all events with one UID) that could not be used, and why."""

    uid: str
    reason: str


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What one import produced: the occurrences, the series it skipped, its warnings."""

    occurrences: tuple[Occurrence, ...] = ()
    skipped: tuple[SkippedSeries, ...] = field(default=())
    warnings: tuple[str, ...] = ()


def busy_intervals(occurrences: Iterable[Occurrence]) -> list[Interval]:
    """The busy time of ``occurrences``: a normalised union, overlaps counted once."""
    return normalise(Interval(o.start, o.end) for o in occurrences if o.is_busy)


def sync_intervals(occurrences: Iterable[Occurrence]) -> list[Interval]:
    """The sync time of ``occurrences``: busy meetings with someone else, as a union."""
    return normalise(Interval(o.start, o.end) for o in occurrences if o.is_sync)


def combine(results: Sequence[ImportResult]) -> ImportResult:
    """One result from several (a folder of calendars), occurrences ordered by start."""
    if len(results) == 1:
        return results[0]
    occurrences = sorted(
        (o for result in results for o in result.occurrences), key=lambda o: (o.start, o.end)
    )
    return ImportResult(
        occurrences=tuple(occurrences),
        skipped=tuple(s for result in results for s in result.skipped),
        warnings=tuple(w for result in results for w in result.warnings),
    )


def normalise_email(address: str) -> str:
    """``MAILTO:Ana@Example.org`` -> ``ana@example.org``: how owners and attendees compare."""
    text = address.strip()
    if text[:7].lower() == "mailto:":
        text = text[7:]
    return text.strip().casefold()
