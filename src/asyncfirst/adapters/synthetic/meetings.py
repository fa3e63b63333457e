"""The plan of a synthetic calendar: events as plain values, the window, who is busy when.

Nothing here writes iCalendar; ``render.py`` turns a ``Meeting`` into a VEVENT. A
``Meeting`` is one VEVENT: a single event, the master of a recurring series (``rrule``),
or an override of one occurrence (``recurrence_id``). It is shared by reference between
the calendars of everyone it involves, so each is rendered once and every copy is the
same, as on a real shared calendar.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from asyncfirst.domain.model import Person
from asyncfirst.domain.zones import zone

__all__ = ["DOMAIN", "Agenda", "Meeting", "Window", "at", "email_of", "new_uid"]

DOMAIN = "synthetic.asyncfirst.example"
_STEP = 15  # meetings start on the quarter hour


def new_uid(rng: random.Random) -> str:
    """A UID shaped like a real export's (a random UUID), but drawn from the seeded ``rng``."""
    return f"{uuid.UUID(int=rng.getrandbits(128), version=4)}@{DOMAIN}"


def email_of(person: Person) -> str:
    return person.emails[0] if person.emails else f"{person.id}@{DOMAIN}"


def at(day: date, minute: int, zone_name: str) -> datetime:
    """Local wall-clock ``minute`` after midnight of ``day`` in ``zone_name``, aware."""
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone(zone_name))


@dataclass(frozen=True, slots=True)
class Window:
    """Whole weeks from a Monday: the span every generated event falls in."""

    start: date
    weeks: int

    @property
    def end(self) -> date:
        """The Monday after the last week (exclusive)."""
        return self.start + timedelta(weeks=self.weeks)

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.weeks * 7)]

    @property
    def stamp(self) -> datetime:
        """DTSTAMP of every event: a week before the window, so output never depends on now."""
        return datetime.combine(self.start - timedelta(days=7), time(), tzinfo=UTC)

    def until(self, zone_name: str) -> datetime:
        """RRULE UNTIL for a series in ``zone_name``: the window's end, in UTC."""
        return datetime.combine(self.end, time(), tzinfo=zone(zone_name)).astimezone(UTC)

    def week_of(self, day: date) -> int:
        return (day - self.start).days // 7


@dataclass(frozen=True, eq=False, slots=True)
class Meeting:
    """One VEVENT. ``start``/``end`` are aware local datetimes, or dates for all-day events.

    ``attendees`` pairs each person with their PARTSTAT; the organiser of a meeting is
    listed among them (as real exports do), a solo block has none. Compared by identity.
    """

    uid: str
    summary: str
    start: datetime | date
    end: datetime | date
    organiser: Person | None = None
    attendees: tuple[tuple[Person, str], ...] = ()
    rrule: dict[str, Any] | None = None
    exdates: tuple[datetime, ...] = ()
    recurrence_id: datetime | None = None
    status: str = "CONFIRMED"
    transparent: bool = False
    sequence: int = 0
    description: str = ""
    location: str = ""
    sort_key: tuple[str, str, str] = field(init=False)

    def __post_init__(self) -> None:
        first = self.start
        if isinstance(first, datetime):
            key = first.astimezone(UTC).strftime("%Y%m%dT%H%M%S")
        else:
            key = first.strftime("%Y%m%dT000000")
        override = self.recurrence_id.astimezone(UTC).isoformat() if self.recurrence_id else ""
        object.__setattr__(self, "sort_key", (key, self.uid, override))

    @property
    def people(self) -> tuple[Person, ...]:
        """Everyone whose calendar holds this event: organiser first, then attendees."""
        found = {} if self.organiser is None else {self.organiser.id: self.organiser}
        for person, _ in self.attendees:
            found.setdefault(person.id, person)
        return tuple(found.values())

    def partstat(self, person: Person) -> str | None:
        return next((s for p, s in self.attendees if p.id == person.id), None)


class Agenda:
    """Who is busy when, in each person's local minutes, so new blocks avoid the old ones."""

    def __init__(self) -> None:
        self._busy: dict[tuple[str, date], list[tuple[int, int]]] = {}

    def book(self, people: Iterable[Person], start: datetime, end: datetime) -> None:
        minutes = int((end - start).total_seconds() // 60)
        for person in people:
            local = start.astimezone(zone(person.zone))
            first = local.hour * 60 + local.minute
            self._busy.setdefault((person.id, local.date()), []).append((first, first + minutes))

    def is_free(self, person: Person, day: date, start: int, end: int) -> bool:
        return all(e <= start or end <= s for s, e in self._busy.get((person.id, day), ()))

    def slots(self, person: Person, day: date, minutes: int) -> list[int]:
        """Quarter-hour starts inside ``person``'s shifts on ``day`` that are still free."""
        found: list[int] = []
        for shift in person.hours.on(day.weekday()):
            first = -(-shift.start // _STEP) * _STEP
            for start in range(first, min(shift.end, 1440) - minutes + 1, _STEP):
                if self.is_free(person, day, start, start + minutes):
                    found.append(start)
        return found

    def free_for_all(self, people: Iterable[Person], day: date, minutes: int) -> list[int]:
        """Starts inside the first person's shifts on ``day`` that are free for all ``people``."""
        group = list(people)
        if not group:
            return []
        return [
            s
            for s in self.slots(group[0], day, minutes)
            if all(self.is_free(p, day, s, s + minutes) for p in group[1:])
        ]

    def common_slot(
        self, people: Iterable[Person], days: list[date], minutes: int, rng: random.Random
    ) -> int | None:
        """A start free for all ``people`` (same zone) on every one of ``days``, or ``None``."""
        group = list(people)
        if not group or not days:
            return None
        options = set(self.slots(group[0], days[0], minutes))
        for person in group[1:]:
            options &= set(self.slots(person, days[0], minutes))
        taken = [iv for p in group for d in days[1:] for iv in self._busy.get((p.id, d), ())]
        choices = [s for s in sorted(options) if all(e <= s or s + minutes <= b for b, e in taken)]
        return rng.choice(choices) if choices else None
