"""Where the report finds each person's calendar: a folder of ICS files, or synthetic ones."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from asyncfirst.adapters.ics import import_calendar
from asyncfirst.adapters.synthetic import generate_calendars
from asyncfirst.domain.calendar import ImportResult, normalise_email
from asyncfirst.domain.errors import CalendarError
from asyncfirst.domain.model import Organisation, Person

__all__ = ["FolderCalendars", "InMemoryCalendars", "synthetic_calendars"]


class InMemoryCalendars:
    """Calendars held as bytes by person id (synthetic demo calendars, tests)."""

    def __init__(self, by_person: dict[str, bytes]) -> None:
        self._by_person = by_person

    def for_person(self, person: Person, start: datetime, end: datetime) -> ImportResult | None:
        data = self._by_person.get(person.id)
        if data is None:
            return None
        emails = frozenset(normalise_email(e) for e in person.emails)
        return import_calendar(data, start, end, emails, name=f"{person.id}.ics")


class FolderCalendars:
    """``DIR/<person id>.ics`` or ``DIR/<email>.ics`` for each person of the charter."""

    def __init__(self, folder: Path) -> None:
        if not folder.is_dir():
            raise CalendarError(f"{folder}: not a folder of calendars (<person id>.ics)")
        self._files = {p.stem.lower(): p for p in folder.glob("*.ics")}
        if not self._files:
            raise CalendarError(f"{folder}: holds no .ics files; name them <person id>.ics")

    def path_for(self, person: Person) -> Path | None:
        for key in (person.id, *person.emails):
            found = self._files.get(key.lower())
            if found is not None:
                return found
        return None

    def for_person(self, person: Person, start: datetime, end: datetime) -> ImportResult | None:
        path = self.path_for(person)
        if path is None:
            return None
        emails = frozenset(normalise_email(e) for e in person.emails)
        return import_calendar(path.read_bytes(), start, end, emails, name=path.name)


def synthetic_calendars(
    org: Organisation, start_monday: date, weeks: int, seed: int = 1
) -> InMemoryCalendars:
    """Realistic generated calendars for ``org`` (how ``report demo`` runs out of the box)."""
    return InMemoryCalendars(generate_calendars(org, start_monday, weeks, seed))
