"""The pure caches behind My day and the calendar feed: a value is reused only for the same
charter object and the same inputs, and is the value computed afresh."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Timezone

from asyncfirst.adapters import ics_feed
from asyncfirst.domain.meetings import focus_occurrences
from asyncfirst.domain.model import Organisation
from asyncfirst.services import my_day as my_day_module
from asyncfirst.services.charter_memo import CharterMemo
from asyncfirst.services.feeds import PersonFeed
from asyncfirst.services.meeting_ports import AttendeeRecord, MeetingRecord
from asyncfirst.services.my_day import MeetingSpan, day_timeline

NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


def test_charter_memo_computes_once_per_charter_object_and_key(demo_org: Organisation) -> None:
    memo: CharterMemo[str] = CharterMemo(size=2)
    calls: list[str] = []

    def compute(text: str) -> str:
        calls.append(text)
        return text.upper()

    assert memo.get(demo_org, "a", lambda: compute("a")) == "A"
    assert memo.get(demo_org, "a", lambda: compute("never")) == "A"
    reapplied = replace(demo_org)  # an equal charter, but a new object: applied again
    assert reapplied == demo_org and reapplied is not demo_org
    assert memo.get(reapplied, "a", lambda: compute("again")) == "AGAIN"
    memo.get(demo_org, "b", lambda: compute("b"))
    memo.get(demo_org, "c", lambda: compute("c"))  # size 2: the oldest ("a") goes
    assert memo.get(demo_org, "a", lambda: compute("a2")) == "A2"
    assert calls == ["a", "again", "b", "c", "a2"]
    assert memo.computed == 5


def _meeting(start: datetime, title: str = "Release review") -> MeetingSpan:
    return MeetingSpan(7, title, "alignment", start, start + timedelta(minutes=30),
                       (("amelie", "Amélie Laurent", "Europe/Paris"),
                        ("kenji", "Kenji Sato", "Asia/Tokyo")))  # fmt: skip


def test_a_day_laid_out_once_is_the_same_as_afresh_with_its_own_now(
    demo_org: Organisation,
) -> None:
    amelie = demo_org.person("amelie")
    day = date(2026, 11, 25)
    meetings = [_meeting(datetime(2026, 11, 25, 8, 0, tzinfo=UTC))]
    fresh, _ = my_day_module._lay_out(demo_org, amelie, day, tuple(meetings), "Today")
    first = day_timeline(demo_org, amelie, day, NOW, meetings, "Today")
    later = day_timeline(demo_org, amelie, day, NOW + timedelta(hours=2), meetings, "Today")
    assert replace(first, now=None) == fresh == replace(later, now=None)
    assert first.now == round(100 * 10.5 / 24, 3) and later.now == round(100 * 12.5 / 24, 3)
    tomorrow_morning = day_timeline(demo_org, amelie, day, NOW + timedelta(days=1), meetings)
    assert tomorrow_morning.now is None  # now is not in that day


def test_a_new_meeting_is_a_new_day(demo_org: Organisation) -> None:
    amelie = demo_org.person("amelie")
    day = date(2026, 11, 25)
    before = day_timeline(demo_org, amelie, day, NOW, [])
    after = day_timeline(demo_org, amelie, day, NOW, [_meeting(datetime(2026, 11, 25, 14, 0,
                                                                         tzinfo=UTC))])  # fmt: skip
    lanes = {lane.label: lane for lane in after.lanes}
    assert [s.label for s in lanes["Meetings"].spans] == ["Release review"]
    assert before != after


def _feed(org: Organisation, person: str, meetings: tuple[MeetingRecord, ...] = ()) -> PersonFeed:
    who = org.person(person)
    today = date(2026, 11, 25)
    return PersonFeed(who, org, meetings, tuple(focus_occurrences(who, today, 28)), today, NOW)


def _record(cancelled: datetime | None = None) -> MeetingRecord:
    start = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    return MeetingRecord(
        3, "design", "Kick-off", "kickoff", "scope together", start, start + timedelta(hours=1),
        "chloe", "Chloé Dubois", "planner", None, NOW - timedelta(days=1), cancelled,
        (AttendeeRecord("chloe", "Chloé Dubois", "Europe/Paris"),),
    )  # fmt: skip


def test_the_feed_is_written_once_until_a_meeting_changes(demo_org: Organisation) -> None:
    feed = _feed(demo_org, "chloe", (_record(),))
    first = ics_feed.feed_to_ics(feed)
    assert ics_feed.feed_to_ics(_feed(demo_org, "chloe", (_record(),))) is first  # remembered
    cancelled = ics_feed.feed_to_ics(_feed(demo_org, "chloe", (_record(NOW),)))
    assert b"STATUS:CANCELLED" in cancelled and b"STATUS:CANCELLED" not in first
    assert ics_feed._write(feed) == first  # what is remembered is what would be written


def test_the_cached_vtimezone_is_icalendar_s_own_once_before_the_events(
    demo_org: Organisation,
) -> None:
    written = ics_feed._write(_feed(demo_org, "chloe", (_record(),)))
    paris = bytes(Timezone.from_tzid("Europe/Paris").to_ical())
    assert written.count(b"BEGIN:VTIMEZONE") == 1 and paris in written
    assert written.index(paris) < written.index(b"BEGIN:VEVENT")
    assert written.startswith(b"BEGIN:VCALENDAR\r\n") and written.endswith(b"END:VCALENDAR\r\n")
    parsed = Calendar.from_ical(written)
    assert [tz.tz_name for tz in parsed.timezones] == ["Europe/Paris"]
    assert parsed.get_missing_tzids() == set()
    assert b"VTIMEZONE" not in ics_feed._write(_feed(demo_org, "amelie"))  # no times: no zone
