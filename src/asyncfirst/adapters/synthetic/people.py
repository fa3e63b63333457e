"""A synthetic organisation of any size: teams of 5–9 people spread over time zones.

Each team sits in one office (zone, working hours, public holidays of its country); its
people vary the way real people do: a four-day week, an early start, focus blocks, a
meeting-free day, a daily sync cap. Same ``seed``, same organisation.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from asyncfirst.adapters.synthetic.meetings import DOMAIN
from asyncfirst.domain.calendars import HolidayCalendar
from asyncfirst.domain.errors import InputError
from asyncfirst.domain.hours import WorkingHours, format_clock, parse_clock
from asyncfirst.domain.model import AsyncBand, FocusBlock, Organisation, Person, Team

__all__ = ["synthetic_organisation"]


@dataclass(frozen=True, slots=True)
class _Office:
    zone: str
    city: str
    country: str
    subdivision: str | None
    start: str
    end: str
    names: str


_OFFICES = (
    _Office("Europe/Paris", "Paris", "FR", None, "09:00", "17:30", "fr"),
    _Office("Asia/Tokyo", "Tokyo", "JP", None, "09:30", "18:30", "jp"),
    _Office("America/New_York", "New York", "US", "NY", "09:00", "17:00", "us"),
    _Office("Asia/Kolkata", "Bengaluru", "IN", "KA", "10:00", "18:30", "in"),
    _Office("America/Sao_Paulo", "São Paulo", "BR", "SP", "09:00", "18:00", "br"),
    _Office("Australia/Sydney", "Sydney", "AU", "NSW", "08:30", "17:00", "en"),
    _Office("Europe/London", "London", "GB", "ENG", "09:00", "17:30", "en"),
    _Office("America/Los_Angeles", "San Francisco", "US", "CA", "09:00", "17:30", "us"),
    _Office("Europe/Berlin", "Berlin", "DE", "BE", "09:00", "17:00", "de"),
    _Office("Asia/Singapore", "Singapore", "SG", None, "09:00", "18:00", "sg"),
)

_NAMES = {
    "fr": ("Amélie Camille Léa Hugo Louis Chloé Théo Manon Lucas Inès",
           "Laurent Moreau Dubois Petit Bernard Roux Fournier Girard Lefèvre Mercier"),
    "jp": ("Kenji Yuki Haruto Sakura Ren Aoi Sota Hina Riku Mei",
           "Sato Tanaka Suzuki Ito Watanabe Yamamoto Nakamura Kobayashi Kato Yoshida"),
    "us": ("Maria James Olivia Noah Ava Ethan Mia Liam Harper Lucas",
           "Garcia Miller Johnson Williams Brown Davis Martinez Wilson Anderson Lee"),
    "in": ("Aarav Priya Vihaan Ananya Arjun Diya Rohan Kavya Ishaan Meera",
           "Sharma Patel Iyer Reddy Nair Gupta Rao Menon Singh Das"),
    "br": ("João Ana Pedro Beatriz Lucas Larissa Gabriel Júlia Rafael Camila",
           "Silva Santos Oliveira Souza Lima Pereira Costa Ferreira Almeida Ribeiro"),
    "en": ("Oliver Charlotte Jack Amelia Harry Isla George Grace Thomas Sophie",
           "Smith Jones Taylor Brown Wilson Evans Thomas Roberts Walker Wright"),
    "de": ("Lukas Anna Felix Marie Jonas Lena Paul Sophie Leon Emma",
           "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Hoffmann Schulz"),
    "sg": ("Wei Ling Jun Hui Arun Siti Ming Mei Farah Kai",
           "Tan Lim Lee Ng Ong Wong Goh Chua Koh Teo"),
}  # fmt: skip
_FUNCTIONS = ("Platform", "Payments", "Mobile", "Data", "Design", "QA", "Growth", "Infra",
              "Search", "Support", "Security", "Billing")  # fmt: skip
_BANDS = ((0.70, 0.95), (0.80, 0.95), (0.60, 0.90), (0.75, 0.90))


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() else "-" for c in ascii_text.lower()).strip("-")


def _team_sizes(people: int, rng: random.Random) -> list[int]:
    sizes: list[int] = []
    remaining = people
    while remaining > 9:
        size = rng.randint(5, min(9, remaining - 5))
        sizes.append(size)
        remaining -= size
    return [*sizes, remaining]


def _hours(office: _Office, rng: random.Random) -> WorkingHours:
    """The office's hours, or a personal variant: a four-day week or an early start."""
    r = rng.random()
    if r < 0.12:
        return WorkingHours.office(office.start, office.end, rng.choice((range(4), range(1, 5))))
    if r < 0.22:
        start, end = parse_clock(office.start) - 60, parse_clock(office.end) - 60
        return WorkingHours.office(format_clock(start), format_clock(end))
    return WorkingHours.office(office.start, office.end)


def _person(ident: str, name: str, team: Team, office: _Office, rng: random.Random) -> Person:
    hours = _hours(office, rng)
    weekdays = [d for d in range(7) if hours.on(d)]
    focus: tuple[FocusBlock, ...] = ()
    if rng.random() < 0.35:
        shift = hours.on(weekdays[0])[0]
        start = shift.start + rng.choice((0, 60, 240))
        protected = rng.random() < 0.7
        days = sorted(rng.sample(weekdays, 2))
        focus = tuple(FocusBlock(d, start, start + 120, protected) for d in days)
    return Person(
        id=ident,
        name=name,
        team_id=team.id,
        zone=office.zone,
        hours=hours,
        holidays=team.holidays,
        emails=(f"{ident}@{DOMAIN}",),
        meeting_free_days=frozenset({rng.choice(weekdays)}) if rng.random() < 0.1 else frozenset(),
        focus_blocks=focus,
        daily_sync_cap_minutes=rng.choice((None, None, 90, 120, 180)),
        social_appetite=round(rng.random(), 1),
    )


def synthetic_organisation(people: int, seed: int) -> Organisation:
    """An organisation of ``people`` people in teams of 5–9 (fewer only if ``people`` < 5)."""
    if people < 1:
        raise InputError(f"--people must be at least 1, got {people}", people=people)
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    offices = list(_OFFICES)
    rng.shuffle(offices)
    teams: list[Team] = []
    members: list[Person] = []
    for index, size in enumerate(_team_sizes(people, rng)):
        office = offices[index % len(offices)]
        function = _FUNCTIONS[(index // len(offices)) % len(_FUNCTIONS)]
        team = Team(
            id=f"{_slug(function)}-{_slug(office.city)}-{index + 1}",
            name=f"{function} {office.city} {index + 1}",
            zone=office.zone,
            hours=WorkingHours.office(office.start, office.end),
            holidays=HolidayCalendar(office.country, office.subdivision),
            band=AsyncBand(*rng.choice(_BANDS)),
        )
        teams.append(team)
        firsts, lasts = (part.split() for part in _NAMES[office.names])
        for _ in range(size):
            name = f"{rng.choice(firsts)} {rng.choice(lasts)}"
            ident = f"{_slug(name)}-{len(members) + 1:04d}"
            members.append(_person(ident, name, team, office, rng))
    return Organisation(f"Synthetic Org ({people} people)", tuple(teams), tuple(members))
