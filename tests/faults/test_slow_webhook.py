"""A webhook receiver that is slow or down does not slow the API, and deliveries resume.

On SQLite ``asyncfirst serve`` runs the delivery job in its own process (a worker thread,
one job at a time), which is where a slow receiver could hurt: a delivery that held the
database, or the event loop, would stall every request. So the server starts with
deliveries due to a receiver that takes 4 s per answer, and the API is timed while the job
waits on it. Then the receiver goes down (its port closed): the remaining deliveries fail
and are scheduled again. The receiver comes back; the backoff is fast-forwarded in the
database (``next_attempt_at`` moved to the past, as 30 s of waiting would) and the server
restarted (the job runs at start): every delivery is delivered, each notification once.

With PostgreSQL the jobs run on ``asyncfirst worker`` processes, apart from the API's; the
worker killed mid-job is tests/integration/test_worker.py.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, select, update

from asyncfirst import bootstrap, bootstrap_api
from asyncfirst.adapters.db.engine import create_engine
from asyncfirst.adapters.db.tables import deliveries
from asyncfirst.domain.notifications import Notification
from asyncfirst.services.access import Actor, Role
from asyncfirst.services.charter import load_organisation
from asyncfirst.services.webhooks import add_webhook
from tests.faults.conftest import Server, prepare
from tests.integration.receivers import HttpReceiver

LEAD = Actor("kenji", frozenset({Role("team_lead", "coding"), Role("member", "coding")}))
SLOW_SECONDS = 4.0
NOTIFICATIONS = 4


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'asyncfirst.db'}"


@pytest.fixture
def engine(sqlite_url: str) -> Iterator[Engine]:
    engine = create_engine(sqlite_url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def receiver() -> Iterator[HttpReceiver]:
    server = HttpReceiver(delay=SLOW_SECONDS)
    try:
        yield server
    finally:
        server.stop()


def _statuses(engine: Engine) -> list[str]:
    with engine.connect() as db:
        return list(db.scalars(select(deliveries.c.status).order_by(deliveries.c.id)))


def _wait(condition: object, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_a_slow_then_down_receiver_does_not_slow_the_api_and_deliveries_resume(
    sqlite_url: str, engine: Engine, receiver: HttpReceiver, tmp_path: Path,
    servers: list[Server],
) -> None:  # fmt: skip
    prepared = prepare(sqlite_url, ("kenji",))
    hub = bootstrap_api.hub_context(load_organisation("demo"), sqlite_url)
    try:
        receiver.start()
        add_webhook(hub.unit_of_work(), bootstrap.clock(), LEAD, "coding", "json",
                    f"{receiver.url}/hooks/asyncfirst")  # fmt: skip
        with hub.unit_of_work() as uow:
            for n in range(NOTIFICATIONS):
                uow.outbox.enqueue(Notification(
                    key=f"fault-test:{n}", kind="escalation", team="coding",
                    subject=f"Fault test {n}", text="a notification for a slow receiver",
                    created_at=datetime.now(UTC), recipients=(), link="/day", data={"n": n},
                ))  # fmt: skip
            uow.commit()
    finally:
        hub.close()

    server = Server(sqlite_url, tmp_path / "serve.log")
    servers.append(server)
    server.start()
    _wait(lambda: receiver.requests, "the first delivery to reach the receiver")

    # The job now waits on the receiver, 4 s per delivery: the API must not.
    headers = {"Authorization": f"Bearer {prepared.tokens['kenji']}"}
    timings = []
    with httpx.Client(base_url=server.base, headers=headers, timeout=30) as api:
        began = time.monotonic()
        while time.monotonic() - began < SLOW_SECONDS:
            start = time.monotonic()
            assert api.get("/api/v1/me/queue").status_code == 200
            timings.append(time.monotonic() - start)
            time.sleep(0.03)  # under the token's rate limit (50 a second)
    sent_during = len(receiver.requests)
    assert sent_during < NOTIFICATIONS, "the deliveries were over before the API was timed"
    assert len(timings) >= 10
    assert max(timings) < SLOW_SECONDS * 0.75, timings  # never waited for the receiver
    assert statistics.median(timings) < 0.5, timings

    # Down: the deliveries not yet sent fail (connection refused) and are rescheduled.
    receiver.stop()
    _wait(lambda: "pending" not in _statuses(engine), "every delivery to be tried once")
    statuses = _statuses(engine)
    assert "failed" in statuses and set(statuses) <= {"delivered", "failed"}, statuses
    server.stop()

    # Back up, the backoff elapsed: the server's delivery job (it runs at start) sends them.
    receiver.delay = 0.0
    receiver.start()
    with engine.begin() as db:
        db.execute(
            update(deliveries).where(deliveries.c.status == "failed")
            .values(next_attempt_at=datetime.now(UTC) - timedelta(seconds=1))
        )  # fmt: skip
    server.start()
    _wait(lambda: set(_statuses(engine)) == {"delivered"}, "every delivery to be delivered")
    keys = [json.loads(r.body)["key"] for r in receiver.requests if r.answered == 200]
    ours = sorted(k for k in keys if k.startswith("fault-test:"))
    assert ours == [f"fault-test:{n}" for n in range(NOTIFICATIONS)]  # each once
    assert "Traceback" not in server.output()
