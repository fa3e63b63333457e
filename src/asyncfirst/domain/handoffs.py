"""Follow-the-sun hand-offs: which team's day starts next, from the charter's zones and hours.

**The rule.** An end-of-day note written at ``at`` goes to the team, other than the
sender's, whose *next day start* after ``at`` comes soonest. A team's day starts at the
first shift of a local working day (``domain.checkins.first_shift_start``): weekends,
public holidays of the team's calendar and days without hours are skipped, and a team
already at work at ``at`` is not "starting"; its next start is its next working day. Two
teams starting at the same instant are ordered as the charter lists them.

So in the demo charter a note from Paris on a Friday at 17:30 goes to Tokyo (Monday 09:30
JST is 00:30 UTC, before New York's Monday 09:00 EST at 14:00 UTC), unless Monday is a
Japanese holiday, when New York's Monday comes first. And a note from Tokyo at 18:30 JST
(09:30 UTC) goes to New York, not Paris: Paris has been at work since 08:00 UTC, so the
next day to *start* is New York's, at 14:00 UTC.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from asyncfirst.domain.checkins import first_shift_start
from asyncfirst.domain.errors import InputError
from asyncfirst.domain.intervals import utc
from asyncfirst.domain.model import Organisation, Team
from asyncfirst.domain.schedule import WorkSchedule

__all__ = ["follow_the_sun_order", "next_day_start", "next_team"]

_SEARCH_DAYS = 3 * 366


def next_day_start(schedule: WorkSchedule, at: datetime) -> datetime | None:
    """The first day start of ``schedule`` strictly after ``at``; None within three years."""
    at = utc(at)
    day = at.astimezone(schedule.tz).date()
    for offset in range(_SEARCH_DAYS):
        start = first_shift_start(schedule, day + timedelta(days=offset))
        if start is not None and start > at:
            return start
    return None


def next_team(org: Organisation, from_team: str, at: datetime) -> tuple[Team, datetime]:
    """The team (not ``from_team``) whose day starts soonest after ``at``, and that start (UTC).

    Ties go to the team the charter lists first. Raises ``InputError`` when no other team
    has a working day within three years (or the organisation has a single team).
    """
    org.team(from_team)
    best: tuple[datetime, int, Team] | None = None
    for index, team in enumerate(org.teams):
        if team.id == from_team:
            continue
        start = next_day_start(team.schedule, at)
        if start is not None and (best is None or (start, index) < best[:2]):
            best = (start, index, team)
    if best is None:
        raise InputError(
            f'no team but "{from_team}" works within three years; '
            "a hand-off needs another team with working hours",
            team=from_team,
        )
    return best[2], best[0]


def follow_the_sun_order(org: Organisation, week: date) -> list[tuple[Team, datetime]]:
    """Teams in the order their working week starts: each team's first day start (UTC) in
    its own local week from Monday ``week``, earliest first; teams that work none of those
    days are left out."""
    if week.weekday() != 0:
        raise InputError(f"{week.isoformat()} is a {week:%A}; a week starts on a Monday")
    starts: list[tuple[datetime, int, Team]] = []
    for index, team in enumerate(org.teams):
        for offset in range(7):
            start = first_shift_start(team.schedule, week + timedelta(days=offset))
            if start is not None:
                starts.append((start, index, team))
                break
    return [(team, start) for start, _index, team in sorted(starts, key=lambda s: s[:2])]
