"""Read model of the web Team page: balance against the band, trend, advice and the hub.

Every team number comes from ``services.balance`` (itself behind ``analytics.privacy``)
or from the hub's view functions, which check access and privacy themselves: the page
never sees one person's mood, only ``team_mood``'s gated aggregate.

The balance report reads every member's calendar, which costs far more than a page may
(about 0.7 s for the demo's fifteen people), so ``BalanceCache`` computes it once per
week per process and every later page reads the cached report.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from asyncfirst.analytics.privacy import Gated, PrivacyPolicy
from asyncfirst.analytics.recommend import Recommendation
from asyncfirst.domain.model import AsyncBand, Organisation, Team
from asyncfirst.services.access import Actor, TeamRef, not_found, require
from asyncfirst.services.balance import (
    BalanceReport,
    PersonCalendars,
    TeamSection,
    balance_report,
)
from asyncfirst.services.checkin_views import TeamFeed, TeamMood, team_feed, team_mood
from asyncfirst.services.decision_views import DecisionView
from asyncfirst.services.decisions import list_decisions
from asyncfirst.services.handoff_views import HandoffList, inbox, outbox
from asyncfirst.services.hub_ports import HubContext
from asyncfirst.services.page_reads import read_together
from asyncfirst.services.pulse_views import PulseResults, pulse_results

__all__ = [
    "TREND_WEEKS",
    "BalanceCache",
    "BandChart",
    "TeamBalance",
    "TeamPage",
    "TrendPoint",
    "band_chart",
    "team_balance",
    "team_page",
]

TREND_WEEKS = 5  # this week and the four before it

CalendarsFor = Callable[[date, int], PersonCalendars | None]
"""(first Monday, weeks) -> the organisation's calendars, or ``None`` when it has none."""


@dataclass(frozen=True, slots=True)
class BandChart:
    """A horizontal 0–100 % bar: the band as a shaded range, the share as a marker.

    Percentages are of the whole bar, ready for CSS ``left``/``width`` or SVG ``x``.
    """

    low_pct: float
    high_pct: float
    share_pct: float | None
    inside: bool | None
    text: str

    @property
    def band_width_pct(self) -> float:
        return round(self.high_pct - self.low_pct, 1)


def _pct(value: float) -> float:
    return round(max(0.0, min(1.0, value)) * 100, 1)


def band_chart(band: AsyncBand, share: Gated[float]) -> BandChart:
    """The chart of ``share`` against ``band``, with the same numbers in words."""
    low, high = _pct(band.low), _pct(band.high)
    if share.value is None:
        text = f"async share {share.note}; band {low:.0f}–{high:.0f} %"
        return BandChart(low, high, None, None, text)
    value = _pct(share.value)
    inside = band.contains(share.value)
    where = "inside" if inside else ("below" if share.value < band.low else "above")
    text = f"async share {value:.0f} % ({where} the band {low:.0f}–{high:.0f} %)"
    return BandChart(low, high, value, inside, text)


@dataclass(frozen=True, slots=True)
class TrendPoint:
    monday: date
    share_pct: float | None
    note: str
    inside: bool | None


@dataclass(frozen=True)
class TeamBalance:
    """The team's balance section of the page (``available`` False: no calendars)."""

    team: Team
    available: bool
    weeks: tuple[date, ...]
    members: int
    with_calendar: int
    chart: BandChart
    trend: tuple[TrendPoint, ...]
    recommendations: tuple[Recommendation, ...]
    inside_band_pct: float | None = None


