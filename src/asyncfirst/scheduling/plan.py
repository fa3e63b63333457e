"""A week plan as plain values: where each meeting went, what could not be placed, and how
sure the solver is about it (status, objective, bound, gap)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

__all__ = ["Placement", "Plan", "SolverName", "Unplaced"]

SolverName = Literal["cp-sat", "greedy", "manual"]


@dataclass(frozen=True, slots=True)
class Placement:
    """One occurrence of a request at ``[start, end)`` (UTC), with who attends.

    ``burden`` holds each attendee's inconvenience (out-of-hours cost, see ``bands``) as
    (person id, cost) pairs; the ledger adds it up across weeks. A hand-written plan may
    leave it empty: the validator recomputes everything it checks.
    """

    request_id: str
    occurrence_index: int
    start: datetime
    end: datetime
    attendees: tuple[str, ...]
    missing_optional: tuple[str, ...] = ()
    burden: tuple[tuple[str, float], ...] = ()

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("a placement needs aware start and end")
        if self.end <= self.start:
            raise ValueError(f"placement of {self.request_id} ends before it starts")

    @property
    def minutes(self) -> int:
        return round((self.end - self.start).total_seconds() / 60)

    def to_dict(self) -> dict[str, Any]:
        return {
            "request": self.request_id,
            "occurrence": self.occurrence_index,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "attendees": list(self.attendees),
            "missing_optional": list(self.missing_optional),
            "burden": {p: round(c, 1) for p, c in self.burden},
        }


@dataclass(frozen=True, slots=True)
class Unplaced:
    """A request that has no place this week, and why in words."""

    request_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Plan:
    """Placements for the week of ``week`` (a Monday) and the solver's account of them.

    ``status`` is CP-SAT's (OPTIMAL, FEASIBLE, ...) or "GREEDY"; ``objective`` and ``bound``
    are in the objective's units (see ``constraints``) and ``gap`` is
    ``(objective - bound) / max(1, objective)``, 0 when proved optimal.
    """

    week: date
    placements: tuple[Placement, ...]
    unplaced: tuple[Unplaced, ...] = ()
    status: str = "UNKNOWN"
    objective: float = 0.0
    bound: float = 0.0
    gap: float = 0.0
    wall_seconds: float = 0.0
    solver: SolverName = "manual"
    components: int = 0

    def placement(self, request_id: str) -> Placement | None:
        return next((p for p in self.placements if p.request_id == request_id), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "week": self.week.isoformat(),
            "solver": self.solver,
            "status": self.status,
            "objective": round(self.objective, 2),
            "bound": round(self.bound, 2),
            "gap": round(self.gap, 4),
            "wall_seconds": round(self.wall_seconds, 3),
            "components": self.components,
            "placements": [p.to_dict() for p in self.placements],
            "unplaced": [{"request": u.request_id, "reason": u.reason} for u in self.unplaced],
        }
