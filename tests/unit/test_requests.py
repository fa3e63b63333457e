"""Meeting requests: parsing the TOML shape, and one test per error message."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from asyncfirst.domain.model import Organisation
from asyncfirst.domain.requests import MeetingRequest, RequestsError, requests_from_mapping
from asyncfirst.services.planning import load_requests


def doc(**meeting: Any) -> dict[str, Any]:
    base = {
        "kind": "review",
        "duration_minutes": 45,
        "required": ["design", "qa"],
        "reason": "screens change hands",
    }
    return {"meetings": {"review": {**base, **meeting}}}


def parse(demo_org: Organisation, **meeting: Any) -> MeetingRequest:
    return requests_from_mapping(doc(**meeting), "requests.toml", demo_org)[0]


def test_a_full_request_is_read(demo_org: Organisation) -> None:
    request = parse(
        demo_org,
        kind="Pair programming",
        optional=["amelie"],
        required=["kenji", "chloe"],
        days="Tue-Thu",
        every_weeks=2,
        occurrences=3,
        first_week=date(2026, 11, 23),
        agenda="https://wiki/pairing",
        allow_out_of_hours=True,
    )
    assert request.kind == "pair-programming"
    assert request.required == ("kenji", "chloe")
    assert request.optional == ("amelie",)
    assert request.days == frozenset({1, 2, 3})
    assert request.title == "review"
    assert request.allow_out_of_hours
    assert request.agenda == "https://wiki/pairing"


def test_defaults(demo_org: Organisation) -> None:
    request = parse(demo_org)
    assert request.days == frozenset(range(5))
    assert (request.every_weeks, request.occurrences, request.allow_out_of_hours) == (
        1,
        None,
        False,
    )


def test_one_on_one_alias(demo_org: Organisation) -> None:
    assert parse(demo_org, kind="1:1").kind == "one-on-one"


def test_recurrence_every_two_weeks_for_three_occurrences(demo_org: Organisation) -> None:
    request = parse(demo_org, every_weeks=2, occurrences=3, first_week=date(2026, 11, 25))
    weeks = [date(2026, 11, 16) + (date(2026, 11, 30) - date(2026, 11, 23)) * n for n in range(8)]
    assert [request.occurrence_in(w) for w in weeks] == [None, 0, None, 1, None, 2, None, None]


def test_open_ended_weekly_series_counts_from_the_ledger(demo_org: Organisation) -> None:
    request = parse(demo_org, occurrences=2)
    assert request.occurrence_in(date(2026, 11, 23), held_before=1) == 1
    assert request.occurrence_in(date(2026, 11, 23), held_before=2) is None


@pytest.mark.parametrize(
    ("meeting", "message"),
    [
        (
            {"required": ["desgin"]},
            'requests.toml: meeting "review": required: unknown person or team "desgin" — did you mean "design"?',
        ),
        (
            {"optional": ["kenjj"]},
            'optional: unknown person or team "kenjj" — did you mean "kenji"?',
        ),
        ({"kind": "reveiw"}, 'kind: unknown kind "reveiw" — did you mean "review"?'),
        ({"duration_minutes": 50}, "duration_minutes: must be a multiple of 15 minutes, got 50"),
        ({"duration_minutes": 495}, "duration_minutes: must be at most 480 minutes (8 h), got 495"),
        ({"duration_minutes": "1h"}, "duration_minutes: must be a whole number"),
        ({"days": "Mon-Fry"}, 'days: "Mon-Fry" is not a weekday or range like "Mon-Fri"'),
        ({"required": []}, "required: name at least one person or team"),
        ({"optional": ["maria"]}, "optional: every optional attendee is already required"),
        ({"every_weeks": 2}, "first_week: every_weeks = 2 needs the week of the first meeting"),
        ({"every_weeks": 0}, "every_weeks: must be between 1 and 52, got 0"),
        ({"occurrences": 0}, "occurrences: must be between 1 and 520, got 0"),
        ({"reason": None}, "reason: is required"),
        ({"allow_out_of_hours": "yes"}, "allow_out_of_hours: must be true or false"),
        ({"agenda_url": "x"}, 'unknown key "agenda_url" — did you mean "agenda"?'),
    ],
)
def test_each_error_names_file_meeting_and_key(
    demo_org: Organisation, meeting: dict[str, Any], message: str
) -> None:
    data = doc(**meeting)
    data["meetings"]["review"] = {
        k: v for k, v in data["meetings"]["review"].items() if v is not None
    }
    with pytest.raises(RequestsError) as caught:
        requests_from_mapping(data, "requests.toml", demo_org)
    assert message in caught.value.message
    assert caught.value.message.startswith('requests.toml: meeting "review"')
    assert caught.value.code == "invalid_requests"


def test_document_level_errors(demo_org: Organisation) -> None:
    with pytest.raises(RequestsError, match=r"no \[meetings.<id>\] defined"):
        requests_from_mapping({}, "requests.toml", demo_org)
    with pytest.raises(RequestsError, match='meeting id "All Hands"'):
        requests_from_mapping({"meetings": {"All Hands": {}}}, "requests.toml", demo_org)


def test_the_shipped_demo_requests_load(demo_org: Organisation) -> None:
    requests = load_requests("demo", demo_org)
    assert {r.id for r in requests} >= {"all-hands", "design-qa-review", "pairing", "qa-workshop"}
    assert next(r for r in requests if r.id == "all-hands").allow_out_of_hours
    assert all(r.reason for r in requests)


def test_a_missing_file_is_an_input_error(demo_org: Organisation, tmp_path: Any) -> None:
    with pytest.raises(RequestsError, match="no such file"):
        load_requests(tmp_path / "nope.toml", demo_org)
    bad = tmp_path / "bad.toml"
    bad.write_text("[meetings\n", "utf-8")
    with pytest.raises(RequestsError, match=r"bad\.toml: not valid TOML"):
        load_requests(bad, demo_org)
