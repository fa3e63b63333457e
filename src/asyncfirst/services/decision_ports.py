"""What the decision use cases need from storage: plain records and the repository port.

People and teams by charter id, decisions by the integer id storage gives them; instants
in UTC with the zone they were counted in beside them. ``adapters.db.decision_repository``
implements the port; the hub's unit of work carries it as ``decisions``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from asyncfirst.domain.decisions import DecisionMode, DecisionState
from asyncfirst.services.paging import PageCursor

__all__ = [
    "DeciderDue",
    "DeciderState",
    "DecisionChange",
    "DecisionRecord",
    "DecisionRepository",
    "NewDecision",
    "ResponseRecord",
]


@dataclass(frozen=True, slots=True)
class NewDecision:
    team: str
    author: str
    title: str
    body: str
    thread_id: int | None
    mode: DecisionMode
    options: tuple[str, ...]
    quorum: int
    decide_by: datetime
    urgent: bool
    critical: bool
    max_rounds: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DeciderDue:
    """A decider's own decide-by: the UTC instant and the zone it was counted in."""

    person: str
    decide_by: datetime
    zone: str


@dataclass(frozen=True, slots=True)
class DeciderState:
    person: str
    name: str
    decide_by: datetime
    zone: str


@dataclass(frozen=True, slots=True)
class ResponseRecord:
    person: str
    name: str
    choice: str
    round: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    id: int
    team: str
    author: str
    author_name: str
    thread_id: int | None
    title: str
    body: str
    mode: DecisionMode
    options: tuple[str, ...]
    quorum: int
    decide_by: datetime
    state: DecisionState
    urgent: bool
    critical: bool
    round: int
    max_rounds: int
    decided_option: str | None
    escalated_reason: str | None
    meeting_start: datetime | None
    meeting_end: datetime | None
    created_at: datetime
    closed_at: datetime | None
    deciders: tuple[DeciderState, ...]
    responses: tuple[ResponseRecord, ...]  # oldest first


@dataclass(frozen=True, slots=True)
class DecisionChange:
    """The columns a transition sets; ``None`` leaves the meeting and result unset."""

    state: DecisionState
    round: int
    decided_option: str | None = None
    escalated_reason: str | None = None
    meeting_start: datetime | None = None
    meeting_end: datetime | None = None
    closed_at: datetime | None = None


class DecisionRepository(Protocol):
    def add_decision(self, decision: NewDecision, deciders: Sequence[DeciderDue]) -> int: ...

    def decision(self, decision_id: int) -> DecisionRecord | None: ...

    def team_decisions(self, team: str) -> list[DecisionRecord]:
        """The team's decisions, newest first."""
        ...

    def team_decisions_page(
        self, team: str, limit: int, after: PageCursor | None
    ) -> list[DecisionRecord]:
        """Up to ``limit`` of the team's decisions after ``after``: open ones first by
        decide-by then id, then the others newest first."""
        ...

    def open_for_decider(self, person: str) -> list[DecisionRecord]:
        """Open decisions with ``person`` among the deciders, oldest first (My day).

        Their ``responses`` hold only ``person``'s own in the current round: what My day
        needs to know whether they answered, without everyone's votes of every round."""
        ...

    def add_response(
        self, decision_id: int, person: str, choice: str, round_: int, at: datetime
    ) -> int: ...

    def change(self, decision_id: int, change: DecisionChange) -> None: ...

    def open_past(self, now: datetime) -> list[int]:
        """Ids of open decisions whose decide-by is at or before ``now``, oldest first."""
        ...
