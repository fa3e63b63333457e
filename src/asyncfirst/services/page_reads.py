"""One transaction for all the reads of a page: ``read_together``.

A page such as My day or Team calls several read use cases (the respond-by queue, the
check-ins, the decisions, …), and each opens its own unit of work. Run through
``read_together`` they share one: one connection and one ``BEGIN``/rollback instead of
one per use case (on SQLite also one snapshot, so the parts of a page never disagree
about a write that landed between them). The use cases run unchanged, access checks
included: each still enters "its" unit of work, which is the shared one lent out.

    with read_together(hub.read_unit_of_work) as reads:
        queue = page_queue(reads(), clock, actor)
        checkins = my_checkins(reads(), clock, actor)

Only for reads: ``commit`` on the lent unit of work raises. The questions each use case
asks again for its own access check (does this team exist, who is this person) are
answered once per page: the Team page's seven use cases ask the first seven times.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from types import TracebackType
from typing import Self

from asyncfirst.services.charter_records import CharterRepository
from asyncfirst.services.checkin_ports import CheckinRepository
from asyncfirst.services.coffee_ports import CoffeeRepository
from asyncfirst.services.decision_ports import DecisionRepository
from asyncfirst.services.handoff_ports import HandoffRepository
from asyncfirst.services.hub_ports import (
    AccessRepository,
    HubUnitOfWork,
    NewThread,
    PersonInfo,
    QueueRow,
    RecipientDue,
    ReplyRecord,
    ThreadRecord,
    ThreadRepository,
)
from asyncfirst.services.meeting_ports import FeedRepository, MeetingRepository
from asyncfirst.services.notify_ports import (
    DeliveryRepository,
    NotificationOutbox,
    WebhookRepository,
)
from asyncfirst.services.paging import PageCursor
from asyncfirst.services.pulse_ports import PulseRepository
from asyncfirst.services.web_ports import WebRepository

__all__ = ["read_together"]


class _Remembering:
    """The shared transaction's threads, answering "does this team exist" and "who is this
    person" once per page (they cannot change under a page's reads); the rest is passed on."""

    def __init__(self, inner: ThreadRepository) -> None:
        self._inner = inner
        self._teams: dict[str, bool] = {}
        self._people: dict[str, PersonInfo | None] = {}

    def team_exists(self, key: str) -> bool:
        if key not in self._teams:
            self._teams[key] = self._inner.team_exists(key)
        return self._teams[key]

    def person(self, key: str) -> PersonInfo | None:
        if key not in self._people:
            self._people[key] = self._inner.person(key)
        return self._people[key]

    def team_members(self, key: str) -> list[str]:
        return self._inner.team_members(key)

    def add_thread(self, thread: NewThread) -> int:
        return self._inner.add_thread(thread)

    def add_recipients(self, thread_id: int, dues: Sequence[RecipientDue]) -> None:
        self._inner.add_recipients(thread_id, dues)

    def thread(self, thread_id: int) -> ThreadRecord | None:
        return self._inner.thread(thread_id)

    def team_threads(self, team: str) -> list[ThreadRecord]:
        return self._inner.team_threads(team)

    def team_threads_page(
        self, team: str, limit: int, after: PageCursor | None
    ) -> list[ThreadRecord]:
        return self._inner.team_threads_page(team, limit, after)

    def replies(self, thread_id: int) -> list[ReplyRecord]:
        return self._inner.replies(thread_id)

    def add_reply(self, thread_id: int, author: str, body: str, at: datetime) -> int:
        return self._inner.add_reply(thread_id, author, body, at)

    def mark_answered(self, thread_id: int, person: str, at: datetime) -> bool:
        return self._inner.mark_answered(thread_id, person, at)

    def open_queue(self, person: str) -> list[QueueRow]:
        return self._inner.open_queue(person)

    def open_queue_page(self, person: str, limit: int, after: PageCursor | None) -> list[QueueRow]:
        return self._inner.open_queue_page(person, limit, after)

    def open_queue_count(self, person: str) -> int:
        return self._inner.open_queue_count(person)


class _Lent:
    """An open unit of work lent to one use case after another: entering it again opens
    nothing, and leaving it ends nothing (the owner's ``with`` does)."""

    threads: ThreadRepository
    access: AccessRepository
    decisions: DecisionRepository
    checkins: CheckinRepository
    handoffs: HandoffRepository
    pulses: PulseRepository
    charter: CharterRepository
    web: WebRepository
    outbox: NotificationOutbox
    webhooks: WebhookRepository
    deliveries: DeliveryRepository
    meetings: MeetingRepository
    feeds: FeedRepository
    coffee: CoffeeRepository

    def __init__(self, uow: HubUnitOfWork) -> None:
        self.threads: ThreadRepository = _Remembering(uow.threads)
        self.access, self.decisions = uow.access, uow.decisions
        self.checkins, self.handoffs, self.pulses = uow.checkins, uow.handoffs, uow.pulses
        self.charter, self.web, self.outbox = uow.charter, uow.web, uow.outbox
        self.webhooks, self.deliveries = uow.webhooks, uow.deliveries
        self.meetings, self.feeds, self.coffee = uow.meetings, uow.feeds, uow.coffee

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        return None

    def commit(self) -> None:
        raise RuntimeError(
            "a page's shared reads cannot commit: write in a unit of work of its own"
        )


@contextmanager
def read_together(
    unit_of_work: Callable[[], HubUnitOfWork],
) -> Iterator[Callable[[], HubUnitOfWork]]:
    """A unit-of-work factory whose every unit is one transaction, open until the block ends."""
    with unit_of_work() as uow:
        lent = _Lent(uow)
        yield lambda: lent
