"""A seeded, realistic organisation and its week of meeting requests, for ``planner.py``.

The shape, at every size:

- **offices** in both hemispheres: always London, New York, Bengaluru (+05:30, no
  daylight saving) and Sydney (southern, daylight saving), then São Paulo (no daylight
  saving), Tokyo, Berlin, San Francisco, Singapore and Paris as the organisation grows
  (4, 6 and 10 offices). Each person takes their office's public holidays;
- **teams** of 5–9 in one office; **departments** of about six teams over two to four
  offices; **divisions** of up to five departments;
- **people**: office hours, some four-day weeks and early starts, a stretch allowance
  (0, 30 or 60 min), focus blocks (most protected), a meeting-free day for one in ten,
  daily caps (90–240 min) and weekly caps (8–12 h) for many, and two to four existing
  calendar commitments (busy time) in the week;
- **meetings**: a weekly sync per team, two 1:1s and a pair-programming session per team,
  coffee between opted-in people of a department's different offices, and per department
  a cross-office alignment (team leads, out of hours allowed and priced), a workshop
  across two teams and a kick-off (leads required, members optional); per division a
  weekly leads' sync across its departments (out of hours allowed);
- **a burden ledger** from eight earlier weeks in which the far-east offices carried
  most of the late meetings.

Everything comes from one ``random.Random(seed)``: the same seed gives the same
organisation, requests, busy time and ledger.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from asyncfirst.domain.calendars import HolidayCalendar
from asyncfirst.domain.hours import WorkingHours, format_clock, parse_clock
from asyncfirst.domain.intervals import Interval
from asyncfirst.domain.model import AsyncBand, FocusBlock, Organisation, Person, Team
from asyncfirst.domain.requests import MeetingRequest
from asyncfirst.scheduling.ledger import BurdenLedger

__all__ = ["SIZES", "BenchOrg", "Office", "bench_org", "busy_for"]


@dataclass(frozen=True, slots=True)
class Office:
    zone: str
    city: str
    country: str
    subdivision: str | None
    start: str
    end: str
    late_share: float  # how much of the late-meeting burden it carried in earlier weeks


OFFICES = (
    Office("Europe/London", "London", "GB", "ENG", "09:00", "17:30", 0.5),
    Office("America/New_York", "New York", "US", "NY", "09:00", "17:00", 0.8),
    Office("Asia/Kolkata", "Bengaluru", "IN", "KA", "10:00", "18:30", 1.6),
    Office("Australia/Sydney", "Sydney", "AU", "NSW", "08:30", "17:00", 2.0),
    Office("America/Sao_Paulo", "São Paulo", "BR", "SP", "09:00", "18:00", 0.7),
    Office("Asia/Tokyo", "Tokyo", "JP", None, "09:30", "18:30", 2.2),
    Office("Europe/Berlin", "Berlin", "DE", "BE", "09:00", "17:00", 0.5),
    Office("America/Los_Angeles", "San Francisco", "US", "CA", "09:00", "17:30", 1.2),
    Office("Asia/Singapore", "Singapore", "SG", None, "09:00", "18:00", 1.8),
    Office("Europe/Paris", "Paris", "FR", None, "09:00", "17:30", 0.5),
)


@dataclass(frozen=True, slots=True)
class Size:
    name: str
    people: int
    offices: int
    week: date
    why: str


SIZES = {
    "small": Size(
        "small", 50, 4, date(2026, 3, 16),
        "the US is on summer time, Europe not yet (New York–London 4 h instead of 5)",
    ),
    "medium": Size(
        "medium", 500, 6, date(2026, 5, 4),
        "Golden Week in Tokyo (Mon–Wed) and the UK's Early May bank holiday (Mon)",
    ),
    "large": Size(
        "large", 5000, 10, date(2026, 10, 26),
        "Europe is back on winter time, the US not yet; Sydney on summer time",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class BenchOrg:
    org: Organisation
    requests: tuple[MeetingRequest, ...]
    busy: dict[str, list[Interval]]
    ledger: BurdenLedger
    offices: tuple[Office, ...]
    departments: int
    divisions: int


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() else "-" for c in plain.lower()).strip("-")


def _sizes(total: int, low: int, high: int, rng: random.Random) -> list[int]:
    sizes: list[int] = []
    left = total
    while left > high:
        size = rng.randint(low, min(high, left - low))
        sizes.append(size)
        left -= size
    return [*sizes, left] if left else sizes


def _person(ident: str, team: Team, office: Office, rng: random.Random) -> Person:
    r = rng.random()
    if r < 0.10:
        hours = WorkingHours.office(office.start, office.end, rng.choice((range(4), range(1, 5))))
    elif r < 0.20:
        start, end = parse_clock(office.start) - 60, parse_clock(office.end) - 60
        hours = WorkingHours.office(format_clock(start), format_clock(end))
    else:
        hours = WorkingHours.office(office.start, office.end)
    weekdays = [d for d in range(7) if hours.on(d)]
    focus: tuple[FocusBlock, ...] = ()
    if rng.random() < 0.4:
        shift = hours.on(weekdays[0])[0]
        start = shift.start + rng.choice((0, 60, 240))
        protected = rng.random() < 0.7
        focus = tuple(
            FocusBlock(d, start, start + 120, protected) for d in sorted(rng.sample(weekdays, 2))
        )
    return Person(
        id=ident,
        name=ident,
        team_id=team.id,
        zone=office.zone,
        hours=hours,
        holidays=team.holidays,
        meeting_free_days=frozenset({rng.choice(weekdays)}) if rng.random() < 0.1 else frozenset(),
        focus_blocks=focus,
        daily_sync_cap_minutes=rng.choice((None, 120, 180, 240)),
        weekly_sync_cap_minutes=rng.choice((None, None, 480, 600, 720)),
        stretch_minutes=rng.choice((0, 30, 60)),
        social_appetite=round(rng.random(), 1),
    )


def busy_for(org: Organisation, week: date, seed: int) -> dict[str, list[Interval]]:
    """Everyone's existing commitments in the week of ``week`` (seeded by week)."""
    rng = random.Random(f"{seed}-{week.isoformat()}")  # noqa: S311 - reproducible bench data
    return {p.id: _busy(p, week, rng) for p in org.people}


