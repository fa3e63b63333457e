"""Benchmark: the week planner against a poll tool and greedy, on realistic organisations.

For each size (``_planner_org``: about 50 people / 40 meetings, 500 / 400, 5,000 / 4,000)
in one run, on the same candidate table:

- **naive**: what a person does with a poll tool: in request order, the first start on the
  allowed days where every required attendee is inside their weekly hours and free in
  their calendar; failing that, the first inside the organiser's hours where everyone is
  free. It knows no public holidays, meeting-free days, focus blocks or caps;
- **greedy**: ``greedy_plan`` (hardest meeting first, cheapest start that still fits);
- **CP-SAT**: ``solve_week_phases`` warm-started from greedy, decomposed by connected
  groups, two phases per group (most placed, then least cost); the gap column is on the
  cost, the objective without the unplaced penalty of phase 1's proven minimum.

Every plan goes through the validator; for greedy and CP-SAT the validator must find no
violation and agree with the solver's accounting (each person's burden, and the objective
recounted from the placements by ``objective_of``). The metrics are recomputed here from
the placements alone (``evaluate`` per attendee), not read from the solver.

``--rolling`` runs the 12-week track (two daylight-saving changes in Europe and the US,
one in Sydney, Golden Week): the slot the planner picks in week 1, kept at the same
organiser-local time every week, against the planner re-run each week with the burden
ledger; it prints the gap between the zones' average cumulative burden each week.

    uv run --no-sync python bench/planner.py [--size small|medium|large|all] [--seed 1]
        [--time-limit S] [--workers 2] [--processes N] [--no-lp] [--rolling] [--strict]
"""

from __future__ import annotations

import argparse
import gc
import resource
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from _planner_org import SIZES, BenchOrg, bench_org, busy_for

from asyncfirst.domain.intervals import Interval, subtract
from asyncfirst.domain.model import Organisation
from asyncfirst.domain.requests import GRID_MINUTES
from asyncfirst.domain.schedule import WorkSchedule
from asyncfirst.domain.worktime import working_time
from asyncfirst.scheduling.constraints import COST_SCALE, FOCUS_STRETCH_MINUTES, UNPLACED_WEIGHT
from asyncfirst.scheduling.constraints import out_of_hours_cost as band_cost
from asyncfirst.scheduling.greedy import (
    greedy_choices,
    greedy_plan,
    objective_of,
    zone_rotation_of,
)
from asyncfirst.scheduling.inconvenience import PersonProfile, evaluate, person_profile
from asyncfirst.scheduling.ledger import BurdenLedger
from asyncfirst.scheduling.plan import Placement, Plan, Unplaced
from asyncfirst.scheduling.validator import validate
from asyncfirst.scheduling.week_model import (
    Phases,
    choices_of,
    solve_week,
    solve_week_phases,
)
from asyncfirst.scheduling.week_table import WeekInput, build_week

DEFAULT_LIMITS = {"small": 10.0, "medium": 10.0, "large": 120.0}
ROLLING_START = date(2026, 2, 23)
ROLLING_WEEKS = 12
UTC = ZoneInfo("UTC")


def rss_mib() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the naive plan -------------------------------------------------------------------


def _weekly_hours(org: Organisation, week: date) -> dict[str, list[Interval]]:
    """Each person's weekly hours as a poll tool sees them: no holidays, no time off."""
    start = datetime.combine(week - timedelta(days=2), datetime.min.time(), UTC)
    end = start + timedelta(days=11)
    return {p.id: working_time(WorkSchedule(p.zone, p.hours, None), start, end) for p in org.people}


def _inside(spans: Sequence[Interval], iv: Interval) -> bool:
    return any(s.start <= iv.start and iv.end <= s.end for s in spans)


def _free(spans: Sequence[Interval], iv: Interval) -> bool:
    return not any(s.start < iv.end and iv.start < s.end for s in spans)


