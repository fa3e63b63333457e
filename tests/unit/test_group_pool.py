"""Groups solved side by side in forked processes: fixed bins, the same plan as the same
bins solved one after the other here, and the same plan on every run."""

from __future__ import annotations

import os
from datetime import date

import pytest

from asyncfirst.domain.hours import WorkingHours
from asyncfirst.domain.model import AsyncBand, Organisation, Person, Team
from asyncfirst.domain.requests import MeetingRequest
from asyncfirst.scheduling import group_pool
from asyncfirst.scheduling.greedy import greedy_choices, objective_of
from asyncfirst.scheduling.plan import Plan
from asyncfirst.scheduling.validator import validate
from asyncfirst.scheduling.week_model import Choice, Phases, components, solve_week_phases
from asyncfirst.scheduling.week_table import WeekInput, build_week

MONDAY = date(2026, 11, 16)
TEAMS = {"par": "Europe/Paris", "nyc": "America/New_York", "tyo": "Asia/Tokyo"}


def org() -> Organisation:
    hours = WorkingHours.office("09:00", "17:00")
    teams = tuple(
        Team(t, t.upper(), z, hours, None, AsyncBand(0.7, 0.95)) for t, z in TEAMS.items()
    )
    people = tuple(
        Person(f"{t}{i}", f"{t}{i}", t, z, hours, None, weekly_sync_cap_minutes=240)
        for t, z in TEAMS.items()
        for i in range(5)
    )
    return Organisation("Three teams", teams, people)


def requests() -> tuple[MeetingRequest, ...]:
    """Per team (one group each, of different sizes) a sync and pairs, crowding the caps."""
    result: list[MeetingRequest] = []
    for n, team in enumerate(TEAMS):
        people = [f"{team}{i}" for i in range(5)]
        result.append(MeetingRequest(f"{team}-sync", "sync", "sync", 60, tuple(people), reason="r"))
        for i in range(3 + n):
            pair = (people[i % 5], people[(i + 1 + n) % 5])
            result.append(MeetingRequest(f"{team}-pair{i}", "1:1", "pair", 45, pair, reason="r"))
    return tuple(result)


def week_input() -> WeekInput:
    return build_week(org(), requests(), MONDAY)


def choices_of(plan: Plan, week: WeekInput) -> list[Choice]:
    tables = {t.request.id: t for t in week.tables}
    result: list[Choice] = []
    for p in plan.placements:
        table = tables[p.request_id]
        option = next(o for o in table.options if o.start == p.start)
        result.append((table, option, tuple(a for a in p.attendees if a not in table.required)))
    return result


def test_bins_are_balanced_fixed_and_cover_every_group() -> None:
    sizes = [5, 40, 7, 33, 12, 12, 1]
    bins = group_pool.bins_of(sizes, 2)
    assert sorted(i for b in bins for i in b) == list(range(len(sizes)))
    totals = [sum(sizes[i] for i in b) for b in bins]
    assert sum(totals) == 110 and max(totals) - min(totals) <= 5  # largest first
    assert bins == group_pool.bins_of(sizes, 2)
    assert all(b == sorted(b) for b in bins)
    assert group_pool.bins_of([3, 4], 5) == [[1], [0]]  # never an empty bin
    assert group_pool.bins_of([], 2) == []


def test_bins_run_in_child_processes_in_order() -> None:
    found = group_pool.run_bins(lambda i: (i * i, os.getpid()), 3, processes=2)
    assert [square for square, _ in found] == [0, 1, 4]
    assert all(pid != os.getpid() for _, pid in found)
    here = group_pool.run_bins(lambda i: (i * i, os.getpid()), 3, processes=1)
    assert here == [(0, os.getpid()), (1, os.getpid()), (4, os.getpid())]


def _solve(week: WeekInput, hint: list[Choice]) -> tuple[Plan, Phases]:
    # CP-SAT alone in phase 2: the bins are under test here, not HiGHS's MIP (week_mip)
    return solve_week_phases(week, hint, time_limit_s=3, seed=2, workers=2, processes=2, mip=False)


def test_parallel_groups_give_the_plan_of_the_same_bins_solved_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    week = week_input()
    assert len(components([t for t in week.tables if t.options])) == 3
    hint, _ = greedy_choices(week)
    forked = [_solve(week, hint) for _ in range(2)]
    assert forked[0][0].placements == forked[1][0].placements
    assert forked[0][1] == forked[1][1]
    # without fork the bins run one after the other in this process
    monkeypatch.setattr(group_pool.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    here = _solve(week, hint)
    assert here[0].placements == forked[0][0].placements
    assert here[1] == forked[0][1]
    plan, phases = here
    assert validate(plan, org(), requests(), week=MONDAY).violations == []
    assert plan.objective == pytest.approx(objective_of(week, choices_of(plan, week)))
    assert phases.cost_bound <= phases.cost
    assert plan.components == 3
