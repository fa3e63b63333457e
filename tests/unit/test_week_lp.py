"""The linear relaxation of a group's model (``week_lp``): a safe lower bound, reduced-cost
fixing that never cuts off the optimum, and a clear ``None`` for models it cannot read."""

from __future__ import annotations

from dataclasses import replace

from ortools.sat.python import cp_model

from asyncfirst.scheduling.constraints import UNPLACED_WEIGHT
from asyncfirst.scheduling.greedy import greedy_choices, objective_of
from asyncfirst.scheduling.ledger import BurdenLedger
from asyncfirst.scheduling.week_lp import fix_dear_starts, relax
from asyncfirst.scheduling.week_model import (
    _seated,
    build_group,
    components,
    solve_week_phases,
)
from asyncfirst.scheduling.week_table import build_week
from tests.unit.test_week_model_phases import MONDAY, org, requests, week_input


def _solve(model: cp_model.CpModel) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(model) == cp_model.OPTIMAL
    return solver


def test_bound_of_a_choice_is_its_cheapest_start_and_fixes_the_rest() -> None:
    model = cp_model.CpModel()
    starts = [model.new_bool_var(f"x{i}") for i in range(3)]
    model.add_exactly_one(starts)
    model.minimize(3 * starts[0] + 5 * starts[1] + 9 * starts[2])
    relaxation = relax(model)
    assert relaxation is not None
    assert relaxation.bound == 3
    # with a plan of cost 5 in hand, only the start of cost 9 is provably too dear
    assert fix_dear_starts(model, starts, relaxation, upper=5) == 1
    assert _solve(model).objective_value == 3


def test_bound_stays_below_the_integer_optimum_when_the_lp_is_fractional() -> None:
    # an odd cycle of conflicts: the LP takes every start at 1/2, the integers only one
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x{i}") for i in range(3)]
    for i in range(3):
        model.add_at_most_one([x[i], x[(i + 1) % 3]])
    model.minimize(10 - 4 * sum(x))
    relaxation = relax(model)
    assert relaxation is not None
    assert relaxation.bound == 4  # 10 - 4 * 1.5
    assert _solve(model).objective_value == 6


def test_a_constraint_it_does_not_read_gives_no_relaxation() -> None:
    model = cp_model.CpModel()
    a, b = model.new_int_var(0, 5, "a"), model.new_int_var(0, 5, "b")
    top = model.new_int_var(0, 5, "top")
    model.add_max_equality(top, [a, b])
    model.minimize(top)
    assert relax(model) is None


def test_group_relaxation_bounds_the_optimum_and_keeps_it_after_fixing() -> None:
    week = week_input()
    hint, _ = greedy_choices(week)
    (group,) = components([t for t in week.tables if t.options])
    built = build_group(week, group, hint)
    built.model.add(built.unplaced_count == 1)
    built.model.minimize(built.cost)
    optimum = _solve(built.model).objective_value
    relaxation = relax(built.model)
    assert relaxation is not None
    assert relaxation.bound <= optimum
    starts = [var for xs in built.x.values() for var in xs]
    assert fix_dear_starts(built.model, starts, relaxation, upper=optimum) > 0
    assert _solve(built.model).objective_value == optimum


def test_the_relaxation_does_not_change_the_proven_plan() -> None:
    week = week_input()
    hint, _ = greedy_choices(week)
    with_lp = solve_week_phases(week, hint, time_limit_s=5, lp=True)
    without = solve_week_phases(week, hint, time_limit_s=5, lp=False)
    assert with_lp[1].cost_status == without[1].cost_status == "OPTIMAL"
    assert with_lp[1].cost == without[1].cost == with_lp[1].cost_bound


def test_a_model_over_some_starts_keeps_the_groups_objective() -> None:
    # Mia carries the most from earlier weeks; a model without her meeting must still
    # count her in the worst person, as the whole group's model and objective_of do
    week = build_week(org(), requests(), MONDAY, ledger=BurdenLedger(person={"mia": 500.0}))
    (group,) = components([t for t in week.tables if t.options])
    lea = next(t for t in group if t.request.id == "ana-lea")
    plan = [(lea, lea.options[0], ())]
    some = [replace(lea, options=(lea.options[0],))]
    for tables, everyone in ((group, ()), (some, _seated(group))):
        built = build_group(week, tables, plan, everyone=everyone)
        built.model.minimize(built.cost)
        for table in tables:
            if table.request.id != "ana-lea":
                built.model.add(built.unplaced[table.request.id] == 1)
        built.model.add(built.unplaced[lea.request.id] == 0)
        assert _solve(built.model).objective_value == objective_of(week, plan) - 2 * UNPLACED_WEIGHT
    # without the group's people the carried 500 of Mia is lost
    alone = build_group(week, some, plan)
    alone.model.minimize(alone.cost)
    assert _solve(alone.model).objective_value < objective_of(week, plan) - 2 * UNPLACED_WEIGHT
