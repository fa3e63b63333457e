"""The linear relaxation of a group's CP-SAT model, solved with GLOP: a proven lower bound
on the cost, and the reduced costs that prove most starts cannot be in a better plan.

On the medium benchmark week this relaxation is almost integral (10–33 fractional starts
out of 12,000–16,000 per group) and 0.1–0.2 % below the optimum in two groups of three
(4 % in the one where phase 1 must leave meetings out), while CP-SAT's own root LP on the
same model stopped 6–17 % lower: the LP gives the bound, and CP-SAT, given it, searches
and proves on what the reduced costs leave open.

The bound is made safe by weak duality rather than trusted from the LP solver's
tolerances: for *any* row multipliers ``y`` (signs clamped to the rows' finite sides),
``cost(x) ≥ B(y) + Σ_j d_j · (x_j − lo_j or hi_j − x_j)`` with ``d = c − Aᵀy`` recomputed
here in float64, ``B(y)`` the rows' and bounds' contribution (Neumaier–Shcherbina). So
``B`` bounds every feasible plan, and a start whose ``d_j`` exceeds ``upper − B`` can only
belong to plans dearer than ``upper`` (``fix_dear_starts``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["LinearModel", "Relaxation", "fix_dear_starts", "read", "relax", "too_dear"]

_INF = 2**62
_SLACK = 1e-6
"""Kept below a start's reduced-cost margin, against rounding in the sums (points are ≥ 1)."""


@dataclass(frozen=True)
class Relaxation:
    """``bound``: a proven lower bound of the model's objective (an integer, the objective
    being one), ``floor`` the same before rounding up; ``reduced``: per proto variable index, the safe reduced cost ``d_j``;
    ``value``: per index, the LP's value; ``lp``: the model as read (``read``)."""

    bound: int
    floor: float
    reduced: Any
    value: Any
    lp: LinearModel | None = None


class _Rows:
    """The model's constraints as rows ``lo ≤ Σ a·x ≤ hi`` in coordinate form."""

    def __init__(self) -> None:
        self.row: list[int] = []
        self.col: list[int] = []
        self.coef: list[float] = []
        self.lo: list[float] = []
        self.hi: list[float] = []

    def add(self, terms: Iterable[tuple[int, float]], lo: float, hi: float) -> None:
        r = len(self.lo)
        for col, coef in terms:
            self.row.append(r)
            self.col.append(col)
            self.coef.append(coef)
        self.lo.append(lo)
        self.hi.append(hi)

    def literals(self, lits: Sequence[int], lo: float, hi: float) -> None:
        """``lo ≤ Σ lits ≤ hi`` over literals (a negative one is ``1 − var``)."""
        negated = sum(1 for lit in lits if lit < 0)
        terms = [(lit, 1.0) if lit >= 0 else (-lit - 1, -1.0) for lit in lits]
        self.add(terms, lo - negated, hi - negated)


def _rows_of(proto: Any) -> _Rows | None:
    """The rows of ``proto``'s constraints, or ``None`` for a kind this reader skips."""
    rows = _Rows()
    for c in proto.constraints:
        if c.has_at_most_one():
            rows.literals(list(c.at_most_one.literals), -math.inf, 1)
        elif c.has_exactly_one():
            rows.literals(list(c.exactly_one.literals), 1, 1)
        elif c.has_bool_or() and not len(c.enforcement_literal):
            rows.literals(list(c.bool_or.literals), 1, math.inf)
        elif c.has_bool_and() and len(c.enforcement_literal) == 1:
            e = c.enforcement_literal[0]
            for lit in c.bool_and.literals:  # lit ≥ e, i.e. lit + ¬e ≥ 1
                rows.literals([lit, -e - 1], 1, math.inf)
        elif c.has_linear() and not len(c.enforcement_literal):
            domain = list(c.linear.domain)
            lo = domain[0] if domain[0] > -_INF else -math.inf
            hi = domain[-1] if domain[-1] < _INF else math.inf
            vars_, coeffs = list(c.linear.vars), list(c.linear.coeffs)
            if any(v < 0 for v in vars_):
                return None
            rows.add(zip(vars_, map(float, coeffs), strict=True), lo, hi)
        else:
            return None
    return rows


@dataclass(frozen=True)
class LinearModel:
    """A CP-SAT model read as rows: ``request`` the ``MPModelRequest`` (every proto
    variable at its index, every constraint a row), and the same as arrays (``row``,
    ``col``, ``coef`` the matrix; sides, bounds and objective per row and column)."""

    request: Any
    lower: Any
    upper: Any
    cost: Any
    row: Any
    col: Any
    coef: Any
    row_lo: Any
    row_hi: Any
    offset: float


