"""The OpenAPI document builds, lists every route, and documents the token and the error shape."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from asyncfirst.bootstrap import FixedClock
from asyncfirst.domain.model import Organisation
from asyncfirst.entrypoints.api.app import create_app
from asyncfirst.services.hub_ports import HubContext, HubUnitOfWork
from tests.integration.api.conftest import FRIDAY_EVENING_PARIS

ROUTES = {
    ("/health", "get"),
    ("/api/v1/me", "get"),
    ("/api/v1/me/queue", "get"),
    ("/api/v1/teams/{team}/threads", "get"),
    ("/api/v1/teams/{team}/threads", "post"),
    ("/api/v1/threads/{thread_id}", "get"),
    ("/api/v1/threads/{thread_id}/replies", "post"),
    ("/api/v1/route", "post"),
    ("/api/v1/tokens", "post"),
    ("/api/v1/tokens/{prefix}", "delete"),
    ("/api/v1/teams/{team}/decisions", "get"),
    ("/api/v1/teams/{team}/decisions", "post"),
    ("/api/v1/decisions/{decision_id}", "get"),
    ("/api/v1/decisions/{decision_id}/responses", "post"),
    ("/api/v1/decisions/{decision_id}/withdraw", "post"),
    ("/api/v1/checkins", "post"),
    ("/api/v1/me/checkins", "get"),
    ("/api/v1/teams/{team}/checkins", "get"),
    ("/api/v1/teams/{team}/mood", "get"),
    ("/api/v1/handoffs", "post"),
    ("/api/v1/teams/{team}/handoffs", "get"),
    ("/api/v1/handoffs/{handoff_id}/ack", "post"),
    ("/api/v1/pulse", "post"),
    ("/api/v1/teams/{team}/pulse", "get"),
    ("/api/v1/teams/{team}/band", "post"),
    ("/api/v1/meetings", "get"),
    ("/api/v1/meetings", "post"),
    ("/api/v1/meetings/{meeting_id}", "get"),
    ("/api/v1/meetings/{meeting_id}", "delete"),
    ("/api/v1/decisions/{decision_id}/meeting", "post"),
    ("/api/v1/me/feed", "post"),
    ("/api/v1/me/feed", "delete"),
    ("/api/v1/webhooks", "get"),
    ("/api/v1/webhooks", "post"),
    ("/api/v1/webhooks/{webhook_id}", "delete"),
    ("/api/v1/webhooks/{webhook_id}/deliveries", "get"),
}


def _no_storage() -> HubUnitOfWork:
    raise AssertionError("the OpenAPI document must not touch storage")


@pytest.fixture
def client(demo_org: Organisation) -> TestClient:
    hub = HubContext(_no_storage, FixedClock(FRIDAY_EVENING_PARIS), demo_org)
    return TestClient(create_app(hub))


@pytest.fixture
def document(client: TestClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    return data


def test_every_route_is_listed(document: dict[str, Any]) -> None:
    listed = {(path, method) for path, ops in document["paths"].items() for method in ops}
    assert listed == ROUTES
    assert document["info"]["title"] == "asyncfirst hub"


def test_api_routes_ask_for_the_bearer_token_and_document_errors(document: dict[str, Any]) -> None:
    assert document["components"]["securitySchemes"]["token"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal API token: `Authorization: Bearer afk_…`",
    }
    for path, ops in document["paths"].items():
        for method, op in ops.items():
            if path == "/health":
                assert "security" not in op
                continue
            assert op["security"] == [{"token": []}], (method, path)
            assert op["responses"]["401"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorOut"
            }


def test_request_bodies_refuse_unknown_fields(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    for name in (
        "ThreadIn",
        "ReplyIn",
        "RouteIn",
        "TokenIn",
        "DecisionIn",
        "DecisionResponseIn",
        "CheckinIn",
        "HandoffIn",
        "PulseIn",
        "BandIn",
        "MeetingIn",
    ):
        assert schemas[name]["additionalProperties"] is False, name
    assert schemas["ThreadIn"]["properties"]["kind"]["enum"] == ["update", "question"]
    mood = schemas["CheckinIn"]["properties"]["mood"]["anyOf"][0]
    assert (mood["minimum"], mood["maximum"]) == (1, 5)


def test_the_docs_page_is_served(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert "/openapi.json" in response.text
