"""Every error answers in one shape with a stable code; a user never sees a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from asyncfirst.bootstrap import FixedClock
from asyncfirst.domain.model import Organisation
from asyncfirst.entrypoints.api.app import create_app
from asyncfirst.services.hub_ports import HubContext, HubUnitOfWork
from tests.integration.api.conftest import FRIDAY_EVENING_PARIS, TokenFor

THREAD = {"kind": "update", "title": "t", "body": "b"}


def error_of(response: Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code
    assert "Traceback" not in response.text
    error: dict[str, Any] = body["error"]
    return error


def test_an_unknown_field_is_named(client: TestClient, token: TokenFor) -> None:
    response = client.post(
        "/api/v1/teams/coding/threads", json={**THREAD, "colour": "red"}, headers=token("amelie")
    )
    error = error_of(response, 422, "invalid_input")
    assert error["message"] == "invalid request: unknown field(s): colour"
    assert list(error["fields"]) == ["colour"]
    assert error["fields"]["colour"].startswith("unknown field")


def test_missing_and_invalid_fields_are_each_named(client: TestClient, token: TokenFor) -> None:
    response = client.post(
        "/api/v1/teams/coding/threads",
        json={"kind": "memo", "body": "b", "recipients": ["kenji", 7]},
        headers=token("amelie"),
    )
    error = error_of(response, 422, "invalid_input")
    assert error["fields"]["title"] == "required"
    assert "update" in error["fields"]["kind"] and "question" in error["fields"]["kind"]
    assert "recipients[1]" in error["fields"]
    assert error["message"].startswith("invalid request: ")


@pytest.mark.parametrize(
    ("path", "content", "field"),
    [
        ("/api/v1/threads/seven/replies", b'{"body": "hi"}', "thread_id"),
        ("/api/v1/threads/1/replies", b'{"body": ', "body"),
        ("/api/v1/threads/1/replies", b"", "body"),
    ],
    ids=["path not an integer", "broken JSON", "no body"],
)
def test_malformed_requests(
    client: TestClient, token: TokenFor, path: str, content: bytes, field: str
) -> None:
    headers = {**token("amelie"), "Content-Type": "application/json"}
    error = error_of(client.post(path, content=content, headers=headers), 422, "invalid_input")
    assert field in error["fields"]


def test_an_oversized_body_is_refused_with_413(client: TestClient, token: TokenFor) -> None:
    huge = {**THREAD, "body": "x" * 70_000}
    error = error_of(
        client.post("/api/v1/teams/coding/threads", json=huge, headers=token("amelie")),
        413,
        "payload_too_large",
    )
    assert error["fields"] == {"limit_bytes": 65536}


def test_an_oversized_chunked_body_is_refused_with_413(client: TestClient, token: TokenFor) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"kind": "update", "title": "t", "body": "'
        for _ in range(20):
            yield b"x" * 4096
        yield b'"}'

    response = client.post(
        "/api/v1/teams/coding/threads",
        content=chunks(),
        headers={**token("amelie"), "Content-Type": "application/json"},
    )
    error_of(response, 413, "payload_too_large")


def test_an_unknown_team_is_404_in_our_shape(client: TestClient, token: TokenFor) -> None:
    headers = token("amelie")
    for response in (
        client.get("/api/v1/teams/marketing/threads", headers=headers),
        client.post("/api/v1/teams/marketing/threads", json=THREAD, headers=headers),
    ):
        error = error_of(response, 404, "not_found")
        assert error == {
            "code": "not_found",
            "message": 'team "marketing" not found',
            "fields": {"resource": "team", "id": "marketing"},
        }


def test_unknown_routes_and_methods_answer_in_our_shape(client: TestClient) -> None:
    error = error_of(client.get("/api/v1/nothing-here"), 404, "not_found")
    assert "/api/v1/nothing-here" in error["message"]
    response = client.put("/api/v1/me")
    error_of(response, 405, "method_not_allowed")
    assert "GET" in response.headers["allow"]


def test_a_domain_error_from_a_use_case_keeps_its_code(client: TestClient, token: TokenFor) -> None:
    response = client.post("/api/v1/route", json={"kind": "séance"}, headers=token("amelie"))
    error = error_of(response, 422, "invalid_input")
    assert error["fields"] == {"field": "kind", "value": "séance"}


class _Broken:
    """A unit of work whose storage fails in a way nobody planned for."""

    def __enter__(self) -> _Broken:
        raise RuntimeError("disk on fire at /var/lib/secret")

    def __exit__(self, *_exc: object) -> None:
        return None


def test_an_unexpected_failure_is_500_without_a_traceback(demo_org: Organisation) -> None:
    def broken() -> HubUnitOfWork:
        return _Broken()  # type: ignore[return-value]

    hub = HubContext(broken, FixedClock(FRIDAY_EVENING_PARIS), demo_org)
    with TestClient(create_app(hub), raise_server_exceptions=False) as client:
        response = client.get("/api/v1/me", headers={"Authorization": "Bearer afk_" + "A" * 43})
    error = error_of(response, 500, "internal_error")
    assert "disk on fire" not in response.text
    assert error["fields"] == {}


def test_an_unreachable_database_is_503(demo_org: Organisation, tmp_path: Any) -> None:
    from asyncfirst.adapters.db.engine import create_engine
    from asyncfirst.adapters.db.hub_repository import SqlHubUnitOfWork

    engine = create_engine(f"sqlite:///{tmp_path / 'missing' / 'hub.db'}")
    hub = HubContext(lambda: SqlHubUnitOfWork(engine), FixedClock(FRIDAY_EVENING_PARIS), demo_org,
                     engine.dispose)  # fmt: skip
    with TestClient(create_app(hub)) as client:
        response = client.get("/api/v1/me", headers={"Authorization": "Bearer afk_" + "A" * 43})
    error = error_of(response, 503, "database_unavailable")
    assert "check that the folder" in error["message"]
