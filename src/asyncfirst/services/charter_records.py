"""The charter as the database keeps it: plain records, their text form, and the storage port.

A record holds what ``charter apply`` stores about a team or a person, each field in a
canonical text form so that a diff reads like the charter (``async_band 0.70–0.90``). The
``CharterUnitOfWork`` port is what ``charter_sync`` needs; ``adapters.db`` implements it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from asyncfirst.domain.hours import WEEKDAYS, format_clock
from asyncfirst.domain.model import FocusBlock, Organisation, Person, Team

__all__ = [
    "POLICY_FIELDS",
    "AppliedCharter",
    "CharterRepository",
    "CharterSnapshot",
    "CharterUnitOfWork",
    "PersonRecord",
    "PolicyChange",
    "TeamRecord",
]

POLICY_FIELDS = (
    "async_band",
    "respond_by_hours",
    "decision_deadline_hours",
    "alignment",
    "sync_kinds",
)


def _num(value: float) -> str:
    """0.7 → "0.70", 8.0 → "8", 0.705 → "0.705": short, but never hiding a change."""
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}" if round(value, 2) == value else repr(value)


def _band(low: float, high: float) -> str:
    return (
        f"{low:.2f}–{high:.2f}"
        if (round(low, 2), round(high, 2)) == (low, high)
        else f"{low!r}–{high!r}"
    )


def _focus(block: FocusBlock) -> str:
    text = (
        f"{WEEKDAYS[block.weekday].title()} {format_clock(block.start)}–{format_clock(block.end)}"
    )
    return text if block.protected else f"{text} (unprotected)"


@dataclass(frozen=True, slots=True)
class TeamRecord:
    key: str
    name: str
    zone: str
    hours: str
    holidays: str
    band_low: float
    band_high: float
    respond_by_hours: float
    decision_deadline_hours: float
    alignment_every_weeks: int
    alignment_minutes: int
    sync_kinds: tuple[str, ...]
    coffee_every_weeks: int
    reflection_every_weeks: int
    active: bool = True

    @classmethod
    def from_team(cls, team: Team) -> TeamRecord:
        return cls(
            team.id, team.name, team.zone, team.hours.describe(),
            team.holidays.label() if team.holidays else "none",
            team.band.low, team.band.high, team.respond_by_hours, team.decision_deadline_hours,
            team.alignment_cadence_weeks, team.alignment_minutes, tuple(team.sync_kinds),
            team.coffee_every_weeks, team.reflection_every_weeks,
        )  # fmt: skip

    def fields(self) -> dict[str, str]:
        """Each stored field as the diff and the history show it."""
        weeks = self.alignment_every_weeks
        return {
            "name": self.name,
            "zone": self.zone,
            "hours": self.hours,
            "holidays": self.holidays,
            "async_band": _band(self.band_low, self.band_high),
            "respond_by_hours": _num(self.respond_by_hours),
            "decision_deadline_hours": _num(self.decision_deadline_hours),
            "alignment": f"every {weeks} week{'s' if weeks != 1 else ''}, {self.alignment_minutes} min",
            "sync_kinds": ", ".join(self.sync_kinds) or "none",
            "coffee_every_weeks": str(self.coffee_every_weeks),
            "reflection_every_weeks": str(self.reflection_every_weeks),
        }


@dataclass(frozen=True, slots=True)
class PersonRecord:
    key: str
    name: str
    team: str
    zone: str
    hours: str
    holidays: str
    emails: tuple[str, ...]
    focus: str
    meeting_free_days: str
    time_off: str
    daily_sync_cap_minutes: int | None
    weekly_sync_cap_minutes: int | None
    stretch_minutes: int
    social_appetite: float
    active: bool = True

    @classmethod
    def from_person(cls, person: Person) -> PersonRecord:
        return cls(
            person.id, person.name, person.team_id, person.zone, person.hours.describe(),
            person.holidays.label() if person.holidays else "none", tuple(person.emails),
            "; ".join(_focus(b) for b in person.focus_blocks) or "none",
            ", ".join(WEEKDAYS[d].title() for d in sorted(person.meeting_free_days)) or "none",
            "; ".join(f"{r.first}–{r.last} {r.reason}" for r in person.time_off) or "none",
            person.daily_sync_cap_minutes, person.weekly_sync_cap_minutes,
            person.stretch_minutes, person.social_appetite,
        )  # fmt: skip

    def fields(self) -> dict[str, str]:
        def cap(value: int | None) -> str:
            return "none" if value is None else f"{value} min"

        return {
            "name": self.name,
            "team": self.team,
            "zone": self.zone,
            "hours": self.hours,
            "holidays": self.holidays,
            "email": ", ".join(self.emails) or "none",
            "focus": self.focus,
            "meeting_free_days": self.meeting_free_days,
            "time_off": self.time_off,
            "daily_sync_cap_minutes": cap(self.daily_sync_cap_minutes),
            "weekly_sync_cap_minutes": cap(self.weekly_sync_cap_minutes),
            "stretch_minutes": f"{self.stretch_minutes} min",
            "social_appetite": _num(self.social_appetite),
        }


@dataclass(frozen=True)
class CharterSnapshot:
    """An organisation's teams and people as records (removed ones stay, inactive)."""

    organisation: str
    teams: Mapping[str, TeamRecord]
    people: Mapping[str, PersonRecord]

    @classmethod
    def from_organisation(cls, org: Organisation) -> CharterSnapshot:
        teams = {t.id: TeamRecord.from_team(t) for t in org.teams}
        people = {p.id: PersonRecord.from_person(p) for p in org.people}
        return cls(org.name, teams, people)

    def digest(self) -> str:
        """SHA-256 of the active records: equal digests mean the same stored charter."""
        document = {
            "organisation": self.organisation,
            "teams": [asdict(t) for _, t in sorted(self.teams.items()) if t.active],
            "people": [asdict(p) for _, p in sorted(self.people.items()) if p.active],
        }
        text = json.dumps(document, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class AppliedCharter:
    """One ``charter apply`` that changed the database."""

    digest: str
    applied_at: datetime
    applied_by: str
    source: str
    reason: str | None


@dataclass(frozen=True, slots=True)
class PolicyChange:
    """Who changed a team's policy field, when, why; ``old`` is None when the team was new."""

    team: str
    field: str
    old: str | None
    new: str
    changed_at: datetime
    changed_by: str
    reason: str | None

    def to_dict(self) -> dict[str, str | None]:
        return {**asdict(self), "changed_at": self.changed_at.isoformat()}


class CharterRepository(Protocol):
    def snapshot(self) -> CharterSnapshot | None:
        """The stored organisation, or ``None`` in an empty database."""
        ...

    def save_organisation(self, name: str, at: datetime) -> None: ...

    def save_team(self, team: TeamRecord, at: datetime) -> None:
        """Insert the team, or update the one with the same key."""
        ...

    def save_person(self, person: PersonRecord, at: datetime) -> None:
        """Insert the person, or update the one with the same key (after their team)."""
        ...

    def add_apply(self, applied: AppliedCharter) -> int:
        """Record an apply; returns its id for the history rows it caused."""
        ...

    def add_policy_change(self, change: PolicyChange, apply_id: int) -> None: ...

    def policy_history(self, team: str | None = None) -> list[PolicyChange]:
        """Policy changes, oldest first, of one team or of all."""
        ...

    def last_apply(self) -> AppliedCharter | None: ...


class CharterUnitOfWork(Protocol):
    """One transaction over the charter tables: nothing is kept unless ``commit`` is called."""

    charter: CharterRepository

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...
