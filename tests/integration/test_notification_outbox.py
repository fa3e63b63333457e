"""The notification outbox on SQLite and PostgreSQL: each key kept once, even under a race."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, func, select

from asyncfirst import bootstrap, bootstrap_db
from asyncfirst.adapters.db.engine import create_engine
from asyncfirst.adapters.db.hub_repository import SqlHubUnitOfWork
from asyncfirst.adapters.db.tables import notifications
from asyncfirst.domain.model import Organisation
from asyncfirst.domain.notifications import Notification
from asyncfirst.services.charter_sync import apply_charter

AT = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)


@pytest.fixture
def hub_engine(database_url: str, demo_org: Organisation) -> Iterator[Engine]:
    bootstrap_db.upgrade_database(database_url)
    apply_charter(demo_org, "demo", uow=bootstrap_db.charter_unit_of_work(database_url),
                  clock=bootstrap.FixedClock(AT), changed_by="tests")  # fmt: skip
    engine = create_engine(database_url)
    try:
        yield engine
    finally:
        engine.dispose()


def _reminder(
    key: str = "reminder:thread:12:kenji", text: str = "Respond by 10:00"
) -> Notification:
    return Notification(
        key=key, kind="reminder", team="coding", subject="Thread 12 needs you", text=text,
        created_at=AT, recipients=("kenji",), link="/api/threads/12",
        data={"thread": 12, "person": "kenji", "note": None},
    )  # fmt: skip


def _count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(notifications)) or 0)


def test_enqueue_keeps_every_field_and_a_key_once(hub_engine: Engine) -> None:
    with SqlHubUnitOfWork(hub_engine) as uow:
        assert uow.outbox.enqueue(_reminder()) is True
        assert uow.outbox.enqueue(_reminder(text="a second job run")) is False
        uow.commit()
    with SqlHubUnitOfWork(hub_engine) as uow:
        assert uow.outbox.enqueue(_reminder(text="a later transaction")) is False
        assert uow.outbox.enqueue(_reminder(key="reminder:thread:12:yuki")) is True
        uow.commit()
    with hub_engine.connect() as connection:
        rows = list(connection.execute(select(notifications).order_by(notifications.c.id)))
    assert [r.key for r in rows] == ["reminder:thread:12:kenji", "reminder:thread:12:yuki"]
    first = rows[0]
    assert (first.kind, first.subject, first.text, first.link) == (
        "reminder", "Thread 12 needs you", "Respond by 10:00", "/api/threads/12"
    )  # fmt: skip
    assert first.recipients == ["kenji"]
    assert first.data == {"thread": 12, "person": "kenji", "note": None}
    assert first.created_at == AT and first.created_at.tzinfo is not None
    assert first.fanned_out_at is None


def test_a_rolled_back_enqueue_keeps_nothing(hub_engine: Engine) -> None:
    with SqlHubUnitOfWork(hub_engine) as uow:
        assert uow.outbox.enqueue(_reminder()) is True
    assert _count(hub_engine) == 0
    with SqlHubUnitOfWork(hub_engine) as uow:
        assert uow.outbox.enqueue(_reminder()) is True
        uow.commit()
    assert _count(hub_engine) == 1


def test_an_unknown_team_is_refused_by_name(hub_engine: Engine) -> None:
    stray = Notification("k", "digest", "nobody", "s", "t", AT)
    with SqlHubUnitOfWork(hub_engine) as uow, pytest.raises(RuntimeError, match='"nobody"'):
        uow.outbox.enqueue(stray)


def test_two_transactions_racing_on_one_key_keep_it_once_and_neither_fails(
    hub_engine: Engine,
) -> None:
    """The first holds its insert uncommitted while the second tries the same key.

    On PostgreSQL the second waits on the unique index and then inserts nothing; on SQLite
    it waits for the write lock (``BEGIN IMMEDIATE``) and then finds the key.
    """
    results: dict[str, bool | BaseException] = {}
    second_started = threading.Event()

    def second() -> None:
        try:
            second_started.set()
            with SqlHubUnitOfWork(hub_engine) as uow:
                results["second"] = uow.outbox.enqueue(_reminder(text="second"))
                uow.commit()
        except BaseException as error:  # reported by the assertion below
            results["second"] = error

    with SqlHubUnitOfWork(hub_engine) as uow:
        results["first"] = uow.outbox.enqueue(_reminder(text="first"))
        racer = threading.Thread(target=second)
        racer.start()
        second_started.wait(5)
        racer.join(0.5)
        assert racer.is_alive(), "the second transaction must wait for the first"
        uow.commit()
    racer.join(10)
    assert results == {"first": True, "second": False}
    with hub_engine.connect() as connection:
        assert list(connection.scalars(select(notifications.c.text))) == ["first"]
