"""iCalendar out: each planned ``Meeting`` rendered once as a VEVENT, one file per person.

A file looks like a real export: VCALENDAR properties (PRODID, METHOD:PUBLISH,
X-WR-CALNAME, X-WR-TIMEZONE), a VTIMEZONE for every zone its events use (generated from
zoneinfo by icalendar), then the events in order of their first start (an override by
its own start). A shared meeting is the same bytes in every calendar that holds it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vCalAddress

from asyncfirst.adapters.synthetic.meetings import Meeting, Window, email_of
from asyncfirst.domain.model import Person

__all__ = ["CalendarRenderer"]

PRODID = "-//asyncfirst//Synthetic calendars 1.0//EN"
_END = b"END:VCALENDAR\r\n"


@lru_cache(maxsize=128)
def _vtimezone(zone_name: str, first: date, last: date) -> bytes:
    text: bytes = Timezone.from_tzid(zone_name, first_date=first, last_date=last).to_ical()
    return text


def _address(person: Person, partstat: str | None = None) -> vCalAddress:
    address = vCalAddress(f"mailto:{email_of(person)}")
    address.params["CN"] = person.name
    if partstat is not None:
        address.params["CUTYPE"] = "INDIVIDUAL"
        address.params["ROLE"] = "REQ-PARTICIPANT"
        address.params["PARTSTAT"] = partstat
        if partstat == "NEEDS-ACTION":
            address.params["RSVP"] = "TRUE"
    return address


def _zone_of(value: datetime | date) -> str | None:
    if isinstance(value, datetime) and isinstance(value.tzinfo, ZoneInfo):
        return None if value.tzinfo.key == "UTC" else value.tzinfo.key
    return None


def render_event(meeting: Meeting, stamp: datetime) -> bytes:
    """One VEVENT, its properties in icalendar's canonical order."""
    event = Event()
    event.add("uid", meeting.uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", meeting.start)
    event.add("dtend", meeting.end)
    if meeting.recurrence_id is not None:
        event.add("recurrence-id", meeting.recurrence_id)
    if meeting.rrule is not None:
        event.add("rrule", meeting.rrule)
    if meeting.exdates:
        event.add("exdate", list(meeting.exdates))
    event.add("summary", meeting.summary)
    if meeting.description:
        event.add("description", meeting.description)
    if meeting.location:
        event.add("location", meeting.location)
    if meeting.organiser is not None:
        event.add("organizer", _address(meeting.organiser))
    for person, partstat in meeting.attendees:
        event.add("attendee", _address(person, partstat))
    event.add("sequence", meeting.sequence)
    event.add("status", meeting.status)
    event.add("transp", "TRANSPARENT" if meeting.transparent else "OPAQUE")
    text: bytes = event.to_ical()
    return text


class CalendarRenderer:
    """Renders calendars for one window, each shared event and each zone only once."""

    def __init__(self, window: Window) -> None:
        self.window = window
        self._events: dict[Meeting, bytes] = {}
        self._zone_span = (date(window.start.year - 1, 1, 1), date(window.end.year + 2, 1, 1))

    def _event(self, meeting: Meeting) -> bytes:
        found = self._events.get(meeting)
        if found is None:
            found = self._events[meeting] = render_event(meeting, self.window.stamp)
        return found

    def _head(self, owner: Person) -> bytes:
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", owner.name)
        calendar.add("x-wr-timezone", owner.zone)
        text: bytes = calendar.to_ical()
        return text[: -len(_END)]

    def calendar(self, owner: Person, meetings: Iterable[Meeting]) -> bytes:
        """The ICS file of ``owner`` holding ``meetings``."""
        events = sorted(meetings, key=lambda m: m.sort_key)
        zones = {owner.zone} | {z for m in events if (z := _zone_of(m.start)) is not None}
        zones.discard("UTC")
        first, last = self._zone_span
        parts = [self._head(owner)]
        parts += [_vtimezone(z, first, last) for z in sorted(zones)]
        parts += [self._event(m) for m in events]
        parts.append(_END)
        return b"".join(parts)
