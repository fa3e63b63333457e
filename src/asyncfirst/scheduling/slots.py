"""Fair start times for one meeting: every grid start in a horizon, costed and ranked.

A candidate is ``[start, start + duration)`` for each ``start`` on a grid of
``step_minutes`` aligned to UTC midnight, lying wholly inside the horizon. It is excluded
when any attendee is blocked (holiday, time off, meeting-free day, busy, daily sync cap;
see ``inconvenience``). The rest are ranked by (total cost, worst individual cost, start).
When no candidate has everyone inside working hours, the search says so, names the pairs
of zones that never meet, and proposes a relay.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from asyncfirst.domain.intervals import Interval, intersect_all, utc
from asyncfirst.domain.model import Person
from asyncfirst.scheduling.inconvenience import (
    PersonCost,
    PersonProfile,
    evaluate,
    format_minutes,
    person_profile,
)
from asyncfirst.scheduling.relay import GridRow, RelayPlan, city, plan_relay

__all__ = ["Candidate", "SlotSearch", "grid_starts", "rank_slots"]

_MAX_LISTED_EXCLUSIONS = 5


@dataclass(frozen=True, slots=True)
class Candidate:
    """One possible meeting time with every attendee's view of it."""

    interval: Interval
    attendees: tuple[PersonCost, ...]
    total_cost: float
    max_cost: float

    @property
    def start(self) -> datetime:
        return self.interval.start

    @property
    def end(self) -> datetime:
        return self.interval.end

    @property
    def all_inside(self) -> bool:
        return all(a.inside_hours for a in self.attendees)

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "total_cost": round(self.total_cost, 2),
            "max_cost": round(self.max_cost, 2),
            "all_inside": self.all_inside,
            "attendees": [a.to_dict() for a in self.attendees],
        }


@dataclass(frozen=True, slots=True)
class SlotSearch:
    """The ranked candidates (best first, at most ``limit``) and what they mean."""

    candidates: tuple[Candidate, ...]
    all_inside: bool
    explanation: str
    relay: RelayPlan | None
    considered: int
    possible: int
    inside_count: int
    exclusions: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "all_inside": self.all_inside,
            "explanation": self.explanation,
            "considered": self.considered,
            "possible": self.possible,
            "inside_count": self.inside_count,
            "exclusions": list(self.exclusions),
            "candidates": [c.to_dict() for c in self.candidates],
            "relay": self.relay.to_dict() if self.relay else None,
        }


def grid_starts(
    start: datetime, end: datetime, duration_minutes: int, step_minutes: int = 15
) -> list[datetime]:
    """Starts on the ``step_minutes`` grid (aligned to UTC midnight) that fit in the horizon."""
    if duration_minutes <= 0 or step_minutes <= 0 or 1440 % step_minutes:
        raise ValueError("duration must be positive and the step must divide a day")
    start, end = utc(start), utc(end)
    midnight = start.replace(hour=0, minute=0, second=0, microsecond=0)
    step, duration = timedelta(minutes=step_minutes), timedelta(minutes=duration_minutes)
    cursor = midnight + -((midnight - start) // step) * step
    result = []
    while cursor + duration <= end:
        result.append(cursor)
        cursor += step
    return result


def _people_phrase(n: int) -> str:
    return {1: "the 1 person", 2: "both people"}.get(n, f"all {n} people")


def _zone_conflicts(
    people: Sequence[Person],
    profiles: Sequence[PersonProfile],
    rows: Sequence[GridRow],
    horizon: Interval,
    duration: int,
) -> list[str]:
    """Pairs of zones whose people never share an in-hours start, in words."""
    zones: dict[str, list[int]] = {}
    for k, person in enumerate(people):
        zones.setdefault(person.zone, []).append(k)
    names = list(zones)
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1 :]] or [(names[0], names[0])]
    result = []
    for a, b in pairs:
        group = sorted(set(zones[a] + zones[b]))
        if any(all(costs[k].inside_hours for k in group) for _, costs in rows):
            continue
        shared = intersect_all([list(profiles[k].working.intervals) for k in group])
        shared = [iv for iv in (_clip(iv, horizon) for iv in shared) if iv is not None]
        where = f"{city(a)} and {city(b)}" if a != b else f"the people in {city(a)}"
        longest = max((iv.minutes for iv in shared), default=0.0)
        if not shared:
            result.append(f"{where} share no working hour")
        elif longest < duration:
            result.append(
                f"{where} share at most {format_minutes(longest)} of working time at once, "
                f"less than this {duration}-minute meeting"
            )
        else:
            result.append(f"{where} share working time, but all of it is ruled out")
    if not result and len(names) > 2:
        result.append("every two of their time zones share working time, but never all at once")
    return result


