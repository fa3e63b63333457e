"""The organisation as the charter describes it: teams, people and their working agreement."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from asyncfirst.domain.calendars import DateRange, HolidayCalendar
from asyncfirst.domain.errors import InputError, UnknownEntityError
from asyncfirst.domain.hours import WorkingHours
from asyncfirst.domain.routing import RouterPolicy
from asyncfirst.domain.schedule import WorkSchedule

__all__ = ["AsyncBand", "FocusBlock", "Organisation", "Person", "Team"]


@dataclass(frozen=True, slots=True)
class AsyncBand:
    """The async share a team aims for, e.g. 0.70–0.95 (the rest is sync)."""

    low: float
    high: float

    def __post_init__(self) -> None:
        if not 0.0 <= self.low <= self.high <= 1.0:
            raise ValueError(f"async band {self.low}–{self.high} must satisfy 0 ≤ low ≤ high ≤ 1")

    def contains(self, async_share: float) -> bool:
        return self.low <= async_share <= self.high

    def label(self) -> str:
        return f"{self.low:.2f}–{self.high:.2f} async"


@dataclass(frozen=True, slots=True)
class FocusBlock:
    """A weekly stretch of deep work in the person's local time (minutes after midnight)."""

    weekday: int
    start: int
    end: int
    protected: bool = True


@dataclass(frozen=True, slots=True)
class Team:
    id: str
    name: str
    zone: str
    hours: WorkingHours
    holidays: HolidayCalendar | None
    band: AsyncBand
    respond_by_hours: float = 8.0
    decision_deadline_hours: float = 24.0
    alignment_cadence_weeks: int = 1
    alignment_minutes: int = 30
    coffee_every_weeks: int = 1
    reflection_every_weeks: int = 4
    sync_kinds: tuple[str, ...] = ()
    router: RouterPolicy = field(default_factory=RouterPolicy.default)

    @property
    def schedule(self) -> WorkSchedule:
        """The team's charter hours and holidays (no one's personal time off)."""
        return WorkSchedule(self.zone, self.hours, self.holidays)


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    team_id: str
    zone: str
    hours: WorkingHours
    holidays: HolidayCalendar | None
    emails: tuple[str, ...] = ()
    time_off: tuple[DateRange, ...] = ()
    meeting_free_days: frozenset[int] = frozenset()
    focus_blocks: tuple[FocusBlock, ...] = ()
    daily_sync_cap_minutes: int | None = None
    weekly_sync_cap_minutes: int | None = None
    stretch_minutes: int = 0
    social_appetite: float = 0.0

    @property
    def schedule(self) -> WorkSchedule:
        return WorkSchedule(self.zone, self.hours, self.holidays, self.time_off)


@dataclass(frozen=True)
class Organisation:
    name: str
    teams: tuple[Team, ...]
    people: tuple[Person, ...]
    _teams: MappingProxyType[str, Team] = field(init=False, repr=False, compare=False)
    _people: MappingProxyType[str, Person] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_teams", MappingProxyType({t.id: t for t in self.teams}))
        object.__setattr__(self, "_people", MappingProxyType({p.id: p for p in self.people}))

    def team(self, team_id: str) -> Team:
        try:
            return self._teams[team_id]
        except KeyError:
            raise self._unknown(team_id, "team", list(self._teams)) from None

    def person(self, person_id: str) -> Person:
        try:
            return self._people[person_id]
        except KeyError:
            raise self._unknown(person_id, "person", list(self._people)) from None

    def members(self, team_id: str) -> tuple[Person, ...]:
        self.team(team_id)
        return tuple(p for p in self.people if p.team_id == team_id)

    def is_team(self, ident: str) -> bool:
        return ident in self._teams

    def resolve(self, ident: str) -> tuple[Person, ...]:
        """The people named by a person id or a team id."""
        if ident in self._people:
            return (self._people[ident],)
        if ident in self._teams:
            return self.members(ident)
        raise self._unknown(ident, "person or team", [*self._teams, *self._people])

    def resolve_all(self, idents: Sequence[str]) -> tuple[Person, ...]:
        """The people named by person and team ids, each once, in the order first named."""
        if not idents:
            raise InputError("name at least one attendee (a person id or a team id) with --with")
        people: dict[str, Person] = {}
        for ident in idents:
            resolved = self.resolve(ident)
            if not resolved:
                raise InputError(f'team "{ident}" has no members', entity=ident)
            for person in resolved:
                people.setdefault(person.id, person)
        return tuple(people.values())

    def person_by_email(self, email: str) -> Person | None:
        needle = email.strip().lower()
        return next((p for p in self.people if needle in (e.lower() for e in p.emails)), None)

    @staticmethod
    def _unknown(ident: str, what: str, known: list[str]) -> UnknownEntityError:
        close = difflib.get_close_matches(ident, known, n=1)
        hint = f' — did you mean "{close[0]}"?' if close else f" — known: {', '.join(known)}"
        return UnknownEntityError(f'unknown {what} "{ident}"{hint}', entity=ident)
