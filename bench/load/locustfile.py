"""The load mix against ``asyncfirst serve``: people reading their day and writing to the hub.

Driven by ``bench/load/run.py``, which prepares the database and writes the people file
(``ASYNCFIRST_LOAD_PEOPLE``: per person a token, a web session cookie, a feed secret, a
thread to reply to, a decision to vote on and the dates they may check in). Each
simulated user is one demo person (users beyond the number of people share people,
round-robin) and sends requests back to back (no think time): the point is throughput.

Reads (about 80 %): My day (a signed-in page), the team page, the calendar feed, and the
API lists (respond-by queue, team threads: the first page of 50, decisions, check-ins,
meetings). Writes: a check-in (only by the person's first user, so one person never
checks in twice at once), a new thread, a reply, a vote. Every 2xx answer to a write is
counted; at the end the counts go to ``ASYNCFIRST_LOAD_ACKS`` for the driver to compare
with the database. Every write's text starts with ``load:`` so the driver counts only what
the run wrote.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from locust import FastHttpUser, constant, events, task

PEOPLE: list[dict[str, Any]] = json.loads(
    Path(os.environ.get("ASYNCFIRST_LOAD_PEOPLE", "people.json")).read_text()
)
_NUMBERS = itertools.count()
ACKS: Counter[str] = Counter()
_ACK_LOCK = threading.Lock()


def _ack(kind: str) -> None:
    with _ACK_LOCK:
        ACKS[kind] += 1


@events.test_stop.add_listener
def _write_acks(**_kwargs: Any) -> None:
    target = os.environ.get("ASYNCFIRST_LOAD_ACKS")
    if target:
        Path(target).write_text(json.dumps(dict(ACKS), indent=1))


class Person(FastHttpUser):
    wait_time = constant(0)
    connection_timeout = 30.0
    network_timeout = 30.0

    def on_start(self) -> None:
        number = next(_NUMBERS)
        self.me = PEOPLE[number % len(PEOPLE)]
        self.owner = number < len(PEOPLE)  # the first user of a person checks in for them
        self.api = {"Authorization": f"Bearer {self.me['token']}"}
        self.page = {"Cookie": f"af_session={self.me['cookie']}"}
        self.zone = ZoneInfo(self.me["zone"])
        self.sent = 0

    def _text(self) -> str:
        self.sent += 1
        return f"load: {self.me['id']} #{self.sent} {random.random():.6f}"  # noqa: S311 - load mix, not security

    def _write(self, kind: str, name: str, path: str, body: dict[str, Any]) -> None:
        with self.client.post(
            path, json=body, headers=self.api, name=name, catch_response=True
        ) as answer:
            if 200 <= answer.status_code < 300:
                _ack(f"{kind}_{answer.status_code}")
                answer.success()
            else:
                answer.failure(f"HTTP {answer.status_code}: {answer.text[:200]}")

    # --- reads -------------------------------------------------------------------------

    @task(10)
    def my_day(self) -> None:
        self.client.get("/day", headers=self.page, name="page /day")

    @task(4)
    def team_page(self) -> None:
        self.client.get(f"/team/{self.me['team']}", headers=self.page, name="page /team/{team}")

    @task(4)
    def feed(self) -> None:
        self.client.get(f"/feeds/{self.me['feed']}.ics", name="feed /feeds/{secret}.ics")

    @task(8)
    def queue(self) -> None:
        self.client.get("/api/v1/me/queue", headers=self.api, name="api GET /me/queue")

    @task(6)
    def team_threads(self) -> None:
        self.client.get(
            f"/api/v1/teams/{self.me['team']}/threads", headers=self.api,
            name="api GET /teams/{team}/threads",
        )  # fmt: skip

    @task(4)
    def team_decisions(self) -> None:
        self.client.get(
            f"/api/v1/teams/{self.me['team']}/decisions", headers=self.api,
            name="api GET /teams/{team}/decisions",
        )  # fmt: skip

    @task(4)
    def team_checkins(self) -> None:
        self.client.get(
            f"/api/v1/teams/{self.me['team']}/checkins", headers=self.api,
            name="api GET /teams/{team}/checkins",
        )  # fmt: skip

    @task(4)
    def meetings(self) -> None:
        self.client.get("/api/v1/meetings", headers=self.api, name="api GET /meetings")

    # --- writes ------------------------------------------------------------------------

    @task(3)
    def checkin(self) -> None:
        today = datetime.now(UTC).astimezone(self.zone).date().isoformat()
        if not self.owner or today not in self.me["working_dates"]:
            self.queue()  # not this user's turn, or not a working day there: read instead
            return
        self._write(
            "checkin", "api POST /checkins", "/api/v1/checkins",
            {"answers": {"What did you finish?": self._text()}, "mood": 3,
             "day_mode": "normal"},
        )  # fmt: skip

    @task(3)
    def new_thread(self) -> None:
        self._write(
            "thread", "api POST /teams/{team}/threads",
            f"/api/v1/teams/{self.me['team']}/threads",
            {"kind": "update", "title": self._text(), "body": "written by the load test"},
        )  # fmt: skip

    @task(3)
    def reply(self) -> None:
        self._write(
            "reply", "api POST /threads/{id}/replies",
            f"/api/v1/threads/{self.me['thread']}/replies", {"body": self._text()},
        )  # fmt: skip

    @task(2)
    def vote(self) -> None:
        self._write(
            "vote", "api POST /decisions/{id}/responses",
            f"/api/v1/decisions/{self.me['decision']}/responses",
            {"choice": random.choice(("list", "cards"))},  # noqa: S311 - load mix, not security
        )  # fmt: skip
