"""Several processes on one SQLite file (``serve --workers N``): writers queue on a file
lock (``engine.WriteTurn``) rather than in SQLite's busy handler, and one process runs the
background jobs (``job_leader.JobLeader``, ``jobs.run_jobs``'s ``leadership``).

Two ``WriteTurn``s or ``JobLeader``s on one path hold separate open files, so inside one
test process they contend exactly as two processes do; one test also writes from two real
processes at once and counts the rows.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from asyncfirst import bootstrap, bootstrap_db
from asyncfirst.adapters.db.engine import WriteTurn, create_engine, sqlite_write_turn
from asyncfirst.adapters.db.job_leader import JobLeader, sqlite_job_leader
from asyncfirst.adapters.db.tables import threads
from asyncfirst.domain.model import Organisation
from asyncfirst.entrypoints.api.jobs import run_jobs
from asyncfirst.services.charter_sync import apply_charter
from asyncfirst.services.hub_ports import HubContext
from asyncfirst.services.jobs import Job

WRITER = """
import sys
from concurrent.futures import ThreadPoolExecutor
from asyncfirst import bootstrap
from asyncfirst.adapters.db.engine import create_engine
from asyncfirst.adapters.db.hub_repository import SqlHubUnitOfWork
from asyncfirst.services.access import Actor, Role
from asyncfirst.services.charter import load_organisation
from asyncfirst.services.threads import post_thread

url, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
engine, org = create_engine(url), load_organisation("demo")
author = Actor("kenji", frozenset({Role("member", "coding")}))

def post(n):
    post_thread(SqlHubUnitOfWork(engine), bootstrap.clock(), org, author, "coding",
                "update", f"{name} {n}", "two processes at once")

with ThreadPoolExecutor(4) as pool:
    list(pool.map(post, range(count)))
print("done", name)
"""


def test_a_second_turn_on_the_file_waits_for_the_first(tmp_path: Path) -> None:
    first, second = WriteTurn(tmp_path / "db-turn"), WriteTurn(tmp_path / "db-turn")
    got = threading.Event()

    def take_second() -> None:
        with second:
            got.set()

    with first:
        with first:  # re-entrant in a thread: the file lock is taken once
            pass
        waiter = threading.Thread(target=take_second)
        waiter.start()
        assert not got.wait(0.3)  # still held: the inner release kept the file lock
    assert got.wait(5)
    waiter.join()


def test_engines_on_one_file_share_a_turn(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'asyncfirst.db'}"
    one, two = create_engine(url), create_engine(url)
    try:
        assert sqlite_write_turn(one) is sqlite_write_turn(two)
    finally:
        one.dispose()
        two.dispose()


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path, demo_org: Organisation) -> None:
    url = f"sqlite:///{tmp_path / 'asyncfirst.db'}"
    bootstrap_db.upgrade_database(url)
    apply_charter(demo_org, "demo", uow=bootstrap_db.charter_unit_of_work(url),
                  clock=bootstrap.clock(), changed_by="tests")  # fmt: skip
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, url, name, "60"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("first", "second")
    ]
    outcomes = [writer.communicate(timeout=120) for writer in writers]
    for writer, (out, err) in zip(writers, outcomes, strict=True):
        assert writer.returncode == 0, err
        assert "database is locked" not in err
        assert out.startswith("done")
    engine = create_engine(url)
    try:
        with engine.connect() as db:
            assert db.scalar(select(func.count()).select_from(threads)) == 120
    finally:
        engine.dispose()


def test_one_leader_per_file_until_it_ends(tmp_path: Path) -> None:
    path = tmp_path / "asyncfirst.db-jobs"
    here, elsewhere = JobLeader(path), JobLeader(path)  # as two processes would
    assert here.try_lead()
    assert here.try_lead()  # still, and without a second lock
    assert not elsewhere.try_lead()
    del here  # the process ends: its lock file closes
    assert elsewhere.try_lead()


def test_apps_of_one_process_share_the_leader(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'asyncfirst.db'}"
    leader = sqlite_job_leader(url)
    assert leader is not None
    assert sqlite_job_leader(url) is leader
    assert sqlite_job_leader("sqlite://") is None
    assert sqlite_job_leader("postgresql://u@127.0.0.1:5432/db") is None


def test_jobs_start_only_once_this_process_leads(demo_org: Organisation) -> None:
    ran: list[float] = []
    answers = iter([False, False, True])

    def tick(_hub: HubContext) -> int:
        ran.append(time.monotonic())
        return 0

    job = Job("tick", tick, 3600, "a probe")
    hub = HubContext(lambda: pytest.fail("no unit of work"), bootstrap.clock(), demo_org)

    async def scenario() -> None:
        runner = asyncio.create_task(
            run_jobs(hub, [job], leadership=lambda: next(answers), retry_seconds=0.01)
        )
        for _ in range(500):
            if ran:
                break
            await asyncio.sleep(0.01)
        runner.cancel()
        await asyncio.gather(runner, return_exceptions=True)

    asyncio.run(scenario())
    assert len(ran) == 1
    assert next(answers, "asked") == "asked"  # asked three times: twice no, then yes
