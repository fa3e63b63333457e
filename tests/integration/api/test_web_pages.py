"""The Team, Org time map, Planner and Coffee pages over HTTP on a real database.

Signed in through a session made by the same use case the sign-in page calls; the
balance numbers come from the demo's synthetic calendars.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from asyncfirst.entrypoints.web.session import COOKIE
from asyncfirst.services.access import Actor, Role
from asyncfirst.services.hub_ports import HubContext
from asyncfirst.services.my_day_page import QUEUE_SHOWN
from asyncfirst.services.threads import my_queue
from asyncfirst.services.tokens import issue_token
from asyncfirst.services.web_sessions import sign_in_with_token

SignIn = Callable[[str], str]


@pytest.fixture
def sign_in(hub: HubContext, client: TestClient) -> SignIn:
    """Sign ``person`` in on ``client``; their CSRF token."""

    def make(person: str) -> str:
        issued = issue_token(hub.unit_of_work(), hub.clock, person)
        session = sign_in_with_token(hub.unit_of_work(), hub.clock, issued.token)
        client.cookies.set(COOKIE, session.cookie)
        page = client.get("/coffee")
        found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert found, page.text[:500]
        return found.group(1)

    return make


def test_team_page_shows_band_trend_and_no_one_s_mood(client: TestClient, sign_in: SignIn) -> None:
    sign_in("kenji")
    page = client.get("/team/coding")
    assert page.status_code == 200, page.text
    assert "Async share against the band" in page.text
    assert re.search(r"async share \d+ % \((inside|below|above) the band 80–95 %\)", page.text)
    assert page.text.count('<th scope="row">') >= 5  # five trend weeks
    assert 'role="img"' in page.text


def test_a_member_cannot_read_another_team(client: TestClient, sign_in: SignIn) -> None:
    sign_in("kenji")
    page = client.get("/team/qa")
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"]
    assert "Traceback" not in page.text


def test_team_redirects_to_my_own(client: TestClient, sign_in: SignIn) -> None:
    sign_in("maria")
    page = client.get("/team", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/team/qa"


def test_time_map_shows_the_dst_week(client: TestClient, sign_in: SignIn) -> None:
    sign_in("amelie")
    page = client.get("/time-map", params={"week": "2026-10-28"})
    assert page.status_code == 200, page.text
    assert "Week of Mon 26 Oct 2026" in page.text
    assert "Paris changed clocks since last week" in page.text
    assert "17.5 h" in page.text  # Paris × New York in the week only Europe has changed
    bad = client.get("/time-map", params={"week": "next tuesday"})
    assert bad.status_code == 422
    assert "YYYY-MM-DD" in bad.text


def test_planner_ranks_slots_in_each_attendee_s_time_and_schedules(
    client: TestClient, sign_in: SignIn, hub: HubContext
) -> None:
    csrf = sign_in("amelie")
    params = {
        "title": "Onboarding kick-off", "attendees": ["amelie", "kenji", "maria"],
        "duration": "30", "kind": "kickoff", "why_sync": "agree the scope live",
        "start": "2026-11-30",
    }  # fmt: skip
    page = client.get("/planner", params=params)
    assert page.status_code == 200, page.text
    assert "Tokyo and New York share no working hour" in page.text
    assert "Mon 30 Nov 21:00–21:30" in page.text  # the first slot on Kenji's clock
    assert "Relay" in page.text
    start = re.search(r'name="starts_at" value="([^"]+)"', page.text)
    assert start
    form = {
        "title": "Onboarding kick-off", "kind": "kickoff", "why_sync": "agree the scope live",
        "duration": "30", "starts_at": start.group(1),
        "attendees": ["amelie", "kenji", "maria"],
    }  # fmt: skip
    refused = client.post("/planner/schedule", data=form, follow_redirects=False)
    assert refused.status_code == 403
    done = client.post("/planner/schedule", data={**form, "csrf_token": csrf})
    assert done.status_code == 200, done.text
    assert "Scheduled: Onboarding kick-off" in done.text
    assert (
        datetime.fromisoformat(start.group(1)).astimezone(ZoneInfo("Asia/Tokyo")).strftime("%H:%M")
        in done.text
    )


def test_planner_says_what_is_wrong(client: TestClient, sign_in: SignIn) -> None:
    sign_in("amelie")
    page = client.get("/planner", params={"title": "x", "attendees": ["amelie"], "why_sync": "y"})
    assert page.status_code == 422
    assert "choose at least two attendees" in page.text


def test_coffee_opt_in_pause_and_out(client: TestClient, sign_in: SignIn) -> None:
    csrf = sign_in("noah")  # social appetite 0 in the charter: out by default
    page = client.get("/coffee")
    assert "You are not taking part" in page.text
    assert client.post("/coffee", data={"choice": "in"}).status_code == 403
    page = client.post("/coffee", data={"choice": "in", "csrf_token": csrf})
    assert "You are taking part in coffee chats." in page.text
    page = client.post("/coffee", data={"choice": "pause", "pause_weeks": "3", "csrf_token": csrf})
    assert "You are paused until the week of Mon 14 Dec 2026" in page.text  # 23 Nov + 3 weeks
    page = client.post("/coffee", data={"choice": "out", "csrf_token": csrf})
    assert "You are not taking part" in page.text


def test_coffee_shows_next_pairing_with_local_times(client: TestClient, sign_in: SignIn) -> None:
    sign_in("amelie")
    page = client.get("/coffee")
    assert page.status_code == 200, page.text
    assert "Week of Mon 23 Nov" in page.text or "Week of Mon 30 Nov" in page.text
    assert "You meet" in page.text


def test_my_day_lists_the_soonest_due_and_counts_the_rest(
    client: TestClient, sign_in: SignIn, hub: HubContext
) -> None:
    sign_in("yuki")
    token = issue_token(hub.unit_of_work(), hub.clock, "kenji").token
    for number in range(QUEUE_SHOWN + 3):
        posted = client.post(
            "/api/v1/teams/coding/threads",
            headers={"Authorization": f"Bearer {token}"},
            json={"kind": "question", "title": f"Queue item {number:02d}", "body": "b",
                  "recipients": ["yuki"]},
        )  # fmt: skip
        assert posted.status_code == 201, posted.text
    queued = my_queue(
        hub.read_unit_of_work(), hub.clock, Actor("yuki", frozenset({Role("member", "coding")}))
    )
    page = client.get("/day")
    assert page.status_code == 200, page.text
    section = page.text.split('id="queue-title"', 1)[1].split("</section>", 1)[0]
    assert section.count("<li>") == QUEUE_SHOWN
    assert f"and {len(queued) - QUEUE_SHOWN} more, due later" in section
    for item in queued[:QUEUE_SHOWN]:  # the soonest due, in order
        assert item.row.title in section
    for item in queued[QUEUE_SHOWN:]:
        assert item.row.title not in section