def _first_free(
    starts: Sequence[datetime],
    duration: timedelta,
    required: Sequence[str],
    hours: Mapping[str, Sequence[Interval]],
    taken: Mapping[str, Sequence[Interval]],
    *,
    everyone: bool,
) -> Interval | None:
    """The first start where the required people are free, and inside the weekly hours of
    all of them (``everyone``) or of the organiser only."""
    inside = required if everyone else required[:1]
    for s in starts:
        iv = Interval(s, s + duration)
        if all(_inside(hours[p], iv) for p in inside) and all(
            _free(taken[p], iv) for p in required
        ):
            return iv
    return None


def naive_plan(bench: BenchOrg, week: WeekInput, busy: Mapping[str, Sequence[Interval]]) -> Plan:
    """The first free start per request, in request order (see the module docstring)."""
    began = time.perf_counter()
    org, hours = bench.org, _weekly_hours(bench.org, week.week)
    taken: dict[str, list[Interval]] = {p.id: list(busy.get(p.id, ())) for p in org.people}
    profiles: dict[str, PersonProfile] = {}
    placements, unplaced = [], []
    for table in week.tables:
        request, required = table.request, table.required
        organiser = org.person(required[0])
        tz = ZoneInfo(organiser.zone)
        first = datetime.combine(week.week, datetime.min.time(), tz).astimezone(UTC)
        duration = timedelta(minutes=request.duration_minutes)
        starts = [first + timedelta(minutes=GRID_MINUTES * k) for k in range(7 * 96)]
        starts = [
            s
            for s in starts
            if s.astimezone(tz).weekday() in request.days
            and (s + duration - timedelta(minutes=1)).astimezone(tz).weekday() in request.days
        ]

        iv = _first_free(starts, duration, required, hours, taken, everyone=True) or _first_free(
            starts, duration, required, hours, taken, everyone=False
        )
        if iv is None:
            unplaced.append(Unplaced(request.id, "no common free start (go async)"))
            continue
        present = tuple(p for p in table.optional if _inside(hours[p], iv) and _free(taken[p], iv))
        attendees = (*required, *present)
        burden = []
        for p in attendees:
            taken[p].append(iv)
            if p not in profiles:
                profiles[p] = person_profile(
                    org.person(p), iv.start - timedelta(days=9), iv.end + timedelta(days=9),
                    busy.get(p, ()),
                )  # fmt: skip
            cost = evaluate(profiles[p], iv)
            burden.append((p, round(band_cost(cost.bands) * COST_SCALE) / COST_SCALE))
        missing = tuple(p for p in table.optional if p not in present)
        placements.append(
            Placement(
                request.id, table.occurrence, iv.start, iv.end, attendees, missing, tuple(burden)
            )
        )
    placements.sort(key=lambda p: p.start)
    return Plan(
        week.week,
        tuple(placements),
        tuple(unplaced),
        status="NAIVE",
        wall_seconds=time.perf_counter() - began,
        solver="manual",
    )


# --- metrics, recomputed from the placements --------------------------------------------


@dataclass
class Row:
    name: str
    violations: int
    go_async: int
    unplaced: int
    out_total: float
    out_worst: float
    burden_worst: float
    zone_gap: float
    focus: float
    seconds: float
    rss: float
    objective: float | None
    gap: float | None
    status: str


