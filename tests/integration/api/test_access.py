"""Who may read and do what, over HTTP: the access matrix on a real database."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from asyncfirst.adapters.db.engine import create_engine
from asyncfirst.adapters.db.tables import api_tokens
from asyncfirst.services.access import Role
from tests.integration.api.conftest import TokenFor

TEAMS = ("design", "coding", "qa")


def readable(client: TestClient, headers: dict[str, str]) -> set[str]:
    """The teams whose thread list answers 200 (every other one must answer 404)."""
    seen = set()
    for team in TEAMS:
        response = client.get(f"/api/v1/teams/{team}/threads", headers=headers)
        assert response.status_code in (200, 404), response.text
        if response.status_code == 200:
            seen.add(team)
    return seen


def design_thread(client: TestClient, token: TokenFor, **body: Any) -> int:
    body = {"kind": "question", "title": "Palette?", "body": "Blue or green?", **body}
    response = client.post("/api/v1/teams/design/threads", json=body, headers=token("chloe"))
    assert response.status_code == 201, response.text
    thread_id: int = response.json()["id"]
    return thread_id


@pytest.mark.parametrize(
    ("person", "roles", "teams"),
    [
        ("james", (), {"qa"}),  # a member reads their own team only
        ("chloe", (), {"design"}),
        ("maria", (Role("team_lead", "design"),), {"qa", "design"}),  # and the team they lead
        ("kenji", (Role("org_admin"),), set(TEAMS)),  # an org admin reads every team
    ],
)
def test_who_reads_which_team(
    client: TestClient, token: TokenFor, person: str, roles: tuple[Role, ...], teams: set[str]
) -> None:
    assert readable(client, token(person, *roles)) == teams


def test_another_teams_threads_look_exactly_like_a_missing_team(
    client: TestClient, token: TokenFor
) -> None:
    james = token("james")
    hidden = client.get("/api/v1/teams/design/threads", headers=james)
    missing = client.get("/api/v1/teams/marketing/threads", headers=james)
    assert (hidden.status_code, missing.status_code) == (404, 404)
    assert hidden.json()["error"]["code"] == missing.json()["error"]["code"] == "not_found"
    assert hidden.json()["error"]["message"] == 'team "design" not found'


def test_a_thread_is_hidden_from_other_teams_but_not_from_its_recipients(
    client: TestClient, token: TokenFor
) -> None:
    internal = design_thread(client, token)
    asked = design_thread(client, token, recipients=["james"])
    james = token("james")
    for thread_id in (internal, 10_000):
        assert client.get(f"/api/v1/threads/{thread_id}", headers=james).json() == {
            "error": {
                "code": "not_found",
                "message": f"thread {thread_id} not found",
                "fields": {"resource": "thread", "id": thread_id},
            }
        }
        reply = client.post(
            f"/api/v1/threads/{thread_id}/replies", json={"body": "hi"}, headers=james
        )
        assert reply.status_code == 404
    assert client.get(f"/api/v1/threads/{asked}", headers=james).status_code == 200
    answered = client.post(
        f"/api/v1/threads/{asked}/replies", json={"body": "Green."}, headers=james
    )
    assert answered.status_code == 201
    assert answered.json()["marked_answered"] is True


def test_anyone_may_ask_another_team(client: TestClient, token: TokenFor) -> None:
    response = client.post(
        "/api/v1/teams/coding/threads",
        json={"kind": "question", "title": "Flaky test?", "body": "…"},
        headers=token("james"),
    )
    assert response.status_code == 201
    # …but reading the rest of that team's threads stays theirs
    assert client.get("/api/v1/teams/coding/threads", headers=token("james")).status_code == 404


@pytest.mark.parametrize(
    ("person", "roles", "for_whom", "status"),
    [
        ("james", (), "james", 201),  # yourself
        ("james", (), "chloe", 403),  # not someone else
        ("maria", (Role("team_lead", "qa"),), "james", 403),  # not your member: her mood is hers
        ("maria", (Role("team_lead", "qa"),), "chloe", 403),
        ("kenji", (Role("org_admin"),), "chloe", 403),  # not even as an org admin
    ],
)
def test_who_may_issue_a_token_for_whom(
    client: TestClient,
    token: TokenFor,
    person: str,
    roles: tuple[Role, ...],
    for_whom: str,
    status: int,
) -> None:
    response = client.post(
        "/api/v1/tokens", json={"person": for_whom}, headers=token(person, *roles)
    )
    assert response.status_code == status, response.text
    if status == 403:
        assert response.json()["error"]["code"] == "forbidden"
        return
    issued = response.json()
    assert issued["person"] == for_whom
    assert issued["token"].startswith(issued["prefix"])
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {issued['token']}"})
    assert me.json()["id"] == for_whom


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Basic YW1lbGllOnNlY3JldA=="},
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": "Bearer afk_" + "A" * 43},  # well formed, never issued
    ],
    ids=["no header", "basic auth", "malformed", "unknown"],
)
def test_unauthenticated_requests_get_401(client: TestClient, headers: dict[str, str]) -> None:
    for path in ("/api/v1/me", "/api/v1/me/queue", "/api/v1/teams/qa/threads"):
        response = client.get(path, headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json()["error"]["code"] == "unauthenticated"


def test_a_revoked_token_gets_401(client: TestClient, token: TokenFor) -> None:
    headers = token("yuki")
    me = client.get("/api/v1/me", headers=headers)
    assert me.json() == {
        "id": "yuki", "name": "Yuki Tanaka", "team": "coding", "zone": "Asia/Tokyo",
        "roles": ["member:coding"],
    }  # fmt: skip
    prefix = headers["Authorization"].removeprefix("Bearer ")[:12]
    assert client.delete(f"/api/v1/tokens/{prefix}", headers=headers).status_code == 204
    after = client.get("/api/v1/me", headers=headers)
    assert after.status_code == 401
    assert after.json()["error"]["message"] == f"the token {prefix}… was revoked"


def test_nobody_revokes_someone_elses_token(client: TestClient, token: TokenFor) -> None:
    yuki = token("yuki")
    prefix = yuki["Authorization"].removeprefix("Bearer ")[:12]
    assert client.delete(f"/api/v1/tokens/{prefix}", headers=token("ren")).status_code == 404
    assert client.get("/api/v1/me", headers=yuki).status_code == 200


def test_tokens_are_kept_only_as_a_hash(
    client: TestClient, token: TokenFor, database_url: str
) -> None:
    plain = token("sakura")["Authorization"].removeprefix("Bearer ")
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(select(api_tokens)).mappings().all()
    finally:
        engine.dispose()
    assert len(rows) == 1
    stored = dict(rows[0])
    assert plain not in {str(value) for value in stored.values()}
    assert stored["digest"] == hashlib.sha256(plain.encode()).hexdigest()
    assert stored["prefix"] == plain[:12]
    assert stored["last_used_at"] is None
    client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"})
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            used = connection.scalar(select(api_tokens.c.last_used_at))
    finally:
        engine.dispose()
    assert used is not None and used.utcoffset() == timedelta(0)
