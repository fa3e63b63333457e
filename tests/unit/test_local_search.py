"""The local search (``local_search.polish``), the neighbourhood search wired into the
solve (``lns.improve_group``) and the cost floor: never worse than their start, exact in
their accounting (the same objective as ``greedy.objective_of``), deterministic, and the
floor never above a proven optimum."""

from __future__ import annotations

from datetime import date

import pytest

from asyncfirst.domain.model import Organisation
from asyncfirst.scheduling.greedy import greedy_choices, objective_of
from asyncfirst.scheduling.lns import improve_group
from asyncfirst.scheduling.local_search import GroupState, polish, polish_group
from asyncfirst.scheduling.plan import Plan
from asyncfirst.scheduling.validator import validate
from asyncfirst.scheduling.week_model import (
    Choice,
    build_group,
    components,
    placement_of,
    solve_week_phases,
)
from asyncfirst.scheduling.week_table import WeekInput, build_week
from asyncfirst.services.planning import load_requests
from tests.unit.test_week_model_phases import MONDAY, org, requests, week_input

DEMO_WEEK = date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo_week(demo_org: Organisation) -> WeekInput:
    return build_week(demo_org, load_requests("demo", demo_org), DEMO_WEEK)


def keys(choices: list[Choice]) -> list[tuple[str, object, tuple[str, ...]]]:
    return sorted((c[0].request.id, c[1].start, c[2]) for c in choices)


def group_value(week: WeekInput, group: list, choices: list[Choice]) -> int:  # type: ignore[type-arg]
    state = GroupState(week, group)
    for choice in choices:
        state.book(choice, +1)
    return state.objective({c[0].request.id: c for c in choices})


def test_polish_is_never_worse_than_greedy_and_stays_valid(
    demo_week: WeekInput, demo_org: Organisation
) -> None:
    start, _ = greedy_choices(demo_week)
    better = polish(demo_week, start)
    assert objective_of(demo_week, better) <= objective_of(demo_week, start)
    assert keys(polish(demo_week, start)) == keys(better)  # deterministic
    plan = Plan(DEMO_WEEK, tuple(placement_of(c) for c in better), solver="cp-sat")
    report = validate(plan, demo_org, load_requests("demo", demo_org), week=DEMO_WEEK)
    assert report.violations == []


def test_one_move_cannot_trade_a_long_meeting_for_two_the_neighbourhood_can() -> None:
    week = week_input()
    start, unplaced = greedy_choices(week)
    assert len(unplaced) == 2  # "long" took Ana's weekly cap
    assert keys(polish(week, start)) == keys(start)
    (group,) = components([t for t in week.tables if t.options])
    found = improve_group(week, group, start, budget=0.3, size=3, seed=1)
    assert sorted(c[0].request.id for c in found.choices) == ["ana-lea", "ana-mia"]
    plan = Plan(MONDAY, tuple(placement_of(c) for c in found.choices))
    assert validate(plan, org(), requests(), week=MONDAY).violations == []


def test_the_group_state_counts_the_objective_as_objective_of(demo_week: WeekInput) -> None:
    start, _ = greedy_choices(demo_week)
    for group in components([t for t in demo_week.tables if t.options]):
        ids = {t.request.id for t in group}
        mine = [c for c in start if c[0].request.id in ids]
        alone = [t for t in demo_week.tables if t.request.id in ids]
        only = WeekInput(demo_week.org, demo_week.week, tuple(alone), demo_week.ledger)
        assert group_value(demo_week, group, mine) == objective_of(only, mine)
        polished = polish_group(demo_week, group, mine)
        assert group_value(demo_week, group, polished) == objective_of(only, polished)


def test_the_neighbourhood_search_never_worsens_and_repeats(demo_week: WeekInput) -> None:
    start, _ = greedy_choices(demo_week)
    group = max(components([t for t in demo_week.tables if t.options]), key=len)
    ids = {t.request.id for t in group}
    mine = [c for c in start if c[0].request.id in ids]
    runs = [improve_group(demo_week, group, mine, budget=0.2, size=4, seed=5) for _ in range(2)]
    assert runs[0].rounds > 1
    assert group_value(demo_week, group, runs[0].choices) <= group_value(demo_week, group, mine)
    assert keys(runs[0].choices) == keys(runs[1].choices)
    assert runs[0].used == pytest.approx(runs[1].used)


def test_the_cost_floor_is_below_the_proven_optimum() -> None:
    week = week_input()
    hint, _ = greedy_choices(week)
    _, phases = solve_week_phases(week, hint, time_limit_s=5, polish=False, lns=False)
    assert phases.cost_status == "OPTIMAL"
    (group,) = components([t for t in week.tables if t.options])
    floor = build_group(week, group, ()).cost_floor(phases.unplaced)
    assert 0 < floor <= phases.cost
    assert build_group(week, group, ()).cost_floor(0) >= floor  # more placed, more cost
    assert phases.cost_bound >= floor


def test_without_the_searches_the_solve_reaches_the_same_optimum() -> None:
    week = week_input()
    hint, _ = greedy_choices(week)
    with_, _ = solve_week_phases(week, hint, time_limit_s=5)
    without, _ = solve_week_phases(week, hint, time_limit_s=5, polish=False, lns=False)
    assert with_.status == without.status == "OPTIMAL"
    assert with_.objective == pytest.approx(without.objective)