def metrics(
    name: str,
    plan: Plan,
    bench: BenchOrg,
    week: WeekInput,
    busy: Mapping[str, Sequence[Interval]],
    ledger: BurdenLedger,
    seconds: float,
    bound: float | None,
    unplaced_bound: int = 0,
) -> tuple[Row, dict[str, float]]:
    """The row of ``plan``; also each person's burden (inconvenience) this week. The gap is
    on the cost (the objective without the ``UNPLACED_WEIGHT`` term of the proven minimum
    of unplaced occurrences, ``unplaced_bound``): the two-phase solve's phase-2 gap."""
    org = bench.org
    window = (
        min(p.start for p in plan.placements) - timedelta(days=1),
        max(p.end for p in plan.placements) + timedelta(days=1),
    )
    meetings: dict[str, list[Interval]] = {}
    out: dict[str, float] = {}
    burden: dict[str, float] = {}
    profiles: dict[str, PersonProfile] = {}
    for placement in plan.placements:
        iv = Interval(placement.start, placement.end)
        for p in placement.attendees:
            if p not in profiles:
                profiles[p] = person_profile(org.person(p), *window, busy.get(p, ()))
            cost = evaluate(profiles[p], iv)
            out[p] = out.get(p, 0.0) + cost.outside_minutes
            burden[p] = burden.get(p, 0.0) + band_cost(cost.bands)
            meetings.setdefault(p, []).append(iv)
    focus = 0.0
    for p, ivs in meetings.items():
        pr = profiles[p]
        free = subtract(list(pr.working.intervals), list(pr.busy.intervals))
        before = sum(f.minutes for f in free if f.minutes >= FOCUS_STRETCH_MINUTES)
        after = sum(f.minutes for f in subtract(free, ivs) if f.minutes >= FOCUS_STRETCH_MINUTES)
        focus += before - after
    zone_people: dict[str, list[str]] = {}
    for person in org.people:
        zone_people.setdefault(person.zone, []).append(person.id)
    averages = [
        sum(ledger.carried(p) + burden.get(p, 0.0) for p in ids) / len(ids)
        for ids in zone_people.values()
    ]
    go_async = sum(1 for t in week.tables if not t.options)
    report = validate(plan, org, bench.requests, busy, week.week, ledger)
    objective = plan.objective if plan.solver != "manual" else None
    gap = None
    if objective is not None and bound is not None:
        gap = (objective - bound) / max(1.0, abs(objective - UNPLACED_WEIGHT * unplaced_bound))
    row = Row(
        name,
        len(report.violations),
        go_async,
        len(plan.unplaced),
        sum(out.values()),
        max(out.values(), default=0.0),
        max(burden.values(), default=0.0),
        max(averages) - min(averages),
        focus,
        seconds,
        rss_mib(),
        objective,
        gap,
        plan.status,
    )
    _agree(name, plan, report.violations, report.inconvenience, burden, week)
    if plan.solver != "manual":  # the validator counts the zone rotation as the objective does
        rotation = zone_rotation_of(week, choices_of(plan, week))
        assert report.zone_rotation == rotation, (name, report.zone_rotation, rotation)
    return row, burden


def _agree(
    name: str,
    plan: Plan,
    violations: Sequence[object],
    validator_burden: Mapping[str, float],
    burden: Mapping[str, float],
    week: WeekInput,
) -> None:
    """The validator, the recount here and the solver's accounting must agree."""
    for p, cost in burden.items():
        assert abs(validator_burden.get(p, 0.0) - cost) < 1e-6, (name, p)
    if plan.solver == "manual":
        return
    assert not violations, f"{name}: the validator found {violations[:3]}"
    solver_burden: dict[str, float] = {}
    count: dict[str, int] = {}
    for placement in plan.placements:
        for p, cost in placement.burden:
            solver_burden[p] = solver_burden.get(p, 0.0) + cost
            count[p] = count.get(p, 0) + 1
    for p, cost in solver_burden.items():
        tolerance = count[p] / (2 * COST_SCALE) + 1e-9  # each seat's points are rounded
        assert abs(validator_burden[p] - cost) <= tolerance, (name, p, cost, validator_burden[p])
    recount = objective_of(week, choices_of(plan, week))
    assert abs(recount - plan.objective) < 0.5, (name, recount, plan.objective)


# --- one size -------------------------------------------------------------------------


