"""Use case: how much working time do teams share in a given week?"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import combinations
from typing import Any

from asyncfirst.domain.errors import InputError
from asyncfirst.domain.intervals import Interval, intersect_all, total_minutes
from asyncfirst.domain.model import Organisation, Team
from asyncfirst.domain.worktime import local_week, working_time

__all__ = ["OverlapReport", "PairOverlap", "monday_of", "team_overlap"]


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class PairOverlap:
    teams: tuple[str, ...]
    intervals: tuple[Interval, ...]

    @property
    def minutes(self) -> int:
        return round(total_minutes(self.intervals))


@dataclass(frozen=True)
class OverlapReport:
    week: date
    teams: tuple[Team, ...]
    working: dict[str, tuple[Interval, ...]]
    pairs: tuple[PairOverlap, ...]
    everyone: PairOverlap
    days_off: dict[str, tuple[tuple[date, str], ...]]

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON contract documented in docs/cli.md."""
        return {
            "week": self.week.isoformat(),
            "pairs": [{"a": p.teams[0], "b": p.teams[1], "minutes": p.minutes} for p in self.pairs],
            "all": {"teams": list(self.everyone.teams), "minutes": self.everyone.minutes},
            "days_off": {
                team: [{"date": d.isoformat(), "reason": why} for d, why in days]
                for team, days in self.days_off.items()
            },
        }


def _days_off(team: Team, monday: date) -> tuple[tuple[date, str], ...]:
    result = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        reason = team.schedule.day_off(day) if team.hours.on(day.weekday()) else None
        if reason:
            result.append((day, reason))
    return tuple(result)


def team_overlap(org: Organisation, week: date, team_ids: Sequence[str] = ()) -> OverlapReport:
    """Shared working time of every pair of teams and of all of them, Monday to Sunday.

    Each team's week is its own local Monday 00:00 to the next Monday 00:00, holidays removed.
    """
    if week.weekday() != 0:
        raise InputError(f"--week {week.isoformat()} is a {week:%A}; give the Monday of the week")
    teams = tuple(org.team(t) for t in team_ids) if team_ids else org.teams
    if len(teams) < 2:
        raise InputError("overlap needs at least two teams")
    working: dict[str, tuple[Interval, ...]] = {}
    for team in teams:
        bounds = local_week(week, team.schedule.tz)
        working[team.id] = tuple(working_time(team.schedule, bounds.start, bounds.end))
    pairs = tuple(
        PairOverlap((a.id, b.id), tuple(intersect_all([working[a.id], working[b.id]])))
        for a, b in combinations(teams, 2)
    )
    everyone = PairOverlap(
        tuple(t.id for t in teams), tuple(intersect_all([working[t.id] for t in teams]))
    )
    days_off = {t.id: _days_off(t, week) for t in teams}
    return OverlapReport(week, teams, working, pairs, everyone, days_off)


def minutes_by_day(intervals: Sequence[Interval], team: Team) -> dict[date, int]:
    """Minutes of ``intervals`` per local day of ``team``."""
    tz = team.schedule.tz
    result: dict[date, int] = {}
    for iv in intervals:
        day: datetime = iv.start.astimezone(tz)
        result[day.date()] = result.get(day.date(), 0) + round(iv.minutes)
    return result
