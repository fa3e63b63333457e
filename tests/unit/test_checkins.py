"""Check-ins without a database: who is prompted when, working days, and the access rows."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from asyncfirst.bootstrap import FixedClock
from asyncfirst.domain.checkins import check_day_mode, check_mood, not_a_working_day
from asyncfirst.domain.errors import InputError
from asyncfirst.domain.model import Organisation
from asyncfirst.services.access import Actor, PersonRef, Role, TeamRef, can
from asyncfirst.services.checkins import due_prompts

PARIS, TOKYO = ZoneInfo("Europe/Paris"), ZoneInfo("Asia/Tokyo")
NINE_O_CLOCK = ["amelie", "bastien", "chloe", "elise"]  # David's split day starts 08:30


def prompted(org: Organisation, at: datetime) -> list[str]:
    return [p.person for p in due_prompts(org, FixedClock(at))]


def test_members_are_prompted_just_after_their_first_shift_starts(demo_org: Organisation) -> None:
    assert prompted(demo_org, datetime(2026, 11, 24, 9, 5, tzinfo=PARIS)) == NINE_O_CLOCK
    assert prompted(demo_org, datetime(2026, 11, 24, 9, 0, tzinfo=PARIS)) == NINE_O_CLOCK
    assert prompted(demo_org, datetime(2026, 11, 24, 8, 35, tzinfo=PARIS)) == ["david"]
    assert prompted(demo_org, datetime(2026, 11, 24, 13, 35, tzinfo=PARIS)) == []  # 2nd shift
    assert prompted(demo_org, datetime(2026, 11, 24, 9, 16, tzinfo=PARIS)) == []
    prompt = due_prompts(demo_org, FixedClock(datetime(2026, 11, 24, 9, 5, tzinfo=PARIS)))[0]
    assert prompt.local_date == date(2026, 11, 24)
    assert prompt.at == datetime(2026, 11, 24, 9, 0, tzinfo=PARIS)
    assert prompt.questions[-1] == "Anything blocking?"


def test_no_prompt_on_a_holiday_a_weekend_or_time_off(demo_org: Organisation) -> None:
    assert prompted(demo_org, datetime(2026, 11, 11, 9, 5, tzinfo=PARIS)) == []  # Armistice
    assert prompted(demo_org, datetime(2026, 11, 28, 9, 5, tzinfo=PARIS)) == []  # Saturday
    assert prompted(demo_org, datetime(2026, 11, 23, 9, 35, tzinfo=TOKYO)) == []  # Labour day
    tokyo = prompted(demo_org, datetime(2026, 12, 29, 9, 35, tzinfo=TOKYO))
    assert "ren" not in tokyo  # year-end leave
    assert "kenji" in tokyo


def test_a_runner_every_window_prompts_each_person_once_a_day(demo_org: Organisation) -> None:
    start = datetime(2026, 11, 24, 0, 0, tzinfo=PARIS)
    seen = [
        name
        for step in range(96)
        for name in prompted(demo_org, start + timedelta(minutes=15 * step))
    ]
    assert sorted(seen) == sorted(p.id for p in demo_org.people)


def test_working_day_reasons(demo_org: Organisation) -> None:
    amelie = demo_org.person("amelie").schedule
    assert not_a_working_day(amelie, date(2026, 11, 24)) is None
    assert not_a_working_day(amelie, date(2026, 11, 29)) == "Sunday has no working hours"
    assert "public holiday" in (not_a_working_day(amelie, date(2026, 12, 25)) or "")


def test_mood_and_day_mode_are_checked() -> None:
    assert check_mood(None) is None
    assert check_mood(5) == 5
    for bad in (0, 6, True):
        with pytest.raises(InputError, match="mood must be a whole number from 1 to 5"):
            check_mood(bad)
    assert check_day_mode("low-energy") == "low-energy"
    with pytest.raises(InputError, match="heads-down, normal, social, low-energy"):
        check_day_mode("sleepy")


MEMBER = Actor("chloe", frozenset({Role("member", "design")}))
LEAD = Actor("maria", frozenset({Role("member", "qa"), Role("team_lead", "design")}))
ADMIN = Actor("kenji", frozenset({Role("member", "coding"), Role("org_admin")}))
OUTSIDER = Actor("james", frozenset({Role("member", "qa")}))


@pytest.mark.parametrize(
    ("actor", "action", "resource", "allowed"),
    [
        (MEMBER, "mood.read", PersonRef("chloe", "design"), True),
        (MEMBER, "mood.read", PersonRef("amelie", "design"), False),
        (LEAD, "mood.read", PersonRef("amelie", "design"), False),
        (ADMIN, "mood.read", PersonRef("amelie", "design"), False),
        (MEMBER, "mood.team", TeamRef("design"), True),
        (OUTSIDER, "mood.team", TeamRef("design"), False),
        (LEAD, "checkin.read", TeamRef("design"), True),
        (OUTSIDER, "checkin.read", TeamRef("design"), False),
        (MEMBER, "checkin.post", TeamRef("design"), True),
        (OUTSIDER, "checkin.post", TeamRef("design"), False),
    ],
)
def test_checkin_access_rows(actor: Actor, action: str, resource: object, allowed: bool) -> None:
    assert can(actor, action, resource) is allowed  # type: ignore[arg-type]
