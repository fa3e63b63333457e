"""Use cases of the hub's threads: post an update or a question, reply, and read them.

Each recipient's respond-by is counted in their own working time (their hours, holidays
and time off) from the moment of posting: the recipient team's ``respond_by_hours`` unless
the author asks for another number of working hours. A recipient's first reply marks
them answered. Reads return views sorted by due time (``thread_views``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from asyncfirst.domain.errors import InputError, UnknownEntityError
from asyncfirst.domain.model import Organisation
from asyncfirst.services.access import Actor, TeamRef, ThreadRef, not_found, require
from asyncfirst.services.hub_ports import (
    HubUnitOfWork,
    NewThread,
    RecipientDue,
    ThreadKind,
    ThreadRecord,
)
from asyncfirst.services.paging import (
    PAGE_DEFAULT,
    check_limit,
    cursor_text,
    parse_cursor,
    parse_due_cursor,
)
from asyncfirst.services.ports import Clock
from asyncfirst.services.respond_by import respond_by
from asyncfirst.services.thread_views import QueueItem, ThreadView, utc_text

__all__ = [
    "THREAD_KINDS",
    "QueuePage",
    "ThreadPage",
    "list_threads",
    "my_queue",
    "page_queue",
    "page_threads",
    "post_thread",
    "reply",
    "show_thread",
]

THREAD_KINDS: tuple[ThreadKind, ...] = ("update", "question")
TITLE_MAX = 200
BODY_MAX = 20_000


def _kind(kind: str) -> ThreadKind:
    for known in THREAD_KINDS:
        if kind == known:
            return known
    raise InputError(
        f'kind "{kind}" is not one of: {", ".join(THREAD_KINDS)}', field="kind", value=kind
    )


def _text(value: str, name: str, limit: int) -> str:
    text = value.strip()
    if not text:
        raise InputError(f"{name} is empty; write something", field=name)
    if len(text) > limit:
        raise InputError(f"{name} is {len(text)} characters; at most {limit}", field=name)
    return text


def _recipients(
    uow: HubUnitOfWork, team: str, author: str, wanted: Sequence[str] | None
) -> list[str]:
    if wanted is None:
        chosen = [p for p in uow.threads.team_members(team) if p != author]
    else:
        chosen = list(dict.fromkeys(p.strip() for p in wanted))
        unknown = [p for p in chosen if (info := uow.threads.person(p)) is None or not info.active]
        if unknown:
            raise UnknownEntityError(
                f"unknown recipient(s): {', '.join(unknown)}", field="recipients", value=unknown
            )
    if not chosen:
        raise InputError(f'nobody to ask: team "{team}" has no other member', field="recipients")
    return chosen


def _thread_ref(record: ThreadRecord) -> ThreadRef:
    return ThreadRef(
        record.id, record.team, record.author, frozenset(r.person for r in record.recipients)
    )


def post_thread(
    uow: HubUnitOfWork,
    clock: Clock,
    org: Organisation,
    actor: Actor,
    team: str,
    kind: str,
    title: str,
    body: str,
    recipients: Sequence[str] | None = None,
    hours: float | None = None,
) -> ThreadView:
    """Post to ``team``; recipients default to its members (the author left out)."""
    thread_kind, title, body = (
        _kind(kind),
        _text(title, "title", TITLE_MAX),
        _text(body, "body", BODY_MAX),
    )
    with uow:
        if not uow.threads.team_exists(team):
            raise not_found(TeamRef(team))
        require(actor, "team.post", TeamRef(team))
        sent = clock.now()
        dues = []
        for person in _recipients(uow, team, actor.person_id, recipients):
            due = respond_by(org, person, sent, hours)
            dues.append(RecipientDue(person, due.due, due.schedule.zone_name))
        thread_id = uow.threads.add_thread(
            NewThread(team, actor.person_id, thread_kind, title, body, sent)
        )
        uow.threads.add_recipients(thread_id, dues)
        record = uow.threads.thread(thread_id)
        uow.commit()
    if record is None:  # pragma: no cover - just written in the same transaction
        raise RuntimeError(f"thread {thread_id} vanished")
    return ThreadView(record, replies=())


def _visible(uow: HubUnitOfWork, actor: Actor, thread_id: int) -> ThreadRecord:
    record = uow.threads.thread(thread_id)
    if record is None:
        raise not_found(ThreadRef(thread_id, "", ""))
    require(actor, "thread.read", _thread_ref(record))
    return record


def reply(
    uow: HubUnitOfWork, clock: Clock, actor: Actor, thread_id: int, body: str
) -> dict[str, object]:
    """Reply to a thread the actor can read; a recipient's first reply marks them answered."""
    body = _text(body, "body", BODY_MAX)
    with uow:
        record = _visible(uow, actor, thread_id)
        require(actor, "thread.reply", _thread_ref(record))
        now = clock.now()
        reply_id = uow.threads.add_reply(thread_id, actor.person_id, body, now)
        answered = uow.threads.mark_answered(thread_id, actor.person_id, now)
        uow.commit()
    return {
        "id": reply_id,
        "thread_id": thread_id,
        "author": actor.person_id,
        "body": body,
        "created_at": utc_text(now),
        "marked_answered": answered,
    }


