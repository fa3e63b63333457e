"""kill -9 the server in the middle of a write burst: every acknowledged write survives whole.

Eight client threads post threads (each with its recipients, in one transaction), replies
and check-ins as fast as the server answers; once enough writes are acknowledged the
server's whole process group gets SIGKILL while requests are in flight. Then the server
is started again on the same database, and:

* every write answered 2xx is in the database, with what was sent;
* a write that was in flight at the kill is either wholly there or not at all (a thread
  has exactly its recipients, never none);
* no thread anywhere lacks recipients, and SQLite's integrity and foreign-key checks pass;
* the restarted server reads the writes and accepts new ones.

With one server process and with two (``serve --workers 2``), on SQLite (where two
processes share the file, writers queuing on a file lock) and on PostgreSQL.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text

from asyncfirst.adapters.db.engine import create_engine
from asyncfirst.domain.checkins import not_a_working_day
from asyncfirst.services.charter import load_organisation
from tests.faults.conftest import Server, prepare

PEOPLE = ("amelie", "kenji", "maria", "chloe")  # design, coding, qa, design
CLIENTS = 8
ACKED_BEFORE_KILL = 40
FINISHED = "What did you finish?"


@dataclass
class Client:
    """One client thread's record: what it sent, and what the server acknowledged."""

    person: str
    team: str
    checks_in: bool
    threads: dict[int, str] = field(default_factory=dict)  # acknowledged id -> title
    replies: dict[int, str] = field(default_factory=dict)  # acknowledged id -> body
    checkins: list[str] = field(default_factory=list)  # acknowledged texts, in order
    in_flight: set[str] = field(default_factory=set)  # sent, no answer (the kill)


def _burst(client: Client, token: str, base: str, number: int, acked: list[int],
           stop: threading.Event) -> None:  # fmt: skip
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
        n = 0
        while not stop.is_set():
            n += 1
            marker = f"burst-{number}-{n}"
            kind = ("thread", "reply", "checkin")[n % 3]
            if kind == "reply" and not client.threads:
                kind = "thread"
            if kind == "checkin" and not client.checks_in:
                kind = "thread"
            if kind == "thread":
                path, body = f"/api/v1/teams/{client.team}/threads", {
                    "kind": "question", "title": marker, "body": "written in a burst"}  # fmt: skip
            elif kind == "reply":
                path, body = f"/api/v1/threads/{max(client.threads)}/replies", {"body": marker}
            else:
                path, body = "/api/v1/checkins", {"answers": {FINISHED: marker}}
            client.in_flight.add(marker)
            try:
                answer = http.post(path, json=body)
            except httpx.TransportError:
                return  # the server is gone: this write's fate is unknown
            client.in_flight.discard(marker)
            assert answer.status_code in (200, 201), answer.text
            if kind == "thread":
                client.threads[answer.json()["id"]] = marker
            elif kind == "reply":
                client.replies[answer.json()["id"]] = marker
            else:
                client.checkins.append(marker)
            acked.append(1)


