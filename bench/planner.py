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
        [--time-limit S] [--workers 2] [--rolling] [--strict]
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
from asyncfirst.scheduling.greedy import greedy_choices, greedy_plan, objective_of
from asyncfirst.scheduling.inconvenience import PersonProfile, evaluate, person_profile
from asyncfirst.scheduling.ledger import BurdenLedger
from asyncfirst.scheduling.plan import Placement, Plan, Unplaced
from asyncfirst.scheduling.validator import validate
from asyncfirst.scheduling.week_model import Choice, Phases, solve_week, solve_week_phases
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
    return row, burden


def _choices(plan: Plan, week: WeekInput) -> list[Choice]:
    tables = {t.request.id: t for t in week.tables}
    result: list[Choice] = []
    for placement in plan.placements:
        table = tables[placement.request_id]
        option = next(o for o in table.options if o.start == placement.start)
        present = tuple(p for p in placement.attendees if p not in table.required)
        result.append((table, option, present))
    return result


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
    recount = objective_of(week, _choices(plan, week))
    assert abs(recount - plan.objective) < 0.5, (name, recount, plan.objective)


# --- one size -------------------------------------------------------------------------


def run_size(size: str, seed: int, limit: float, workers: int) -> list[Row]:
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
    plan, phases = solve_week_phases(week, choices, time_limit_s=limit, seed=seed, workers=workers)
    cp_s = time.perf_counter() - t0 + greedy_s
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
        f"gap {100 * phases.cost_gap:.2f} %"
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


def rolling(size: str, seed: int, limit: float, workers: int) -> None:
    bench, _ = bench_org(size, seed)
    org = bench.org
    print(
        f"\n### 12-week rolling track: {size} ({len(org.people)} people, "
        f"{len(bench.requests)} meetings), from the week of {ROLLING_START}"
    )
    gap0, high, low = _zone_gap(org, bench.ledger)
    print(f"start: zone gap {gap0:,.1f} (highest {high}, lowest {low}) from the earlier weeks")
    print("| week | fixed slot: zone gap | fixed: hard violations | ledger-aware: zone gap | "
          "ledger-aware: hard violations | ledger-aware: status | change vs last week |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    fixed_ledger = aware_ledger = BurdenLedger(person=bench.ledger.person, zone=bench.ledger.zone)
    first: Plan | None = None
    last = gap0
    shrinking = 0
    for k in range(ROLLING_WEEKS):
        monday = ROLLING_START + timedelta(weeks=k)
        busy = busy_for(org, monday, seed)
        week = build_week(org, bench.requests, monday, busy=busy, ledger=aware_ledger)
        choices, _ = greedy_choices(week)
        plan = solve_week(week, choices, time_limit_s=limit, seed=seed, workers=workers)
        aware_report = validate(plan, org, bench.requests, busy, monday, aware_ledger)
        assert aware_report.ok, aware_report.violations[:3]
        if first is None:
            first = plan
        fixed_week = build_week(org, bench.requests, monday, busy=busy, ledger=fixed_ledger)
        fixed = _fixed(first, bench, fixed_week, busy)
        fixed_report = validate(fixed, org, bench.requests, busy, monday, fixed_ledger)
        aware_ledger = aware_ledger.updated(plan, org)
        fixed_ledger = fixed_ledger.updated(fixed, org)
        gap_fixed = _zone_gap(org, fixed_ledger)[0]
        gap_aware = _zone_gap(org, aware_ledger)[0]
        shrinking += gap_aware < last
        print(
            f"| {monday} | {gap_fixed:,.1f} | {len(fixed_report.violations)} | {gap_aware:,.1f} | "
            f"{len(aware_report.violations)} | {plan.status} | {gap_aware - last:+,.1f} |"
        )
        last = gap_aware
    print(f"ledger-aware zone gap shrank in {shrinking} of {ROLLING_WEEKS} weeks")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=[*SIZES, "all"], default="all")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rolling", action="store_true", help="the 12-week track instead")
    parser.add_argument("--rolling-size", choices=list(SIZES), default="small")
    args = parser.parse_args(argv)
    if args.rolling:
        rolling(args.rolling_size, args.seed, args.time_limit or 5.0, args.workers)
        return 0
    if args.size == "all":  # each size in its own process, so peak memory is its own
        code = 0
        for size in SIZES:
            extra = [] if args.time_limit is None else ["--time-limit", str(args.time_limit)]
            cmd = [sys.executable, str(Path(__file__)), "--size", size, "--seed", str(args.seed),
                   "--workers", str(args.workers), *extra]  # fmt: skip
            code |= subprocess.call(cmd)  # noqa: S603 - this script
        return code
    limit = args.time_limit or DEFAULT_LIMITS[args.size]
    print(f"seed {args.seed}, time limit {limit:g} s (deterministic), {args.workers} workers")
    run_size(args.size, args.seed, limit, args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
