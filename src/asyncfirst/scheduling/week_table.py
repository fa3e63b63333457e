"""The week's candidate table: every 15-minute start of every request, costed per person.

For each request that has an occurrence in the week, each start on the 15-minute grid
(aligned to UTC midnight) is evaluated for every attendee with ``inconvenience.evaluate``.
A start that breaks a start rule of ``constraints`` for a required attendee is dropped
here, before any solver sees it; an optional attendee is kept away from the starts that
break one for them. A request left without starts gets its reason in words, including
the relay and rotation alternatives when the zones share no working time.

The CP-SAT model (``week_model``), the greedy plan (``greedy``) and the tests all read
this one table, so they cannot disagree on what a start costs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from asyncfirst.domain.intervals import Interval, intersect_all, normalise, subtract
from asyncfirst.domain.model import Organisation, Person
from asyncfirst.domain.requests import GRID_MINUTES, MeetingRequest
from asyncfirst.domain.worktime import local_day_bounds, local_week
from asyncfirst.scheduling.bands import FOCUS_WEIGHT, PersonCost, format_minutes
from asyncfirst.scheduling.constraints import (
    COST_SCALE,
    focus_minutes_destroyed,
    free_in_calendar,
    never_on_day_off,
    on_allowed_day,
    out_of_hours_cost,
    protected_focus,
    rotation_prices,
    within_hours_or_stretch,
)
from asyncfirst.scheduling.inconvenience import PersonProfile, evaluate, person_profile
from asyncfirst.scheduling.ledger import BurdenLedger
from asyncfirst.scheduling.relay import city
from asyncfirst.scheduling.slots import grid_starts
from asyncfirst.scheduling.week_grid import GRID_SECONDS, PersonGrid, grid_origin

__all__ = ["Option", "RequestTable", "WeekInput", "build_week", "local_minutes"]


@dataclass(frozen=True, slots=True)
class Option:
    """One feasible start of a request: each evaluated person's cost, who of the optional
    attendees may come, and the objective points (inconvenience, focus) per person."""

    start: datetime
    end: datetime
    costs: Mapping[str, PersonCost]
    optional_ok: tuple[str, ...]
    points: Mapping[str, int]
    focus: Mapping[str, int]
    local_days: Mapping[str, tuple[tuple[date, int], ...]]


@dataclass(frozen=True, slots=True)
class RequestTable:
    """A request's occurrence this week, its people and its feasible starts (cheapest
    first); ``reason`` says why there are none."""

    request: MeetingRequest
    occurrence: int
    required: tuple[str, ...]
    optional: tuple[str, ...]
    options: tuple[Option, ...]
    reason: str | None = None

    @property
    def people(self) -> tuple[str, ...]:
        return (*self.required, *self.optional)


@dataclass(frozen=True)
class WeekInput:
    """Everything a planner needs for the week of ``week`` (a Monday)."""

    org: Organisation
    week: date
    tables: tuple[RequestTable, ...]
    ledger: BurdenLedger
    idle: tuple[str, ...] = ()  # requests with no occurrence this week
    _rotation: dict[tuple[str, datetime], Mapping[str, int]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @cached_property
    def _zones(self) -> tuple[dict[str, str], dict[str, int], dict[str, int]]:
        zone_carried, zone_size = self.ledger.zone_points(self.org)
        return {p.id: p.zone for p in self.org.people}, zone_carried, zone_size

    def rotation(self, table: RequestTable, option: Option) -> Mapping[str, int]:
        """The ``zone_rotation`` points of each seat of ``option`` (required attendees and
        ``optional_ok``) that has any: its points times its zone's price at this start
        (``constraints.rotation_prices``, zones standing where ``option`` would leave them).
        Every planner and ``greedy.objective_of`` read it here; kept once computed."""
        key = (table.request.id, option.start)
        found = self._rotation.get(key)
        if found is None:
            seats = (*table.required, *option.optional_ok)
            found = {}
            if any(option.points[p] for p in seats):
                zone_of, zone_carried, zone_size = self._zones
                taking = {p: option.points[p] for p in table.required}
                invited = {p: zone_of[p] for p in table.people}
                price = rotation_prices(invited, zone_carried, zone_size, taking)
                found = {
                    p: option.points[p] * price[p] for p in seats if option.points[p] * price[p]
                }
            self._rotation[key] = found
        return found


def local_minutes(iv: Interval, tz: ZoneInfo) -> tuple[tuple[date, int], ...]:
    """Minutes of ``iv`` on each local date in ``tz``."""
    result: list[tuple[date, int]] = []
    cursor = iv.start
    while cursor < iv.end:
        day = cursor.astimezone(tz).date()
        stop = min(iv.end, local_day_bounds(day, tz).end)
        result.append((day, round((stop - cursor).total_seconds() / 60)))
        cursor = stop
    return tuple(result)


def _people(org: Organisation, ids: Sequence[str], exclude: Sequence[str] = ()) -> tuple[str, ...]:
    found = {p.id: None for i in ids for p in org.resolve(i) if p.id not in exclude}
    return tuple(found)


def _window(people: Sequence[Person], week: date) -> Interval:
    weeks = [local_week(week, p.schedule.tz) for p in people]
    return Interval(min(w.start for w in weeks), max(w.end for w in weeks))


def _required_rule(request: MeetingRequest, cost: PersonCost) -> tuple[str, str] | None:
    """(short reason for the summary, full reason) of the first start rule broken."""
    for reason in (never_on_day_off(cost), free_in_calendar(cost), protected_focus(cost)):
        if reason is not None:
            return reason, reason
    reason = within_hours_or_stretch(request, cost)
    if reason is not None:
        return f"{cost.name}: outside working time and stretch allowance", reason
    return None


def _optional_rule(strict: MeetingRequest, cost: PersonCost) -> str | None:
    return (
        never_on_day_off(cost)
        or free_in_calendar(cost)
        or protected_focus(cost)
        or within_hours_or_stretch(strict, cost)
    )


class _LazyCosts(Mapping[str, PersonCost]):
    """Each person's ``PersonCost`` of one start, evaluated on first use: the planner
    needs only the points, the agenda and the CLI only the chosen starts' words."""

    __slots__ = ("_costing", "_done", "_iv", "_people")

    def __init__(self, costing: _Costing, people: tuple[str, ...], iv: Interval) -> None:
        self._costing, self._people, self._iv = costing, people, iv
        self._done: dict[str, PersonCost] = {}

    def __getitem__(self, person_id: str) -> PersonCost:
        if person_id not in self._done:
            if person_id not in self._people:
                raise KeyError(person_id)
            self._done[person_id] = evaluate(self._costing.profile(person_id), self._iv)
        return self._done[person_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._people)

    def __len__(self) -> int:
        return len(self._people)


