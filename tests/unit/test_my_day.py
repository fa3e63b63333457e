"""My day's timeline: one local day of one person, in their zone, on the day's real length."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from asyncfirst.domain.model import Organisation
from asyncfirst.services.my_day import MeetingSpan, day_timeline, due_text, local_range

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)  # Wednesday, 10:30 in Paris


def _lane(timeline, label):  # type: ignore[no-untyped-def]
    return next(lane for lane in timeline.lanes if lane.label == label)


def test_working_hours_stretch_and_focus_sit_where_the_clock_says(demo_org: Organisation) -> None:
    chloe = demo_org.person("chloe")  # Paris 09:00-17:30, stretch 60 min, focus Thu 09-12
    day = day_timeline(demo_org, chloe, date(2026, 11, 26), NOW)
    you = _lane(day, "You")
    assert [(s.kind, s.when) for s in you.spans] == [
        ("stretch", "08:00–09:00"), ("work", "09:00–17:30"), ("stretch", "17:30–18:30"),
    ]  # fmt: skip
    work = you.spans[1]
    assert (work.left, work.width) == (37.5, round(100 * 8.5 / 24, 3))
    focus = _lane(day, "Focus").spans
    assert [(s.label, s.when) for s in focus] == [("Focus (protected)", "09:00–12:00")]
    assert day.hours == 24 and day.length_note == ""
    assert [m.label for m in day.marks] == ["00:00", "03:00", "06:00", "09:00", "12:00",
                                            "15:00", "18:00", "21:00"]  # fmt: skip


def test_other_teams_hours_are_shown_in_my_zone_with_their_holidays(
    demo_org: Organisation,
) -> None:
    amelie = demo_org.person("amelie")
    wednesday = day_timeline(demo_org, amelie, date(2026, 11, 25), NOW)
    assert [s.when for s in _lane(wednesday, "Coding (Tokyo)").spans] == ["01:30–10:30"]
    assert [s.when for s in _lane(wednesday, "QA (New York)").spans] == ["15:00–23:00"]
    thanksgiving = day_timeline(demo_org, amelie, date(2026, 11, 26), NOW)
    qa = _lane(thanksgiving, "QA (New York)")
    assert qa.spans == () and qa.note == "not working"
    assert "Thanksgiving" in qa.detail


def test_daylight_saving_moves_the_other_zones_and_shortens_the_day(
    demo_org: Organisation,
) -> None:
    amelie = demo_org.person("amelie")
    before = day_timeline(demo_org, amelie, date(2026, 3, 27), NOW)  # Friday, CET
    after = day_timeline(demo_org, amelie, date(2026, 3, 30), NOW)  # Monday, CEST
    assert [s.when for s in _lane(before, "Coding (Tokyo)").spans] == ["01:30–10:30"]
    assert [s.when for s in _lane(after, "Coding (Tokyo)").spans] == ["02:30–11:30"]
    # New York changed on 8 March, so in the week before Paris it sits an hour closer.
    assert [s.when for s in _lane(before, "QA (New York)").spans] == ["14:00–22:00"]
    assert [s.when for s in _lane(after, "QA (New York)").spans] == ["15:00–23:00"]
    spring = day_timeline(demo_org, amelie, date(2026, 3, 29), NOW)  # 02:00 never happens
    assert spring.hours == 23 and "23 hours" in spring.length_note
    three = next(m for m in spring.marks if m.label == "03:00")
    assert three.left == round(100 * 2 / 23, 3)  # 03:00 comes two real hours after midnight
    assert spring.day_off == "Sunday has no working hours"
    assert _lane(spring, "You").note == "not working"


def test_the_long_autumn_day_and_a_half_hour_shift(demo_org: Organisation) -> None:
    autumn = day_timeline(demo_org, demo_org.person("amelie"), date(2026, 10, 25), NOW)
    assert autumn.hours == 25
    assert [m.label for m in autumn.marks][:3] == ["00:00", "03:00", "06:00"]
    lord_howe = replace(demo_org.person("amelie"), zone="Australia/Lord_Howe")
    shift_day = day_timeline(demo_org, lord_howe, date(2026, 10, 4), NOW)
    assert shift_day.hours == 23.5 and "23.5 hours" in shift_day.length_note


def test_meetings_show_each_other_attendee_in_their_own_time(demo_org: Organisation) -> None:
    amelie = demo_org.person("amelie")
    start = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)  # 09:00 Paris, 17:00 Tokyo, 03:00 NY
    meeting = MeetingSpan(
        7, "Release review", "alignment", start, start + timedelta(minutes=30),
        (("amelie", "Amélie Laurent", "Europe/Paris"), ("kenji", "Kenji Sato", "Asia/Tokyo"),
         ("maria", "Maria Garcia", "America/New_York")),
    )  # fmt: skip
    day = day_timeline(demo_org, amelie, date(2026, 11, 25), NOW, [meeting])
    (span,) = _lane(day, "Meetings").spans
    assert span.when == "09:00–09:30" and span.label == "Release review"
    assert [(o.name, o.local) for o in span.others] == [
        ("Kenji Sato", "17:00–17:30"), ("Maria Garcia", "03:00–03:30"),
    ]  # fmt: skip
    assert span in day.agenda
    assert day.now == round(100 * 10.5 / 24, 3)
    tomorrow = day_timeline(demo_org, amelie, date(2026, 11, 26), NOW, [meeting])
    assert _lane(tomorrow, "Meetings").spans == () and tomorrow.now is None


def test_a_meeting_past_midnight_is_cut_at_the_day_and_worded_whole(
    demo_org: Organisation,
) -> None:
    amelie = demo_org.person("amelie")
    start = datetime(2026, 11, 25, 22, 30, tzinfo=UTC)  # 23:30 Paris, until 00:30
    meeting = MeetingSpan(8, "Late call", "incident", start, start + timedelta(hours=1),
                          (("amelie", "Amélie Laurent", "Europe/Paris"),))  # fmt: skip
    (span,) = _lane(day_timeline(demo_org, amelie, date(2026, 11, 25), NOW, [meeting]),
                    "Meetings").spans  # fmt: skip
    assert span.left + span.width == 100.0
    assert span.when == "23:30–Thu 00:30"


def test_times_and_deadlines_are_worded_in_the_given_zone() -> None:
    a = datetime(2026, 11, 25, 21, 0, tzinfo=UTC)
    assert local_range(a, a + timedelta(hours=2), PARIS) == "22:00–24:00"
    assert local_range(a, a + timedelta(hours=3), PARIS) == "22:00–Thu 01:00"
    assert local_range(a, a + timedelta(hours=1), PARIS, date(2026, 11, 26)) == "Wed 22:00–23:00"
    assert due_text(a, a - timedelta(hours=3, minutes=30), PARIS) == "Wed 25 Nov 22:00 (in 3 h 30)"
    assert due_text(a, a + timedelta(hours=2), PARIS) == "Wed 25 Nov 22:00 (2 h overdue)"
