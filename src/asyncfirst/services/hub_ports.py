"""What the hub's use cases need from storage: plain records and the ports that hold them.

People and teams are named by their charter ids (``kenji``, ``coding``); threads by the
integer id storage gives them. ``adapters.db.hub_repository`` implements the ports on
SQLite and PostgreSQL; ``bootstrap_api`` wires them into a ``HubContext``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import Literal, Protocol, Self

from asyncfirst.analytics.privacy import PrivacyPolicy
from asyncfirst.domain.model import Organisation
from asyncfirst.services.access import Role
from asyncfirst.services.charter_records import CharterRepository
from asyncfirst.services.checkin_ports import CheckinRepository
from asyncfirst.services.coffee_ports import CoffeeRepository
from asyncfirst.services.decision_ports import DecisionRepository
from asyncfirst.services.handoff_ports import HandoffRepository
from asyncfirst.services.meeting_ports import FeedRepository, MeetingRepository
from asyncfirst.services.notify_ports import (
    DeliveryRepository,
    NotificationOutbox,
    WebhookRepository,
)
from asyncfirst.services.paging import PageCursor
from asyncfirst.services.ports import Clock
from asyncfirst.services.pulse_ports import PulseRepository
from asyncfirst.services.web_ports import WebRepository

__all__ = [
    "AccessRepository",
    "HubContext",
    "HubUnitOfWork",
    "NewThread",
    "PersonInfo",
    "QueueRow",
    "RecipientDue",
    "RecipientState",
    "ReplyRecord",
    "StoredToken",
    "ThreadKind",
    "ThreadRecord",
    "ThreadRepository",
]

ThreadKind = Literal["update", "question"]


@dataclass(frozen=True, slots=True)
class PersonInfo:
    key: str
    name: str
    team: str
    zone: str
    active: bool = True


@dataclass(frozen=True, slots=True)
class NewThread:
    team: str
    author: str
    kind: ThreadKind
    title: str
    body: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class RecipientDue:
    """A recipient's deadline: the UTC instant and the zone it was counted in."""

    person: str
    respond_by: datetime
    zone: str


@dataclass(frozen=True, slots=True)
class RecipientState:
    person: str
    name: str
    respond_by: datetime
    zone: str
    answered_at: datetime | None


@dataclass(frozen=True, slots=True)
class ThreadRecord:
    id: int
    team: str
    author: str
    author_name: str
    kind: ThreadKind
    title: str
    body: str
    created_at: datetime
    recipients: tuple[RecipientState, ...]


@dataclass(frozen=True, slots=True)
class ReplyRecord:
    id: int
    thread_id: int
    author: str
    author_name: str
    body: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class QueueRow:
    """A thread waiting for the person's answer."""

    thread_id: int
    team: str
    kind: ThreadKind
    title: str
    author: str
    created_at: datetime
    respond_by: datetime
    zone: str


@dataclass(frozen=True, slots=True)
class StoredToken:
    id: int
    person: str
    prefix: str
    digest: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ThreadRepository(Protocol):
    def person(self, key: str) -> PersonInfo | None: ...

    def team_exists(self, key: str) -> bool:
        """Whether an active team has this id."""
        ...

    def team_members(self, key: str) -> list[str]:
        """The active members' ids, in charter order."""
        ...

    def add_thread(self, thread: NewThread) -> int: ...

    def add_recipients(self, thread_id: int, dues: Sequence[RecipientDue]) -> None: ...

    def thread(self, thread_id: int) -> ThreadRecord | None: ...

    def team_threads(self, team: str) -> list[ThreadRecord]:
        """The team's threads, newest first."""
        ...

    def team_threads_page(
        self, team: str, limit: int, after: PageCursor | None
    ) -> list[ThreadRecord]:
        """Up to ``limit`` of the team's threads after ``after``: waiting ones first by
        their earliest open respond-by then id, then answered ones newest first."""
        ...

    def replies(self, thread_id: int) -> list[ReplyRecord]:
        """Oldest first."""
        ...

    def add_reply(self, thread_id: int, author: str, body: str, at: datetime) -> int: ...

    def mark_answered(self, thread_id: int, person: str, at: datetime) -> bool:
        """Mark the recipient's first answer; False when not a recipient or already answered."""
        ...

    def open_queue(self, person: str) -> list[QueueRow]:
        """Threads the person has not answered yet (in any order)."""
        ...

    def open_queue_page(self, person: str, limit: int, after: PageCursor | None) -> list[QueueRow]:
        """Up to ``limit`` of ``open_queue``, soonest respond-by first (then thread id),
        after ``after`` (its ``due`` is a respond-by)."""
        ...

    def open_queue_count(self, person: str) -> int:
        """How many threads the person has not answered yet."""
        ...


class AccessRepository(Protocol):
    def add_token(self, person: str, prefix: str, digest: str, at: datetime) -> int: ...

    def tokens_with_prefix(self, prefix: str) -> list[StoredToken]: ...

    def touch_token(self, token_id: int, at: datetime) -> None: ...

    def revoke_token(self, token_id: int, at: datetime) -> None: ...

    def roles_of(self, person: str) -> list[Role]:
        """The granted roles (org_admin, team_lead); membership is not stored here."""
        ...

    def grant_role(self, person: str, role: Role, at: datetime) -> None:
        """Grant once: granting a role the person holds changes nothing."""
        ...


class HubUnitOfWork(Protocol):
    """One transaction over the hub's tables: nothing is kept unless ``commit`` is called."""

    threads: ThreadRepository
    access: AccessRepository
    decisions: DecisionRepository
    checkins: CheckinRepository
    handoffs: HandoffRepository
    pulses: PulseRepository
    charter: CharterRepository  # the charter tables on the same transaction (band recalibration)
    web: WebRepository  # passwords and sign-in sessions of the web app
    outbox: NotificationOutbox  # notifications kept once per key, delivered later by a job
    webhooks: WebhookRepository  # a team's outgoing webhooks
    deliveries: DeliveryRepository  # the delivery log (fan-out, claims, outcomes)
    meetings: MeetingRepository  # meetings with their attendees (and zones)
    feeds: FeedRepository  # calendar-feed secrets, hashed
    coffee: CoffeeRepository  # coffee opt-in choices and drawn pairings

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...


@dataclass(frozen=True)
class HubContext:
    """What the API needs to serve: a unit of work per use, a clock, the charter, a closer,
    and the privacy gate's threshold for team aggregates (five people unless configured)."""

    unit_of_work: Callable[[], HubUnitOfWork]
    clock: Clock
    org: Organisation
    close: Callable[[], None] = lambda: None
    privacy: PrivacyPolicy = field(default_factory=PrivacyPolicy)
    # A unit of work that only reads (no commit; on SQLite it skips the write turn);
    # without one, reads use ``unit_of_work``.
    reader: Callable[[], HubUnitOfWork] | None = None

    def read_unit_of_work(self) -> HubUnitOfWork:
        """A unit of work for a use case that never writes (lists, pages, feeds)."""
        return (self.reader or self.unit_of_work)()
