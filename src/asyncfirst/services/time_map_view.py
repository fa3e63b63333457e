"""Read model of the web Org time map: who shares which hours in a chosen week, and why.

- **Overlap matrix**: minutes of shared working time for every pair of teams
  (``services.overlap.team_overlap``), the diagonal being each team's own working time,
  with the change from the week before.
- **Golden hours**: for each hour of the day in the viewer's zone, on how many days of the
  week each team works that whole hour; an hour is *golden* when at least two teams do.
- **What moved it**: public holidays and time off that remove days, and daylight-saving
  changes (a zone's UTC offset this week differs from last week's, or changes inside it).
- **Recurring cross-zone meetings**: the org-wide all-hands as a rotation with each team's
  local time and burden (``services.allhands``); computing it costs far more than a page
  may, so ``TimeMapCache`` keeps one per week per process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from asyncfirst.domain.errors import InputError
from asyncfirst.domain.intervals import Interval
from asyncfirst.domain.model import Organisation, Team
from asyncfirst.domain.zones import zone as zone_info
from asyncfirst.scheduling.relay import city
from asyncfirst.services.allhands import AllHands, all_hands_options
from asyncfirst.services.overlap import OverlapReport, monday_of, team_overlap

__all__ = [
    "GoldenRow",
    "MatrixCell",
    "MeetingRow",
    "TimeMap",
    "TimeMapCache",
    "ZoneShift",
    "parse_week",
    "time_map",
]


def parse_week(text: str | None, today: date) -> date:
    """The Monday of the week of ``text`` (YYYY-MM-DD, any day of it), or of ``today``."""
    if not text:
        return monday_of(today)
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InputError(
            f'week "{text}" is not a date; give YYYY-MM-DD, e.g. {monday_of(today)}',
            field="week",
        ) from None
    return monday_of(day)


@dataclass(frozen=True, slots=True)
class MatrixCell:
    minutes: int
    previous_minutes: int

    @property
    def hours_text(self) -> str:
        return f"{self.minutes / 60:.1f} h"

    @property
    def change_minutes(self) -> int:
        return self.minutes - self.previous_minutes

    @property
    def change_text(self) -> str:
        change = self.change_minutes
        if change == 0:
            return "same as last week"
        return f"{'+' if change > 0 else '−'}{abs(change) / 60:.1f} h on last week"


@dataclass(frozen=True, slots=True)
class GoldenRow:
    """One team: days worked (0–7) in each hour of the viewer's day, 0 to 23."""

    team: Team
    days: tuple[int, ...]
    local_hours: tuple[str, ...]  # the team's local clock at each viewer hour (mid-week)


@dataclass(frozen=True, slots=True)
class ZoneShift:
    zone: str
    text: str


@dataclass(frozen=True, slots=True)
class MeetingRow:
    """One week of the rotating all-hands: its time on each team's clock and who pays."""

    week: date
    start: datetime
    local: tuple[tuple[str, str, bool], ...]  # (team name, local time, inside hours)
    burden: tuple[tuple[str, float], ...]  # (team name, out-of-hours minutes per member)


@dataclass(frozen=True)
class TimeMap:
    week: date
    viewer_zone: str
    teams: tuple[Team, ...]
    matrix: tuple[tuple[MatrixCell, ...], ...]
    everyone_minutes: int
    golden: tuple[GoldenRow, ...]
    golden_hours: tuple[int, ...]  # viewer hours where at least two teams work
    days_off: tuple[tuple[str, date, str], ...]  # (team name, day, reason)
    shifts: tuple[ZoneShift, ...]
    meetings: tuple[MeetingRow, ...]
    rotation_burden: tuple[tuple[str, float, float], ...]  # (team, rotating, fixed slot)
    relay: str | None
    meeting_minutes: int
    meetings_pending: bool = False  # the rotation of this week is still being worked out

    @property
    def previous_week(self) -> date:
        return self.week - timedelta(weeks=1)

    @property
    def next_week(self) -> date:
        return self.week + timedelta(weeks=1)

    @property
    def teams_at(self) -> tuple[int, ...]:
        """How many teams work each viewer hour on at least one day."""
        return tuple(sum(1 for row in self.golden if row.days[h] > 0) for h in range(24))


def _matrix(now: OverlapReport, before: OverlapReport) -> tuple[tuple[MatrixCell, ...], ...]:
    def minutes(report: OverlapReport, a: str, b: str) -> int:
        if a == b:
            return round(sum(iv.minutes for iv in report.working[a]))
        pair = next(p for p in report.pairs if set(p.teams) == {a, b})
        return pair.minutes

    ids = [t.id for t in now.teams]
    return tuple(
        tuple(MatrixCell(minutes(now, a, b), minutes(before, a, b)) for b in ids) for a in ids
    )


def _covers(intervals: tuple[Interval, ...], start: datetime, end: datetime) -> bool:
    return any(iv.start <= start and end <= iv.end for iv in intervals)


