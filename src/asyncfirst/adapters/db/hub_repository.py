"""The hub's tables behind the ``HubUnitOfWork`` port (threads, recipients, replies).

Tokens and roles live in ``access_repository``; both work on the unit of work's one
connection, inside its transaction. People and teams are named by charter id here and by
integer id in the tables; the translation stays in this module.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from types import TracebackType
from typing import Any, Self

from sqlalchemy import (
    Connection,
    Engine,
    Integer,
    Row,
    and_,
    bindparam,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError, IntegrityError

from asyncfirst.adapters.db.access_repository import (
    SqlAccessRepository,
    person_id,
    person_id_of,
)
from asyncfirst.adapters.db.checkin_repository import SqlCheckinRepository
from asyncfirst.adapters.db.coffee_repository import SqlCoffeeRepository
from asyncfirst.adapters.db.decision_repository import SqlDecisionRepository
from asyncfirst.adapters.db.delivery_repository import SqlDeliveryRepository
from asyncfirst.adapters.db.engine import WriteTurn, display_url, sqlite_write_turn, unavailable
from asyncfirst.adapters.db.errors import StorageError
from asyncfirst.adapters.db.handoff_repository import SqlHandoffRepository
from asyncfirst.adapters.db.meeting_repository import SqlFeedRepository, SqlMeetingRepository
from asyncfirst.adapters.db.notification_repository import SqlNotificationOutbox
from asyncfirst.adapters.db.pulse_repository import SqlPulseRepository
from asyncfirst.adapters.db.repository import SqlCharterRepository
from asyncfirst.adapters.db.rows import inserted_id
from asyncfirst.adapters.db.tables import people, replies, teams, thread_recipients, threads
from asyncfirst.adapters.db.web_repository import SqlWebRepository
from asyncfirst.adapters.db.webhook_repository import SqlWebhookRepository
from asyncfirst.services.charter_records import CharterRepository
from asyncfirst.services.checkin_ports import CheckinRepository
from asyncfirst.services.coffee_ports import CoffeeRepository
from asyncfirst.services.decision_ports import DecisionRepository
from asyncfirst.services.handoff_ports import HandoffRepository
from asyncfirst.services.hub_ports import (
    AccessRepository,
    NewThread,
    PersonInfo,
    QueueRow,
    RecipientDue,
    RecipientState,
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

__all__ = ["SqlHubUnitOfWork", "SqlThreadRepository"]

_author = people.alias("author")
_team = teams.alias("team")
_THREAD_COLUMNS = (
    threads.c.id, _team.c.key.label("team_key"), _author.c.key.label("author_key"),
    _author.c.name.label("author_name"), threads.c.kind, threads.c.title, threads.c.body,
    threads.c.created_at,
)  # fmt: skip


def _threads_query() -> Any:
    return (
        select(*_THREAD_COLUMNS)
        .join(_team, threads.c.team_id == _team.c.id)
        .join(_author, threads.c.author_id == _author.c.id)
    )


def _team_page_queries() -> tuple[Any, Any, Any, Any]:
    """A page of a team's threads in the list's order: waiting threads first by their
    earliest open respond-by (the stored ``next_due``, then id), then answered ones newest
    first. Each part is a range of the index on (team, next_due, id), so a page reads
    ``limit`` threads however many the team has. Four statements, built once here
    (compiled once per dialect, then taken from SQLAlchemy's statement cache): the first
    waiting page, the waiting page after a cursor, the first answered page and the
    answered page after a cursor."""
    due, thread_id = threads.c.next_due, threads.c.id
    of_team = _threads_query().where(_team.c.key == bindparam("team")).limit(bindparam("limit"))
    waiting = of_team.where(due.is_not(None)).order_by(due, thread_id)
    after_due = bindparam("after_due", type_=due.type)
    after_id = bindparam("after_id", type_=Integer)
    waiting_after = waiting.where(
        or_(due > after_due, and_(due == after_due, thread_id > after_id))
    )
    done = of_team.where(due.is_(None)).order_by(thread_id.desc())
    return waiting, waiting_after, done, done.where(thread_id < after_id)


_WAITING_PAGE, _WAITING_PAGE_AFTER, _ANSWERED_PAGE, _ANSWERED_PAGE_AFTER = _team_page_queries()
_REFRESH_NEXT_DUE = (
    update(threads)
    .where(threads.c.id == bindparam("thread"))
    .values(
        next_due=select(func.min(thread_recipients.c.respond_by))
        .where(
            thread_recipients.c.thread_id == bindparam("thread"),
            thread_recipients.c.answered_at.is_(None),
        )
        .scalar_subquery()
    )
)

# Statements built once: SQLAlchemy memoises a statement object's cache key, so running
# one of these only looks its compiled form up; building the selects on every call (and
# hashing them into keys) was about 4 % of the server's samples under load.
_TEAM_ID = select(teams.c.id).where(teams.c.key == bindparam("key"), teams.c.active)
_PERSON = (
    select(people.c.key, people.c.name, teams.c.key.label("team"), people.c.zone, people.c.active)
    .join(teams, people.c.team_id == teams.c.id)
    .where(people.c.key == bindparam("key"))
)
_TEAM_MEMBERS = (
    select(people.c.key)
    .join(teams, people.c.team_id == teams.c.id)
    .where(teams.c.key == bindparam("key"), people.c.active)
    .order_by(people.c.id)
)
_THREAD = _threads_query().where(threads.c.id == bindparam("id"))
_RECIPIENTS = (
    select(thread_recipients.c.thread_id, people.c.key, people.c.name,
           thread_recipients.c.respond_by, thread_recipients.c.zone,
           thread_recipients.c.answered_at)
    .join(people, thread_recipients.c.person_id == people.c.id)
    .where(thread_recipients.c.thread_id.in_(bindparam("ids", expanding=True)))
    .order_by(thread_recipients.c.respond_by, thread_recipients.c.id)
)  # fmt: skip
_REPLIES = (
    select(replies, people.c.key.label("author_key"), people.c.name.label("author_name"))
    .join(people, replies.c.author_id == people.c.id)
    .where(replies.c.thread_id == bindparam("thread_id"))
    .order_by(replies.c.created_at, replies.c.id)
)

# The respond-by queue (``GET /me/queue``, My day): the person's row id is a subquery, not
# a round trip of its own.
_OPEN_QUEUE = (
    _threads_query()
    .add_columns(thread_recipients.c.respond_by, thread_recipients.c.zone)
    .join(
        thread_recipients,
        and_(
            thread_recipients.c.thread_id == threads.c.id,
            thread_recipients.c.answered_at.is_(None),
        ),
    )
    .where(
        thread_recipients.c.person_id
        == select(people.c.id).where(people.c.key == bindparam("person")).scalar_subquery()
    )
)

_QUEUE_ORDER = (thread_recipients.c.respond_by, threads.c.id)
_OPEN_QUEUE_PAGE = _OPEN_QUEUE.order_by(*_QUEUE_ORDER).limit(bindparam("limit"))
_OPEN_QUEUE_PAGE_AFTER = _OPEN_QUEUE_PAGE.where(
    or_(
        thread_recipients.c.respond_by
        > bindparam("after_due", type_=thread_recipients.c.respond_by.type),
        and_(
            thread_recipients.c.respond_by == bindparam("after_due"),
            threads.c.id > bindparam("after_id", type_=Integer),
        ),
    )
)
_OPEN_QUEUE_COUNT = (
    select(func.count())
    .select_from(thread_recipients)
    .where(
        thread_recipients.c.answered_at.is_(None),
        thread_recipients.c.person_id
        == select(people.c.id).where(people.c.key == bindparam("person")).scalar_subquery(),
    )
)


class SqlThreadRepository:
    """Threads, their recipients and replies, on one connection."""

    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def _team_id(self, key: str) -> int | None:
        found = self._db.scalar(_TEAM_ID, {"key": key})
        return None if found is None else int(found)

    def person(self, key: str) -> PersonInfo | None:
        row = self._db.execute(_PERSON, {"key": key}).first()
        return (
            None if row is None else PersonInfo(row.key, row.name, row.team, row.zone, row.active)
        )

    def team_exists(self, key: str) -> bool:
        return self._team_id(key) is not None

    def team_members(self, key: str) -> list[str]:
        return list(self._db.scalars(_TEAM_MEMBERS, {"key": key}))

    def add_thread(self, thread: NewThread) -> int:
        team_id = self._team_id(thread.team)
        if team_id is None:
            raise RuntimeError(f'no active team "{thread.team}"')
        result = self._db.execute(
            insert(threads).values(
                team_id=team_id, author_id=person_id(self._db, thread.author), kind=thread.kind,
                title=thread.title, body=thread.body, created_at=thread.created_at,
            )
        )  # fmt: skip
        return inserted_id(result, "thread")

    def add_recipients(self, thread_id: int, dues: Sequence[RecipientDue]) -> None:
        for due in dues:
            self._db.execute(
                insert(thread_recipients).values(
                    thread_id=thread_id, person_id=person_id_of(due.person),
                    respond_by=due.respond_by, zone=due.zone,
                )
            )  # fmt: skip
        self._db.execute(_REFRESH_NEXT_DUE, {"thread": thread_id})

    def _recipients(self, thread_ids: list[int]) -> dict[int, list[RecipientState]]:
        rows = self._db.execute(_RECIPIENTS, {"ids": thread_ids})
        found: dict[int, list[RecipientState]] = defaultdict(list)
        for row in rows:
            found[row.thread_id].append(
                RecipientState(row.key, row.name, row.respond_by, row.zone, row.answered_at)
            )
        return found

    def _records(self, rows: Sequence[Row[Any]]) -> list[ThreadRecord]:
        recipients = self._recipients([row.id for row in rows]) if rows else {}
        return [
            ThreadRecord(
                row.id,
                row.team_key,
                row.author_key,
                row.author_name,
                row.kind,
                row.title,
                row.body,
                row.created_at,
                tuple(recipients.get(row.id, ())),
            )
            for row in rows
        ]

    def thread(self, thread_id: int) -> ThreadRecord | None:
        rows = list(self._db.execute(_THREAD, {"id": thread_id}))
        records = self._records(rows)
        return records[0] if records else None

    def team_threads(self, team: str) -> list[ThreadRecord]:
        query = _threads_query().where(_team.c.key == team).order_by(threads.c.id.desc())
        return self._records(list(self._db.execute(query)))

    def team_threads_page(
        self, team: str, limit: int, after: PageCursor | None
    ) -> list[ThreadRecord]:
        params: dict[str, Any] = {"team": team, "limit": limit}
        if after is not None and after.due is None:  # the cursor is in the answered part
            params |= {"after_id": after.id}
            return self._records(self._db.execute(_ANSWERED_PAGE_AFTER, params).all())
        if after is None:
            rows = self._db.execute(_WAITING_PAGE, params).all()
        else:
            after_params = params | {"after_due": after.due, "after_id": after.id}
            rows = self._db.execute(_WAITING_PAGE_AFTER, after_params).all()
        if len(rows) < limit:  # the waiting part ends on this page: answered ones follow
            params["limit"] = limit - len(rows)
            rows = [*rows, *self._db.execute(_ANSWERED_PAGE, params).all()]
        return self._records(rows)

    def replies(self, thread_id: int) -> list[ReplyRecord]:
        rows = self._db.execute(_REPLIES, {"thread_id": thread_id})
        return [
            ReplyRecord(r.id, r.thread_id, r.author_key, r.author_name, r.body, r.created_at)
            for r in rows
        ]

    def add_reply(self, thread_id: int, author: str, body: str, at: datetime) -> int:
        result = self._db.execute(
            insert(replies).values(
                thread_id=thread_id, author_id=person_id_of(author), body=body, created_at=at
            )
        )
        return inserted_id(result, "reply")

    def mark_answered(self, thread_id: int, person: str, at: datetime) -> bool:
        r = thread_recipients
        result = self._db.execute(
            update(r)
            .where(
                r.c.thread_id == thread_id,
                r.c.person_id == person_id_of(person),
                r.c.answered_at.is_(None),
            )
            .values(answered_at=at)
        )
        if not result.rowcount:
            return False
        self._db.execute(_REFRESH_NEXT_DUE, {"thread": thread_id})
        return True

    def open_queue(self, person: str) -> list[QueueRow]:
        return _queue_rows(self._db.execute(_OPEN_QUEUE, {"person": person}).all())

    def open_queue_page(self, person: str, limit: int, after: PageCursor | None) -> list[QueueRow]:
        params: dict[str, Any] = {"person": person, "limit": limit}
        if after is None:
            return _queue_rows(self._db.execute(_OPEN_QUEUE_PAGE, params).all())
        params |= {"after_due": after.due, "after_id": after.id}
        return _queue_rows(self._db.execute(_OPEN_QUEUE_PAGE_AFTER, params).all())

    def open_queue_count(self, person: str) -> int:
        return int(self._db.scalar(_OPEN_QUEUE_COUNT, {"person": person}) or 0)


def _queue_rows(rows: Sequence[Row[Any]]) -> list[QueueRow]:
    return [
        QueueRow(row.id, row.team_key, row.kind, row.title, row.author_key, row.created_at,
                 row.respond_by, row.zone)
        for row in rows
    ]  # fmt: skip


class SqlHubUnitOfWork:
    """One transaction on ``engine``, rolled back on leaving unless ``commit`` was called.

    On SQLite it begins ``IMMEDIATE``: the hub's transactions are short, and taking the
    write lock first means a read-then-write never fails halfway with "database is locked".
    Writers take turns at that lock first (``engine.sqlite_write_turn``: the threads of a
    process in Python, processes on a file lock), so none of them sleeps in SQLite's busy
    handler.

    ``read_only=True`` (``HubContext.read_unit_of_work``, for pages and lists) reads one
    consistent snapshot and may not write: on SQLite a deferred ``BEGIN`` that neither takes
    the write turn nor waits for a writer (WAL lets readers run beside it), with
    ``PRAGMA query_only`` on while it lasts; on PostgreSQL a ``READ ONLY`` transaction.
    Either way a write is refused by the database, and ``commit`` raises.
    """

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

    def __init__(self, engine: Engine, *, read_only: bool = False) -> None:
        self._engine = engine
        self._read_only = read_only
        self._connection: Connection | None = None
        self._turn: WriteTurn | None = None
        self._query_only: Any = None  # the SQLite connection whose query_only is on

    def __enter__(self) -> Self:
        try:
            self._connection = self._begin(self._engine.dialect.name == "sqlite")
        except DBAPIError as error:
            self._close()
            raise unavailable(self._engine, error) from None
        except BaseException:
            self._close()
            raise
        self.threads = SqlThreadRepository(self._connection)
        self.access = SqlAccessRepository(self._connection)
        self.decisions = SqlDecisionRepository(self._connection)
        self.checkins = SqlCheckinRepository(self._connection)
        self.handoffs = SqlHandoffRepository(self._connection)
        self.pulses = SqlPulseRepository(self._connection)
        self.charter = SqlCharterRepository(self._connection)
        self.web = SqlWebRepository(self._connection)
        self.outbox = SqlNotificationOutbox(self._connection)
        self.webhooks = SqlWebhookRepository(self._connection)
        self.deliveries = SqlDeliveryRepository(self._connection)
        self.meetings = SqlMeetingRepository(self._connection)
        self.feeds = SqlFeedRepository(self._connection)
        self.coffee = SqlCoffeeRepository(self._connection)
        return self

    def _begin(self, sqlite: bool) -> Connection:
        connection = self._engine.connect()
        self._connection = connection  # closed by ``_close`` if what follows fails
        if not sqlite:
            if self._read_only:  # psycopg then begins "BEGIN READ ONLY": no extra round trip
                connection.execution_options(postgresql_readonly=True)
            connection.begin()
            return connection
        connection.begin()  # pysqlite emits nothing here: the BEGIN below is ours
        if not self._read_only:
            # The turn only once a pooled connection is in hand: its holder never waits
            # for one, so writers do not queue behind readers holding the pool.
            self._turn = sqlite_write_turn(self._engine)  # see there: no busy-handler sleeps
            self._turn.acquire()
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            return connection
        raw = connection.connection.dbapi_connection
        if raw is None:  # a connection just checked out of the pool always has one
            raise RuntimeError("the pooled SQLite connection has no driver connection")
        raw.execute("PRAGMA query_only = ON")  # straight on sqlite3: cheaper than a statement
        self._query_only = raw
        raw.execute("BEGIN")  # deferred: a snapshot at the first read, never the write lock
        return connection

    def commit(self) -> None:
        if self._connection is None:
            raise RuntimeError("commit outside the unit of work")
        if self._read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        self._connection.commit()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._close(ended_cleanly=exc is None)
        if isinstance(exc, IntegrityError):
            raise StorageError(
                f"the database at {display_url(self._engine.url)} refused the change "
                f"({str(exc.orig).strip().splitlines()[0]})"
            ) from exc
        if isinstance(exc, DBAPIError) and exc.connection_invalidated:
            raise unavailable(self._engine, exc) from exc

    def _close(self, *, ended_cleanly: bool = False) -> None:
        try:
            if self._connection is not None:
                if ended_cleanly and self._read_only and self._engine.dialect.name != "sqlite":
                    # PostgreSQL, READ ONLY: COMMIT ends it exactly as ROLLBACK would, but
                    # psycopg forgets every prepared statement of the connection on a
                    # ROLLBACK; ending reads that way meant no statement was ever prepared,
                    # and PostgreSQL parsed and planned each one again (docs/reliability.md)
                    self._connection.commit()
                self._connection.rollback()
                if self._query_only is not None:  # the pooled connection may write again
                    self._query_only.execute("PRAGMA query_only = OFF")
                    self._query_only = None
                self._connection.close()
                self._connection = None
        finally:
            if self._turn is not None:
                self._turn.release()
                self._turn = None
