"""The authorisation matrix: every route of the app (API and pages) × six subjects, acting on
a resource of the design team, and what each must get. One table, three readers:
``test_access_matrix.py`` walks it over HTTP, ``scripts/access_matrix.py`` writes it into
docs/reliability.md, and a test checks the two agree (so the docs cannot drift).

A route added to the app without a row here fails ``test_the_matrix_covers_every_route``.

Subjects (roles granted as ``serve`` grants them; membership comes from the charter):
``anonymous`` (no credential for that surface: it carries the *other* surface's one, an
org admin's session cookie on the API and an org admin's API token on pages, which must not
count), a design member (chloe), the design lead (amelie), a coding member (haruto), the
coding lead (yuki), and an org admin who is in neither team (maria, QA).

An expectation is the exact HTTP status, or ``in`` for a page's redirect (303) to the
sign-in page. The resources belong to the design team and were written by bastien (a
design member who is none of the subjects): a question to his team, a consent decision
with chloe its one decider, an escalated one (deciders chloe and david), check-ins, a
meeting with david, a JSON webhook, a hand-off from design to coding. "own" rows act on
the subject's own data (their check-in, their feed, their team's pulse).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

__all__ = [
    "CANARY_AUDIENCE",
    "CASES",
    "PUBLIC",
    "SUBJECTS",
    "Case",
    "Expect",
    "Req",
    "Subject",
    "World",
    "markdown",
]

SubjectName = Literal["anonymous", "member_a", "lead_a", "member_b", "lead_b", "admin"]
SUBJECTS: tuple[SubjectName, ...] = (
    "anonymous", "member_a", "lead_a", "member_b", "lead_b", "admin",
)  # fmt: skip
HEADINGS = {
    "anonymous": "anonymous",
    "member_a": "design member",
    "lead_a": "design lead",
    "member_b": "coding member",
    "lead_b": "coding lead",
    "admin": "org admin (QA)",
}
Expect = int | Literal["in"]

# Texts only those who may read them may ever receive, in any answer of any route: a
# subject outside a canary's audience who gets one back is a leak, whatever the status.
CANARY_AUDIENCE: dict[str, frozenset[SubjectName]] = {
    "canary-thread-5d1": frozenset({"member_a", "lead_a", "admin"}),
    "canary-decision-9b2": frozenset({"member_a", "lead_a", "admin"}),
    "canary-checkin-3e7": frozenset({"member_a", "lead_a", "admin"}),
    "canary-meeting-c48": frozenset({"member_a", "lead_a", "admin"}),
    "canary-webhook-a06": frozenset({"lead_a", "admin"}),
}
CANARY = {name.split("-")[1]: name for name in CANARY_AUDIENCE}  # "thread" -> its canary


@dataclass(frozen=True)
class Subject:
    name: SubjectName
    person: str | None  # None: anonymous


@dataclass(frozen=True)
class Req:
    """A concrete request; page POSTs carry the session's CSRF token unless ``csrf`` is off."""

    url: str
    json: Any = None
    form: dict[str, Any] | None = None
    csrf: bool = True
    prepare: Callable[[], object] | None = None  # run before the database is compared


class World(Protocol):
    """The design team's resources, made by the test; ``fresh_*`` make a new one (a write
    that succeeds changes its resource, so each subject gets its own)."""

    thread_id: int
    decision_id: int
    meeting_id: int
    webhook_id: int
    handoff_id: int

    def fresh_decision(self) -> int: ...
    def fresh_escalated(self) -> int: ...
    def fresh_meeting(self) -> int: ...
    def fresh_webhook(self) -> int: ...
    def fresh_handoff(self) -> int: ...
    def fresh_token_prefix(self, person: str) -> str: ...
    def token_of(self, person: str) -> str: ...
    def fresh_feed_path(self, person: str) -> str: ...


Build = Callable[[World, Subject], Req]


@dataclass(frozen=True)
class Case:
    """One row: a route (method and path template as the app declares it), what it acts on,
    and the expectation for each of ``SUBJECTS``, in order."""

    method: str
    path: str
    resource: str
    expect_text: str
    build: Build = field(repr=False)
    reveals: str | None = None  # an allowed answer shows this canary (to its audience)

    @property
    def expect(self) -> dict[SubjectName, Expect]:
        parts = self.expect_text.split()
        assert len(parts) == len(SUBJECTS), f"{self.method} {self.path}: {self.expect_text}"
        return {s: ("in" if p == "in" else int(p)) for s, p in zip(SUBJECTS, parts, strict=True)}

    @property
    def page(self) -> bool:
        return not self.path.startswith(("/api/", "/health", "/docs", "/openapi", "/feeds/"))

    @property
    def write(self) -> bool:
        return self.method != "GET"


