"""The week planner on CP-SAT: one boolean per (request occurrence, start), the named rules
of ``constraints``, and a weighted objective, solved per connected group of attendees.

Variables: ``x[request@start]`` (the occurrence takes that start), ``unplaced[request]``,
``attends[request,person@start]`` for optional attendees. Objective, in points (see
``constraints``)::

    Σ inconvenience[p] + Σ focus_destroyed[p] + MISSING_OPTIONAL_WEIGHT · Σ missing_optional
      + WORST_PERSON_WEIGHT · worst_person + WORST_ZONE_WEIGHT · worst_zone
      + UNPLACED_WEIGHT · Σ unplaced

Requests that share no person never interact, so each connected component of the
attendee graph is its own model, with its own worst person and worst zone: fairness is
judged within each group of people who meet, and the week's objective is the sum over the
groups (``greedy.objective_of`` counts it the same way), so the sum of the groups' bounds
is a proven bound for the week. Each group is warm-started (``AddHint``) from the greedy
plan and gets a share of ``time_limit_s`` by its number of candidate starts; what a group
proved optimal early leaves to the groups after it.

Reproducibility: the search stops on ``max_deterministic_time`` (an operation count, not
seconds); a wall-clock cap of twice that plus one second only guards against a stuck
machine. With one worker the search is sequential; with more, ``interleave_search`` makes
it deterministic too. Same model, seed and worker count → the same plan (on one machine).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from asyncfirst.scheduling.constraints import (
    COST_SCALE,
    MISSING_OPTIONAL_WEIGHT,
    UNPLACED_WEIGHT,
    WORST_PERSON_WEIGHT,
    WORST_ZONE_WEIGHT,
    Seat,
    fairness_terms,
    focus_destroyed_term,
    inconvenience_term,
    missing_optional_term,
    no_double_booking,
    one_start_or_unplaced,
    under_daily_cap,
    under_weekly_cap,
)
from asyncfirst.scheduling.plan import Placement, Plan, Unplaced
from asyncfirst.scheduling.week_table import Option, RequestTable, WeekInput

if TYPE_CHECKING:
    pass

__all__ = ["Choice", "components", "placement_of", "solve_week"]

Choice = tuple[RequestTable, Option, tuple[str, ...]]
"""A placed occurrence: its table, the chosen start and the optional people attending."""

_STATUS_RANK = {"OPTIMAL": 0, "FEASIBLE": 1, "UNKNOWN": 2, "MODEL_INVALID": 3, "INFEASIBLE": 3}


def components(tables: Sequence[RequestTable]) -> list[list[RequestTable]]:
    """Tables grouped so that requests sharing any person are in one group (stable order)."""
    parent = list(range(len(tables)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, table in enumerate(tables):
        for person in table.people:
            j = owner.setdefault(person, i)
            parent[find(i)] = find(j)
    groups: dict[int, list[RequestTable]] = {}
    for i, table in enumerate(tables):
        groups.setdefault(find(i), []).append(table)
    return list(groups.values())


def placement_of(choice: Choice) -> Placement:
    """The plan's value for one placed occurrence."""
    table, option, present = choice
    attendees = (*table.required, *present)
    missing = tuple(p for p in table.optional if p not in present)
    burden = tuple((p, option.points[p] / COST_SCALE) for p in attendees)
    return Placement(
        table.request.id, table.occurrence, option.start, option.end, attendees, missing, burden
    )


@dataclass
class _Model:
    """One component's CP-SAT model and the variables needed to read the answer back."""

    model: Any
    x: dict[str, list[Any]]
    unplaced: dict[str, Any]
    attends: dict[tuple[str, int, str], Any]


def _label(table: RequestTable, option: Option) -> str:
    return f"{table.request.id}@{option.start:%a %H:%M}"


def _build(week: WeekInput, group: Sequence[RequestTable], hint: Sequence[Choice]) -> _Model:
    from ortools.sat.python import cp_model  # here, not at import: it loads pandas (about 1 s)

    model = cp_model.CpModel()
    built = _Model(model, {}, {}, {})
    seats: dict[str, list[Seat]] = {}
    missing: list[Any] = []
    for table in group:
        rid = table.request.id
        xs = [model.new_bool_var(f"x[{_label(table, o)}]") for o in table.options]
        built.x[rid], built.unplaced[rid] = xs, model.new_bool_var(f"unplaced[{rid}]")
        one_start_or_unplaced(model, xs, built.unplaced[rid])
        attends: dict[str, list[Any]] = {p: [] for p in table.optional}
        for i, (var, option) in enumerate(zip(xs, table.options, strict=True)):
            for person in (*table.required, *option.optional_ok):
                seat_var = var
                if person not in table.required:
                    seat_var = model.new_bool_var(
                        f"attends[{rid},{person}@{option.start:%a %H:%M}]"
                    )
                    model.add_implication(seat_var, var)
                    built.attends[rid, i, person] = seat_var
                    attends[person].append(seat_var)
                seats.setdefault(person, []).append(
                    Seat(
                        seat_var,
                        option.start,
                        option.end,
                        option.local_days[person],
                        option.points[person],
                        option.focus[person],
                    )
                )
        placed = 1 - built.unplaced[rid]
        missing += [missing_optional_term(model, rid, p, placed, v) for p, v in attends.items()]
    org, ledger = week.org, week.ledger
    inconvenience, focus = {}, []
    for person, mine in sorted(seats.items()):
        who = org.person(person)
        no_double_booking(model, person, mine)
        under_daily_cap(model, person, who.daily_sync_cap_minutes, mine)
        under_weekly_cap(model, person, who.weekly_sync_cap_minutes, mine)
        inconvenience[person] = inconvenience_term(model, person, mine)
        focus.append(focus_destroyed_term(model, person, mine))
    zones = {p.id: p.zone for p in org.people}
    zone_size: dict[str, int] = {}
    for p in org.people:
        zone_size[p.zone] = zone_size.get(p.zone, 0) + 1
    worst_person, worst_zone = fairness_terms(
        model,
        inconvenience,
        zones,
        {p: round(v * COST_SCALE) for p, v in ledger.person.items()},
        {z: round(v * COST_SCALE) for z, v in ledger.zone.items()},
        zone_size,
        upper=sum(s.cost for mine in seats.values() for s in mine),
    )
    model.minimize(
        sum(inconvenience.values())
        + sum(focus)
        + MISSING_OPTIONAL_WEIGHT * sum(missing)
        + WORST_PERSON_WEIGHT * worst_person
        + WORST_ZONE_WEIGHT * worst_zone
        + UNPLACED_WEIGHT * sum(built.unplaced.values())
    )
    _hint(built, group, hint)
    return built


