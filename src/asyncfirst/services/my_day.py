"""My day: a person's today and tomorrow in their own zone, and what waits for them.

``day_timeline`` is pure: for one local date of one person it lays out, on that day's own
length (23 h or 25 h on a daylight-saving change), their working hours, the stretch zone
beside them, their focus blocks, their meetings (with each other attendee's local time),
and the hours when each other team is working, all in the person's local time. Positions
are percentages of the day so that a template only places them.

``my_day`` reads the rest (the respond-by queue, decisions waiting for the person, today's
check-in) and builds both days; the web page renders it as it comes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from asyncfirst.domain.checkins import not_a_working_day
from asyncfirst.domain.intervals import Interval
from asyncfirst.domain.model import Organisation, Person
from asyncfirst.domain.worktime import local_day_bounds, working_time
from asyncfirst.scheduling.bands import format_minutes
from asyncfirst.scheduling.inconvenience import person_profile
from asyncfirst.services.charter_memo import CharterMemo

__all__ = [
    "AttendeeTime",
    "DayTimeline",
    "Lane",
    "MeetingSpan",
    "Span",
    "SpanKind",
    "day_timeline",
    "due_text",
    "local_range",
]

SpanKind = Literal["work", "stretch", "focus", "meeting", "team"]
_HOUR_EVERY = 3  # an hour mark every three local hours


@dataclass(frozen=True, slots=True)
class AttendeeTime:
    """Another attendee of a meeting, and the meeting's time in their zone."""

    name: str
    zone: str
    local: str  # "17:00–17:30" (their wall clock; a date when it is not the same day)


@dataclass(frozen=True, slots=True)
class MeetingSpan:
    """A meeting the person attends (plain values, whatever stored it)."""

    id: int
    title: str
    kind: str
    start: datetime
    end: datetime
    attendees: tuple[tuple[str, str, str], ...] = ()  # (person id, name, zone)


@dataclass(frozen=True, slots=True)
class Span:
    kind: SpanKind
    label: str
    start: datetime  # in the person's zone
    end: datetime
    left: float  # percent of the day from its start
    width: float  # percent of the day
    when: str  # "09:00–17:30" in the person's zone
    others: tuple[AttendeeTime, ...] = ()


@dataclass(frozen=True, slots=True)
class Lane:
    label: str
    kind: SpanKind
    spans: tuple[Span, ...]
    note: str = ""  # short, beside the lane's label: "not working"
    detail: str = ""  # why, for the list: "public holiday: Thanksgiving Day"


@dataclass(frozen=True, slots=True)
class HourMark:
    left: float
    label: str
    major: bool  # every six hours: the marks a phone still shows


@dataclass(frozen=True, slots=True)
class DayTimeline:
    day: date
    title: str  # "Today, Fri 27 Nov"
    zone: str
    hours: float  # the day's length: 24, or 23/25 on a daylight-saving change
    lanes: tuple[Lane, ...]
    marks: tuple[HourMark, ...]
    now: float | None  # percent of the day, when now falls in it
    day_off: str | None  # why the person does not work that day, or None
    agenda: tuple[Span, ...] = field(default=())  # own spans in start order, for the list view

    @property
    def length_note(self) -> str:
        return "" if self.hours == 24 else f"this day has {self.hours:g} hours (clock change)"


# strftime's %a and %b in the C locale, which the server runs in: formatting by hand is
# several times cheaper, and My day words every item of the respond-by queue this way.
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _clock(instant: datetime) -> str:
    return f"{instant.hour:02d}:{instant.minute:02d}"


def local_range(start: datetime, end: datetime, tz: ZoneInfo, day: date | None = None) -> str:
    """``09:00–17:30`` in ``tz``; ``22:00–24:00`` up to midnight; the weekday of an end on a
    later date (``22:00–Sat 01:00``), and of the start when it is not on ``day``."""
    a, b = start.astimezone(tz), end.astimezone(tz)
    if b.date() == a.date():
        until = _clock(b)
    elif b.date() == a.date() + timedelta(days=1) and (b.hour, b.minute) == (0, 0):
        until = "24:00"
    else:
        until = f"{b:%a} {_clock(b)}"
    text = f"{_clock(a)}–{until}"
    return f"{a:%a} {text}" if day is not None and a.date() != day else text


def due_text(due: datetime, now: datetime, tz: ZoneInfo) -> str:
    """``Fri 27 Nov 17:00 (in 3 h 20)`` or ``… (2 h overdue)``, in ``tz``."""
    local = due.astimezone(tz)
    minutes = (due - now).total_seconds() / 60
    left = (
        f"in {format_minutes(minutes)}" if minutes >= 0 else f"{format_minutes(-minutes)} overdue"
    )
    return (
        f"{_WEEKDAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]} "
        f"{local.hour:02d}:{local.minute:02d} ({left})"
    )


def _pct(instant: datetime, bounds: Interval) -> float:
    total = (bounds.end - bounds.start).total_seconds()
    return round(100 * (instant - bounds.start).total_seconds() / total, 3)


