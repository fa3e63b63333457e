"""The week planner on CP-SAT: one boolean per (request occurrence, start), the named rules
of ``constraints``, and a weighted objective, solved per connected group of attendees.

Variables: ``x[request@start]`` (the occurrence takes that start), ``unplaced[request]``,
``attends[request,person@start]`` for optional attendees. Objective, in points (see
``constraints``)::

    Σ inconvenience[p] + Σ focus_destroyed[p] + MISSING_OPTIONAL_WEIGHT · Σ missing_optional
      + WORST_PERSON_WEIGHT · worst_person + WORST_ZONE_WEIGHT · worst_zone
      + zone_rotation + UNPLACED_WEIGHT · Σ unplaced

Requests that share no person never interact, so each connected component of the
attendee graph is its own model, with its own worst person and worst zone: fairness is
judged within each group of people who meet, and the week's objective is the sum over the
groups (``greedy.objective_of`` counts it the same way), so the sum of the groups' bounds
is a proven bound for the week. Each group is warm-started (``AddHint``) from the greedy
plan and gets a share of ``time_limit_s`` by its number of candidate starts, smallest
group first; what a group proved optimal early leaves to the groups after it.

Each group is solved lexicographically, in two phases (the ``UNPLACED_WEIGHT`` term
dwarfs the rest, and its weak LP bound used to hide the real gap):

1. place as many occurrences as possible (minimise ``Σ unplaced``): a model without cost
   terms, usually proven optimal in a fraction of the share;
2. keep that count (``Σ unplaced = phase 1``) and minimise the cost (everything but the
   unplaced term), starting from the greedy plan when it places as many, else from the
   phase-1 plan that keeps the most greedy choices. ``Phases`` reports this cost, its
   bound and gap, and phase 1's status; the plan's objective and bound stay in the
   weighted units above (``UNPLACED_WEIGHT · unplaced + cost``).

Presolve is held to one pass with probing capped, so a big group's presolve cannot eat
its whole share and end it with no plan.

Phase 2 is bounded by the model's linear relaxation (GLOP, ``week_lp``): on the benchmark
weeks it is 0.1–4 % below the optimum where CP-SAT's root LP stopped 6–17 % below; a
solve over the starts near its optimum gives a plan close to the bound, and its reduced
costs then drop the starts only dearer plans could use (never the optimum's) before
CP-SAT searches and proves on the rest.

Before that, HiGHS (inside the OR-Tools wheel) solves the same model as a MIP
(``week_mip``, limited by nodes): its plan is checked by CP-SAT and, when its bound meets
the cost, the group is proven there; CP-SAT stays the planner of record otherwise.

Reproducibility: the search stops on ``max_deterministic_time`` (an operation count, not
seconds); a wall-clock cap of twice that plus one second only guards against a stuck
machine. With one worker the search is sequential; with more, ``interleave_search`` makes
it deterministic too. Same model, seed and worker count → the same plan (on one machine).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

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
    zone_rotation_term,
)
from asyncfirst.scheduling.plan import Placement, Plan, Unplaced
from asyncfirst.scheduling.week_lp import relax, too_dear
from asyncfirst.scheduling.week_mip import solve_mip
from asyncfirst.scheduling.week_table import Option, RequestTable, WeekInput

__all__ = [
    "Choice",
    "GroupModel",
    "Phases",
    "build_group",
    "choices_of",
    "chosen",
    "components",
    "placement_of",
    "solve_week",
    "solve_week_phases",
]

Choice = tuple[RequestTable, Option, tuple[str, ...]]
"""A placed occurrence: its table, the chosen start and the optional people attending."""

LNS_SHARE = 0.3
"""Of a group's share left after phase 1, what the large-neighbourhood search gets."""
LNS_MIN_REQUESTS = 100
"""Groups with fewer requests skip the neighbourhood search: CP-SAT proves them optimal
within their share, and the search's rounds would only take time from that proof."""
NARROW_SHARE = 0.5
"""Of a group's share, what the solve on the relaxation's near-optimal starts gets."""
NARROW_SLACK = 20.0
"""The reduced cost (points) up to which a start counts as near the relaxation's optimum."""
WALL_FACTOR = 2.0
"""The wall-clock guard of a solve: ``WALL_FACTOR`` × its deterministic limit + 1 s (twice
that with one worker)."""

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


