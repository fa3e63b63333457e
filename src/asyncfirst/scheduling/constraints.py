"""The rules of the week planner, one small named function each.

Two kinds of rule live here:

- **start rules** judge one candidate start for one person (a ``PersonCost``) and return
  the reason it is ruled out, or ``None``. The planner drops a start that breaks one for a
  required attendee before the solver sees it, keeps an optional attendee away from it,
  and the validator applies the very same functions to any plan;
- **model rules** add constraints or named penalty variables to a CP-SAT model. They only
  call methods of the model they are given, so this module imports no solver.

Objective units: one *point* is a quarter of a stretch minute, so ``COST_SCALE`` points
per unit of ``bands`` cost (a night minute is 40 points) and one point per focus minute
destroyed.

Fairness across zones has two terms. ``worst_zone`` prices the highest cumulative burden
per member of a zone (ledger + this week); on its own it is indifferent to *which* other
zone takes a late slot, and light against the sum of inconvenience, so the same zone
could take the unavoidable late slot week after week. ``zone_rotation`` takes turns: at
each candidate start of a meeting, each point of inconvenience of an attendee costs extra
points in proportion to where their zone stands among the meeting's invited zones, from
nothing for the least-burdened to ``ROTATION_WEIGHT`` for the most-burdened, by burden per
member: half by where the zone stood before the week (the ledger), half by where this
start would leave it (``rotation_prices``). The second half makes a zone that would
overshoot past another by taking the start pay more; the first keeps a zone that is
already ahead paying more than one that only just overtakes it. Every price is ≥ 0, so
the term never pays the planner to add inconvenience; it only decides who carries what
cannot be avoided, at up to 1 + ``ROTATION_WEIGHT`` times the cheapest total. Prices
depend on the start alone (not on the week's other meetings), so the term stays linear
and separable per seat.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any

from asyncfirst.domain.intervals import Interval, subtract
from asyncfirst.domain.requests import MeetingRequest
from asyncfirst.scheduling.bands import (
    DAY_OFF_WEIGHT,
    EARLY_LATE_WEIGHT,
    NIGHT_WEIGHT,
    STRETCH_WEIGHT,
    Bands,
    PersonCost,
    format_minutes,
)

__all__ = [
    "COST_SCALE",
    "FOCUS_STRETCH_MINUTES",
    "MISSING_OPTIONAL_WEIGHT",
    "ROTATION_WEIGHT",
    "UNPLACED_WEIGHT",
    "WORST_PERSON_WEIGHT",
    "WORST_ZONE_WEIGHT",
    "Seat",
    "fairness_terms",
    "focus_destroyed_term",
    "focus_minutes_destroyed",
    "free_in_calendar",
    "inconvenience_term",
    "missing_optional_term",
    "never_on_day_off",
    "no_double_booking",
    "on_allowed_day",
    "one_start_or_unplaced",
    "out_of_hours_cost",
    "protected_focus",
    "rotation_prices",
    "under_daily_cap",
    "under_weekly_cap",
    "within_hours_or_stretch",
    "zone_rotation_term",
]

COST_SCALE = 4
UNPLACED_WEIGHT = 10_000_000
MISSING_OPTIONAL_WEIGHT = 1_200  # 30 night minutes
WORST_PERSON_WEIGHT = 1
WORST_ZONE_WEIGHT = 2
ROTATION_WEIGHT = 4  # the most-burdened zone's points cost 5 × the least-burdened zone's
FOCUS_STRETCH_MINUTES = 120
_SLOT = timedelta(minutes=15)
_BUSY = "already busy at that time"
_EPSILON = 0.5

# --- start rules ---------------------------------------------------------------------


def on_allowed_day(request: MeetingRequest, cost: PersonCost, week: date) -> str | None:
    """A meeting starts and ends on a local weekday the request allows, inside the week."""
    start, last = cost.local_start, cost.local_end - timedelta(minutes=1)
    for moment in (start, last):
        if not week <= moment.date() < week + timedelta(days=7):
            return f"{cost.name}: {moment:%a %d %b} is outside the week of {week:%d %b}"
        if moment.weekday() not in request.days:
            return f"{cost.name}: {moment:%A} is not one of {request.days_label()}"
    return None


def never_on_day_off(cost: PersonCost) -> str | None:
    """Never on a person's public holiday, time off or meeting-free day."""
    if cost.blocked is None or cost.blocked == _BUSY:
        return None
    return f"{cost.name}: {cost.blocked}"


def free_in_calendar(cost: PersonCost) -> str | None:
    """Never over busy time from the person's imported calendar."""
    return f"{cost.name}: already busy in their calendar" if cost.blocked == _BUSY else None


