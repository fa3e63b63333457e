"""HiGHS's MIP on a group's phase-2 model (``week_mip``): it proves the same optimum as
CP-SAT, its bound never exceeds a known plan's cost, the same seed gives the same plan,
and a MIP that ends without a proof leaves phase 2 to CP-SAT."""

from __future__ import annotations

from typing import Any

import pytest
from ortools.sat.python import cp_model

from asyncfirst.scheduling import week_model
from asyncfirst.scheduling.greedy import greedy_choices, objective_of
from asyncfirst.scheduling.validator import validate
from asyncfirst.scheduling.week_lp import relax
from asyncfirst.scheduling.week_mip import Mip, solve_mip
from asyncfirst.scheduling.week_model import build_group, components, solve_week_phases
from tests.unit.test_week_model_phases import MONDAY, choices_of, org, requests, week_input


def _phase_two() -> tuple[Any, float]:
    """The demo group's phase-2 model (one meeting must stay out) and its proven optimum."""
    week = week_input()
    hint, _ = greedy_choices(week)
    (group,) = components([t for t in week.tables if t.options])
    built = build_group(week, group, hint)
    built.model.add(built.unplaced_count == 1)
    built.model.minimize(built.cost)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(built.model) == cp_model.OPTIMAL
    return built, solver.objective_value


def test_the_mip_proves_the_cp_sat_optimum_and_its_bound_is_below_known_plans() -> None:
    built, optimum = _phase_two()
    relaxation = relax(built.model)
    assert relaxation is not None
    for upper in (optimum, optimum + 500):  # the bounds are narrowed to plans ≤ upper
        mip = solve_mip(relaxation, upper, seed=1)
        assert mip.status == "OPTIMAL"
        assert mip.objective == optimum
        assert mip.bound is not None and relaxation.bound <= mip.bound <= optimum
        assert not mip.capped


def test_the_planner_reports_highs_as_the_proof_and_cp_sat_agrees() -> None:
    week = week_input()
    hint, _ = greedy_choices(week)
    with_mip = solve_week_phases(week, hint, time_limit_s=5, mip=True)
    without = solve_week_phases(week, hint, time_limit_s=5, mip=False)
    assert with_mip[1].proven_by == ("highs",)
    assert without[1].proven_by == ("cp-sat",)
    assert with_mip[1].cost == without[1].cost == with_mip[1].cost_bound
    plan = with_mip[0]
    assert plan.status == "OPTIMAL"
    assert plan.objective == pytest.approx(objective_of(week, choices_of(plan, week)))
    assert validate(plan, org(), requests(), week=MONDAY).violations == []


def test_the_same_seed_gives_the_same_plan() -> None:
    week = week_input()
    hint, _ = greedy_choices(week)
    runs = [solve_week_phases(week, hint, time_limit_s=2, seed=3, workers=2) for _ in range(2)]
    assert runs[0][0].placements == runs[1][0].placements
    assert runs[0][1] == runs[1][1]


def test_a_mip_without_a_proof_leaves_phase_two_to_cp_sat(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # as when HiGHS reaches its node limit: a plan (or none) but no bound
    def limited(*args: Any, **kwargs: Any) -> Mip:
        found = solve_mip(*args, **kwargs)
        return Mip("FEASIBLE", found.values, found.objective, None, False, found.tightened)

    week = week_input()
    hint, _ = greedy_choices(week)
    reference = solve_week_phases(week, hint, time_limit_s=5, mip=False)[1]
    for fake in (limited, lambda *a, **k: Mip("NONE", None, float("inf"), None, True, 0)):
        monkeypatch.setattr(week_model, "solve_mip", fake)
        plan, phases = solve_week_phases(week, hint, time_limit_s=5, mip=True)
        assert phases.proven_by == ("cp-sat",)
        assert phases.cost == reference.cost == phases.cost_bound
        assert plan.objective == pytest.approx(objective_of(week, choices_of(plan, week)))
    assert phases.mip_capped == 1  # the second fake reports the wall-clock cap
