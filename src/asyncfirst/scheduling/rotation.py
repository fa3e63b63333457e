"""Rotate a recurring meeting's out-of-hours burden across zones (PRODUCT.md, "Fairness").

One occurrence a week, in the weeks given by their Mondays. The candidates of a week are
the starts on a ``step_minutes`` grid from Monday 00:00 UTC that end before the next Monday
and whose UTC weekday is in ``days``; each is costed for every attendee by
``inconvenience``. A candidate that blocks an attendee (public holiday, time off,
meeting-free day, daily sync cap) is avoided: a week keeps only the candidates that block
the fewest attendees, normally none, and anyone a chosen candidate still blocks is listed
as missing from that occurrence, at no cost.

The series is chosen as a whole, one candidate per week, by a small CP-SAT model solved
in lexicographic stages (one worker, a fixed seed, so the same input gives the same plan):

1. the worst-off zone's out-of-hours cost per member, over the series;
2. the worst-off person's out-of-hours cost, over the series;
3. the total weighted cost (out of hours plus focus-block overlap);
4. earlier starts, a tie-break that only makes the choice unique.

Out-of-hours cost is the weighted minutes of ``bands`` without the focus-block terms;
costs enter the model as integers in hundredths. The plan is compared with the naive
baseline: each week's cheapest slot, as a one-off search would pick it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from asyncfirst.domain.errors import InputError
from asyncfirst.domain.intervals import Interval
from asyncfirst.domain.model import Person
from asyncfirst.scheduling.inconvenience import evaluate, person_profile
from asyncfirst.scheduling.relay import GridRow
from asyncfirst.scheduling.series_totals import (
    SeriesSlot,
    SeriesTotals,
    out_of_hours_cost,
    series_totals,
)
from asyncfirst.scheduling.slots import grid_starts

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

__all__ = [
    "WEEKDAYS",
    "Rotation",
    "SeriesSlot",
    "SeriesTotals",
    "WeekGrid",
    "objective",
    "out_of_hours_cost",
    "plan_rotation",
    "week_grids",
]

WEEKDAYS = frozenset(range(5))
_SCALE = 100  # costs enter the model in hundredths
_STAGE_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class WeekGrid:
    """One week's costed grid (blocked rows included, for a relay) and its candidates."""

    week: date
    rows: tuple[GridRow, ...]
    candidates: tuple[SeriesSlot, ...]


@dataclass(frozen=True)
class Rotation:
    """The chosen series, the naive baseline, and how the choice was made."""

    duration_minutes: int
    rotation: SeriesTotals
    baseline: SeriesTotals
    objective: tuple[int, int, int]
    baseline_objective: tuple[int, int, int]
    optimal: bool
    all_inside: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "duration_minutes": self.duration_minutes,
            "all_inside": self.all_inside,
            "optimal": self.optimal,
            "objective": {
                "worst_zone_cost_per_member": self.objective[0] / _SCALE,
                "worst_person_cost": self.objective[1] / _SCALE,
                "total_cost": self.objective[2] / _SCALE,
            },
            "rotation": self.rotation.to_dict(),
            "baseline": {"rule": "the cheapest slot every week", **self.baseline.to_dict()},
        }


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def week_grids(
    people: Sequence[Person],
    duration_minutes: int,
    weeks: Sequence[date],
    *,
    days: frozenset[int] = WEEKDAYS,
    step_minutes: int = 30,
) -> tuple[WeekGrid, ...]:
    """Every week's costed grid and its candidates (those blocking the fewest attendees)."""
    if not people:
        raise InputError("a series needs at least one attendee")
    if not weeks or any(w.weekday() != 0 for w in weeks) or len(set(weeks)) != len(weeks):
        raise InputError("the weeks of a series must be distinct Mondays")
    if not days or not days <= frozenset(range(7)):
        raise InputError("days must be weekday numbers 0 (Monday) to 6 (Sunday)")
    start, end = _midnight(min(weeks)), _midnight(max(weeks)) + timedelta(days=7)
    profiles = [person_profile(p, start, end) for p in people]
    duration = timedelta(minutes=duration_minutes)
    grids = []
    for week in weeks:
        first = _midnight(week)
        rows: list[GridRow] = []
        for s in grid_starts(first, first + timedelta(days=7), duration_minutes, step_minutes):
            if s.weekday() in days:
                iv = Interval(s, s + duration)
                rows.append((iv, tuple(evaluate(p, iv) for p in profiles)))
        if not rows:
            raise InputError(f"no {duration_minutes}-minute start fits in the week of {week}")
        fewest = min(sum(c.blocked is not None for c in costs) for _, costs in rows)
        candidates = tuple(
            SeriesSlot(week, iv, tuple(costs))
            for iv, costs in rows
            if sum(c.blocked is not None for c in costs) == fewest
        )
        grids.append(WeekGrid(week, tuple(rows), candidates))
    return tuple(grids)


