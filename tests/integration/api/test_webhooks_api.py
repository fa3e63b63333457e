"""Webhooks over the API on SQLite and PostgreSQL: a team's lead or an org admin manages
them; a JSON webhook's secret is shown once; the delivery log shows each attempt."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from asyncfirst.adapters.notify.http import HttpWebhookTransport
from asyncfirst.domain.notifications import Notification
from asyncfirst.services.access import Role
from asyncfirst.services.hub_ports import HubContext
from asyncfirst.services.notifications import Transports, deliver_due
from tests.integration.api.conftest import SettableClock, TokenFor
from tests.integration.receivers import HttpReceiver

LEAD = Role("team_lead", "coding")
ADMIN = Role("org_admin")
SYT = "syt_token"  # a Matrix access token, made up


@pytest.fixture
def receiver() -> Iterator[HttpReceiver]:
    server = HttpReceiver().start()
    try:
        yield server
    finally:
        server.stop()


def add(client: TestClient, headers: dict[str, str], status: int = 201, **body: Any) -> Any:
    body = {"team": "coding", "format": "json", "url": "https://hooks.example.org/in", **body}
    response = client.post("/api/v1/webhooks", json=body, headers=headers)
    assert response.status_code == status, response.text
    return response.json()


def test_the_lead_adds_a_json_webhook_and_sees_its_secret_once(
    client: TestClient, token: TokenFor
) -> None:
    lead = token("kenji", LEAD)
    made = add(client, lead)
    assert made["team"] == "coding" and made["format"] == "json" and made["active"] is True
    assert made["secret"].startswith("whsec_") and len(made["secret"]) > 40
    assert made["created_by"] == "kenji"
    listed = client.get("/api/v1/webhooks", headers=lead).json()["webhooks"]
    assert [w["id"] for w in listed] == [made["id"]]
    assert "secret" not in listed[0]
    log = client.get(f"/api/v1/webhooks/{made['id']}/deliveries", headers=lead).json()
    assert "secret" not in json.dumps(log) and made["secret"] not in json.dumps(log)


def test_slack_urls_and_matrix_tokens_are_never_shown_back(
    client: TestClient, token: TokenFor
) -> None:
    lead = token("kenji", LEAD)
    slack = add(client, lead, format="slack", url="https://hooks.slack.com/services/T/B/SECRET")
    assert slack["url"] == "https://hooks.slack.com/…" and "secret" not in slack
    matrix = add(client, lead, format="matrix", url="https://matrix.example.org",
                 matrix_room_id="!ops:example.org", matrix_access_token=SYT)  # fmt: skip
    assert matrix["matrix_room_id"] == "!ops:example.org"
    everything = client.get("/api/v1/webhooks?team=coding", headers=lead).text
    assert "SECRET" not in everything and SYT not in everything


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"url": "ftp://example.org/x"}, "url", "is not a web address"),
        ({"url": "https://"}, "url", "is not a web address"),
        ({"format": "matrix", "url": "https://m.example.org"}, "matrix_room_id", "room id"),
        (
            {"format": "matrix", "url": "https://m.example.org", "matrix_room_id": "!a:b.org"},
            "matrix_access_token", "access token",
        ),
        ({"format": "slack", "matrix_room_id": "!a:b.org"}, "matrix_room_id", "not slack"),
    ],
)  # fmt: skip
def test_a_bad_webhook_is_refused_naming_the_field(
    client: TestClient, token: TokenFor, body: dict[str, str], field: str, words: str
) -> None:
    error = add(client, token("kenji", LEAD), 422, **body)["error"]
    assert error["code"] == "invalid_input"
    assert words in error["message"] and error["fields"]["field"] == field


def test_an_unknown_format_is_refused(client: TestClient, token: TokenFor) -> None:
    error = add(client, token("kenji", LEAD), 422, format="teams")["error"]
    assert "format" in json.dumps(error)


def test_who_may_manage_a_teams_webhooks(client: TestClient, token: TokenFor) -> None:
    made = add(client, token("kenji", LEAD))
    hook = made["id"]
    # A member of the team (not its lead): may not add one, nor list the team's.
    member = token("yuki")
    assert add(client, member, 403)["error"]["code"] == "forbidden"
    assert client.get("/api/v1/webhooks?team=coding", headers=member).status_code == 403
    assert client.get("/api/v1/webhooks", headers=member).json() == {"webhooks": []}
    # Another team's member, and another team's lead: refused; the webhook looks missing.
    for outsider in (token("amelie"), token("maria", Role("team_lead", "qa"))):
        assert add(client, outsider, 403)["error"]["code"] == "forbidden"
        for method, path in (
            ("GET", f"/api/v1/webhooks/{hook}/deliveries"),
            ("DELETE", f"/api/v1/webhooks/{hook}"),
        ):
            refused = client.request(method, path, headers=outsider)
            missing = client.request(method, path.replace(str(hook), "999"), headers=outsider)
            assert refused.status_code == missing.status_code == 404
            assert refused.json()["error"]["message"] == f"webhook {hook} not found"
        assert client.get("/api/v1/webhooks", headers=outsider).json() == {"webhooks": []}
    # An org admin manages every team's.
    admin = token("amelie", ADMIN)
    add(client, admin, team="qa", format="slack", url="https://hooks.slack.com/services/Q")
    teams = sorted(
        w["team"] for w in client.get("/api/v1/webhooks", headers=admin).json()["webhooks"]
    )
    assert teams == ["coding", "qa"]
    assert client.delete(f"/api/v1/webhooks/{hook}", headers=admin).status_code == 204
    assert [w["team"] for w in client.get("/api/v1/webhooks", headers=admin).json()["webhooks"]] == [
        "qa"
    ]  # fmt: skip
    # Removed, its log stays readable by the lead.
    still = client.get(f"/api/v1/webhooks/{hook}/deliveries", headers=token("kenji", LEAD))
    assert still.status_code == 200 and still.json()["webhook"]["active"] is False


def test_an_unknown_team_is_404(client: TestClient, token: TokenFor) -> None:
    error = add(client, token("amelie", ADMIN), 404, team="nobody")["error"]
    assert error["message"] == 'team "nobody" not found'


def test_the_delivery_log_shows_each_attempt(
    client: TestClient, token: TokenFor, hub: HubContext, clock: SettableClock,
    receiver: HttpReceiver,
) -> None:  # fmt: skip
    lead = token("kenji", LEAD)
    made = add(client, lead, url=f"{receiver.url}/hook")
    with hub.unit_of_work() as uow:
        uow.outbox.enqueue(Notification("handoff:41", "handoff", "coding", "Hand-off from design",
                                        "Palette done.", clock.instant, link="/api/v1/handoffs/41"))  # fmt: skip
        uow.commit()
    receiver.status = 500
    http = HttpWebhookTransport(timeout=5)
    try:
        deliver_due(hub.unit_of_work, hub.clock, Transports(http), random=lambda: 0)
        receiver.status = 200
        clock.instant = clock.instant.replace(minute=clock.instant.minute + 1)
        deliver_due(hub.unit_of_work, hub.clock, Transports(http), random=lambda: 0)
    finally:
        http.close()
    log = client.get(f"/api/v1/webhooks/{made['id']}/deliveries", headers=lead)
    assert log.status_code == 200, log.text
    [entry] = log.json()["deliveries"]
    assert entry["notification"] == "handoff:41" and entry["kind"] == "handoff"
    assert entry["channel"] == f"webhook:{made['id']}"
    assert (entry["status"], entry["attempts"], entry["last_response"]) == (
        "delivered", 2, "HTTP 200"
    )  # fmt: skip
    assert entry["last_error"] == "the receiver answered HTTP 500: no"  # kept from the failure
    assert [r.answered for r in receiver.requests] == [500, 200]
    assert (
        client.get(f"/api/v1/webhooks/{made['id']}/deliveries?limit=0", headers=lead).status_code
        == 422
    )
