"""Job: open the reflection pulse of each team at the start of its pulse week.

A team's pulse weeks are every ``reflection_every_weeks`` weeks from the epoch Monday
(``domain.pulses``). The pulse opens at the team's first day start of that week (its
charter hours, holidays skipped) and may be announced until the week ends. Key:
``pulse:<team>:<Monday>``, so once per team per pulse week.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from asyncfirst.domain.checkins import first_shift_start
from asyncfirst.domain.model import Team
from asyncfirst.domain.notifications import Notification
from asyncfirst.domain.pulses import is_pulse_week, monday_of
from asyncfirst.services.hub_ports import HubContext

__all__ = ["open_pulses", "pulse_key"]


def pulse_key(team: str, week: date) -> str:
    return f"pulse:{team}:{week.isoformat()}"


def week_start(team: Team, monday: date) -> datetime | None:
    """The team's first day start (UTC) in the local week of ``monday``; None: no working day."""
    for offset in range(7):
        start = first_shift_start(team.schedule, monday + timedelta(days=offset))
        if start is not None:
            return start
    return None


def _announcement(team: Team, week: date, members: tuple[str, ...], now: datetime) -> Notification:
    return Notification(
        key=pulse_key(team.id, week),
        kind="pulse",
        team=team.id,
        subject=f"Reflection pulse for {team.name}: how is our sync/async balance?",
        text=(
            "Our balance is: too much sync / about right / too little sync? Answer this week, "
            "and say what you would change. The team sees only the counts."
        ),
        created_at=now,
        recipients=members,
        link="/api/v1/pulse",
        data={"pulse_week": week.isoformat(), "every_weeks": team.reflection_every_weeks},
    )


def open_pulses(hub: HubContext) -> int:
    """Announce each team's pulse once its pulse week has started; how many were kept."""
    now = hub.clock.now()
    due = []
    for team in hub.org.teams:
        today = now.astimezone(team.schedule.tz).date()
        if not is_pulse_week(team.reflection_every_weeks, today):
            continue
        week = monday_of(today)
        start = week_start(team, week)
        if start is not None and start <= now:
            members = tuple(p.id for p in hub.org.members(team.id))
            due.append(_announcement(team, week, members, now))
    if not due:
        return 0
    with hub.unit_of_work() as uow:
        outbox = uow.outbox
        kept = sum(outbox.enqueue(n) for n in due)
        uow.commit()
    return kept
