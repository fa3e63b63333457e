"""The burden ledger: who has carried the out-of-hours inconvenience in earlier weeks.

The planner adds it to this week's inconvenience in its fairness terms, so the worst-off
person and zone are judged over the whole horizon and the late slot rotates across weeks
("fair over time, not just once"). The ledger is plain data: ``to_dict``/``from_dict``
give the JSON shape, and the service reads and writes the file.

Units: inconvenience as in ``bands`` (a night minute is 10), per person and per zone
(the zone's total over its people). Zones are compared per member (``zone_points``): the
zone that has carried the least per member takes the next unavoidable late slot (see
``constraints.rotation_prices``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from asyncfirst.domain.model import Organisation
from asyncfirst.scheduling.constraints import COST_SCALE
from asyncfirst.scheduling.plan import Plan

__all__ = ["BurdenLedger", "WeekRecord"]


@dataclass(frozen=True, slots=True)
class WeekRecord:
    """One week of one series: which teams carried out-of-hours minutes in it."""

    week: str
    out_of_hours_teams: tuple[str, ...]


def _frozen(data: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(data))


@dataclass(frozen=True)
class BurdenLedger:
    """Cumulative inconvenience per person and zone, the weeks counted, and per request
    the occurrences held and who carried the out-of-hours burden each week."""

    person: Mapping[str, float] = field(default_factory=dict)
    zone: Mapping[str, float] = field(default_factory=dict)
    weeks: tuple[str, ...] = ()
    history: Mapping[str, tuple[WeekRecord, ...]] = field(default_factory=dict)

    def held(self, request_id: str) -> int:
        """How many occurrences of the request earlier weeks held."""
        return len(self.history.get(request_id, ()))

    def carried(self, person_id: str) -> float:
        return self.person.get(person_id, 0.0)

    def zone_points(self, org: Organisation) -> tuple[dict[str, int], dict[str, int]]:
        """Each zone's carried burden in objective points, and its members in ``org``: what
        the planner, ``greedy.objective_of`` and the validator rank zones by."""
        size: dict[str, int] = {}
        for person in org.people:
            size[person.zone] = size.get(person.zone, 0) + 1
        return {z: round(v * COST_SCALE) for z, v in self.zone.items()}, size

    def updated(self, plan: Plan, org: Organisation) -> BurdenLedger:
        """This ledger with the burden of ``plan``'s week added (each week counted once)."""
        week = plan.week.isoformat()
        if week in self.weeks:
            raise ValueError(f"the week of {week} is already in the burden ledger")
        person, zone = dict(self.person), dict(self.zone)
        history = {k: list(v) for k, v in self.history.items()}
        for placement in plan.placements:
            teams: dict[str, None] = {}
            for person_id, cost in placement.burden:
                who = org.person(person_id)
                person[person_id] = round(person.get(person_id, 0.0) + cost, 2)
                zone[who.zone] = round(zone.get(who.zone, 0.0) + cost, 2)
                if cost > 0:
                    teams.setdefault(who.team_id, None)
            record = WeekRecord(week, tuple(teams))
            history.setdefault(placement.request_id, []).append(record)
        return BurdenLedger(
            _frozen(person),
            _frozen(zone),
            (*self.weeks, week),
            _frozen({k: tuple(v) for k, v in history.items()}),
        )

    def streak(self, request_id: str, team_id: str) -> int:
        """Consecutive latest recorded occurrences of the request in which ``team_id`` was
        out of hours."""
        count = 0
        for record in reversed(self.history.get(request_id, ())):
            if team_id not in record.out_of_hours_teams:
                break
            count += 1
        return count

    def to_dict(self) -> dict[str, Any]:
        return {
            "weeks": list(self.weeks),
            "person": dict(sorted(self.person.items())),
            "zone": dict(sorted(self.zone.items())),
            "history": {
                request: [
                    {"week": r.week, "out_of_hours_teams": list(r.out_of_hours_teams)}
                    for r in records
                ]
                for request, records in sorted(self.history.items())
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BurdenLedger:
        """Read the JSON shape of ``to_dict``; raises ``ValueError`` on anything else."""
        try:
            history = {
                str(request): tuple(
                    WeekRecord(str(r["week"]), tuple(str(t) for t in r["out_of_hours_teams"]))
                    for r in records
                )
                for request, records in dict(data.get("history", {})).items()
            }
            return cls(
                _frozen({str(k): float(v) for k, v in dict(data.get("person", {})).items()}),
                _frozen({str(k): float(v) for k, v in dict(data.get("zone", {})).items()}),
                tuple(str(w) for w in data.get("weeks", [])),
                _frozen(history),
            )
        except (TypeError, KeyError, AttributeError) as exc:
            raise ValueError(f"not a burden ledger: {exc}") from exc