def team_balance(team: Team, section: TeamSection | None, mondays: Sequence[date]) -> TeamBalance:
    """Shape a report's team section for the page; ``None``: there are no calendars."""
    if section is None:
        withheld: Gated[float] = Gated(people=0, min_group=0, value=None)
        chart = band_chart(team.band, withheld)
        chart = BandChart(
            chart.low_pct, chart.high_pct, None, None,
            f"no calendars to measure; band {chart.low_pct:.0f}–{chart.high_pct:.0f} %",
        )  # fmt: skip
        return TeamBalance(team, False, tuple(mondays), 0, 0, chart, (), ())
    trend = tuple(
        TrendPoint(
            monday,
            None if g.value is None else _pct(g.value),
            g.note,
            None if g.value is None else team.band.contains(g.value),
        )
        for monday, g in zip(mondays, section.weekly, strict=True)
    )
    inside = section.aggregate.inside_band.value
    return TeamBalance(
        team=team,
        available=True,
        weeks=tuple(mondays),
        members=section.members,
        with_calendar=section.with_calendar,
        chart=band_chart(team.band, section.aggregate.team_async_share),
        trend=trend,
        recommendations=section.recommendations,
        inside_band_pct=None if inside is None else _pct(inside),
    )


class BalanceCache:
    """Balance reports by their last Monday, computed once per process (thread-safe).

    A report covers ``TREND_WEEKS`` weeks ending with the week of the Monday asked for.
    """

    def __init__(
        self, org: Organisation, calendars: CalendarsFor, policy: PrivacyPolicy | None = None
    ) -> None:
        self._org = org
        self._calendars = calendars
        self._policy = policy or PrivacyPolicy()
        self._reports: dict[date, BalanceReport | None] = {}
        self._lock = threading.Lock()
        self.computed = 0  # how many reports were computed (the cache's own test reads it)

    def report(self, monday: date) -> BalanceReport | None:
        with self._lock:
            if monday not in self._reports:
                self._reports[monday] = self._compute(monday)
                self.computed += 1
            return self._reports[monday]

    def _compute(self, monday: date) -> BalanceReport | None:
        first = monday - timedelta(weeks=TREND_WEEKS - 1)
        calendars = self._calendars(first, TREND_WEEKS)
        if calendars is None:
            return None
        end = monday + timedelta(weeks=1)
        return balance_report(self._org, calendars, first, end, policy=self._policy, workers=1)

    def team(self, team: Team, monday: date) -> TeamBalance:
        report = self.report(monday)
        mondays = tuple(monday - timedelta(weeks=TREND_WEEKS - 1 - i) for i in range(TREND_WEEKS))
        if report is None:
            return team_balance(team, None, mondays)
        section = next((s for s in report.teams if s.team.id == team.id), None)
        return team_balance(team, section, report.mondays if section else mondays)


@dataclass(frozen=True)
class TeamPage:
    team: Team
    balance: TeamBalance
    feed: TeamFeed
    mood: TeamMood
    decisions: tuple[DecisionView, ...]
    handoffs_in: HandoffList
    handoffs_out: HandoffList
    pulse: PulseResults

    @property
    def open_decisions(self) -> tuple[DecisionView, ...]:
        return tuple(d for d in self.decisions if d.decision.state in ("open", "escalated"))


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def team_page(hub: HubContext, actor: Actor, team_id: str, balances: BalanceCache) -> TeamPage:
    """Everything the Team page shows, for an actor who may read the team (else 404).

    Access is checked first, so a refused reader never costs the balance computation. The
    hub's reads share one read-only transaction (``read_together``): one ``BEGIN``
    instead of seven.
    """
    with read_together(hub.read_unit_of_work) as reads:
        with reads() as uow:
            if not uow.threads.team_exists(team_id):
                raise not_found(TeamRef(team_id))
            require(actor, "team.read", TeamRef(team_id))
        feed = team_feed(reads(), hub.clock, actor, team_id)
        mood = team_mood(reads(), hub.clock, actor, team_id, hub.privacy)
        decisions = tuple(list_decisions(reads(), actor, team_id))
        handoffs_in = inbox(reads(), actor, team_id)
        handoffs_out = outbox(reads(), actor, team_id)
        pulse = pulse_results(reads(), hub.clock, hub.org, actor, team_id, hub.privacy)
    team = hub.org.team(team_id)
    today = hub.clock.now().astimezone(team.schedule.tz).date()
    return TeamPage(
        team=team,
        balance=balances.team(team, _monday(today)),
        feed=feed,
        mood=mood,
        decisions=decisions,
        handoffs_in=handoffs_in,
        handoffs_out=handoffs_out,
        pulse=pulse,
    )
