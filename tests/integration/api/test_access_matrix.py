"""The authorisation matrix over HTTP: every route of the app (API and pages) × six subjects,
acting on the design team's resources, on SQLite and PostgreSQL.

The table is ``access_matrix.CASES``; each cell is asserted exactly: the status; the error
code (401 ``unauthenticated``, 403 ``forbidden``, 404 ``not_found`` worded like a missing
resource); a page's redirect to sign-in; that a refused request left every table as it was
and an allowed write changed one (so "allowed" means it worked); and that no answer, of any
status, holds a text of the design team's its subject may not read (the canaries).
"""

from __future__ import annotations

import re
import time
from datetime import datetime
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import Engine, inspect, select

from asyncfirst.adapters.db.engine import create_engine
from asyncfirst.adapters.db.tables import metadata
from asyncfirst.bootstrap import FixedClock
from asyncfirst.domain.model import Organisation
from asyncfirst.entrypoints.api.app import create_app
from asyncfirst.entrypoints.web.pages.sign_in import SIGN_IN_COOKIE
from asyncfirst.entrypoints.web.session import COOKIE
from asyncfirst.services.access import Role
from asyncfirst.services.feeds import feed_path, issue_feed
from asyncfirst.services.hub_ports import HubContext
from asyncfirst.services.tokens import authenticate, issue_token
from asyncfirst.services.web_sessions import sign_in_with_token
from tests.conftest import REPO
from tests.integration.api.access_matrix import (
    CANARY,
    CANARY_AUDIENCE,
    CASES,
    CHECKIN,
    PUBLIC,
    SUBJECTS,
    Case,
    Expect,
    Subject,
    markdown,
)
from tests.integration.api.conftest import PARIS, SettableClock, TokenFor

# A Tuesday afternoon in Paris in a pulse week (reflection_every_weeks = 4: the week of
# 2026-12-07 for every team; Wednesday in Tokyo), a working day everywhere, so every
# own-team write can succeed; New York has started, so design hands over to coding.
PULSE_TUESDAY_PARIS = datetime(2026, 12, 8, 17, 0, tzinfo=PARIS)
PEOPLE = {
    "anonymous": None, "member_a": "chloe", "lead_a": "amelie", "member_b": "haruto",
    "lead_b": "yuki", "admin": "maria",
}  # fmt: skip
ROLES = {
    "amelie": (Role("team_lead", "design"),),
    "yuki": (Role("team_lead", "coding"),),
    "maria": (Role("org_admin"),),
}
# Columns a refused request may still write: a token's last use is recorded when it
# authenticates, whatever the route then decides.
VOLATILE = {("api_tokens", "last_used_at")}
# Allowed writes that store nothing by design.
STATELESS = {("POST", "/api/v1/route")}
HIDDEN_MESSAGE = re.compile(
    r'^(team "design"|person "chloe"|token "afk_[\w-]{8}"|'
    r"(thread|decision|hand-off|meeting|webhook) \d+) not found$"
)