def _me(s: Subject) -> str:
    return s.person or "bastien"  # anonymous acts as someone: bastien


def _fixed(url: str, **kw: Any) -> Build:
    return lambda _w, _s: Req(url, **kw)


A = "design"
THREAD = {"kind": "update", "title": "Matrix update", "body": "Posted by the matrix."}
DECISION = {"title": "Matrix decision", "body": "?", "mode": "consent", "deciders": ["chloe"]}
CHECKIN = {"answers": {"What did you finish?": "The matrix."}, "mood": 4}
MEETING = {
    "team": A, "title": "Matrix meeting", "kind": "workshop", "why_sync": "A whiteboard.",
    "starts_at": "2026-12-09T09:00:00Z", "ends_at": "2026-12-09T09:30:00Z",
}  # fmt: skip
WEBHOOK = {"team": A, "format": "json", "url": "https://hooks.example.org/matrix"}


def _band(s: Subject) -> dict[str, Any]:  # a different band each, so each one changes it
    return {"low": 0.6 + SUBJECTS.index(s.name) / 100, "high": 0.9, "reason": "The matrix."}


SLOT = "2026-12-09T09:00:00+00:00"

# Public routes: the same answer for everyone, credential or not (listed, not inferred).
PUBLIC = frozenset(
    {
        ("GET", "/health"), ("GET", "/openapi.json"), ("GET", "/docs"),
        ("GET", "/docs/oauth2-redirect"), ("GET", "/feeds/{secret}.ics"), ("GET", "/static"),
        ("GET", "/"), ("GET", "/sign-in"), ("POST", "/sign-in"),
    }
)  # fmt: skip

