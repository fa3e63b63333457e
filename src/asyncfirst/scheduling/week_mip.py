"""A group's phase-2 model as a MIP for HiGHS (shipped inside the OR-Tools wheel): a
second proof engine beside CP-SAT.

On the medium benchmark week HiGHS's root cuts close the gap CP-SAT's search leaves
(3.5 % over three groups): every group was proven at the root, in 2.5–6 s each once the
relaxation's reduced costs had tightened the bounds (16–24 s without).

One model: the MIP is ``week_lp``'s ``MPModelRequest``, read from the CP-SAT proto, with
every variable marked integer, so its objective and constraints cannot drift from
CP-SAT's. Its answer is a vector of values per proto variable; the caller decodes it into
choices and lets CP-SAT check it (a solve with the decisions fixed), so the cost it
reports is CP-SAT's recount, not HiGHS's.

Reduced-cost tightening: for any plan of cost ≤ ``upper``, each variable stays within
``(upper − floor) / |d_j|`` of the bound its reduced cost ``d_j`` leans on (weak duality,
``week_lp``). That fixes most dear starts to 0 and replaces the penalty variables' huge
upper bounds (up to 10⁷) by tight ones, which is what makes HiGHS's root fast here.

Determinism: one thread, a fixed random seed, and a node limit; a wall-clock cap only
guards against a stuck machine and, when it ends the solve, ``Mip.capped`` says so.

The bound: with ``mip_rel_gap = 0`` and ``mip_abs_gap = MIP_ABS_GAP``, HiGHS reports
OPTIMAL only when its dual bound is within ``MIP_ABS_GAP`` of the plan's objective. The
objective is integral, so the proven bound is ``ceil(objective − MIP_ABS_GAP −
BOUND_TOLERANCE)``. HiGHS's dual bound comes from floating-point LPs (feasibility
tolerances 10⁻⁷, the integrality tolerance 10⁻⁶), not an exact proof: ``BOUND_TOLERANCE``
is what this relies on, and the caller keeps the weak-duality-safe LP bound as the floor.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from asyncfirst.scheduling.week_lp import LinearModel, Relaxation

__all__ = ["BOUND_TOLERANCE", "MIP_ABS_GAP", "MIP_NODES", "MIP_WALL_CAP_S", "Mip", "solve_mip"]

MIP_NODES = 2000
"""The branch-and-bound nodes HiGHS may open: the deterministic limit of the MIP."""
MIP_WALL_CAP_S = 120.0
"""A safety cap only: on the medium week each group's MIP took 2.5–6 s."""
MIP_ABS_GAP = 1e-6
"""HiGHS's absolute gap for OPTIMAL (relative gap 0): the dual bound is this close."""
BOUND_TOLERANCE = 1e-6
"""Relative slack (times ``max(1, |objective|)``) subtracted before rounding the bound up,
for HiGHS's floating-point LP bounds."""


@dataclass(frozen=True)
class Mip:
    """HiGHS's answer: ``status`` OPTIMAL (proven), FEASIBLE (a plan, limit reached) or
    NONE; ``values`` per proto variable (integral) when there is a plan; ``objective`` its
    objective; ``bound`` the proven integral bound when OPTIMAL, else ``None``;
    ``capped`` when the wall-clock cap, not the node limit, ended the solve."""

    status: str
    values: Any
    objective: float
    bound: int | None
    capped: bool
    tightened: int


def _tighten(request: Any, relaxation: Relaxation, lp: LinearModel, upper: float) -> int:
    """Narrow every variable to what a plan of cost ≤ ``upper`` allows; how many moved."""
    room = upper - relaxation.floor
    d = np.asarray(relaxation.reduced, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        reach = np.floor(room / np.abs(d) + 1e-9)
    hi = np.where(d > 1e-9, np.minimum(lp.upper, lp.lower + reach), lp.upper)
    lo = np.where(d < -1e-9, np.maximum(lp.lower, lp.upper - reach), lp.lower)
    moved = np.flatnonzero((hi < lp.upper) | (lo > lp.lower))
    variables = request.model.variable
    for j in moved.tolist():
        variables[j].upper_bound = float(hi[j])
        variables[j].lower_bound = float(lo[j])
    return len(moved)


def solve_mip(
    relaxation: Relaxation,
    upper: float,
    seed: int,
    *,
    nodes: int = MIP_NODES,
    cap_s: float = MIP_WALL_CAP_S,
) -> Mip:
    """HiGHS on ``relaxation``'s model with every variable integer, each narrowed to plans
    of cost ≤ ``upper`` (a known plan's cost, so the optimum stays in). No start is
    passed: OR-Tools 9.15's HiGHS reader writes a solution hint past the end of an empty
    vector (it crashed the process here)."""
    from ortools.linear_solver import linear_solver_pb2 as mp  # here: solver libraries
    from ortools.linear_solver import pywraplp

    lp = relaxation.lp
    if lp is None:
        return Mip("NONE", None, math.inf, None, False, 0)
    request = mp.MPModelRequest()
    request.CopyFrom(lp.request)
    request.solver_type = mp.MPModelRequest.HIGHS_MIXED_INTEGER_PROGRAMMING
    model = request.model
    model.objective_offset = lp.offset
    for variable in model.variable:
        variable.is_integer = True
    tightened = _tighten(request, relaxation, lp, upper)
    request.solver_time_limit_seconds = cap_s
    request.solver_specific_parameters = "\n".join(
        (
            "output_flag=false",  # HiGHS prints to fd 1 otherwise: --json output
            "threads=1",
            "parallel=off",
            f"random_seed={seed}",
            "mip_rel_gap=0",
            f"mip_abs_gap={MIP_ABS_GAP}",
            f"mip_max_nodes={nodes}",
            # two primal heuristics that rarely found the plan the sub-MIP heuristics
            # find anyway: HiGHS on the three medium MIPs 10.5 → 9.0 s (mean of 4 runs)
            "mip_heuristic_run_feasibility_jump=false",
            "mip_heuristic_run_root_reduced_cost=false",
        )
    )
    response = mp.MPSolutionResponse()
    pywraplp.Solver.SolveWithProto(request, response)
    capped = response.solve_info.solve_wall_time_seconds >= cap_s * 0.999
    if response.status not in (mp.MPSOLVER_OPTIMAL, mp.MPSOLVER_FEASIBLE):
        return Mip("NONE", None, math.inf, None, capped, tightened)
    values = np.rint(np.array(list(response.variable_value), dtype=float)).astype(np.int64)
    objective = float(response.objective_value)
    if response.status != mp.MPSOLVER_OPTIMAL:
        return Mip("FEASIBLE", values, objective, None, capped, tightened)
    slack = MIP_ABS_GAP + BOUND_TOLERANCE * max(1.0, abs(objective))
    return Mip("OPTIMAL", values, objective, math.ceil(objective - slack), False, tightened)
