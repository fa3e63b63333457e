"""A team's shared calendar: stand-ups, reviews, planning, retros, 1:1s and an off-site.

Every series lives in the team's zone and is booked by the team's lead (its first
member). The stand-up sits inside the team's working hours, skips public holidays and the
off-site (EXDATE) and has one occurrence moved (RECURRENCE-ID); the weekly review has one
occurrence cancelled; some 1:1s have an occurrence moved.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from asyncfirst.adapters.synthetic.meetings import Agenda, Meeting, Window, at, new_uid
from asyncfirst.domain.model import Person, Team

__all__ = ["plan_team"]

_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_VIDEO = "Video call"
Invitees = tuple[tuple[Person, str], ...]


def _floor(minute: int) -> int:
    return minute - minute % 15


def _ceil(minute: int) -> int:
    return -(-minute // 15) * 15


def _minute_of(start: datetime | date) -> int:
    assert isinstance(start, datetime)  # noqa: S101 - team series are always timed
    return start.hour * 60 + start.minute


class _TeamPlanner:
    def __init__(
        self,
        team: Team,
        members: tuple[Person, ...],
        window: Window,
        rng: random.Random,
        agenda: Agenda,
    ) -> None:
        self.team, self.members, self.window, self.rng = team, members, window, rng
        self.agenda = agenda
        self.lead = members[0]
        self.weekdays = [d for d in range(7) if team.hours.on(d)]
        firsts = [team.hours.on(d)[0] for d in self.weekdays]
        # Local minutes inside the team's first shift on every one of its working days.
        self.lo = _ceil(max(s.start for s in firsts))
        self.hi = _floor(min(min(s.end, 1440) for s in firsts))
        self.workdays = [d for d in window.days if d.weekday() in self.weekdays]

    def _dt(self, day: date, minute: int) -> datetime:
        return at(day, minute, self.team.zone)

    def _invitees(self, who: tuple[Person, ...], tentative: float = 0.0) -> Invitees:
        return tuple(
            (p, "TENTATIVE" if p is not self.lead and self.rng.random() < tentative else "ACCEPTED")
            for p in who
        )

    def _every(self, weekday: int, interval: int, offset: int) -> list[date]:
        week = self.window.week_of
        return [
            d
            for d in self.window.days
            if d.weekday() == weekday and week(d) >= offset and (week(d) - offset) % interval == 0
        ]

    def _series(
        self,
        summary: str,
        days: list[date],
        minute: int,
        minutes: int,
        attendees: Invitees,
        *,
        interval: int = 1,
        count: bool = False,
        exdates: tuple[datetime, ...] = (),
    ) -> Meeting:
        rule: dict[str, object] = {"FREQ": "WEEKLY"}
        if interval != 1:
            rule["INTERVAL"] = interval
        if count:
            rule["COUNT"] = len(days)
        else:
            rule["UNTIL"] = self.window.until(self.team.zone)
        rule["BYDAY"] = [_BYDAY[d] for d in sorted({d.weekday() for d in days})]
        start = self._dt(days[0], minute)
        return Meeting(
            uid=new_uid(self.rng),
            summary=summary,
            start=start,
            end=start + timedelta(minutes=minutes),
            organiser=self.lead,
            attendees=attendees,
            rrule=rule,
            exdates=exdates,
            location=_VIDEO,
        )

    def _override(
        self,
        master: Meeting,
        day: date,
        new_minute: int,
        *,
        status: str = "CONFIRMED",
        description: str = "",
    ) -> Meeting:
        assert isinstance(master.start, datetime) and isinstance(master.end, datetime)  # noqa: S101
        start = self._dt(day, new_minute)
        return Meeting(
            uid=master.uid,
            summary=master.summary,
            start=start,
            end=start + (master.end - master.start),
            organiser=master.organiser,
            attendees=master.attendees,
            recurrence_id=self._dt(day, _minute_of(master.start)),
            status=status,
            sequence=1,
            description=description,
            location=master.location,
        )

    def _book(self, who: tuple[Person, ...], days: list[date], minute: int, minutes: int) -> None:
        for day in days:
            start = self._dt(day, minute)
            self.agenda.book(who, start, start + timedelta(minutes=minutes))

    def offsite(self) -> tuple[Meeting, date]:
        holidays = self.team.holidays
        days = [d for d in self.workdays if holidays is None or not holidays.holiday(d)]
        day = self.rng.choice(days or self.workdays)
        meeting = Meeting(
            uid=new_uid(self.rng),
            summary=f"{self.team.name} off-site",
            start=day,
            end=day + timedelta(days=1),
            organiser=self.lead,
            attendees=self._invitees(self.members, tentative=0.1),
            location="Off-site venue",
        )
        return meeting, day

    def standup(self, skipped: list[date]) -> list[Meeting]:
        minute = min(self.lo + self.rng.choice((0, 30, 60)), self.hi - 15)
        exdates = tuple(self._dt(d, minute) for d in skipped)
        title = f"{self.team.name} stand-up"
        master = self._series(
            title, self.workdays, minute, 15, self._invitees(self.members), exdates=exdates
        )
        held = [d for d in self.workdays if d not in skipped] or self.workdays
        moved_day = self.rng.choice(held)
        choices = [m for m in range(self.lo, self.hi - 15 + 1, 15) if m != minute] or [minute]
        moved = self._override(
            master,
            moved_day,
            self.rng.choice(choices),
            description="Moved: clashes with the all-hands.",
        )
        self._book(self.members, [d for d in held if d != moved_day], minute, 15)
        self._book(self.members, [moved_day], _minute_of(moved.start), 15)
        return [master, moved]

    def review(self) -> list[Meeting]:
        weekday = self.weekdays[-2] if len(self.weekdays) > 1 else self.weekdays[0]
        days = self._every(weekday, 1, 0)
        minute = max(self.lo, self.hi - self.rng.choice((90, 120, 150)))
        title = f"{self.team.name} weekly review"
        master = self._series(
            title, days, minute, 60, self._invitees(self.members, 0.1), count=True
        )
        day = self.rng.choice(days)
        cancelled = self._override(
            master,
            day,
            minute,
            status="CANCELLED",
            description="Cancelled: nothing to review this week.",
        )
        self._book(self.members, [d for d in days if d != day], minute, 60)
        return [master, cancelled]

    def biweekly(self, summary: str, weekday: int, offset: int, minutes: int) -> list[Meeting]:
        days = self._every(weekday, 2, offset) or self._every(weekday, 1, 0)
        minute = self.agenda.common_slot(self.members, days, minutes, self.rng)
        if minute is None:
            minute = max(self.lo, self.hi - minutes - 60)
        invitees = self._invitees(self.members, tentative=0.05)
        self._book(self.members, days, minute, minutes)
        return [self._series(summary, days, minute, minutes, invitees, interval=2)]

    def one_on_one(self, member: Person) -> list[Meeting]:
        both = (self.lead, member)
        options = [
            d
            for d in self.weekdays
            if all(p.hours.on(d) and d not in p.meeting_free_days for p in both)
        ]
        if not options:
            return []
        offset = self.rng.randint(0, min(1, self.window.weeks - 1))
        days = self._every(self.rng.choice(options), 2, offset)
        minute = self.agenda.common_slot(both, days, 30, self.rng)
        if minute is None:
            return []
        title = f"1:1 {self.lead.name} / {member.name}"
        result = [
            self._series(title, days, minute, 30, self._invitees(both), interval=2, count=True)
        ]
        if len(days) > 1 and self.rng.random() < 0.35:
            day = self.rng.choice(days[1:])
            later = [s for s in self.agenda.free_for_all(both, day, 30) if s != minute]
            if later:
                new = self.rng.choice(later)
                result.append(self._override(result[0], day, new, description="Moved."))
                self._book(both, [day], new, 30)
                days = [d for d in days if d != day]
        self._book(both, days, minute, 30)
        return result


def plan_team(
    team: Team, members: tuple[Person, ...], window: Window, rng: random.Random, agenda: Agenda
) -> list[Meeting]:
    """The team's shared events, booked into ``agenda``; none for a team without hours."""
    if not members or not team.hours.weekly_minutes:
        return []
    planner = _TeamPlanner(team, members, window, rng, agenda)
    offsite, offsite_day = planner.offsite()
    holidays = team.holidays
    skipped = [
        d for d in planner.workdays if d == offsite_day or (holidays and holidays.holiday(d))
    ]
    meetings = [offsite, *planner.standup(skipped), *planner.review()]
    parity = rng.randint(0, 1) if window.weeks > 1 else 0
    first, last = planner.weekdays[0], planner.weekdays[-1]
    meetings += planner.biweekly(f"{team.name} sprint planning", first, parity, 60)
    meetings += planner.biweekly(f"{team.name} retro", last, (1 - parity) % window.weeks, 45)
    for member in members[1:]:
        meetings += planner.one_on_one(member)
    return meetings
