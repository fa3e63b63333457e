"""Follow-the-sun routing on the demo charter: the team whose day *starts* next, with
weekends and public holidays respected (Monday 2026-11-23 is a Japanese holiday)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from asyncfirst.domain.errors import InputError
from asyncfirst.domain.handoffs import follow_the_sun_order, next_team
from asyncfirst.domain.model import Organisation

PARIS = ZoneInfo("Europe/Paris")
TOKYO = ZoneInfo("Asia/Tokyo")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("from_team", "at", "to_team", "starts_at"),
    [
        # Paris ends Friday 13 Nov at 17:30 (16:30 UTC). New York is mid-day, so its next
        # *start* is Monday 14:00 UTC; Tokyo's Monday 09:30 JST (00:30 UTC) comes first.
        ("design", datetime(2026, 11, 13, 17, 30, tzinfo=PARIS), "coding",
         datetime(2026, 11, 16, 0, 30, tzinfo=UTC)),
        # A week later Monday 23 Nov is Labour Thanksgiving in Japan: Tokyo starts Tuesday
        # 00:30 UTC, after New York's Monday 14:00 UTC.
        ("design", datetime(2026, 11, 20, 17, 30, tzinfo=PARIS), "qa",
         datetime(2026, 11, 23, 14, 0, tzinfo=UTC)),
        # New York ends Friday at 17:00 EST (22:00 UTC): Tokyo's Monday comes first...
        ("qa", datetime(2026, 11, 13, 17, 0, tzinfo=NEW_YORK), "coding",
         datetime(2026, 11, 16, 0, 30, tzinfo=UTC)),
        # ...unless it is a holiday; then Paris's Monday 09:00 (08:00 UTC).
        ("qa", datetime(2026, 11, 20, 17, 0, tzinfo=NEW_YORK), "design",
         datetime(2026, 11, 23, 8, 0, tzinfo=UTC)),
        # Tokyo ends Tuesday at 18:30 JST (09:30 UTC). Paris has been at work since 08:00
        # UTC, so it does not *start* again until Wednesday; New York starts at 14:00 UTC.
        ("coding", datetime(2026, 11, 17, 18, 30, tzinfo=TOKYO), "qa",
         datetime(2026, 11, 17, 14, 0, tzinfo=UTC)),
    ],
)  # fmt: skip
def test_a_note_goes_to_the_team_whose_day_starts_next(
    demo_org: Organisation, from_team: str, at: datetime, to_team: str, starts_at: datetime
) -> None:
    team, start = next_team(demo_org, from_team, at)
    assert (team.id, start) == (to_team, starts_at)


def test_a_start_at_the_very_moment_is_not_next(demo_org: Organisation) -> None:
    """At Paris's Monday 09:00 sharp, from Tokyo, Paris has started: New York is next."""
    team, start = next_team(demo_org, "coding", datetime(2026, 11, 16, 9, 0, tzinfo=PARIS))
    assert (team.id, start) == ("qa", datetime(2026, 11, 16, 14, 0, tzinfo=UTC))


def test_the_sender_is_never_its_own_next_team(demo_org: Organisation) -> None:
    """Just before Paris's own Monday start, a Paris note still goes elsewhere."""
    team, _start = next_team(demo_org, "design", datetime(2026, 11, 16, 8, 59, tzinfo=PARIS))
    assert team.id != "design"


def test_an_unknown_team_is_refused(demo_org: Organisation) -> None:
    with pytest.raises(InputError, match="unknown team"):
        next_team(demo_org, "marketing", datetime(2026, 11, 16, 9, 0, tzinfo=PARIS))


def test_follow_the_sun_order_of_a_week(demo_org: Organisation) -> None:
    order = follow_the_sun_order(demo_org, date(2026, 11, 16))
    assert [(t.id, s.isoformat()) for t, s in order] == [
        ("coding", "2026-11-16T00:30:00+00:00"),
        ("design", "2026-11-16T08:00:00+00:00"),
        ("qa", "2026-11-16T14:00:00+00:00"),
    ]
    holiday_week = follow_the_sun_order(demo_org, date(2026, 11, 23))
    assert [t.id for t, _ in holiday_week] == ["design", "qa", "coding"]
    with pytest.raises(InputError, match="a week starts on a Monday"):
        follow_the_sun_order(demo_org, date(2026, 11, 17))
