"""What the check-in use cases need from storage: plain records and the repository port.

Privacy is in the shape of the port: the team's rows (``FeedRow``, ``BlockerRow``) carry
no mood and no day mode at all. Mood and day mode leave storage only in the author's own
rows (``OwnCheckin``) and as one value per person for the privacy gate (``latest_moods``).
``services/checkin_views.py`` is the only reader of this port.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from asyncfirst.domain.checkins import DayMode

__all__ = [
    "BlockerRow",
    "CheckinRepository",
    "FeedRow",
    "NewCheckin",
    "OwnCheckin",
]


@dataclass(frozen=True, slots=True)
class NewCheckin:
    team: str
    person: str
    local_date: date
    zone: str
    answers: Mapping[str, str]
    blockers: str
    mood: int | None
    day_mode: DayMode | None
    at: datetime


@dataclass(frozen=True, slots=True)
class FeedRow:
    """A check-in as the team sees it: no mood, no day mode."""

    id: int
    team: str
    person: str
    name: str
    local_date: date
    zone: str
    answers: Mapping[str, str]
    blockers: str
    created_at: datetime
    updated_at: datetime | None


@dataclass(frozen=True, slots=True)
class OwnCheckin:
    """A check-in as its author sees it, with their mood and day mode."""

    row: FeedRow
    mood: int | None
    day_mode: DayMode | None


@dataclass(frozen=True, slots=True)
class BlockerRow:
    """A check-in with blockers after its author's last check-in without any."""

    person: str
    name: str
    local_date: date
    blockers: str


class CheckinRepository(Protocol):
    def save(self, checkin: NewCheckin) -> tuple[int, bool]:
        """Insert, or replace the author's check-in of that local day; (id, whether new)."""
        ...

    def own(self, person: str, since: date) -> list[OwnCheckin]:
        """The person's own check-ins from local day ``since`` on, newest first."""
        ...

    def feed(self, team: str, since: date) -> list[FeedRow]:
        """The team's check-ins from local day ``since`` on, newest first (no mood)."""
        ...

    def open_blockers(self, team: str) -> list[BlockerRow]:
        """Per author, the check-ins with blockers since their last one without, oldest first."""
        ...

    def latest_moods(self, team: str, since: datetime) -> dict[str, int | None]:
        """Each member's latest mood posted since ``since`` (None: posted none); gate input only."""
        ...
