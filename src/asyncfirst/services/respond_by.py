"""Use case: when is a message due, counted in the recipient's working time?"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from asyncfirst.domain.errors import InputError
from asyncfirst.domain.model import Organisation
from asyncfirst.domain.schedule import WorkSchedule
from asyncfirst.domain.worktime import add_working_minutes

__all__ = ["RespondBy", "respond_by"]


@dataclass(frozen=True)
class RespondBy:
    recipient: str
    kind: str  # "person" or "team"
    schedule: WorkSchedule
    sent: datetime
    hours: float
    due: datetime
    skipped: tuple[tuple[date, str], ...]

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON contract documented in docs/cli.md."""
        tz = self.schedule.tz
        return {
            "recipient": self.recipient,
            "recipient_kind": self.kind,
            "zone": self.schedule.zone_name,
            "working_hours": self.schedule.hours.describe(),
            "hours": self.hours,
            "sent": self.sent.isoformat(),
            "sent_local": self.sent.astimezone(tz).isoformat(),
            "due": self.due.astimezone(tz).isoformat(),
            "due_utc": self.due.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "skipped_days": [{"date": d.isoformat(), "reason": r} for d, r in self.skipped],
        }


def _skipped(schedule: WorkSchedule, sent: datetime, due: datetime) -> tuple[tuple[date, str], ...]:
    """Weekdays with hours that fell between sending and the due time but were days off."""
    tz = schedule.tz
    day, last = sent.astimezone(tz).date(), due.astimezone(tz).date()
    result = []
    while day <= last:
        if schedule.hours.on(day.weekday()):
            reason = schedule.day_off(day)
            if reason:
                result.append((day, reason))
        day += timedelta(days=1)
    return tuple(result)


def respond_by(
    org: Organisation, recipient: str, sent: datetime, hours: float | None = None
) -> RespondBy:
    """The due instant: ``hours`` of the recipient's working time after ``sent``.

    A team recipient uses the team's charter hours and holidays; a person uses their own
    hours, holidays and time off. Without ``hours``, the recipient team's ``respond_by_hours``.
    """
    if sent.tzinfo is None:
        raise InputError(f"--sent {sent.isoformat()} has no UTC offset; add one, e.g. +01:00 or Z")
    if org.is_team(recipient):
        team, schedule, kind = org.team(recipient), org.team(recipient).schedule, "team"
    else:
        person = org.resolve(recipient)[0]  # "did you mean" across people and teams
        team, schedule, kind = org.team(person.team_id), person.schedule, "person"
    hours = team.respond_by_hours if hours is None else hours
    if not 0 < hours <= 24 * 30:
        raise InputError(f"--hours must be more than 0 and at most 720, got {hours:g}")
    due = add_working_minutes(schedule, sent, hours * 60)
    return RespondBy(recipient, kind, schedule, sent, hours, due, _skipped(schedule, sent, due))
