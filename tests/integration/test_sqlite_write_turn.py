"""SQLite: the threads of one process take turns at the write lock in Python, never in
SQLite's busy handler (``engine.sqlite_write_turn``, taken by ``SqlHubUnitOfWork``)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from asyncfirst import bootstrap, bootstrap_db
from asyncfirst.adapters.db.engine import create_engine, sqlite_write_turn
from asyncfirst.adapters.db.hub_repository import SqlHubUnitOfWork
from asyncfirst.adapters.db.tables import threads
from asyncfirst.domain.model import Organisation
from asyncfirst.services.access import Actor, Role
from asyncfirst.services.charter_sync import apply_charter
from asyncfirst.services.threads import post_thread


@pytest.fixture
def sqlite_engine(tmp_path: Path, demo_org: Organisation) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path / 'asyncfirst.db'}"
    bootstrap_db.upgrade_database(url)
    apply_charter(demo_org, "demo", uow=bootstrap_db.charter_unit_of_work(url),
                  clock=bootstrap.clock(), changed_by="tests")  # fmt: skip
    engine = create_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


def test_one_turn_per_engine(sqlite_engine: Engine, tmp_path: Path) -> None:
    other = create_engine(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        assert sqlite_write_turn(sqlite_engine) is sqlite_write_turn(sqlite_engine)
        assert sqlite_write_turn(other) is not sqlite_write_turn(sqlite_engine)
    finally:
        other.dispose()


def test_a_unit_of_work_holds_the_turn_and_gives_it_back_even_after_an_error(
    sqlite_engine: Engine,
) -> None:
    turn = sqlite_write_turn(sqlite_engine)
    elsewhere: list[bool] = []

    def try_from_another_thread() -> None:
        got = turn.acquire(timeout=0.2)
        elsewhere.append(got)
        if got:
            turn.release()

    with pytest.raises(ValueError, match="boom"), SqlHubUnitOfWork(sqlite_engine):
        probe = threading.Thread(target=try_from_another_thread)
        probe.start()
        probe.join()
        raise ValueError("boom")
    try_from_another_thread()
    assert elsewhere == [False, True]  # held inside, free after the error


def test_many_threads_writing_at_once_all_succeed(
    sqlite_engine: Engine, demo_org: Organisation
) -> None:
    author = Actor("kenji", frozenset({Role("member", "coding")}))

    def post(n: int) -> int:
        view = post_thread(
            SqlHubUnitOfWork(sqlite_engine), bootstrap.clock(), demo_org, author, "coding",
            "update", f"turn {n}", "many writers at once",
        )  # fmt: skip
        return int(view.to_dict()["id"])

    with ThreadPoolExecutor(16) as pool:
        ids = list(pool.map(post, range(160)))
    assert len(set(ids)) == 160
    with sqlite_engine.connect() as db:
        assert db.scalar(select(func.count()).select_from(threads)) == 160
