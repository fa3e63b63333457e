"""Groups solved side by side in forked processes: one task per group with a fixed share,
the same plan as the same tasks solved one after the other here, on every run and for any
number of processes."""

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
from asyncfirst.scheduling.week_model import (
    Choice,
    Phases,
    choices_of,
    components,
    solve_week_phases,
)
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


def test_jobs_run_in_child_processes_and_come_back_in_order() -> None:
    found = group_pool.run_jobs(lambda i: (i * i, os.getpid()), 3, processes=2)
    assert [square for square, _ in found] == [0, 1, 4]
    assert all(pid != os.getpid() for _, pid in found)
    here = group_pool.run_jobs(lambda i: (i * i, os.getpid()), 3, processes=1)
    assert here == [(0, os.getpid()), (1, os.getpid()), (4, os.getpid())]


def _solve(week: WeekInput, hint: list[Choice], processes: int = 2) -> tuple[Plan, Phases]:
    # CP-SAT alone in phase 2: the pool is under test here, not HiGHS's MIP (week_mip)
    return solve_week_phases(
        week, hint, time_limit_s=3, seed=2, workers=2, processes=processes, mip=False
    )


def test_parallel_groups_give_the_plan_of_the_same_tasks_solved_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    week = week_input()
    assert len(components([t for t in week.tables if t.options])) == 3
    hint, _ = greedy_choices(week)
    forked = [_solve(week, hint) for _ in range(2)]
    assert forked[0][0].placements == forked[1][0].placements
    assert forked[0][1] == forked[1][1]
    # three processes for three groups: the same tasks (one CP-SAT worker each), same plan
    assert _solve(week, hint, processes=3)[0].placements == forked[0][0].placements
    # without fork the tasks run one after the other in this process
    monkeypatch.setattr(group_pool.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    here = _solve(week, hint)
    assert here[0].placements == forked[0][0].placements
    assert here[1] == forked[0][1]
    plan, phases = here
    assert validate(plan, org(), requests(), week=MONDAY).violations == []
    assert plan.objective == pytest.approx(objective_of(week, choices_of(plan, week)))
    assert phases.cost_bound <= phases.cost
    assert plan.components == 3
