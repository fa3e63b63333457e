"""Use cases of the reflection pulse: answer it, and recalibrate a team's async band.

**Answering.** A member answers for their own team (``pulse.answer``), only in one of its
pulse weeks (``domain.pulses``: every ``reflection_every_weeks`` weeks from the epoch
Monday 2026-01-05), judged by the member's own local date; outside one the refusal names
the next pulse week. Answering again the same pulse week replaces the earlier answer. The
answer is never read back with a name: a team sees only counts (``pulse_views``).

**Recalibrating.** After reading the results, the team's lead or an org admin
(``band.recalibrate``) may set a new async band ``0 ≤ low ≤ high ≤ 1``, with a reason. The
stored team changes and the change lands in the team's policy history exactly as a
charter apply writes it (an ``async_band`` row with who, when and why), so ``charter
history`` shows it. Applying the charter file again brings the file's band back, and
that too is recorded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from asyncfirst.domain.errors import InputError
from asyncfirst.domain.model import AsyncBand, Organisation
from asyncfirst.domain.pulses import (
    SUGGESTION_MAX,
    check_verdict,
    is_pulse_week,
    monday_of,
    next_pulse_week,
)
from asyncfirst.services.access import Actor, TeamRef, not_found, require
from asyncfirst.services.charter_records import AppliedCharter, PolicyChange
from asyncfirst.services.hub_ports import HubUnitOfWork
from asyncfirst.services.ports import Clock
from asyncfirst.services.pulse_ports import PulseAnswer
from asyncfirst.services.thread_views import utc_text

__all__ = [
    "REASON_MAX",
    "RECALIBRATION_SOURCE",
    "BandChange",
    "PulseReceipt",
    "answer_pulse",
    "recalibrate_band",
]

REASON_MAX = 2_000
RECALIBRATION_SOURCE = "recalibration (hub)"  # only when no charter was ever applied


@dataclass(frozen=True, slots=True)
class PulseReceipt:
    """What the answering person gets back: their team, the week, and whether it replaced."""

    team: str
    pulse_week: date
    replaced: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "team": self.team,
            "pulse_week": self.pulse_week.isoformat(),
            "replaced": self.replaced,
        }


@dataclass(frozen=True, slots=True)
class BandChange:
    team: str
    old: str
    new: str
    change: PolicyChange | None  # None when the band was already that

    def to_dict(self) -> dict[str, Any]:
        c = self.change
        return {
            "team": self.team,
            "field": "async_band",
            "old": self.old,
            "new": self.new,
            "changed": c is not None,
            "changed_at": utc_text(c.changed_at) if c else None,
            "changed_by": c.changed_by if c else None,
            "reason": c.reason if c else None,
        }


def answer_pulse(
    uow: HubUnitOfWork,
    clock: Clock,
    org: Organisation,
    actor: Actor,
    verdict: str,
    suggestion: str | None = None,
) -> PulseReceipt:
    """The actor's answer to their team's pulse this week; again the same week replaces it."""
    person = org.person(actor.person_id)
    team = org.team(person.team_id)
    checked = check_verdict(verdict)
    text = (suggestion or "").strip()
    if len(text) > SUGGESTION_MAX:
        raise InputError(
            f"the suggestion is {len(text)} characters; at most {SUGGESTION_MAX}",
            field="suggestion",
        )
    now = clock.now()
    today = now.astimezone(person.schedule.tz).date()
    every = team.reflection_every_weeks
    if not is_pulse_week(every, today):
        upcoming = next_pulse_week(every, today)
        raise InputError(
            f"the week of {monday_of(today).isoformat()} is not a pulse week for team "
            f'"{team.id}" (every {every} weeks); the next pulse week starts {upcoming.isoformat()}',
            field="pulse_week", next_pulse_week=upcoming.isoformat(),
        )  # fmt: skip
    week = monday_of(today)
    with uow:
        require(actor, "pulse.answer", TeamRef(team.id))
        created = uow.pulses.save(PulseAnswer(team.id, person.id, week, checked, text, now))
        uow.commit()
    return PulseReceipt(team.id, week, replaced=not created)


def _band(low: float, high: float) -> AsyncBand:
    for name, value in (("low", low), ("high", high)):
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            raise InputError(f"{name} must be a number from 0 to 1, got {value!r}", field=name)
    try:
        return AsyncBand(float(low), float(high))
    except ValueError:
        raise InputError(
            f"the async band {low}–{high} must satisfy 0 ≤ low ≤ high ≤ 1",
            field="band", low=low, high=high,
        ) from None  # fmt: skip


def recalibrate_band(
    uow: HubUnitOfWork,
    clock: Clock,
    org: Organisation,
    actor: Actor,
    team: str,
    low: float,
    high: float,
    reason: str,
) -> BandChange:
    """Set ``team``'s async band and record it in the policy history with who, when and why."""
    band = _band(low, high)
    why = reason.strip()
    if not why:
        raise InputError("say why the band changes", field="reason")
    if len(why) > REASON_MAX:
        raise InputError(
            f"the reason is {len(why)} characters; at most {REASON_MAX}", field="reason"
        )
    now = clock.now()
    with uow:
        if not uow.threads.team_exists(team):
            raise not_found(TeamRef(team))
        require(actor, "band.recalibrate", TeamRef(team))
        stored = uow.charter.snapshot()
        if stored is None or team not in stored.teams:  # pragma: no cover - team_exists said so
            raise not_found(TeamRef(team))
        before = stored.teams[team]
        after = replace(before, band_low=band.low, band_high=band.high)
        old, new = before.fields()["async_band"], after.fields()["async_band"]
        if after == before:
            return BandChange(team, old, new, None)
        uow.charter.save_team(after, now)
        digest = replace(stored, teams={**stored.teams, team: after}).digest()
        # The apply row keeps the source of the charter it amends, so ``serve`` still
        # finds that charter; who and why say it was a recalibration.
        last = uow.charter.last_apply()
        source = last.source if last is not None else RECALIBRATION_SOURCE
        apply_id = uow.charter.add_apply(AppliedCharter(digest, now, actor.person_id, source, why))
        change = PolicyChange(team, "async_band", old, new, now, actor.person_id, why)
        uow.charter.add_policy_change(change, apply_id)
        uow.commit()
    return BandChange(team, old, new, change)