def show_thread(uow: HubUnitOfWork, actor: Actor, thread_id: int) -> ThreadView:
    """One thread with its recipients and replies."""
    with uow:
        record = _visible(uow, actor, thread_id)
        return ThreadView(record, tuple(uow.threads.replies(thread_id)))


def list_threads(uow: HubUnitOfWork, actor: Actor, team: str) -> list[ThreadView]:
    """The team's threads: those still waiting first, by their earliest open respond-by."""
    with uow:
        if not uow.threads.team_exists(team):
            raise not_found(TeamRef(team))
        require(actor, "team.read", TeamRef(team))
        views = [ThreadView(t) for t in uow.threads.team_threads(team)]
    waiting = sorted((v for v in views if v.next_due), key=lambda v: (v.next_due, v.thread.id))
    done = sorted((v for v in views if not v.next_due), key=lambda v: -v.thread.id)
    return waiting + done


@dataclass(frozen=True, slots=True)
class ThreadPage:
    """Some of a team's threads in the list's order, and the cursor of the next page
    (None on the last)."""

    threads: list[ThreadView]
    next_cursor: str | None


def page_threads(
    uow: HubUnitOfWork,
    actor: Actor,
    team: str,
    limit: int = PAGE_DEFAULT,
    cursor: str | None = None,
) -> ThreadPage:
    """A page of ``list_threads``'s list (same order), read from the database page by page."""
    check_limit(limit)
    after = None if cursor is None else parse_cursor(cursor)
    with uow:
        if not uow.threads.team_exists(team):
            raise not_found(TeamRef(team))
        require(actor, "team.read", TeamRef(team))
        records = uow.threads.team_threads_page(team, limit + 1, after)
    views = [ThreadView(record) for record in records[:limit]]
    more = len(records) > limit
    last = views[-1] if more else None
    return ThreadPage(views, cursor_text(last.next_due, last.thread.id) if last else None)


@dataclass(frozen=True, slots=True)
class QueuePage:
    """Some of the actor's queue, soonest due first; how many wait in all; the cursor of
    the next page (None on the last)."""

    items: list[QueueItem]
    total: int
    next_cursor: str | None


def page_queue(
    uow: HubUnitOfWork,
    clock: Clock,
    actor: Actor,
    limit: int = PAGE_DEFAULT,
    cursor: str | None = None,
) -> QueuePage:
    """A page of ``my_queue``'s list (same order), read from the database page by page:
    a queue nobody works through grows with every thread, a page does not."""
    require(actor, "me.read")
    check_limit(limit)
    after = None if cursor is None else parse_due_cursor(cursor)
    now = clock.now()
    with uow:
        rows = uow.threads.open_queue_page(actor.person_id, limit + 1, after)
        total = uow.threads.open_queue_count(actor.person_id)
    items = [QueueItem(row, overdue=row.respond_by <= now) for row in rows[:limit]]
    last = items[-1].row if len(rows) > limit else None
    return QueuePage(items, total, cursor_text(last.respond_by, last.thread_id) if last else None)


def my_queue(uow: HubUnitOfWork, clock: Clock, actor: Actor) -> list[QueueItem]:
    """What the actor still has to answer, soonest due first."""
    require(actor, "me.read")
    now = clock.now()
    with uow:
        rows = uow.threads.open_queue(actor.person_id)
    rows.sort(key=lambda r: (r.respond_by, r.thread_id))
    return [QueueItem(row, overdue=row.respond_by <= now) for row in rows]