def run_size(
    size: str, seed: int, limit: float, workers: int, lp: bool = True, processes: int = 1,
    mip: bool = True,
) -> list[Row]:  # fmt: skip
    began = time.perf_counter()
    bench, spec = bench_org(size, seed)
    week = build_week(bench.org, bench.requests, spec.week, busy=bench.busy, ledger=bench.ledger)
    build_s = time.perf_counter() - began
    build_rss = rss_mib()
    tables = [t for t in week.tables if t.options]
    print(
        f"\n### {size}: {len(bench.org.people):,} people, {len(bench.requests):,} meetings, "
        f"{len(bench.offices)} offices, {bench.departments} departments, "
        f"{bench.divisions} divisions; week of {spec.week} ({spec.why})"
    )
    print(
        f"candidate table: {sum(len(t.options) for t in tables):,} starts for "
        f"{len(tables):,} meetings, built in {build_s:.1f} s (peak RSS {build_rss:,.0f} MiB); "
        f"{len(week.tables) - len(tables)} meetings have no feasible start at all (go async)"
    )
    t0 = time.perf_counter()
    naive = naive_plan(bench, week, bench.busy)
    naive_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    greedy = greedy_plan(week)
    greedy_s = time.perf_counter() - t0
    greedy_row_rss = rss_mib()
    t0 = time.perf_counter()
    choices, _ = greedy_choices(week)
    plan, phases = solve_week_phases(
        week, choices, time_limit_s=limit, seed=seed, workers=workers, lp=lp, processes=processes,
        mip=mip,
    )  # fmt: skip
    # the greedy warm start is computed inside the timed span (until 2026-11-28 the
    # greedy row's own time was added on top: the start counted twice)
    cp_s = time.perf_counter() - t0
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"CP-SAT: {processes} process(es); peak RSS here {rss_mib():,.0f} MiB, "
          f"largest child {child:,.0f} MiB")  # fmt: skip
    gc.collect()
    rows = []
    for name, p, seconds in (
        ("naive (poll tool)", naive, naive_s),
        ("greedy", greedy, greedy_s),
        ("CP-SAT", plan, cp_s),
    ):
        row, _ = metrics(
            name, p, bench, week, bench.busy, bench.ledger, seconds, plan.bound,
            phases.unplaced_bound,
        )  # fmt: skip
        rows.append(row)
    rows[1].rss = greedy_row_rss
    print(f"components (connected groups of attendees): {plan.components}")
    print_table(rows)
    print_phases(phases)
    return rows


def print_phases(phases: Phases) -> None:
    print(
        f"phase 1 (most placed): {phases.placed_status}, {phases.unplaced} unplaced "
        f"(proven minimum {phases.unplaced_bound}); phase 2 (least cost at that count): "
        f"{phases.cost_status}, cost {phases.cost:,.0f}, bound {phases.cost_bound:,.0f}, "
        f"gap {100 * phases.cost_gap:.2f} %; proven per group by "
        f"{', '.join(e or 'none' for e in phases.proven_by)}"
        + (f"; MIP wall-clock cap hit in {phases.mip_capped} group(s)" if phases.mip_capped else "")
    )


def _fmt(value: float | None, spec: str = ",.0f") -> str:
    return "—" if value is None else format(value, spec)


def print_table(rows: Sequence[Row]) -> None:
    head = (
        "| plan | hard violations | go async | unplaced (incl. go async) | out-of-hours min "
        "total | worst person min | worst person burden | zone gap (avg burden) | "
        "focus min destroyed | wall s | peak RSS MiB | objective | cost gap to bound | status |"
    )
    print(head)
    print("|" + "---|" * 14)
    for r in rows:
        print(
            f"| {r.name} | {r.violations} | {r.go_async} | {r.unplaced} | {r.out_total:,.0f} | "
            f"{r.out_worst:,.0f} | {r.burden_worst:,.0f} | {r.zone_gap:,.1f} | {r.focus:,.0f} | "
            f"{r.seconds:.1f} | {r.rss:,.0f} | {_fmt(r.objective)} | "
            f"{_fmt(None if r.gap is None else 100 * r.gap, '.2f')}{'' if r.gap is None else ' %'} "
            f"| {r.status} |"
        )
    naive, cp = rows[0], rows[-1]
    if naive.burden_worst:
        cut = 1 - cp.burden_worst / naive.burden_worst
        print(f"worst-person burden, CP-SAT vs naive: {100 * cut:+.0f} % lower")


