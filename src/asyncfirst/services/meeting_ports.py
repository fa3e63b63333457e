"""What the meeting and calendar-feed use cases need from storage: records and ports.

People and teams by charter id, meetings by the integer id storage gives them; instants
in UTC with each attendee's zone beside them. ``adapters.db.meeting_repository``
implements both ports; the hub's unit of work carries them as ``meetings`` and ``feeds``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from asyncfirst.domain.meetings import MeetingKind, MeetingSource

__all__ = [
    "AttendeeRecord",
    "AttendeeZone",
    "FeedRepository",
    "MeetingRecord",
    "MeetingRepository",
    "NewMeeting",
    "StoredFeedToken",
]


@dataclass(frozen=True, slots=True)
class NewMeeting:
    team: str
    title: str
    kind: MeetingKind
    why_sync: str
    starts_at: datetime
    ends_at: datetime
    organiser: str
    source: MeetingSource
    decision_id: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AttendeeZone:
    """An attendee and the zone they were in when the meeting was scheduled."""

    person: str
    zone: str


@dataclass(frozen=True, slots=True)
class AttendeeRecord:
    person: str
    name: str
    zone: str


@dataclass(frozen=True, slots=True)
class MeetingRecord:
    id: int
    team: str
    title: str
    kind: MeetingKind
    why_sync: str
    starts_at: datetime
    ends_at: datetime
    organiser: str
    organiser_name: str
    source: MeetingSource
    decision_id: int | None
    created_at: datetime
    cancelled_at: datetime | None
    attendees: tuple[AttendeeRecord, ...]  # in the order scheduled


class MeetingRepository(Protocol):
    def add(self, meeting: NewMeeting, attendees: Sequence[AttendeeZone]) -> int: ...

    def meeting(self, meeting_id: int) -> MeetingRecord | None: ...

    def of_decision(self, decision_id: int) -> int | None:
        """The id of the meeting confirmed for this decision, if any."""
        ...

    def cancel(self, meeting_id: int, at: datetime) -> None: ...

    def attended_by(
        self, person: str, start: datetime, end: datetime, *, cancelled: bool = False
    ) -> list[MeetingRecord]:
        """The person's meetings overlapping ``[start, end)``, by start; with ``cancelled``
        the cancelled ones too."""
        ...


@dataclass(frozen=True, slots=True)
class StoredFeedToken:
    id: int
    person: str
    digest: str
    created_at: datetime
    revoked_at: datetime | None


class FeedRepository(Protocol):
    def add(self, person: str, prefix: str, digest: str, at: datetime) -> int: ...

    def with_prefix(self, prefix: str) -> list[StoredFeedToken]: ...

    def revoke_all(self, person: str, at: datetime) -> int:
        """Revoke the person's live feed secrets; how many there were."""
        ...
