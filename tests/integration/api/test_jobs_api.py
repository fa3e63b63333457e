"""The background jobs on a real database (SQLite and PostgreSQL) with a fake clock: each
job's effect is a row in the outbox, kept once however often (or concurrently) it runs."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from asyncfirst.adapters.db.engine import create_engine
from asyncfirst.adapters.db.tables import notifications
from asyncfirst.services.hub_ports import HubContext
from asyncfirst.services.jobs import catalogue
from asyncfirst.services.jobs.escalations import escalate_decisions
from tests.integration.api.conftest import PARIS, TOKYO, SettableClock, TokenFor

NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def db(database_url: str, hub: HubContext) -> Iterator[Engine]:
    engine = create_engine(database_url)
    try:
        yield engine
    finally:
        engine.dispose()


def kept(engine: Engine) -> Counter[str]:
    with engine.connect() as connection:
        return Counter(connection.scalars(select(notifications.c.key)))


def run_all(hub: HubContext) -> dict[str, int]:
    return {job.name: job.run(hub) for job in catalogue()}


def post(client: TestClient, url: str, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    response = client.post(url, json=body, headers=headers)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


def test_a_day_of_jobs_keeps_each_effect_once(
    client: TestClient, token: TokenFor, hub: HubContext, clock: SettableClock, db: Engine
) -> None:
    """Thursday 2026-11-26: Amélie asks the design team at 10:00 Paris, 8 working hours
    each: Chloé and Élise owe an answer Friday 09:30, so are reminded Thursday 17:00;
    Bastien (Mon-Thu) owes it Monday 09:30, also reminded Thursday 17:00; David (split day,
    to 17:00) owes it Friday 10:30, so is reminded Friday 09:30, not Thursday evening.
    Bastien hands off at 17:20 to Tokyo, whose day starts Friday 09:30 JST (00:30 UTC):
    then the coding team hears of it, and each member's digest lists it."""
    clock.instant = datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)
    question = post(client, "/api/v1/teams/design/threads", token("amelie"),
                    kind="question", title="Which layout?", body="List or cards?")  # fmt: skip
    recipients = [r["person"] for r in question["recipients"]]
    assert recipients and "amelie" not in recipients

    clock.instant = datetime(2026, 11, 26, 16, 59, tzinfo=PARIS)
    assert run_all(hub)["send_reminders"] == 0
    clock.instant = datetime(2026, 11, 26, 17, 5, tzinfo=PARIS)
    assert run_all(hub)["send_reminders"] == 3
    assert run_all(hub)["send_reminders"] == 0  # a second run keeps nothing more
    reminded = {k.rsplit(":", 1)[1] for k in kept(db) if k.startswith("reminder:")}
    assert reminded == {"bastien", "chloe", "elise"}

    clock.instant = datetime(2026, 11, 26, 17, 20, tzinfo=PARIS)
    handoff = post(client, "/api/v1/handoffs", token("bastien"), note="Icons half way.",
                   open_items=["icons"])  # fmt: skip
    assert handoff["to_team"] == "coding"
    clock.instant = datetime(2026, 11, 27, 9, 35, tzinfo=TOKYO)
    morning = run_all(hub)
    assert morning["route_handoffs"] == 1
    coding = [p.id for p in hub.org.members("coding")]
    assert morning["prompt_checkins"] == len(coding)
    assert morning["daily_digests"] == len(coding)  # each has the hand-off to acknowledge
    again = run_all(hub)
    assert again == dict.fromkeys(again, 0)
    jobs = {job.name: job for job in catalogue()}
    clock.instant = datetime(2026, 11, 27, 9, 29, tzinfo=PARIS)
    assert jobs["send_reminders"].run(hub) == 0
    clock.instant = datetime(2026, 11, 27, 9, 31, tzinfo=PARIS)
    assert jobs["send_reminders"].run(hub) == 1  # David's
    assert jobs["send_reminders"].run(hub) == 0

    keys = kept(db)
    assert set(keys.values()) == {1}
    assert {f"reminder:thread:{question['id']}:{p}" for p in recipients} <= set(keys)
    assert f"handoff:{handoff['id']}" in keys
    assert {f"checkin_prompt:coding:{p}:2026-11-27" for p in coding} <= set(keys)
    assert {f"digest:{p}:2026-11-27" for p in coding} <= set(keys)
    assert len(keys) == 4 + 1 + 2 * len(coding)


