"""Team aggregates of the weekly balance metrics, every number through the privacy gate.

Each member's weeks are first summed into one per-person total over the period (weeks
without working time, e.g. a holiday week, are left out of the weekly averages). A member
without any working time in the period has no value and does not count towards the group.
Then, across the members, and only if :func:`asyncfirst.analytics.privacy.gate` lets it:

- the median, 10th and 90th percentile (linear interpolation) of the async share and of
  the weekly hours of sync, after-hours sync, focus and fragmented time and of the weekly
  meeting count;
- the pooled team async share, ``1 − Σ sync / Σ working``, which is what a band is
  checked against;
- the share of members whose own async share lies inside the team's band.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from asyncfirst.analytics.metrics import WeekMetrics
from asyncfirst.analytics.privacy import Gated, PrivacyPolicy, gate
from asyncfirst.domain.model import AsyncBand, Team

__all__ = [
    "Distribution",
    "PersonTotals",
    "TeamAggregate",
    "distribution",
    "percentile",
    "person_totals",
    "pooled_async_share",
    "team_aggregate",
]


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0–1) of ``values`` by linear interpolation between ranks."""
    if not values:
        raise ValueError("a percentile needs at least one value")
    if not 0.0 <= q <= 1.0:
        raise ValueError(f"quantile {q} outside 0–1")
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True, slots=True)
class Distribution:
    """Median and spread of one number across the members of a team."""

    median: float
    p10: float
    p90: float


def distribution(values: Sequence[float]) -> Distribution:
    return Distribution(
        median=percentile(values, 0.5), p10=percentile(values, 0.1), p90=percentile(values, 0.9)
    )


@dataclass(frozen=True, slots=True)
class PersonTotals:
    """One person's sums over the weeks of a period in which they had working time."""

    weeks_worked: int
    working_minutes: float
    sync_minutes: float
    after_hours_sync_minutes: float
    focus_minutes: float
    fragmented_minutes: float
    meetings: int

    @property
    def async_share(self) -> float:
        return 1.0 - self.sync_minutes / self.working_minutes

    def weekly_hours(self, minutes: float) -> float:
        return minutes / 60 / self.weeks_worked


def person_totals(weeks: Sequence[WeekMetrics]) -> PersonTotals | None:
    """The sums over the weeks with working time; ``None`` when there is none."""
    worked = [w for w in weeks if w.working_minutes > 0]
    if not worked:
        return None
    return PersonTotals(
        weeks_worked=len(worked),
        working_minutes=sum(w.working_minutes for w in worked),
        sync_minutes=sum(w.sync_minutes for w in worked),
        after_hours_sync_minutes=sum(w.after_hours_sync_minutes for w in worked),
        focus_minutes=sum(w.focus_minutes for w in worked),
        fragmented_minutes=sum(w.fragmented_minutes for w in worked),
        meetings=sum(w.meeting_count for w in worked),
    )


def _pooled(pairs: list[tuple[float, float]]) -> float:
    working = sum(w for _, w in pairs)
    return 1.0 - sum(s for s, _ in pairs) / working


def pooled_async_share(
    sync_and_working: Mapping[str, tuple[float, float] | None], policy: PrivacyPolicy
) -> Gated[float]:
    """``1 − Σ sync / Σ working`` over people given as ``(sync, working)`` minutes.

    A person with no working time has no share and does not count towards the group.
    """
    cleaned = {k: v if v is not None and v[1] > 0 else None for k, v in sync_and_working.items()}
    return gate(cleaned, _pooled, policy)


def _inside(band: AsyncBand, shares: list[float]) -> float:
    """The share of ``shares`` inside the closed ``band`` (to a billionth, against float noise)."""
    return sum(band.contains(round(share, 9)) for share in shares) / len(shares)


@dataclass(frozen=True, slots=True)
class TeamAggregate:
    """A team's balance over some weeks; each number released or withheld by the gate."""

    team_id: str
    band: AsyncBand
    weeks: tuple[date, ...]
    members: int
    team_async_share: Gated[float]
    async_share: Gated[Distribution]
    inside_band: Gated[float]
    sync_hours: Gated[Distribution]
    after_hours_sync_hours: Gated[Distribution]
    focus_hours: Gated[Distribution]
    fragmented_hours: Gated[Distribution]
    meetings: Gated[Distribution]

    @property
    def released(self) -> bool:
        return self.team_async_share.released


def team_aggregate(
    team: Team,
    metrics_by_person: Mapping[str, Sequence[WeekMetrics]],
    policy: PrivacyPolicy | None = None,
) -> TeamAggregate:
    """Aggregates of ``team`` from each member's weekly metrics (member id -> weeks)."""
    policy = policy or PrivacyPolicy()
    totals = {pid: person_totals(weeks) for pid, weeks in metrics_by_person.items()}
    mondays = sorted({w.monday for weeks in metrics_by_person.values() for w in weeks})

    def per_week(metric: Callable[[PersonTotals], float]) -> Gated[Distribution]:
        values = {pid: None if t is None else metric(t) for pid, t in totals.items()}
        return gate(values, distribution, policy)

    shares = {pid: None if t is None else t.async_share for pid, t in totals.items()}
    band = team.band
    pairs = {
        pid: None if t is None else (t.sync_minutes, t.working_minutes) for pid, t in totals.items()
    }
    return TeamAggregate(
        team_id=team.id,
        band=band,
        weeks=tuple(mondays),
        members=len(metrics_by_person),
        team_async_share=pooled_async_share(pairs, policy),
        async_share=gate(shares, distribution, policy),
        inside_band=gate(shares, lambda xs: _inside(band, xs), policy),
        sync_hours=per_week(lambda t: t.weekly_hours(t.sync_minutes)),
        after_hours_sync_hours=per_week(lambda t: t.weekly_hours(t.after_hours_sync_minutes)),
        focus_hours=per_week(lambda t: t.weekly_hours(t.focus_minutes)),
        fragmented_hours=per_week(lambda t: t.weekly_hours(t.fragmented_minutes)),
        meetings=per_week(lambda t: t.meetings / t.weeks_worked),
    )
