"""HTTP hardening, checked over every route the app has (new routes are covered by themselves).

Security headers on every response (API, pages, static files, redirects, 404/405/413/500);
HSTS only over https; unknown body fields named in a 422 for every operation with a JSON
body; oversized bodies (declared or chunked) answered 413; token use rate-limited per
token prefix and, for bad tokens, per client address (429 with Retry-After).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from httpx2 import Response

from asyncfirst.bootstrap import FixedClock
from asyncfirst.domain.model import Organisation
from asyncfirst.entrypoints.api.app import create_app
from asyncfirst.entrypoints.api.ratelimit import TokenBucketLimiter, TokenLimits
from asyncfirst.entrypoints.api.security import CONTENT_SECURITY_POLICY, HSTS
from asyncfirst.services.access import Role
from asyncfirst.services.hub_ports import HubContext, HubUnitOfWork
from tests.integration.api.conftest import FRIDAY_EVENING_PARIS, TokenFor

REQUIRED = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def assert_secure(response: Response, what: str) -> None:
    for name, value in REQUIRED.items():
        assert response.headers.get(name) == value, (
            f"{what}: {name} is {response.headers.get(name)}"
        )
    csp = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, f"{what}: CSP {csp}"
    assert "camera=()" in response.headers.get("Permissions-Policy", ""), what
    assert "Strict-Transport-Security" not in response.headers, f"{what}: HSTS over http"


def sample_path(path: str) -> str:
    """A concrete URL for a route path: ids 1, teams "coding", anything else "x"."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[0]
        if name.endswith("id"):
            return "1"
        return {"team": "coding", "prefix": "afk_00000000"}.get(name, "x")

    return re.sub(r"\{([^}]+)\}", value, path)


def every_route(app: FastAPI) -> Iterator[tuple[str, str]]:
    """(method, concrete path) for every HTTP route of the app, pages and API alike."""
    for context in iter_route_contexts(app.routes):
        path, methods = context.path, context.methods
        if path is None or not methods:
            continue
        for method in sorted(methods - {"HEAD"}):
            yield method, sample_path(path)


def test_every_route_answers_with_security_headers(client: TestClient, token: TokenFor) -> None:
    headers = token("amelie", Role("org_admin"))
    seen = 0
    for method, path in every_route(client.app):  # type: ignore[arg-type]
        for auth in (headers, {}):
            response = client.request(method, path, headers=auth, follow_redirects=False)
            assert_secure(response, f"{method} {path} -> {response.status_code}")
            seen += 1
    assert seen >= 2 * 30  # the API alone has over thirty operations
    for path in ("/no/such/page", "/api/v1/nothing", "/docs", "/openapi.json"):
        assert_secure(client.get(path), path)
    assert "cdn.jsdelivr.net" in client.get("/docs").headers["Content-Security-Policy"]
    assert client.get("/openapi.json").headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert_secure(client.put("/api/v1/me"), "405")
    big = client.post("/api/v1/route", content=b"x" * 70_000, headers=headers)
    assert big.status_code == 413
    assert_secure(big, "413")


def test_static_files_carry_the_headers(client: TestClient) -> None:
    app: FastAPI = client.app  # type: ignore[assignment]
    if not any(context.path == "/static" for context in iter_route_contexts(app.routes)):
        pytest.skip("no web app mounted")
    response = client.get("/static/app.css")
    assert response.status_code == 200
    assert_secure(response, "/static/app.css")


def test_hsts_only_over_https(hub: HubContext) -> None:
    with TestClient(create_app(hub), base_url="https://testserver") as secure:
        response = secure.get("/health")
    assert response.headers["Strict-Transport-Security"] == HSTS


class _Broken:
    def __enter__(self) -> _Broken:
        raise RuntimeError("storage failed unexpectedly")

    def __exit__(self, *_exc: object) -> None:
        return None


def test_an_unexpected_500_carries_the_headers(demo_org: Organisation) -> None:
    def broken() -> HubUnitOfWork:
        return _Broken()  # type: ignore[return-value]

    hub = HubContext(broken, FixedClock(FRIDAY_EVENING_PARIS), demo_org)
    with TestClient(create_app(hub), raise_server_exceptions=False) as client:
        response = client.get("/api/v1/me", headers={"Authorization": "Bearer afk_" + "A" * 43})
    assert response.status_code == 500
    assert_secure(response, "500")


