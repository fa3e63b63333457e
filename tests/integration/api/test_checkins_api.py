"""Check-ins over the API on SQLite and PostgreSQL: the local working day, one's own mood,
a feed without anyone else's mood, team mood through the privacy gate, blockers carried
forward, and a walk over every route that must never show another person's mood."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from asyncfirst.services.access import Role
from tests.integration.api.conftest import PARIS, TOKYO, SettableClock, TokenFor

TUESDAY_10_PARIS = datetime(2026, 11, 24, 10, 0, tzinfo=PARIS)
DESIGN = ("amelie", "bastien", "chloe", "david", "elise")
FINISHED, NEXT = "What did you finish?", "What's next?"
# Keys that carry a person's mood or day mode, as JSON text, and the day mode seeded for
# the others: if any route leaked one, the raw body would hold one of these.
PRIVATE_KEY = re.compile(r'"(mood|day_mode)"\s*:')
SEEDED_DAY_MODE = "low-energy"


def check_in(
    client: TestClient, headers: dict[str, str], status: int = 201, **body: Any
) -> dict[str, Any]:
    body = {"answers": {FINISHED: "the palette", NEXT: "the icons"}, **body}
    response = client.post("/api/v1/checkins", json=body, headers=headers)
    assert response.status_code == status, response.text
    data: dict[str, Any] = response.json()
    return data


@pytest.fixture
def tuesday(clock: SettableClock) -> SettableClock:
    clock.instant = TUESDAY_10_PARIS
    return clock


def test_own_checkin_shows_its_mood_and_a_second_one_the_same_day_replaces_it(
    client: TestClient, token: TokenFor, tuesday: SettableClock
) -> None:
    amelie = token("amelie")
    first = check_in(client, amelie, mood=2, day_mode="heads-down")
    assert first["local_date"] == "2026-11-24"
    assert first["zone"] == "Europe/Paris"
    assert (first["mood"], first["day_mode"]) == (2, "heads-down")
    assert first["answers"] == {FINISHED: "the palette", NEXT: "the icons"}
    assert first["created_at"] == "2026-11-24T09:00:00Z"

    again = check_in(client, amelie, status=200, mood=4, blockers="waiting on fonts")
    assert again["id"] == first["id"]
    assert (again["mood"], again["day_mode"], again["blockers"]) == (4, None, "waiting on fonts")

    mine = client.get("/api/v1/me/checkins", headers=amelie).json()
    assert [(c["id"], c["mood"]) for c in mine["checkins"]] == [(first["id"], 4)]


def test_the_feed_never_holds_another_persons_mood_or_day_mode(
    client: TestClient, token: TokenFor, tuesday: SettableClock
) -> None:
    for person in ("amelie", "bastien"):
        check_in(client, token(person), mood=1, day_mode=SEEDED_DAY_MODE)
    check_in(client, token("chloe"), mood=5, day_mode="social")

    as_chloe = client.get("/api/v1/teams/design/checkins", headers=token("chloe"))
    assert as_chloe.status_code == 200
    rows = as_chloe.json()["checkins"]
    assert {r["person"]["id"] for r in rows} == {"amelie", "bastien", "chloe"}
    assert len(PRIVATE_KEY.findall(as_chloe.text)) == 2  # her own row's two keys
    assert SEEDED_DAY_MODE not in as_chloe.text
    own = next(r for r in rows if r["person"]["id"] == "chloe")
    assert (own["mood"], own["day_mode"]) == (5, "social")
    assert all("mood" not in r and "day_mode" not in r for r in rows if r is not own)

    # Neither leading the team nor administering the organisation opens anyone's mood.
    admin = token("david", Role("org_admin"), Role("team_lead", "design"))
    as_admin = client.get("/api/v1/teams/design/checkins", headers=admin)
    assert as_admin.status_code == 200
    assert PRIVATE_KEY.search(as_admin.text) is None


def test_team_mood_is_withheld_with_four_answers_and_released_with_five(
    client: TestClient, token: TokenFor, tuesday: SettableClock
) -> None:
    moods = dict(zip(DESIGN, (1, 2, 4, 5, 3), strict=True))
    reader = token("chloe")
    for person in DESIGN[:4]:
        check_in(client, token(person), mood=moods[person])
    withheld = client.get("/api/v1/teams/design/mood", headers=reader)
    assert withheld.status_code == 200, withheld.text
    assert withheld.json() == {
        "team": "design", "days": 7, "people": 4, "min_group": 5,
        "withheld": "withheld: 4 people, fewer than 5", "mean": None, "distribution": None,
    }  # fmt: skip

    check_in(client, token("elise"), mood=moods["elise"])
    released = client.get("/api/v1/teams/design/mood", headers=reader).json()
    assert released["withheld"] is None
    assert released["people"] == 5
    assert released["mean"] == 3.0
    assert released["distribution"] == {"1": 1, "2": 1, "3": 1, "4": 1, "5": 1}


def test_another_teams_checkins_and_mood_look_like_a_missing_team(
    client: TestClient, token: TokenFor, tuesday: SettableClock
) -> None:
    james = token("james")
    for route in ("checkins", "mood"):
        hidden = client.get(f"/api/v1/teams/design/{route}", headers=james)
        missing = client.get(f"/api/v1/teams/marketing/{route}", headers=james)
        assert hidden.status_code == missing.status_code == 404
        assert hidden.json()["error"]["code"] == "not_found"
        assert hidden.text.replace("design", "marketing") == missing.text


def _fill(path: str, ids: dict[str, str]) -> str:
    # an id this walker does not know yet (a route added later) gets "1": walked, not skipped
    return re.sub(r"\{(\w+)\}", lambda m: ids.get(m.group(1), "1"), path)


@pytest.mark.parametrize(
    ("person", "roles"),
    [
        ("chloe", ()),  # a member of the team
        ("chloe", (Role("team_lead", "design"),)),  # its lead
        ("kenji", (Role("org_admin"),)),  # an org admin from another team
    ],
)
def test_no_route_shows_another_persons_mood(
    client: TestClient,
    token: TokenFor,
    tuesday: SettableClock,
    person: str,
    roles: tuple[Role, ...],
) -> None:
    """Four others check in with mood 1 and a low-energy day; every route, read as someone
    who is not their author, shows neither (and team mood with four answers is withheld)."""
    authors = [p for p in DESIGN if p != "chloe"]
    for author in authors:
        check_in(client, token(author), mood=1, day_mode=SEEDED_DAY_MODE, blockers="fonts")
    thread = client.post(
        "/api/v1/teams/design/threads",
        json={"kind": "question", "title": "Fonts?", "body": "Which one?"},
        headers=token("amelie"),
    ).json()
    decision = client.post(
        "/api/v1/teams/design/decisions",
        json={"title": "Font", "body": "Pick", "mode": "vote", "options": ["a", "b"],
              "deciders": ["amelie", "bastien"]},
        headers=token("amelie"),
    ).json()  # fmt: skip
    ids = {"team": "design", "thread_id": str(thread["id"]),
           "decision_id": str(decision["id"]), "prefix": "afk_nothing0",
           "handoff_id": "1", "meeting_id": "1"}  # fmt: skip

    # The marker is real: the author's own read shows it.
    own = client.get("/api/v1/me/checkins", headers=token("amelie")).text
    assert PRIVATE_KEY.search(own) is not None
    assert SEEDED_DAY_MODE in own

    headers = token(person, *roles)
    paths = client.get("/openapi.json").json()["paths"]
    walked = []
    for path, operations in paths.items():
        for method in operations:
            url = _fill(path, ids)
            if method == "get":
                response = client.get(url, headers=headers)
            else:
                response = client.request(method.upper(), url, json={}, headers=headers)
            assert response.status_code < 500, (method, url, response.text)
            assert PRIVATE_KEY.search(response.text) is None, (method, url, response.text)
            assert SEEDED_DAY_MODE not in response.text, (method, url, response.text)
            walked.append((method, path))
            if path == "/api/v1/teams/{team}/mood":
                assert response.json()["withheld"] == "withheld: 4 people, fewer than 5"
    assert ("get", "/api/v1/teams/{team}/mood") in walked
    assert ("get", "/api/v1/teams/{team}/checkins") in walked
    assert len(walked) == sum(len(ops) for ops in paths.values())


@pytest.mark.parametrize(
    ("person", "local", "reason"),
    [
        ("amelie", datetime(2026, 12, 25, 10, 0, tzinfo=PARIS), "public holiday"),
        ("amelie", datetime(2026, 11, 28, 10, 0, tzinfo=PARIS), "Saturday has no working hours"),
        ("ren", datetime(2026, 12, 29, 10, 0, tzinfo=TOKYO), "year-end leave"),
    ],
)
def test_a_day_that_is_not_a_working_day_is_refused(
    client: TestClient,
    token: TokenFor,
    clock: SettableClock,
    person: str,
    local: datetime,
    reason: str,
) -> None:
    headers = token(person)
    clock.instant = local
    refused = check_in(client, headers, status=422, mood=3)
    assert refused["error"]["code"] == "invalid_input"
    assert reason in refused["error"]["message"]
    fields = refused["error"]["fields"]
    assert (fields["field"], fields["value"]) == ("local_date", local.date().isoformat())
    assert client.get("/api/v1/me/checkins", headers=headers).json()["checkins"] == []


def test_blockers_are_carried_forward_until_a_checkin_without_any(
    client: TestClient, token: TokenFor, clock: SettableClock
) -> None:
    amelie, bastien, reader = token("amelie"), token("bastien"), token("chloe")

    def open_blockers() -> list[tuple[str, str, str, str]]:
        feed = client.get("/api/v1/teams/design/checkins", headers=reader).json()
        return [
            (b["person"]["id"], b["since"], b["local_date"], b["blockers"])
            for b in feed["open_blockers"]
        ]

    clock.instant = TUESDAY_10_PARIS
    check_in(client, amelie, blockers="waiting on the API keys")
    check_in(client, bastien)
    clock.instant = datetime(2026, 11, 25, 10, 0, tzinfo=PARIS)  # Wednesday: no check-in yet
    assert open_blockers() == [("amelie", "2026-11-24", "2026-11-24", "waiting on the API keys")]
    check_in(client, amelie, blockers="still the API keys")
    check_in(client, bastien, blockers="a flaky build")
    clock.instant = datetime(2026, 12, 8, 10, 0, tzinfo=PARIS)  # out of the feed's week
    assert open_blockers() == [
        ("amelie", "2026-11-24", "2026-11-25", "still the API keys"),
        ("bastien", "2026-11-25", "2026-11-25", "a flaky build"),
    ]
    check_in(client, amelie)  # nothing blocking any more
    assert open_blockers() == [("bastien", "2026-11-25", "2026-11-25", "a flaky build")]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"mood": 6}, "mood"),
        ({"mood": 0}, "mood"),
        ({"day_mode": "sleepy"}, "day_mode"),
        ({"colour": "blue"}, "colour"),
        ({"answers": {"How are you?": "fine"}}, "answers"),
        ({"answers": {}}, "answers"),
    ],
)
def test_bad_checkins_are_refused_in_the_error_shape(
    client: TestClient, token: TokenFor, tuesday: SettableClock, body: dict[str, Any], field: str
) -> None:
    refused = check_in(client, token("amelie"), status=422, **body)
    assert refused["error"]["code"] == "invalid_input"
    assert field in str(refused["error"]["fields"])
