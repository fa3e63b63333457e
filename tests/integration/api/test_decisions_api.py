"""Decisions over the API on SQLite and PostgreSQL: decide-by in the deciders' working time,
results, rounds, withdrawal, access, and escalation to the fairest short sync meeting."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

from asyncfirst.bootstrap import FixedClock
from asyncfirst.domain.worktime import add_working_minutes
from asyncfirst.entrypoints.api.app import create_app
from asyncfirst.scheduling.slots import rank_slots
from asyncfirst.services.access import Role
from asyncfirst.services.decisions import escalate_due
from asyncfirst.services.hub_ports import HubContext
from asyncfirst.services.jobs import Job
from asyncfirst.services.jobs.escalations import escalate_decisions
from tests.integration.api.conftest import SettableClock, TokenFor

NEW_YORK = ZoneInfo("America/New_York")
FRIDAY_4PM_NEW_YORK = datetime(2026, 11, 20, 16, 0, tzinfo=NEW_YORK)


def open_(
    client: TestClient, headers: dict[str, str], team: str = "design", **body: Any
) -> dict[str, Any]:
    body = {
        "title": "Which onboarding layout?",
        "body": "Two layouts are in the Figma file; pick one.",
        "mode": "vote",
        "options": ["list", "cards"],
        "deciders": ["amelie", "kenji"],
        **body,
    }
    response = client.post(f"/api/v1/teams/{team}/decisions", json=body, headers=headers)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


def answer(
    client: TestClient, headers: dict[str, str], decision: int, choice: str, status: int = 201
) -> dict[str, Any]:
    response = client.post(
        f"/api/v1/decisions/{decision}/responses", json={"choice": choice}, headers=headers
    )
    assert response.status_code == status, response.text
    data: dict[str, Any] = response.json()
    return data


def test_friday_4pm_new_york_escalates_after_one_working_day_to_the_fairest_slot(
    client: TestClient, token: TokenFor, hub: HubContext, clock: SettableClock
) -> None:
    """Opened Fri 2026-11-20 16:00 New York (22:00 Paris, Sat 06:00 Tokyo), one working day.

    Amélie (Paris, 8.5 h days) has until Mon 17:30 Paris; Kenji (Tokyo, 9 h days) loses
    Mon 23, Labour Thanksgiving Day, so has until Tue 18:30 Tokyo = 09:30 UTC: the
    decision's decide-by is the later one.
    """
    clock.instant = FRIDAY_4PM_NEW_YORK
    decision = open_(client, token("maria"), decide_within_days=1)
    assert decision["state"] == "open"
    assert decision["created_at"] == "2026-11-20T21:00:00Z"
    deadlines = {d["person"]: d["decide_by"] for d in decision["deciders"]}
    assert deadlines["amelie"]["local"] == "2026-11-23T17:30:00+01:00"
    assert deadlines["kenji"]["local"] == "2026-11-24T18:30:00+09:00"
    assert decision["decide_by_utc"] == "2026-11-24T09:30:00Z"

    just_before = datetime(2026, 11, 24, 9, 29, tzinfo=UTC)
    assert escalate_due(hub.unit_of_work(), FixedClock(just_before), hub.org) == []
    seen = client.get(f"/api/v1/decisions/{decision['id']}", headers=token("amelie")).json()
    assert seen["state"] == "open"
    assert seen["escalation"] is None

    passed = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
    escalated = escalate_due(hub.unit_of_work(), FixedClock(passed), hub.org)
    assert [v.decision.id for v in escalated] == [decision["id"]]

    # the fairest slot for those deciders from that moment, by the planner's own ranking,
    # over the next five working days (both work Mon-Fri: a day is a fifth of the week)
    deciders = [hub.org.person("amelie"), hub.org.person("kenji")]
    horizon_end = max(
        add_working_minutes(p.schedule, passed, 5 * (p.hours.weekly_minutes / 5)) for p in deciders
    )
    best = rank_slots(deciders, 30, passed, horizon_end).candidates[0]
    assert best.all_inside

    shown = client.get(f"/api/v1/decisions/{decision['id']}", headers=token("kenji")).json()
    assert shown["state"] == "escalated"
    assert shown["closed_at"] == "2026-11-24T09:30:00Z"
    escalation = shown["escalation"]
    assert escalation["reason"] == "decide-by passed without a result"
    meeting = escalation["meeting"]
    assert meeting["start_utc"] == best.start.isoformat().replace("+00:00", "Z")
    assert meeting["end_utc"] == best.end.isoformat().replace("+00:00", "Z")
    assert meeting["duration_minutes"] == 30
    # Wed 09:00 in Paris is 17:00 in Tokyo: inside both working days
    local = {a["person"]: (a["start"], a["end"]) for a in meeting["attendees"]}
    assert local == {
        "amelie": ("2026-11-25T09:00:00+01:00", "2026-11-25T09:30:00+01:00"),
        "kenji": ("2026-11-25T17:00:00+09:00", "2026-11-25T17:30:00+09:00"),
    }
    assert escalation["pre_read"]["decision"] == f"/api/v1/decisions/{decision['id']}"
    # escalated once: a later run changes nothing
    later = FixedClock(passed + timedelta(hours=1))
    assert escalate_due(hub.unit_of_work(), later, hub.org) == []


def test_a_quorum_with_a_leading_option_decides(client: TestClient, token: TokenFor) -> None:
    decision = open_(client, token("amelie"), deciders=["amelie", "bastien", "chloe"], quorum=2)
    assert decision["quorum"] == 2
    first = answer(client, token("amelie"), decision["id"], "cards")
    assert first["state"] == "open"
    second = answer(client, token("bastien"), decision["id"], "list")
    assert second["state"] == "open"  # a tie waits
    third = answer(client, token("chloe"), decision["id"], "cards")
    assert third["state"] == "decided"
    assert third["result"] == "cards"
    late = answer(client, token("amelie"), decision["id"], "list", status=409)
    assert late["error"]["code"] == "decision_closed"


def test_a_choice_outside_the_options_is_refused(client: TestClient, token: TokenFor) -> None:
    decision = open_(client, token("amelie"))
    refused = answer(client, token("kenji"), decision["id"], "tabs", status=422)
    assert refused["error"]["fields"]["field"] == "choice"


def test_objections_that_persist_for_two_rounds_escalate(
    client: TestClient, token: TokenFor
) -> None:
    decision = open_(client, token("amelie"), mode="consent", options=["cards"])
    assert decision["max_rounds"] == 2
    answer(client, token("amelie"), decision["id"], "consent")
    after_one = answer(client, token("kenji"), decision["id"], "object")
    assert (after_one["state"], after_one["round"]) == ("open", 2)
    answer(client, token("kenji"), decision["id"], "object")
    after_two = answer(client, token("amelie"), decision["id"], "consent")
    assert after_two["state"] == "escalated"
    assert after_two["escalation"]["reason"] == "objections persisted after 2 rounds"
    assert after_two["escalation"]["meeting"]["duration_minutes"] == 30


def test_consent_without_objection_decides_the_proposal(
    client: TestClient, token: TokenFor
) -> None:
    decision = open_(client, token("amelie"), mode="consent", options=["cards"])
    answer(client, token("amelie"), decision["id"], "consent")
    done = answer(client, token("kenji"), decision["id"], "consent")
    assert (done["state"], done["result"]) == ("decided", "cards")


def test_urgent_and_critical_escalates_on_open(client: TestClient, token: TokenFor) -> None:
    decision = open_(client, token("amelie"), urgent=True, critical=True)
    assert decision["state"] == "escalated"
    assert decision["escalation"]["reason"] == "marked urgent and critical"
    assert decision["escalation"]["meeting"]["start_utc"] > decision["created_at"]
    only_urgent = open_(client, token("amelie"), urgent=True)
    assert only_urgent["state"] == "open"


def test_the_author_withdraws_a_decider_may_not(client: TestClient, token: TokenFor) -> None:
    decision = open_(client, token("maria"), deciders=["amelie", "kenji"])
    url = f"/api/v1/decisions/{decision['id']}/withdraw"
    refused = client.post(url, headers=token("kenji"))
    assert refused.status_code == 403, refused.text
    assert refused.json()["error"]["code"] == "forbidden"
    done = client.post(url, headers=token("maria"))
    assert done.status_code == 200, done.text
    assert done.json()["state"] == "withdrawn"
    assert answer(client, token("kenji"), decision["id"], "list", status=409)["error"]["code"] == (
        "decision_closed"
    )


def test_the_teams_lead_may_withdraw(client: TestClient, token: TokenFor) -> None:
    decision = open_(client, token("chloe"), deciders=["kenji"])
    lead = token("bastien", Role("team_lead", "design"))
    done = client.post(f"/api/v1/decisions/{decision['id']}/withdraw", headers=lead)
    assert done.status_code == 200, done.text


def test_another_team_cannot_see_it_and_a_non_decider_cannot_respond(
    client: TestClient, token: TokenFor
) -> None:
    decision = open_(client, token("amelie"))
    url = f"/api/v1/decisions/{decision['id']}"
    hidden = client.get(url, headers=token("james"))  # QA
    missing = client.get("/api/v1/decisions/999999", headers=token("james"))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["error"]["message"] == f"decision {decision['id']} not found"
    assert client.get("/api/v1/teams/design/decisions", headers=token("james")).status_code == 404
    assert answer(client, token("james"), decision["id"], "list", status=404)
    # a design member who is not a decider reads it but may not respond
    assert client.get(url, headers=token("chloe")).status_code == 200
    refused = answer(client, token("chloe"), decision["id"], "list", status=403)
    assert refused["error"]["code"] == "forbidden"
    # a decider from another team reads it
    assert client.get(url, headers=token("kenji")).status_code == 200
    listed = client.get("/api/v1/teams/design/decisions", headers=token("chloe")).json()
    assert [d["id"] for d in listed["decisions"]] == [decision["id"]]


def test_unknown_fields_and_bad_rules_are_refused_in_our_shape(
    client: TestClient, token: TokenFor
) -> None:
    body = {"title": "t", "body": "b", "mode": "vote", "options": ["a", "b"],
            "deciders": ["amelie"], "deadline": "tomorrow"}  # fmt: skip
    response = client.post("/api/v1/teams/design/decisions", json=body, headers=token("amelie"))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert "deadline" in error["fields"]
    del body["deadline"]
    one_option = client.post(
        "/api/v1/teams/design/decisions", json={**body, "options": ["a"]}, headers=token("amelie")
    )
    assert one_option.status_code == 422
    assert one_option.json()["error"]["fields"]["field"] == "options"
    too_many = client.post(
        "/api/v1/teams/design/decisions", json={**body, "quorum": 2}, headers=token("amelie")
    )
    assert too_many.status_code == 422
    stranger = client.post(
        "/api/v1/teams/design/decisions",
        json={**body, "deciders": ["nobody"]},
        headers=token("amelie"),
    )
    assert stranger.status_code == 422
    assert stranger.json()["error"]["code"] == "unknown_entity"
    extra = client.post(
        "/api/v1/decisions/1/responses", json={"choice": "a", "why": "x"}, headers=token("amelie")
    )
    assert extra.status_code == 422
    assert "why" in extra.json()["error"]["fields"]


def test_the_served_app_escalates_in_the_background(
    hub: HubContext, token: TokenFor, clock: SettableClock
) -> None:
    """``asyncfirst serve`` runs the jobs; here the escalation ticks every 20 ms on the test's clock."""
    with TestClient(create_app(hub)) as quiet:
        decision = open_(quiet, token("amelie"), decide_within_hours=1)
    clock.instant += timedelta(days=7)
    ticking = Job("escalate_decisions", escalate_decisions, 0.02, "test tick")
    with TestClient(create_app(hub, jobs=[ticking])) as served:
        url, headers = f"/api/v1/decisions/{decision['id']}", token("amelie")
        deadline = time.monotonic() + 10
        while served.get(url, headers=headers).json()["state"] == "open":
            assert time.monotonic() < deadline, "the job never escalated the decision"
            time.sleep(0.02)
        shown = served.get(url, headers=headers).json()
    assert shown["escalation"]["reason"] == "decide-by passed without a result"