def _spans(
    kind: SpanKind, label: str, intervals: Sequence[Interval], bounds: Interval, tz: ZoneInfo
) -> list[Span]:
    found = []
    for iv in intervals:
        start, end = max(iv.start, bounds.start), min(iv.end, bounds.end)
        if end <= start:
            continue
        left = _pct(start, bounds)
        found.append(Span(kind, label, start.astimezone(tz), end.astimezone(tz), left,
                          round(_pct(end, bounds) - left, 3), local_range(start, end, tz)))  # fmt: skip
    return found


def _marks(bounds: Interval, tz: ZoneInfo) -> tuple[HourMark, ...]:
    """A mark at each whole local hour divisible by three (a skipped or repeated hour shows)."""
    marks = []
    instant = bounds.start
    while instant < bounds.end:
        local = instant.astimezone(tz)
        if local.minute == 0 and local.hour % _HOUR_EVERY == 0:
            marks.append(HourMark(_pct(instant, bounds), _clock(local), local.hour % 6 == 0))
        instant += timedelta(hours=1)
    return tuple(marks)


def _meetings(
    person: Person, meetings: Sequence[MeetingSpan], bounds: Interval, tz: ZoneInfo, day: date
) -> list[Span]:
    spans = []
    for meeting in sorted(meetings, key=lambda m: (m.start, m.id)):
        iv = Interval.of(meeting.start, meeting.end)
        for span in _spans("meeting", meeting.title, [iv], bounds, tz):
            others = tuple(
                AttendeeTime(name, zone, local_range(iv.start, iv.end, ZoneInfo(zone), day))
                for key, name, zone in meeting.attendees
                if key != person.id
            )
            spans.append(Span(span.kind, span.label, span.start, span.end, span.left, span.width,
                              local_range(iv.start, iv.end, tz), others))  # fmt: skip
    return spans


_LAID_OUT: CharterMemo[tuple[DayTimeline, Interval]] = CharterMemo(size=2048)
"""Days laid out, by person, date, meetings and title: everything but ``now`` (patched in)."""


def day_timeline(
    org: Organisation,
    person: Person,
    day: date,
    now: datetime,
    meetings: Sequence[MeetingSpan] = (),
    title: str = "",
) -> DayTimeline:
    """``person``'s local ``day`` laid out in their zone (see the module's docstring).

    Everything but the now marker depends only on the charter and the arguments, so it is
    computed once per charter person, day and set of meetings (``CharterMemo``); a new
    meeting, a cancelled one or a new charter is a new key.
    """
    shown = tuple(meetings)
    if any(p is person for p in org.people):
        timeline, bounds = _LAID_OUT.get(
            org, (person.id, day, shown, title), lambda: _lay_out(org, person, day, shown, title)
        )
    else:  # a person not of this charter (a changed copy): laid out every time
        timeline, bounds = _lay_out(org, person, day, shown, title)
    local_now = _pct(now, bounds) if bounds.start <= now < bounds.end else None
    return timeline if local_now is None else replace(timeline, now=local_now)


def _lay_out(
    org: Organisation, person: Person, day: date, meetings: Sequence[MeetingSpan], title: str
) -> tuple[DayTimeline, Interval]:
    tz = person.schedule.tz
    bounds = local_day_bounds(day, tz)
    profile = person_profile(person, bounds.start, bounds.end)
    focus = [
        *_spans("focus", "Focus (protected)", profile.protected_focus.intervals, bounds, tz),
        *_spans("focus", "Focus", profile.focus.intervals, bounds, tz),
    ]
    own = [
        *_spans("work", "Working hours", working_time(person.schedule, bounds.start, bounds.end),
                bounds, tz),
        *_spans("stretch", "Stretch zone", profile.stretch.intervals, bounds, tz),
    ]  # fmt: skip
    day_off = not_a_working_day(person.schedule, day)
    meeting_spans = _meetings(person, meetings, bounds, tz, day)
    lanes = [
        Lane("You", "work", tuple(sorted(own, key=lambda s: s.start)),
             "" if day_off is None else "not working", day_off or ""),
        Lane("Focus", "focus", tuple(sorted(focus, key=lambda s: s.start))),
        Lane("Meetings", "meeting", tuple(meeting_spans)),
    ]  # fmt: skip
    for team in org.teams:
        if team.id == person.team_id:
            continue
        worked = working_time(team.schedule, bounds.start, bounds.end)
        spans = _spans("team", f"{team.name} working", worked, bounds, tz)
        middle = bounds.start + (bounds.end - bounds.start) / 2
        why = not_a_working_day(team.schedule, middle.astimezone(team.schedule.tz).date())
        note = "" if spans else "not working"
        detail = "" if spans else f"not working during your day{f' ({why})' if why else ''}"
        lanes.append(Lane(f"{team.name} ({team.zone.split('/')[-1].replace('_', ' ')})", "team",
                          tuple(spans), note, detail))  # fmt: skip
    agenda = tuple(sorted([*own, *focus, *meeting_spans], key=lambda s: (s.start, s.end)))
    hours = (bounds.end - bounds.start).total_seconds() / 3600
    shown = title or f"{day:%a} {day.day} {day:%b}"
    timeline = DayTimeline(day, shown, person.zone, hours, tuple(lanes), _marks(bounds, tz), None,
                           day_off, agenda)  # fmt: skip
    return timeline, bounds
