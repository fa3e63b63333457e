"""Hand-offs over the API on SQLite and PostgreSQL: routed to the team whose day starts
next (a Japanese holiday moves Tokyo's start), read by the two teams only, acknowledged by
the receiving team only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.integration.api.conftest import PARIS, TOKYO, SettableClock, TokenFor

FRIDAY_13_END_PARIS = datetime(2026, 11, 13, 17, 30, tzinfo=PARIS)
FRIDAY_20_END_PARIS = datetime(2026, 11, 20, 17, 30, tzinfo=PARIS)
TUESDAY_END_TOKYO = datetime(2026, 11, 17, 18, 30, tzinfo=TOKYO)


def hand_off(
    client: TestClient, headers: dict[str, str], status: int = 201, **body: Any
) -> dict[str, Any]:
    body = {"note": "Palette done; icons half way.", "open_items": ["icons", "fonts"], **body}
    response = client.post("/api/v1/handoffs", json=body, headers=headers)
    assert response.status_code == status, response.text
    data: dict[str, Any] = response.json()
    return data


def test_a_paris_friday_note_goes_to_tokyos_monday(
    client: TestClient, token: TokenFor, clock: SettableClock
) -> None:
    clock.instant = FRIDAY_13_END_PARIS
    sent = hand_off(client, token("amelie"), open_items=[" icons ", "fonts"])
    assert sent["from_team"] == "design"
    assert sent["to_team"] == "coding"
    assert sent["author"] == {"id": "amelie", "name": "Amélie Laurent"}
    assert sent["open_items"] == ["icons", "fonts"]
    assert sent["created_at"] == "2026-11-13T16:30:00Z"
    # New York is mid-day at 16:30 UTC; the next day to *start* is Tokyo's Monday.
    assert sent["to_starts_at"] == "2026-11-16T00:30:00Z"
    assert (sent["to_zone"], sent["to_starts_local"]) == ("Asia/Tokyo", "2026-11-16T09:30:00+09:00")
    assert sent["acknowledged_by"] is None

    received = client.get("/api/v1/teams/coding/handoffs?direction=in", headers=token("kenji"))
    assert received.status_code == 200, received.text
    assert [h["id"] for h in received.json()["handoffs"]] == [sent["id"]]
    assert received.json()["direction"] == "in"
    sent_box = client.get("/api/v1/teams/design/handoffs?direction=out", headers=token("chloe"))
    assert [h["id"] for h in sent_box.json()["handoffs"]] == [sent["id"]]
    came_in = client.get("/api/v1/teams/design/handoffs", headers=token("chloe")).json()
    assert came_in["handoffs"] == []  # nothing came in to design


def test_a_japanese_holiday_monday_routes_paris_to_new_york(
    client: TestClient, token: TokenFor, clock: SettableClock
) -> None:
    """Monday 2026-11-23 is Labour Thanksgiving: Tokyo starts Tuesday 00:30 UTC, after New
    York's Monday 09:00 EST (14:00 UTC)."""
    clock.instant = FRIDAY_20_END_PARIS
    sent = hand_off(client, token("amelie"))
    assert (sent["to_team"], sent["to_starts_at"]) == ("qa", "2026-11-23T14:00:00Z")
    assert sent["to_starts_local"] == "2026-11-23T09:00:00-05:00"


def test_a_tokyo_evening_note_skips_paris_already_at_work(
    client: TestClient, token: TokenFor, clock: SettableClock
) -> None:
    """Tuesday 18:30 JST is 09:30 UTC: Paris started at 08:00 UTC, so New York's 14:00 UTC
    start is the next one."""
    clock.instant = TUESDAY_END_TOKYO
    sent = hand_off(client, token("kenji"))
    assert (sent["from_team"], sent["to_team"]) == ("coding", "qa")
    assert sent["to_starts_at"] == "2026-11-17T14:00:00Z"


def test_inbox_is_newest_first(client: TestClient, token: TokenFor, clock: SettableClock) -> None:
    clock.instant = FRIDAY_13_END_PARIS
    first = hand_off(client, token("amelie"), note="first")
    clock.instant = datetime(2026, 11, 13, 17, 45, tzinfo=PARIS)
    second = hand_off(client, token("chloe"), note="second")
    inbox = client.get("/api/v1/teams/coding/handoffs", headers=token("yuki")).json()
    assert [h["id"] for h in inbox["handoffs"]] == [second["id"], first["id"]]


def test_another_teams_handoffs_look_missing(
    client: TestClient, token: TokenFor, clock: SettableClock
) -> None:
    clock.instant = FRIDAY_13_END_PARIS
    sent = hand_off(client, token("amelie"))  # design -> coding
    james = token("james")  # qa
    for team, direction in (("design", "out"), ("coding", "in")):
        hidden = client.get(f"/api/v1/teams/{team}/handoffs?direction={direction}", headers=james)
        missing = client.get(f"/api/v1/teams/marketing/handoffs?direction={direction}",
                             headers=james)  # fmt: skip
        assert hidden.status_code == missing.status_code == 404
        assert hidden.text.replace(team, "marketing") == missing.text
    ack = client.post(f"/api/v1/handoffs/{sent['id']}/ack", headers=james)
    gone = client.post("/api/v1/handoffs/999999/ack", headers=james)
    assert ack.status_code == gone.status_code == 404
    assert ack.json()["error"]["code"] == "not_found"


def test_only_the_receiving_team_acknowledges(
    client: TestClient, token: TokenFor, clock: SettableClock
) -> None:
    clock.instant = FRIDAY_13_END_PARIS
    sent = hand_off(client, token("amelie"))
    wrong = client.post(f"/api/v1/handoffs/{sent['id']}/ack", headers=token("chloe"))
    assert wrong.status_code == 403, wrong.text
    assert wrong.json()["error"]["code"] == "forbidden"

    clock.instant = datetime(2026, 11, 16, 9, 40, tzinfo=TOKYO)
    ack = client.post(f"/api/v1/handoffs/{sent['id']}/ack", headers=token("kenji"))
    assert ack.status_code == 200, ack.text
    assert ack.json()["acknowledged_by"] == {"id": "kenji", "name": "Kenji Sato"}
    assert ack.json()["acknowledged_at"] == "2026-11-16T00:40:00Z"

    clock.instant = datetime(2026, 11, 16, 10, 0, tzinfo=TOKYO)
    again = client.post(f"/api/v1/handoffs/{sent['id']}/ack", headers=token("yuki"))
    assert again.status_code == 200
    assert again.json()["acknowledged_by"]["id"] == "kenji"  # the first one stands
    out = client.get("/api/v1/teams/design/handoffs?direction=out", headers=token("amelie"))
    assert out.json()["handoffs"][0]["acknowledged_at"] == "2026-11-16T00:40:00Z"


@pytest.mark.parametrize(
    "body",
    [
        {"note": "x", "to_team": "qa"},
        {"note": "x", "open_items": ["ok", ""]},
        {"note": "   "},
        {"open_items": ["a"]},
    ],
)
def test_bad_bodies_are_refused(
    client: TestClient, token: TokenFor, clock: SettableClock, body: dict[str, Any]
) -> None:
    clock.instant = FRIDAY_13_END_PARIS
    response = client.post("/api/v1/handoffs", json=body, headers=token("amelie"))
    assert response.status_code == 422, response.text


def test_a_bad_direction_is_refused(client: TestClient, token: TokenFor) -> None:
    response = client.get("/api/v1/teams/design/handoffs?direction=up", headers=token("amelie"))
    assert response.status_code == 422