def within_hours_or_stretch(request: MeetingRequest, cost: PersonCost) -> str | None:
    """Inside working time or the person's stretch allowance, unless the request sets
    ``allow_out_of_hours`` (then the minutes are priced as inconvenience instead)."""
    bands = cost.bands
    outside = bands.early_late + bands.night + bands.day_off
    if request.allow_out_of_hours or outside < _EPSILON:
        return None
    where = f"{cost.local_start:%a %H:%M} {cost.zone.rsplit('/', 1)[-1].replace('_', ' ')}"
    return f"{cost.name}: {where}, {cost.reason}, beyond working time and stretch allowance"


def protected_focus(cost: PersonCost) -> str | None:
    """Never over a focus block the person marked as protected."""
    minutes = cost.bands.protected_focus
    if minutes < _EPSILON:
        return None
    return f"{cost.name}: overlaps a protected focus block by {format_minutes(minutes)}"


def out_of_hours_cost(bands: Bands) -> float:
    """The inconvenience of a meeting: its minutes outside working time, weighted by band
    (stretch < early/late < night = day off), focus blocks excluded."""
    return (
        bands.stretch * STRETCH_WEIGHT
        + bands.early_late * EARLY_LATE_WEIGHT
        + bands.night * NIGHT_WEIGHT
        + bands.day_off * DAY_OFF_WEIGHT
    )


def _focus(pieces: Sequence[Interval]) -> float:
    return sum(p.minutes for p in pieces if p.minutes >= FOCUS_STRETCH_MINUTES)


def focus_minutes_destroyed(free: Sequence[Interval], meeting: Interval) -> float:
    """Focus minutes lost when ``meeting`` lands in ``free`` working time: a stretch of at
    least two hours that it breaks stops counting, except the pieces still two hours long."""
    hit = [p for p in free if p.overlaps(meeting)]
    return _focus(hit) - _focus(subtract(hit, [meeting]))


# --- model rules ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Seat:
    """A person's seat in one candidate start: 1 when the planner puts them there.

    ``cost`` (inconvenience) and ``focus`` are in objective points; ``local_days`` maps the
    person's local dates to the meeting's minutes on each; ``rotation`` is ``cost`` times
    the rotation price of the person's zone at this start (``rotation_prices``).
    """

    var: Any
    start: datetime
    end: datetime
    local_days: tuple[tuple[date, int], ...]
    cost: int = 0
    focus: int = 0
    rotation: int = 0

    @property
    def minutes(self) -> int:
        return sum(m for _, m in self.local_days)


def one_start_or_unplaced(model: Any, starts: Sequence[Any], unplaced: Any) -> None:
    """Each occurrence of a request takes exactly one start, or is marked unplaced."""
    model.add_exactly_one([*starts, unplaced])


