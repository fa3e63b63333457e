"""Large-neighbourhood search over a week plan: keep every request where it is except a
small neighbourhood, re-solve that neighbourhood exactly with CP-SAT, keep the result only
when the week's objective (``greedy.objective_of``) goes down. Repeat.

A neighbourhood is a random request of a group of attendees plus requests that share a
person with those already picked, so the freed meetings can trade places. Each round
solves a copy of the group's model (``week_model.build_group``) with the other requests'
starts fixed; presolve shrinks it to the neighbourhood. The result is never worse than
the start, and with one worker, ``seed`` and ``max_deterministic_time`` per round it is
the same on every run.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from asyncfirst.scheduling.greedy import objective_of
from asyncfirst.scheduling.week_model import (
    Choice,
    GroupModel,
    build_group,
    chosen,
    components,
)
from asyncfirst.scheduling.week_table import RequestTable, WeekInput

__all__ = ["improve"]


def neighbourhood(group: Sequence[RequestTable], size: int, rng: random.Random) -> set[str]:
    """``size`` request ids of ``group``: a random one, then requests sharing a person with
    those picked (at random among them), then any."""
    picked = [rng.choice(group)]
    people = set(picked[0].people)
    rest = [t for t in group if t is not picked[0]]
    while rest and len(picked) < size:
        near = [t for t in rest if people & set(t.people)] or rest
        table = rng.choice(near)
        picked.append(table)
        people.update(table.people)
        rest.remove(table)
    return {t.request.id for t in picked}


def _fixed_copy(built: GroupModel, group: Sequence[RequestTable], current: Sequence[Choice],
                free: set[str]) -> Any:  # fmt: skip
    """A copy of the group's model with every request outside ``free`` at its current
    start (or unplaced), hinted with the current plan."""
    trial = built.model.clone()
    trial.clear_hints()
    at = {table.request.id: (option, present) for table, option, present in current}
    for table in group:
        rid = table.request.id
        pick = at.get(rid)
        unplaced = trial.get_bool_var_from_proto_index(built.unplaced[rid].index)
        trial.add_hint(unplaced, pick is None)
        if rid not in free:
            trial.add(unplaced == (pick is None))
        for i, (var, option) in enumerate(zip(built.x[rid], table.options, strict=True)):
            on = pick is not None and pick[0] is option
            mine = trial.get_bool_var_from_proto_index(var.index)
            trial.add_hint(mine, on)
            if on and rid not in free:
                trial.add(mine == 1)
            for person in option.optional_ok:
                seat = trial.get_bool_var_from_proto_index(built.attends[rid, i, person].index)
                trial.add_hint(seat, on and pick is not None and person in pick[1])
    return trial


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
    re-solving ``size`` requests at a time, ``round_limit`` deterministic seconds each;
    never worse than ``choices`` by ``objective_of``."""
    from ortools.sat.python import cp_model  # here, not at import: it loads pandas

    groups = components([t for t in week.tables if t.options])
    if not groups:
        return list(choices)
    rng = random.Random(seed)  # noqa: S311 - a search, not a secret
    current, best = list(choices), objective_of(week, choices)
    built: dict[int, GroupModel] = {}
    weights = [sum(len(t.options) for t in group) for group in groups]
    for round_ in range(rounds):
        k = rng.choices(range(len(groups)), weights=weights)[0]
        group = groups[k]
        if k not in built:
            built[k] = build_group(week, group, ())
        free = neighbourhood(group, size, rng)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed + round_
        solver.parameters.max_deterministic_time = round_limit
        solver.parameters.max_time_in_seconds = 2 * round_limit + 1
        trial = _fixed_copy(built[k], group, current, free)
        if solver.solve(trial) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            continue
        ids = {t.request.id for t in group}
        candidate = [c for c in current if c[0].request.id not in ids]
        candidate += chosen(built[k], group, solver)
        value = objective_of(week, candidate)
        if value < best:
            current, best = candidate, value
    return current
