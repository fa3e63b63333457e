"""A team's threads and decisions, and a person's queue, a page at a time: the same order
as one long page, nothing lost or repeated; a bad ``limit`` or ``cursor`` is a 422 naming
it."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.integration.api.conftest import TokenFor
from tests.integration.api.test_decisions_api import open_
from tests.integration.api.test_threads_api import post

LIST = "/api/v1/teams/coding/threads"
DECISIONS = "/api/v1/teams/design/decisions"
QUEUE = "/api/v1/me/queue"


def walk(
    client: TestClient, headers: dict[str, str], limit: int, url: str = LIST, key: str = "threads"
) -> list[list[int]]:
    pages: list[list[int]] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": limit} | ({"cursor": cursor} if cursor else {})
        answer = client.get(url, params=params, headers=headers)
        assert answer.status_code == 200, answer.text
        data = answer.json()
        assert len(data[key]) <= limit
        pages.append([t["thread_id" if key == "items" else "id"] for t in data[key]])
        cursor = data["next_cursor"]
        if cursor is None:
            return pages
        assert len(pages) < 100, "the cursor does not advance"


def test_pages_follow_the_lists_order_through_waiting_and_answered_threads(
    client: TestClient, token: TokenFor
) -> None:
    amelie, kenji = token("amelie"), token("kenji")
    hours = [16, 2, 4, 4, 4, 2, 16]  # equal respond-bys: ordered by id
    posted = [
        post(client, amelie, "coding", title=f"t{i}", recipients=["kenji"], respond_within_hours=h)
        for i, h in enumerate(hours)
    ]
    for answered in (posted[1], posted[3], posted[6]):
        client.post(f"/api/v1/threads/{answered['id']}/replies", json={"body": "ok"}, headers=kenji)
    whole = client.get(LIST, params={"limit": 200}, headers=kenji).json()
    assert whole["next_cursor"] is None
    order = [t["id"] for t in whole["threads"]]
    waiting = [t for t in whole["threads"] if t["next_due_utc"] is not None]
    done = [t["id"] for t in whole["threads"] if t["next_due_utc"] is None]
    assert [(t["next_due_utc"], t["id"]) for t in waiting] == sorted(
        (t["next_due_utc"], t["id"]) for t in waiting
    )
    assert order == [t["id"] for t in waiting] + done
    assert done == sorted(done, reverse=True)
    mine = [p["id"] for p in posted]
    assert [i for i in order if i in mine] == [
        mine[5], mine[2], mine[4], mine[0], mine[6], mine[3], mine[1]
    ]  # fmt: skip
    for limit in (1, 2, 3):
        pages = walk(client, kenji, limit)
        assert [i for page in pages for i in page] == order
        assert all(len(page) == limit for page in pages[:-1])


def test_the_default_page_is_fifty_threads(client: TestClient, token: TokenFor) -> None:
    amelie, kenji = token("amelie"), token("kenji")
    before = len(client.get(LIST, params={"limit": 200}, headers=kenji).json()["threads"])
    for i in range(max(0, 51 - before)):
        post(client, amelie, "coding", title=f"many {i}")
    first = client.get(LIST, headers=kenji).json()
    assert len(first["threads"]) == 50
    assert first["next_cursor"]
    rest = client.get(LIST, params={"cursor": first["next_cursor"]}, headers=kenji).json()
    ids = [t["id"] for t in first["threads"]] + [t["id"] for t in rest["threads"]]
    assert len(ids) == len(set(ids)) == max(before, 51)


def test_decision_pages_follow_the_lists_order_open_ones_first(
    client: TestClient, token: TokenFor
) -> None:
    maria, amelie = token("maria"), token("amelie")
    days = [5, 2, 9, 2, 5, 3]  # equal decide-bys: ordered by id
    opened = [open_(client, maria, title=f"d{i}", decide_within_days=d) for i, d in enumerate(days)]
    for closed in (opened[1], opened[4]):
        done = client.post(f"/api/v1/decisions/{closed['id']}/withdraw", headers=maria)
        assert done.status_code == 200, done.text
    whole = client.get(DECISIONS, params={"limit": 200}, headers=amelie).json()
    assert whole["next_cursor"] is None
    order = [d["id"] for d in whole["decisions"]]
    open_ones = [d for d in whole["decisions"] if d["state"] == "open"]
    others = [d["id"] for d in whole["decisions"] if d["state"] != "open"]
    assert [(d["decide_by_utc"], d["id"]) for d in open_ones] == sorted(
        (d["decide_by_utc"], d["id"]) for d in open_ones
    )
    assert order == [d["id"] for d in open_ones] + others
    assert others == sorted(others, reverse=True)
    mine = [d["id"] for d in opened]
    assert [i for i in order if i in mine] == [
        mine[3], mine[5], mine[0], mine[2], mine[4], mine[1]
    ]  # fmt: skip
    for limit in (1, 2, 4):
        pages = walk(client, amelie, limit, DECISIONS, "decisions")
        assert [i for page in pages for i in page] == order
        assert all(len(page) == limit for page in pages[:-1])
    default = client.get(DECISIONS, headers=amelie).json()
    assert len(default["decisions"]) == min(50, len(order))


def test_queue_pages_follow_the_soonest_due_and_count_the_whole_queue(
    client: TestClient, token: TokenFor
) -> None:
    amelie, kenji = token("amelie"), token("kenji")
    hours = [16, 2, 4, 4, 4, 2, 16, 8]  # equal respond-bys: ordered by thread id
    posted = [
        post(client, amelie, "coding", title=f"q{i}", recipients=["kenji"], respond_within_hours=h)
        for i, h in enumerate(hours)
    ]
    answered = posted[3]["id"]
    client.post(f"/api/v1/threads/{answered}/replies", json={"body": "ok"}, headers=kenji)
    whole = client.get(QUEUE, params={"limit": 200}, headers=kenji).json()
    assert whole["next_cursor"] is None
    order = [i["thread_id"] for i in whole["items"]]
    assert whole["total"] == len(order) and answered not in order
    keys = [(i["respond_by"]["utc"], i["thread_id"]) for i in whole["items"]]
    assert keys == sorted(keys)
    mine = [p["id"] for p in posted]
    assert [i for i in order if i in mine] == [
        mine[1], mine[5], mine[2], mine[4], mine[7], mine[0], mine[6]
    ]  # fmt: skip
    for limit in (1, 2, 3):
        pages = walk(client, kenji, limit, QUEUE, "items")
        assert [i for page in pages for i in page] == order
        assert all(len(page) == limit for page in pages[:-1])
    first = client.get(QUEUE, params={"limit": 2}, headers=kenji).json()
    assert first["total"] == len(order) and len(first["items"]) == 2
    # a thread answered between two pages leaves the queue without moving the cursor
    client.post(f"/api/v1/threads/{order[2]}/replies", json={"body": "ok"}, headers=kenji)
    rest = walk_from(client, kenji, first["next_cursor"])
    assert rest == [i for i in order[2:] if i != order[2]]


def walk_from(client: TestClient, headers: dict[str, str], cursor: str | None) -> list[int]:
    seen: list[int] = []
    while cursor is not None:
        data = client.get(QUEUE, params={"cursor": cursor, "limit": 2}, headers=headers).json()
        seen += [i["thread_id"] for i in data["items"]]
        cursor = data["next_cursor"]
    return seen


def test_the_default_queue_page_is_fifty_threads(client: TestClient, token: TokenFor) -> None:
    amelie, kenji = token("amelie"), token("kenji")
    before = client.get(QUEUE, headers=kenji).json()["total"]
    for i in range(max(0, 51 - before)):
        post(client, amelie, "coding", title=f"many {i}", recipients=["kenji"])
    first = client.get(QUEUE, headers=kenji).json()
    assert len(first["items"]) == 50 and first["total"] == max(before, 51)
    rest = client.get(QUEUE, params={"cursor": first["next_cursor"]}, headers=kenji).json()
    ids = [i["thread_id"] for i in first["items"] + rest["items"]]
    assert len(ids) == len(set(ids)) == max(before, 51)


def test_a_bad_limit_or_cursor_is_refused_naming_the_field(
    client: TestClient, token: TokenFor
) -> None:
    kenji, amelie = token("kenji"), token("amelie")
    for url, headers in ((LIST, kenji), (DECISIONS, amelie), (QUEUE, kenji)):
        for limit in ("0", "201", "-1", "many"):
            answer = client.get(url, params={"limit": limit}, headers=headers)
            assert answer.status_code == 422, answer.text
            assert list(answer.json()["error"]["fields"]) == ["limit"]
        bad = ("x", "d", "w12", "d1.5", "w1.x", "d" + "9" * 11, "w1." + "9" * 18, "d-1")
        for cursor in bad:
            answer = client.get(url, params={"cursor": cursor}, headers=headers)
            assert answer.status_code == 422, answer.text
            assert answer.json()["error"]["fields"]["field"] == "cursor"
        too_long = client.get(url, params={"cursor": "d" + "1" * 40}, headers=headers)
        assert too_long.status_code == 422
        assert list(too_long.json()["error"]["fields"]) == ["cursor"]
    answered_part = client.get(QUEUE, params={"cursor": "d5"}, headers=kenji)  # no such part
    assert answered_part.status_code == 422
    assert answered_part.json()["error"]["fields"]["field"] == "cursor"


def test_paging_keeps_the_access_rules(client: TestClient, token: TokenFor) -> None:
    """An outsider learns nothing from a page or a cursor: 404 as without them."""
    for title in ("one", "two"):
        post(client, token("amelie"), "coding", title=title)
    page = client.get(LIST, params={"limit": 1}, headers=token("kenji")).json()
    cursor = page["next_cursor"]
    assert cursor
    for params in ({"limit": 1}, {"cursor": cursor}, {"limit": 0}):
        hidden = client.get(LIST, params=params, headers=token("james"))
        assert hidden.status_code in (404, 422)
        if params != {"limit": 0}:
            assert hidden.status_code == 404
            assert hidden.json()["error"]["code"] == "not_found"
    assert client.get(LIST, params={"limit": 1}).status_code == 401
    for params in ({"limit": 1}, {"cursor": "d5"}):
        hidden = client.get(DECISIONS, params=params, headers=token("james"))
        assert hidden.status_code == 404
        assert hidden.json()["error"]["code"] == "not_found"
