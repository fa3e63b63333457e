"""A relay: regional sessions that each fall inside working hours, plus an async recap.

When no time has every attendee inside working hours, the meeting can run as a relay
(PRODUCT.md, "Sync planner"). Attendees are grouped by time zone; groups are merged
greedily while the merged group still has a start time with everyone inside hours,
preferring the largest merged group (then the one with the most such times). Each group
then gets its best in-hours slot, chosen near the largest group's session so the
hand-over stays short, and the sessions are chained by a written recap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from asyncfirst.domain.intervals import Interval
from asyncfirst.domain.model import Person
from asyncfirst.scheduling.inconvenience import PersonCost

__all__ = ["GridRow", "RelayPlan", "RelaySession", "city", "plan_relay", "regional_groups"]

GridRow = tuple[Interval, Sequence[PersonCost]]
"""One candidate interval and every attendee's cost for it, in attendee order."""

Group = tuple[int, ...]


def city(zone: str) -> str:
    """ "America/New_York" → "New York"."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")


@dataclass(frozen=True, slots=True)
class RelaySession:
    """One regional session of a relay."""

    label: str
    interval: Interval
    attendees: tuple[PersonCost, ...]
    cost: float
    out_of_hours_minutes: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "start": self.interval.start.isoformat(),
            "end": self.interval.end.isoformat(),
            "cost": round(self.cost, 2),
            "out_of_hours_minutes": round(self.out_of_hours_minutes, 2),
            "attendees": [a.to_dict() for a in self.attendees],
        }


@dataclass(frozen=True, slots=True)
class RelayPlan:
    """Sessions in hand-over order, the recap that chains them, and what is left over."""

    sessions: tuple[RelaySession, ...]
    recap: str
    unplaced: tuple[str, ...] = ()

    @property
    def session_count(self) -> int:
        return len(self.sessions)

    @property
    def handover(self) -> tuple[str, ...]:
        return tuple(s.label for s in self.sessions)

    @property
    def out_of_hours_minutes(self) -> float:
        """Attendee-minutes outside working hours over all sessions; 0 for a valid relay."""
        return sum(s.out_of_hours_minutes for s in self.sessions)

    def to_dict(self) -> dict[str, Any]:
        return {
            "session_count": self.session_count,
            "handover": list(self.handover),
            "out_of_hours_minutes": round(self.out_of_hours_minutes, 2),
            "recap": self.recap,
            "unplaced": list(self.unplaced),
            "sessions": [s.to_dict() for s in self.sessions],
        }


def _inside_count(grid: Sequence[GridRow], group: Group) -> int:
    return sum(1 for _, costs in grid if all(costs[k].inside_hours for k in group))


def _zone_groups(people: Sequence[Person], grid: Sequence[GridRow]) -> list[Group]:
    by_zone: dict[str, list[int]] = {}
    for k, person in enumerate(people):
        by_zone.setdefault(person.zone, []).append(k)
    groups: list[Group] = []
    for members in by_zone.values():
        group = tuple(members)
        if len(group) == 1 or _inside_count(grid, group):
            groups.append(group)
        else:  # people of one zone who never share working time go alone
            groups.extend((k,) for k in group)
    return groups


def regional_groups(people: Sequence[Person], grid: Sequence[GridRow]) -> list[Group]:
    """Greedy merge of zone groups while the merged group can meet inside hours."""
    groups = _zone_groups(people, grid)
    while len(groups) > 1:
        best: tuple[tuple[int, int, int, int], Group] | None = None
        for i, a in enumerate(groups):
            for j in range(i + 1, len(groups)):
                merged = tuple(sorted(a + groups[j]))
                count = _inside_count(grid, merged)
                if count:
                    key = (-len(merged), -count, i, j)
                    if best is None or key < best[0]:
                        best = (key, merged)
        if best is None:
            break
        _, _, i, j = best[0]
        groups = [g for n, g in enumerate(groups) if n not in (i, j)] + [best[1]]
    return sorted(groups, key=lambda g: (-len(g), g))


def _label(people: Sequence[Person], group: Group) -> str:
    cities = list(dict.fromkeys(city(people[k].zone) for k in group))
    return " + ".join(cities)


def _session(
    people: Sequence[Person], group: Group, grid: Sequence[GridRow], anchor: Interval | None
) -> RelaySession | None:
    def cost(row: GridRow) -> float:
        return sum(row[1][k].cost for k in group)

    def distance(row: GridRow) -> timedelta:
        return abs(row[0].start - anchor.start) if anchor is not None else timedelta(0)

    usable = [row for row in grid if all(row[1][k].blocked is None for k in group)]
    inside = [row for row in usable if all(row[1][k].inside_hours for k in group)]
    pool = inside or usable
    if not pool:
        return None
    interval, costs = min(pool, key=lambda row: (cost(row), distance(row), row[0].start))
    members = tuple(costs[k] for k in group)
    return RelaySession(
        label=_label(people, group),
        interval=interval,
        attendees=members,
        cost=sum(m.cost for m in members),
        out_of_hours_minutes=sum(m.outside_minutes for m in members),
    )


def _recap(sessions: Sequence[RelaySession]) -> str:
    if not sessions:
        return "No session could be placed; run this meeting async."
    steps = " → ".join(f"{s.label} ({s.interval.start:%a %H:%M} UTC)" for s in sessions)
    return (
        f"Hand-over: {steps} → everyone. Each session posts a written recap (decisions, "
        "open questions, owners) in the hub before its region signs off; the next session "
        "starts from it, and the last recap closes the loop for all attendees."
    )


def plan_relay(people: Sequence[Person], grid: Sequence[GridRow]) -> RelayPlan:
    """A relay over the candidate ``grid`` (rows of costs in ``people`` order)."""
    sessions: list[RelaySession] = []
    unplaced: list[str] = []
    anchor: Interval | None = None
    for group in regional_groups(people, grid):
        session = _session(people, group, grid, anchor)
        if session is None:
            unplaced.extend(people[k].name for k in group)
            continue
        anchor = anchor or session.interval
        sessions.append(session)
    ordered = tuple(sorted(sessions, key=lambda s: s.interval.start))
    return RelayPlan(sessions=ordered, recap=_recap(ordered), unplaced=tuple(unplaced))
