"""Query: one person's meetings in planned weeks, in their own local time.

A read over a ``WeeksPlan`` (nothing is solved or written): each meeting the person
attends, or was invited to as an optional attendee but is not free for, with their local
start and end, whether it sits inside their working hours and, if not, why, and the
inconvenience it adds to their burden.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from asyncfirst.domain.model import Person
from asyncfirst.domain.requests import MeetingRequest
from asyncfirst.scheduling.plan import Placement
from asyncfirst.scheduling.week_table import WeekInput
from asyncfirst.services.planning import WeeksPlan

__all__ = ["AgendaEntry", "PersonAgenda", "person_agenda"]

Role = Literal["required", "optional", "optional, not free"]


@dataclass(frozen=True, slots=True)
class AgendaEntry:
    """One meeting of the person: UTC instants, their local ones, and what it costs them."""

    week: date
    request: MeetingRequest
    occurrence: int
    start: datetime
    end: datetime
    local_start: datetime
    local_end: datetime
    role: Role
    inside_hours: bool
    note: str
    burden: float
    with_people: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "week": self.week.isoformat(),
            "request": self.request.id,
            "title": self.request.title,
            "occurrence": self.occurrence,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "local_start": self.local_start.isoformat(),
            "local_end": self.local_end.isoformat(),
            "role": self.role,
            "inside_hours": self.inside_hours,
            "note": self.note,
            "burden": round(self.burden, 1),
            "with": list(self.with_people),
            "reason": self.request.reason,
            "agenda": self.request.agenda,
        }


@dataclass(frozen=True)
class PersonAgenda:
    person: Person
    entries: tuple[AgendaEntry, ...]

    @property
    def burden(self) -> float:
        return sum(e.burden for e in self.entries)

    def to_dict(self) -> dict[str, Any]:
        return {
            "person": self.person.id,
            "name": self.person.name,
            "zone": self.person.zone,
            "burden": round(self.burden, 1),
            "meetings": [e.to_dict() for e in self.entries],
        }


def _entry(week: WeekInput, placement: Placement, person: Person) -> AgendaEntry:
    table = next(t for t in week.tables if t.request.id == placement.request_id)
    request = table.request
    attends = person.id in placement.attendees
    role: Role = (
        "required"
        if person.id in table.required
        else ("optional" if attends else "optional, not free")
    )
    option = next((o for o in table.options if o.start == placement.start), None)
    cost = option.costs.get(person.id) if option is not None else None
    zone = ZoneInfo(person.zone)
    others = tuple(week.org.person(p).name for p in placement.attendees if p != person.id)
    return AgendaEntry(
        week=week.week,
        request=request,
        occurrence=placement.occurrence_index,
        start=placement.start,
        end=placement.end,
        local_start=placement.start.astimezone(zone),
        local_end=placement.end.astimezone(zone),
        role=role,
        inside_hours=cost.inside_hours if cost is not None else False,
        note=cost.reason if cost is not None else "",
        burden=dict(placement.burden).get(person.id, 0.0),
        with_people=others,
    )


def person_agenda(plan: WeeksPlan, person_id: str) -> PersonAgenda:
    """``person_id``'s meetings over the planned weeks, in start order; raises
    ``UnknownEntityError`` for an id that is not a person of the organisation."""
    org = plan.reports[0].week.org
    person = org.person(person_id)
    entries = [
        _entry(report.week, placement, person)
        for report in plan.reports
        for placement in report.plan.placements
        if person.id in placement.attendees or person.id in placement.missing_optional
    ]
    entries.sort(key=lambda e: (e.start, e.request.id))
    return PersonAgenda(person, tuple(entries))
