"""Authorisation, decided here and nowhere else: who may do what to which resource.

Roles: ``org_admin`` (everything), ``team_lead`` of a team (what its members may, plus
issuing tokens for them), and ``member`` of the team the charter puts a person in (implied,
never stored). The rules, one line each:

    action            resource    allowed for
    me.read           –           every actor
    route.use         –           every actor
    team.post         TeamRef     every actor: asking another team is the point of the hub
    team.read         TeamRef     org admin, the team's lead, its members
    thread.read       ThreadRef   those who may read its team, its author, its recipients
    thread.reply      ThreadRef   the same as thread.read
    decision.open     TeamRef     every actor, as team.post
    decision.read     DecisionRef those who may read its team, its author, its deciders
    decision.respond  DecisionRef its deciders only
    decision.withdraw DecisionRef its author, its team's lead, an org admin
    token.issue       PersonRef   the person themself only: a token for someone else would
                                  read their mood (``mood.read``); operators use
                                  ``asyncfirst user issue-token`` on the server
    token.revoke      TokenRef    the token's person, an org admin
    checkin.post      TeamRef     the team's members only (a check-in goes to one's own team)
    checkin.read      TeamRef     as team.read (answers and blockers; never mood or day mode)
    mood.read         PersonRef   the person themself only: not their lead, not an org admin
    mood.team         TeamRef     as team.read, and only ever as an aggregate that passed
                                  ``analytics.privacy.gate`` (``services/checkin_views.py``)
    handoff.post      TeamRef     the team's members only (a hand-off leaves one's own team)
    handoff.list      TeamRef     as team.read (a team's hand-offs, in or out)
    handoff.read      HandoffRef  those who may read its sending or its receiving team
    handoff.ack       HandoffRef  the receiving team's members only
    pulse.answer      TeamRef     the team's members only (one answers for one's own team)
    pulse.results     TeamRef     as team.read, and only ever as counts that passed
                                  ``analytics.privacy.gate`` (``services/pulse_views.py``)
    band.recalibrate  TeamRef     the team's lead, an org admin
    meeting.schedule  TeamRef     as team.read (its members, its lead, an org admin)
    meeting.read      MeetingRef  its organiser, its attendees, those who may read its team
    meeting.cancel    MeetingRef  its organiser, its team's lead, an org admin
    meeting.list      PersonRef   the person themself, their team's lead, an org admin
    decision.meeting  DecisionRef its deciders only (confirm an escalation's proposed slot)
    feed.issue        PersonRef   the person themself only: a feed secret shows their calendar
    webhook.manage    TeamRef     the team's lead, an org admin (add or list a team's webhooks)
    webhook.edit      WebhookRef  the same: remove one, read its delivery log

A refused ``team.read``/``thread.*``/``decision.read``/``checkin.read``/``mood.team``/
``handoff.list``/``handoff.read``/``pulse.results``/``meeting.schedule``/``meeting.read``/
``meeting.list``/``webhook.edit``/``token.revoke`` raises ``NotFoundError`` worded exactly
like a missing one, so nobody learns what another team holds; any other refusal raises
``ForbiddenError``
(a decider-only or author-only action on a visible decision, acknowledging a visible hand-off sent to another team,
recalibrating a team's band as one of its members: 403).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

from asyncfirst.domain.access_errors import ForbiddenError, NotFoundError

__all__ = [
    "HIDDEN_ACTIONS",
    "Action",
    "Actor",
    "DecisionRef",
    "HandoffRef",
    "MeetingRef",
    "PersonRef",
    "Role",
    "RoleName",
    "TeamRef",
    "ThreadRef",
    "TokenRef",
    "WebhookRef",
    "can",
    "not_found",
    "require",
]

RoleName = Literal["org_admin", "team_lead", "member"]
Action = Literal[
    "me.read", "route.use", "team.post", "team.read", "thread.read", "thread.reply", "token.issue",
    "token.revoke",
    "decision.open", "decision.read", "decision.respond", "decision.withdraw",
    "checkin.post", "checkin.read", "mood.read", "mood.team",
    "handoff.post", "handoff.list", "handoff.read", "handoff.ack",
    "pulse.answer", "pulse.results", "band.recalibrate",
    "meeting.schedule", "meeting.read", "meeting.cancel", "meeting.list", "decision.meeting",
    "feed.issue", "webhook.manage", "webhook.edit",
]  # fmt: skip
HIDDEN_ACTIONS: frozenset[Action] = frozenset(
    {
        "team.read", "thread.read", "thread.reply", "decision.read", "checkin.read", "mood.team",
        "handoff.list", "handoff.read", "pulse.results", "meeting.schedule", "meeting.read",
        "meeting.list", "webhook.edit", "token.revoke",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Role:
    name: RoleName
    team: str | None = None  # the team of a team_lead or member; None for org_admin

    def label(self) -> str:
        return self.name if self.team is None else f"{self.name}:{self.team}"


@dataclass(frozen=True, slots=True)
class Actor:
    """An authenticated person (by charter id) and the roles they hold."""

    person_id: str
    roles: frozenset[Role] = field(default_factory=frozenset)

    @property
    def is_admin(self) -> bool:
        return Role("org_admin") in self.roles

    def leads(self, team: str) -> bool:
        return Role("team_lead", team) in self.roles

    def belongs_to(self, team: str) -> bool:
        return Role("member", team) in self.roles


@dataclass(frozen=True, slots=True)
class TeamRef:
    key: str


@dataclass(frozen=True, slots=True)
class ThreadRef:
    id: int
    team: str
    author: str
    recipients: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class DecisionRef:
    id: int
    team: str
    author: str
    deciders: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class HandoffRef:
    id: int
    from_team: str
    to_team: str


@dataclass(frozen=True, slots=True)
class MeetingRef:
    id: int
    team: str
    organiser: str
    attendees: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class PersonRef:
    key: str
    team: str


@dataclass(frozen=True, slots=True)
class WebhookRef:
    id: int
    team: str


@dataclass(frozen=True, slots=True)
class TokenRef:
    prefix: str
    person: str


Resource: TypeAlias = (
    TeamRef | ThreadRef | DecisionRef | HandoffRef | MeetingRef | PersonRef | WebhookRef
    | TokenRef | None
)  # fmt: skip


def _reads_team(actor: Actor, team: str) -> bool:
    return actor.is_admin or actor.leads(team) or actor.belongs_to(team)


def _reads_thread(actor: Actor, thread: Resource) -> bool:
    if not isinstance(thread, ThreadRef):
        return False
    involved = actor.person_id == thread.author or actor.person_id in thread.recipients
    return involved or _reads_team(actor, thread.team)


def _reads_decision(actor: Actor, decision: Resource) -> bool:
    if not isinstance(decision, DecisionRef):
        return False
    involved = actor.person_id == decision.author or actor.person_id in decision.deciders
    return involved or _reads_team(actor, decision.team)


def _decides(actor: Actor, decision: Resource) -> bool:
    return isinstance(decision, DecisionRef) and actor.person_id in decision.deciders


def _withdraws(actor: Actor, decision: Resource) -> bool:
    if not isinstance(decision, DecisionRef):
        return False
    return actor.person_id == decision.author or actor.is_admin or actor.leads(decision.team)


def _reads_handoff(actor: Actor, handoff: Resource) -> bool:
    if not isinstance(handoff, HandoffRef):
        return False
    return _reads_team(actor, handoff.from_team) or _reads_team(actor, handoff.to_team)


def _acknowledges(actor: Actor, handoff: Resource) -> bool:
    return isinstance(handoff, HandoffRef) and actor.belongs_to(handoff.to_team)


def _reads_meeting(actor: Actor, meeting: Resource) -> bool:
    if not isinstance(meeting, MeetingRef):
        return False
    involved = actor.person_id == meeting.organiser or actor.person_id in meeting.attendees
    return involved or _reads_team(actor, meeting.team)


def _cancels_meeting(actor: Actor, meeting: Resource) -> bool:
    if not isinstance(meeting, MeetingRef):
        return False
    return actor.person_id == meeting.organiser or actor.is_admin or actor.leads(meeting.team)


def _is_themself(actor: Actor, person: Resource) -> bool:
    return isinstance(person, PersonRef) and actor.person_id == person.key


def _themself_lead_or_admin(actor: Actor, person: Resource) -> bool:
    if not isinstance(person, PersonRef):
        return False
    return actor.person_id == person.key or actor.is_admin or actor.leads(person.team)


_RULES: dict[Action, Callable[[Actor, Resource], bool]] = {
    "me.read": lambda _actor, _resource: True,
    "route.use": lambda _actor, _resource: True,
    "team.post": lambda _actor, resource: isinstance(resource, TeamRef),
    "team.read": lambda actor, r: isinstance(r, TeamRef) and _reads_team(actor, r.key),
    "thread.read": _reads_thread,
    "thread.reply": _reads_thread,
    "token.issue": _is_themself,
    "token.revoke": lambda actor, r: (
        isinstance(r, TokenRef) and (actor.person_id == r.person or actor.is_admin)
    ),
    "decision.open": lambda _actor, resource: isinstance(resource, TeamRef),
    "decision.read": _reads_decision,
    "decision.respond": _decides,
    "decision.withdraw": _withdraws,
    "checkin.post": lambda actor, r: isinstance(r, TeamRef) and actor.belongs_to(r.key),
    "checkin.read": lambda actor, r: isinstance(r, TeamRef) and _reads_team(actor, r.key),
    "mood.read": lambda actor, r: isinstance(r, PersonRef) and actor.person_id == r.key,
    "mood.team": lambda actor, r: isinstance(r, TeamRef) and _reads_team(actor, r.key),
    "handoff.post": lambda actor, r: isinstance(r, TeamRef) and actor.belongs_to(r.key),
    "handoff.list": lambda actor, r: isinstance(r, TeamRef) and _reads_team(actor, r.key),
    "handoff.read": _reads_handoff,
    "handoff.ack": _acknowledges,
    "pulse.answer": lambda actor, r: isinstance(r, TeamRef) and actor.belongs_to(r.key),
    "pulse.results": lambda actor, r: isinstance(r, TeamRef) and _reads_team(actor, r.key),
    "band.recalibrate": lambda actor, r: (
        isinstance(r, TeamRef) and (actor.is_admin or actor.leads(r.key))
    ),
    "meeting.schedule": lambda actor, r: isinstance(r, TeamRef) and _reads_team(actor, r.key),
    "meeting.read": _reads_meeting,
    "meeting.cancel": _cancels_meeting,
    "meeting.list": _themself_lead_or_admin,
    "decision.meeting": _decides,
    "feed.issue": _is_themself,
    "webhook.manage": lambda actor, r: (
        isinstance(r, TeamRef) and (actor.is_admin or actor.leads(r.key))
    ),
    "webhook.edit": lambda actor, r: (
        isinstance(r, WebhookRef) and (actor.is_admin or actor.leads(r.team))
    ),
}


def can(actor: Actor, action: Action, resource: Resource = None) -> bool:
    """Whether ``actor`` may perform ``action`` on ``resource``."""
    return _RULES[action](actor, resource)


def not_found(resource: Resource) -> NotFoundError:
    """The error for a missing resource; a hidden one gets exactly the same."""
    if isinstance(resource, TeamRef):
        return NotFoundError(f'team "{resource.key}" not found', resource="team", id=resource.key)
    if isinstance(resource, ThreadRef):
        return NotFoundError(f"thread {resource.id} not found", resource="thread", id=resource.id)
    if isinstance(resource, DecisionRef):
        return NotFoundError(
            f"decision {resource.id} not found", resource="decision", id=resource.id
        )
    if isinstance(resource, HandoffRef):
        return NotFoundError(
            f"hand-off {resource.id} not found", resource="handoff", id=resource.id
        )
    if isinstance(resource, MeetingRef):
        return NotFoundError(f"meeting {resource.id} not found", resource="meeting", id=resource.id)
    if isinstance(resource, PersonRef):
        return NotFoundError(
            f'person "{resource.key}" not found', resource="person", id=resource.key
        )
    if isinstance(resource, WebhookRef):
        return NotFoundError(f"webhook {resource.id} not found", resource="webhook", id=resource.id)
    if isinstance(resource, TokenRef):
        return NotFoundError(
            f'token "{resource.prefix}" not found', resource="token", id=resource.prefix
        )
    return NotFoundError("not found")


def require(actor: Actor, action: Action, resource: Resource = None) -> None:
    """Return if allowed; else raise ``NotFoundError`` (hidden actions) or ``ForbiddenError``."""
    if can(actor, action, resource):
        return
    if action in HIDDEN_ACTIONS:
        raise not_found(resource)
    raise ForbiddenError(
        f"{actor.person_id} may not {action.replace('.', ' ')}"
        + (f" for {_describe(resource)}" if resource is not None else ""),
        action=action,
    )


def _describe(resource: Resource) -> str:
    if isinstance(resource, TeamRef):
        return f'team "{resource.key}"'
    if isinstance(resource, ThreadRef):
        return f"thread {resource.id}"
    if isinstance(resource, DecisionRef):
        return f"decision {resource.id}"
    if isinstance(resource, HandoffRef):
        return f"hand-off {resource.id}"
    if isinstance(resource, MeetingRef):
        return f"meeting {resource.id}"
    if isinstance(resource, PersonRef):
        return f'person "{resource.key}"'
    if isinstance(resource, WebhookRef):
        return f"webhook {resource.id}"
    if isinstance(resource, TokenRef):
        return f'token "{resource.prefix}"'
    return "this"
