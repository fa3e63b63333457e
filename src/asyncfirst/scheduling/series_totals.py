"""Who carries a recurring meeting's out-of-hours burden, per person and per zone.

The fairness of a series (PRODUCT.md): its occurrences' out-of-hours minutes and
out-of-hours cost (the weighted minutes of ``bands`` without focus-block terms) summed per
person and per zone, the worst-off person's total, and the spread between zones: the
range (max − min) and the coefficient of variation (population standard deviation over
the mean; 0 when nobody is out of hours) of the cost per member. Zones are compared per
member so a large team does not look worse for being large.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from asyncfirst.domain.intervals import Interval
from asyncfirst.domain.model import Person
from asyncfirst.scheduling.bands import PersonCost
from asyncfirst.scheduling.relay import city

__all__ = [
    "PersonTotal",
    "SeriesSlot",
    "SeriesTotals",
    "ZoneTotal",
    "out_of_hours_cost",
    "series_totals",
]


def out_of_hours_cost(cost: PersonCost) -> float:
    """Weighted out-of-hours minutes: the cost without the focus-block terms (0 if blocked)."""
    if cost.blocked is not None:
        return 0.0
    return replace(cost.bands, focus=0.0, protected_focus=0.0).cost


@dataclass(frozen=True, slots=True)
class SeriesSlot:
    """One occurrence: its week, its time, and every attendee's view of it (in order)."""

    week: date
    interval: Interval
    attendees: tuple[PersonCost, ...]

    @property
    def missing(self) -> tuple[PersonCost, ...]:
        """Attendees the time blocks (holiday, time off...): they miss this occurrence."""
        return tuple(c for c in self.attendees if c.blocked is not None)

    @property
    def out_of_hours(self) -> tuple[PersonCost, ...]:
        """Attendees who join outside their working hours."""
        return tuple(c for c in self.attendees if c.blocked is None and not c.inside_hours)

    @property
    def all_inside(self) -> bool:
        return all(c.inside_hours for c in self.attendees)

    def to_dict(self) -> dict[str, Any]:
        return {
            "week": self.week.isoformat(),
            "start": self.interval.start.isoformat(),
            "end": self.interval.end.isoformat(),
            "out_of_hours": [c.person_id for c in self.out_of_hours],
            "missing": [{"person": c.person_id, "reason": c.blocked} for c in self.missing],
            "attendees": [c.to_dict() for c in self.attendees],
        }


@dataclass(frozen=True, slots=True)
class PersonTotal:
    person_id: str
    name: str
    zone: str
    out_of_hours_minutes: float
    cost: float
    missed: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "person": self.person_id,
            "name": self.name,
            "zone": self.zone,
            "out_of_hours_minutes": round(self.out_of_hours_minutes, 2),
            "cost": round(self.cost, 2),
            "missed": self.missed,
        }


@dataclass(frozen=True, slots=True)
class ZoneTotal:
    """A zone's sums over its members and the occurrences, and ``burdened`` occurrences."""

    zone: str
    members: int
    out_of_hours_minutes: float
    cost: float
    burdened: int

    @property
    def city(self) -> str:
        return city(self.zone)

    @property
    def minutes_per_member(self) -> float:
        return self.out_of_hours_minutes / self.members

    @property
    def cost_per_member(self) -> float:
        return self.cost / self.members

    def to_dict(self) -> dict[str, Any]:
        return {
            "zone": self.zone,
            "members": self.members,
            "out_of_hours_minutes": round(self.out_of_hours_minutes, 2),
            "cost": round(self.cost, 2),
            "out_of_hours_minutes_per_member": round(self.minutes_per_member, 2),
            "cost_per_member": round(self.cost_per_member, 2),
            "burdened_occurrences": self.burdened,
        }


@dataclass(frozen=True, slots=True)
class SeriesTotals:
    """The occurrences of a series and how its burden falls."""

    slots: tuple[SeriesSlot, ...]
    zones: tuple[ZoneTotal, ...]
    people: tuple[PersonTotal, ...]

    @property
    def out_of_hours_minutes(self) -> float:
        """Attendee-minutes outside working hours over the whole series."""
        return sum(p.out_of_hours_minutes for p in self.people)

    @property
    def worst_zone(self) -> ZoneTotal:
        return max(self.zones, key=lambda z: (z.cost_per_member, z.minutes_per_member))

    @property
    def worst_person(self) -> PersonTotal:
        return max(self.people, key=lambda p: (p.cost, p.out_of_hours_minutes))

    @property
    def spread(self) -> float:
        """Max − min over zones of the out-of-hours cost per member."""
        costs = [z.cost_per_member for z in self.zones]
        return max(costs) - min(costs)

    @property
    def spread_minutes(self) -> float:
        """Max − min over zones of the out-of-hours minutes per member."""
        minutes = [z.minutes_per_member for z in self.zones]
        return max(minutes) - min(minutes)

    @property
    def coefficient_of_variation(self) -> float:
        """Population standard deviation over the mean of the zones' cost per member."""
        costs = [z.cost_per_member for z in self.zones]
        mean = statistics.fmean(costs)
        return statistics.pstdev(costs) / mean if mean > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        worst = self.worst_person
        return {
            "out_of_hours_minutes": round(self.out_of_hours_minutes, 2),
            "worst_zone": self.worst_zone.zone,
            "worst_person": {"person": worst.person_id, "cost": round(worst.cost, 2)},
            "spread_cost_per_member": round(self.spread, 2),
            "spread_minutes_per_member": round(self.spread_minutes, 2),
            "coefficient_of_variation": round(self.coefficient_of_variation, 4),
            "zones": [z.to_dict() for z in self.zones],
            "people": [p.to_dict() for p in self.people],
            "occurrences": [s.to_dict() for s in self.slots],
        }


def series_totals(people: Sequence[Person], slots: Sequence[SeriesSlot]) -> SeriesTotals:
    """Totals per person and per zone (zones in order of first attendee) over ``slots``."""
    persons = []
    for k, person in enumerate(people):
        costs = [s.attendees[k] for s in slots]
        persons.append(
            PersonTotal(
                person.id,
                person.name,
                person.zone,
                sum(c.outside_minutes for c in costs if c.blocked is None),
                sum(out_of_hours_cost(c) for c in costs),
                sum(c.blocked is not None for c in costs),
            )
        )
    zones = []
    for zone in dict.fromkeys(p.zone for p in people):
        members = [k for k, p in enumerate(people) if p.zone == zone]
        burdened = sum(any(s.attendees[k] in s.out_of_hours for k in members) for s in slots)
        zones.append(
            ZoneTotal(
                zone,
                len(members),
                sum(persons[k].out_of_hours_minutes for k in members),
                sum(persons[k].cost for k in members),
                burdened,
            )
        )
    return SeriesTotals(tuple(slots), tuple(zones), tuple(persons))
