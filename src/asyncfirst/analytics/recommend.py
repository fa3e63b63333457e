"""Rule-based recommendations, each explained with its numbers.

Team rules (``scope="team"``), only when the privacy gate releases the team's share:

- ``move-series-async``: under the band's floor. Meetings are grouped into series (by
  summary, else UID); a series costs a member the sync time in their working time that
  would go with it (overlaps counted once). The costliest series that may go async is
  advised to, with the team's share without it.
- ``shorten-with-pre-read``: under the floor and the costliest series is real-time work
  (``KEEP_SYNC``: kick-off, workshop, troubleshooting, pairing, retro, 1:1). It is never
  advised to go; a pre-read and a third less time instead, with the share that gives.
- ``add-alignment``: over the ceiling (a risk of async-only): the charter's alignment.
- ``rotate-after-hours``: the series most outside members' working hours: rotate or relay.

Person rules (``scope="person"``, for that person's own report only): ``add-contact``
when isolated, ``protect-focus`` when fragmented, ``rotate-late-meetings``, ``break-chains``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median
from typing import Literal

from asyncfirst.analytics.aggregate import person_totals, pooled_async_share
from asyncfirst.analytics.metrics import WeekMetrics
from asyncfirst.analytics.privacy import PrivacyPolicy, gate
from asyncfirst.analytics.signals import Signal
from asyncfirst.domain.calendar import Occurrence, sync_intervals
from asyncfirst.domain.intervals import Interval, intersect, subtract, total_minutes
from asyncfirst.domain.model import Person, Team
from asyncfirst.domain.worktime import local_week, working_time

__all__ = [
    "KEEP_SYNC",
    "Recommendation",
    "meeting_kind",
    "person_recommendations",
    "team_recommendations",
]

_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        ("troubleshooting", r"troubleshoot|incident|debug|outage|war.?room"),
        ("kick-off", r"kick.?off"),
        ("workshop", r"workshop|brainstorm|design sprint"),
        ("retro", r"\bretro"),
        ("pair-programming", r"\bpair(ing)?\b|\bmob\b"),
        ("1:1", r"\b1\s*:\s*1\b|\b1.on.1\b|one.on.one"),
        ("stand-up", r"stand.?up|\bdaily\b|\bscrum\b"),
        ("review", r"\breview"),
    )
)
KEEP_SYNC = frozenset(
    {"kick-off", "workshop", "troubleshooting", "pair-programming", "retro", "1:1"}
)
_ASYNC_FORM = {"stand-up": "async check-ins", "review": "async reviews with a respond-by"}


def meeting_kind(summary: str) -> str:
    """The kind of a meeting from its summary, ``"meeting"`` when nothing matches."""
    return next((kind for kind, pattern in _KINDS if pattern.search(summary)), "meeting")


@dataclass(frozen=True, slots=True)
class Recommendation:
    """One piece of advice; ``subject`` is a team id or a person id, per ``scope``."""

    scope: Literal["team", "person"]
    subject: str
    rule: str
    text: str
    numbers: dict[str, float] = field(default_factory=dict)
    series: str | None = None


def _series_key(occ: Occurrence) -> str:
    return " ".join(occ.summary.casefold().split()) or f"uid:{occ.uid}"


@dataclass(frozen=True, slots=True)
class _Member:
    working: list[Interval]
    sync: list[Occurrence]
    period: Interval
    by_series: dict[str, list[Occurrence]]  # series key -> its occurrences, keyed once

    def sync_minutes(self, leave_out: str | None = None) -> float:
        kept = (o for key, occs in self.by_series.items() if key != leave_out for o in occs)
        return total_minutes(intersect(sync_intervals(kept), self.working))

    def after_hours(self, key: str) -> float:
        own = sync_intervals(self.by_series.get(key, ()))
        return total_minutes(subtract(intersect(own, [self.period]), self.working))


def _member(person: Person, occurrences: Sequence[Occurrence], start: date, weeks: int) -> _Member:
    tz = person.schedule.tz
    first, last = local_week(start, tz), local_week(start + timedelta(weeks=weeks - 1), tz)
    period = Interval(first.start, last.end)
    sync = [o for o in occurrences if o.is_sync and o.interval.overlaps(period)]
    by_series: dict[str, list[Occurrence]] = {}
    for occ in sync:
        by_series.setdefault(_series_key(occ), []).append(occ)
    return _Member(working_time(person.schedule, period.start, period.end), sync, period, by_series)


def _summary(occurrences: Sequence[Occurrence]) -> str:
    return Counter(o.summary for o in occurrences).most_common(1)[0][0]


def _label(summary: str, occurrences: list[Occurrence], per_week: float) -> str:
    cadence = "daily " if per_week >= 4.5 else "weekly " if 0.9 <= per_week <= 1.1 else ""
    minutes = round(median(o.interval.minutes for o in occurrences))
    length = f"{minutes // 60}-hour" if minutes % 60 == 0 else f"{minutes}-minute"
    kind = meeting_kind(summary)
    return f"the {cadence}{length} {kind if kind != 'meeting' else f'“{summary}”'}"


def team_recommendations(
    team: Team,
    members: Sequence[Person],
    occurrences: Mapping[str, Sequence[Occurrence]],
    start_monday: date,
    weeks: int,
    policy: PrivacyPolicy | None = None,
) -> list[Recommendation]:
    """Team advice over ``weeks`` weeks from ``start_monday``; none if the gate withholds."""
    policy = policy or PrivacyPolicy()
    data = {p.id: _member(p, occurrences.get(p.id, ()), start_monday, weeks) for p in members}
    data = {pid: m for pid, m in data.items() if m.working}
    base = {pid: (m.sync_minutes(), total_minutes(m.working)) for pid, m in data.items()}
    share = pooled_async_share(base, policy)
    if not share.released:
        return []
    now, band = share.get(), team.band
    found: list[Recommendation] = []
    if now < band.low:
        found += _under_floor(team, data, base, now, weeks, policy)
    elif now > band.high:
        cadence = team.alignment_cadence_weeks
        extra = team.alignment_minutes * weeks / cadence
        after = pooled_async_share({k: (s + extra, w) for k, (s, w) in base.items()}, policy)
        every = "week" if cadence == 1 else f"{cadence} weeks"
        text = (
            f"{team.name} is at {now:.2f} async, over its {band.high:.2f} ceiling: a risk of "
            f"async-only work. A {team.alignment_minutes}-minute alignment every {every}, as "
            f"the charter says, would bring {team.name} to {after.get():.2f}; pair people for "
            "coffee across zones too."
        )
        numbers = {"async_share": now, "ceiling": band.high, "projected_async_share": after.get()}
        found.append(Recommendation("team", team.id, "add-alignment", text, numbers))
    return found + _after_hours(team, data, weeks, policy)


def _under_floor(
    team: Team,
    data: Mapping[str, _Member],
    base: Mapping[str, tuple[float, float]],
    now: float,
    weeks: int,
    policy: PrivacyPolicy,
) -> list[Recommendation]:
    series: dict[str, list[Occurrence]] = {}
    counts: dict[str, Counter[str]] = {}
    for pid, member in data.items():
        for occ in member.sync:
            series.setdefault(_series_key(occ), []).append(occ)
            counts.setdefault(_series_key(occ), Counter())[pid] += 1
    savings = {  # per recurring series: what each member's sync time would lose without it
        key: {pid: base[pid][0] - m.sync_minutes(key) for pid, m in data.items()}
        for key, c in counts.items()
        if max(c.values()) >= 2
    }
    ranked = sorted(savings, key=lambda k: (-sum(savings[k].values()), k))
    kinds = {k: meeting_kind(_summary(series[k])) for k in ranked}
    movable = [k for k in ranked if kinds[k] not in KEEP_SYNC][:1]
    found: list[Recommendation] = []
    for key in dict.fromkeys(ranked[:1] + movable):
        saved = savings[key]
        if sum(saved.values()) <= 0:
            continue
        keep = kinds[key] in KEEP_SYNC
        cut = 1 / 3 if keep else 1.0
        cost = gate(saved, lambda xs: sum(xs) / len(xs) / weeks, policy).get()
        after = pooled_async_share(
            {pid: (s - cut * saved[pid], w) for pid, (s, w) in base.items()}, policy
        ).get()
        attending = sum(1 for v in saved.values() if v > 0)
        label = _label(_summary(series[key]), series[key], max(counts[key].values()) / weeks)
        who = f"members on average ({attending} of {len(saved)} attend)"
        who = "each member" if attending == len(saved) else who
        text = (
            f"{team.name} is at {now:.2f} async, under its {team.band.low:.2f} floor: "
            f"{label} costs {who} {cost / 60:.1f} h a week; "
        )
        if keep:
            text += (
                f"it is {kinds[key]} work that stays sync, so keep it, send a pre-read a day "
                f"ahead and cut a third of its time, which would bring {team.name} to {after:.2f}."
            )
        else:
            form = _ASYNC_FORM.get(kinds[key], "an async update with a respond-by")
            text += f"moving it to {form} would bring {team.name} to {after:.2f}."
        numbers = {
            "async_share": now,
            "floor": team.band.low,
            "cost_hours_per_member_week": cost / 60,
            "projected_async_share": after,
            "attending": attending,
        }
        rule = "shorten-with-pre-read" if keep else "move-series-async"
        found.append(Recommendation("team", team.id, rule, text, numbers, series=key))
    return found


def _after_hours(
    team: Team, data: Mapping[str, _Member], weeks: int, policy: PrivacyPolicy
) -> list[Recommendation]:
    keys = {key for m in data.values() for key in m.by_series}
    late = {k: {pid: m.after_hours(k) for pid, m in data.items()} for k in keys}
    worst = max(sorted(late), key=lambda k: sum(late[k].values()), default=None)
    if worst is None or sum(late[worst].values()) <= 0:
        return []
    affected = gate(late[worst], lambda xs: sum(1 for x in xs if x > 0), policy).get()
    if affected < 2:  # one person's late meetings are for their own report, not the team's
        return []
    total = sum(late[worst].values())
    summary = _summary([o for m in data.values() for o in m.by_series.get(worst, ())])
    text = (
        f"“{summary or worst}” fell outside working hours for {affected} of {len(data)} "
        f"members of {team.name}, {total / 60:.1f} h in all over {weeks} "
        f"week{'s' if weeks > 1 else ''}: rotate its slot across time zones, or run it as a "
        "relay of two regional sessions with an async recap."
    )
    numbers = {"affected": affected, "members": len(data), "after_hours_hours": total / 60}
    return [Recommendation("team", team.id, "rotate-after-hours", text, numbers, series=worst)]


def person_recommendations(
    person: Person, metrics: Sequence[WeekMetrics], signals: Sequence[Signal]
) -> list[Recommendation]:
    """Advice for ``person``'s own report only, from their metrics and signals."""
    totals = person_totals(metrics)
    if totals is None:
        return []
    found: list[Recommendation] = []

    def add(rule: str, text: str, **numbers: float) -> None:
        found.append(Recommendation("person", person.id, rule, text, numbers))

    weeks = totals.weeks_worked
    isolated = [s for s in signals if s.rule == "no-sync-contact"]
    if isolated:
        longest = max(len(s.weeks) for s in isolated)
        social = person.social_appetite > 0
        contact = "Opt in to coffee pairing across zones" if social else "Set up a 1:1"
        after = 1 - (totals.sync_minutes + 30 * weeks) / totals.working_minutes
        add(
            "add-contact",
            f"You had no meeting with anyone for {longest} working weeks in a row. {contact} "
            f"for 30 minutes once a week: you would still be at {after:.2f} async.",
            weeks=longest,
            projected_async_share=after,
        )
    free = totals.focus_minutes + totals.fragmented_minutes
    focus_min = metrics[0].focus_min
    if totals.fragmented_minutes >= max(totals.focus_minutes, focus_min * weeks) and free > 0:
        add(
            "protect-focus",
            f"Of your {totals.weekly_hours(free):.1f} h a week of free working time, "
            f"{totals.weekly_hours(totals.fragmented_minutes):.1f} h comes in pieces shorter "
            f"than {focus_min} minutes and only {totals.weekly_hours(totals.focus_minutes):.1f} h "
            f"as focus time: cluster your {totals.meetings / weeks:.0f} meetings a week on fewer "
            "days and protect a focus block each day.",
            fragmented_hours_per_week=totals.weekly_hours(totals.fragmented_minutes),
            focus_hours_per_week=totals.weekly_hours(totals.focus_minutes),
        )
    late = [s for s in signals if s.rule in ("after-hours-days", "after-hours-streak")]
    if late or totals.after_hours_sync_minutes >= 60 * weeks:
        add(
            "rotate-late-meetings",
            f"You had {totals.after_hours_sync_minutes / 60:.1f} h of sync outside your working "
            f"hours over {weeks} week{'s' if weeks > 1 else ''}: ask for recurring cross-zone "
            "meetings to rotate their late slot between zones, or to run as a relay with an "
            "async recap.",
            after_hours_hours=totals.after_hours_sync_minutes / 60,
        )
    chains = [s for s in signals if s.rule == "back-to-back"]
    if chains:
        longest_chain = max(s.numbers["chain_minutes"] for s in chains)
        add(
            "break-chains",
            f"Your longest back-to-back run lasted {longest_chain / 60:.1f} h: leave 10 minutes "
            "between meetings, or move one of them to an async update.",
            chain_minutes=longest_chain,
        )
    return found
