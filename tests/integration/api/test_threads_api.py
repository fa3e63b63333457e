"""Threads over the API: respond-by in each recipient's own working time, replies, the queue."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from tests.integration.api.conftest import SettableClock, TokenFor

CODING = ["haruto", "kenji", "ren", "sakura", "yuki"]


def post(client: TestClient, headers: dict[str, str], team: str, **body: Any) -> dict[str, Any]:
    body = {"kind": "update", "title": "Screens ready", "body": "Please review.", **body}
    response = client.post(f"/api/v1/teams/{team}/threads", json=body, headers=headers)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


def by_person(thread: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["person"]: r for r in thread["recipients"]}


def test_friday_evening_in_paris_is_due_on_tokyos_tuesday(
    client: TestClient, token: TokenFor
) -> None:
    """Sent Fri 2026-11-20 18:00 Paris (Sat 02:00 Tokyo); Mon 23 is Labour Thanksgiving Day
    in Japan, so coding's 8 working hours run Tue 09:30–17:30 Tokyo."""
    thread = post(client, token("amelie"), "coding")
    assert thread["created_at"] == "2026-11-20T17:00:00Z"
    assert thread["author"] == {"id": "amelie", "name": "Amélie Laurent"}
    recipients = by_person(thread)
    assert sorted(recipients) == CODING
    for recipient in recipients.values():
        assert recipient["respond_by"] == {
            "local": "2026-11-24T17:30:00+09:00",
            "utc": "2026-11-24T08:30:00Z",
            "zone": "Asia/Tokyo",
        }
        assert recipient["answered"] is False
    listed = client.get("/api/v1/teams/coding/threads", headers=token("kenji")).json()
    assert [t["id"] for t in listed["threads"]] == [thread["id"]]
    assert listed["threads"][0]["next_due_utc"] == "2026-11-24T08:30:00Z"


def test_each_recipient_is_counted_in_their_own_zone_and_team_hours(
    client: TestClient, token: TokenFor
) -> None:
    """Maria (QA, New York, 6 h): 12:00–17:00 Friday, then 09:00–10:00 Monday."""
    thread = post(client, token("amelie"), "coding", kind="question", recipients=["kenji", "maria"])
    recipients = by_person(thread)
    assert recipients["maria"]["respond_by"]["local"] == "2026-11-23T10:00:00-05:00"
    assert recipients["kenji"]["respond_by"]["local"] == "2026-11-24T17:30:00+09:00"
    # the earliest recipient first
    assert [r["person"] for r in thread["recipients"]] == ["maria", "kenji"]


def test_the_author_may_ask_for_fewer_working_hours(client: TestClient, token: TokenFor) -> None:
    thread = post(client, token("amelie"), "coding", recipients=["kenji"], respond_within_hours=2)
    assert by_person(thread)["kenji"]["respond_by"]["local"] == "2026-11-24T11:30:00+09:00"


def test_the_author_is_not_their_own_recipient(client: TestClient, token: TokenFor) -> None:
    thread = post(client, token("kenji"), "coding")
    assert sorted(by_person(thread)) == [p for p in CODING if p != "kenji"]


def test_a_reply_marks_the_recipient_answered(
    client: TestClient, token: TokenFor, clock: SettableClock
) -> None:
    thread = post(client, token("amelie"), "coding", kind="question")
    kenji = token("kenji")
    clock.instant += timedelta(days=3)
    first = client.post(
        f"/api/v1/threads/{thread['id']}/replies", json={"body": "Yes."}, headers=kenji
    )
    assert first.status_code == 201, first.text
    assert first.json()["marked_answered"] is True
    again = client.post(
        f"/api/v1/threads/{thread['id']}/replies", json={"body": "And…"}, headers=kenji
    )
    assert again.json()["marked_answered"] is False
    author = client.post(
        f"/api/v1/threads/{thread['id']}/replies", json={"body": "Thanks!"}, headers=token("amelie")
    )
    assert author.json()["marked_answered"] is False

    shown = client.get(f"/api/v1/threads/{thread['id']}", headers=kenji).json()
    answered = {p: r["answered_at"] for p, r in by_person(shown).items()}
    assert answered == {p: ("2026-11-23T17:00:00Z" if p == "kenji" else None) for p in CODING}
    assert [(r["author"]["id"], r["body"]) for r in shown["replies"]] == [
        ("kenji", "Yes."), ("kenji", "And…"), ("amelie", "Thanks!"),
    ]  # fmt: skip


def test_the_queue_is_sorted_by_due_time_and_forgets_answered_threads(
    client: TestClient, token: TokenFor, clock: SettableClock
) -> None:
    amelie, maria, kenji = token("amelie"), token("maria"), token("kenji")
    late = post(
        client, amelie, "coding", title="late", recipients=["kenji"], respond_within_hours=16
    )
    soon = post(client, maria, "coding", title="soon", recipients=["kenji"], respond_within_hours=1)
    clock.instant += timedelta(hours=1)
    middle = post(client, amelie, "coding", title="middle", recipients=["kenji"])
    queue = client.get("/api/v1/me/queue", headers=kenji).json()
    assert queue["person"] == "kenji"
    assert [i["title"] for i in queue["items"]] == ["soon", "middle", "late"]
    assert [i["respond_by"]["local"] for i in queue["items"]] == [
        "2026-11-24T10:30:00+09:00", "2026-11-24T17:30:00+09:00", "2026-11-25T16:30:00+09:00",
    ]  # fmt: skip
    assert queue["items"][0]["respond_by"]["utc"] == "2026-11-24T01:30:00Z"
    assert [i["overdue"] for i in queue["items"]] == [False, False, False]

    client.post(f"/api/v1/threads/{middle['id']}/replies", json={"body": "ok"}, headers=kenji)
    clock.instant += timedelta(days=4)
    queue = client.get("/api/v1/me/queue", headers=kenji).json()
    assert [i["thread_id"] for i in queue["items"]] == [soon["id"], late["id"]]
    assert [i["overdue"] for i in queue["items"]] == [True, False]


def test_team_threads_list_waiting_ones_first_by_due_time(
    client: TestClient, token: TokenFor
) -> None:
    amelie, kenji = token("amelie"), token("kenji")
    a = post(client, amelie, "coding", title="a", recipients=["kenji"], respond_within_hours=16)
    b = post(client, amelie, "coding", title="b", recipients=["kenji"], respond_within_hours=2)
    c = post(client, amelie, "coding", title="c", recipients=["kenji"], respond_within_hours=4)
    client.post(f"/api/v1/threads/{b['id']}/replies", json={"body": "done"}, headers=kenji)
    listed = client.get("/api/v1/teams/coding/threads", headers=kenji).json()["threads"]
    assert [t["id"] for t in listed] == [c["id"], a["id"], b["id"]]
    assert listed[-1]["next_due_utc"] is None


def test_unknown_recipients_are_named(client: TestClient, token: TokenFor) -> None:
    response = client.post(
        "/api/v1/teams/coding/threads",
        json={"kind": "question", "title": "t", "body": "b", "recipients": ["kenji", "nobody"]},
        headers=token("amelie"),
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "unknown_entity"
    assert error["fields"] == {"field": "recipients", "value": ["nobody"]}
    assert "nobody" in error["message"]
