"""Isolation and burnout signals of one person, in words and numbers, from weekly metrics.

Signals are personal: they go into that person's own report only.

Isolation (the risk of async-only work)
    ``no-sync-contact``: no meeting with anyone (no sync occurrence) for at least
    ``isolation_weeks`` working weeks in a row (2 by default). A week without working
    time (holiday, time off) neither counts nor breaks the run.

Burnout
    ``weekly-sync-cap``: the week's sync time, in and after hours, over the weekly cap.
    ``daily-sync-cap``: local days of the week whose sync time is over the daily cap.
    ``after-hours-days``: after-hours sync on at least ``after_hours_days`` (3) days of a week.
    ``after-hours-streak``: after-hours sync in at least ``after_hours_weeks`` (2)
    consecutive weeks.
    ``back-to-back``: a back-to-back chain of at least ``chain_minutes`` (180) minutes.

Caps come from the person's charter entry, else from the policy's defaults (none by
default: no cap, no cap signal).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from asyncfirst.analytics.metrics import WeekMetrics
from asyncfirst.domain.errors import InputError
from asyncfirst.domain.hours import WEEKDAYS
from asyncfirst.domain.model import Person

__all__ = ["Signal", "SignalPolicy", "burnout_signals", "isolation_signals", "person_signals"]


@dataclass(frozen=True, slots=True)
class SignalPolicy:
    """The thresholds of the signals (see module doc)."""

    isolation_weeks: int = 2
    chain_minutes: float = 180.0
    after_hours_days: int = 3
    after_hours_weeks: int = 2
    default_daily_cap_minutes: int | None = None
    default_weekly_cap_minutes: int | None = None

    def __post_init__(self) -> None:
        for name in ("isolation_weeks", "after_hours_days", "after_hours_weeks"):
            if getattr(self, name) < 1:
                raise InputError(f"signal threshold {name} must be at least 1", setting=name)
        if self.chain_minutes <= 0:
            raise InputError("signal threshold chain_minutes must be positive")


@dataclass(frozen=True, slots=True)
class Signal:
    """One signal about one person; ``weeks`` are the Mondays it is about."""

    person_id: str
    kind: Literal["isolation", "burnout"]
    rule: str
    weeks: tuple[date, ...]
    message: str
    numbers: dict[str, float] = field(default_factory=dict)


def _h(minutes: float) -> str:
    return f"{minutes / 60:.1f} h"


def _span(weeks: Sequence[date]) -> str:
    if len(weeks) == 1:
        return f"the week of {weeks[0].isoformat()}"
    return f"the weeks of {weeks[0].isoformat()} to {weeks[-1].isoformat()}"


def isolation_signals(
    person: Person, metrics: Sequence[WeekMetrics], policy: SignalPolicy | None = None
) -> list[Signal]:
    """One signal per run of working weeks without any meeting, if long enough."""
    policy = policy or SignalPolicy()
    runs: list[list[date]] = [[]]
    for week in sorted(metrics, key=lambda m: m.monday):
        if week.working_minutes <= 0:
            continue
        if week.meeting_count == 0:
            runs[-1].append(week.monday)
        elif runs[-1]:
            runs.append([])
    return [
        Signal(
            person_id=person.id,
            kind="isolation",
            rule="no-sync-contact",
            weeks=tuple(run),
            message=(
                f"No meeting with anyone for {len(run)} working weeks in a row "
                f"({_span(run)}), at least {policy.isolation_weeks} is the threshold: "
                "at risk of isolation in async-only work."
            ),
            numbers={"weeks": len(run), "threshold_weeks": policy.isolation_weeks},
        )
        for run in runs
        if len(run) >= policy.isolation_weeks
    ]


def _cap(own: int | None, default: int | None) -> int | None:
    return own if own is not None else default


def _week_burnout(person: Person, week: WeekMetrics, policy: SignalPolicy) -> list[Signal]:
    found: list[Signal] = []
    label = _span([week.monday])

    def add(rule: str, message: str, **numbers: float) -> None:
        found.append(Signal(person.id, "burnout", rule, (week.monday,), message, numbers))

    weekly_cap = _cap(person.weekly_sync_cap_minutes, policy.default_weekly_cap_minutes)
    total = week.total_sync_minutes
    if weekly_cap is not None and total > weekly_cap:
        add(
            "weekly-sync-cap",
            f"{_h(total)} of sync in {label}, over the weekly cap of {_h(weekly_cap)} "
            f"by {_h(total - weekly_cap)}.",
            sync_minutes=total,
            cap_minutes=weekly_cap,
        )
    daily_cap = _cap(person.daily_sync_cap_minutes, policy.default_daily_cap_minutes)
    if daily_cap is not None:
        over = [(d, m) for d, m in enumerate(week.daily_sync_minutes) if m > daily_cap]
        if over:
            days = ", ".join(f"{WEEKDAYS[d].title()} {m:.0f} min" for d, m in over)
            add(
                "daily-sync-cap",
                f"Over the daily sync cap of {daily_cap} min on {len(over)} "
                f"day{'s' if len(over) > 1 else ''} in {label}: {days}.",
                days=len(over),
                cap_minutes=daily_cap,
                max_day_minutes=max(m for _, m in over),
            )
    if week.after_hours_days >= policy.after_hours_days:
        add(
            "after-hours-days",
            f"Sync outside working hours on {week.after_hours_days} days in {label}, "
            f"{_h(week.after_hours_sync_minutes)} in all.",
            days=week.after_hours_days,
            after_hours_minutes=week.after_hours_sync_minutes,
        )
    if week.longest_chain_minutes >= policy.chain_minutes:
        add(
            "back-to-back",
            f"{week.longest_chain_count} meetings back to back for "
            f"{_h(week.longest_chain_minutes)} in {label} (with gaps under 5 minutes).",
            chain_minutes=week.longest_chain_minutes,
            chain_count=week.longest_chain_count,
        )
    return found


def _after_hours_streaks(
    person: Person, weeks: Sequence[WeekMetrics], policy: SignalPolicy
) -> list[Signal]:
    runs: list[list[WeekMetrics]] = []
    for week in weeks:
        if week.after_hours_sync_minutes <= 0:
            continue
        if runs and week.monday - runs[-1][-1].monday == timedelta(weeks=1):
            runs[-1].append(week)
        else:
            runs.append([week])
    return [
        Signal(
            person_id=person.id,
            kind="burnout",
            rule="after-hours-streak",
            weeks=tuple(w.monday for w in run),
            message=(
                f"Sync outside working hours {len(run)} weeks in a row "
                f"({_span([w.monday for w in run])}), "
                f"{_h(sum(w.after_hours_sync_minutes for w in run))} in all."
            ),
            numbers={
                "weeks": len(run),
                "after_hours_minutes": sum(w.after_hours_sync_minutes for w in run),
            },
        )
        for run in runs
        if len(run) >= policy.after_hours_weeks
    ]


def burnout_signals(
    person: Person, metrics: Sequence[WeekMetrics], policy: SignalPolicy | None = None
) -> list[Signal]:
    """Per-week cap, after-hours and back-to-back signals, then after-hours streaks."""
    policy = policy or SignalPolicy()
    weeks = sorted(metrics, key=lambda m: m.monday)
    found = [s for week in weeks for s in _week_burnout(person, week, policy)]
    return found + _after_hours_streaks(person, weeks, policy)


def person_signals(
    person: Person, metrics: Sequence[WeekMetrics], policy: SignalPolicy | None = None
) -> list[Signal]:
    """All of ``person``'s signals over ``metrics``: isolation first, then burnout."""
    return isolation_signals(person, metrics, policy) + burnout_signals(person, metrics, policy)
