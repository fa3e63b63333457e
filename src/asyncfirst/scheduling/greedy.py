"""A greedy week plan: the most constrained request first, each at its cheapest start that
still fits next to what is already placed. It warm-starts the solver and is a plan of its
own when no solver is wanted; ``objective_of`` scores any set of choices exactly as the
CP-SAT objective does, so the two can be compared.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from datetime import date, datetime

from asyncfirst.scheduling.constraints import (
    COST_SCALE,
    MISSING_OPTIONAL_WEIGHT,
    UNPLACED_WEIGHT,
    WORST_PERSON_WEIGHT,
    WORST_ZONE_WEIGHT,
)
from asyncfirst.scheduling.plan import Plan, Unplaced
from asyncfirst.scheduling.week_model import Choice, components, placement_of
from asyncfirst.scheduling.week_table import Option, RequestTable, WeekInput

__all__ = [
    "carried_burden",
    "greedy_choices",
    "greedy_plan",
    "objective_of",
    "seated",
    "zone_rotation_of",
]

_NOT_FITTING = "it cannot fit next to the other meetings under the caps and calendars"


class _Booked:
    """What the greedy plan has booked so far, per person."""

    def __init__(self, week: WeekInput) -> None:
        self._org = week.org
        self.spans: dict[str, list[tuple[datetime, datetime]]] = {}
        self.daily: dict[tuple[str, date], int] = {}
        self.weekly: dict[str, int] = {}

    def fits(self, person: str, option: Option) -> bool:
        if any(s < option.end and option.start < e for s, e in self.spans.get(person, ())):
            return False
        who = self._org.person(person)
        days = option.local_days[person]
        cap = who.daily_sync_cap_minutes
        if cap is not None and any(self.daily.get((person, d), 0) + m > cap for d, m in days):
            return False
        weekly = who.weekly_sync_cap_minutes
        total = sum(m for _, m in days)
        return weekly is None or self.weekly.get(person, 0) + total <= weekly

    def book(self, person: str, option: Option) -> None:
        self.spans.setdefault(person, []).append((option.start, option.end))
        for d, m in option.local_days[person]:
            self.daily[person, d] = self.daily.get((person, d), 0) + m
            self.weekly[person] = self.weekly.get(person, 0) + m


def carried_burden(week: WeekInput) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """The ledger in objective points: per person, per zone, and each zone's size."""
    person = {p: round(v * COST_SCALE) for p, v in week.ledger.person.items()}
    zone, size = week.ledger.zone_points(week.org)
    return person, zone, size


def seated(group: Sequence[RequestTable]) -> set[str]:
    """Everyone with a seat in some candidate start of the group (as the model has them)."""
    people = {p for t in group for p in t.required}
    people.update(p for t in group for o in t.options for p in o.optional_ok)
    return people


def zone_rotation_of(week: WeekInput, choices: Sequence[Choice]) -> int:
    """The ``zone_rotation`` term of ``choices``: each seat's points times its price at
    its start (``WeekInput.rotation``)."""
    total = 0
    for table, option, present in choices:
        rotation = week.rotation(table, option)
        total += sum(rotation.get(p, 0) for p in (*table.required, *present))
    return total


def objective_of(week: WeekInput, choices: Sequence[Choice]) -> float:
    """The CP-SAT objective of ``choices`` (placed occurrences) for ``week``: per connected
    group of attendees (as ``solve_week`` models them), the points of the placed seats and
    their zone rotation, the missing optional attendees, the group's worst person and worst
    zone, and the unplaced requests that had a start (those without one are the same in
    every plan)."""
    person, zone, size = carried_burden(week)
    placed = {table.request.id for table, _, _ in choices}
    total = sum(UNPLACED_WEIGHT for t in week.tables if t.options and t.request.id not in placed)
    this_week: dict[str, int] = {}
    for table, option, present in choices:
        rotation = week.rotation(table, option)
        for p in (*table.required, *present):
            this_week[p] = this_week.get(p, 0) + option.points[p]
            total += option.points[p] + rotation.get(p, 0) + option.focus[p]
        total += MISSING_OPTIONAL_WEIGHT * (len(table.optional) - len(present))
    zones = {p.id: p.zone for p in week.org.people}
    for group in components([t for t in week.tables if t.options]):
        people = seated(group)
        worst_person = max((this_week.get(p, 0) + person.get(p, 0) for p in people), default=0)
        zone_total = dict.fromkeys({zones[p] for p in people}, 0)
        for p in people:
            zone_total[zones[p]] += this_week.get(p, 0)
        worst_zone = max(
            (-(-(v + zone.get(z, 0)) // max(size.get(z, 1), 1)) for z, v in zone_total.items()),
            default=0,
        )
        total += WORST_PERSON_WEIGHT * worst_person + WORST_ZONE_WEIGHT * worst_zone
    return float(total)


def _score(
    option: Option, table: RequestTable, carried: Mapping[str, int], rotation: Mapping[str, int]
) -> tuple[int, ...]:
    people = table.required
    load = max((carried.get(p, 0) + option.points[p] for p in people), default=0)
    own = sum(option.points[p] + rotation.get(p, 0) + option.focus[p] for p in people)
    missing = len(table.optional) - len(option.optional_ok)
    return (own + MISSING_OPTIONAL_WEIGHT * missing + load, int(option.start.timestamp()))


def greedy_choices(week: WeekInput) -> tuple[list[Choice], list[Unplaced]]:
    """Most constrained request first (fewest starts, then most people), cheapest start
    that fits; optional attendees join where they are free and under their caps."""
    booked = _Booked(week)
    carried = dict(carried_burden(week)[0])
    choices: list[Choice] = []
    unplaced = [Unplaced(t.request.id, t.reason or "") for t in week.tables if not t.options]
    tables = sorted(
        (t for t in week.tables if t.options),
        key=lambda t: (len(t.options), -len(t.required), t.request.id),
    )
    for table in tables:
        fitting = [o for o in table.options if all(booked.fits(p, o) for p in table.required)]
        if not fitting:
            unplaced.append(Unplaced(table.request.id, _NOT_FITTING))
            continue
        option = min(fitting, key=lambda o: _score(o, table, carried, week.rotation(table, o)))
        present = tuple(p for p in option.optional_ok if booked.fits(p, option))
        for p in (*table.required, *present):
            booked.book(p, option)
            carried[p] = carried.get(p, 0) + option.points[p]
        choices.append((table, option, present))
    return choices, unplaced


def greedy_plan(week: WeekInput) -> Plan:
    """The greedy plan as a ``Plan`` (status "GREEDY", objective as CP-SAT would count it)."""
    began = time.perf_counter()
    choices, unplaced = greedy_choices(week)
    order = {t.request.id: n for n, t in enumerate(week.tables)}
    placements = sorted(
        (placement_of(c) for c in choices), key=lambda p: (p.start, order[p.request_id])
    )
    objective = objective_of(week, choices)
    return Plan(
        week=week.week,
        placements=tuple(placements),
        unplaced=tuple(sorted(unplaced, key=lambda u: order[u.request_id])),
        status="GREEDY",
        objective=objective,
        bound=0.0,
        gap=1.0 if objective else 0.0,
        wall_seconds=time.perf_counter() - began,
        solver="greedy",
    )