# --- the rolling track ------------------------------------------------------------------


def _fixed(
    plan: Plan, bench: BenchOrg, week: WeekInput, busy: Mapping[str, Sequence[Interval]]
) -> Plan:
    """``plan``'s starts moved to ``week`` at the same organiser-local weekday and time."""
    org = bench.org
    tables = {t.request.id: t for t in week.tables}
    placements = []
    profiles: dict[str, PersonProfile] = {}
    start = datetime.combine(week.week, datetime.min.time(), UTC) - timedelta(days=2)
    for p in plan.placements:
        table = tables.get(p.request_id)
        if table is None:
            continue
        tz = ZoneInfo(org.person(table.required[0]).zone)
        local = p.start.astimezone(tz)
        day = week.week + timedelta(days=local.weekday())
        moved = datetime.combine(day, local.time(), tz).astimezone(UTC)
        end = moved + (p.end - p.start)
        burden = []
        for person in p.attendees:
            if person not in profiles:
                profiles[person] = person_profile(
                    org.person(person), start, start + timedelta(days=11), busy.get(person, ())
                )
            cost = evaluate(profiles[person], Interval(moved, end))
            burden.append((person, round(band_cost(cost.bands) * COST_SCALE) / COST_SCALE))
        placements.append(
            Placement(
                p.request_id, table.occurrence, moved, end, p.attendees, p.missing_optional,
                tuple(burden),
            )
        )  # fmt: skip
    return Plan(week.week, tuple(placements), status="FIXED", solver="manual")


def _zone_gap(org: Organisation, ledger: BurdenLedger) -> tuple[float, str, str]:
    zones: dict[str, list[float]] = {}
    for person in org.people:
        zones.setdefault(person.zone, []).append(ledger.carried(person.id))
    averages = {z: sum(v) / len(v) for z, v in zones.items()}
    high = max(averages, key=lambda z: averages[z])
    low = min(averages, key=lambda z: averages[z])
    return averages[high] - averages[low], high, low


def _zone_averages(org: Organisation, ledger: BurdenLedger) -> str:
    zones: dict[str, list[float]] = {}
    for person in org.people:
        zones.setdefault(person.zone, []).append(ledger.carried(person.id))
    averages = {z.rsplit("/", 1)[-1].replace("_", " "): sum(v) / len(v) for z, v in zones.items()}
    return ", ".join(f"{z} {a:,.1f}" for z, a in sorted(averages.items(), key=lambda x: x[1]))