def no_double_booking(model: Any, person: str, seats: Sequence[Seat]) -> None:
    """Nobody sits in two meetings at once: in every 15-minute slot, at most one seat.

    A slot whose seats all cover the next slot too (or the previous one, with more seats
    there) adds nothing, so only the maximal sets get a constraint: the maximal cliques of
    the seats' interval graph, a fraction of one per slot."""
    by_slot: dict[int, list[int]] = {}
    for index, seat in enumerate(seats):
        first = int(seat.start.timestamp()) // int(_SLOT.total_seconds())
        count = -(-(seat.end - seat.start) // _SLOT)
        for slot in range(first, first + count):
            by_slot.setdefault(slot, []).append(index)
    sets = {slot: frozenset(seated) for slot, seated in by_slot.items()}
    empty: frozenset[int] = frozenset()
    for slot, seated in sorted(sets.items()):
        if len(seated) < 2 or seated <= sets.get(slot + 1, empty):
            continue
        if seated < sets.get(slot - 1, empty):
            continue
        model.add_at_most_one([seats[i].var for i in sorted(seated)]).with_name(
            f"no_double_booking[{person},{slot}]"
        )


def under_daily_cap(model: Any, person: str, cap: int | None, seats: Sequence[Seat]) -> None:
    """A person's planned sync minutes on each local date stay under their daily cap."""
    if cap is None:
        return
    per_day: dict[date, list[tuple[Any, int]]] = {}
    for seat in seats:
        for day, minutes in seat.local_days:
            per_day.setdefault(day, []).append((seat.var, minutes))
    for day, terms in sorted(per_day.items()):
        if sum(m for _, m in terms) > cap:
            model.add(sum(v * m for v, m in terms) <= cap).with_name(f"daily_cap[{person},{day}]")


def under_weekly_cap(model: Any, person: str, cap: int | None, seats: Sequence[Seat]) -> None:
    """A person's planned sync minutes over the week stay under their weekly cap."""
    if cap is None or sum(s.minutes for s in seats) <= cap:
        return
    model.add(sum(s.var * s.minutes for s in seats) <= cap).with_name(f"weekly_cap[{person}]")


def inconvenience_term(model: Any, person: str, seats: Sequence[Seat]) -> Any:
    """``inconvenience[person]``: the points of the person's seats outside working time."""
    top = sum(s.cost for s in seats)
    var = model.new_int_var(0, top, f"inconvenience[{person}]")
    model.add(var == sum(s.var * s.cost for s in seats if s.cost))
    return var


def focus_destroyed_term(model: Any, person: str, seats: Sequence[Seat]) -> Any:
    """``focus_destroyed[person]``: focus minutes the person's meetings break up."""
    var = model.new_int_var(0, sum(s.focus for s in seats), f"focus_destroyed[{person}]")
    model.add(var == sum(s.var * s.focus for s in seats if s.focus))
    return var


def missing_optional_term(
    model: Any, request: str, person: str, placed: Any, attends: Sequence[Any]
) -> Any:
    """``missing_optional[request,person]``: 1 when the meeting is placed without them."""
    var = model.new_bool_var(f"missing_optional[{request},{person}]")
    model.add(var >= placed - sum(attends))
    return var


def rotation_prices(
    zone_of: Mapping[str, str],
    zone_carried: Mapping[str, int],
    zone_size: Mapping[str, int],
    taking: Mapping[str, int] | None = None,
) -> dict[str, int]:
    """Per person invited to one meeting (``zone_of``: person → zone), the extra points
    each point of their inconvenience costs at one start: ``ROTATION_WEIGHT`` × where their
    zone stands between the meeting's least- (0) and most-burdened (1) zones by burden per
    member, averaged over before the start and after it, rounded half up to a whole point.

    ``zone_carried`` is each zone's ledger total in points, ``zone_size`` its members in
    the organisation, ``taking`` the start's points per required attendee (added to their
    zone for the standing after; without it, before and after are the ledger's). So a
    zone that would overshoot past another by taking the start pays for it, and a zone
    already ahead pays more than one that only just overtakes it. The arithmetic is exact
    (fractions), so every caller gets the same prices; zones standing level pay the same."""
    added: dict[str, int] = {}
    for person, points in (taking or {}).items():
        zone = zone_of[person]
        added[zone] = added.get(zone, 0) + points
    zones = set(zone_of.values())
    before = _standing(zones, zone_carried, zone_size, {})
    after = _standing(zones, zone_carried, zone_size, added)
    price = {
        z: math.floor(ROTATION_WEIGHT * (before[z] + after[z]) / 2 + Fraction(1, 2)) for z in zones
    }
    return {person: price[zone] for person, zone in zone_of.items()}


def _standing(
    zones: set[str],
    zone_carried: Mapping[str, int],
    zone_size: Mapping[str, int],
    added: Mapping[str, int],
) -> dict[str, Fraction]:
    """Each zone's place between the least (0) and the most (1) burden per member."""
    average = {
        z: Fraction(zone_carried.get(z, 0) + added.get(z, 0), max(zone_size.get(z, 1), 1))
        for z in zones
    }
    least, most = min(average.values(), default=0), max(average.values(), default=0)
    if most == least:
        return dict.fromkeys(zones, Fraction(0))
    return {z: (a - least) / (most - least) for z, a in average.items()}


def zone_rotation_term(model: Any, seats: Sequence[Seat]) -> Any:
    """``zone_rotation``: each seat's inconvenience points times its zone's rotation price
    at that start (``Seat.rotation``), so the zone whose turn it is takes the late slot."""
    terms = [(s.var, s.rotation) for s in seats if s.rotation]
    var = model.new_int_var(0, sum(w for _, w in terms), "zone_rotation")
    model.add(var == sum(v * w for v, w in terms))
    return var


def fairness_terms(
    model: Any,
    inconvenience: Mapping[str, Any],
    zones: Mapping[str, str],
    carried: Mapping[str, int],
    zone_carried: Mapping[str, int],
    zone_size: Mapping[str, int],
    upper: int,
) -> tuple[Any, Any]:
    """``worst_person`` and ``worst_zone``: the largest cumulative inconvenience of one
    person, and of one zone per member, counting what the ledger carries from earlier
    weeks, so that the late slot rotates across weeks. ``upper`` bounds this week's
    inconvenience of anyone."""
    top = upper + max([*carried.values(), *zone_carried.values(), 0]) + 1
    worst_person = model.new_int_var(0, top, "worst_person")
    worst_zone = model.new_int_var(0, top, "worst_zone")
    members: dict[str, list[Any]] = {}
    for person, var in inconvenience.items():
        model.add(worst_person >= var + carried.get(person, 0))
        members.setdefault(zones[person], []).append(var)
    for zone, vars_ in members.items():
        size = max(zone_size.get(zone, len(vars_)), 1)
        model.add(worst_zone * size >= sum(vars_) + zone_carried.get(zone, 0))
    return worst_person, worst_zone