def _busy(person: Person, week: date, rng: random.Random) -> list[Interval]:
    """Two to four existing commitments of 30–60 min inside the person's hours."""
    tz = ZoneInfo(person.zone)
    days = [d for d in range(5) if person.hours.on(d)]
    result = []
    for _ in range(rng.randint(2, 4)):
        day = rng.choice(days)
        shift = person.hours.on(day)[0]
        minutes = rng.choice((30, 45, 60))
        start = shift.start + 15 * rng.randrange(max(1, (shift.minutes - minutes) // 15))
        local = datetime.combine(week + timedelta(days=day), datetime.min.time(), tz)
        begin = (local + timedelta(minutes=start)).astimezone(ZoneInfo("UTC"))
        result.append(Interval(begin, begin + timedelta(minutes=minutes)))
    return result


class _Requests:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.items: list[MeetingRequest] = []

    def add(
        self,
        ident: str,
        kind: str,
        minutes: int,
        required: list[str],
        optional: list[str] | None = None,
        *,
        out_of_hours: bool = False,
        reason: str = "",
    ) -> None:
        self.items.append(
            MeetingRequest(
                id=ident,
                kind=kind,
                title=ident,
                duration_minutes=minutes,
                required=tuple(dict.fromkeys(required)),
                optional=tuple(dict.fromkeys(o for o in optional or () if o not in required)),
                reason=reason or kind,
                allow_out_of_hours=out_of_hours,
            )
        )


def bench_org(size: str, seed: int) -> tuple[BenchOrg, Size]:
    """The organisation, requests, busy time and ledger of ``size`` for ``seed``."""
    spec = SIZES[size]
    rng = random.Random(f"{seed}-{size}")  # noqa: S311 - reproducible bench data
    offices = OFFICES[: spec.offices]
    teams: list[Team] = []
    people: list[Person] = []
    members: dict[str, list[Person]] = {}
    reqs = _Requests(rng)
    team_sizes = _sizes(spec.people, 5, 9, rng)
    dept_sizes = _sizes(len(team_sizes), 5, 7, rng) if len(team_sizes) > 7 else [len(team_sizes)]
    div_sizes = _sizes(len(dept_sizes), 3, 5, rng) if len(dept_sizes) > 5 else [len(dept_sizes)]
    sizes = iter(team_sizes)
    depts: list[list[Team]] = []
    for d, n_teams in enumerate(dept_sizes):
        home = rng.sample(offices, k=min(len(offices), rng.randint(2, 4)))
        dept: list[Team] = []
        for t in range(n_teams):
            office = home[t % len(home)]
            team = Team(
                id=f"d{d + 1}-t{t + 1}-{_slug(office.city)}",
                name=f"Dept {d + 1} team {t + 1} ({office.city})",
                zone=office.zone,
                hours=WorkingHours.office(office.start, office.end),
                holidays=HolidayCalendar(office.country, office.subdivision),
                band=AsyncBand(0.7, 0.95),
            )
            teams.append(team)
            dept.append(team)
            crew = [_person(f"{team.id}-p{i + 1}", team, office, rng) for i in range(next(sizes))]
            members[team.id] = crew
            people += crew
        depts.append(dept)
    for dept in depts:
        for team in dept:
            crew = [p.id for p in members[team.id]]
            lead = crew[0]
            reqs.add(f"{team.id}-sync", "alignment", rng.choice((30, 45)), [team.id])
            for other in rng.sample(crew[1:], 2):
                reqs.add(
                    f"{team.id}-1on1-{other.rsplit('-', 1)[1]}", "one-on-one", 30, [lead, other]
                )
            pair = rng.sample(crew, 2)
            reqs.add(f"{team.id}-pair", "pair-programming", rng.choice((90, 120)), pair)
        tag = dept[0].id.split("-")[0]
        leads = [members[t.id][0].id for t in dept]
        reqs.add(f"{tag}-alignment", "alignment", 45, leads, out_of_hours=True)
        a = rng.choice(dept)
        near = [t for t in dept if t is not a and t.zone == a.zone]
        b = rng.choice(near or [t for t in dept if t is not a])
        workshop = rng.sample([p.id for p in members[a.id]], 3) + rng.sample(
            [p.id for p in members[b.id]], 2
        )
        reqs.add(f"{tag}-workshop", "workshop", 120, workshop)
        c, e = rng.sample(dept, 2)
        reqs.add(
            f"{tag}-kickoff", "kick-off", 60,
            [members[c.id][0].id, members[e.id][0].id], [c.id, e.id],
        )  # fmt: skip
        social = [p for t in dept for p in members[t.id] if p.social_appetite >= 0.5]
        rng.shuffle(social)
        for n, (x, y) in enumerate(zip(social[::2], social[1::2], strict=False)):
            if x.team_id != y.team_id:
                reqs.add(f"{tag}-coffee-{n + 1}", "social", 30, [x.id, y.id])
    first = 0
    for v, n_depts in enumerate(div_sizes):
        group = depts[first : first + n_depts]
        first += n_depts
        if len(div_sizes) > 1:
            heads = [members[d[0].id][0].id for d in group]
            reqs.add(f"div{v + 1}-leads", "alignment", 60, heads, out_of_hours=True)
    org = Organisation(f"Bench org ({size}, seed {seed})", tuple(teams), tuple(people))
    busy = busy_for(org, spec.week, seed)
    share = {o.zone: o.late_share for o in offices}
    person = {p.id: round(rng.uniform(0, 400) * share[p.zone], 1) for p in people}
    zone: dict[str, float] = {}
    for p in people:
        zone[p.zone] = round(zone.get(p.zone, 0.0) + person[p.id], 1)
    weeks = tuple((spec.week - timedelta(weeks=k)).isoformat() for k in range(8, 0, -1))
    ledger = BurdenLedger(person=person, zone=zone, weeks=weeks)
    bench = BenchOrg(org, tuple(reqs.items), busy, ledger, offices, len(depts), len(div_sizes))
    return bench, spec
