"""A fast local search over a week plan: move one meeting at a time to its best start.

The greedy plan places the hardest meeting first at the start that is cheapest *then*; it
never revisits a choice. ``polish`` sweeps over the placed and unplaced occurrences of
each connected group of attendees: takes the occurrence out, costs every start that fits
next to the rest (caps, calendars, nobody double-booked) exactly as the CP-SAT objective
does (``greedy.objective_of``: seat points and their zone rotation, focus, missing
optional attendees, and the group's worst person and worst zone, ledger included), and puts it back at the cheapest,
keeping its start on a tie. Sweeps repeat until one changes nothing (or ``sweeps``).

It gives CP-SAT a far better warm start than greedy in a fraction of a second per group,
and the result is never worse than the start: every move lowers the objective or changes
nothing. It is deterministic (no randomness, fixed orders).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from asyncfirst.scheduling.constraints import (
    MISSING_OPTIONAL_WEIGHT,
    UNPLACED_WEIGHT,
    WORST_PERSON_WEIGHT,
    WORST_ZONE_WEIGHT,
)
from asyncfirst.scheduling.greedy import carried_burden, seated
from asyncfirst.scheduling.week_model import Choice, components
from asyncfirst.scheduling.week_table import Option, RequestTable, WeekInput

__all__ = ["GroupState", "linear_cost", "polish", "polish_group"]


class GroupState:
    """One group's bookings and burden, updated move by move."""

    def __init__(self, week: WeekInput, group: Sequence[RequestTable]) -> None:
        person, zone, size = carried_burden(week)
        self.org = week.org
        self.people = sorted(seated(group))
        self.requests = len(group)
        self.rotation = week.rotation  # each seat's zone_rotation points at a start
        zones = {p.id: p.zone for p in week.org.people}
        self.zone_of = {p: zones[p] for p in self.people}
        self.carried = {p: person.get(p, 0) for p in self.people}
        self.zone_carried = {z: zone.get(z, 0) for z in set(self.zone_of.values())}
        self.zone_size = {z: max(size.get(z, 1), 1) for z in self.zone_carried}
        self.week_points = dict.fromkeys(self.people, 0)
        self.zone_points = dict.fromkeys(self.zone_carried, 0)
        self.spans: dict[str, list[tuple[float, float]]] = {p: [] for p in self.people}
        self.daily: dict[tuple[str, date], int] = {}
        self.weekly = dict.fromkeys(self.people, 0)
        self.daily_cap = {p: self.org.person(p).daily_sync_cap_minutes for p in self.people}
        self.weekly_cap = {p: self.org.person(p).weekly_sync_cap_minutes for p in self.people}

    def fits(self, person: str, option: Option, span: tuple[float, float]) -> bool:
        start, end = span
        if any(s < end and start < e for s, e in self.spans[person]):
            return False
        days = option.local_days[person]
        cap = self.daily_cap[person]
        if cap is not None and any(self.daily.get((person, d), 0) + m > cap for d, m in days):
            return False
        weekly = self.weekly_cap[person]
        return weekly is None or self.weekly[person] + sum(m for _, m in days) <= weekly

    def book(self, choice: Choice, sign: int) -> None:
        table, option, present = choice
        span = (option.start.timestamp(), option.end.timestamp())
        for p in (*table.required, *present):
            if sign > 0:
                self.spans[p].append(span)
            else:
                self.spans[p].remove(span)
            for d, m in option.local_days[p]:
                self.daily[p, d] = self.daily.get((p, d), 0) + sign * m
                self.weekly[p] += sign * m
            self.week_points[p] += sign * option.points[p]
            self.zone_points[self.zone_of[p]] += sign * option.points[p]

    def worst_zone_of(self, zone: str, points: int) -> int:
        return -(-(points + self.zone_carried[zone]) // self.zone_size[zone])

    def worst_person(self) -> int:
        return max((self.week_points[p] + self.carried[p] for p in self.people), default=0)

    def worst_zone(self) -> int:
        return max((self.worst_zone_of(z, v) for z, v in self.zone_points.items()), default=0)

    def objective(self, at: dict[str, Choice]) -> int:
        """The group's objective (``greedy.objective_of`` on its tables) for ``at``, the
        choices booked now."""
        placed = sum(linear_cost(*c, self.rotation(c[0], c[1])) for c in at.values())
        unplaced = UNPLACED_WEIGHT * (self.requests - len(at))
        return (
            placed
            + unplaced
            + WORST_PERSON_WEIGHT * self.worst_person()
            + WORST_ZONE_WEIGHT * self.worst_zone()
        )


def linear_cost(
    table: RequestTable,
    option: Option,
    present: Sequence[str],
    rotation: Mapping[str, int] | None = None,
) -> int:
    """The choice's part of the objective that is a sum over its seats: points, zone
    rotation (with ``rotation``, the start's ``WeekInput.rotation``), focus, and the
    missing optional attendees."""
    rotation = rotation or {}
    seats = sum(
        option.points[p] + rotation.get(p, 0) + option.focus[p] for p in (*table.required, *present)
    )
    return seats + MISSING_OPTIONAL_WEIGHT * (len(table.optional) - len(present))


def _best(state: GroupState, table: RequestTable, current: Choice | None) -> Choice | None:
    """The cheapest choice for ``table`` with everything else booked (``current`` on a
    tie, ``None`` when no start fits and it was unplaced)."""
    worst_person, worst_zone = state.worst_person(), state.worst_zone()
    zone_totals = dict(state.zone_points)
    best: tuple[int, Choice] | None = None
    if current is not None:
        best = (_value(state, current, worst_person, worst_zone, zone_totals), current)
    for option in table.options:
        span = (option.start.timestamp(), option.end.timestamp())
        if not all(state.fits(p, option, span) for p in table.required):
            continue
        present = tuple(p for p in option.optional_ok if state.fits(p, option, span))
        choice = (table, option, present)
        value = _value(state, choice, worst_person, worst_zone, zone_totals)
        if best is None or value < best[0]:
            best = (value, choice)
    return None if best is None else best[1]


def _value(
    state: GroupState,
    choice: Choice,
    worst_person: int,
    worst_zone: int,
    zone_totals: dict[str, int],
) -> int:
    """The group objective's change from adding ``choice`` (up to a constant)."""
    table, option, present = choice
    person_max, touched = worst_person, dict[str, int]()
    for p in (*table.required, *present):
        points = option.points[p]
        person_max = max(person_max, state.week_points[p] + state.carried[p] + points)
        z = state.zone_of[p]
        touched[z] = touched.get(z, zone_totals[z]) + points
    zone_max = worst_zone
    for z, total in touched.items():
        zone_max = max(zone_max, state.worst_zone_of(z, total))
    return (
        linear_cost(table, option, present, state.rotation(table, option))
        + WORST_PERSON_WEIGHT * person_max
        + WORST_ZONE_WEIGHT * zone_max
        - UNPLACED_WEIGHT
    )


def polish_group(
    week: WeekInput, group: Sequence[RequestTable], choices: Sequence[Choice], sweeps: int = 8
) -> list[Choice]:
    """``choices`` of ``group`` after at most ``sweeps`` sweeps of single moves."""
    ids = {t.request.id for t in group}
    state = GroupState(week, group)
    at: dict[str, Choice] = {}
    for choice in choices:
        if choice[0].request.id in ids:
            at[choice[0].request.id] = choice
            state.book(choice, +1)
    order = sorted(group, key=lambda t: (len(t.options), -len(t.required), t.request.id))
    for _ in range(sweeps):
        moved = False
        for table in order:
            rid = table.request.id
            current = at.pop(rid, None)
            if current is not None:
                state.book(current, -1)
            found = _best(state, table, current)
            if found is not None:
                at[rid] = found
                state.book(found, +1)
                moved = moved or found is not current
        if not moved:
            break
    return [at[t.request.id] for t in group if t.request.id in at]


def polish(week: WeekInput, choices: Sequence[Choice], sweeps: int = 8) -> list[Choice]:
    """``choices`` (placed occurrences of ``week``) after ``polish_group`` on every group;
    never worse by ``greedy.objective_of``."""
    result: list[Choice] = []
    for group in components([t for t in week.tables if t.options]):
        result += polish_group(week, group, choices, sweeps)
    return result
