"""``asyncfirst worker`` for real: several worker processes on one PostgreSQL database.

Two workers share many jobs and run each exactly once; a worker killed with SIGKILL in
the middle of a job has it retried by the other, whose effect happens once; the escalation
of the issue's Friday decision runs through the real queue and job. Test-only tasks live in
``tests/integration/worker_probe.py``. Waits poll the database with generous deadlines.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, TypeVar
from zoneinfo import ZoneInfo

import psycopg
import pytest
from procrastinate import App, PsycopgConnector, exceptions

from asyncfirst import bootstrap, bootstrap_api, bootstrap_db
from asyncfirst.domain.model import Organisation
from asyncfirst.services.access import Actor
from asyncfirst.services.charter_sync import apply_charter
from asyncfirst.services.decisions import open_decision, propose_meeting
from tests.conftest import REPO
from tests.integration.conftest import _postgres_database
from tests.integration.worker_probe import TABLES

STARTUP_SECONDS = 90
WORK_SECONDS = 90
FAST = ["--heartbeat", "0.5", "--stalled-after", "2", "--recover-every", "1"]


def _pump(stream: IO[str], lines: queue.Queue[str]) -> None:
    for line in stream:
        lines.put(line.rstrip("\n"))


@dataclass
class Worker:
    process: subprocess.Popen[str]
    pump: threading.Thread | None = None
    lines: queue.Queue[str] = field(default_factory=queue.Queue)
    seen: list[str] = field(default_factory=list)

    def read(self) -> list[str]:
        while True:
            try:
                self.seen.append(self.lines.get_nowait())
            except queue.Empty:
                return self.seen

    def wait_for(self, text: str, seconds: float = STARTUP_SECONDS) -> None:
        deadline = time.monotonic() + seconds
        while not any(text in line for line in self.read()):
            assert self.process.poll() is None, "worker exited:\n" + "\n".join(self.seen)
            assert time.monotonic() < deadline, f"no {text!r} from worker:\n" + "\n".join(self.seen)
            time.sleep(0.1)


def _env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASYNCFIRST_")}
    return env | {"ASYNCFIRST_DATABASE_URL": url, "PYTHONPATH": str(REPO)}


def start_worker(url: str, name: str, *extra: str) -> Worker:
    process = subprocess.Popen(
        [sys.executable, "-m", "asyncfirst.entrypoints.cli_worker", "--name", name, *FAST,
         "--import", "tests.integration.worker_probe", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=_env(url), cwd=REPO,
    )  # fmt: skip
    assert process.stdout is not None
    worker = Worker(process)
    worker.pump = threading.Thread(target=_pump, args=(process.stdout, worker.lines), daemon=True)
    worker.pump.start()
    return worker


def stop(worker: Worker, how: int = signal.SIGTERM) -> int:
    if worker.process.poll() is None:
        worker.process.send_signal(how)
    try:
        return worker.process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        worker.process.kill()
        raise


@pytest.fixture
def workers() -> Iterator[list[Worker]]:
    """The workers a test starts, stopped (killed at worst) afterwards."""
    started: list[Worker] = []
    yield started
    _cleanup(started)


def _prepared_database(org: Organisation) -> Iterator[str]:
    """A PostgreSQL database of its own: migrated, the demo charter applied, probe tables."""
    for url in _postgres_database():
        bootstrap_db.upgrade_database(url)
        apply_charter(org, "demo", uow=bootstrap_db.charter_unit_of_work(url),
                      clock=bootstrap.FixedClock(datetime(2026, 11, 1, tzinfo=UTC)),
                      changed_by="tests")  # fmt: skip
        with psycopg.connect(url) as connection:
            for statement in TABLES:
                connection.execute(statement)
        yield url


def _cleanup(started: list[Worker]) -> None:
    for worker in started:
        if worker.process.poll() is None:
            worker.process.kill()
        worker.process.wait(timeout=30)
        if worker.pump is not None:
            worker.pump.join(timeout=10)
        if worker.process.stdout is not None:
            worker.process.stdout.close()


@pytest.fixture
def pg_url(demo_org: Organisation) -> Iterator[str]:
    yield from _prepared_database(demo_org)


@pytest.fixture(scope="module")
def cluster(demo_org: Organisation) -> Iterator[tuple[str, list[Worker]]]:
    """One database and two workers, w1 and w2, shared by the tests that need both running."""
    for url in _prepared_database(demo_org):
        started = [start_worker(url, "w1"), start_worker(url, "w2")]
        try:
            for worker in started:
                worker.wait_for("stop with Ctrl-C or SIGTERM")
            yield url, started
        finally:
            _cleanup(started)


T = TypeVar("T")


def in_fresh_loop(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run on a new event loop in its own thread: safe even when a loop runs in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def defer(url: str, task: str, many: list[dict[str, Any]]) -> None:
    """Defer jobs by task name through procrastinate, as any client of the queue would."""

    async def go() -> None:
        app = App(connector=PsycopgConnector(conninfo=url))
        async with app.open_async():
            for kwargs in many:
                # a periodic tick of that job may be queued already; it then does the work
                with contextlib.suppress(exceptions.AlreadyEnqueued):
                    await app.configure_task(task).defer_async(**kwargs)

    in_fresh_loop(go())


def rows(url: str, query: str, *args: object) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as connection:
        return list(connection.execute(query, args).fetchall())  # type: ignore[arg-type]


def poll(
    what: Callable[[], bool], message: Callable[[], str], seconds: float = WORK_SECONDS
) -> None:
    deadline = time.monotonic() + seconds
    while not what():
        assert time.monotonic() < deadline, message()
        time.sleep(0.2)


def test_the_worker_refuses_sqlite(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "asyncfirst.entrypoints.cli_worker"],
        env=_env(f"sqlite:///{tmp_path / 'asyncfirst.db'}"), cwd=REPO, capture_output=True,
        text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 3, done.stderr
    assert "jobs run inside `asyncfirst serve` with SQLite" in done.stderr
    assert "Traceback" not in done.stderr


def test_two_workers_run_each_job_exactly_once(cluster: tuple[str, list[Worker]]) -> None:
    pg_url, workers = cluster
    assert any("send_reminders" in line for line in workers[0].read())
    keys = [f"job-{i}" for i in range(60)]
    defer(pg_url, "extra:probe_record", [{"key": key} for key in keys])

    count = "SELECT count(*) FROM probe_effects"
    poll(lambda: rows(pg_url, count)[0][0] >= len(keys),
         lambda: f"{rows(pg_url, count)[0][0]} of {len(keys)} effects")  # fmt: skip
    time.sleep(1)  # a duplicate run, were there one, has time to land
    per_key = dict(rows(pg_url, "SELECT key, count(*) FROM probe_effects GROUP BY key"))
    assert per_key == dict.fromkeys(keys, 1)
    pids = dict(rows(pg_url, "SELECT pid, count(*) FROM probe_effects GROUP BY pid"))
    assert set(pids) == {w.process.pid for w in workers}, pids  # both did work


NEW_YORK = ZoneInfo("America/New_York")


def test_the_friday_decision_escalates_through_the_real_queue(
    cluster: tuple[str, list[Worker]], demo_org: Organisation
) -> None:
    """Opened Friday 2026-11-20 16:00 New York, one working day for Amélie (Paris) and Kenji
    (Tokyo): decide-by Tuesday 09:30 UTC. The worker's job (real clock, later than that)
    escalates it once, to the fairest slot for those deciders from that moment."""
    pg_url, workers = cluster
    opened = bootstrap.FixedClock(datetime(2026, 11, 20, 16, 0, tzinfo=NEW_YORK))
    hub = bootstrap_api.hub_context(demo_org, pg_url, opened)
    try:
        view = open_decision(hub.unit_of_work(), opened, demo_org, Actor("maria"), "design",
                             title="Which onboarding layout?", body="Pick one.", mode="vote",
                             options=["list", "cards"], deciders=["amelie", "kenji"],
                             decide_within_days=1)  # fmt: skip
    finally:
        hub.close()
    decision = view.decision
    assert decision.decide_by == datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    assert datetime.now(UTC) > decision.decide_by  # the real clock is past it

    defer(pg_url, "asyncfirst.escalate_decisions", [{"timestamp": int(time.time())}])
    state = (
        "SELECT state, closed_at, escalated_meeting_start, escalated_meeting_end "
        "FROM decisions WHERE id = %s"
    )
    poll(lambda: rows(pg_url, state, decision.id)[0][0] == "escalated",
         lambda: "not escalated:\n" + "\n".join(workers[0].read() + workers[1].read()))  # fmt: skip
    _state, closed_at, start, end = rows(pg_url, state, decision.id)[0]
    people = [demo_org.person("amelie"), demo_org.person("kenji")]
    fairest = propose_meeting(people, closed_at)
    assert fairest is not None and (start, end) == (fairest.start, fairest.end)
    notices = rows(pg_url, "SELECT count(*) FROM notifications WHERE key = %s",
                   f"escalation:decision:{decision.id}")  # fmt: skip
    assert notices == [(1,)]
    for worker in workers:  # the last test on the cluster: both stop cleanly on SIGTERM
        assert stop(worker) == 0, "\n".join(worker.read())
        assert worker.read()[-1] == "worker stopped"


def test_a_job_of_a_killed_worker_runs_again_and_its_effect_happens_once(
    pg_url: str, workers: list[Worker], tmp_path: Path
) -> None:
    flag = tmp_path / "go"
    workers += [start_worker(pg_url, "a"), start_worker(pg_url, "b")]
    for worker in workers:
        worker.wait_for("stop with Ctrl-C or SIGTERM")
    defer(pg_url, "extra:probe_block_then_record", [{"key": "k", "flag": str(flag)}])
    starts = "SELECT pid FROM probe_starts WHERE key = 'k' ORDER BY pid"
    poll(lambda: bool(rows(pg_url, starts)), lambda: "the job never started")
    ((taker,),) = rows(pg_url, starts)
    first, second = sorted(workers, key=lambda w: w.process.pid != taker)

    first.process.send_signal(signal.SIGKILL)  # mid-job: no goodbye, no status update
    assert first.process.wait(timeout=30) == -signal.SIGKILL
    flag.touch()
    effects = "SELECT pid FROM probe_effects WHERE key = 'k'"
    poll(lambda: bool(rows(pg_url, effects)), lambda: "the job was never retried:\n"
         + "\n".join(second.read()))  # fmt: skip
    time.sleep(1)
    assert rows(pg_url, effects) == [(second.process.pid,)]  # once, by the survivor
    assert sorted(p for (p,) in rows(pg_url, starts)) == sorted(
        [first.process.pid, second.process.pid]
    )  # it ran twice: interrupted, then again
    assert any("of a stalled worker: retried" in line for line in second.read())
    assert stop(second) == 0


def test_a_stalled_periodic_job_with_a_queued_tick_is_closed_not_doubled(pg_url: str) -> None:
    """A stalled run of a job whose next tick is already queued cannot go back to the queue
    (the queueing lock allows one waiting run): recovery closes it, the queued tick stays."""
    from asyncfirst.adapters.queue import QueueSettings, build_app, ensure_schema
    from asyncfirst.adapters.queue.tasks import _put_back
    from asyncfirst.services.jobs import catalogue

    ensure_schema(pg_url)
    app = build_app(pg_url, catalogue(), QueueSettings())
    name = "asyncfirst.send_reminders"

    async def go() -> tuple[str, str, list[str]]:
        async with app.open_async():
            task = app.configure_task(name, queueing_lock=name, lock=name)
            await task.defer_async(timestamp=1)
            worker_id = await app.job_manager.register_worker()
            stalled = await app.job_manager.fetch_job(queues=None, worker_id=worker_id)
            assert stalled is not None and stalled.task_name == name
            await task.defer_async(timestamp=2)  # the next tick, waiting
            outcome = await _put_back(app, stalled)
            assert stalled.id is not None
            status = await app.job_manager.get_job_status_async(stalled.id)
            waiting = [
                j.task_kwargs.get("timestamp", "") for j in await app.job_manager.list_jobs_async(
                    status="todo")
            ]  # fmt: skip
            return outcome, status.value, [str(w) for w in waiting]

    outcome, status, waiting = in_fresh_loop(go())
    assert outcome.startswith("closed")
    assert status == "failed"
    assert waiting == ["2"]
