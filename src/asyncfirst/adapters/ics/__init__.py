"""ICS calendars in: files, folders and http(s) URLs, expanded into domain occurrences.

``IcsCalendarSource`` is the adapter the calendar use cases take as their
``CalendarSource`` port; ``import_calendar`` expands bytes already in hand.
"""

from __future__ import annotations

from datetime import datetime

import httpx

from asyncfirst.adapters.ics.expand import expand
from asyncfirst.adapters.ics.fetch import DEFAULT_LIMITS, Limits, RawCalendar, read_source
from asyncfirst.adapters.ics.parse import ParsedCalendar, parse_calendar
from asyncfirst.domain.calendar import ImportResult, combine
from asyncfirst.domain.errors import CalendarError

__all__ = [
    "IcsCalendarSource",
    "Limits",
    "ParsedCalendar",
    "expand",
    "import_calendar",
    "parse_calendar",
]


def import_calendar(
    data: bytes,
    start: datetime,
    end: datetime,
    owner_emails: frozenset[str] = frozenset(),
    *,
    name: str = "calendar",
) -> ImportResult:
    """The occurrences of the calendar ``data`` that overlap ``[start, end)``.

    ``start``/``end`` are aware, in the owner's zone (also the zone of floating times and
    all-day dates); ``owner_emails`` are normalised addresses (see ``normalise_email``).
    """
    return expand(parse_calendar(data, name=name), start, end, owner_emails)


class IcsCalendarSource:
    """Reads calendars from a file, a folder of ``.ics`` files or an http(s) URL."""

    def __init__(
        self, limits: Limits = DEFAULT_LIMITS, transport: httpx.BaseTransport | None = None
    ) -> None:
        self._limits = limits
        self._transport = transport

    def import_window(
        self, source: str, start: datetime, end: datetime, owner_emails: frozenset[str]
    ) -> ImportResult:
        """All occurrences at ``source`` overlapping ``[start, end)``.

        In a folder, a file that is not a calendar is skipped with a warning; the folder
        fails only if none of its files can be read.
        """
        raws = read_source(source, self._limits, self._transport)
        if len(raws) == 1:
            raw = raws[0]
            return import_calendar(raw.data, start, end, owner_emails, name=raw.name)
        results: list[ImportResult] = []
        errors: list[CalendarError] = []
        for raw in raws:
            try:
                results.append(_named(raw, start, end, owner_emails))
            except CalendarError as error:
                errors.append(error)
        if not results:
            raise errors[0]
        notes = tuple(f"skipped file: {error.message}" for error in errors)
        merged = combine(results)
        return ImportResult(merged.occurrences, merged.skipped, notes + merged.warnings)


def _named(
    raw: RawCalendar, start: datetime, end: datetime, owner_emails: frozenset[str]
) -> ImportResult:
    result = import_calendar(raw.data, start, end, owner_emails, name=raw.name)
    warnings = tuple(f"{raw.name}: {warning}" for warning in result.warnings)
    return ImportResult(result.occurrences, result.skipped, warnings)