def _golden(report: OverlapReport, viewer: ZoneInfo) -> tuple[GoldenRow, ...]:
    """Hour starts are the viewer's wall-clock hours of the 7 local days of the week."""
    rows = []
    wednesday_noon = datetime.combine(report.week + timedelta(days=2), datetime.min.time())
    for team in report.teams:
        counts = [0] * 24
        working = report.working[team.id]
        for offset in range(7):
            day = report.week + timedelta(days=offset)
            for hour in range(24):
                # wall clock of the viewer, zoned at once
                start = datetime(day.year, day.month, day.day, hour, tzinfo=viewer)
                start_utc = start.astimezone(UTC)
                if _covers(working, start_utc, start_utc + timedelta(hours=1)):
                    counts[hour] += 1
        labels = tuple(
            (wednesday_noon.replace(hour=h, tzinfo=viewer)).astimezone(team.schedule.tz)
            .strftime("%H:%M")
            for h in range(24)
        )  # fmt: skip
        rows.append(GoldenRow(team, tuple(counts), labels))
    return tuple(rows)


def _offset(zone: str, day: date) -> timedelta:
    noon = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    return noon.astimezone(zone_info(zone)).utcoffset() or timedelta()


def _hours(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    sign = "+" if hours >= 0 else "−"
    return f"UTC{sign}{abs(hours):g}"


def _shifts(teams: tuple[Team, ...], week: date) -> tuple[ZoneShift, ...]:
    """Zones whose offset differs from the week before, or changes during this week."""
    found = []
    for zone in dict.fromkeys(t.zone for t in teams):
        before = _offset(zone, week - timedelta(weeks=1))
        start, end = _offset(zone, week), _offset(zone, week + timedelta(days=6))
        if start != end:
            found.append(ZoneShift(zone, f"{city(zone)} changes clocks this week: "
                                         f"{_hours(start)} → {_hours(end)}"))  # fmt: skip
        elif before != start:
            found.append(ZoneShift(zone, f"{city(zone)} changed clocks since last week: "
                                         f"{_hours(before)} → {_hours(start)}"))  # fmt: skip
    return tuple(found)


def _meetings(org: Organisation, options: AllHands) -> tuple[MeetingRow, ...]:
    rows = []
    for slot in options.rotation:
        candidate = slot.candidate
        local: dict[str, tuple[str, str, bool]] = {}
        for cost in candidate.attendees:
            team = org.team(org.person(cost.person_id).team_id)
            if team.id not in local:
                local[team.id] = (
                    team.name,
                    f"{cost.local_start:%a %H:%M}",
                    cost.inside_hours,
                )
        burden = tuple((org.team(t).name, m) for t, m in slot.burden.items())
        rows.append(
            MeetingRow(
                monday_of(candidate.start.date()), candidate.start, tuple(local.values()), burden
            )
        )
    return tuple(rows)


def time_map(
    org: Organisation,
    week: date,
    viewer_zone: str,
    all_hands: Callable[[date], AllHands | None] | None = None,
) -> TimeMap:
    """The time map of ``org`` for the week of Monday ``week``, hours in ``viewer_zone``."""
    now = team_overlap(org, week)
    before = team_overlap(org, week - timedelta(weeks=1))
    viewer = zone_info(viewer_zone)
    golden = _golden(now, viewer)
    golden_hours = tuple(h for h in range(24) if sum(1 for r in golden if r.days[h]) >= 2)
    days_off = tuple(
        (org.team(team).name, day, why) for team, days in now.days_off.items() for day, why in days
    )
    options = (all_hands or (lambda monday: all_hands_options(org, monday)))(week)
    burden = (
        tuple(
            (t.name, options.rotation_burden.get(t.id, 0.0), options.fixed_burden.get(t.id, 0.0))
            for t in org.teams
        )
        if options is not None
        else ()
    )
    return TimeMap(
        week=week,
        viewer_zone=viewer_zone,
        teams=now.teams,
        matrix=_matrix(now, before),
        everyone_minutes=now.everyone.minutes,
        golden=golden,
        golden_hours=golden_hours,
        days_off=days_off,
        shifts=_shifts(now.teams, week),
        meetings=_meetings(org, options) if options is not None else (),
        rotation_burden=burden,
        relay=options.relay.recap if options is not None and options.relay else None,
        meeting_minutes=options.duration_minutes if options is not None else 60,
        meetings_pending=options is None,
    )


class TimeMapCache:
    """All-hands options by week, computed once per process (thread-safe).

    ``time_map`` never waits for a week not computed yet (about half a second of solver
    work): it starts the computation in the background and the page says the rotation is
    on its way, so every page stays within budget.
    """

    def __init__(self, org: Organisation) -> None:
        self._org = org
        self._found: dict[date, AllHands] = {}
        self._running: set[date] = set()
        self._lock = threading.Lock()

    def all_hands(self, week: date) -> AllHands:
        """The week's options, computing them here if needed (the warm-up uses this)."""
        with self._lock:
            found = self._found.get(week)
        if found is None:
            found = all_hands_options(self._org, week)
            with self._lock:
                self._found.setdefault(week, found)
        return found

    def ready(self, week: date) -> AllHands | None:
        """The week's options if computed; otherwise start computing them and say ``None``."""
        with self._lock:
            found = self._found.get(week)
            if found is not None or week in self._running:
                return found
            self._running.add(week)
        threading.Thread(target=self._compute, args=(week,), daemon=True).start()
        return None

    def _compute(self, week: date) -> None:
        try:
            self.all_hands(week)
        finally:
            with self._lock:
                self._running.discard(week)

    def time_map(self, week: date, viewer_zone: str) -> TimeMap:
        return time_map(self._org, week, viewer_zone, self.ready)
