"""A pulse's results as a team reads them: counts per verdict and the suggestions, nameless.

Privacy is enforced here, in the query layer, so no route can show one person's verdict:
the answers come from storage keyed by person only to reach ``analytics.privacy.gate``,
which drops the ids and computes nothing over fewer people than the policy's threshold
(five unless configured, never below three): "withheld: 4 people, fewer than 5". When
released, the suggestions are sorted alphabetically, so their order says nothing about
who wrote which. Who may read them is ``pulse.results`` in ``services/access.py`` (as
``team.read``; anyone else gets the 404 of a missing team).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from asyncfirst.analytics.privacy import Gated, PrivacyPolicy, gate
from asyncfirst.domain.errors import InputError
from asyncfirst.domain.model import Organisation
from asyncfirst.domain.pulses import VERDICTS, Verdict, is_pulse_week, latest_pulse_week
from asyncfirst.services.access import Actor, TeamRef, not_found, require
from asyncfirst.services.hub_ports import HubUnitOfWork
from asyncfirst.services.ports import Clock
from asyncfirst.services.pulse_ports import StoredPulse

__all__ = ["PulseResults", "PulseSummary", "pulse_results", "summarise"]


@dataclass(frozen=True, slots=True)
class PulseSummary:
    counts: dict[Verdict, int]
    suggestions: tuple[str, ...]


def _summary(answers: list[StoredPulse]) -> PulseSummary:
    counts = {v: sum(1 for a in answers if a.verdict == v) for v in VERDICTS}
    return PulseSummary(counts, tuple(sorted(a.suggestion for a in answers if a.suggestion)))


summarise = _summary  # for other reads that gate pulse answers (services/pulse_report.py)


@dataclass(frozen=True, slots=True)
class PulseResults:
    team: str
    pulse_week: date
    every_weeks: int
    gated: Gated[PulseSummary]

    def to_dict(self) -> dict[str, Any]:
        g = self.gated
        value = g.value
        return {
            "team": self.team,
            "pulse_week": self.pulse_week.isoformat(),
            "every_weeks": self.every_weeks,
            "people": g.people,
            "min_group": g.min_group,
            "withheld": None if g.released else g.note,
            "counts": dict(value.counts) if value else None,
            "suggestions": list(value.suggestions) if value else None,
        }


def pulse_results(
    uow: HubUnitOfWork,
    clock: Clock,
    org: Organisation,
    actor: Actor,
    team: str,
    policy: PrivacyPolicy,
    week: date | None = None,
) -> PulseResults:
    """The team's answers of pulse week ``week`` (its Monday; by default the latest pulse
    week in the team's zone) as counts and suggestions, gated."""
    with uow:
        if not uow.threads.team_exists(team):
            raise not_found(TeamRef(team))
        require(actor, "pulse.results", TeamRef(team))
        charter_team = org.team(team)
        every = charter_team.reflection_every_weeks
        if week is None:
            today = clock.now().astimezone(charter_team.schedule.tz).date()
            week = latest_pulse_week(every, today)
        elif week.weekday() != 0 or not is_pulse_week(every, week):
            nearest = latest_pulse_week(every, week)
            raise InputError(
                f"{week.isoformat()} is not the Monday of a pulse week for team \"{team}\" "
                f"(every {every} weeks); the pulse week before it started {nearest.isoformat()}",
                field="week", value=week.isoformat(),
            )  # fmt: skip
        answers = uow.pulses.answers(team, week)
    return PulseResults(team, week, every, gate(answers, _summary, policy))