def _cost_to_shrink(week: WeekInput, ledger: BurdenLedger, placed: int, limit: float) -> str:
    """What it would have cost to shrink the zone gap this week: the least burden
    (inconvenience, every placed seat) of *any* plan of ``week`` that breaks no hard rule,
    places at least ``placed`` occurrences and leaves the gap (as ``_zone_gap``) strictly
    below the ledger's, proven by CP-SAT; or that no such plan exists."""
    import math

    from ortools.sat.python import cp_model

    from asyncfirst.scheduling.constraints import (
        Seat,
        no_double_booking,
        under_daily_cap,
        under_weekly_cap,
    )

    org, scale = week.org, 20  # ledger values are multiples of 0.05, points of 0.25
    zone_of = {p.id: p.zone for p in org.people}
    model = cp_model.CpModel()
    seats: dict[str, list[Seat]] = {}
    burden: dict[str, list[tuple[object, int]]] = {}
    starts = []
    for table in (t for t in week.tables if t.options):
        xs = [model.new_bool_var("") for _ in table.options]
        model.add(sum(xs) <= 1)
        starts += xs
        for var, option in zip(xs, table.options, strict=True):
            for person in (*table.required, *option.optional_ok):
                seat = var
                if person not in table.required:
                    seat = model.new_bool_var("")
                    model.add_implication(seat, var)
                days = option.local_days[person]
                seats.setdefault(person, []).append(Seat(seat, option.start, option.end, days))
                if option.points[person]:
                    burden.setdefault(zone_of[person], []).append((seat, option.points[person]))
    for person, mine in seats.items():
        who = org.person(person)
        no_double_booking(model, person, mine)
        under_daily_cap(model, person, who.daily_sync_cap_minutes, mine)
        under_weekly_cap(model, person, who.weekly_sync_cap_minutes, mine)
    model.add(sum(starts) >= placed)
    size: dict[str, int] = {}
    carried: dict[str, int] = {}
    for person in org.people:
        size[person.zone] = size.get(person.zone, 0) + 1
        points = round(ledger.carried(person.id) * scale)
        carried[person.zone] = carried.get(person.zone, 0) + points
    common = math.lcm(*size.values())
    before = [carried[z] * common // n for z, n in size.items()]
    top = common * (max(carried.values()) + scale * sum(w for t in burden.values() for _, w in t))
    high, low = model.new_int_var(0, top, "high"), model.new_int_var(0, top, "low")
    for zone, members in size.items():
        total = carried[zone] + sum(v * (w * scale // COST_SCALE) for v, w in burden.get(zone, []))
        model.add(high * members >= total * common)  # high ≥ every zone's average
        model.add(low * members <= total * common)
    model.add(high - low <= max(before) - min(before) - 1)  # strictly below last week's gap
    model.minimize(sum(v * w for terms in burden.values() for v, w in terms))
    solver = cp_model.CpSolver()
    solver.parameters.max_deterministic_time = limit
    solver.parameters.num_workers = 2
    code = solver.solve(model)
    if code == cp_model.INFEASIBLE:
        return "no plan under the hard rules shrinks it"
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return "not decided within the limit"
    exact = "" if code == cp_model.OPTIMAL else " (lower bound)"
    return f"the cheapest plan that shrinks it has burden {solver.best_objective_bound / COST_SCALE:,.0f}{exact}"


def rolling(size: str, seed: int, limit: float, workers: int) -> None:
    """The 12-week track; for the ledger-aware plan the validator and the objective must
    agree with the solver's accounting every week (``metrics``), as on the sizes."""
    bench, _ = bench_org(size, seed)
    org = bench.org
    print(
        f"\n### 12-week rolling track: {size} ({len(org.people)} people, "
        f"{len(bench.requests)} meetings), from the week of {ROLLING_START}"
    )
    gap0, high, low = _zone_gap(org, bench.ledger)
    print(f"start: zone gap {gap0:,.1f} (highest {high}, lowest {low}) from the earlier weeks")
    print(f"zone burden per member: {_zone_averages(org, bench.ledger)}")
    print("| week | fixed slot: zone gap | fixed: hard violations | fixed: out-of-hours min | "
          "ledger-aware: zone gap | ledger-aware: hard violations | ledger-aware: out-of-hours "
          "min | ledger-aware: status | change vs last week |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    fixed_ledger = aware_ledger = BurdenLedger(person=bench.ledger.person, zone=bench.ledger.zone)
    first: Plan | None = None
    last = gap0
    shrinking = 0
    out_fixed = out_aware = burden_fixed = burden_aware = 0.0
    grew: list[str] = []
    began = time.perf_counter()
    for k in range(ROLLING_WEEKS):
        monday = ROLLING_START + timedelta(weeks=k)
        busy = busy_for(org, monday, seed)
        week = build_week(org, bench.requests, monday, busy=busy, ledger=aware_ledger)
        choices, _ = greedy_choices(week)
        plan = solve_week(week, choices, time_limit_s=limit, seed=seed, workers=workers)
        aware, _ = metrics("ledger-aware", plan, bench, week, busy, aware_ledger, 0.0, None)
        assert aware.violations == 0, f"{monday}: {aware.violations} violations"
        if first is None:
            first = plan
        fixed_week = build_week(org, bench.requests, monday, busy=busy, ledger=fixed_ledger)
        fixed = _fixed(first, bench, fixed_week, busy)
        fixed_row, _ = metrics("fixed", fixed, bench, fixed_week, busy, fixed_ledger, 0.0, None)
        before, aware_ledger = aware_ledger, aware_ledger.updated(plan, org)
        fixed_ledger = fixed_ledger.updated(fixed, org)
        gap_fixed = _zone_gap(org, fixed_ledger)[0]
        gap_aware = _zone_gap(org, aware_ledger)[0]
        shrinking += gap_aware < last
        week_burden = sum(c for p in plan.placements for _, c in p.burden)
        if gap_aware >= last:
            why = _cost_to_shrink(week, before, len(plan.placements), limit)
            grew.append(f"{monday}: grew by {gap_aware - last:+,.1f} with burden "
                        f"{week_burden:,.0f}; {why}")  # fmt: skip
        out_fixed += fixed_row.out_total
        out_aware += aware.out_total
        burden_fixed += sum(c for p in fixed.placements for _, c in p.burden)
        burden_aware += week_burden
        print(
            f"| {monday} | {gap_fixed:,.1f} | {fixed_row.violations} | {fixed_row.out_total:,.0f} "
            f"| {gap_aware:,.1f} | {aware.violations} | {aware.out_total:,.0f} | {plan.status} "
            f"| {gap_aware - last:+,.1f} |"
        )
        last = gap_aware
    print(f"ledger-aware zone gap shrank in {shrinking} of {ROLLING_WEEKS} weeks")
    for line in grew:
        print(f"- {line}")
    print(
        f"over the {ROLLING_WEEKS} weeks: out-of-hours minutes fixed slot {out_fixed:,.0f}, "
        f"ledger-aware {out_aware:,.0f}; burden (inconvenience) fixed slot {burden_fixed:,.0f}, "
        f"ledger-aware {burden_aware:,.0f}; {time.perf_counter() - began:.0f} s"
    )
    print(f"zone burden per member after: {_zone_averages(org, aware_ledger)} (ledger-aware), "
          f"{_zone_averages(org, fixed_ledger)} (fixed slot)")  # fmt: skip


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=[*SIZES, "all"], default="all")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rolling", action="store_true", help="the 12-week track instead")
    parser.add_argument("--rolling-size", choices=list(SIZES), default="small")
    parser.add_argument("--no-lp", action="store_true", help="phase 2 without the LP bound")
    parser.add_argument("--no-mip", action="store_true", help="phase 2 without HiGHS's MIP")
    parser.add_argument(
        "--processes", type=int, default=None, help="groups solved side by side (default: workers)"
    )
    args = parser.parse_args(argv)
    if args.rolling:
        rolling(args.rolling_size, args.seed, args.time_limit or 5.0, args.workers)
        return 0
    if args.size == "all":  # each size in its own process, so peak memory is its own
        code = 0
        for size in SIZES:
            extra = [] if args.time_limit is None else ["--time-limit", str(args.time_limit)]
            extra += ["--no-lp"] if args.no_lp else []
            extra += ["--no-mip"] if args.no_mip else []
            extra += [] if args.processes is None else ["--processes", str(args.processes)]
            cmd = [sys.executable, str(Path(__file__)), "--size", size, "--seed", str(args.seed),
                   "--workers", str(args.workers), *extra]  # fmt: skip
            code |= subprocess.call(cmd)  # noqa: S603 - this script
        return code
    limit = args.time_limit or DEFAULT_LIMITS[args.size]
    processes = args.workers if args.processes is None else args.processes
    print(
        f"seed {args.seed}, time limit {limit:g} s (deterministic), {args.workers} workers, "
        f"{processes} process(es) for the groups"
    )
    run_size(args.size, args.seed, limit, args.workers, lp=not args.no_lp, processes=processes,
             mip=not args.no_mip)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