#         subjects: anonymous  member_a  lead_a  member_b  lead_b  admin
CASES: tuple[Case, ...] = (
    # --- public -------------------------------------------------------------------------
    Case("GET", "/health", "–", "200 200 200 200 200 200", _fixed("/health")),
    Case("GET", "/openapi.json", "–", "200 200 200 200 200 200", _fixed("/openapi.json")),
    Case("GET", "/docs", "–", "200 200 200 200 200 200", _fixed("/docs")),
    Case("GET", "/docs/oauth2-redirect", "–", "200 200 200 200 200 200",
         _fixed("/docs/oauth2-redirect")),
    Case("GET", "/feeds/{secret}.ics", "chloe's feed (the secret is the credential)",
         "200 200 200 200 200 200", lambda w, _s: Req(w.fresh_feed_path("chloe"))),
    Case("GET", "/feeds/{secret}.ics", "an unknown secret", "404 404 404 404 404 404",
         _fixed("/feeds/afc_" + "x" * 43 + ".ics")),
    Case("GET", "/static", "a stylesheet", "200 200 200 200 200 200", _fixed("/static/app.css")),
    Case("GET", "/", "–", "303 303 303 303 303 303", _fixed("/")),
    Case("GET", "/sign-in", "–", "200 303 303 303 303 303", _fixed("/sign-in")),
    Case("POST", "/sign-in", "one's own token (anonymous: bastien's)", "303 303 303 303 303 303",
         lambda w, s: Req("/sign-in", form={"method": "token", "token": w.token_of(_me(s))})),
    # --- the API: oneself ---------------------------------------------------------------
    Case("GET", "/api/v1/me", "own", "401 200 200 200 200 200", _fixed("/api/v1/me")),
    Case("GET", "/api/v1/me/queue", "own", "401 200 200 200 200 200",
         _fixed("/api/v1/me/queue")),
    Case("POST", "/api/v1/route", "–", "401 200 200 200 200 200",
         _fixed("/api/v1/route", json={"text": "A quick question"})),
    Case("POST", "/api/v1/tokens", "chloe (the design member)", "401 201 403 403 403 403",
         _fixed("/api/v1/tokens", json={"person": "chloe"})),
    Case("POST", "/api/v1/tokens", "bastien (another design member)", "401 403 403 403 403 403",
         _fixed("/api/v1/tokens", json={"person": "bastien"})),
    Case("DELETE", "/api/v1/tokens/{prefix}", "a token of chloe's", "401 204 404 404 404 204",
         lambda w, _s: Req(f"/api/v1/tokens/{w.fresh_token_prefix('chloe')}")),
    Case("POST", "/api/v1/me/feed", "own", "401 201 201 201 201 201", _fixed("/api/v1/me/feed")),
    Case("DELETE", "/api/v1/me/feed", "own (a live feed)", "401 204 204 204 204 204",
         lambda w, s: Req("/api/v1/me/feed", prepare=lambda: w.fresh_feed_path(s.person)
                          if s.person else None)),
    # --- threads ------------------------------------------------------------------------
    Case("GET", "/api/v1/teams/{team}/threads", "design", "401 200 200 404 404 200",
         _fixed(f"/api/v1/teams/{A}/threads"), reveals="thread"),
    Case("POST", "/api/v1/teams/{team}/threads", "design", "401 201 201 201 201 201",
         _fixed(f"/api/v1/teams/{A}/threads", json=THREAD)),
    Case("GET", "/api/v1/threads/{thread_id}", "design's question", "401 200 200 404 404 200",
         lambda w, _s: Req(f"/api/v1/threads/{w.thread_id}"), reveals="thread"),
    Case("POST", "/api/v1/threads/{thread_id}/replies", "design's question",
         "401 201 201 404 404 201",
         lambda w, _s: Req(f"/api/v1/threads/{w.thread_id}/replies", json={"body": "Noted."})),
    # --- decisions ----------------------------------------------------------------------
    Case("POST", "/api/v1/teams/{team}/decisions", "design", "401 201 201 201 201 201",
         _fixed(f"/api/v1/teams/{A}/decisions", json=DECISION)),
    Case("GET", "/api/v1/teams/{team}/decisions", "design", "401 200 200 404 404 200",
         _fixed(f"/api/v1/teams/{A}/decisions"), reveals="decision"),
    Case("GET", "/api/v1/decisions/{decision_id}", "design's decision",
         "401 200 200 404 404 200",
         lambda w, _s: Req(f"/api/v1/decisions/{w.decision_id}"), reveals="decision"),
    Case("POST", "/api/v1/decisions/{decision_id}/responses", "design's decision (chloe decides)",
         "401 201 403 404 404 403",
         lambda w, _s: Req(f"/api/v1/decisions/{w.fresh_decision()}/responses",
                           json={"choice": "consent"})),
    Case("POST", "/api/v1/decisions/{decision_id}/withdraw", "design's decision (by bastien)",
         "401 403 200 404 404 200",
         lambda w, _s: Req(f"/api/v1/decisions/{w.fresh_decision()}/withdraw")),
    Case("POST", "/api/v1/decisions/{decision_id}/meeting", "design's escalated decision",
         "401 201 403 404 404 403",
         lambda w, _s: Req(f"/api/v1/decisions/{w.fresh_escalated()}/meeting")),
    # --- check-ins ----------------------------------------------------------------------
    Case("POST", "/api/v1/checkins", "own", "401 201 201 201 201 201",
         _fixed("/api/v1/checkins", json=CHECKIN)),
    Case("GET", "/api/v1/me/checkins", "own", "401 200 200 200 200 200",
         _fixed("/api/v1/me/checkins")),
    Case("GET", "/api/v1/teams/{team}/checkins", "design", "401 200 200 404 404 200",
         _fixed(f"/api/v1/teams/{A}/checkins"), reveals="checkin"),
    Case("GET", "/api/v1/teams/{team}/mood", "design", "401 200 200 404 404 200",
         _fixed(f"/api/v1/teams/{A}/mood")),
    # --- hand-offs ----------------------------------------------------------------------
    Case("POST", "/api/v1/handoffs", "own team's", "401 201 201 201 201 201",
         _fixed("/api/v1/handoffs", json={"note": "Over to you."})),
    Case("GET", "/api/v1/teams/{team}/handoffs", "design", "401 200 200 404 404 200",
         _fixed(f"/api/v1/teams/{A}/handoffs?direction=out")),
    Case("POST", "/api/v1/handoffs/{handoff_id}/ack", "design's hand-off to coding",
         "401 403 403 200 200 403",
         lambda w, _s: Req(f"/api/v1/handoffs/{w.fresh_handoff()}/ack")),
    # --- reflection ---------------------------------------------------------------------
    Case("POST", "/api/v1/pulse", "own team's", "401 201 201 201 201 201",
         _fixed("/api/v1/pulse", json={"verdict": "about_right"})),
    Case("GET", "/api/v1/teams/{team}/pulse", "design", "401 200 200 404 404 200",
         _fixed(f"/api/v1/teams/{A}/pulse")),
    Case("POST", "/api/v1/teams/{team}/band", "design", "401 403 200 403 403 200",
         lambda _w, s: Req(f"/api/v1/teams/{A}/band", json=_band(s))),
    # --- meetings -----------------------------------------------------------------------
    Case("POST", "/api/v1/meetings", "design", "401 201 201 404 404 201",
         _fixed("/api/v1/meetings", json=MEETING)),
    Case("GET", "/api/v1/meetings", "own", "401 200 200 200 200 200",
         _fixed("/api/v1/meetings")),
    Case("GET", "/api/v1/meetings", "chloe's (?person=chloe)", "401 200 200 404 404 200",
         _fixed("/api/v1/meetings?person=chloe")),
    Case("GET", "/api/v1/meetings/{meeting_id}", "design's meeting", "401 200 200 404 404 200",
         lambda w, _s: Req(f"/api/v1/meetings/{w.meeting_id}"), reveals="meeting"),
    Case("DELETE", "/api/v1/meetings/{meeting_id}", "design's meeting (by bastien)",
         "401 403 200 404 404 200",
         lambda w, _s: Req(f"/api/v1/meetings/{w.fresh_meeting()}")),
    # --- webhooks -----------------------------------------------------------------------
    Case("POST", "/api/v1/webhooks", "design", "401 403 201 403 403 201",
         _fixed("/api/v1/webhooks", json=WEBHOOK)),
    Case("GET", "/api/v1/webhooks", "design's (?team=design)", "401 403 200 403 403 200",
         _fixed(f"/api/v1/webhooks?team={A}"), reveals="webhook"),
    Case("GET", "/api/v1/webhooks", "all one may manage", "401 200 200 200 200 200",
         _fixed("/api/v1/webhooks"), reveals="webhook"),
    Case("DELETE", "/api/v1/webhooks/{webhook_id}", "design's webhook",
         "401 404 204 404 404 204",
         lambda w, _s: Req(f"/api/v1/webhooks/{w.fresh_webhook()}")),
    Case("GET", "/api/v1/webhooks/{webhook_id}/deliveries", "design's webhook",
         "401 404 200 404 404 200",
         lambda w, _s: Req(f"/api/v1/webhooks/{w.webhook_id}/deliveries"), reveals="webhook"),
    # --- pages --------------------------------------------------------------------------
    Case("POST", "/sign-out", "own session", "in 303 303 303 303 303", _fixed("/sign-out")),
    Case("GET", "/day", "own", "in 200 200 200 200 200", _fixed("/day")),
    Case("GET", "/day/{person}", "chloe's My day", "in 303 403 403 403 403",
         _fixed("/day/chloe")),
    Case("POST", "/day/check-in", "own", "in 303 303 303 303 303",
         _fixed("/day/check-in", form={"q0": "The matrix.", "mood": "3"})),
    Case("POST", "/day/decisions/{decision_id}", "design's decision (chloe decides)",
         "in 303 403 404 404 403",
         lambda w, _s: Req(f"/day/decisions/{w.fresh_decision()}", form={"choice": "consent"})),
    Case("GET", "/team", "own team", "in 303 303 303 303 303", _fixed("/team")),
    Case("GET", "/team/{team_id}", "design", "in 200 200 404 404 200", _fixed(f"/team/{A}"),
         reveals="decision"),
    Case("GET", "/time-map", "–", "in 200 200 200 200 200", _fixed("/time-map")),
    Case("GET", "/planner", "–", "in 200 200 200 200 200", _fixed("/planner")),
    Case("GET", "/planner", "design's meeting (?scheduled=)", "in 200 200 404 404 200",
         lambda w, _s: Req(f"/planner?scheduled={w.meeting_id}"), reveals="meeting"),
    Case("POST", "/planner/schedule", "own team's meeting", "in 303 303 303 303 303",
         lambda _w, s: Req("/planner/schedule", form={
             "title": "Matrix sync", "kind": "workshop", "why_sync": "A whiteboard.",
             "starts_at": SLOT, "duration": "30", "attendees": [_me(s)]})),
    Case("GET", "/coffee", "own", "in 200 200 200 200 200", _fixed("/coffee")),
    Case("POST", "/coffee", "own", "in 303 303 303 303 303",
         _fixed("/coffee", form={"choice": "in"})),
    Case("POST", "/coffee", "own, without the CSRF token", "in 403 403 403 403 403",
         _fixed("/coffee", form={"choice": "out"}, csrf=False)),
)  # fmt: skip


def _cell(value: Expect, case: Case) -> str:
    if value == "in":
        return "→ sign-in"
    if value in (401, 403):
        return str(value)
    if value == 404:
        return "404" if "unknown" in case.resource else "404 hidden"
    return f"✓ {value}"


def markdown() -> str:
    """The matrix as a Markdown table (docs/reliability.md, between the markers)."""
    head = ["route", "acting on", *(HEADINGS[s] for s in SUBJECTS)]
    legend = (
        "✓ *status*: allowed, and it worked; 401: no API token; → sign-in: a 303 to the "
        "sign-in page; 403: visible, not allowed; 404 hidden: answered exactly like a "
        "missing resource.\n\n"
    )
    lines = [legend + "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for case in CASES:
        route = f"`{case.method} {case.path}`" + (
            " (public)" if (case.method, case.path) in PUBLIC else ""
        )
        cells = [_cell(case.expect[s], case) for s in SUBJECTS]
        lines.append("| " + " | ".join([route, case.resource, *cells]) + " |")
    return "\n".join(lines) + "\n"
