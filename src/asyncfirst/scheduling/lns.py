"""Large-neighbourhood search over a week plan: keep every meeting where it is except a
small neighbourhood, re-solve that neighbourhood exactly with CP-SAT, keep the result only
when the group's objective (``greedy.objective_of``) goes down. Repeat.

A neighbourhood is a request of a group of attendees, picked at random with the weight of
what it costs now (so the expensive, worst-off meetings are freed most often), plus
requests that share a person with those already picked, so the freed meetings can trade
places. Each round builds a *small* model of just the freed requests (``_Neighbourhood``):
only the starts that fit next to the fixed rest, each person's caps reduced by what the
rest already books, and the worst person and worst zone floored at what the fixed rest
already reaches, so its objective differs from the group's by a constant. Solving it
takes milliseconds where re-solving a clone of the whole group model spent most of a
round in presolve.

The result is never worse than the start (a round is kept only when the exact objective,
recounted from the bookings, goes down) and with ``seed`` and ``max_deterministic_time``
per round (one worker) it is the same on every run.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from asyncfirst.scheduling.constraints import (
    MISSING_OPTIONAL_WEIGHT,
    UNPLACED_WEIGHT,
    WORST_PERSON_WEIGHT,
    WORST_ZONE_WEIGHT,
    Seat,
    no_double_booking,
)
from asyncfirst.scheduling.local_search import GroupState, linear_cost
from asyncfirst.scheduling.week_model import Choice, components
from asyncfirst.scheduling.week_table import RequestTable, WeekInput

__all__ = ["LnsResult", "improve", "improve_group", "neighbourhood"]


def neighbourhood(
    group: Sequence[RequestTable],
    size: int,
    rng: random.Random,
    weights: Sequence[float] | None = None,
) -> set[str]:
    """``size`` request ids of ``group``: one drawn with ``weights`` (uniform without),
    then requests sharing a person with those picked (at random among them), then any."""
    first = rng.choices(range(len(group)), weights=weights)[0] if weights else None
    picked = [group[first] if first is not None else rng.choice(group)]
    people = set(picked[0].people)
    rest = [t for t in group if t is not picked[0]]
    while rest and len(picked) < size:
        near = [t for t in rest if people & set(t.people)] or rest
        table = rng.choice(near)
        picked.append(table)
        people.update(table.people)
        rest.remove(table)
    return {t.request.id for t in picked}


class _Neighbourhood:
    """The freed requests' model, with the rest of the group fixed in ``state``."""

    def __init__(self, state: GroupState, free: Sequence[RequestTable],
                 now: dict[str, Choice]) -> None:  # fmt: skip
        from ortools.sat.python import cp_model  # here, not at import: it loads pandas

        model = self.model = cp_model.CpModel()
        self.free = free
        self.x: dict[str, list[tuple[Any, Any, dict[str, Any]]]] = {}
        self.unplaced: dict[str, Any] = {}
        seats: dict[str, list[Seat]] = {}
        cost: list[Any] = []
        points: dict[str, list[tuple[Any, int]]] = {}
        for table in free:
            rid = table.request.id
            pick = now.get(rid)
            rows: list[tuple[Any, Any, dict[str, Any]]] = []
            for option in table.options:
                span = (option.start.timestamp(), option.end.timestamp())
                if not all(state.fits(p, option, span) for p in table.required):
                    continue
                var = model.new_bool_var("")
                on = pick is not None and pick[1] is option
                model.add_hint(var, on)
                rotation = state.rotation(table, option)  # zone_rotation points per seat
                seated = {p: var for p in table.required}
                joins: dict[str, Any] = {}
                for p in option.optional_ok:
                    if state.fits(p, option, span):
                        seat = joins[p] = seated[p] = model.new_bool_var("")
                        model.add_implication(seat, var)
                        model.add_hint(seat, on and pick is not None and p in pick[2])
                for p, seat in seated.items():
                    seats.setdefault(p, []).append(
                        Seat(seat, option.start, option.end, option.local_days[p],
                             option.points[p], option.focus[p])
                    )  # fmt: skip
                    own = option.points[p] + rotation.get(p, 0) + option.focus[p]
                    cost.append(own * seat)
                    if option.points[p]:
                        points.setdefault(p, []).append((seat, option.points[p]))
                # each optional attendee not seated costs MISSING_OPTIONAL_WEIGHT
                cost.append(MISSING_OPTIONAL_WEIGHT * len(table.optional) * var)
                cost += [-MISSING_OPTIONAL_WEIGHT * seat for seat in joins.values()]
                rows.append((option, var, joins))
            unplaced = self.unplaced[rid] = model.new_bool_var("")
            model.add_hint(unplaced, pick is None)
            model.add_exactly_one([*(var for _, var, _ in rows), unplaced])
            cost.append(UNPLACED_WEIGHT * unplaced)
            self.x[rid] = rows
        for person, mine in sorted(seats.items()):
            no_double_booking(model, person, mine)
            cap = state.daily_cap[person]
            if cap is not None:
                per_day: dict[Any, list[tuple[Any, int]]] = {}
                for place in mine:
                    for day, minutes in place.local_days:
                        per_day.setdefault(day, []).append((place.var, minutes))
                for day, terms in sorted(per_day.items()):
                    room = cap - state.daily.get((person, day), 0)
                    if sum(m for _, m in terms) > room:
                        model.add(sum(v * m for v, m in terms) <= room)
            weekly = state.weekly_cap[person]
            if weekly is not None and sum(s.minutes for s in mine) > weekly - state.weekly[person]:
                model.add(sum(s.var * s.minutes for s in mine) <= weekly - state.weekly[person])
        floor_person = state.worst_person()
        top = floor_person + sum(sum(w for _, w in terms) for terms in points.values()) + 1
        worst_person = model.new_int_var(floor_person, top, "worst_person")
        zone_terms: dict[str, list[tuple[Any, int]]] = {}
        for person, terms in points.items():
            fixed = state.week_points[person] + state.carried[person]
            model.add(worst_person >= fixed + sum(v * w for v, w in terms))
            zone_terms.setdefault(state.zone_of[person], []).extend(terms)
        floor_zone = state.worst_zone()
        worst_zone = model.new_int_var(floor_zone, max(top, floor_zone) + 1, "worst_zone")
        for zone, terms in sorted(zone_terms.items()):
            fixed = state.zone_points[zone] + state.zone_carried[zone]
            model.add(worst_zone * state.zone_size[zone] >= fixed + sum(v * w for v, w in terms))
        model.minimize(
            sum(cost) + WORST_PERSON_WEIGHT * worst_person + WORST_ZONE_WEIGHT * worst_zone
        )

    def picks(self, solver: Any) -> list[Choice]:
        result: list[Choice] = []
        for table in self.free:
            for option, var, joins in self.x[table.request.id]:
                if solver.value(var):
                    present = tuple(p for p in option.optional_ok
                                    if p in joins and solver.value(joins[p]))  # fmt: skip
                    result.append((table, option, present))
        return result


