"""Busy and sync time from occurrences, as the product brief defines them."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asyncfirst.domain.calendar import (
    ImportResult,
    Occurrence,
    SkippedSeries,
    busy_intervals,
    combine,
    normalise_email,
    sync_intervals,
)
from asyncfirst.domain.intervals import Interval, total_minutes

T0 = datetime(2024, 1, 10, 9, tzinfo=UTC)


def occ(start_minute: int, minutes: int, **facts: object) -> Occurrence:
    start = T0 + timedelta(minutes=start_minute)
    return Occurrence(
        uid=str(facts.pop("uid", f"e{start_minute}")),
        recurrence_id=None,
        start=start,
        end=start + timedelta(minutes=minutes),
        **facts,  # type: ignore[arg-type]
    )


def test_occurrence_refuses_naive_times_and_negative_length() -> None:
    naive = datetime(2024, 1, 10, 9)
    with pytest.raises(ValueError, match="aware"):
        Occurrence("x", None, naive, naive)
    with pytest.raises(ValueError, match="ends before"):
        Occurrence("x", None, T0, T0 - timedelta(minutes=1))


@pytest.mark.parametrize(
    ("facts", "busy"),
    [
        ({}, True),
        ({"all_day": True}, False),
        ({"status": "CANCELLED"}, False),
        ({"status": "TENTATIVE"}, True),
        ({"transparent": True}, False),
        ({"declined_by_owner": True}, False),
    ],
)
def test_what_counts_as_busy(facts: dict[str, object], busy: bool) -> None:
    assert occ(0, 60, **facts).is_busy is busy


def test_overlaps_are_counted_once_and_free_time_is_left_out() -> None:
    found = [occ(0, 60), occ(30, 60), occ(120, 30, transparent=True), occ(200, 10)]
    assert busy_intervals(found) == [
        Interval(T0, T0 + timedelta(minutes=90)),
        Interval(T0 + timedelta(minutes=200), T0 + timedelta(minutes=210)),
    ]
    assert total_minutes(busy_intervals(found)) == 100


def test_sync_time_is_busy_time_with_someone_else() -> None:
    found = [
        occ(0, 60, attendee_count_besides_owner=2),
        occ(30, 60),  # solo focus block overlapping the meeting
        occ(120, 60, attendee_count_besides_owner=1, declined_by_owner=True),
    ]
    assert total_minutes(sync_intervals(found)) == 60
    assert total_minutes(busy_intervals(found)) == 90


def test_zero_length_occurrences_add_no_busy_time() -> None:
    assert busy_intervals([occ(0, 0)]) == []


def test_combine_orders_occurrences_and_keeps_skips_and_warnings() -> None:
    first = ImportResult((occ(60, 10, uid="late"),), (SkippedSeries("x", "bad"),), ("w1",))
    second = ImportResult((occ(0, 10, uid="early"),), (), ("w2",))
    merged = combine([first, second])
    assert [o.uid for o in merged.occurrences] == ["early", "late"]
    assert merged.skipped == (SkippedSeries("x", "bad"),)
    assert merged.warnings == ("w1", "w2")
    assert combine([first]) is first


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("MAILTO:Ana@Example.ORG", "ana@example.org"), (" mailto:bo@x.io ", "bo@x.io")],
)
def test_emails_compare_without_scheme_and_case(raw: str, clean: str) -> None:
    assert normalise_email(raw) == clean


spans = st.lists(st.tuples(st.integers(0, 2000), st.integers(0, 300), st.booleans()), max_size=30)


@given(spans)
def test_busy_time_is_the_union_of_busy_occurrences(raw: list[tuple[int, int, bool]]) -> None:
    found = [occ(start, length, transparent=free) for start, length, free in raw]
    union = busy_intervals(found)
    busy_minutes = {
        minute for start, length, free in raw if not free for minute in range(start, start + length)
    }
    assert total_minutes(union) == len(busy_minutes)
    assert all(a.end < b.start for a, b in itertools.pairwise(union))
