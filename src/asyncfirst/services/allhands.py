"""Use case: the options for an all-hands across zones that share no common hour.

Three formats, each with its cost in out-of-hours minutes and the reason to prefer it:

- **rotation**: one live slot a week for ``ROTATION_WEEKS`` weeks, chosen as a series by
  ``scheduling.rotation.plan_rotation`` so the out-of-hours burden is spread across zones
  (the worst-off zone's cost as low as possible), and the burden per team over the series
  against the cheapest slot every week;
- **relay**: regional sessions that each fall inside hours, plus an async recap;
- **async**: a recorded briefing and written Q&A, each team answering within its
  respond-by, counted in its own working time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from asyncfirst.domain.model import Organisation
from asyncfirst.domain.worktime import add_working_minutes
from asyncfirst.scheduling.relay import RelayPlan, plan_relay
from asyncfirst.scheduling.rotation import (
    Rotation,
    SeriesSlot,
    SeriesTotals,
    plan_rotation,
    week_grids,
)
from asyncfirst.scheduling.slots import Candidate

__all__ = ["ROTATION_WEEKS", "AllHands", "AsyncDue", "RotationSlot", "all_hands_options"]

ROTATION_WEEKS = 6  # from four weeks on, spreading the burden beats the cheapest slot


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


def _fairness(totals: SeriesTotals) -> dict[str, Any]:
    return {
        "worst_zone": totals.worst_zone.zone,
        "worst_zone_cost_per_member": round(totals.worst_zone.cost_per_member, 2),
        "spread_cost_per_member": round(totals.spread, 2),
        "coefficient_of_variation": round(totals.coefficient_of_variation, 4),
    }


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
    series: Rotation

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
                "fairness": _fairness(self.series.rotation),
                "always_best_slot_fairness": _fairness(self.series.baseline),
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


def _burden(org: Organisation, slot: SeriesSlot) -> dict[str, float]:
    """Team id -> out-of-hours minutes per member (anyone the slot blocks counts 0)."""
    per_team: dict[str, list[float]] = defaultdict(list)
    for cost in slot.attendees:
        minutes = cost.outside_minutes if cost.blocked is None else 0.0
        per_team[org.person(cost.person_id).team_id].append(minutes)
    return {team: round(sum(v) / len(v), 1) for team, v in per_team.items()}


def _candidate(slot: SeriesSlot) -> Candidate:
    costs = [c.cost for c in slot.attendees if c.blocked is None]
    return Candidate(slot.interval, slot.attendees, sum(costs), max(costs, default=0.0))


def _series_burden(org: Organisation, slots: Sequence[SeriesSlot]) -> dict[str, float]:
    burdens = [_burden(org, s) for s in slots]
    return {t.id: round(sum(b.get(t.id, 0.0) for b in burdens), 1) for t in org.teams}


def all_hands_options(
    org: Organisation, week: date, duration_minutes: int = 60, weeks: int = ROTATION_WEEKS
) -> AllHands:
    """The all-hands of everyone in ``org``, weekly for ``weeks`` weeks from Monday ``week``."""
    people = [p for t in org.teams for p in org.members(t.id)]
    mondays = [week + timedelta(weeks=n) for n in range(weeks)]
    grids = week_grids(people, duration_minutes, mondays)
    # greedy for the tour (no solver to load, so it starts in well under 2 s);
    # `asyncfirst series` solves the same series exactly with CP-SAT
    series = plan_rotation(people, duration_minutes, mondays, grids=grids, exact=False)
    rotation = tuple(RotationSlot(_candidate(s), _burden(org, s)) for s in series.rotation.slots)
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
        len(people),
        rotation,
        _series_burden(org, series.rotation.slots),
        _series_burden(org, series.baseline.slots),
        plan_relay(people, grids[0].rows) if not series.all_inside else None,
        briefing.astimezone(first_team.schedule.tz),
        dues,
        series.all_inside,
        series,
    )