def choices_of(plan: Plan, week: WeekInput) -> list[Choice]:
    """``placement_of`` backwards: each placement of ``plan`` as (its table in ``week``,
    its start, the optional people present), to recount a plan's objective."""
    tables = {t.request.id: t for t in week.tables}
    result: list[Choice] = []
    for placement in plan.placements:
        table = tables[placement.request_id]
        option = next(o for o in table.options if o.start == placement.start)
        present = tuple(p for p in placement.attendees if p not in table.required)
        result.append((table, option, present))
    return result


@dataclass
class GroupModel:
    """One group's CP-SAT model and the variables needed to read the answer back:
    ``cost`` is the objective without the unplaced term, ``unplaced_count`` that term's sum."""

    model: Any
    x: dict[str, list[Any]]
    unplaced: dict[str, Any]
    attends: dict[tuple[str, int, str], Any]
    cost: Any
    unplaced_count: Any
    kept: list[Any]
    group: Sequence[RequestTable] = ()
    floor: Callable[[int], int] = lambda unplaced: 0

    def cost_floor(self, unplaced: int) -> int:
        """A proven lower bound of ``cost`` when ``unplaced`` occurrences stay unplaced."""
        return self.floor(unplaced)


@dataclass(frozen=True, slots=True)
class Phases:
    """How the two phases went over all groups.

    Phase 1 maximises the placed occurrences (``unplaced`` found, ``unplaced_bound`` the
    proven minimum, ``placed_status`` the worst group status); phase 2 keeps that count and
    minimises ``cost``, the objective without the ``UNPLACED_WEIGHT`` term, down to a proven
    ``cost_bound`` (counted only for groups whose phase 1 is proven, 0 elsewhere).
    """

    placed_status: str
    unplaced: int
    unplaced_bound: int
    cost_status: str
    cost: float
    cost_bound: float
    proven_by: tuple[str, ...] = ()
    """Per group (smallest first), the engine whose proof made its cost optimal ("cp-sat",
    "highs") or "" when it is not proven."""
    mip_capped: int = 0
    """Groups whose MIP the wall-clock safety cap ended (a result that depends on speed)."""

    @property
    def cost_gap(self) -> float:
        return (self.cost - self.cost_bound) / max(1.0, abs(self.cost))


@dataclass
class _Outcome:
    """One group's answer: the solver holding the values, and what was proven."""

    answer: Any
    placed_status: str
    cost_status: str
    unplaced: int
    unplaced_bound: int
    cost: float
    cost_bound: float
    used: float
    built: GroupModel | None = None
    engine: str = ""
    mip_capped: bool = False


class _Assigned:
    """Values per proto variable, read like a solver's answer (for ``chosen``)."""

    def __init__(self, values: Any) -> None:
        self.values = values

    def value(self, var: Any) -> int:
        return int(self.values[var.index])


def _worst(*statuses: str) -> str:
    return max(statuses, key=lambda s: _STATUS_RANK.get(s, 3))


def _seated(group: Sequence[RequestTable]) -> frozenset[str]:
    """Everyone with a seat in some start of ``group`` (the people its objective counts)."""
    people = {p for table in group for p in table.required}
    people.update(p for table in group for option in table.options for p in option.optional_ok)
    return frozenset(people)


def _label(table: RequestTable, option: Option) -> str:
    return f"{table.request.id}@{option.start:%a %H:%M}"