def open_friday_4pm_decision(client: TestClient, token: TokenFor, clock: SettableClock) -> int:
    clock.instant = datetime(2026, 11, 20, 16, 0, tzinfo=NEW_YORK)
    decision = post(client, "/api/v1/teams/design/decisions", token("maria"),
                    title="Which onboarding layout?", body="Pick one.", mode="vote",
                    options=["list", "cards"], deciders=["amelie", "kenji"],
                    decide_within_days=1)  # fmt: skip
    assert decision["decide_by_utc"] == "2026-11-24T09:30:00Z"
    decision_id: int = decision["id"]
    return decision_id


def test_the_escalation_job_escalates_once_and_tells_the_deciders(
    client: TestClient, token: TokenFor, hub: HubContext, clock: SettableClock, db: Engine
) -> None:
    decision_id = open_friday_4pm_decision(client, token, clock)
    clock.instant = datetime(2026, 11, 24, 9, 29, tzinfo=UTC)
    assert escalate_decisions(hub) == 0
    clock.instant = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    assert escalate_decisions(hub) == 1
    assert escalate_decisions(hub) == 0
    with db.connect() as connection:
        row = connection.execute(
            select(notifications).where(notifications.c.key == f"escalation:decision:{decision_id}")
        ).one()
    assert set(row.recipients) == {"maria", "amelie", "kenji"}
    assert "Wed 25 Nov 09:00 (Europe/Paris)" in row.text
    assert "Wed 25 Nov 17:00 (Asia/Tokyo)" in row.text
    shown = client.get(f"/api/v1/decisions/{decision_id}", headers=token("amelie")).json()
    assert shown["state"] == "escalated"
    assert shown["closed_at"] == "2026-11-24T09:30:00Z"


def test_two_escalation_runs_at_once_escalate_once(
    client: TestClient, token: TokenFor, hub: HubContext, clock: SettableClock, db: Engine
) -> None:
    """Two runs racing (two schedulers, a retried worker): one escalation, one notice, and
    the decision keeps the first run's record."""
    decision_ids = [open_friday_4pm_decision(client, token, clock) for _ in range(3)]
    clock.instant = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    start = threading.Barrier(2)
    results: list[int] = []

    def run() -> None:
        start.wait(timeout=30)
        results.append(escalate_decisions(hub))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results)[-1] >= 1 and sum(results) == len(decision_ids)
    keys = kept(db)
    assert [keys[f"escalation:decision:{d}"] for d in decision_ids] == [1, 1, 1]
    for d in decision_ids:
        shown = client.get(f"/api/v1/decisions/{d}", headers=token("amelie")).json()
        assert shown["state"] == "escalated"


def test_no_reminder_after_the_answer(
    client: TestClient, token: TokenFor, hub: HubContext, clock: SettableClock, db: Engine
) -> None:
    clock.instant = datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)
    question = post(client, "/api/v1/teams/design/threads", token("amelie"),
                    kind="question", title="Fonts?", body="Inter or Source Sans?",
                    recipients=["bastien", "chloe"])  # fmt: skip
    post(client, f"/api/v1/threads/{question['id']}/replies", token("bastien"), body="Inter.")
    clock.instant = datetime(2026, 11, 26, 17, 5, tzinfo=PARIS)
    assert escalate_decisions(hub) == 0
    jobs = {job.name: job for job in catalogue()}
    assert jobs["send_reminders"].run(hub) == 1
    assert set(kept(db)) == {f"reminder:thread:{question['id']}:chloe"}
    clock.instant += timedelta(hours=1)
    assert jobs["send_reminders"].run(hub) == 0