def _zones(people: Sequence[Person]) -> dict[str, list[int]]:
    zones: dict[str, list[int]] = {}
    for k, person in enumerate(people):
        zones.setdefault(person.zone, []).append(k)
    return zones


@dataclass(frozen=True, slots=True)
class _Weights:
    """One candidate's terms in hundredths: per zone (per member), per person, and total."""

    zones: tuple[int, ...]
    persons: tuple[int, ...]
    total: int


def _weights(people: Sequence[Person], slot: SeriesSlot) -> _Weights:
    ooh = [out_of_hours_cost(c) for c in slot.attendees]
    zones = tuple(
        round(_SCALE * sum(ooh[k] for k in ks) / len(ks)) for ks in _zones(people).values()
    )
    total = sum(c.cost for c in slot.attendees if c.blocked is None)
    return _Weights(zones, tuple(round(_SCALE * v) for v in ooh), round(_SCALE * total))


def objective(people: Sequence[Person], slots: Sequence[SeriesSlot]) -> tuple[int, int, int]:
    """(worst zone's cost per member, worst person's cost, total cost) in hundredths.

    The quantity ``plan_rotation`` minimises, lexicographically, over the choice of slots.
    """
    weights = [_weights(people, s) for s in slots]
    zones = [sum(w.zones[z] for w in weights) for z in range(len(_zones(people)))]
    persons = [sum(w.persons[k] for w in weights) for k in range(len(people))]
    return max(zones), max(persons), sum(w.total for w in weights)


def _solve(
    people: Sequence[Person], grids: Sequence[WeekGrid], same_weekday: bool
) -> tuple[list[int], bool]:
    """The index of the chosen candidate in each week, and whether every stage is optimal."""
    from ortools.sat.python import cp_model  # here, not at import: it loads pandas (about 1 s)

    model = cp_model.CpModel()
    x = [
        [model.new_bool_var(f"week{w}_start{c}") for c in range(len(g.candidates))]
        for w, g in enumerate(grids)
    ]
    for row in x:
        model.add_exactly_one(row)
    if same_weekday:
        weekday = [model.new_bool_var(f"weekday{d}") for d in range(7)]
        model.add_exactly_one(weekday)
        for row, grid in zip(x, grids, strict=True):
            for var, slot in zip(row, grid.candidates, strict=True):
                model.add_implication(var, weekday[slot.interval.start.weekday()])
    flat = [v for row in x for v in row]
    weights = [_weights(people, s) for g in grids for s in g.candidates]

    def worst(name: str, terms: list[list[int]]) -> cp_model.IntVar:
        """A variable at least each series sum (one per zone or person); minimised, it is the max."""
        var = model.new_int_var(0, sum(max(t) for t in terms), name)
        for index in range(len(terms[0])):
            model.add(var >= cp_model.LinearExpr.weighted_sum(flat, [t[index] for t in terms]))
        return var

    stages = [
        worst("worst_zone_cost", [list(w.zones) for w in weights]),
        worst("worst_person_cost", [list(w.persons) for w in weights]),
        cp_model.LinearExpr.weighted_sum(flat, [w.total for w in weights]),
        cp_model.LinearExpr.weighted_sum(flat, [c for row in x for c in range(len(row))]),
    ]
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_time_in_seconds = _STAGE_SECONDS
    optimal = True
    for stage in stages:
        model.minimize(stage)
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            raise InputError("no start time is possible on the same weekday in every week")
        optimal = optimal and status == cp_model.OPTIMAL
        model.add(stage <= solver.value(stage))
    choice = [next(c for c, v in enumerate(row) if solver.boolean_value(v)) for row in x]
    return choice, optimal