def build_group(
    week: WeekInput,
    group: Sequence[RequestTable],
    hint: Sequence[Choice],
    everyone: Iterable[str] = (),
) -> GroupModel:
    """The model of ``group``, hinted with ``hint``; ``everyone`` adds people with no seat
    in it to the worst person and zone (a model over some of a group's starts keeps the
    group's objective that way)."""
    from ortools.sat.python import cp_model  # here, not at import: it loads pandas (about 1 s)

    model = cp_model.CpModel()
    built = GroupModel(model, {}, {}, {}, 0, 0, [], group)
    seats: dict[str, list[Seat]] = {}
    missing: list[Any] = []
    for table in group:
        rid = table.request.id
        xs = [model.new_bool_var(f"x[{_label(table, o)}]") for o in table.options]
        built.x[rid], built.unplaced[rid] = xs, model.new_bool_var(f"unplaced[{rid}]")
        one_start_or_unplaced(model, xs, built.unplaced[rid])
        attends: dict[str, list[Any]] = {p: [] for p in table.optional}
        for i, (var, option) in enumerate(zip(xs, table.options, strict=True)):
            rotation = week.rotation(table, option)
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
                        rotation.get(person, 0),
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
    for person in sorted(set(everyone) - set(seats)):
        inconvenience[person] = 0  # no seat here, but their ledger still counts
    zones = {p.id: p.zone for p in org.people}
    zone_size: dict[str, int] = {}
    for p in org.people:
        zone_size[p.zone] = zone_size.get(p.zone, 0) + 1
    ledger_points = {p: round(v * COST_SCALE) for p, v in ledger.person.items()}
    zone_points = {z: round(v * COST_SCALE) for z, v in ledger.zone.items()}
    worst_person, worst_zone = fairness_terms(
        model,
        inconvenience,
        zones,
        ledger_points,
        zone_points,
        zone_size,
        upper=sum(s.cost for mine in seats.values() for s in mine),
    )
    built.cost = (
        sum(inconvenience.values())
        + sum(focus)
        + MISSING_OPTIONAL_WEIGHT * sum(missing)
        + WORST_PERSON_WEIGHT * worst_person
        + WORST_ZONE_WEIGHT * worst_zone
        + zone_rotation_term(model, [s for mine in seats.values() for s in mine])
    )
    built.floor = _floors(week, group, ledger_points, zone_points, zones, zone_size, seats)
    built.unplaced_count = sum(built.unplaced.values())
    model.minimize(built.cost + UNPLACED_WEIGHT * built.unplaced_count)  # the phases swap it
    _hint(built, group, hint)
    return built