def _hint(built: _Model, group: Sequence[RequestTable], hint: Sequence[Choice]) -> None:
    chosen = {table.request.id: (option, present) for table, option, present in hint}
    for table in group:
        rid = table.request.id
        pick = chosen.get(rid)
        built.model.add_hint(built.unplaced[rid], pick is None)
        for i, (var, option) in enumerate(zip(built.x[rid], table.options, strict=True)):
            on = pick is not None and pick[0] is option
            built.model.add_hint(var, on)
            for person in option.optional_ok:
                built.model.add_hint(built.attends[rid, i, person], on and person in pick[1])  # type: ignore[index]


def _complete_hint(model: Any) -> Any | None:
    """Every variable of ``model`` hinted, by solving it with the hinted ones fixed; the
    solver that found the values (a plan to fall back on), or ``None`` when they clash.

    CP-SAT only starts from a hint it can complete; one missing the penalty and fairness
    variables can leave a large group without any solution inside its time share."""
    from ortools.sat.python import cp_model

    fixer = cp_model.CpSolver()
    fixer.parameters.fix_variables_to_their_hinted_value = True
    fixer.parameters.num_workers = 1
    fixer.parameters.max_deterministic_time = 60.0
    if fixer.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    values = fixer.response_proto.solution
    model.clear_hints()
    for index, value in enumerate(values):
        model.add_hint(model.get_int_var_from_proto_index(index), value)
    return fixer


def solve_week(
    week: WeekInput,
    hint: Sequence[Choice] = (),
    *,
    time_limit_s: float = 10.0,
    seed: int = 0,
    workers: int = 1,
) -> Plan:
    """The best plan CP-SAT finds for ``week``, warm-started from ``hint`` (greedy choices)."""
    from ortools.sat.python import cp_model  # here, not at import: it loads pandas (about 1 s)

    began = time.perf_counter()
    placements: list[Placement] = []
    unplaced = [Unplaced(t.request.id, t.reason or "") for t in week.tables if not t.options]
    status, objective, bound = "OPTIMAL", 0.0, 0.0
    groups = components([t for t in week.tables if t.options])
    sizes = [sum(len(t.options) for t in group) for group in groups]
    budget, left = time_limit_s, sum(sizes)
    for group, size in zip(groups, sizes, strict=True):
        built = _build(week, group, hint)
        solver = cp_model.CpSolver()
        share = budget * size / max(left, 1)
        left -= size
        solver.parameters.max_deterministic_time = share
        solver.parameters.max_time_in_seconds = 2 * share + 1
        solver.parameters.random_seed = seed
        solver.parameters.num_workers = workers
        solver.parameters.interleave_search = workers > 1
        started = _complete_hint(built.model) if hint else None
        code = solver.solve(built.model)
        name = solver.status_name(code)
        budget -= min(solver.deterministic_time, share)
        answer = solver
        if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if started is None:
                status = max(status, name, key=lambda s: _STATUS_RANK.get(s, 3))
                unplaced += [
                    Unplaced(t.request.id, f"the solver found no plan ({name})") for t in group
                ]
                continue
            answer, name = started, "FEASIBLE"  # no better plan in time: keep the start
        status = max(status, name, key=lambda s: _STATUS_RANK.get(s, 3))
        objective += answer.objective_value
        # every term is at least 0: a group stopped before any bound (UNKNOWN) proves 0
        bound += max(0.0, min(solver.best_objective_bound, answer.objective_value))
        for table in group:
            rid = table.request.id
            if answer.value(built.unplaced[rid]):
                why = "it cannot fit next to the other meetings under the caps and calendars"
                unplaced.append(Unplaced(rid, why))
                continue
            i = next(i for i, v in enumerate(built.x[rid]) if answer.value(v))
            option = table.options[i]
            present = tuple(p for p in option.optional_ok if answer.value(built.attends[rid, i, p]))
            placements.append(placement_of((table, option, present)))
    order = {t.request.id: n for n, t in enumerate(week.tables)}
    placements.sort(key=lambda p: (p.start, order[p.request_id]))
    return Plan(
        week=week.week,
        placements=tuple(placements),
        unplaced=tuple(sorted(unplaced, key=lambda u: order[u.request_id])),
        status=status,
        objective=objective,
        bound=bound,
        gap=(objective - bound) / max(1.0, abs(objective)),
        wall_seconds=time.perf_counter() - began,
        solver="cp-sat",
        components=len(groups),
    )
