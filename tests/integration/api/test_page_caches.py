"""What makes My day, the Team page and the calendar feed cheap never shows stale data,
on SQLite and PostgreSQL: every write a page shows is on the very next request; a page's
reads share one read-only transaction; a signed-in session comes from a few seconds'
cache, which signing out empties at once and which still honours expiry."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from asyncfirst.adapters.db.hub_repository import SqlThreadRepository
from asyncfirst.entrypoints.web.session import COOKIE
from asyncfirst.services.access import Actor, Role
from asyncfirst.services.checkins import post_checkin
from asyncfirst.services.decisions import open_decision, respond
from asyncfirst.services.hub_ports import HubContext, HubUnitOfWork
from asyncfirst.services.my_day_page import my_day
from asyncfirst.services.page_reads import read_together
from asyncfirst.services.team_view import BalanceCache, team_page
from asyncfirst.services.threads import post_thread
from asyncfirst.services.tokens import issue_token
from asyncfirst.services.web_sessions import SESSION_CACHE_SECONDS, sign_in_with_token, sign_out
from tests.integration.api.conftest import SettableClock, TokenFor

CHLOE = Actor("chloe", frozenset({Role("member", "design")}))
AMELIE = Actor("amelie", frozenset({Role("member", "design")}))


def _sign_in(hub: HubContext, client: TestClient, person: str) -> str:
    issued = issue_token(hub.unit_of_work(), hub.clock, person)
    session = sign_in_with_token(hub.unit_of_work(), hub.clock, issued.token)
    client.cookies.set(COOKIE, session.cookie)
    return session.cookie


def _day(client: TestClient) -> str:
    page = client.get("/day", follow_redirects=False)
    assert page.status_code == 200, page.text[:500]
    return page.text


def test_my_day_shows_each_write_on_the_next_request(
    hub: HubContext, client: TestClient, token: TokenFor
) -> None:
    _sign_in(hub, client, "chloe")
    before = _day(client)  # fills every cache there is
    assert "Pixel-perfect handover" not in before

    post_thread(hub.unit_of_work(), hub.clock, hub.org, AMELIE, "design", "question",
                "Pixel-perfect handover?", "Which export do you want?")  # fmt: skip
    assert "Pixel-perfect handover?" in _day(client)

    post_checkin(hub.unit_of_work(), hub.clock, hub.org, CHLOE,
                 {"What did you finish?": "Icons for the onboarding"}, mood=4)  # fmt: skip
    assert "Icons for the onboarding" in _day(client)

    decision = open_decision(
        hub.unit_of_work(), hub.clock, hub.org, AMELIE, "design", title="Cards or list?",
        body="For the inbox", mode="vote", options=["cards", "list"],
        deciders=["chloe", "amelie"], decide_within_days=3,
    )  # fmt: skip
    assert "Cards or list?" in _day(client)
    respond(hub.unit_of_work(), hub.clock, hub.org, CHLOE, decision.decision.id, "cards")
    assert "Cards or list?" not in _day(client)

    # A meeting tomorrow (Saturday 10:00 Paris) lands in the day laid out before without it.
    start = (hub.clock.now() + timedelta(hours=16)).isoformat()
    end = (hub.clock.now() + timedelta(hours=17)).isoformat()
    made = client.post(
        "/api/v1/meetings", headers=token("amelie"),
        json={"team": "design", "title": "Weekend launch check", "kind": "workshop",
              "why_sync": "Launch", "starts_at": start, "ends_at": end,
              "attendees": ["chloe", "amelie"]},
    )  # fmt: skip
    assert made.status_code == 201, made.text
    assert "Weekend launch check" in _day(client)
    cancelled = client.delete(f"/api/v1/meetings/{made.json()['id']}", headers=token("amelie"))
    assert cancelled.status_code == 200, cancelled.text
    assert "Weekend launch check" not in _day(client)


def test_the_team_page_shows_a_new_decision_at_once(hub: HubContext, client: TestClient) -> None:
    _sign_in(hub, client, "chloe")
    assert "Dark mode by default" not in client.get("/team/design").text
    open_decision(
        hub.unit_of_work(), hub.clock, hub.org, AMELIE, "design", title="Dark mode by default",
        body="?", mode="consent", deciders=["chloe"], decide_within_days=2,
    )  # fmt: skip
    assert "Dark mode by default" in client.get("/team/design").text


class _Counting:
    """Counts the transactions the page opens; hands out the real units of work."""

    def __init__(self, real: Callable[[], HubUnitOfWork]) -> None:
        self.real = real
        self.opened = 0

    def __call__(self) -> HubUnitOfWork:
        self.opened += 1
        return self.real()


def test_a_page_s_reads_share_one_transaction_that_cannot_write(hub: HubContext) -> None:
    counting = _Counting(hub.read_unit_of_work)
    view = my_day(counting, hub.clock, hub.org, CHLOE)
    assert counting.opened == 1  # queue, decisions, check-in and meetings: one transaction
    assert view.name == "Chloé Dubois"
    with read_together(hub.read_unit_of_work) as reads:
        with reads() as uow:
            assert uow.threads.team_exists("design")
        with reads() as again:  # the same transaction, still open after the first use case
            assert again is uow and again.threads.team_exists("coding")
            with pytest.raises(RuntimeError, match="cannot commit"):
                again.commit()


def test_the_team_page_asks_once_whether_the_team_exists(
    hub: HubContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    real = SqlThreadRepository.team_exists

    def counting(self: SqlThreadRepository, key: str) -> bool:
        asked.append(key)
        return real(self, key)

    monkeypatch.setattr(SqlThreadRepository, "team_exists", counting)
    page = team_page(hub, CHLOE, "design", BalanceCache(hub.org, lambda _first, _weeks: None))
    assert page.team.id == "design"
    assert asked == ["design"]  # seven use cases check it; the shared transaction asks once


def test_sign_out_forgets_the_cached_session_at_once(hub: HubContext, client: TestClient) -> None:
    cookie = _sign_in(hub, client, "chloe")
    page = client.get("/day")  # the session is cached from here
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf is not None
    out = client.post("/sign-out", data={"csrf_token": csrf.group(1)}, follow_redirects=False)
    assert out.status_code == 303
    client.cookies.set(COOKIE, cookie)  # the old cookie, sent again by hand
    again = client.get("/day", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"].startswith("/sign-in")


def test_another_process_s_sign_out_holds_within_the_cache_s_seconds(
    hub: HubContext, client: TestClient
) -> None:
    cookie = _sign_in(hub, client, "chloe")
    cache = client.app.state.web_sessions  # type: ignore[attr-defined]
    seconds = [1000.0]
    cache.monotonic = lambda: seconds[0]
    assert client.get("/day", follow_redirects=False).status_code == 200  # cached from here
    sign_out(hub.unit_of_work(), hub.clock, cookie)  # as another worker (or the CLI) would
    assert client.get("/day", follow_redirects=False).status_code == 200  # still believed
    seconds[0] += SESSION_CACHE_SECONDS
    assert client.get("/day", follow_redirects=False).status_code == 303  # looked up: revoked


def test_an_expired_session_is_refused_even_when_cached(
    hub: HubContext, client: TestClient, clock: SettableClock
) -> None:
    _sign_in(hub, client, "chloe")
    cache = client.app.state.web_sessions  # type: ignore[attr-defined]
    cache.monotonic = lambda: 0.0  # the cache entry never grows old on its own
    assert client.get("/day", follow_redirects=False).status_code == 200
    clock.instant += timedelta(days=7, seconds=1)  # past SESSION_LIFETIME
    assert client.get("/day", follow_redirects=False).status_code == 303
