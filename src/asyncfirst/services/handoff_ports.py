"""What the hand-off use cases need from storage: plain records and the repository port.

Teams and people by charter id, hand-offs by the integer id storage gives them; instants
in UTC, the receiving team's zone beside its start. ``adapters.db.handoff_repository``
implements the port; the hub's unit of work carries it as ``handoffs``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

__all__ = ["HandoffRecord", "HandoffRepository", "NewHandoff"]


@dataclass(frozen=True, slots=True)
class NewHandoff:
    from_team: str
    to_team: str
    author: str
    note: str
    open_items: tuple[str, ...]
    created_at: datetime
    to_starts_at: datetime
    to_zone: str


@dataclass(frozen=True, slots=True)
class HandoffRecord:
    id: int
    from_team: str
    to_team: str
    author: str
    author_name: str
    note: str
    open_items: tuple[str, ...]
    created_at: datetime
    to_starts_at: datetime
    to_zone: str
    acknowledged_by: str | None
    acknowledged_by_name: str | None
    acknowledged_at: datetime | None


class HandoffRepository(Protocol):
    def add(self, handoff: NewHandoff) -> int: ...

    def get(self, handoff_id: int) -> HandoffRecord | None: ...

    def to_team(self, team: str) -> list[HandoffRecord]:
        """Hand-offs the team received, newest first."""
        ...

    def from_team(self, team: str) -> list[HandoffRecord]:
        """Hand-offs the team sent, newest first."""
        ...

    def acknowledge(self, handoff_id: int, person: str, at: datetime) -> bool:
        """Record the first acknowledgement; False when it was already acknowledged."""
        ...
