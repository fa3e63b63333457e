"""Expand a parsed calendar into domain ``Occurrence`` values over a window.

Series are built with recurring-ical-events one UID at a time, so a broken series (a bad
RRULE, a missing DTSTART, an unusable zone) is skipped with its UID and reason while the
rest of the calendar still expands. Occurrences are read straight from the library's
occurrence objects (no component copies), with the per-event facts (status, transparency,
attendees) computed once per component.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

import x_wr_timezone  # type: ignore[import-untyped]  # ships no type hints
from icalendar import Component
from recurring_ical_events.adapters.event import EventAdapter  # type: ignore[import-untyped]  # ships no type hints
from recurring_ical_events.occurrence import (  # type: ignore[import-untyped]  # ships no type hints
    Occurrence as LibraryOccurrence,
)
from recurring_ical_events.series import Series  # type: ignore[import-untyped]  # ships no type hints

from asyncfirst.adapters.ics.event_facts import EventFacts, event_facts
from asyncfirst.adapters.ics.parse import ParsedCalendar
from asyncfirst.domain.calendar import ImportResult, Occurrence, SkippedSeries

__all__ = ["expand"]

_ONE_DAY = timedelta(days=1)


class _Adapter(EventAdapter):  # type: ignore[misc]
    """An event adapter that remembers the product facts of its component."""

    def __init__(self, component: Component, owner_emails: frozenset[str]) -> None:
        super().__init__(component)
        self.component = component
        self._owner_emails = owner_emails
        self._facts: EventFacts | None = None

    @property
    def facts(self) -> EventFacts:
        if self._facts is None:
            self._facts = event_facts(self.component, self._owner_emails)
        return self._facts


class _Found(LibraryOccurrence):  # type: ignore[misc]
    def __init__(self, adapter: _Adapter, start: Any = None, end: Any = None) -> None:
        super().__init__(adapter, start, end)
        self.adapter = adapter


class _Series(Series):  # type: ignore[misc]
    def occurrence(self, adapter: _Adapter, start: Any = None, end: Any = None) -> _Found:
        return _Found(adapter, start, end)


def expand(
    parsed: ParsedCalendar,
    start: datetime,
    end: datetime,
    owner_emails: frozenset[str] = frozenset(),
) -> ImportResult:
    """Occurrences overlapping ``[start, end)``; floating times are read in ``start``'s zone.

    ``start`` and ``end`` are aware and in the owner's zone, which is also the zone of
    all-day dates. A calendar with X-WR-TIMEZONE reads its floating and UTC times in that
    zone first (as Google and Apple mean them).
    """
    window_zone = start.tzinfo
    if window_zone is None or end.tzinfo is None:
        raise ValueError("expand needs an aware window")
    calendar = parsed.calendar
    floating_zone: tzinfo = window_zone
    if parsed.x_wr_timezone is not None:
        calendar = x_wr_timezone.to_standard(calendar, timezone=parsed.x_wr_timezone)
        floating_zone = parsed.x_wr_timezone
    groups: dict[str, list[_Adapter]] = defaultdict(list)
    for number, component in enumerate(calendar.walk("VEVENT"), start=1):
        uid = str(component.get("UID") or "") or _no_uid(number, component)
        groups[uid].append(_Adapter(component, owner_emails))
    occurrences: list[Occurrence] = []
    skipped: list[SkippedSeries] = []
    for uid, adapters in groups.items():
        reason = parsed.broken_uids.get(uid) or _missing_start(adapters)
        if reason is None:
            try:
                found = _Series(adapters).between(start, end)
                occurrences.extend(
                    _occurrence(hit, uid, floating_zone, window_zone) for hit in found
                )
                continue
            except Exception as error:  # any fault of one series skips that series only
                reason = _reason(error)
        skipped.append(SkippedSeries(uid, reason))
    occurrences.sort(key=lambda o: (o.start, o.end, o.uid))
    warnings = [*parsed.warnings, *(f"skipped series {s.uid}: {s.reason}" for s in skipped)]
    return ImportResult(tuple(occurrences), tuple(skipped), tuple(warnings))


def _no_uid(number: int, component: Component) -> str:
    summary = str(component.get("SUMMARY") or "")
    return f"(event #{number} without UID{': ' + summary if summary else ''})"


def _missing_start(adapters: list[_Adapter]) -> str | None:
    if any("DTSTART" not in adapter.component for adapter in adapters):
        return "an event of the series has no DTSTART"
    return None


def _reason(error: Exception) -> str:
    kind = type(error).__name__
    text = str(error.args[0]) if error.args else str(error)
    if kind == "BadRuleStringFormat":
        rule = str(error.args[1]) if len(error.args) > 1 else ""
        if ";UNTIL=" not in f";{rule.upper()}":
            text = "not a recurrence rule that can be read"  # the library's fallback misleads
        return f"bad RRULE {rule!r}: {text}"
    return f"{kind}: {text}" if text else kind


def _occurrence(hit: _Found, uid: str, floating_zone: tzinfo, window_zone: tzinfo) -> Occurrence:
    facts = hit.adapter.facts
    if facts.all_day:
        first = _as_date(hit.start)
        after = _as_date(hit.end)
        start = datetime.combine(first, time(), tzinfo=window_zone).astimezone(UTC)
        end = datetime.combine(max(after, first + _ONE_DAY), time(), tzinfo=window_zone)
        end = end.astimezone(UTC)
    else:
        start = _aware(hit.start, floating_zone).astimezone(UTC)
        end = max(_aware(hit.end, floating_zone).astimezone(UTC), start)
    recurrence_id = facts.recurrence_id or (start if facts.recurring else None)
    return Occurrence(
        uid=uid,
        recurrence_id=recurrence_id,
        start=start,
        end=end,
        all_day=facts.all_day,
        status=facts.status,
        transparent=facts.transparent,
        declined_by_owner=facts.declined_by_owner,
        attendee_count_besides_owner=facts.attendees_besides_owner,
        summary=facts.summary,
    )


def _as_date(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _aware(value: date, zone: tzinfo) -> datetime:
    if not isinstance(value, datetime):
        return datetime.combine(value, time(), tzinfo=zone)
    return value if value.tzinfo is not None else value.replace(tzinfo=zone)
