"""Use case: fill an empty hub with the demo organisation and something to look at.

``asyncfirst serve`` runs it on first start: the demo charter, its roles, and

- threads posted a few hours to a day and a half before now, some due soon;
- check-ins (with moods and day modes, private to their authors) from several people,
  each at the end of their latest working day so far;
- an open decision whose decide-by is ``DEMO_DECIDE_WITHIN_HOURS`` working hours away
  (close to escalation), one decided by vote the day before, and one opened urgent and
  critical, so it escalated at once and a decider confirmed its proposed meeting;
- a hand-off from New York in flight (not acknowledged yet);
- a coding-team alignment meeting at the fairest slot from tomorrow on;

and finally a token for the demo admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from asyncfirst.domain.checkins import DEFAULT_QUESTIONS
from asyncfirst.domain.model import Organisation
from asyncfirst.domain.worktime import working_time
from asyncfirst.services.access import Actor, Role
from asyncfirst.services.charter_records import CharterUnitOfWork
from asyncfirst.services.charter_sync import apply_charter
from asyncfirst.services.checkins import post_checkin
from asyncfirst.services.decisions import open_decision, propose_meeting, respond
from asyncfirst.services.handoffs import post_handoff
from asyncfirst.services.hub_ports import HubContext
from asyncfirst.services.meetings import confirm_decision_meeting, schedule_meeting
from asyncfirst.services.threads import post_thread
from asyncfirst.services.tokens import IssuedToken, grant_roles, issue_token

__all__ = [
    "DEMO_ADMIN",
    "DEMO_CHECKINS",
    "DEMO_DECIDE_WITHIN_HOURS",
    "DEMO_ROLES",
    "DEMO_THREADS",
    "applied_source",
    "seed_demo",
]

DEMO_ADMIN = "amelie"
DEMO_ROLES: tuple[tuple[str, Role], ...] = (
    ("amelie", Role("org_admin")),
    ("amelie", Role("team_lead", "design")),
    ("kenji", Role("team_lead", "coding")),
    ("maria", Role("team_lead", "qa")),
)
# (hours before now, author, team, kind, title, body)
DEMO_THREADS: tuple[tuple[float, str, str, str, str, str], ...] = (
    (30, "maria", "coding", "question", "Login fails with SSO on Safari",
     "Reproduced on build 1.4.1: the SSO redirect loops. Is this the cookie change?"),
    (20, "kenji", "design", "question", "Empty state for the onboarding list",
     "Do we show the illustration or the checklist when a team has no members yet?"),
    (6, "amelie", "coding", "update", "Onboarding screens ready for review",
     "The Figma file has the final screens; comments welcome before your Thursday."),
    (2, "haruto", "qa", "update", "Build 1.4.2 is ready for testing",
     "Fixes the SSO loop; release notes are in the changelog."),
)  # fmt: skip
# (person, finished, next, blockers, mood 1-5, day mode): mood and day mode are private.
DEMO_CHECKINS: tuple[tuple[str, str, str, str, int, str], ...] = (
    ("chloe", "Empty-state illustrations", "Onboarding copy review", "", 4, "heads-down"),
    ("david", "Icon set v2", "Dark-mode palette", "Waiting for brand colours", 3, "normal"),
    ("yuki", "SSO cookie fix", "Release notes for 1.4.2", "", 5, "social"),
    ("haruto", "Build pipeline cache", "Flaky login test", "", 2, "low-energy"),
    ("james", "Regression suite on 1.4.2", "Safari SSO retest", "Staging is down", 3, "normal"),
)  # fmt: skip
DEMO_DECIDE_WITHIN_HOURS = 3.0


@dataclass(frozen=True)
class _At:
    instant: datetime

    def now(self) -> datetime:
        return self.instant


def applied_source(uow: CharterUnitOfWork) -> str | None:
    """The charter last applied to the database (``None``: the database is empty)."""
    with uow:
        last = uow.charter.last_apply()
    return None if last is None else last.source


def _member(org: Organisation, person: str) -> Actor:
    return Actor(person, frozenset({Role("member", org.person(person).team_id)}))


def _end_of_last_workday(org: Organisation, person: str, now: datetime) -> _At | None:
    """Half an hour before the end of the person's latest working stretch in the last two
    weeks (``None``: they did not work in that time)."""
    worked = working_time(org.person(person).schedule, now - timedelta(days=14), now)
    if not worked:
        return None
    last = worked[-1]
    return _At(max(last.start, last.end - timedelta(minutes=30)))


def _seed_checkins(hub: HubContext, org: Organisation, now: datetime) -> None:
    done, following, _blockers = DEFAULT_QUESTIONS
    for person, finished, upcoming, blockers, mood, day_mode in DEMO_CHECKINS:
        at = _end_of_last_workday(org, person, now)
        if at is not None:
            post_checkin(
                hub.unit_of_work(), at, org, _member(org, person),
                {done: finished, following: upcoming}, blockers, mood, day_mode,
            )  # fmt: skip


def _seed_decisions(hub: HubContext, org: Organisation, now: datetime) -> None:
    open_decision(
        hub.unit_of_work(), hub.clock, org, _member(org, "amelie"), "design",
        title="Onboarding layout: list or cards?",
        body="Both layouts are in the Figma file. Vote before the build starts.",
        mode="vote", options=["list", "cards"], deciders=["amelie", "kenji", "maria"],
        decide_within_hours=DEMO_DECIDE_WITHIN_HOURS,
    )  # fmt: skip
    earlier = _At(now - timedelta(hours=26))
    decided = open_decision(
        hub.unit_of_work(), earlier, org, _member(org, "kenji"), "coding",
        title="Adopt the shared lint config?", body="One ruff config for every repository.",
        mode="vote", options=["yes", "not yet"], deciders=["kenji", "yuki"],
    )  # fmt: skip
    for person in ("kenji", "yuki"):
        respond(hub.unit_of_work(), _At(now - timedelta(hours=20)), org, _member(org, person),
                decided.decision.id, "yes")  # fmt: skip
    urgent = open_decision(
        hub.unit_of_work(), hub.clock, org, _member(org, "maria"), "qa",
        title="Roll back 1.4.2 for Safari users?",
        body="Safari users cannot sign in since 1.4.2; support tickets are piling up.",
        mode="consent", deciders=["maria", "amelie"], urgent=True, critical=True,
    )  # fmt: skip
    if urgent.decision.meeting_start is not None:
        confirm_decision_meeting(
            hub.unit_of_work(), hub.clock, org, _member(org, "maria"), urgent.decision.id
        )


def _seed_handoff_and_meeting(hub: HubContext, org: Organisation, now: datetime) -> None:
    post_handoff(
        hub.unit_of_work(), _end_of_last_workday(org, "maria", now) or _At(now), org,
        _member(org, "maria"),
        "Safari SSO still loops on 1.4.2 for some accounts; logs are in the thread.",
        ["Retest SSO on Safari with build 1.4.3", "Decide whether to roll back"],
    )  # fmt: skip
    coding = org.members("coding")
    slot = propose_meeting(coding, now + timedelta(days=1))
    if slot is not None:
        schedule_meeting(
            hub.unit_of_work(), hub.clock, org, _member(org, "kenji"), team="coding",
            title="Coding alignment", kind="alignment",
            why_sync="Monthly alignment: priorities for the next cycle need a live discussion.",
            starts_at=slot.start, ends_at=slot.end, attendees=["coding"],
        )  # fmt: skip


def seed_demo(charter_uow: CharterUnitOfWork, hub: HubContext, org: Organisation) -> IssuedToken:
    """Apply the demo charter, grant the demo roles, post the demo threads, check-ins,
    decisions, hand-off and meetings (see the module docstring); the admin's token."""
    now = hub.clock.now()
    apply_charter(org, "demo", uow=charter_uow, clock=hub.clock, changed_by="asyncfirst serve",
                  reason="first start: demo organisation")  # fmt: skip
    for person, role in DEMO_ROLES:
        grant_roles(hub.unit_of_work(), hub.clock, person, [role])
    for hours_ago, author, team, kind, title, body in DEMO_THREADS:
        at = _At(now - timedelta(hours=hours_ago))
        post_thread(hub.unit_of_work(), at, org, Actor(author), team, kind, title, body)
    _seed_checkins(hub, org, now)
    _seed_decisions(hub, org, now)
    _seed_handoff_and_meeting(hub, org, now)
    return issue_token(hub.unit_of_work(), hub.clock, DEMO_ADMIN)