class MatrixWorld:
    """The design team's resources, made through the API as bastien (and the admin)."""

    def __init__(self, hub: HubContext, client: TestClient) -> None:
        self.hub, self.client = hub, client
        self.tokens: dict[str, str] = {}
        for person in ("chloe", "amelie", "haruto", "yuki", "maria", "bastien", "david"):
            issued = issue_token(hub.unit_of_work(), hub.clock, person, ROLES.get(person, ()))
            self.tokens[person] = issued.token
        self.thread_id = self._post(
            "/api/v1/teams/design/threads", "bastien",
            {"kind": "question", "title": "canary-thread-5d1", "body": "Which font?"},
        )["id"]  # fmt: skip
        self.decision_id = self.fresh_decision()
        for person in ("bastien", "david"):
            self._post(
                "/api/v1/checkins",
                person,
                {"answers": {"What did you finish?": CANARY["checkin"]}, "mood": 2},
            )
        self.meeting_id = self.fresh_meeting()
        self.webhook_id = self.fresh_webhook()
        self.handoff_id = self.fresh_handoff()

    def headers(self, person: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[person]}"}

    def _post(self, url: str, person: str, body: Any = None) -> dict[str, Any]:
        response = self.client.post(url, json=body, headers=self.headers(person))
        self.client.cookies.clear()
        assert response.status_code in (200, 201), f"setup {url}: {response.text}"
        data: dict[str, Any] = response.json()
        return data

    def fresh_decision(self) -> int:
        body = {"title": CANARY["decision"], "body": "Ship it?", "mode": "consent",
                "deciders": ["chloe"]}  # fmt: skip
        return int(self._post("/api/v1/teams/design/decisions", "bastien", body)["id"])

    def fresh_escalated(self) -> int:
        body = {"title": "Ship the fix today?", "body": "Security found an issue.",
                "mode": "consent", "deciders": ["chloe", "david"], "urgent": True,
                "critical": True}  # fmt: skip
        made = self._post("/api/v1/teams/design/decisions", "bastien", body)
        assert made["state"] == "escalated" and made["escalation"]["meeting"], made
        return int(made["id"])

    def fresh_meeting(self) -> int:
        body = {"team": "design", "title": CANARY["meeting"], "kind": "workshop",
                "why_sync": "A whiteboard.", "starts_at": "2026-12-10T09:00:00Z",
                "ends_at": "2026-12-10T09:30:00Z", "attendees": ["david"]}  # fmt: skip
        return int(self._post("/api/v1/meetings", "bastien", body)["id"])

    def fresh_webhook(self) -> int:
        url = f"https://{CANARY['webhook']}.example.org/hook"
        body = {"team": "design", "format": "json", "url": url}
        return int(self._post("/api/v1/webhooks", "maria", body)["id"])

    def fresh_handoff(self) -> int:
        made = self._post("/api/v1/handoffs", "bastien", {"note": "Design's day, over to you."})
        assert made["to_team"] == "coding", made
        return int(made["id"])

    def fresh_token_prefix(self, person: str) -> str:
        return issue_token(self.hub.unit_of_work(), self.hub.clock, person).prefix

    def token_of(self, person: str) -> str:
        return self.tokens[person]

    def fresh_feed_path(self, person: str | None) -> str:
        assert person is not None
        actor = authenticate(self.hub.unit_of_work(), self.hub.clock, self.tokens[person])
        return feed_path(issue_feed(self.hub.unit_of_work(), self.hub.clock, actor).secret)

    def session(self, person: str) -> tuple[str, str]:
        """A new sign-in session: (cookie, CSRF token)."""
        made = sign_in_with_token(self.hub.unit_of_work(), self.hub.clock, self.tokens[person])
        return made.cookie, made.signed_in.csrf


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (but the volatile columns), in key order."""
    present = set(inspect(engine).get_table_names())
    seen = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            if table.name not in present:
                continue
            columns = [c for c in table.c if (table.name, c.name) not in VOLATILE]
            query = select(*columns).order_by(*table.primary_key.columns)
            seen[table.name] = [tuple(row) for row in connection.execute(query)]
    return seen


def app_routes(app: FastAPI) -> set[tuple[str, str]]:
    found = set()
    for context in iter_route_contexts(app.routes):
        if context.path is None:
            continue
        for method in (context.methods or {"GET"}) - {"HEAD"}:  # a mount (/static): GET
            found.add((method, context.path))
    return found


def test_the_matrix_covers_every_route(demo_org: Organisation) -> None:
    """A route without a row fails here: add it to ``access_matrix.CASES``."""
    nowhere: Any = None  # listing routes opens no database
    hub = HubContext(lambda: nowhere, FixedClock(PULSE_TUESDAY_PARIS), demo_org)
    routes = app_routes(create_app(hub))
    rows = {(case.method, case.path) for case in CASES}
    assert sorted(routes - rows) == [], "routes without a row in the access matrix"
    assert sorted(rows - routes) == [], "rows for routes the app does not have"
    assert rows >= PUBLIC
    for case in CASES:  # a public row answers everyone alike; every other refuses anonymous
        anonymous = case.expect["anonymous"]
        public = (case.method, case.path) in PUBLIC
        assert public == (anonymous not in (401, "in")), f"{case.method} {case.path}"


def test_docs_show_the_current_matrix() -> None:
    text = (REPO / "docs" / "reliability.md").read_text("utf-8")
    begin, end = "<!-- access-matrix:begin -->\n", "<!-- access-matrix:end -->"
    assert begin in text and end in text, "docs/reliability.md lost the matrix markers"
    shown = text.split(begin, 1)[1].split(end, 1)[0]
    assert shown == markdown(), "stale: run `.venv/bin/python scripts/access_matrix.py --write`"


class Walker:
    def __init__(self, world: MatrixWorld, client: TestClient, engine: Engine) -> None:
        self.world, self.client, self.engine = world, client, engine
        self.sessions = {p: world.session(p) for p in PEOPLE.values() if p is not None}
        self.problems: list[str] = []
        self.requests = 0

    def send(self, case: Case, subject: Subject) -> tuple[Response, bool]:
        """Answer to ``case`` for ``subject``; and whether the database changed."""
        req = case.build(self.world, subject)  # fresh resources are made before comparing
        if req.prepare is not None:
            req.prepare()
        person = subject.person
        headers: dict[str, str] = {}
        cookies: dict[str, str] = {}
        form = dict(req.form or {})
        if person is None:  # the other surface's credential, which must not count
            if case.page:
                headers = self.world.headers("maria")
            else:
                cookies[COOKIE] = self.sessions["maria"][0]
        elif case.page:
            cookie, csrf = (
                self.world.session(person) if case.write else self.sessions[person]
            )  # a write may end its session (sign out): a new one each time
            cookies[COOKIE] = cookie
            if case.write and req.csrf:
                form["csrf_token"] = csrf
        else:
            headers = self.world.headers(person)
        if case.method == "POST" and case.path == "/sign-in":
            cookies[SIGN_IN_COOKIE] = form["form_token"] = "matrix-form"  # noqa: S105
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        before = snapshot(self.engine) if case.write else None
        response = self.client.request(
            case.method, req.url, headers=headers, json=req.json, data=form or None,
            follow_redirects=False,
        )  # fmt: skip
        self.client.cookies.clear()
        self.requests += 1
        changed = before is not None and snapshot(self.engine) != before
        return response, changed

    def check(self, case: Case, subject: Subject) -> None:
        expected = case.expect[subject.name]
        response, changed = self.send(case, subject)
        where = f"{case.method} {case.path} [{case.resource}] as {subject.name}"
        wrong = self._status(case, expected, response)
        if wrong:
            self.problems.append(f"{where}: {wrong}")
        allowed = expected not in (401, 403, 404, "in")
        if case.write and not allowed and changed:
            self.problems.append(f"{where}: refused ({response.status_code}) but wrote")
        if case.write and allowed and not changed and (case.method, case.path) not in STATELESS:
            self.problems.append(f"{where}: allowed ({response.status_code}) but wrote nothing")
        for canary, audience in CANARY_AUDIENCE.items():
            if subject.name not in audience and canary in response.text:
                self.problems.append(f"{where}: leaks {canary} ({response.status_code})")
        shown = CANARY.get(case.reveals or "")
        if (
            allowed
            and shown
            and subject.name in CANARY_AUDIENCE[shown]
            and shown not in response.text
        ):
            self.problems.append(f"{where}: allowed but does not show the {case.reveals}")

    @staticmethod
    def _status(case: Case, expected: Expect, response: Response) -> str | None:
        got = response.status_code
        location = response.headers.get("location", "")
        if expected == "in":
            if got != 303 or not location.startswith("/sign-in"):
                return f"expected a redirect to sign-in, got {got} {location}"
            return None
        if got != expected:
            return f"expected {expected}, got {got}: {response.text[:200]}"
        if got == 303 and location.startswith("/sign-in") and case.path != "/sign-out":
            return f"303 to sign-in ({location}), not the page's own answer"
        if case.page or got not in (401, 403, 404):
            return None
        error = response.json()["error"]
        code = {401: "unauthenticated", 403: "forbidden", 404: "not_found"}[got]
        if error["code"] != code:
            return f"error code {error['code']}, expected {code}"
        hidden = got == 404 and "unknown" not in case.resource
        if hidden and not HIDDEN_MESSAGE.match(error["message"]):
            return f"a hidden 404 must read like a missing one, got {error['message']!r}"
        return None


def test_access_matrix(
    hub: HubContext, client: TestClient, clock: SettableClock, database_url: str
) -> None:
    """Every row × every subject; all problems reported at once."""
    clock.instant = PULSE_TUESDAY_PARIS
    engine = create_engine(database_url)
    try:
        started = time.perf_counter()
        walker = Walker(MatrixWorld(hub, client), client, engine)
        for case in CASES:
            for name in SUBJECTS:
                walker.check(case, Subject(name, PEOPLE[name]))
        elapsed = time.perf_counter() - started
    finally:
        engine.dispose()
    print(f"access matrix: {walker.requests} requests in {elapsed:.1f} s")  # noqa: T201
    assert walker.requests == len(CASES) * len(SUBJECTS)
    assert walker.problems == [], "\n".join(walker.problems)


@pytest.mark.parametrize(
    ("issuer", "roles"),
    [("amelie", (Role("team_lead", "design"),)), ("maria", (Role("org_admin"),))],
    ids=["her lead", "an org admin"],
)
def test_nobody_mints_a_token_for_a_member_to_read_her_mood(
    client: TestClient,
    clock: SettableClock,
    token: TokenFor,
    issuer: str,
    roles: tuple[Role, ...],
) -> None:
    """A token for someone else would read what mood.read keeps to the person: refused."""
    clock.instant = PULSE_TUESDAY_PARIS
    posted = client.post("/api/v1/checkins", json=CHECKIN, headers=token("chloe"))
    assert posted.status_code == 201, posted.text
    issued = client.post("/api/v1/tokens", json={"person": "chloe"}, headers=token(issuer, *roles))
    assert issued.status_code == 403, issued.text
    assert issued.json()["error"]["code"] == "forbidden"
    assert "token" not in issued.json()