def _rows(engine: Engine, query: str) -> list[Any]:
    with engine.connect() as db:
        return list(db.execute(text(query)))


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine(database_url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.mark.parametrize("processes", [1, 2])
def test_kill_9_in_a_write_burst_loses_no_acknowledged_write_and_half_writes_none(
    database_url: str, engine: Engine, tmp_path: Path, servers: list[Server], processes: int
) -> None:
    prepared = prepare(database_url, PEOPLE)
    org = load_organisation("demo")
    today = datetime.now(UTC)

    def works_today(person: str) -> bool:
        schedule = org.person(person).schedule
        return not_a_working_day(schedule, today.astimezone(schedule.tz).date()) is None

    # one check-in writer per person (a person's check-ins in order), two clients each
    clients = [
        Client(person, org.person(person).team_id, checks_in=i < len(PEOPLE) and works_today(person))
        for i, person in enumerate(PEOPLE * (CLIENTS // len(PEOPLE)))
    ]  # fmt: skip
    workers = ("--workers", str(processes)) if processes > 1 else ()
    server = Server(database_url, tmp_path / "serve.log", workers)
    servers.append(server)
    server.start()

    acked: list[int] = []
    stop = threading.Event()
    with ThreadPoolExecutor(CLIENTS) as pool:
        futures = [
            pool.submit(_burst, c, prepared.tokens[c.person], server.base, i, acked, stop)
            for i, c in enumerate(clients)
        ]
        deadline = time.monotonic() + 60
        while len(acked) < ACKED_BEFORE_KILL and time.monotonic() < deadline:
            assert not any(f.done() for f in futures), [f.exception() for f in futures]
            time.sleep(0.01)
        server.kill()  # mid-burst: the clients are still sending
        stop.set()
        for future in futures:
            future.result(timeout=60)
    assert len(acked) >= ACKED_BEFORE_KILL, f"only {len(acked)} writes before the deadline"
    assert sum(len(c.in_flight) for c in clients) > 0, "no request was in flight at the kill"

    server.start()  # the same database, after the crash
    if database_url.startswith("sqlite"):
        assert _rows(engine, "PRAGMA integrity_check") == [("ok",)]
        assert _rows(engine, "PRAGMA foreign_key_check") == []

    titles = dict(_rows(engine, "SELECT id, title FROM threads WHERE title LIKE 'burst-%'"))
    bodies = dict(_rows(engine, "SELECT id, body FROM replies WHERE body LIKE 'burst-%'"))
    recipients = dict(_rows(engine, "SELECT thread_id, count(*) FROM thread_recipients GROUP BY thread_id"))  # fmt: skip
    checkins = {
        person: str(answers)
        for person, answers in _rows(
            engine, "SELECT p.key, c.answers FROM checkins c JOIN people p ON p.id = c.person_id"
        )
    }
    in_flight = set().union(*(c.in_flight for c in clients))
    for c in clients:
        for thread_id, title in c.threads.items():
            assert titles.get(thread_id) == title, f"acknowledged thread {thread_id} lost"
        for reply_id, body in c.replies.items():
            assert bodies.get(reply_id) == body, f"acknowledged reply {reply_id} lost"
        if c.checks_in and c.checkins:
            kept = checkins[c.person]
            assert c.checkins[-1] in kept or any(m in kept for m in c.in_flight), kept
    # nothing else was written, and nothing by halves
    assert set(titles.values()) <= {t for c in clients for t in c.threads.values()} | in_flight
    assert set(bodies.values()) <= {b for c in clients for b in c.replies.values()} | in_flight
    team_size = {team.id: len(org.members(team.id)) for team in org.teams}
    for thread_id, title in titles.items():
        author = clients[int(title.split("-")[1])]
        assert recipients.get(thread_id) == team_size[author.team] - 1, (thread_id, title)
    orphans = _rows(engine, "SELECT t.id FROM threads t WHERE NOT EXISTS "
                            "(SELECT 1 FROM thread_recipients r WHERE r.thread_id = t.id)")  # fmt: skip
    assert orphans == []

    # the restarted server reads what was acknowledged and takes new writes
    last = max(clients[0].threads)
    headers = {"Authorization": f"Bearer {prepared.tokens[clients[0].person]}"}
    read = httpx.get(f"{server.base}/api/v1/threads/{last}", headers=headers, timeout=30)
    assert read.status_code == 200 and read.json()["title"] == clients[0].threads[last]
    new = httpx.post(
        f"{server.base}/api/v1/teams/{clients[0].team}/threads", headers=headers, timeout=30,
        json={"kind": "update", "title": "after the crash", "body": "still here"},
    )  # fmt: skip
    assert new.status_code == 201, new.text
    assert "Traceback" not in server.output().split("Started server process")[-1]
