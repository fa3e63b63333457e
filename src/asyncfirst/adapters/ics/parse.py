"""Read iCalendar bytes into an ``icalendar.Calendar`` whose zones belong to it alone.

icalendar keeps every VTIMEZONE it parses in one per-process cache keyed by TZID, and the
first definition of a name wins. Two people's different "Customized Time Zone" would then
share one zone. The parser here never writes or reads that cache: it parses times with a
TZID as wall-clock values, then resolves the TZIDs of *this* calendar (see ``zones.py``)
and attaches the zones itself. It is also tolerant: a property that cannot be parsed
becomes a broken value that spoils only its own series, not the whole file.

Splitting a content line into name, parameters and value is the bulk of icalendar's
parsing, and calendars repeat their lines (every event's ``STATUS:CONFIRMED``, an
attendee's line in each of their meetings, a shared meeting in every invitee's file).
The split depends on nothing but the line's text, so it is memoised per process; each
property still gets parameters of its own, as a copy.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from icalendar import Calendar, Component
from icalendar.parser.content_line import Contentline
from icalendar.parser.ical.calendar import CalendarIcalParser
from icalendar.parser.parameter import Parameters
from icalendar.prop import vBroken, vDDDLists, vDDDTypes

from asyncfirst.adapters.ics.zones import ZoneResolver
from asyncfirst.domain.errors import CalendarError

__all__ = ["ParsedCalendar", "parse_calendar"]

_ZONED_PROPERTIES = ("DTSTART", "DTEND", "RECURRENCE-ID", "RDATE", "EXDATE")
_PARTS_CACHE_SIZE = 1 << 16
_parts_cache: dict[str, tuple[str, Parameters, str]] = {}  # never hand out its Parameters


def _line_parts(line: Contentline) -> tuple[str, Parameters, str]:
    """``line.parts()``, memoised by the line's text; raises ``ValueError`` as it does."""
    if getattr(line, "strict", False):
        return line.parts()
    found = _parts_cache.get(line)
    if found is None:
        found = line.parts()
        if len(_parts_cache) >= _PARTS_CACHE_SIZE:
            _parts_cache.clear()
        _parts_cache[str(line)] = found
    name, params, value = found
    return name, Parameters(params), value


@dataclass(frozen=True, slots=True)
class ParsedCalendar:
    """One parsed calendar and what was wrong with it.

    ``broken_uids`` maps the UID of a series that cannot be used to the reason, for
    faults found while parsing (for example a zone whose definition is impossible).
    ``x_wr_timezone`` is the calendar-wide zone of Google/Apple exports, if any.
    """

    calendar: Calendar
    x_wr_timezone: tzinfo | None
    broken_uids: dict[str, str]
    warnings: tuple[str, ...]


class _IsolatedParser(CalendarIcalParser):
    """icalendar's parser without the process-wide zone cache, tolerant of bad values."""

    def parse_content_lines(self) -> None:
        """icalendar's loop over the content lines, with their splitting memoised."""
        for line in self._content_lines_iterator:
            if not line:
                continue
            try:
                name, params, vals = _line_parts(line)
            except ValueError as error:
                self.handle_line_parse_error(error)
                continue
            uname = name.upper()
            if uname == "BEGIN":
                self.handle_begin_component(vals)
            elif uname == "END":
                self.handle_end_component(vals)
            else:
                self.handle_property(uname, params, vals, line)

    def handle_end_component(self, vals: str) -> None:
        if not self._stack:
            raise ValueError("END encountered without an accompanying BEGIN!")
        component = self._stack.pop()
        if not self._stack:
            self._components.append(component)
        else:
            self._stack[-1].add_component(component)

    def parse_and_add_property(
        self, name: str, params: Any, val: str, tzid: str | None, line: Any
    ) -> None:
        # Times are read as wall-clock values; the TZID stays in params for later.
        super().parse_and_add_property(name, params, val, None, line)

    def handle_property_parse_error(
        self, exception: Exception, name: str, params: Any, val: str, line: Any
    ) -> None:
        component = self.component
        if component is None:
            raise exception
        factory = self.get_factory_for_property(name, params)
        broken = vBroken.from_parse_error(
            raw_value=val,
            params=params,
            property_name=name,
            expected_type=getattr(factory, "__name__", "unknown"),
            error=exception,
        )
        component.errors.append((name, str(exception)))
        component.add(name, broken, encode=False)

    def handle_line_parse_error(self, exception: Exception) -> None:
        component = self.component
        if component is None:
            raise exception
        component.errors.append((None, str(exception)))

    def prepare_components(self) -> None:
        """Nothing to re-parse: forward references are resolved after parsing."""


