"""The async format of a recurring meeting: a recorded briefing and written Q&A.

The briefing is posted when the first attendee's working week begins (the first instant of
working time from Monday 00:00 UTC). Each attendee answers within their team's respond-by,
counted in their own working time (``add_working_minutes``: holidays and time off skipped),
so every due time falls inside the attendee's working hours. A zone's due time is its last
member's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from asyncfirst.domain.model import Person
from asyncfirst.domain.worktime import add_working_minutes, working_time

__all__ = [
    "DEFAULT_RESPOND_BY_HOURS",
    "AsyncOccurrence",
    "PersonDue",
    "ZoneDue",
    "async_occurrence",
]

DEFAULT_RESPOND_BY_HOURS = 8.0


@dataclass(frozen=True, slots=True)
class PersonDue:
    person_id: str
    name: str
    hours: float
    due: datetime  # in the person's zone


@dataclass(frozen=True, slots=True)
class ZoneDue:
    """When a zone's answers are due: ``due`` is its last member's respond-by, local."""

    zone: str
    due: datetime
    people: tuple[PersonDue, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "zone": self.zone,
            "due": self.due.isoformat(),
            "people": [
                {"person": p.person_id, "hours": p.hours, "due": p.due.isoformat()}
                for p in self.people
            ],
        }


@dataclass(frozen=True, slots=True)
class AsyncOccurrence:
    week: date
    briefing_at: datetime  # UTC: when the first attendee's working week begins
    zones: tuple[ZoneDue, ...]


def async_occurrence(
    people: Sequence[Person], week: date, hours_of: Mapping[str, float]
) -> AsyncOccurrence:
    """The briefing of the week of Monday ``week`` and each zone's due time."""
    monday = datetime(week.year, week.month, week.day, tzinfo=UTC)
    starts = [
        iv.start
        for p in people
        for iv in working_time(p.schedule, monday, monday + timedelta(days=7))[:1]
    ]
    briefing = min(starts, default=monday)
    zones: dict[str, list[PersonDue]] = {}
    for person in people:
        hours = hours_of.get(person.team_id, DEFAULT_RESPOND_BY_HOURS)
        due = add_working_minutes(person.schedule, briefing, hours * 60)
        zones.setdefault(person.zone, []).append(
            PersonDue(person.id, person.name, hours, due.astimezone(person.schedule.tz))
        )
    return AsyncOccurrence(
        week,
        briefing,
        tuple(ZoneDue(z, max(p.due for p in dues), tuple(dues)) for z, dues in zones.items()),
    )
