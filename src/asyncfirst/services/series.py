"""Use case: a recurring meeting across zones — rotate it fairly, relay it, or go async."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from asyncfirst.domain.errors import InputError
from asyncfirst.domain.model import Organisation, Person
from asyncfirst.scheduling.series_options import KIND_NEEDS, SeriesOptions, series_options

__all__ = ["MAX_DURATION_MINUTES", "MAX_OCCURRENCES", "SeriesReport", "plan_series"]

MAX_OCCURRENCES = 26
MAX_DURATION_MINUTES = 240


@dataclass(frozen=True)
class SeriesReport:
    """The attendees, the weeks of the series, and its three formats with a recommendation."""

    attendees: tuple[Person, ...]
    duration_minutes: int
    weeks: tuple[date, ...]
    options: SeriesOptions

    @property
    def zones(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.zone for p in self.attendees))

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``asyncfirst series --json``."""
        return {
            "attendees": [
                {"id": p.id, "name": p.name, "team": p.team_id, "zone": p.zone}
                for p in self.attendees
            ],
            "duration_minutes": self.duration_minutes,
            "weeks": [w.isoformat() for w in self.weeks],
            **self.options.to_dict(),
        }


def _check(duration_minutes: int, first_week: date, occurrences: int, kind: str) -> None:
    if not 0 < duration_minutes <= MAX_DURATION_MINUTES:
        raise InputError(
            f"--duration must be between 1 and {MAX_DURATION_MINUTES} minutes, "
            f"got {duration_minutes}",
            duration=duration_minutes,
        )
    if not 1 <= occurrences <= MAX_OCCURRENCES:
        raise InputError(
            f"--occurrences must be between 1 and {MAX_OCCURRENCES}, got {occurrences}",
            occurrences=occurrences,
        )
    if first_week.weekday() != 0:
        monday = first_week - timedelta(days=first_week.weekday())
        raise InputError(
            f"--from {first_week.isoformat()} is a {first_week:%A}; a series starts on a "
            f"Monday, e.g. {monday.isoformat()}"
        )
    if kind not in KIND_NEEDS:
        raise InputError(f'--kind "{kind}" is unknown — known: {", ".join(KIND_NEEDS)}')


def plan_series(
    org: Organisation,
    attendee_ids: Sequence[str],
    duration_minutes: int,
    first_week: date,
    occurrences: int,
    kind: str,
    *,
    same_weekday: bool = False,
) -> SeriesReport:
    """A weekly meeting of the people of ``attendee_ids`` (person or team ids) for
    ``occurrences`` weeks from Monday ``first_week``: the fair rotation (with the
    cheapest-slot baseline), the relay and the async format, and the recommended one for
    ``kind``. Respond-by hours come from each attendee's team in the charter."""
    _check(duration_minutes, first_week, occurrences, kind)
    people = org.resolve_all(attendee_ids)
    weeks = tuple(first_week + timedelta(weeks=n) for n in range(occurrences))
    options = series_options(
        people,
        duration_minutes,
        weeks,
        kind=kind,
        respond_by_hours_by_team={t.id: t.respond_by_hours for t in org.teams},
        same_weekday=same_weekday,
    )
    return SeriesReport(people, duration_minutes, weeks, options)
