"""Three formats for a recurring meeting with no common hour: rotate, relay, or go async.

- **rotation**: everyone live at every occurrence, the out-of-hours burden spread across
  zones over the series (``rotation.plan_rotation``);
- **relay**: each occurrence as regional sessions that fall inside working hours, chained by
  a written recap (``relay.plan_relay`` on each week's grid);
- **async**: a recorded briefing and written Q&A; each attendee answers within their team's
  respond-by, counted in their own working time (``add_working_minutes``); 0 minutes out of
  hours by construction.

Each comes with its cost in attendee-minutes out of hours and its reason to prefer it, in
words with numbers. The recommendation follows the kind of meeting (``KIND_NEEDS``):

1. a kind that needs no live interaction (an update or an alignment with no decision)
   goes **async**;
2. a kind that needs a live conversation but not everyone at once goes to the **relay**
   when it keeps everyone inside hours (0 out-of-hours minutes, nobody left out) in at
   most ``MAX_RELAY_SESSIONS`` regional sessions, else to the rotation;
3. a kind where everyone must be live together (decision, kick-off, workshop, planning)
   goes to the **rotation**.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from asyncfirst.domain.errors import InputError
from asyncfirst.domain.model import Person
from asyncfirst.scheduling.async_briefing import (
    DEFAULT_RESPOND_BY_HOURS,
    AsyncOccurrence,
    PersonDue,
    ZoneDue,
    async_occurrence,
)
from asyncfirst.scheduling.bands import format_minutes
from asyncfirst.scheduling.relay import RelayPlan, city, plan_relay
from asyncfirst.scheduling.rotation import WEEKDAYS, Rotation, plan_rotation, week_grids

__all__ = [
    "DEFAULT_RESPOND_BY_HOURS",
    "KIND_NEEDS",
    "MAX_RELAY_SESSIONS",
    "AsyncOccurrence",
    "AsyncOption",
    "Format",
    "LiveNeed",
    "PersonDue",
    "RelayOption",
    "SeriesOptions",
    "ZoneDue",
    "series_options",
]

MAX_RELAY_SESSIONS = 3


class LiveNeed(StrEnum):
    """How much live interaction a kind of meeting needs."""

    NONE = "none"  # the content travels well in writing
    REGIONAL = "regional"  # a live conversation, but regional groups will do
    EVERYONE = "everyone"  # everyone must be live together


class Format(StrEnum):
    ROTATION = "rotation"
    RELAY = "relay"
    ASYNC = "async"


_N, _R, _E = LiveNeed.NONE, LiveNeed.REGIONAL, LiveNeed.EVERYONE
KIND_NEEDS: Mapping[str, LiveNeed] = MappingProxyType(
    {
        "update": _N, "alignment": _N, "announcement": _N, "question": _N, "review": _N,
        "discussion": _R, "q-and-a": _R, "social": _R, "troubleshooting": _R,
        "decision": _E, "kick-off": _E, "workshop": _E, "planning": _E,
    }
)  # fmt: skip


@dataclass(frozen=True)
class AsyncOption:
    occurrences: tuple[AsyncOccurrence, ...]
    reason_to_prefer: str
    cost_out_of_hours_minutes: float = 0.0


@dataclass(frozen=True)
class RelayOption:
    plans: tuple[tuple[date, RelayPlan], ...]

    @property
    def reason_to_prefer(self) -> str:
        return _relay_reason(self)

    @property
    def cost_out_of_hours_minutes(self) -> float:
        return sum(plan.out_of_hours_minutes for _, plan in self.plans)

    @property
    def max_sessions(self) -> int:
        return max(plan.session_count for _, plan in self.plans)

    @property
    def unplaced(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(n for _, plan in self.plans for n in plan.unplaced))

    @property
    def keeps_everyone_inside(self) -> bool:
        """0 minutes out of hours, nobody left out, at most ``MAX_RELAY_SESSIONS`` sessions."""
        return (
            not self.cost_out_of_hours_minutes
            and not self.unplaced
            and 0 < self.max_sessions <= MAX_RELAY_SESSIONS
        )


@dataclass(frozen=True)
class SeriesOptions:
    kind: str
    need: LiveNeed
    rotation: Rotation
    relay: RelayOption
    async_: AsyncOption
    rotation_reason: str
    recommended: Format
    recommendation: str

    def costs(self) -> dict[Format, float]:
        """Attendee-minutes out of hours over the series, per format."""
        return {
            Format.ROTATION: self.rotation.rotation.out_of_hours_minutes,
            Format.RELAY: self.relay.cost_out_of_hours_minutes,
            Format.ASYNC: self.async_.cost_out_of_hours_minutes,
        }

    def reasons(self) -> dict[Format, str]:
        return {
            Format.ROTATION: self.rotation_reason,
            Format.RELAY: self.relay.reason_to_prefer,
            Format.ASYNC: self.async_.reason_to_prefer,
        }

    def to_dict(self) -> dict[str, Any]:
        costs, reasons = self.costs(), self.reasons()
        summary = {
            f.value: {
                "cost_out_of_hours_minutes": round(costs[f], 2),
                "reason_to_prefer": reasons[f],
            }
            for f in Format
        }
        return {
            "kind": self.kind,
            "live_need": self.need.value,
            "recommended": self.recommended.value,
            "recommendation": self.recommendation,
            "options": summary,
            "rotation": self.rotation.to_dict(),
            "relay": {
                "keeps_everyone_inside": self.relay.keeps_everyone_inside,
                "occurrences": [
                    {"week": w.isoformat(), **p.to_dict()} for w, p in self.relay.plans
                ],
            },
            "async": [
                {
                    "week": o.week.isoformat(),
                    "briefing_at": o.briefing_at.isoformat(),
                    "answers_due": [z.to_dict() for z in o.zones],
                }
                for o in self.async_.occurrences
            ],
        }


def _async_reason(first: AsyncOccurrence) -> str:
    dues = "; ".join(
        f"{city(z.zone)} within {max(p.hours for p in z.people):g} h → {z.due:%a %H:%M}"
        for z in first.zones
    )
    return (
        "0 min out of hours and no shared slot needed: a recorded briefing posted "
        f"{first.briefing_at:%a %H:%M} UTC plus written Q&A, each zone answering within its "
        f"respond-by in its own working time ({dues}, local). Best when nothing needs a live "
        "conversation."
    )


def _relay_reason(relay: RelayOption) -> str:
    placed = [plan for _, plan in relay.plans if plan.sessions]
    if not placed:
        return "No regional session can be placed; a relay is not possible."
    ooh = relay.cost_out_of_hours_minutes
    span = max(p.sessions[-1].interval.start - p.sessions[0].interval.start for p in placed)
    text = (
        (f"{format_minutes(ooh)} out of hours" if ooh else "Nobody joins out of hours (0 min)")
        + f": each occurrence runs as up to {relay.max_sessions} regional sessions "
        f"({' → '.join(placed[0].handover)}) chained by a written recap, so the live "
        "discussion happens inside hours; the last region hears the first up to "
        f"{format_minutes(span.total_seconds() / 60)} later."
    )
    if relay.unplaced:
        text += f" Left out: {', '.join(relay.unplaced)}."
    return text


def _rotation_reason(rotation: Rotation) -> str:
    chosen, base = rotation.rotation, rotation.baseline
    worst, base_worst = chosen.worst_zone, base.worst_zone
    return (
        f"Everyone live at all {len(chosen.slots)} occurrences, for "
        f"{format_minutes(chosen.out_of_hours_minutes)} of attendee time out of hours, spread "
        f"so the worst-off zone ({worst.city}) carries {worst.minutes_per_member:.0f} min per "
        f"member (cost {worst.cost_per_member:.0f}) against {base_worst.minutes_per_member:.0f} "
        f"min (cost {base_worst.cost_per_member:.0f}) for {base_worst.city} at the cheapest slot "
        f"every week; spread between zones {chosen.spread:.0f} vs {base.spread:.0f}, "
        f"coefficient of variation {chosen.coefficient_of_variation:.2f} vs "
        f"{base.coefficient_of_variation:.2f}."
    )


def _recommend(
    kind: str, need: LiveNeed, rotation: Rotation, relay: RelayOption
) -> tuple[Format, str]:
    if need is LiveNeed.NONE:
        return Format.ASYNC, f'The kind "{kind}" needs no live interaction, so it goes async.'
    if rotation.all_inside:
        return Format.ROTATION, "Every week has a time with everyone inside hours: meet live."
    if need is LiveNeed.REGIONAL and relay.keeps_everyone_inside:
        return Format.RELAY, (
            f'The kind "{kind}" needs live conversation but not everyone at once, and a relay of at '
            f"most {relay.max_sessions} regional sessions keeps everyone inside hours."
        )
    if need is LiveNeed.REGIONAL:
        return Format.ROTATION, (
            f'The kind "{kind}" needs live conversation and no relay of at most '
            f"{MAX_RELAY_SESSIONS} sessions keeps everyone inside hours, so rotate."
        )
    return Format.ROTATION, (
        f'The kind "{kind}" needs everyone live together, so rotate the out-of-hours turn fairly.'
    )


def series_options(
    people: Sequence[Person],
    duration_minutes: int,
    weeks: Sequence[date],
    *,
    kind: str,
    respond_by_hours_by_team: Mapping[str, float] | None = None,
    days: frozenset[int] = WEEKDAYS,
    same_weekday: bool = False,
    step_minutes: int = 30,
) -> SeriesOptions:
    """Rotation, relay and async for a weekly meeting, and the one the rule recommends.

    ``respond_by_hours_by_team`` maps team ids to the respond-by of their members
    (default ``DEFAULT_RESPOND_BY_HOURS``). See the module docstring for the rule.
    """
    need = KIND_NEEDS.get(kind)
    if need is None:
        raise InputError(f'unknown kind "{kind}" — known: {", ".join(KIND_NEEDS)}', kind=kind)
    grids = week_grids(people, duration_minutes, weeks, days=days, step_minutes=step_minutes)
    rotation = plan_rotation(
        people, duration_minutes, weeks, same_weekday=same_weekday, grids=grids
    )
    plans = tuple((g.week, plan_relay(people, g.rows)) for g in grids)
    relay = RelayOption(plans)
    occurrences = tuple(async_occurrence(people, w, respond_by_hours_by_team or {}) for w in weeks)
    asynchronous = AsyncOption(occurrences, _async_reason(occurrences[0]))
    recommended, why = _recommend(kind, need, rotation, relay)
    return SeriesOptions(
        kind, need, rotation, relay, asynchronous, _rotation_reason(rotation), recommended, why
    )
