"""Use case: fill an empty hub with the demo organisation, a few threads and an admin token.

``asyncfirst serve`` runs it on first start. The threads are posted a few hours to a
day and a half before now, so that some are due soon and the queue has something to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from asyncfirst.domain.model import Organisation
from asyncfirst.services.access import Actor, Role
from asyncfirst.services.charter_records import CharterUnitOfWork
from asyncfirst.services.charter_sync import apply_charter
from asyncfirst.services.hub_ports import HubContext
from asyncfirst.services.threads import post_thread
from asyncfirst.services.tokens import IssuedToken, grant_roles, issue_token

__all__ = ["DEMO_ADMIN", "DEMO_ROLES", "DEMO_THREADS", "applied_source", "seed_demo"]

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


def seed_demo(charter_uow: CharterUnitOfWork, hub: HubContext, org: Organisation) -> IssuedToken:
    """Apply the demo charter, grant the demo roles, post the demo threads; the admin's token."""
    now = hub.clock.now()
    apply_charter(org, "demo", uow=charter_uow, clock=hub.clock, changed_by="asyncfirst serve",
                  reason="first start: demo organisation")  # fmt: skip
    for person, role in DEMO_ROLES:
        grant_roles(hub.unit_of_work(), hub.clock, person, [role])
    for hours_ago, author, team, kind, title, body in DEMO_THREADS:
        at = _At(now - timedelta(hours=hours_ago))
        post_thread(hub.unit_of_work(), at, org, Actor(author), team, kind, title, body)
    return issue_token(hub.unit_of_work(), hub.clock, DEMO_ADMIN)
