"""The product facts of one VEVENT: status, free/busy, the owner's answer, who else attends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from icalendar import Component

from asyncfirst.domain.calendar import normalise_email

__all__ = ["EventFacts", "event_facts"]

_NOT_PEOPLE = frozenset({"ROOM", "RESOURCE"})


@dataclass(frozen=True, slots=True)
class EventFacts:
    uid: str
    summary: str
    status: str | None
    transparent: bool
    declined_by_owner: bool
    attendees_besides_owner: int
    all_day: bool
    recurring: bool
    recurrence_id: datetime | None


def event_facts(event: Component, owner_emails: frozenset[str]) -> EventFacts:
    """The facts of ``event``; ``owner_emails`` must already be normalised."""
    status = event.get("STATUS")
    transp = event.get("TRANSP")
    start = event.get("DTSTART")
    start_value = getattr(start, "dt", None)
    people: set[str] = set()
    declined = False
    attendees = _as_list(event.get("ATTENDEE"))
    for attendee in attendees:
        email = normalise_email(str(attendee))
        params = getattr(attendee, "params", {})
        if email in owner_emails:
            declined = declined or str(params.get("PARTSTAT", "")).upper() == "DECLINED"
        elif str(params.get("CUTYPE", "")).upper() not in _NOT_PEOPLE and email:
            people.add(email)
    organizer = event.get("ORGANIZER")
    if attendees and organizer is not None:  # an invitation: the organizer takes part
        email = normalise_email(str(organizer))
        if email and email not in owner_emails:
            people.add(email)
    return EventFacts(
        uid=str(event.get("UID") or ""),
        summary=str(event.get("SUMMARY") or ""),
        status=str(status).strip().upper() or None if status is not None else None,
        transparent=transp is not None and str(transp).strip().upper() == "TRANSPARENT",
        declined_by_owner=declined,
        attendees_besides_owner=len(people),
        all_day=isinstance(start_value, date) and not isinstance(start_value, datetime),
        recurring="RRULE" in event or "RDATE" in event,
        recurrence_id=_recurrence_id(event),
    )


def _as_list(value: object) -> list[object]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _recurrence_id(event: Component) -> datetime | None:
    prop = event.get("RECURRENCE-ID")
    value = getattr(prop, "dt", None) if prop is not None else None
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, datetime.min.time(), tzinfo=UTC)
    return None
