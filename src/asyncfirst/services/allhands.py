"""Use case: the options for an all-hands across zones that share no common hour.

Three formats, each with its cost in out-of-hours minutes and the reason to prefer it:

- **rotation**: the least-bad live slots, chosen so that a different team carries the
  out-of-hours burden each week, and the burden per team over one rotation;
- **relay**: regional sessions that each fall inside hours, plus an async recap;
- **async**: a recorded briefing and written Q&A, each team answering within its
  respond-by, counted in its own working time.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from asyncfirst.domain.model import Organisation
from asyncfirst.domain.worktime import add_working_minutes
from asyncfirst.scheduling.relay import RelayPlan
from asyncfirst.scheduling.slots import Candidate
from asyncfirst.services.slots import find_slots

__all__ = ["AllHands", "AsyncDue", "RotationSlot", "all_hands_options"]

_SEARCH_LIMIT = 400  # candidates examined for distinct burden patterns


@dataclass(frozen=True)
class RotationSlot:
    candidate: Candidate
    burden: dict[str, float]  # team id -> out-of-hours minutes per member

    @property
    def burdened(self) -> tuple[str, ...]:
        return tuple(t for t, minutes in self.burden.items() if minutes > 0)


@dataclass(frozen=True)
class AsyncDue:
    team: str
    zone: str
    due: datetime


@dataclass(frozen=True)
class AllHands:
    duration_minutes: int
    people: int
    rotation: tuple[RotationSlot, ...]
    rotation_burden: dict[str, float]  # team -> out-of-hours minutes per member over a rotation
    fixed_burden: dict[str, float]  # as many weeks, always at the single cheapest slot
    relay: RelayPlan | None
    briefing_at: datetime
    async_dues: tuple[AsyncDue, ...]
    all_inside: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "duration_minutes": self.duration_minutes,
            "people": self.people,
            "all_inside": self.all_inside,
            "rotation": {
                "slots": [
                    {**slot.candidate.to_dict(), "burden_minutes_per_member": slot.burden}
                    for slot in self.rotation
                ],
                "burden_minutes_per_member": self.rotation_burden,
                "always_best_slot_burden_minutes_per_member": self.fixed_burden,
            },
            "relay": self.relay.to_dict() if self.relay else None,
            "async": {
                "briefing_at": self.briefing_at.isoformat(),
                "out_of_hours_minutes": 0,
                "answers_due": [
                    {"team": d.team, "zone": d.zone, "due": d.due.isoformat()}
                    for d in self.async_dues
                ],
            },
        }


def _burden(org: Organisation, candidate: Candidate) -> dict[str, float]:
    per_team: dict[str, list[float]] = defaultdict(list)
    for cost in candidate.attendees:
        per_team[org.person(cost.person_id).team_id].append(cost.outside_minutes)
    return {team: round(sum(v) / len(v), 1) for team, v in per_team.items()}


def _rotation(org: Organisation, candidates: tuple[Candidate, ...]) -> tuple[RotationSlot, ...]:
    """For each team, the cheapest slot in which that team carries the largest burden.

    Rotating through them hands the late (or early) turn to a different team each week
    instead of leaving it with the same zone every time.
    """
    best: dict[str, RotationSlot] = {}
    for candidate in candidates:  # cheapest first
        if any(c.blocked for c in candidate.attendees):
            continue
        slot = RotationSlot(candidate, _burden(org, candidate))
        if not slot.burdened:
            continue
        carrier = max(slot.burden, key=lambda team: slot.burden[team])
        best.setdefault(carrier, slot)
    return tuple(sorted(best.values(), key=lambda s: s.candidate.start))


def all_hands_options(org: Organisation, week: date, duration_minutes: int = 60) -> AllHands:
    """The all-hands of everyone in ``org`` during the week of Monday ``week``."""
    report = find_slots(
        org, [t.id for t in org.teams], duration_minutes, week, 5, limit=_SEARCH_LIMIT
    )
    search = report.search
    rotation = _rotation(org, search.candidates)
    teams = [t.id for t in org.teams]
    rotation_burden = {t: round(sum(s.burden.get(t, 0) for s in rotation), 1) for t in teams}
    cheapest = _burden(org, search.candidates[0]) if search.candidates else {}
    fixed = {t: round(cheapest.get(t, 0) * len(rotation), 1) for t in teams}
    first_team = org.teams[0]
    briefing = add_working_minutes(
        first_team.schedule, datetime(week.year, week.month, week.day, tzinfo=UTC), 0.0001
    ).replace(second=0, microsecond=0)
    dues = tuple(
        AsyncDue(
            t.id,
            t.zone,
            add_working_minutes(t.schedule, briefing, t.respond_by_hours * 60).astimezone(
                t.schedule.tz
            ),
        )
        for t in org.teams
    )
    return AllHands(
        duration_minutes,
        len(report.attendees),
        rotation,
        rotation_burden,
        fixed,
        search.relay,
        briefing.astimezone(first_team.schedule.tz) + timedelta(0),
        dues,
        search.all_inside,
    )
