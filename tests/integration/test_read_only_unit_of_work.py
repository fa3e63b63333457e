"""Read-only units of work (``HubContext.read_unit_of_work``): lists and pages read a
snapshot without queueing for SQLite's write turn, and the database refuses their writes.

On SQLite and PostgreSQL: a reader's INSERT is refused by the database (``PRAGMA
query_only`` / a ``READ ONLY`` transaction) and so is its ``commit``; the pooled
connection it used writes again afterwards. On SQLite: a reader runs while another thread
holds the write turn in an open ``BEGIN IMMEDIATE`` transaction, and sees only what was
committed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import DBAPIError

from asyncfirst import bootstrap, bootstrap_api, bootstrap_db
from asyncfirst.adapters.db.engine import sqlite_write_turn
from asyncfirst.adapters.db.hub_repository import SqlHubUnitOfWork
from asyncfirst.domain.model import Organisation
from asyncfirst.services.access import Actor, Role
from asyncfirst.services.charter_sync import apply_charter
from asyncfirst.services.hub_ports import HubContext, HubUnitOfWork, NewThread
from asyncfirst.services.threads import list_threads, post_thread

KENJI = Actor("kenji", frozenset({Role("member", "coding")}))


@pytest.fixture
def hub(database_url: str, demo_org: Organisation) -> Iterator[HubContext]:
    bootstrap_db.upgrade_database(database_url)
    apply_charter(demo_org, "demo", uow=bootstrap_db.charter_unit_of_work(database_url),
                  clock=bootstrap.clock(), changed_by="tests")  # fmt: skip
    context = bootstrap_api.hub_context(demo_org, database_url)
    try:
        yield context
    finally:
        context.close()


def _thread(title: str) -> NewThread:
    return NewThread(
        team="coding", author="kenji", kind="update", title=title, body="b",
        created_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
    )  # fmt: skip


def _titles(hub: HubContext) -> list[str]:
    return sorted(
        v.to_dict()["title"] for v in list_threads(hub.read_unit_of_work(), KENJI, "coding")
    )


def test_a_reader_refuses_writes_and_commits_then_its_connection_writes_again(
    hub: HubContext, demo_org: Organisation
) -> None:
    with hub.read_unit_of_work() as reader, pytest.raises(DBAPIError, match=r"(?i)read.?only"):
        reader.threads.add_thread(_thread("written by a reader"))
    with hub.read_unit_of_work() as reader, pytest.raises(RuntimeError, match="read-only"):
        reader.commit()
    post_thread(hub.unit_of_work(), hub.clock, demo_org, KENJI, "coding", "update", "after", "b")
    assert _titles(hub) == ["after"]  # the pooled connection wrote again; the reader did not


def test_a_sqlite_reader_does_not_wait_for_the_writer(hub: HubContext, database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("the write turn and BEGIN IMMEDIATE are SQLite's")
    with hub.unit_of_work() as uow:
        uow.threads.add_thread(_thread("committed"))
        uow.commit()
    writing, release = threading.Event(), threading.Event()

    def slow_writer() -> None:
        with hub.unit_of_work() as uow:  # holds the turn and SQLite's write lock
            uow.threads.add_thread(_thread("not yet committed"))
            writing.set()
            release.wait(10)
            uow.commit()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    try:
        assert writing.wait(10)
        uow = hub.unit_of_work()
        assert isinstance(uow, SqlHubUnitOfWork)
        assert not sqlite_write_turn(uow._engine).acquire(timeout=0.05)  # the writer has it
        began = time.monotonic()
        seen = _titles(hub)
        waited = time.monotonic() - began
    finally:
        release.set()
        writer.join()
    assert seen == ["committed"]  # a snapshot: the open transaction is not seen
    assert waited < 1.0  # neither the writer's turn nor SQLite's busy timeout (5 s)
    assert _titles(hub) == ["committed", "not yet committed"]


def test_without_a_reader_reads_use_the_unit_of_work(demo_org: Organisation) -> None:
    made: list[str] = []

    def maker(kind: str) -> HubUnitOfWork:
        made.append(kind)
        return SqlHubUnitOfWork.__new__(SqlHubUnitOfWork)  # only counted, never entered

    plain = HubContext(lambda: maker("write"), bootstrap.clock(), demo_org)
    plain.read_unit_of_work()
    both = HubContext(lambda: maker("write"), bootstrap.clock(), demo_org,
                      reader=lambda: maker("read"))  # fmt: skip
    both.read_unit_of_work()
    assert made == ["write", "read"]


def test_a_postgresql_reader_keeps_its_statements_prepared(
    hub: HubContext, database_url: str
) -> None:
    """psycopg prepares a statement run five times on a connection, but forgets all of
    them on a ROLLBACK: readers that ended that way never had a statement prepared, and
    PostgreSQL parsed and planned each one again (about a quarter of its time under the
    load mix). A clean read ends with COMMIT, the same for a READ ONLY transaction."""
    if not database_url.startswith("postgresql"):
        pytest.skip("prepared statements are PostgreSQL's (psycopg's prepare_threshold)")
    for _ in range(8):  # one at a time: the pool hands back the same connection
        assert _titles(hub) == []
    with hub.read_unit_of_work() as reader:
        assert isinstance(reader, SqlHubUnitOfWork) and reader._connection is not None
        prepared = reader._connection.exec_driver_sql(
            "SELECT statement FROM pg_prepared_statements"
        ).scalars().all()  # fmt: skip
    assert any("FROM threads" in statement for statement in prepared), prepared
    with hub.read_unit_of_work() as reader, pytest.raises(DBAPIError, match=r"(?i)read.?only"):
        reader.threads.add_thread(_thread("written by a reader"))  # an error still rolls back
    assert _titles(hub) == []