def _clip(iv: Interval, window: Interval) -> Interval | None:
    start, end = max(iv.start, window.start), min(iv.end, window.end)
    return Interval(start, end) if end > start else None


def _exclusions(rows: Sequence[GridRow]) -> tuple[str, ...]:
    """Each distinct reason that ruled times out, with the people it applies to."""
    names: dict[str, dict[str, None]] = {}
    for _, costs in rows:
        for cost in costs:
            if cost.blocked is not None:
                names.setdefault(cost.blocked, {}).setdefault(cost.name, None)
    return tuple(f"{', '.join(who)}: {reason}" for reason, who in names.items())


def _ruled_out(exclusions: Sequence[str]) -> str:
    if not exclusions:
        return ""
    shown = "; ".join(exclusions[:_MAX_LISTED_EXCLUSIONS])
    more = len(exclusions) - _MAX_LISTED_EXCLUSIONS
    return f" Ruled out: {shown}" + (f"; and {more} more." if more > 0 else ".")


def _explain(
    n: int,
    best: Candidate | None,
    inside_count: int,
    conflicts: list[str],
    relay: RelayPlan | None,
    exclusions: Sequence[str],
) -> str:
    return _headline(n, best, inside_count, conflicts, relay) + _ruled_out(exclusions)


def _relay_sentence(relay: RelayPlan | None) -> str:
    if relay is None or not relay.sessions:
        return ""
    sessions = f"A relay of {relay.session_count} sessions"
    if relay.unplaced:
        return f" {sessions} can include everyone but {', '.join(relay.unplaced)}."
    if relay.out_of_hours_minutes:
        return f" {sessions} still needs {format_minutes(relay.out_of_hours_minutes)} out of hours."
    return f" {sessions} keeps everyone inside working hours."


def _headline(
    n: int, best: Candidate | None, inside_count: int, conflicts: list[str], relay: RelayPlan | None
) -> str:
    everyone = _people_phrase(n)
    if best is None:
        return f"No time in this horizon is possible for {everyone}." + _relay_sentence(relay)
    if inside_count:
        when = f"{best.start:%a %d %b %H:%M} UTC"
        times = "time has" if inside_count == 1 else "times have"
        return (
            f"{inside_count} start {times} {everyone} inside their working hours; "
            f"the best is {when}."
        )
    why = "; ".join(conflicts) or "their working hours never meet in this horizon"
    text = f"No time in this horizon has {everyone} inside their working hours: {why}."
    return text + " The least-bad options are listed." + _relay_sentence(relay)


def rank_slots(
    people: Sequence[Person],
    duration_minutes: int,
    start: datetime,
    end: datetime,
    *,
    busy: Mapping[str, Sequence[Interval]] | None = None,
    already_sync_minutes: Mapping[tuple[str, date], int] | None = None,
    limit: int = 10,
    step_minutes: int = 15,
) -> SlotSearch:
    """Rank every grid start in ``[start, end)`` for a meeting of ``people``.

    ``busy`` maps person ids to busy intervals (a candidate overlapping them is excluded);
    ``already_sync_minutes`` maps (person id, local date) to sync minutes already booked,
    for the daily cap.
    """
    if not people:
        raise ValueError("a meeting needs at least one attendee")
    busy, already = busy or {}, already_sync_minutes or {}
    horizon = Interval(utc(start), utc(end))
    profiles = [person_profile(p, horizon.start, horizon.end, busy.get(p.id, ())) for p in people]
    booked = [{d: m for (pid, d), m in already.items() if pid == p.id} for p in people]
    duration = timedelta(minutes=duration_minutes)
    rows: list[GridRow] = []
    for s in grid_starts(horizon.start, horizon.end, duration_minutes, step_minutes):
        iv = Interval(s, s + duration)
        rows.append(
            (iv, tuple(evaluate(pr, iv, bk) for pr, bk in zip(profiles, booked, strict=True)))
        )
    possible = [
        Candidate(iv, tuple(costs), sum(c.cost for c in costs), max(c.cost for c in costs))
        for iv, costs in rows
        if all(c.blocked is None for c in costs)
    ]
    possible.sort(key=lambda c: (c.total_cost, c.max_cost, c.start))
    inside_count = sum(1 for c in possible if c.all_inside)
    relay = plan_relay(people, rows) if not inside_count and len(people) > 1 else None
    conflicts = (
        [] if inside_count else _zone_conflicts(people, profiles, rows, horizon, duration_minutes)
    )
    best = possible[0] if possible else None
    exclusions = _exclusions(rows)
    return SlotSearch(
        candidates=tuple(possible[: max(limit, 0)]),
        all_inside=inside_count > 0,
        explanation=_explain(len(people), best, inside_count, conflicts, relay, exclusions),
        relay=relay,
        considered=len(rows),
        possible=len(possible),
        inside_count=inside_count,
        exclusions=exclusions,
    )