class LnsResult:
    """A group's choices after the search, and the deterministic time it spent."""

    def __init__(self, choices: list[Choice], used: float, kept: int, rounds: int) -> None:
        self.choices, self.used, self.kept, self.rounds = choices, used, kept, rounds


ROUND_OVERHEAD = 0.1
"""Deterministic seconds charged per round on top of the solver's own, for building the
small model (so the budget also bounds the Python work)."""


def _swap(state: GroupState, now: dict[str, Choice], out: Sequence[Choice],
          into: Sequence[Choice]) -> None:  # fmt: skip
    """Unbook ``out`` and book ``into`` (in ``state`` and ``now``)."""
    for choice in out:
        state.book(choice, -1)
        del now[choice[0].request.id]
    for choice in into:
        state.book(choice, +1)
        now[choice[0].request.id] = choice


def improve_group(
    week: WeekInput,
    group: Sequence[RequestTable],
    choices: Sequence[Choice],
    *,
    budget: float,
    size: int = 10,
    seed: int = 0,
    round_limit: float = 0.2,
    max_rounds: int | None = None,
) -> LnsResult:
    """``choices`` of ``group`` after rounds of re-solving ``size`` requests at a time,
    until ``budget`` deterministic seconds are spent (``round_limit`` at most a round);
    never worse by ``greedy.objective_of``. At most ``max_rounds`` rounds (by default
    four times the rounds that free every request once); a round that frees the whole
    group and proves it optimal ends the search."""
    from ortools.sat.python import cp_model

    if max_rounds is None:
        max_rounds = 4 * max(1, -(-len(group) // size))
    state = GroupState(week, group)
    ids = {t.request.id for t in group}
    now: dict[str, Choice] = {}
    for choice in choices:
        if choice[0].request.id in ids:
            now[choice[0].request.id] = choice
            state.book(choice, +1)
    rng = random.Random(seed)  # noqa: S311 - a search, not a secret
    best = state.objective(now)
    used, kept, rounds = 0.0, 0, 0
    while used < budget and rounds < max_rounds and len(group) > 0:
        rounds += 1
        weights = [
            1.0
            + (
                linear_cost(*now[t.request.id], state.rotation(t, now[t.request.id][1]))
                if t.request.id in now
                else UNPLACED_WEIGHT
            )
            for t in group
        ]
        free_ids = neighbourhood(group, size, rng, weights)
        free = [t for t in group if t.request.id in free_ids]
        old = [now[t.request.id] for t in free if t.request.id in now]
        _swap(state, now, old, [])
        sub = _Neighbourhood(state, free, {c[0].request.id: c for c in old})
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed + rounds
        limit = min(round_limit, max(budget - used, 0.01))
        solver.parameters.max_deterministic_time = limit
        solver.parameters.max_time_in_seconds = 2 * limit + 1
        code = solver.solve(sub.model)
        used += solver.deterministic_time + ROUND_OVERHEAD
        new = sub.picks(solver) if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) else []
        whole = len(free) == len(group) and code == cp_model.OPTIMAL
        _swap(state, now, [], new)
        value = state.objective(now) if new else best + 1
        if value < best:
            best, kept = value, kept + 1
        else:
            _swap(state, now, new, old)
        if whole:
            break  # the whole group re-solved to optimality: nothing left to find
    return LnsResult([now[t.request.id] for t in group if t.request.id in now], used, kept, rounds)


def improve(
    week: WeekInput,
    choices: Sequence[Choice],
    *,
    rounds: int = 20,
    size: int = 8,
    seed: int = 0,
    round_limit: float = 1.0,
) -> list[Choice]:
    """``choices`` (placed occurrences, as ``greedy_choices`` gives) after ``rounds`` of
    re-solving ``size`` requests at a time over the groups (each group gets rounds by
    its number of requests), ``round_limit`` deterministic seconds each; never worse
    than ``choices`` by ``objective_of``."""
    groups = components([t for t in week.tables if t.options])
    total = sum(len(g) for g in groups)
    result: list[Choice] = []
    for k, group in enumerate(groups):
        mine = max(1, round(rounds * len(group) / max(total, 1)))
        found = improve_group(
            week, group, choices, budget=float("inf"), size=size, seed=seed + k,
            round_limit=round_limit, max_rounds=mine,
        )  # fmt: skip
        result += found.choices
    return result
