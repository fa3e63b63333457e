"""Each person's own events, and the meetings that cross teams and zones.

Cross-team meetings are booked at the organiser's convenience (inside the organiser's
hours, in the organiser's zone), so they often land early or late for the invitees in
other zones, who then accept, hedge or decline much as people do: a meeting in someone's
night is declined more often than one inside their hours.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from asyncfirst.adapters.synthetic.meetings import DOMAIN, Agenda, Meeting, Window, at, new_uid
from asyncfirst.domain.model import Organisation, Person
from asyncfirst.domain.zones import zone

__all__ = ["PersonPlanner"]

_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_TOPICS = (
    "API contract", "release hand-off", "onboarding flow", "flaky tests", "billing migration",
    "roadmap", "incident follow-up", "design critique", "data pipeline", "accessibility audit",
    "pricing page", "search ranking", "mobile release", "observability", "customer escalation",
)  # fmt: skip
_KINDS = ("Sync", "Review", "Hand-off", "Working session", "Kick-off", "Troubleshooting")
_HOLDS = ("Hold: prep", "Hold: travel", "Hold: errands", "Hold: interview loop", "Hold: school run")
_LEAVE = ("Out of office", "Vacation", "Personal day", "Conference")
_VIDEO = "Video call"


class PersonPlanner:
    """Adds personal and cross-team events to ``calendars`` (person id -> their events)."""

    def __init__(
        self, org: Organisation, window: Window, rng: random.Random, agenda: Agenda
    ) -> None:
        self.org, self.window, self.rng, self.agenda = org, window, rng, agenda
        self.members = {t.id: org.members(t.id) for t in org.teams}
        self.calendars: dict[str, list[Meeting]] = {p.id: [] for p in org.people}
        self._holidays: dict[tuple[str, date], Meeting] = {}
        self._workdays_of: dict[str, list[date]] = {}

    def add(self, meeting: Meeting, people: tuple[Person, ...] | None = None) -> None:
        for person in meeting.people if people is None else people:
            self.calendars[person.id].append(meeting)

    def _workdays(self, person: Person) -> list[date]:
        found = self._workdays_of.get(person.id)
        if found is None:
            schedule = person.schedule
            found = self._workdays_of[person.id] = [
                d
                for d in self.window.days
                if person.hours.on(d.weekday()) and schedule.day_off(d) is None
            ]
        return found

    def _convenient(self, person: Person, minutes: int) -> datetime | None:
        """A free start inside ``person``'s hours on one of their working days."""
        days = self._workdays(person)
        for _ in range(4 if days else 0):
            day = self.rng.choice(days)
            slots = self.agenda.slots(person, day, minutes)
            if slots:
                return at(day, self.rng.choice(slots), person.zone)
        return None

    def _reply(self, person: Person, start: datetime, minutes: int) -> str:
        """How ``person`` answers an invitation at ``start``: by how awkward it is for them."""
        local = start.astimezone(zone(person.zone))
        first = local.hour * 60 + local.minute
        shifts = person.hours.on(local.weekday())
        r = self.rng.random()
        if any(s.start <= first and first + minutes <= s.end for s in shifts):
            return "ACCEPTED" if r < 0.85 else "TENTATIVE" if r < 0.95 else "NEEDS-ACTION"
        night = local.hour < 7 or local.hour >= 21
        declined = 0.45 if night else 0.2
        return "DECLINED" if r < declined else "ACCEPTED" if r < 0.85 else "TENTATIVE"

    def _guests(self, organiser: Person, count: int) -> list[Person]:
        """``count`` people from other teams, from teams in other zones where there are any."""
        own = self.org.team(organiser.team_id)
        others = [t for t in self.org.teams if t.id != own.id and self.members[t.id]]
        far = [t for t in others if t.zone != own.zone] or others
        pool = far or [own]
        guests: list[Person] = []
        for _ in range(count):
            person = self.rng.choice(self.members[self.rng.choice(pool).id])
            if person.id != organiser.id and all(g.id != person.id for g in guests):
                guests.append(person)
        return guests

    def _meeting(
        self,
        organiser: Person,
        guests: list[Person],
        start: datetime,
        minutes: int,
        summary: str,
        *,
        cancelled: bool = False,
        replies: dict[str, str] | None = None,
    ) -> None:
        given = replies or {}
        answers = tuple((g, given.get(g.id) or self._reply(g, start, minutes)) for g in guests)
        meeting = Meeting(
            uid=new_uid(self.rng),
            summary=summary,
            start=start,
            end=start + timedelta(minutes=minutes),
            organiser=organiser,
            attendees=((organiser, "ACCEPTED"), *answers),
            location=_VIDEO,
            status="CANCELLED" if cancelled else "CONFIRMED",
            sequence=1 if cancelled else 0,
        )
        self.add(meeting)
        if not cancelled:
            going = tuple(p for p, s in meeting.attendees if s != "DECLINED")
            self.agenda.book(going, start, start + timedelta(minutes=minutes))

    def cross_team_sync(self, team_id: str) -> None:
        """A weekly sync the team's lead runs with the lead of a team in another zone."""
        team_members = self.members[team_id]
        if not team_members:
            return
        lead = team_members[0]
        weekdays = [d for d in range(7) if lead.hours.on(d)]
        partners = self._guests(lead, 1)
        if not weekdays or not partners:
            return
        weekday = self.rng.choice(weekdays)
        days = [d for d in self.window.days if d.weekday() == weekday]
        minute = self.agenda.common_slot([lead], days, 45, self.rng)
        if minute is None:
            return
        extra = [*team_members[1:2], *self.members[partners[0].team_id][1:2]]
        guests = [p for p in dict.fromkeys([*partners, *extra]) if p.id != lead.id]
        start = at(days[0], minute, lead.zone)
        partner_team = self.org.team(partners[0].team_id)
        summary = f"{self.org.team(team_id).name} × {partner_team.name} sync"
        replies = tuple((g, self._reply(g, start, 45)) for g in guests)
        until = self.window.until(lead.zone)
        rule = {"FREQ": "WEEKLY", "UNTIL": until, "BYDAY": [_BYDAY[days[0].weekday()]]}
        meeting = Meeting(
            uid=new_uid(self.rng),
            summary=summary,
            start=start,
            end=start + timedelta(minutes=45),
            organiser=lead,
            attendees=((lead, "ACCEPTED"), *replies),
            rrule=rule,
            location=_VIDEO,
        )
        self.add(meeting)
        going = tuple(p for p, s in meeting.attendees if s != "DECLINED")
        for day in days:
            first = at(day, minute, lead.zone)
            self.agenda.book(going, first, first + timedelta(minutes=45))

    def _solo_series(
        self, person: Person, summary: str, weekdays: list[int], span: tuple[int, int], free: bool
    ) -> None:
        """A weekly block of ``person``'s own on ``weekdays``, local minutes ``span``."""
        days = [d for d in self.window.days if d.weekday() in weekdays]
        minutes = span[1] - span[0]
        first = at(days[0], span[0], person.zone)
        rule = {
            "FREQ": "WEEKLY",
            "UNTIL": self.window.until(person.zone),
            "BYDAY": [_BYDAY[d] for d in sorted(weekdays)],
        }
        end = first + timedelta(minutes=minutes)
        uid = new_uid(self.rng)
        self.add(Meeting(uid, summary, first, end, organiser=person, rrule=rule, transparent=free))
        for day in days:
            begin = at(day, span[0], person.zone)
            self.agenda.book((person,), begin, begin + timedelta(minutes=minutes))

    def focus(self, person: Person) -> None:
        """The charter's focus blocks as weekly series, or a focus habit for some people."""
        groups: dict[tuple[int, int, bool], list[int]] = {}
        for block in person.focus_blocks:
            groups.setdefault((block.start, block.end, block.protected), []).append(block.weekday)
        if not groups and self.rng.random() < 0.7:
            weekdays = [d for d in range(7) if person.hours.on(d)]
            picked = sorted(self.rng.sample(weekdays, min(len(weekdays), self.rng.randint(1, 3))))
            days = [d for d in self.window.days if d.weekday() in picked]
            minute = self.agenda.common_slot([person], days, 120, self.rng)
            if minute is not None:
                groups[(minute, minute + 120, self.rng.random() < 0.5)] = picked
        for (start, end, protected), weekdays in groups.items():
            self._solo_series(person, "Focus time", weekdays, (start, end), not protected)

    def lunch(self, person: Person) -> None:
        """A daily lunch block for most people, at a midday time free all window."""
        weekdays = [d for d in range(5) if person.hours.on(d)]
        if not weekdays or self.rng.random() >= 0.6:
            return
        days = [d for d in self.window.days if d.weekday() in weekdays]
        minutes = self.rng.choice((30, 45, 60))
        free = [
            m
            for m in (720, 750, 690, 780)
            if all(self.agenda.is_free(person, d, m, m + minutes) for d in days)
        ]
        if free:
            span = (free[0], free[0] + minutes)
            self._solo_series(person, "Lunch", weekdays, span, self.rng.random() < 0.3)

    def hold(self, person: Person) -> None:
        """A tentative hold marked free (TRANSP:TRANSPARENT), as people park time."""
        start = self._convenient(person, 60)
        if start is not None:
            self.add(
                Meeting(
                    uid=new_uid(self.rng),
                    summary=self.rng.choice(_HOLDS),
                    start=start,
                    end=start + timedelta(minutes=60),
                    organiser=person,
                    transparent=True,
                )
            )

    def one_offs(self, person: Person) -> None:
        """A few meetings ``person`` calls with people of other teams, some cancelled."""
        weeks = self.window.weeks
        for _ in range(self.rng.randint(max(1, weeks // 2), weeks)):
            minutes = self.rng.choice((30, 45, 60))
            start = self._convenient(person, minutes)
            guests = self._guests(person, self.rng.randint(1, 3))
            if start is None or not guests:
                continue
            summary = f"{self.rng.choice(_KINDS)}: {self.rng.choice(_TOPICS)}"
            cancelled = self.rng.random() < 0.08
            self._meeting(person, guests, start, minutes, summary, cancelled=cancelled)

    def days_away(self, person: Person) -> None:
        """Time off from the charter inside the window, or now and then a random day off."""
        spans = [
            (
                max(p.first, self.window.start),
                min(p.last + timedelta(days=1), self.window.end),
                p.reason,
            )
            for p in person.time_off
            if p.first < self.window.end and p.last >= self.window.start
        ]
        workdays = self._workdays(person)
        if not spans and workdays and self.rng.random() < 0.3:
            first = self.rng.choice(workdays)
            spans.append((first, first + timedelta(days=self.rng.randint(1, 3)), "Out of office"))
        for first, end, reason in spans:
            title = reason.capitalize() if reason != "time off" else self.rng.choice(_LEAVE)
            self.add(
                Meeting(
                    uid=new_uid(self.rng), summary=title, start=first, end=end, organiser=person
                )
            )

    def public_holidays(self, person: Person) -> None:
        """The person's public holidays as all-day free events, shared like a holiday feed."""
        if person.holidays is None:
            return
        label = person.holidays.label()
        for day in self.window.days:
            name = person.holidays.holiday(day)
            if name is None:
                continue
            key = (label, day)
            if key not in self._holidays:
                self._holidays[key] = Meeting(
                    uid=f"holiday-{label.lower()}-{day:%Y%m%d}@{DOMAIN}",
                    summary=name,
                    start=day,
                    end=day + timedelta(days=1),
                    transparent=True,
                )
            self.add(self._holidays[key], (person,))

    def ensure_declined(self, person: Person) -> None:
        """An optional talk ``person`` declined, unless they already declined something."""
        if any(m.partstat(person) == "DECLINED" for m in self.calendars[person.id]):
            return
        hosts = self._guests(person, 1) or [p for p in self.org.people if p.id != person.id][:1]
        start = self._convenient(hosts[0], 45) if hosts else None
        if start is None:
            return
        talk = f"Optional: brown-bag on {self.rng.choice(_TOPICS)}"
        self._meeting(hosts[0], [person], start, 45, talk, replies={person.id: "DECLINED"})
