"""Check-ins as people read them, and the only functions that read them.

Privacy is enforced here, in the query layer, so no route can leak one person's answer:

- ``team_feed``: the team's answers and blockers; the rows come from storage without mood
  or day mode (``FeedRow``), and only the actor's own rows get theirs back
  (``mood.read`` in ``services/access.py``).
- ``my_checkins``: the actor's own check-ins, with their mood and day mode.
- ``team_mood``: the mean and distribution of the members' latest moods, through
  ``analytics.privacy.gate``: over fewer people than the policy's threshold (five unless
  configured, never below three) nothing is computed and the answer says why.

**Blockers carried forward.** A blocker stays on the team's feed (``open_blockers``) from
the first check-in that names it until its author posts a check-in with no blockers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from typing import Any

from asyncfirst.analytics.privacy import Gated, PrivacyPolicy, gate
from asyncfirst.domain.checkins import MOOD_RANGE
from asyncfirst.services.access import Action, Actor, PersonRef, TeamRef, can, not_found, require
from asyncfirst.services.checkin_ports import BlockerRow, FeedRow, OwnCheckin
from asyncfirst.services.hub_ports import HubUnitOfWork
from asyncfirst.services.ports import Clock
from asyncfirst.services.thread_views import utc_text

__all__ = [
    "CheckinView",
    "MoodSummary",
    "OpenBlocker",
    "TeamFeed",
    "TeamMood",
    "my_checkins",
    "own_checkin",
    "team_feed",
    "team_mood",
]

FEED_DAYS = 7
MINE_DAYS = 28
MOOD_DAYS = 7


def _row(row: FeedRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "team": row.team,
        "person": {"id": row.person, "name": row.name},
        "local_date": row.local_date.isoformat(),
        "zone": row.zone,
        "answers": dict(row.answers),
        "blockers": row.blockers or None,
        "created_at": utc_text(row.created_at),
        "updated_at": utc_text(row.updated_at) if row.updated_at else None,
    }


@dataclass(frozen=True, slots=True)
class CheckinView:
    """One's own check-in, with the private mood and day mode."""

    own: OwnCheckin
    created: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {**_row(self.own.row), "mood": self.own.mood, "day_mode": self.own.day_mode}


@dataclass(frozen=True, slots=True)
class OpenBlocker:
    person: str
    name: str
    since: date
    latest: date
    blockers: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "person": {"id": self.person, "name": self.name},
            "since": self.since.isoformat(),
            "local_date": self.latest.isoformat(),
            "blockers": self.blockers,
        }


def _open_blockers(rows: Sequence[BlockerRow]) -> list[OpenBlocker]:
    """One entry per author: the latest blockers, carried since the first of the run."""
    runs: dict[str, list[BlockerRow]] = {}
    for row in rows:
        runs.setdefault(row.person, []).append(row)
    return [
        OpenBlocker(run[-1].person, run[-1].name, run[0].local_date, run[-1].local_date,
                    run[-1].blockers)
        for run in runs.values()
    ]  # fmt: skip


@dataclass(frozen=True, slots=True)
class TeamFeed:
    team: str
    since: date
    rows: tuple[FeedRow, ...]
    mine: tuple[OwnCheckin, ...]  # the actor's own rows among them, with mood
    blockers: tuple[OpenBlocker, ...]

    def to_dict(self) -> dict[str, Any]:
        own = {o.row.id: o for o in self.mine}
        return {
            "team": self.team,
            "since": self.since.isoformat(),
            "checkins": [
                CheckinView(own[r.id]).to_dict() if r.id in own else _row(r) for r in self.rows
            ],
            "open_blockers": [b.to_dict() for b in self.blockers],
        }


@dataclass(frozen=True, slots=True)
class MoodSummary:
    mean: float
    distribution: dict[int, int]


def _summary(moods: list[int]) -> MoodSummary:
    return MoodSummary(round(sum(moods) / len(moods), 2), {m: moods.count(m) for m in MOOD_RANGE})


@dataclass(frozen=True, slots=True)
class TeamMood:
    team: str
    days: int
    gated: Gated[MoodSummary]

    def to_dict(self) -> dict[str, Any]:
        g = self.gated
        value = g.value
        return {
            "team": self.team,
            "days": self.days,
            "people": g.people,
            "min_group": g.min_group,
            "withheld": None if g.released else g.note,
            "mean": value.mean if value else None,
            "distribution": ({str(k): n for k, n in value.distribution.items()} if value else None),
        }


def _since(clock: Clock, days: int) -> date:
    """The first local day counted: ``days`` days back, a day earlier for the zones ahead."""
    return (clock.now().astimezone(UTC) - timedelta(days=days)).date()


def _readable_team(uow: HubUnitOfWork, actor: Actor, team: str, action: Action) -> None:
    if not uow.threads.team_exists(team):
        raise not_found(TeamRef(team))
    require(actor, action, TeamRef(team))


def _mine(uow: HubUnitOfWork, actor: Actor, since: date) -> list[OwnCheckin]:
    return [
        o
        for o in uow.checkins.own(actor.person_id, since)
        if can(actor, "mood.read", PersonRef(o.row.person, o.row.team))
    ]


def own_checkin(
    uow: HubUnitOfWork, actor: Actor, local_date: date, checkin_id: int, created: bool
) -> CheckinView:
    """The actor's check-in just saved, read back inside the same unit of work."""
    for own in _mine(uow, actor, local_date):
        if own.row.id == checkin_id:
            return CheckinView(own, created)
    raise RuntimeError(f"check-in {checkin_id} vanished")  # pragma: no cover


def my_checkins(
    uow: HubUnitOfWork, clock: Clock, actor: Actor, days: int = MINE_DAYS
) -> list[CheckinView]:
    """The actor's own check-ins of the last ``days`` days, newest first, with mood."""
    with uow:
        require(actor, "me.read")
        return [CheckinView(o) for o in _mine(uow, actor, _since(clock, days))]


def team_feed(
    uow: HubUnitOfWork, clock: Clock, actor: Actor, team: str, days: int = FEED_DAYS
) -> TeamFeed:
    """The team's check-ins of the last ``days`` days and its open blockers; no one's mood
    but the actor's own."""
    since = _since(clock, days)
    with uow:
        _readable_team(uow, actor, team, "checkin.read")
        rows = uow.checkins.feed(team, since)
        mine = [o for o in _mine(uow, actor, since) if o.row.team == team]
        blockers = _open_blockers(uow.checkins.open_blockers(team))
    return TeamFeed(team, since, tuple(rows), tuple(mine), tuple(blockers))


def team_mood(
    uow: HubUnitOfWork,
    clock: Clock,
    actor: Actor,
    team: str,
    policy: PrivacyPolicy,
    days: int = MOOD_DAYS,
) -> TeamMood:
    """Mean and distribution of each member's latest mood of the last ``days`` days, gated."""
    with uow:
        _readable_team(uow, actor, team, "mood.team")
        moods = uow.checkins.latest_moods(team, clock.now() - timedelta(days=days))
    return TeamMood(team, days, gate(moods, _summary, policy))
