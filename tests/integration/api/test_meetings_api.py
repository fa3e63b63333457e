"""Meetings over the API on SQLite and PostgreSQL: scheduling with clear errors, each
attendee's zone and local times, who may read and cancel, and confirming an escalated
decision's proposed meeting exactly once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from asyncfirst.services.access import Role
from tests.integration.api.conftest import SettableClock, TokenFor

PARIS, NEW_YORK, TOKYO = (
    ZoneInfo("Europe/Paris"),
    ZoneInfo("America/New_York"),
    ZoneInfo("Asia/Tokyo"),
)
# Monday 2026-11-23 15:00 Paris = 09:00 New York = 23:00 Tokyo.
MONDAY_3PM_PARIS = datetime(2026, 11, 23, 15, 0, tzinfo=PARIS)


def body(**changes: Any) -> dict[str, Any]:
    start = MONDAY_3PM_PARIS
    return {
        "team": "design",
        "title": "Onboarding kickoff",
        "kind": "kickoff",
        "why_sync": "A new project: faces and names before the async work starts.",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(minutes=45)).isoformat(),
        "attendees": ["maria", "chloe"],
        **changes,
    }


def schedule(client: TestClient, headers: dict[str, str], **changes: Any) -> dict[str, Any]:
    response = client.post("/api/v1/meetings", json=body(**changes), headers=headers)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


def test_a_scheduled_meeting_shows_each_attendees_zone_and_local_times(
    client: TestClient, token: TokenFor
) -> None:
    meeting = schedule(client, token("amelie"))
    assert meeting["source"] == "planner" and meeting["decision_id"] is None
    assert meeting["organiser"] == {"id": "amelie", "name": "Amélie Laurent"}
    assert meeting["starts_at"] == "2026-11-23T14:00:00+00:00"
    local = {a["id"]: (a["zone"], a["local_start"], a["local_end"]) for a in meeting["attendees"]}
    assert local == {  # the organiser attends, first
        "amelie": ("Europe/Paris", "2026-11-23T15:00:00+01:00", "2026-11-23T15:45:00+01:00"),
        "maria": ("America/New_York", "2026-11-23T09:00:00-05:00", "2026-11-23T09:45:00-05:00"),
        "chloe": ("Europe/Paris", "2026-11-23T15:00:00+01:00", "2026-11-23T15:45:00+01:00"),
    }
    assert [a["id"] for a in meeting["attendees"]] == ["amelie", "maria", "chloe"]

    # Maria (qa) sees it in her range, though it is design's meeting; James does not.
    mine = client.get(
        "/api/v1/meetings",
        params={"from": "2026-11-23T00:00:00Z", "to": "2026-11-24T00:00:00Z"},
        headers=token("maria"),
    ).json()
    assert [m["id"] for m in mine["meetings"]] == [meeting["id"]]
    assert (
        client.get(f"/api/v1/meetings/{meeting['id']}", headers=token("maria")).status_code == 200
    )
    hidden = client.get(f"/api/v1/meetings/{meeting['id']}", headers=token("james"))
    assert hidden.status_code == 404
    assert hidden.json()["error"]["message"] == f"meeting {meeting['id']} not found"
    outside = client.get(
        "/api/v1/meetings",
        params={"from": "2026-11-24T00:00:00Z", "to": "2026-11-25T00:00:00Z"},
        headers=token("maria"),
    ).json()
    assert outside["meetings"] == []


def test_a_team_meeting_expands_to_its_members(client: TestClient, token: TokenFor) -> None:
    meeting = schedule(
        client, token("kenji"), team="coding", attendees=["coding"], kind="alignment"
    )
    assert [a["id"] for a in meeting["attendees"]] == ["kenji", "yuki", "haruto", "sakura", "ren"]
    assert {a["local_start"] for a in meeting["attendees"]} == {"2026-11-23T23:00:00+09:00"}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"attendees": ["maria", "nobody"]}, "attendees", "unknown attendee(s): nobody"),
        (
            {"ends_at": "2026-11-23T13:00:00+00:00"},
            "ends_at",
            "ends_at 2026-11-23T13:00:00+00:00 is not after starts_at 2026-11-23T15:00:00+01:00",
        ),
        (
            {"starts_at": "2026-11-23T15:00:00"},
            "starts_at",
            "starts_at 2026-11-23T15:00:00 has no time zone",
        ),
        (
            {"starts_at": "2026-11-20T08:00:00Z", "ends_at": "2026-11-20T09:00:00Z"},
            "starts_at",
            "starts_at 2026-11-20T08:00:00+00:00 is in the past",
        ),
        (
            {"ends_at": "2026-11-24T14:00:00Z"},
            "ends_at",
            "the meeting lasts 1440 minutes; at most 480",
        ),
        ({"why_sync": "   "}, "why_sync", "why_sync is empty"),
    ],
)
def test_bad_meetings_are_refused_with_a_clear_error(
    client: TestClient, token: TokenFor, changes: dict[str, Any], field: str, message: str
) -> None:
    response = client.post("/api/v1/meetings", json=body(**changes), headers=token("amelie"))
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] in ("invalid_input", "unknown_entity")
    assert error["message"].startswith(message), error
    assert error["fields"]["field"] == field


def test_an_unknown_kind_is_refused_by_the_schema(client: TestClient, token: TokenFor) -> None:
    response = client.post("/api/v1/meetings", json=body(kind="party"), headers=token("amelie"))
    assert response.status_code == 422
    assert "kind" in response.json()["error"]["fields"]


def test_only_members_lead_or_admin_schedule_a_teams_meeting(
    client: TestClient, token: TokenFor
) -> None:
    refused = client.post("/api/v1/meetings", json=body(), headers=token("james"))
    assert refused.status_code == 404  # design is hidden from a qa member
    lead = token("maria", Role("team_lead", "design"))
    assert client.post("/api/v1/meetings", json=body(), headers=lead).status_code == 201


def test_cancel_by_organiser_lead_or_admin_and_again_changes_nothing(
    client: TestClient, token: TokenFor, clock: SettableClock
) -> None:
    meeting = schedule(client, token("chloe"))
    url = f"/api/v1/meetings/{meeting['id']}"
    attendee = client.delete(url, headers=token("maria"))  # attends, but did not organise
    assert attendee.status_code == 403, attendee.text
    assert attendee.json()["error"]["code"] == "forbidden"
    member = client.delete(url, headers=token("amelie"))  # design member, not its lead
    assert member.status_code == 403
    cancelled = client.delete(url, headers=token("chloe"))
    assert cancelled.status_code == 200, cancelled.text
    first = cancelled.json()["cancelled_at"]
    assert datetime.fromisoformat(first) == clock.instant
    clock.instant += timedelta(minutes=5)
    again = client.delete(url, headers=token("amelie", Role("team_lead", "design")))
    assert again.status_code == 200 and again.json()["cancelled_at"] == first
    listed = client.get(
        "/api/v1/meetings",
        params={"from": "2026-11-23T00:00:00Z", "to": "2026-11-24T00:00:00Z"},
        headers=token("chloe"),
    ).json()
    assert listed["meetings"] == []  # cancelled meetings leave My day


def test_another_persons_meetings_only_for_their_lead_or_an_admin(
    client: TestClient, token: TokenFor
) -> None:
    schedule(client, token("amelie"))
    params = {"from": "2026-11-23T00:00:00Z", "to": "2026-11-24T00:00:00Z", "person": "chloe"}
    assert client.get("/api/v1/meetings", params=params, headers=token("maria")).status_code == 404
    lead = client.get(
        "/api/v1/meetings", params=params, headers=token("amelie", Role("team_lead", "design"))
    )
    assert lead.status_code == 200 and len(lead.json()["meetings"]) == 1
    naive = client.get(
        "/api/v1/meetings", params={"from": "2026-11-23T00:00:00"}, headers=token("chloe")
    )
    assert naive.status_code == 422
    assert naive.json()["error"]["message"].startswith("from 2026-11-23T00:00:00 has no time zone")


def test_a_decider_confirms_an_escalated_decisions_meeting_once(
    client: TestClient, token: TokenFor
) -> None:
    decision = client.post(
        "/api/v1/teams/design/decisions",
        json={"title": "Ship the new onboarding?", "body": "Security found an issue.",
              "mode": "consent", "deciders": ["amelie", "kenji"], "urgent": True,
              "critical": True},
        headers=token("amelie"),
    ).json()  # fmt: skip
    assert decision["state"] == "escalated"
    proposed = decision["escalation"]["meeting"]
    url = f"/api/v1/decisions/{decision['id']}/meeting"

    assert client.post(url, headers=token("chloe")).status_code == 403  # reads it, not a decider
    assert client.post(url, headers=token("james")).status_code == 404  # cannot see it

    first = client.post(url, headers=token("kenji"))
    assert first.status_code == 201, first.text
    meeting = first.json()
    assert (meeting["source"], meeting["kind"], meeting["decision_id"]) == (
        "decision", "decision", decision["id"],
    )  # fmt: skip
    assert meeting["starts_at"] == datetime.fromisoformat(proposed["start_utc"]).isoformat()
    assert meeting["ends_at"] == datetime.fromisoformat(proposed["end_utc"]).isoformat()
    assert [a["id"] for a in meeting["attendees"]] == ["amelie", "kenji"]
    assert meeting["why_sync"].startswith("Decision escalated: marked urgent and critical")
    assert meeting["title"] == "Decide: Ship the new onboarding?"

    again = client.post(url, headers=token("amelie"))
    assert again.status_code == 200
    assert again.json() == meeting


def test_an_open_decision_has_no_meeting_to_confirm(client: TestClient, token: TokenFor) -> None:
    decision = client.post(
        "/api/v1/teams/design/decisions",
        json={"title": "Colour", "body": "Pick", "mode": "vote", "options": ["a", "b"],
              "deciders": ["amelie", "bastien"]},
        headers=token("amelie"),
    ).json()  # fmt: skip
    response = client.post(f"/api/v1/decisions/{decision['id']}/meeting", headers=token("amelie"))
    assert response.status_code == 422
    assert response.json()["error"]["message"].startswith(
        f"decision {decision['id']} is open, not escalated"
    )