def _floors(
    week: WeekInput,
    group: Sequence[RequestTable],
    carried: dict[str, int],
    zone_carried: dict[str, int],
    zones: dict[str, str],
    zone_size: dict[str, int],
    seats: dict[str, list[Seat]],
) -> Callable[[int], int]:
    """The cost's lower bound for a count of unplaced occurrences: every placed meeting at
    its cheapest start, zone rotation included (an optional attendee joining where that is
    cheaper than missing), the unplaced ones the dearest, and the worst person and zone at
    least what the ledger carries (and, when everything is placed, what each person's own
    cheapest starts add). Every term is separable per meeting or a maximum of sums of
    non-negative points, so each part bounds its own term from below.

    The solver's LP finds this and more, but only once presolve is done and the LP has
    run; a big group's share can end before that, with a bound far below this one."""
    cheapest: list[int] = []
    least: dict[str, int] = {}
    for table in group:
        best: int | None = None
        for option in table.options:
            rotation = week.rotation(table, option)
            value = sum(
                option.points[p] + rotation.get(p, 0) + option.focus[p] for p in table.required
            )
            value += sum(
                min(
                    option.points[p] + rotation.get(p, 0) + option.focus[p], MISSING_OPTIONAL_WEIGHT
                )
                for p in option.optional_ok
            )
            value += MISSING_OPTIONAL_WEIGHT * (len(table.optional) - len(option.optional_ok))
            best = value if best is None else min(best, value)
        cheapest.append(best or 0)
        for p in table.required:
            least[p] = least.get(p, 0) + min(o.points[p] for o in table.options)
    cheapest.sort()
    people = list(seats)

    def floor(unplaced: int) -> int:
        kept = sum(cheapest[: max(len(cheapest) - unplaced, 0)])
        own = least if unplaced == 0 else {}
        person = max((carried.get(p, 0) + own.get(p, 0) for p in people), default=0)
        totals: dict[str, int] = {}
        for p in people:
            totals[zones[p]] = totals.get(zones[p], 0) + own.get(p, 0)
        zone = max(
            (-(-(v + zone_carried.get(z, 0)) // max(zone_size.get(z, 1), 1))
             for z, v in totals.items()),
            default=0,
        )  # fmt: skip
        return kept + WORST_PERSON_WEIGHT * person + WORST_ZONE_WEIGHT * zone

    return floor


def chosen(built: GroupModel, group: Sequence[RequestTable], solver: Any) -> list[Choice]:
    """The placed occurrences of ``group`` in ``solver``'s answer to ``built``."""
    picks: list[Choice] = []
    for table in group:
        rid = table.request.id
        if solver.value(built.unplaced[rid]):
            continue
        i = next(i for i, v in enumerate(built.x[rid]) if solver.value(v))
        option = table.options[i]
        present = tuple(p for p in option.optional_ok if solver.value(built.attends[rid, i, p]))
        picks.append((table, option, present))
    return picks


def _hint(built: GroupModel, group: Sequence[RequestTable], hint: Sequence[Choice]) -> None:
    chosen = {table.request.id: (option, present) for table, option, present in hint}
    indices: list[int] = []
    values: list[int] = []
    for table in group:
        rid = table.request.id
        pick = chosen.get(rid)
        indices.append(built.unplaced[rid].index)
        values.append(int(pick is None))
        for i, (var, option) in enumerate(zip(built.x[rid], table.options, strict=True)):
            on = pick is not None and pick[0] is option
            indices.append(var.index)
            values.append(int(on))
            if on:
                built.kept.append(var)
            for person in option.optional_ok:
                indices.append(built.attends[rid, i, person].index)
                values.append(int(on and person in pick[1]))  # type: ignore[index]
    hint_proto = built.model.proto.solution_hint  # in bulk: add_hint per variable is slow
    hint_proto.vars.extend(indices)
    hint_proto.values.extend(values)


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
    _keep_hint(model, fixer)
    return fixer


def _solver(limit: float, seed: int, workers: int) -> Any:
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.max_deterministic_time = limit
    # one worker does about half the deterministic work per second of two (measured 0.3
    # against 0.64 on a loaded 2-core machine): its guard is twice as long
    solver.parameters.max_time_in_seconds = WALL_FACTOR * limit * (2 if workers < 2 else 1) + 1
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = workers
    solver.parameters.interleave_search = workers > 1
    # presolve may take longer than a group's share (probing alone up to 30 deterministic
    # seconds by default), ending it with no plan at all: one pass, probing capped
    solver.parameters.max_presolve_iterations = 1
    solver.parameters.presolve_probing_deterministic_time_limit = min(30.0, limit / 10)
    return solver


def _keep_hint(model: Any, solver: Any) -> None:
    """Hint every variable of ``model`` with ``solver``'s values (a complete start)."""
    values = list(solver.response_proto.solution)
    model.clear_hints()
    hint = model.proto.solution_hint  # in bulk: one add_hint per variable took ~1 s a group
    hint.vars.extend(range(len(values)))
    hint.values.extend(values)


def _tighten(built: GroupModel, solver: Any) -> Any | None:
    """``solver``'s plan with every penalty variable at its least value under the model's
    objective (a feasible answer may leave ``worst_person`` and the like slack), or
    ``None``; it becomes the model's complete hint."""
    model = built.model
    model.clear_hints()
    for var in (*built.unplaced.values(), *built.attends.values()):
        model.add_hint(var, solver.value(var))
    for xs in built.x.values():
        for var in xs:
            model.add_hint(var, solver.value(var))
    return _complete_hint(model)


def _rehint(built: GroupModel, group: Sequence[RequestTable], picks: Sequence[Choice]) -> Any:
    """``picks`` as the model's complete hint; the fixed solve holding them (or ``None``)."""
    built.model.clear_hints()
    built.kept.clear()
    _hint(built, group, picks)
    return _complete_hint(built.model)


Rebuild = Callable[[Sequence[RequestTable], Sequence[Choice]], GroupModel]
"""A group's model over some of its starts (``build_group`` with the group's people)."""


def _restricted(
    rebuild: Rebuild,
    built: GroupModel,
    picks: Sequence[Choice],
    keep: Callable[[Any], bool],
    unplaced: int,
    floor: int,
    complete: bool = True,
) -> tuple[GroupModel, Any] | None:
    """The phase-2 model of ``built``'s group over the starts ``keep`` accepts (each
    start's variable) and those of ``picks``, so that ``picks`` is a plan of it; with
    ``complete``, hinted with ``picks`` and paired with the solver holding that start
    completed (``None`` when it does not complete), else with no hint and ``None``.

    A request left without a start is left out and counts as unplaced. A model a third
    the size presolves and searches in a fraction of the whole one's time."""
    mine = {table.request.id: option for table, option, _ in picks}
    tables: list[RequestTable] = []
    for table in built.group:
        rid = table.request.id
        options = tuple(
            option
            for option, var in zip(table.options, built.x[rid], strict=True)
            if option is mine.get(rid) or keep(var)
        )
        if options:
            tables.append(replace(table, options=options))
    small = rebuild(tables, picks)
    count = unplaced - (len(built.group) - len(tables))
    small.model.add(small.unplaced_count == count).with_name("phase_1_placed_count")
    small.model.minimize(small.cost)
    small.model.add(small.cost >= floor).with_name("cost_floor")
    if not complete:
        small.model.clear_hints()
        return small, None
    start = _complete_hint(small.model)
    return None if start is None else (small, start)


def _solve_group(
    built: GroupModel,
    share: float,
    started: Any | None,
    seed: int,
    workers: int,
    repair: Callable[[GroupModel, Any], Sequence[Choice] | None] | None = None,
    search: Callable[[Any, float], tuple[Sequence[Choice] | None, float]] | None = None,
    rebuild: Rebuild | None = None,
    mip: bool = False,
) -> _Outcome | None:
    """Phase 1 (most occurrences placed) then phase 2 (least cost at that count), within
    ``share`` deterministic seconds; ``None`` when neither phase nor ``started`` has a plan.

    ``repair`` turns a solver's answer into better choices at the same placed count (the
    local search of ``local_search``; ``None`` when it finds none); phase 2 starts from
    the repaired phase-1 plan, and a FEASIBLE phase 2 is repaired once more.

    With ``rebuild``, phase 2 first solves the model's linear relaxation (``week_lp``): its
    safe bound joins the cost floor; a model of only the starts near its optimum (reduced
    cost ≤ ``NARROW_SLACK``, plus the current plan's) gets ``NARROW_SHARE`` of the share
    to find a plan close to the bound; then every start whose reduced cost alone proves
    it dearer than the best plan is dropped (``week_lp.too_dear``: never the optimum's, so
    CP-SAT's bound on what is left is a bound of the group) and CP-SAT searches and
    proves on a model of the rest, which ``_Outcome.built`` then holds. Without a
    relaxation (a constraint the reader does not take), ``search`` (the
    large-neighbourhood search of ``lns``) improves phase 2's start with ``LNS_SHARE`` of
    what is left of the share instead.

    With ``mip`` and a relaxation, HiGHS first solves the same model as a MIP
    (``week_mip``; a node limit, not the share, bounds it): its plan, checked by CP-SAT
    with the decisions fixed, becomes the start; when it proves the cost optimal the group
    ends there (``_Outcome.engine`` "highs") and the narrow and final models are never
    built."""
    from ortools.sat.python import cp_model

    found = (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if started is not None and round(started.value(built.unplaced_count)) == 0:
        first, code = None, cp_model.OPTIMAL  # the start places everything: nothing to prove
    else:
        first = _solver(share / 2, seed, workers)
        built.model.minimize(built.unplaced_count)
        code = first.solve(built.model)
    placed_status = first.status_name(code) if first is not None else "OPTIMAL"
    answer: Any = first if first is not None and code in found else started
    if answer is None:
        return None
    if code not in found:
        placed_status = "FEASIBLE"  # the start's count, nothing proven
    unplaced = round(answer.value(built.unplaced_count))
    proven = first.best_objective_bound if first is not None and code in found else 0.0
    unplaced_bound = min(unplaced, max(0, math.ceil(proven - 1e-6)))
    built.model.add(built.unplaced_count == unplaced).with_name("phase_1_placed_count")
    used = first.deterministic_time if first is not None else 0.0
    if started is not None and round(started.value(built.unplaced_count)) == unplaced:
        answer = started  # the warm start already places as many: phase 2 starts from it
    elif repair is not None and answer is first:
        # phase 1 moves meetings freely: repair its plan at that count into phase 2's start
        picks = repair(built, answer)
        if picks is not None:
            answer = _rehint(built, built.group, picks) or answer
    elif built.kept and answer is first:
        # start phase 2 from the plan at that count that keeps the most warm-start choices
        built.model.maximize(sum(built.kept))
        _keep_hint(built.model, answer)
        near = _solver(share / 4, seed, workers)
        if near.solve(built.model) in found:
            answer = near
        used += near.deterministic_time
    built.model.minimize(built.cost)
    floor = built.cost_floor(unplaced)
    relaxation = relax(built.model) if rebuild is not None else None
    tight = answer is started  # fixed under the full objective: its penalties are tight
    capped = False
    if relaxation is not None and mip:
        floor = max(floor, relaxation.bound)
        upper = answer.value(built.cost)
        result = solve_mip(relaxation, upper, seed)
        capped = result.capped
        if result.values is not None and result.objective < upper:
            picks = chosen(built, built.group, _Assigned(result.values))
            checked = _rehint(built, built.group, picks)  # CP-SAT recounts HiGHS's plan
            if checked is not None and checked.value(built.cost) < upper:
                answer, tight, upper = checked, True, checked.value(built.cost)
        if result.bound is not None and upper <= result.bound:  # proven: skip the rest
            cost = float(upper)
            return _Outcome(
                answer, placed_status, "OPTIMAL", unplaced, unplaced_bound, cost,
                cost if unplaced == unplaced_bound else 0.0, used, built, "highs",
            )  # fmt: skip
    if relaxation is not None and rebuild is not None:
        floor = max(floor, relaxation.bound)  # proven, and far above CP-SAT's own root LP
        picks = chosen(built, built.group, answer)
        upper = answer.value(built.cost)
        near = _restricted(
            rebuild, built, picks, lambda var: relaxation.reduced[var.index] <= NARROW_SLACK,
            unplaced, floor, complete=False,  # a hint far from the bound held the search there
        )  # fmt: skip
        if near is not None:
            small = near[0]
            narrow = _solver(NARROW_SHARE * share, seed, workers)
            code = narrow.solve(small.model)
            used += narrow.deterministic_time
            if code in found and narrow.objective_value < upper:
                picks, upper = chosen(small, small.group, narrow), narrow.objective_value
        # every start the reduced costs price above ``upper`` is out; the optimum is not
        whole = _restricted(
            rebuild, built, picks,
            lambda var: not too_dear(relaxation, var.index, upper),
            unplaced, floor,
        )  # fmt: skip
        if whole is not None:
            built, answer = whole
            tight = True
    elif search is not None:
        budget = LNS_SHARE * max(share - used, 0.0)
        found_picks, spent = search(answer, budget)
        used += spent
        if found_picks is not None:  # only an improvement costs a new complete hint
            answer = _rehint(built, built.group, found_picks) or answer
    built.model.add(built.cost >= floor).with_name("cost_floor")
    if tight:
        _keep_hint(built.model, answer)
    else:
        answer = _tighten(built, answer) or answer
    second = _solver(max(share - used, share / 8), seed, workers)
    code = second.solve(built.model)
    cost_status = second.status_name(code)
    if code == cp_model.OPTIMAL:
        answer = second
    elif code == cp_model.FEASIBLE:
        answer = _tighten(built, second) or second
        if repair is not None:
            better = repair(built, answer)
            polished = _rehint(built, built.group, better) if better is not None else None
            if polished is not None and polished.value(built.cost) < answer.value(built.cost):
                answer = polished
    else:
        cost_status = "FEASIBLE"
    cost = float(answer.value(built.cost))
    bound = max(float(floor), min(second.best_objective_bound, cost) if code in found else 0.0)
    return _Outcome(
        answer,
        placed_status,
        cost_status,
        unplaced,
        unplaced_bound,
        cost,
        bound if unplaced == unplaced_bound else 0.0,
        used + second.deterministic_time,
        built,
        "cp-sat" if code == cp_model.OPTIMAL else "",
        capped,
    )


def solve_week(
    week: WeekInput,
    hint: Sequence[Choice] = (),
    *,
    time_limit_s: float = 10.0,
    seed: int = 0,
    workers: int = 1,
    processes: int = 1,
) -> Plan:
    """The best plan CP-SAT finds for ``week``, warm-started from ``hint`` (greedy choices);
    ``processes`` as in ``solve_week_phases``."""
    return solve_week_phases(
        week, hint, time_limit_s=time_limit_s, seed=seed, workers=workers, processes=processes
    )[0]


@dataclass(frozen=True)
class _GroupAnswer:
    """One group's outcome in a form that pickles (a child process returns it): each
    placed occurrence as (index of its table in the group, of its start, its optional
    people present); ``picks`` is ``None`` when the solver found no plan."""

    picks: tuple[tuple[int, int, tuple[str, ...]], ...] | None
    placed_status: str = "UNKNOWN"
    cost_status: str = "UNKNOWN"
    unplaced: int = 0
    unplaced_bound: int = 0
    cost: float = 0.0
    cost_bound: float = 0.0
    engine: str = ""
    mip_capped: bool = False


def _answer_of(
    group: Sequence[RequestTable], outcome: _Outcome | None, built: GroupModel
) -> _GroupAnswer:
    if outcome is None:
        return _GroupAnswer(None)
    final = outcome.built or built  # phase 2 may have answered on a smaller model
    index = {table.request.id: n for n, table in enumerate(group)}
    picks = []
    for table, option, present in chosen(final, final.group, outcome.answer):
        n = index[table.request.id]
        i = next(i for i, o in enumerate(group[n].options) if o is option)
        picks.append((n, i, present))
    return _GroupAnswer(
        tuple(picks),
        outcome.placed_status,
        outcome.cost_status,
        outcome.unplaced,
        outcome.unplaced_bound,
        outcome.cost,
        outcome.cost_bound,
        outcome.engine,
        outcome.mip_capped,
    )


def _solve_bin(
    week: WeekInput,
    groups: Sequence[Sequence[RequestTable]],
    hint: Sequence[Choice],
    budget: float,
    seed: int,
    workers: int,
    polish: bool,
    lns: bool,
    lp: bool,
    mip: bool = True,
) -> list[_GroupAnswer]:
    """``groups`` (smallest first) solved one after the other within ``budget``
    deterministic seconds, each given a share by its size of what is left: what a group
    leaves unused flows on to the groups after it."""
    from asyncfirst.scheduling.lns import improve_group  # they import this module
    from asyncfirst.scheduling.local_search import polish_group

    sizes = [sum(len(t.options) for t in group) for group in groups]
    left = sum(sizes)
    answers: list[_GroupAnswer] = []
    for group, size in zip(groups, sizes, strict=True):
        start = polish_group(week, group, hint) if hint and polish else hint
        built = build_group(week, group, start)
        share = budget * size / max(left, 1)
        left -= size
        started = _complete_hint(built.model) if hint else None

        def repair(model: GroupModel, answer: Any) -> list[Choice] | None:
            picks = chosen(model, model.group, answer)
            better = polish_group(week, model.group, picks)
            same = [(c[0].request.id, c[1].start, c[2]) for c in picks]
            return None if same == [(c[0].request.id, c[1].start, c[2]) for c in better] else better

        def search(answer: Any, budget: float, built: GroupModel = built,
                   group: Sequence[RequestTable] = group
                   ) -> tuple[list[Choice] | None, float]:  # fmt: skip
            found = improve_group(
                week, group, chosen(built, group, answer), budget=budget, seed=seed
            )
            return (found.choices if found.kept else None), found.used

        def rebuild(tables: Sequence[RequestTable], picks: Sequence[Choice],
                    people: frozenset[str] = _seated(group)) -> GroupModel:  # fmt: skip
            return build_group(week, tables, picks, everyone=people)

        outcome = _solve_group(
            built, share, started, seed, workers,
            repair if polish else None,
            search if lns and len(group) >= LNS_MIN_REQUESTS else None,
            rebuild if lp else None,
            mip and lp,
        )  # fmt: skip
        budget = max(0.0, budget - (share if outcome is None else outcome.used))
        answers.append(_answer_of(group, outcome, built))
    return answers


def solve_week_phases(
    week: WeekInput,
    hint: Sequence[Choice] = (),
    *,
    time_limit_s: float = 10.0,
    seed: int = 0,
    workers: int = 1,
    polish: bool = True,
    lns: bool = True,
    lp: bool = True,
    processes: int = 1,
    mip: bool = True,
) -> tuple[Plan, Phases]:
    """``solve_week``'s plan and the account of its two phases (``Phases``); ``polish``
    improves each group's warm start and phase-1 plan by ``local_search.polish_group``;
    ``lp`` bounds phase 2 by its linear relaxation and fixes the starts it proves too
    dear (``week_lp``); ``lns`` runs ``lns.improve_group`` on phase 2's start
    (``LNS_SHARE`` of the share) when there is no relaxation; ``mip`` (with ``lp``) lets
    HiGHS try to prove each group's phase 2 first (``week_mip``).

    ``processes`` > 1 makes each group a task of its own with a fixed share of
    ``time_limit_s`` (its share of the candidate starts; nothing flows between groups),
    handed largest first to a pool of that many forked processes (``group_pool``), each
    solve with ``workers // processes`` CP-SAT workers (at least one). A free process takes
    the next group, so uneven groups even out; a group's plan depends only on its own
    share, so the same seed and settings give the same plan, whichever process ran it and
    when. It is the plan of the same tasks solved here one after the other, not the plan
    of ``processes=1`` (there, every group's unused time flows on to the next)."""
    from asyncfirst.scheduling.group_pool import run_jobs

    began = time.perf_counter()
    placements: list[Placement] = []
    unplaced = [Unplaced(t.request.id, t.reason or "") for t in week.tables if not t.options]
    status, placed_status, cost_status = "OPTIMAL", "OPTIMAL", "OPTIMAL"
    objective = bound = cost = cost_bound = 0.0
    unplaced_found = unplaced_bound = mip_capped = 0
    proven_by: list[str] = []
    groups = components([t for t in week.tables if t.options])
    # smallest groups first: what they prove early flows on to the big ones
    groups.sort(key=lambda group: sum(len(t.options) for t in group))
    sizes = [sum(len(t.options) for t in group) for group in groups]
    answers: dict[int, _GroupAnswer] = {}
    if processes > 1 and len(groups) > 1:
        # imported here, before the pool forks, so that every child inherits the solvers
        # instead of importing them itself (1.8 s each where no bytecode is cached)
        from ortools.linear_solver import pywraplp  # noqa: F401 - for the children, see above
        from ortools.sat.python import cp_model  # noqa: F401 - for the children, see above

        # the longest tasks first: a group the warm start cannot place entirely (phase 1
        # searches before phase 2; on the medium week 7.5 s against 6.2 s for a group
        # with more starts), then by size
        hinted = {table.request.id for table, _, _ in hint}
        needs_phase_1 = [any(t.request.id not in hinted for t in group) for group in groups]
        longest = sorted(range(len(groups)), key=lambda i: (not needs_phase_1[i], -sizes[i], i))
        per_solve = max(1, workers // processes)
        total = max(sum(sizes), 1)

        def job(k: int) -> _GroupAnswer:
            i = longest[k]
            share = time_limit_s * sizes[i] / total
            return _solve_bin(week, [groups[i]], hint, share, seed, per_solve,
                              polish, lns, lp, mip)[0]  # fmt: skip

        answers.update(zip(longest, run_jobs(job, len(longest), processes), strict=True))
    else:
        found = _solve_bin(week, groups, hint, time_limit_s, seed, workers, polish, lns, lp, mip)
        answers.update(enumerate(found))
    for i, group in enumerate(groups):
        outcome = answers[i]
        if outcome.picks is None:
            status = placed_status = cost_status = _worst(status, "UNKNOWN")
            why = "the solver found no plan (UNKNOWN)"
            unplaced += [Unplaced(t.request.id, why) for t in group]
            continue
        placed_status = _worst(placed_status, outcome.placed_status)
        proven_by.append(outcome.engine if outcome.cost_status == "OPTIMAL" else "")
        mip_capped += outcome.mip_capped
        cost_status = _worst(cost_status, outcome.cost_status)
        status = _worst(status, outcome.placed_status, outcome.cost_status)
        unplaced_found += outcome.unplaced
        unplaced_bound += outcome.unplaced_bound
        cost += outcome.cost
        cost_bound += outcome.cost_bound
        objective += UNPLACED_WEIGHT * outcome.unplaced + outcome.cost
        bound += UNPLACED_WEIGHT * outcome.unplaced_bound + outcome.cost_bound
        picks = [(group[n], group[n].options[o], present) for n, o, present in outcome.picks]
        placements += [placement_of(choice) for choice in picks]
        placed = {table.request.id for table, _, _ in picks}
        why = "it cannot fit next to the other meetings under the caps and calendars"
        unplaced += [Unplaced(t.request.id, why) for t in group if t.request.id not in placed]
    order = {t.request.id: n for n, t in enumerate(week.tables)}
    placements.sort(key=lambda p: (p.start, order[p.request_id]))
    plan = Plan(
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
    phases = Phases(
        placed_status, unplaced_found, unplaced_bound, cost_status, cost, cost_bound,
        tuple(proven_by), mip_capped,
    )  # fmt: skip
    return plan, phases
