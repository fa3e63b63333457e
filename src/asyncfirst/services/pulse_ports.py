"""What the pulse use cases need from storage: plain records and the repository port.

Teams and people by charter id; a pulse week by its Monday. ``adapters.db.pulse_repository``
implements the port; the hub's unit of work carries it as ``pulses``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from asyncfirst.domain.pulses import Verdict

__all__ = ["PulseAnswer", "PulseRepository", "StoredPulse"]


@dataclass(frozen=True, slots=True)
class PulseAnswer:
    team: str
    person: str
    pulse_week: date
    verdict: Verdict
    suggestion: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class StoredPulse:
    """One answer as the privacy gate sees it: no name, only what it counts."""

    verdict: Verdict
    suggestion: str


class PulseRepository(Protocol):
    def save(self, answer: PulseAnswer) -> bool:
        """Store the answer, replacing the person's earlier one that week; True when new."""
        ...

    def answers(self, team: str, pulse_week: date) -> dict[str, StoredPulse]:
        """The team's answers of that pulse week, by person id (for ``analytics.privacy.gate``)."""
        ...