class _Costing:
    """Profiles, free time and grids per person, built once per week."""

    def __init__(self, org: Organisation, window: Interval, busy: Mapping[str, Sequence[Interval]]):
        self._org, self._window, self._busy = org, window, busy
        self.profiles: dict[str, PersonProfile] = {}
        self.free: dict[str, list[Interval]] = {}
        self.grids: dict[str, PersonGrid] = {}
        self.origin = grid_origin(window.start)
        span = (window.end - self.origin).total_seconds()
        self.slots = -(-int(span) // GRID_SECONDS)

    def profile(self, person_id: str) -> PersonProfile:
        if person_id not in self.profiles:
            person = self._org.person(person_id)
            busy = self._busy.get(person_id, ())
            pr = person_profile(person, self._window.start, self._window.end, busy)
            self.profiles[person_id] = pr
            self.free[person_id] = subtract(list(pr.working.intervals), list(pr.busy.intervals))
        return self.profiles[person_id]

    def grid(self, person_id: str) -> PersonGrid:
        if person_id not in self.grids:
            self.grids[person_id] = PersonGrid(self.profile(person_id), self.origin, self.slots)
        return self.grids[person_id]

    def points(self, person_id: str, cost: PersonCost, iv: Interval) -> tuple[int, int]:
        focus = focus_minutes_destroyed(self.free[person_id], iv)
        focus += cost.bands.focus * FOCUS_WEIGHT * COST_SCALE
        return round(out_of_hours_cost(cost.bands) * COST_SCALE), round(focus)


def _table(
    costing: _Costing, org: Organisation, request: MeetingRequest, occurrence: int, week: date
) -> RequestTable:
    """The request's table from the people's grids (``week_grid``); the same as
    ``_table_exact`` (which it falls back to off the grid and for the reasons in words)."""
    required = _people(org, request.required)
    optional = _people(org, request.optional, exclude=required)
    window = _window([org.person(p) for p in required], week)
    k, rest = divmod(request.duration_minutes, GRID_MINUTES)
    starts = grid_starts(window.start, window.end, request.duration_minutes, GRID_MINUTES)
    grids = {p: costing.grid(p) for p in (*required, *optional)}
    if rest or not starts or not all(g.aligned for g in grids.values()):
        return _table_exact(costing, org, request, occurrence, week)
    import numpy as np

    base = int((starts[0] - costing.origin).total_seconds()) // GRID_SECONDS
    first = np.arange(base, base + len(starts), dtype=np.int64)
    ok = np.ones(len(starts), dtype=bool)
    for person_id in required:
        grid = grids[person_id]
        ok &= grid.on_days(first, k, week, request.days)
        ok &= grid.startable(first, k, out_of_hours=request.allow_out_of_hours)
    keep = first[ok]
    if not len(keep):
        reason = _apart(costing, org, request, required, window)
        if reason is None:
            return _table_exact(costing, org, request, occurrence, week)
        return RequestTable(request, occurrence, required, optional, (), reason)
    joins = {p: grids[p].startable(keep, k, out_of_hours=False) for p in optional}
    points = {p: grids[p].points(keep, k) for p in (*required, *optional)}
    people = (*required, *optional)
    duration = timedelta(minutes=request.duration_minutes)
    options: list[Option] = []
    for n, index in enumerate(keep.tolist()):
        start = starts[index - base]
        iv = Interval(start, start + duration)
        ok_people = tuple(p for p in optional if joins[p][n])
        scored = (*required, *ok_people)
        days: dict[str, tuple[tuple[date, int], ...]] = {}
        for p in scored:
            found = grids[p].local_days(index, k)
            days[p] = found if found is not None else local_minutes(iv, costing.profile(p).tz)
        options.append(
            Option(
                iv.start,
                iv.end,
                _LazyCosts(costing, people, iv),
                ok_people,
                {p: int(points[p][n]) for p in scored},
                {p: grids[p].focus_points(index, k) for p in scored},
                days,
            )
        )
    options.sort(key=lambda o: (sum(o.points.values()) + sum(o.focus.values()), o.start))
    return RequestTable(request, occurrence, required, optional, tuple(options))


def _table_exact(
    costing: _Costing, org: Organisation, request: MeetingRequest, occurrence: int, week: date
) -> RequestTable:
    """The request's table, every start evaluated with ``inconvenience.evaluate``."""
    required = _people(org, request.required)
    optional = _people(org, request.optional, exclude=required)
    strict = replace(request, allow_out_of_hours=False)
    profiles = {p: costing.profile(p) for p in (*required, *optional)}
    window = _window([org.person(p) for p in required], week)
    duration = timedelta(minutes=request.duration_minutes)
    options: list[Option] = []
    ruled_out: Counter[str] = Counter()
    for start in grid_starts(window.start, window.end, request.duration_minutes, GRID_MINUTES):
        iv = Interval(start, start + duration)
        costs: dict[str, PersonCost] = {}
        broken: tuple[str, str] | None = None
        for person_id in required:
            cost = costs[person_id] = evaluate(profiles[person_id], iv)
            if on_allowed_day(request, cost, week) is not None:
                broken = ("", "")
                break
            broken = _required_rule(request, cost)
            if broken is not None:
                break
        if broken is not None:
            if broken[0]:
                ruled_out[broken[0]] += 1
            continue
        ok = []
        for person_id in optional:
            costs[person_id] = evaluate(profiles[person_id], iv)
            if _optional_rule(strict, costs[person_id]) is None:
                ok.append(person_id)
        scored = {p: costing.points(p, costs[p], iv) for p in (*required, *ok)}
        points = {p: s[0] for p, s in scored.items()}
        focus = {p: s[1] for p, s in scored.items()}
        days = {p: local_minutes(iv, profiles[p].tz) for p in scored}
        options.append(Option(iv.start, iv.end, costs, tuple(ok), points, focus, days))
    options.sort(key=lambda o: (sum(o.points.values()) + sum(o.focus.values()), o.start))
    reason = None if options else _why_none(costing, org, request, required, window, ruled_out)
    return RequestTable(request, occurrence, required, optional, tuple(options), reason)


def _why_none(
    costing: _Costing,
    org: Organisation,
    request: MeetingRequest,
    required: Sequence[str],
    window: Interval,
    ruled_out: Counter[str],
) -> str:
    """Why no start is left, in words."""
    days = request.days_label()
    apart = _apart(costing, org, request, required, window)
    if apart is not None:
        return apart
    shown = "; ".join(r for r, _ in ruled_out.most_common(4))
    if request.allow_out_of_hours:
        return f"no start on {days} is possible this week: {shown or 'no such day in the week'}"
    return f"no start on {days} is left this week: {shown or 'no such day in the week'}"


def _apart(
    costing: _Costing,
    org: Organisation,
    request: MeetingRequest,
    required: Sequence[str],
    window: Interval,
) -> str | None:
    """The reason in words when the required attendees' zones share no working time long
    enough (and the request keeps to working time), else ``None``."""
    if request.allow_out_of_hours:
        return None
    days = request.days_label()
    zones: dict[str, list[str]] = {}
    for person_id in required:
        zones.setdefault(org.person(person_id).zone, []).append(person_id)
    reachable: dict[str, list[Interval]] = {}
    for person_id in required:
        pr = costing.profile(person_id)
        reachable[person_id] = normalise([*pr.working.intervals, *pr.stretch.intervals])
    apart = []
    names = list(zones)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            shared = intersect_all([reachable[p] for p in (*zones[a], *zones[b])])
            longest = max((iv.minutes for iv in shared if iv.overlaps(window)), default=0.0)
            if longest < request.duration_minutes:
                what = f"at most {format_minutes(longest)}" if longest else "no working hour"
                apart.append(f"{city(a)} and {city(b)} share {what}")
    if not apart:
        return None
    return (
        f"no start on {days} keeps every required attendee inside working time or their "
        f"stretch allowance: {'; '.join(apart)}. Alternatives: a relay (regional sessions "
        "plus an async recap, see `asyncfirst slots`), rotating the slot across weeks "
        "with allow_out_of_hours = true, or going async"
    )


def build_week(
    org: Organisation,
    requests: Sequence[MeetingRequest],
    week: date,
    *,
    busy: Mapping[str, Sequence[Interval]] | None = None,
    ledger: BurdenLedger | None = None,
    exact: bool = False,
) -> WeekInput:
    """The candidate table of every request with an occurrence in the week of ``week``;
    ``exact`` evaluates every start one by one (the reference the grid is tested against)."""
    ledger = ledger or BurdenLedger()
    window = _window(org.people, week)
    costing = _Costing(org, window, busy or {})
    tables, idle = [], []
    for request in requests:
        occurrence = request.occurrence_in(week, ledger.held(request.id))
        if occurrence is None:
            idle.append(request.id)
            continue
        build = _table_exact if exact else _table
        tables.append(build(costing, org, request, occurrence, week))
    return WeekInput(org, week, tuple(tables), ledger, tuple(idle))
