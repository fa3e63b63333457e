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
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
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
    """The model's constraints as rows ``lo ≤ Σ a·x ≤ hi`` in coordinate form, gathered
    a whole row at a time (``extend``, not an append per term: a group has ~200,000
    terms) and turned into arrays by ``arrays``."""

    def __init__(self) -> None:
        self.lits: list[int] = []  # literal rows: each term a literal, its coefficient 1
        self.lit_row: list[int] = []
        self.cols: list[int] = []  # linear rows: each term a variable and a coefficient
        self.coefs: list[int] = []
        self.col_row: list[int] = []
        self.lo: list[float] = []
        self.hi: list[float] = []

    def linear(self, cols: Sequence[int], coefs: Sequence[int], lo: float, hi: float) -> None:
        """``lo ≤ Σ coefs·cols ≤ hi``."""
        self.col_row.extend([len(self.lo)] * len(cols))
        self.cols.extend(cols)
        self.coefs.extend(coefs)
        self.lo.append(lo)
        self.hi.append(hi)

    def literals(self, lits: Sequence[int], lo: float, hi: float) -> None:
        """``lo ≤ Σ lits ≤ hi`` over literals (a negative one is ``1 − var``)."""
        self.lit_row.extend([len(self.lo)] * len(lits))
        self.lits.extend(lits)
        self.lo.append(lo)
        self.hi.append(hi)

    def arrays(self) -> tuple[Any, Any, Any, Any, Any]:
        """``row``, ``col``, ``coef`` (terms in row order, a variable may repeat in a row)
        and the sides ``lo``, ``hi``, each negated literal's constant moved into them."""
        lits = np.array(self.lits, dtype=np.int64)
        lit_row = np.array(self.lit_row, dtype=np.int64)
        negated = lits < 0
        row = np.concatenate([lit_row, np.array(self.col_row, dtype=np.int64)])
        col = np.concatenate(
            [np.where(negated, -lits - 1, lits), np.array(self.cols, dtype=np.int64)]
        )
        coef = np.concatenate([np.where(negated, -1.0, 1.0), np.array(self.coefs, dtype=float)])
        shift = np.bincount(lit_row[negated], minlength=len(self.lo)).astype(float)
        lo = np.array(self.lo, dtype=float) - shift
        hi = np.array(self.hi, dtype=float) - shift
        return row, col, coef, lo, hi


def _message_of(model: Any) -> Any:
    """``model``'s proto as a protobuf message. OR-Tools 9.15's own proto object reaches
    each field through C++ (reading a medium group took 0.3 s that way, 0.07 s from the
    message); its one bulk export is a file, written and parsed here in ~10 ms."""
    from ortools.sat import cp_model_pb2  # here: solver libraries

    with tempfile.TemporaryDirectory(prefix="asyncfirst-lp-") as folder:
        path = Path(folder) / "model.pb"  # binary: the name does not end in "txt"
        if not model.export_to_file(str(path)):
            raise OSError(f"OR-Tools could not write the model to {path}")
        return cp_model_pb2.CpModelProto.FromString(path.read_bytes())


def _rows_of(proto: Any) -> _Rows | None:
    """The rows of ``proto``'s constraints, or ``None`` for a kind this reader skips."""
    rows = _Rows()
    for c in proto.constraints:
        kind = c.WhichOneof("constraint")
        if kind == "at_most_one":
            rows.literals(c.at_most_one.literals, -math.inf, 1)
        elif kind == "exactly_one":
            rows.literals(c.exactly_one.literals, 1, 1)
        elif kind == "bool_or" and not c.enforcement_literal:
            rows.literals(c.bool_or.literals, 1, math.inf)
        elif kind == "bool_and" and len(c.enforcement_literal) == 1:
            e = c.enforcement_literal[0]
            for lit in c.bool_and.literals:  # lit ≥ e, i.e. lit + ¬e ≥ 1
                rows.literals((lit, -e - 1), 1, math.inf)
        elif kind == "linear" and not c.enforcement_literal:
            linear = c.linear
            lo = linear.domain[0] if linear.domain[0] > -_INF else -math.inf
            hi = linear.domain[-1] if linear.domain[-1] < _INF else math.inf
            if linear.vars and min(linear.vars) < 0:
                return None
            rows.linear(linear.vars, linear.coeffs, lo, hi)
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

    proto = _message_of(model)
    objective = proto.objective
    if not len(objective.vars) or objective.scaling_factor not in (0, 1):
        return None
    if any(var < 0 for var in objective.vars):
        return None
    rows = _rows_of(proto)
    if rows is None:
        return None
    n = len(proto.variables)
    lower = np.array([v.domain[0] for v in proto.variables], dtype=float)
    upper = np.array([v.domain[-1] for v in proto.variables], dtype=float)
    cost = np.bincount(
        np.array(objective.vars, dtype=np.int64),
        weights=np.array(objective.coeffs, dtype=float),
        minlength=n,
    )
    row, col, coef, row_lo, row_hi = rows.arrays()
    # literals may repeat a variable in a row: sum them; sorted by row, then column
    unique, where = np.unique(row * n + col, return_inverse=True)
    coef = np.bincount(where, weights=coef)
    row, col = unique // n, unique % n
    # the model as one request, filled in bulk (a call per coefficient took ~1 s a group)
    request = mp.MPModelRequest(solver_type=mp.MPModelRequest.GLOP_LINEAR_PROGRAMMING)
    for lo, hi, c in zip(lower.tolist(), upper.tolist(), cost.tolist(), strict=True):
        request.model.variable.add(lower_bound=lo, upper_bound=hi, objective_coefficient=c)
    ends = np.searchsorted(row, np.arange(1, len(row_lo) + 1)).tolist()
    cols, coefs, begin = col.tolist(), coef.tolist(), 0  # slices of lists: np.split was slow
    for lo, hi, end in zip(row_lo.tolist(), row_hi.tolist(), ends, strict=True):
        request.model.constraint.add(
            lower_bound=lo, upper_bound=hi, var_index=cols[begin:end], coefficient=coefs[begin:end]
        )
        begin = end
    offset = float(objective.offset)
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
