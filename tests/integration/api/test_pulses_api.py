"""The reflection pulse over the API on SQLite and PostgreSQL: answered only in a pulse
week, read only as counts over five people or more, never with a name; the band
recalibrated by the team's lead only, into the charter's policy history."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from asyncfirst import bootstrap_db
from asyncfirst.services.access import Role
from asyncfirst.services.charter_sync import policy_history
from asyncfirst.services.hub_demo import applied_source
from tests.integration.api.conftest import PARIS, SettableClock, TokenFor

# With the default reflection_every_weeks = 4, the week of Monday 2026-12-07 is a pulse
# week (48 weeks after the epoch Monday 2026-01-05), the first after the charter was
# applied (Friday 2026-11-20, when answering is refused: the next pulse week is 12-07).
PULSE_TUESDAY_PARIS = datetime(2026, 12, 8, 10, 0, tzinfo=PARIS)
DESIGN = ("amelie", "bastien", "chloe", "david", "elise")
NAMES = ("Amélie", "Bastien", "Chloé", "David", "Élise")
VERDICT = re.compile(r"too_much_sync|about_right|too_little_sync")


@pytest.fixture
def pulse_week(clock: SettableClock) -> SettableClock:
    clock.instant = PULSE_TUESDAY_PARIS
    return clock


def answer(
    client: TestClient, headers: dict[str, str], status: int = 201, **body: Any
) -> dict[str, Any]:
    body = {"verdict": "too_much_sync", **body}
    response = client.post("/api/v1/pulse", json=body, headers=headers)
    assert response.status_code == status, response.text
    data: dict[str, Any] = response.json()
    return data


def results(client: TestClient, headers: dict[str, str], query: str = "") -> dict[str, Any]:
    response = client.get(f"/api/v1/teams/design/pulse{query}", headers=headers)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def test_answering_outside_a_pulse_week_is_refused_naming_the_next_one(
    client: TestClient, token: TokenFor
) -> None:
    refused = answer(client, token("amelie"), status=422)  # Friday 2026-11-20
    assert refused["error"]["code"] == "invalid_input"
    assert "not a pulse week" in refused["error"]["message"]
    assert refused["error"]["fields"]["next_pulse_week"] == "2026-12-07"


def test_four_answers_are_withheld_and_five_are_counted_without_names(
    client: TestClient, token: TokenFor, pulse_week: SettableClock
) -> None:
    verdicts = ["too_much_sync", "too_much_sync", "about_right", "too_little_sync"]
    suggestions = ["fewer status meetings", "", "keep the Monday sync", "pair more"]
    for person, verdict, suggestion in zip(DESIGN[:4], verdicts, suggestions, strict=True):
        receipt = answer(client, token(person), verdict=verdict, suggestion=suggestion)
        assert receipt == {"team": "design", "pulse_week": "2026-12-07", "replaced": False}
    reader = token("chloe")
    assert results(client, reader) == {
        "team": "design",
        "pulse_week": "2026-12-07",
        "every_weeks": 4,
        "people": 4,
        "min_group": 5,
        "withheld": "withheld: 4 people, fewer than 5",
        "counts": None,
        "suggestions": None,
    }
    answer(client, token("elise"), verdict="about_right", suggestion="a written agenda first")
    released = results(client, reader, "?week=2026-12-07")
    assert released["withheld"] is None
    assert released["counts"] == {"too_much_sync": 2, "about_right": 2, "too_little_sync": 1}
    assert released["suggestions"] == [
        "a written agenda first", "fewer status meetings", "keep the Monday sync", "pair more",
    ]  # fmt: skip
    text = str(released)
    assert not any(p in text for p in DESIGN + NAMES)


def test_answering_again_the_same_week_replaces_the_answer(
    client: TestClient, token: TokenFor, pulse_week: SettableClock
) -> None:
    for person in DESIGN:
        answer(client, token(person))
    again = answer(client, token("amelie"), status=200, verdict="about_right")
    assert again["replaced"] is True
    counts = results(client, token("amelie"))["counts"]
    assert counts == {"too_much_sync": 4, "about_right": 1, "too_little_sync": 0}


def test_another_teams_results_look_like_a_missing_team(
    client: TestClient, token: TokenFor, pulse_week: SettableClock
) -> None:
    james = token("james")
    hidden = client.get("/api/v1/teams/design/pulse", headers=james)
    missing = client.get("/api/v1/teams/marketing/pulse", headers=james)
    assert (hidden.status_code, missing.status_code) == (404, 404)
    assert hidden.text.replace("design", "marketing") == missing.text
    not_monday = client.get("/api/v1/teams/design/pulse?week=2026-12-08", headers=token("chloe"))
    assert not_monday.status_code == 422
    assert not_monday.json()["error"]["fields"]["field"] == "week"


@pytest.mark.parametrize(
    ("person", "roles"),
    [
        ("chloe", ()),
        ("chloe", (Role("team_lead", "design"),)),
        ("kenji", (Role("org_admin"),)),
        ("james", ()),
    ],
)
def test_no_route_shows_a_verdict_beside_a_name(
    client: TestClient,
    token: TokenFor,
    pulse_week: SettableClock,
    person: str,
    roles: tuple[Role, ...],
) -> None:
    for author in DESIGN:
        answer(client, token(author), verdict="too_little_sync", suggestion="more pairing")
    headers = token(person, *roles)
    ids = {"team": "design", "thread_id": "1", "decision_id": "1", "prefix": "afk_nothing0",
           "handoff_id": "1", "meeting_id": "1"}  # fmt: skip
    paths = client.get("/openapi.json").json()["paths"]
    walked = 0
    for path, operations in paths.items():
        for method in operations:
            url = re.sub(r"\{(\w+)\}", lambda m: ids.get(m.group(1), "1"), path)
            response = client.request(method.upper(), url, json={}, headers=headers)
            assert response.status_code < 500, (method, url, response.text)
            if VERDICT.search(response.text):
                assert not any(p in response.text for p in DESIGN + NAMES), (method, url)
            walked += 1
    assert walked == sum(len(ops) for ops in paths.values())
    if person == "chloe" or roles:
        released = results(client, headers)
        assert released["counts"] == {"too_much_sync": 0, "about_right": 0, "too_little_sync": 5}


def test_a_member_may_not_recalibrate_and_the_lead_does_into_the_history(
    client: TestClient, token: TokenFor, pulse_week: SettableClock, database_url: str
) -> None:
    body = {"low": 0.6, "high": 0.9, "reason": "the pulse says too much sync"}
    member = client.post("/api/v1/teams/design/band", json=body, headers=token("amelie"))
    assert member.status_code == 403, member.text
    assert member.json()["error"]["code"] == "forbidden"
    other_lead = token("maria", Role("team_lead", "qa"))
    elsewhere = client.post("/api/v1/teams/design/band", json=body, headers=other_lead)
    assert elsewhere.status_code == 403
    lead = token("chloe", Role("team_lead", "design"))
    missing = client.post("/api/v1/teams/marketing/band", json=body, headers=lead)
    assert missing.status_code == 404

    done = client.post("/api/v1/teams/design/band", json=body, headers=lead)
    assert done.status_code == 200, done.text
    assert done.json() == {
        "team": "design", "field": "async_band", "old": "0.70–0.95", "new": "0.60–0.90",
        "changed": True, "changed_at": "2026-12-08T09:00:00Z", "changed_by": "chloe",
        "reason": "the pulse says too much sync",
    }  # fmt: skip
    history = policy_history(bootstrap_db.charter_unit_of_work(database_url), "design")
    last = history[-1]
    assert (last.field, last.old, last.new) == ("async_band", "0.70–0.95", "0.60–0.90")
    assert (last.changed_by, last.reason) == ("chloe", "the pulse says too much sync")
    assert last.changed_at == PULSE_TUESDAY_PARIS
    # ``serve`` still finds the charter last applied: the recalibration amends it.
    assert applied_source(bootstrap_db.charter_unit_of_work(database_url)) == "demo"

    same = client.post("/api/v1/teams/design/band", json=body, headers=lead)
    assert same.json()["changed"] is False
    assert len(policy_history(bootstrap_db.charter_unit_of_work(database_url), "design")) == len(
        history
    )


@pytest.mark.parametrize(
    ("route", "body", "field"),
    [
        ("/api/v1/pulse", {"verdict": "about_right", "name": "amelie"}, "name"),
        ("/api/v1/pulse", {"verdict": "fine"}, "verdict"),
        ("/api/v1/pulse", {"verdict": "about_right", "suggestion": "x" * 2_001}, "suggestion"),
        ("/api/v1/teams/design/band", {"low": 0.6, "high": 0.9, "reason": "r", "x": 1}, "x"),
        ("/api/v1/teams/design/band", {"low": 0.9, "high": 0.6, "reason": "r"}, "band"),
        ("/api/v1/teams/design/band", {"low": -0.1, "high": 0.6, "reason": "r"}, "low"),
        ("/api/v1/teams/design/band", {"low": 0.6, "high": 1.5, "reason": "r"}, "high"),
        ("/api/v1/teams/design/band", {"low": 0.6, "high": 0.9, "reason": "  "}, "reason"),
        ("/api/v1/teams/design/band", {"low": 0.6, "high": 0.9}, "reason"),
    ],
)
def test_bad_bodies_are_refused_in_the_error_shape(
    client: TestClient,
    token: TokenFor,
    pulse_week: SettableClock,
    route: str,
    body: dict[str, Any],
    field: str,
) -> None:
    headers = token("chloe", Role("team_lead", "design"))
    refused = client.post(route, json=body, headers=headers)
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["code"] == "invalid_input"
    assert field in str(refused.json()["error"]["fields"])
