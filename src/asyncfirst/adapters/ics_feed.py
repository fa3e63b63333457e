"""A person's calendar feed as iCalendar: their meetings and their focus blocks.

``feed_to_ics`` writes a VCALENDAR (METHOD PUBLISH, X-WR-CALNAME, X-WR-TIMEZONE, a one-hour
REFRESH-INTERVAL) whose times are all in the person's zone with a TZID and a VTIMEZONE
built from the IANA database, so Google, Outlook and Apple show the right local times on
both sides of a daylight-saving change. Each event carries:

- meetings: UID ``meeting-<id>@asyncfirst`` (stable, so a refresh updates in place),
  SEQUENCE 0 and STATUS CONFIRMED, or SEQUENCE 1 and STATUS CANCELLED once cancelled;
  DTSTAMP/LAST-MODIFIED the last change; CATEGORIES the kind; ORGANIZER and one ATTENDEE
  per attendee with an e-mail address; DESCRIPTION why it is sync and every attendee with
  their zone and local time (``ics_export.local_span``);
- focus blocks: UID ``focus-<person>-<YYYYMMDD>-<HHMM>@asyncfirst``, busy (OPAQUE) when
  protected and free (TRANSPARENT) otherwise, as the charter says.

The bytes depend only on the feed (no clock), so equal feeds give equal ETags. That also
makes them safe to remember: a calendar app polls the same feed again and again, so the
bytes are kept per charter, person, day, meetings and focus blocks (``CharterMemo``; any
change is a new key), and each zone's VTIMEZONE (decades of transitions, the costliest
part) is built and written once per process.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vCalAddress

from asyncfirst.adapters.ics_export import UID_DOMAIN, local_span
from asyncfirst.domain.meetings import FocusOccurrence
from asyncfirst.domain.model import Organisation, Person
from asyncfirst.domain.worktime import local_day_bounds
from asyncfirst.services.charter_memo import CharterMemo
from asyncfirst.services.feeds import PersonFeed
from asyncfirst.services.meeting_ports import MeetingRecord

__all__ = ["FEED_PRODID", "feed_to_ics"]

FEED_PRODID = "-//asyncfirst//calendar feed//EN"


def _email(org: Organisation, key: str) -> tuple[str, str] | None:
    person = next((p for p in org.people if p.id == key), None)
    return (person.emails[0], person.name) if person is not None and person.emails else None


def _description(meeting: MeetingRecord) -> str:
    lines = [f"Why sync: {meeting.why_sync}", f"Kind: {meeting.kind}"]
    if meeting.decision_id is not None:
        lines.append(f"From decision {meeting.decision_id} (the pre-read).")
    lines.append(f"Organiser: {meeting.organiser_name}")
    lines.append("")
    lines.append("Attendees (zone: local time):")
    for a in meeting.attendees:
        lines.append(
            f"- {a.name} ({a.zone}): {local_span(a.zone, meeting.starts_at, meeting.ends_at)}"
        )
    if meeting.cancelled_at is not None:
        lines.append("")
        lines.append(f"Cancelled {meeting.cancelled_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC.")
    return "\n".join(lines)


def _meeting(meeting: MeetingRecord, zone: ZoneInfo, org: Organisation) -> Event:
    cancelled = meeting.cancelled_at is not None
    changed = (meeting.cancelled_at or meeting.created_at).astimezone(UTC)
    event = Event()
    event.add("UID", f"meeting-{meeting.id}@{UID_DOMAIN}")
    event.add("DTSTAMP", changed)
    event.add("CREATED", meeting.created_at.astimezone(UTC))
    event.add("LAST-MODIFIED", changed)
    event.add("SEQUENCE", 1 if cancelled else 0)
    event.add("STATUS", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("DTSTART", meeting.starts_at.astimezone(zone))
    event.add("DTEND", meeting.ends_at.astimezone(zone))
    event.add("SUMMARY", ("Cancelled: " if cancelled else "") + meeting.title)
    event.add("DESCRIPTION", _description(meeting))
    event.add("CATEGORIES", [meeting.kind])
    event.add("TRANSP", "TRANSPARENT" if cancelled else "OPAQUE")
    organiser = _email(org, meeting.organiser)
    if organiser is not None:
        event.add("ORGANIZER", vCalAddress.new(organiser[0], cn=organiser[1]))
    for attendee in meeting.attendees:
        found = _email(org, attendee.person)
        if found is not None:
            event.add("ATTENDEE", vCalAddress.new(found[0], cn=found[1], role="REQ-PARTICIPANT"))
    return event


def _focus(person: Person, block: FocusOccurrence, stamp: datetime) -> Event:
    event = Event()
    event.add("UID", f"focus-{person.id}-{block.day:%Y%m%d}-{block.start:%H%M}@{UID_DOMAIN}")
    event.add("DTSTAMP", stamp)
    event.add("DTSTART", block.start)
    event.add("DTEND", block.end)
    event.add("SUMMARY", "Focus time" + (" (protected)" if block.protected else ""))
    event.add(
        "DESCRIPTION",
        "Focus block from the team charter"
        + ("; the planner books no meeting here." if block.protected else "; not protected."),
    )
    event.add("CATEGORIES", ["focus"])
    event.add("TRANSP", "OPAQUE" if block.protected else "TRANSPARENT")
    return event


_WRITTEN: CharterMemo[bytes] = CharterMemo(size=1024)


def feed_to_ics(feed: PersonFeed) -> bytes:
    """The feed as iCalendar bytes (see the module docstring)."""
    if not any(p is feed.person for p in feed.org.people):  # a changed copy: not remembered
        return _write(feed)
    key = (feed.person.id, feed.first_day, feed.meetings, feed.focus)
    return _WRITTEN.get(feed.org, key, lambda: _write(feed))


@lru_cache(maxsize=64)
def _vtimezone(tzid: str) -> bytes | None:
    """The zone's VTIMEZONE as written in a calendar (None for a zone the IANA database
    does not know, which icalendar leaves out too)."""
    try:
        return bytes(Timezone.from_tzid(tzid).to_ical())
    except ValueError:
        return None


def _write(feed: PersonFeed) -> bytes:
    person = feed.person
    zone = person.schedule.tz
    calendar = Calendar()
    calendar.add("PRODID", FEED_PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.add("X-WR-CALNAME", f"asyncfirst: {person.name}")
    calendar.add("X-WR-CALDESC", "Meetings from asyncfirst and focus blocks from the charter")
    calendar.add("X-WR-TIMEZONE", person.zone)
    calendar.add("REFRESH-INTERVAL", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", "PT1H")
    for meeting in feed.meetings:
        calendar.add_component(_meeting(meeting, zone, feed.org))
    stamp = local_day_bounds(feed.first_day, zone).start.astimezone(UTC)
    for block in feed.focus:
        calendar.add_component(_focus(person, block, stamp))
    written = bytes(calendar.to_ical())
    # What ``add_missing_timezones`` adds, from the per-zone cache: each VTIMEZONE a time
    # refers to, before the first event (a client reads a zone before the times in it).
    zones = b"".join(
        found for tzid in sorted(calendar.get_missing_tzids()) if (found := _vtimezone(tzid))
    )
    if not zones:
        return written
    first = written.find(b"\r\nBEGIN:", len(b"BEGIN:VCALENDAR")) + 2
    return written[:first] + zones + written[first:]