def json_operations(app: FastAPI) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(method, concrete path, request body schema) of every operation with a JSON body."""
    document = app.openapi()
    schemas = document.get("components", {}).get("schemas", {})
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" not in content:
                continue
            schema = content["application/json"]["schema"]
            while "$ref" in schema:
                schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
            yield method.upper(), sample_path(path), schema


def test_every_request_body_refuses_unknown_fields(client: TestClient, token: TokenFor) -> None:
    headers = token("amelie", Role("org_admin"))
    operations = list(json_operations(client.app))  # type: ignore[arg-type]
    assert len(operations) >= 10
    for method, path, schema in operations:
        assert schema.get("additionalProperties") is False, f"{method} {path}: extra allowed"
        response = client.request(method, path, json={"zz_colour": "red"}, headers=headers)
        assert response.status_code == 422, f"{method} {path}: {response.status_code}"
        error = response.json()["error"]
        assert error["code"] == "invalid_input"
        assert error["message"] == "invalid request: unknown field(s): zz_colour", path
        assert error["fields"]["zz_colour"].startswith("unknown field")


def test_every_request_body_has_a_size_limit(client: TestClient, token: TokenFor) -> None:
    headers = {**token("amelie", Role("org_admin")), "Content-Type": "application/json"}
    for method, path, _schema in json_operations(client.app):  # type: ignore[arg-type]
        declared = client.request(method, path, content=b" " * 65_537, headers=headers)
        assert declared.status_code == 413, f"{method} {path}"

        def chunks() -> Iterator[bytes]:
            for _ in range(17):
                yield b" " * 4096

        chunked = client.request(method, path, content=chunks(), headers=headers)
        assert chunked.status_code == 413, f"{method} {path} (chunked)"
        assert chunked.json()["error"]["code"] == "payload_too_large"


@pytest.fixture
def tick() -> list[float]:
    return [1000.0]


@pytest.fixture
def limited(hub: HubContext, tick: list[float]) -> Iterator[TestClient]:
    limits = TokenLimits(
        per_token=TokenBucketLimiter(per_second=1.0, burst=3, clock=lambda: tick[0]),
        failures_per_address=TokenBucketLimiter(per_second=0.1, burst=2, clock=lambda: tick[0]),
    )
    with TestClient(create_app(hub, token_limits=limits)) as client:
        yield client


def assert_limited(response: Response, limit: str) -> int:
    assert response.status_code == 429, response.text
    error = response.json()["error"]
    assert error["code"] == "rate_limited" and error["fields"]["limit"] == limit
    seconds = int(response.headers["Retry-After"])
    assert seconds == error["fields"]["retry_after_seconds"] >= 1
    assert f"retry in {seconds} s" in error["message"]
    return seconds


def test_a_token_used_too_fast_is_slowed_down(
    limited: TestClient, token: TokenFor, tick: list[float]
) -> None:
    mine, other = token("amelie"), token("kenji")
    assert [limited.get("/api/v1/me", headers=mine).status_code for _ in range(3)] == [200] * 3
    assert assert_limited(limited.get("/api/v1/me", headers=mine), "token") == 1
    assert limited.get("/api/v1/me", headers=other).status_code == 200  # its own bucket
    tick[0] += 1.0
    assert limited.get("/api/v1/me", headers=mine).status_code == 200


def test_guessing_tokens_locks_the_address_out(
    limited: TestClient, token: TokenFor, tick: list[float]
) -> None:
    good = token("amelie")
    for guess in ("afk_" + "A" * 43, "afk_" + "B" * 43):
        assert (
            limited.get("/api/v1/me", headers={"Authorization": f"Bearer {guess}"}).status_code
            == 401
        )
    third = limited.get("/api/v1/me", headers={"Authorization": "Bearer afk_" + "C" * 43})
    assert assert_limited(third, "address") == 10
    assert_limited(limited.get("/api/v1/me", headers=good), "address")  # refused before lookup
    tick[0] += 10.0
    assert limited.get("/api/v1/me", headers=good).status_code == 200


def test_the_bucket_refills_and_forgets_idle_keys() -> None:
    now = [0.0]
    bucket = TokenBucketLimiter(per_second=2.0, burst=2, max_keys=2, clock=lambda: now[0])
    assert bucket.take("a") is None and bucket.take("a") is None
    assert bucket.take("a") == pytest.approx(0.5)
    now[0] += 0.5
    assert bucket.retry_after("a") is None
    assert bucket.take("a") is None
    bucket.take("b")
    bucket.take("c")  # over max_keys: "a", the least recently used, is forgotten (= full)
    assert bucket.take("a") is None and bucket.take("a") is None
    with pytest.raises(ValueError, match="per_second > 0"):
        TokenBucketLimiter(per_second=0, burst=1)