class _Calendar(Calendar):
    @classmethod
    def _get_ical_parser(cls, st: str | bytes) -> CalendarIcalParser:
        return _IsolatedParser(st, cls._get_component_factory(), cls.types_factory)


def parse_calendar(data: bytes, *, name: str) -> ParsedCalendar:
    """Parse ``data`` (named ``name`` in messages); raise ``CalendarError`` if it is no calendar."""
    _refuse_non_calendar(data, name)
    try:
        parts = _Calendar.from_ical(data, multiple=True)
    except (ValueError, TypeError, IndexError) as error:
        raise CalendarError(
            f"{name} is not a readable iCalendar file: {error}", source=name
        ) from error
    calendars = [part for part in parts if part.name == "VCALENDAR"]
    if not calendars:
        if b"END:VCALENDAR" not in data.upper():
            raise CalendarError(
                f"{name} holds no complete VCALENDAR: END:VCALENDAR is missing (is the file cut short?)",
                source=name,
            )
        raise CalendarError(f"{name} holds no VCALENDAR", source=name)
    calendar = calendars[0] if len(calendars) == 1 else _merge(calendars)
    resolver = ZoneResolver(calendar.walk("VTIMEZONE"))
    broken: dict[str, str] = {}
    for event in calendar.walk("VEVENT"):
        reason = _attach_zones(event, resolver)
        if reason is not None:
            broken.setdefault(str(event.get("UID", "")), reason)
    x_wr = calendar.get("X-WR-TIMEZONE")
    x_wr_zone = resolver.resolve_name(str(x_wr)) if x_wr is not None else None
    if x_wr is not None and x_wr_zone is None:
        resolver.warnings.append(f"X-WR-TIMEZONE {str(x_wr)!r} is not a known time zone")
    return ParsedCalendar(calendar, x_wr_zone, broken, tuple(resolver.warnings))


def _refuse_non_calendar(data: bytes, name: str) -> None:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").upper()
    if head.startswith(b"BEGIN:VCALENDAR"):
        return
    if not head:
        what = "it is empty"
    elif head.startswith((b"<!DOCTYPE HTML", b"<HTML")):
        what = "it is an HTML page (a login or error page?)"
    elif head.startswith((b"{", b"[")):
        what = "it looks like JSON"
    else:
        what = "it does not start with BEGIN:VCALENDAR"
    raise CalendarError(f"{name} is not an iCalendar file: {what}", source=name)


def _merge(calendars: Iterable[Component]) -> Calendar:
    merged = Calendar()
    for calendar in calendars:
        for key, value in calendar.property_items(recursive=False, sorted=False):
            if key not in ("BEGIN", "END") and key not in merged:
                merged.add(key, value, encode=False)
        for component in calendar.subcomponents:
            merged.add_component(component)
    return merged


def _attach_zones(event: Component, resolver: ZoneResolver) -> str | None:
    """Give every TZID-bearing time of ``event`` its zone; the reason if one cannot be had."""
    for name in _ZONED_PROPERTIES:
        value = event.get(name)
        if value is None:
            continue
        for prop in value if isinstance(value, list) else (value,):
            params = getattr(prop, "params", None)
            tzid = params.get("TZID") if params is not None else None
            if not tzid:
                continue
            zone, reason = resolver.resolve(str(tzid))
            if reason is not None:
                return reason
            if zone is not None and isinstance(prop, vDDDTypes | vDDDLists):
                _localize_property(prop, zone)
    return None


def _localize_property(prop: vDDDTypes | vDDDLists, zone: tzinfo) -> None:
    if isinstance(prop, vDDDLists):
        for item in prop.dts:
            item.dt = _localize(item.dt, zone)
    else:
        prop.dt = _localize(prop.dt, zone)


def _localize(value: Any, zone: tzinfo) -> Any:
    if isinstance(value, datetime):
        return value.replace(tzinfo=zone) if value.tzinfo is None else value
    if isinstance(value, tuple):  # a PERIOD: (start, end or duration)
        return tuple(_localize(part, zone) for part in value)
    return value  # a date or a duration has no zone