def _greedy(
    people: Sequence[Person], grids: Sequence[WeekGrid], same_weekday: bool
) -> tuple[list[int], bool]:
    """Week by week, the candidate that keeps the running (worst zone, worst person, total)
    lowest: no solver, a fraction of a second, not proven optimal (``optimal`` is False).
    """
    zone_count = len(_zones(people))
    zones, persons, total = [0] * zone_count, [0] * len(people), 0
    choice: list[int] = []
    weekday: int | None = None
    for grid in grids:
        best: tuple[tuple[int, int, int, int], int] | None = None
        for index, slot in enumerate(grid.candidates):
            if same_weekday and weekday is not None and slot.interval.start.weekday() != weekday:
                continue
            w = _weights(people, slot)
            key = (
                max(z + dz for z, dz in zip(zones, w.zones, strict=True)),
                max(p + dp for p, dp in zip(persons, w.persons, strict=True)),
                total + w.total,
                index,
            )
            if best is None or key < best[0]:
                best = (key, index)
        if best is None:
            raise InputError("no start time is possible on the same weekday in every week")
        index = best[1]
        w = _weights(people, grid.candidates[index])
        zones = [z + dz for z, dz in zip(zones, w.zones, strict=True)]
        persons = [p + dp for p, dp in zip(persons, w.persons, strict=True)]
        total += w.total
        weekday = grid.candidates[index].interval.start.weekday()
        choice.append(index)
    return choice, False


def _cheapest(slot: SeriesSlot) -> tuple[float, float, datetime]:
    costs = [c.cost for c in slot.attendees if c.blocked is None]
    return sum(costs), max(costs, default=0.0), slot.interval.start


def plan_rotation(
    people: Sequence[Person],
    duration_minutes: int,
    weeks: Sequence[date],
    *,
    days: frozenset[int] = WEEKDAYS,
    same_weekday: bool = False,
    step_minutes: int = 30,
    grids: Sequence[WeekGrid] | None = None,
    exact: bool = True,
) -> Rotation:
    """The fairest series of weekly starts for ``people`` (see the module docstring).

    ``weeks`` are the Mondays of the occurrences; ``days`` the UTC weekdays a start may
    fall on; ``same_weekday`` keeps every occurrence on one weekday. ``grids`` (from
    ``week_grids`` with the same arguments) saves recomputing them. ``exact=False`` picks
    greedily week by week instead of solving with CP-SAT (fast start-up, no proof).
    """
    grids = grids or week_grids(
        people, duration_minutes, weeks, days=days, step_minutes=step_minutes
    )
    choice, optimal = (_solve if exact else _greedy)(people, grids, same_weekday)
    chosen = [g.candidates[c] for g, c in zip(grids, choice, strict=True)]
    baseline = [min(g.candidates, key=_cheapest) for g in grids]
    return Rotation(
        duration_minutes=duration_minutes,
        rotation=series_totals(people, chosen),
        baseline=series_totals(people, baseline),
        objective=objective(people, chosen),
        baseline_objective=objective(people, baseline),
        optimal=optimal,
        all_inside=all(any(s.all_inside for s in g.candidates) for g in grids),
    )
