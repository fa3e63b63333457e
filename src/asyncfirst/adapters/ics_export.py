"""Planned meetings out as iCalendar: one VEVENT per placement, ready to import.

``plan_to_ics`` writes a VCALENDAR (PRODID, VERSION 2.0, CALSCALE GREGORIAN, METHOD
PUBLISH) with one VEVENT per occurrence of every plan given. Each event carries:

- a stable UID, ``<request id>.<occurrence>.<week, YYYYMMDD>@asyncfirst``, so importing
  the same plan twice updates the events instead of duplicating them;
- DTSTAMP derived from the plan, not the clock: 00:00 UTC on the Sunday before the planned
  week, earlier than any local Monday, so the same plan always gives the same bytes;
- DTSTART/DTEND in UTC (``Z``), SUMMARY the request's title, SEQUENCE 0, STATUS CONFIRMED,
  and URL the agenda when it is a web link;
- ORGANIZER the first required attendee with an e-mail address (CN their name), and one
  ATTENDEE per attendee with an address (``mailto:``, CN, ROLE REQ-PARTICIPANT or
  OPT-PARTICIPANT, PARTSTAT NEEDS-ACTION, RSVP TRUE);
- DESCRIPTION: why the meeting is sync, the agenda link, each attendee's local time (people
  without an e-mail address are listed there, marked, since they get no ATTENDEE line),
  and the optional invitees who were not free.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress

from asyncfirst.domain.errors import InputError
from asyncfirst.domain.model import Organisation, Person
from asyncfirst.domain.requests import MeetingRequest
from asyncfirst.scheduling.plan import Placement, Plan
from asyncfirst.scheduling.relay import city

__all__ = ["PRODID", "UID_DOMAIN", "event_uid", "local_span", "plan_to_ics"]

PRODID = "-//asyncfirst//week planner//EN"
UID_DOMAIN = "asyncfirst"


def event_uid(placement: Placement, week: date) -> str:
    """The stable UID of a placement planned in the week of ``week``."""
    return f"{placement.request_id}.{placement.occurrence_index}.{week:%Y%m%d}@{UID_DOMAIN}"


def _stamp(week: date) -> datetime:
    return datetime.combine(week - timedelta(days=1), time(), tzinfo=UTC)


def local_span(zone_name: str, start: datetime, end: datetime) -> str:
    """A meeting in a zone's local time, e.g. "Fri 27 Nov 09:00–09:30 CET (Paris)"."""
    zone = ZoneInfo(zone_name)
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    until = (
        f"{local_end:%H:%M}" if local_end.date() == local_start.date() else f"{local_end:%a %H:%M}"
    )
    return f"{local_start:%a %d %b %H:%M}–{until} {local_start:%Z} ({city(zone_name)})"


def _description(
    placement: Placement, request: MeetingRequest, org: Organisation, required: frozenset[str]
) -> str:
    lines = [f"Why sync: {request.reason or '(no reason given)'}"]
    lines.append(f"Agenda: {request.agenda or '(no agenda given)'}")
    lines.append("")
    lines.append("Local times:")
    for person_id in placement.attendees:
        person = org.person(person_id)
        notes = [] if person_id in required else ["optional"]
        if not person.emails:
            notes.append("no e-mail address, not invited by this file")
        suffix = f" [{'; '.join(notes)}]" if notes else ""
        span = local_span(person.zone, placement.start, placement.end)
        lines.append(f"- {person.name}: {span}{suffix}")
    if placement.missing_optional:
        names = ", ".join(org.person(p).name for p in placement.missing_optional)
        lines.append(f"Optional, not free at this time: {names}")
    return "\n".join(lines)


def _address(person: Person, *, role: str) -> vCalAddress:
    return vCalAddress.new(
        person.emails[0], cn=person.name, role=role, partstat="NEEDS-ACTION", rsvp=True
    )


def _event(placement: Placement, week: date, request: MeetingRequest, org: Organisation) -> Event:
    required = frozenset(p.id for ident in request.required for p in org.resolve(ident))
    people = [org.person(p) for p in placement.attendees]
    event = Event()
    event.add("UID", event_uid(placement, week))
    event.add("DTSTAMP", _stamp(week))
    event.add("SEQUENCE", 0)
    event.add("DTSTART", placement.start.astimezone(UTC))
    event.add("DTEND", placement.end.astimezone(UTC))
    event.add("SUMMARY", request.title)
    event.add("STATUS", "CONFIRMED")
    event.add("TRANSP", "OPAQUE")
    event.add("DESCRIPTION", _description(placement, request, org, required))
    if request.agenda.startswith(("https://", "http://")):
        event.add("URL", request.agenda)
    organizer = next((p for p in people if p.id in required and p.emails), None)
    if organizer is not None:
        event.add("ORGANIZER", vCalAddress.new(organizer.emails[0], cn=organizer.name))
    for person in people:
        if person.emails:
            role = "REQ-PARTICIPANT" if person.id in required else "OPT-PARTICIPANT"
            event.add("ATTENDEE", _address(person, role=role))
    return event


def plan_to_ics(
    plans: Sequence[Plan], org: Organisation, requests: Sequence[MeetingRequest]
) -> bytes:
    """One VCALENDAR with a VEVENT per placement of ``plans`` (see the module docstring).

    ``requests`` must hold every request the plans place; the bytes depend only on the
    arguments. Plans with no placement at all give ``InputError``: a calendar needs at
    least one event.
    """
    if not any(plan.placements for plan in plans):
        raise InputError(
            "nothing was placed in the planned weeks, so there is no calendar to write"
        )
    by_id: Mapping[str, MeetingRequest] = {r.id: r for r in requests}
    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.add("X-WR-CALNAME", f"{org.name}: planned meetings")
    for plan in plans:
        for placement in plan.placements:
            request = by_id.get(placement.request_id)
            if request is None:
                raise ValueError(f"the plan places {placement.request_id!r}, not in the requests")
            calendar.add_component(_event(placement, plan.week, request, org))
    return bytes(calendar.to_ical())
