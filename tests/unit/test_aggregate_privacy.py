"""Team aggregates and the privacy gate: no number is ever computed over too few people."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asyncfirst.analytics.aggregate import (
    Distribution,
    percentile,
    person_totals,
    pooled_async_share,
    team_aggregate,
)
from asyncfirst.analytics.metrics import WeekMetrics
from asyncfirst.analytics.privacy import Gated, PrivacyPolicy, gate
from asyncfirst.domain.errors import InputError
from asyncfirst.domain.hours import WorkingHours
from asyncfirst.domain.model import AsyncBand, Team

MONDAY = date(2026, 3, 2)
TEAM = Team(
    id="qa",
    name="QA",
    zone="America/New_York",
    hours=WorkingHours.office("09:00", "17:00"),
    holidays=None,
    band=AsyncBand(0.70, 0.90),
)


def week(
    pid: str, sync: float, working: float = 2400.0, offset: int = 0, **kw: float
) -> WeekMetrics:
    share = sync / working if working else None
    values: dict[str, float] = {
        "busy_minutes": sync,
        "after_hours_sync_minutes": 0.0,
        "focus_minutes": working - sync,
        "fragmented_minutes": 0.0,
        "longest_chain_minutes": 0.0,
        **kw,
    }
    return WeekMetrics(
        person_id=pid,
        monday=MONDAY + timedelta(weeks=offset),
        zone="America/New_York",
        working_minutes=working,
        sync_minutes=sync,
        longest_chain_count=0,
        meeting_count=int(sync // 30),
        sync_share=share,
        async_share=None if share is None else 1 - share,
        daily_sync_minutes=(0.0,) * 7,
        after_hours_days=0,
        **values,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("threshold", [-5, 0, 1, 2])
def test_threshold_under_three_is_refused(threshold: int) -> None:
    with pytest.raises(InputError, match="never be below 3"):
        PrivacyPolicy(threshold)


def test_threshold_must_be_a_whole_number() -> None:
    with pytest.raises(InputError, match="whole number"):
        PrivacyPolicy(True)  # a bool is an int to Python, not a number of people
    assert PrivacyPolicy().min_group == 5
    assert PrivacyPolicy(3).min_group == 3


def test_withheld_result_says_why_and_never_computes() -> None:
    calls: list[list[float]] = []

    def spy(xs: list[float]) -> float:
        calls.append(xs)
        return sum(xs)

    result = gate({"a": 1.0, "b": 2.0, "c": None, "d": 3.0, "e": 4.0}, spy, PrivacyPolicy())
    assert calls == []
    assert not result.released
    assert result.note == "withheld: 4 people, fewer than 5"
    with pytest.raises(LookupError, match="withheld: 4 people"):
        result.get()
    assert gate({"a": 1.0}, spy, PrivacyPolicy(3)).note == "withheld: 1 person, fewer than 3"


def test_released_result_sees_values_only() -> None:
    result = gate({"e": 5, "a": 1, "c": 3, "b": 2, "d": 4}, list, PrivacyPolicy())
    assert result.get() == [1, 2, 3, 4, 5]
    assert (result.people, result.note) == (5, "")


@given(
    st.dictionaries(
        st.text(min_size=1, max_size=4), st.one_of(st.none(), st.floats(0, 1)), max_size=15
    ),
    st.integers(min_value=3, max_value=12),
)
def test_gate_never_computes_over_fewer_than_the_threshold(
    values: dict[str, float | None], threshold: int
) -> None:
    seen: list[int] = []

    def count(xs: list[float]) -> int:
        seen.append(len(xs))
        return len(xs)

    result = gate(values, count, PrivacyPolicy(threshold))
    present = sum(v is not None for v in values.values())
    assert result.people == present
    assert result.released == (present >= threshold)
    assert all(n >= threshold for n in seen)


@given(
    st.lists(st.one_of(st.none(), st.floats(0, 600)), max_size=12),
    st.integers(min_value=3, max_value=9),
)
def test_no_team_aggregate_over_fewer_people_than_the_threshold(
    syncs: list[float | None], threshold: int
) -> None:
    # None: a member with no working time in the period, who must not count
    metrics = {
        f"p{i}": [week(f"p{i}", 0.0 if s is None else s, 0.0 if s is None else 2400.0)]
        for i, s in enumerate(syncs)
    }
    agg = team_aggregate(TEAM, metrics, PrivacyPolicy(threshold))
    with_data = sum(s is not None for s in syncs)
    assert agg.members == len(syncs)
    gated = [getattr(agg, f.name) for f in fields(agg) if f.name not in ("team_id", "band")]
    gated = [g for g in gated if isinstance(g, Gated)]
    assert len(gated) == 8
    for g in gated:
        assert g.people == with_data
        assert g.released == (with_data >= threshold)
        assert (
            g.released
            or g.note
            == f"withheld: {with_data} {'person' if with_data == 1 else 'people'}, fewer than {threshold}"
        )
    assert agg.released == (with_data >= threshold)


def test_percentiles_interpolate_linearly() -> None:
    values = [float(v) for v in range(10, 0, -1)]
    assert percentile(values, 0.5) == 5.5
    assert percentile(values, 0.1) == pytest.approx(1.9)
    assert percentile(values, 0.9) == pytest.approx(9.1)
    assert percentile([4.0], 0.9) == 4.0
    with pytest.raises(ValueError, match="at least one"):
        percentile([], 0.5)


def test_team_numbers_over_five_people() -> None:
    # weekly sync of 240, 480, 720, 960, 1200 minutes out of 2400: async 0.9 … 0.5
    metrics = {f"p{i}": [week(f"p{i}", 240.0 * i, offset=k) for k in range(2)] for i in range(1, 6)}
    agg = team_aggregate(TEAM, metrics)
    assert agg.weeks == (MONDAY, MONDAY + timedelta(weeks=1))
    assert agg.team_async_share.get() == pytest.approx(1 - 3600 / 12000)
    shares = agg.async_share.get()
    assert isinstance(shares, Distribution)
    assert shares.median == pytest.approx(0.7)
    assert shares.p10 == pytest.approx(0.54)
    assert shares.p90 == pytest.approx(0.86)
    assert agg.inside_band.get() == pytest.approx(3 / 5)  # 0.9, 0.8 and 0.7: the band is closed
    assert agg.sync_hours.get().median == pytest.approx(12.0)
    assert agg.meetings.get().median == pytest.approx(24.0)


def test_holiday_weeks_do_not_dilute_weekly_averages() -> None:
    weeks = [week("p", 600.0), week("p", 0.0, working=0.0, offset=1)]
    totals = person_totals(weeks)
    assert totals is not None
    assert totals.weeks_worked == 1
    assert totals.weekly_hours(totals.sync_minutes) == 10.0
    assert person_totals([week("p", 0.0, working=0.0)]) is None


def test_pooled_share_ignores_people_without_working_time() -> None:
    pairs: dict[str, tuple[float, float] | None] = {
        "a": (600.0, 2400.0),
        "b": (0.0, 2400.0),
        "c": (1200.0, 2400.0),
        "d": (100.0, 0.0),
        "e": None,
    }
    assert not pooled_async_share(pairs, PrivacyPolicy(4)).released
    assert pooled_async_share(pairs, PrivacyPolicy(3)).get() == pytest.approx(1 - 1800 / 7200)