def read(model: Any) -> LinearModel | None:
    """``model`` (a CP-SAT model minimising an integer linear objective) read for GLOP,
    or ``None`` when it has a constraint this reader does not take. ``week_mip`` marks the
    same request's variables integer: one model for the relaxation and the MIP."""
    from ortools.linear_solver import linear_solver_pb2 as mp  # here: solver libraries

    proto = model.proto
    objective = proto.objective
    if not len(objective.vars) or objective.scaling_factor not in (0, 1):
        return None
    if any(var < 0 for var in objective.vars):
        return None
    rows = _rows_of(proto)
    if rows is None:
        return None
    domains = [list(v.domain) for v in proto.variables]
    n = len(domains)
    lower = np.array([d[0] for d in domains], dtype=float)
    upper = np.array([d[-1] for d in domains], dtype=float)
    cost = np.bincount(
        np.array(list(objective.vars), dtype=np.int64),
        weights=np.array(list(objective.coeffs), dtype=float),
        minlength=n,
    )
    row = np.array(rows.row, dtype=np.int64)
    col = np.array(rows.col, dtype=np.int64)
    # literals may repeat a variable in a row: sum them, rows stay in order
    unique, where = np.unique(row * n + col, return_inverse=True)
    coef = np.bincount(where, weights=np.array(rows.coef, dtype=float))
    row, col = unique // n, unique % n
    # the model as one request, filled in bulk (a call per coefficient took ~1 s a group)
    request = mp.MPModelRequest(solver_type=mp.MPModelRequest.GLOP_LINEAR_PROGRAMMING)
    for lo, hi, c in zip(lower.tolist(), upper.tolist(), cost.tolist(), strict=True):
        request.model.variable.add(lower_bound=lo, upper_bound=hi, objective_coefficient=c)
    cuts = np.searchsorted(row, np.arange(1, len(rows.lo)))
    cols, coefs = np.split(col, cuts), np.split(coef, cuts)
    for lo, hi, c, a in zip(rows.lo, rows.hi, cols, coefs, strict=True):
        request.model.constraint.add(
            lower_bound=lo, upper_bound=hi, var_index=c.tolist(), coefficient=a.tolist()
        )
    offset = float(objective.offset)
    row_lo, row_hi = np.array(rows.lo, dtype=float), np.array(rows.hi, dtype=float)
    return LinearModel(request, lower, upper, cost, row, col, coef, row_lo, row_hi, offset)


def relax(model: Any, lp: LinearModel | None = None) -> Relaxation | None:
    """GLOP's relaxation of ``model`` (a CP-SAT model minimising an integer linear
    objective; ``lp`` its ``read`` when already read), or ``None`` when it has a
    constraint this reader does not take or GLOP ends without an optimum.
    Deterministic: same model, same answer."""
    from ortools.linear_solver import linear_solver_pb2 as mp  # here: solver libraries
    from ortools.linear_solver import pywraplp

    lp = read(model) if lp is None else lp
    if lp is None:
        return None
    response = mp.MPSolutionResponse()
    pywraplp.Solver.SolveWithProto(lp.request, response)
    if response.status != mp.MPSOLVER_OPTIMAL:
        return None
    n, row, col, coef = len(lp.cost), lp.row, lp.col, lp.coef
    cost, lower, upper, row_lo, row_hi = lp.cost, lp.lower, lp.upper, lp.row_lo, lp.row_hi
    duals = np.array(list(response.dual_value), dtype=float)
    # a multiplier may only lean on a finite side of its row
    duals = np.where((duals > 0) & np.isinf(row_lo), 0.0, duals)
    duals = np.where((duals < 0) & np.isinf(row_hi), 0.0, duals)
    reduced = cost - np.bincount(col, weights=coef * duals[row], minlength=n)
    with np.errstate(invalid="ignore"):
        rows_part = np.where(duals > 0, duals * row_lo, np.where(duals < 0, duals * row_hi, 0.0))
        bounds_part = np.where(
            reduced > 0, reduced * lower, np.where(reduced < 0, reduced * upper, 0.0)
        )
    total = lp.offset + float(rows_part.sum()) + float(bounds_part.sum())
    if not math.isfinite(total):
        return None
    scale = float(np.abs(rows_part).sum() + np.abs(bounds_part).sum()) + 1.0
    floor = total - 1e-9 * scale  # float sums' rounding
    value = np.array(list(response.variable_value), dtype=float)
    return Relaxation(math.ceil(floor), floor, reduced, value, lp)


def too_dear(relaxation: Relaxation, index: int, upper: float) -> bool:
    """Whether the boolean at proto ``index`` (a start) can only be 1 in plans dearer than
    ``upper``: its reduced cost alone lifts the bound above ``upper``. A plan of cost
    ``upper`` keeps all its starts, so dropping the dear ones never cuts off the optimum."""
    return bool(relaxation.floor + relaxation.reduced[index] > upper + _SLACK)


def fix_dear_starts(model: Any, starts: Iterable[Any], relaxation: Relaxation, upper: float) -> int:
    """Fix to 0 every start (boolean of ``model``) that is ``too_dear``; how many."""
    fixed = 0
    for var in starts:
        if too_dear(relaxation, var.index, upper):
            model.add(var == 0)
            fixed += 1
    return fixed
