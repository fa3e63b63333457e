"""Use case: the demo tour — who works when, what they share, and why no hour fits all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from asyncfirst.domain.hours import format_clock
from asyncfirst.domain.model import Organisation, Team
from asyncfirst.domain.worktime import to_utc
from asyncfirst.services.overlap import OverlapReport, team_overlap

__all__ = ["Tour", "build_tour"]


@dataclass(frozen=True)
class Tour:
    organisation: str
    week: date
    reference_day: date
    teams: tuple[Team, ...]
    hours_in_zones: dict[tuple[str, str], tuple[datetime, datetime] | None]
    overlap: OverlapReport
    findings: tuple[str, ...]

    def cell(self, team: str, zone_team: str) -> str:
        span = self.hours_in_zones[(team, zone_team)]
        if span is None:
            return "—"
        start, end = span

        def mark(day: date) -> str:
            delta = (day - self.reference_day).days
            return f" ({delta:+d})" if delta else ""

        return f"{start:%H:%M}{mark(start.date())}–{end:%H:%M}{mark(end.date())}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation,
            "week": self.week.isoformat(),
            "reference_day": self.reference_day.isoformat(),
            "teams": [
                {
                    "id": t.id,
                    "name": t.name,
                    "zone": t.zone,
                    "hours": t.hours.describe(),
                    "holidays": t.holidays.label() if t.holidays else None,
                    "async_band": [t.band.low, t.band.high],
                }
                for t in self.teams
            ],
            "hours_in_zones": [
                {"team": a, "in_zone_of": b, "local": self.cell(a, b)}
                for (a, b) in self.hours_in_zones
            ],
            "overlap": self.overlap.to_dict(),
            "findings": list(self.findings),
        }


def _hours_on(team: Team, day: date, other: Team) -> tuple[datetime, datetime] | None:
    shifts = team.hours.on(day.weekday())
    if not shifts:
        return None
    midnight = datetime(day.year, day.month, day.day)  # noqa: DTZ001 - a wall clock, zoned below
    tz, other_tz = team.schedule.tz, other.schedule.tz
    start = to_utc(midnight + timedelta(minutes=shifts[0].start), tz)
    end = to_utc(midnight + timedelta(minutes=shifts[-1].end), tz)
    return start.astimezone(other_tz), end.astimezone(other_tz)


def _daily(minutes: int, workdays: int) -> str:
    per_day = minutes / max(workdays, 1)
    return (
        f"{int(per_day // 60)} h {int(per_day % 60):02d}"
        if per_day % 60
        else f"{int(per_day // 60)} h"
    )


def _findings(org: Organisation, report: OverlapReport) -> tuple[str, ...]:
    names = {t.id: f"{t.name} ({t.zone.split('/')[-1].replace('_', ' ')})" for t in report.teams}
    teams = {t.id: t for t in report.teams}
    lines = []
    for pair in report.pairs:
        a, b = (teams[i] for i in pair.teams)
        if pair.minutes:
            days = len({iv.start.astimezone(a.schedule.tz).date() for iv in pair.intervals})
            lines.append(
                f"{names[a.id]} and {names[b.id]} share {pair.minutes // 60} h {pair.minutes % 60:02d} "
                f"this week, about {_daily(pair.minutes, days)} on each of {days} days."
            )
        else:
            first = a.hours.on(report.week.weekday())[0].start
            start = to_utc(
                datetime.combine(report.week, time()) + timedelta(minutes=first), a.schedule.tz
            )
            lines.append(
                f"{names[a.id]} and {names[b.id]} share no working hour: when {a.name} starts at "
                f"{format_clock(first)} it is {start.astimezone(b.schedule.tz):%H:%M} for {b.name}, "
                f"after its day ({b.hours.describe()}) has ended."
            )
    for team_id, days_off in report.days_off.items():
        for day, reason in days_off:
            lines.append(f"{teams[team_id].name} is off on {day:%a %d %b} ({reason}).")
    if report.everyone.minutes == 0:
        lines.append(
            f"No hour of this week has all {len(report.teams)} teams at work, so a weekly all-hands "
            "must rotate who joins out of hours, run as a relay of regional sessions, or go async."
        )
    return tuple(lines)


def build_tour(org: Organisation, week: date) -> Tour:
    """Everything the demo shows for one week, as plain data."""
    report = team_overlap(org, week)
    reference = week + timedelta(days=2)  # Wednesday: the least likely day to be a holiday
    cells = {(a.id, b.id): _hours_on(a, reference, b) for a in org.teams for b in org.teams}
    return Tour(org.name, week, reference, org.teams, cells, report, _findings(org, report))
