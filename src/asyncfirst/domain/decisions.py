"""Decisions as a state machine: how responses become a result, and when a decision escalates.

A decision is a proposal put to named deciders, decided by **consent** (each decider
consents or objects to the one proposal) or by **vote** (each picks one of two or more
options). Its states::

    open ──► decided      a quorum responded and there is a result
      │ ───► escalated    the decide-by passed without a result, objections persisted after
      │                   the configured number of rounds, or it was opened urgent and critical
      └────► withdrawn    its author (or the team's lead) took it back

Every state but ``open`` is final. Rules of a round (every response belongs to the round
in which it was given; a decider's later response in the same round replaces the earlier):

- **consent**: once ``quorum`` deciders have responded, no objection means decided; an
  objection ends the round. A round that ends with objections opens the next one, unless
  it was round ``max_rounds``: then the decision escalates.
- **vote**: once ``quorum`` deciders have voted and one option has more votes than any
  other, that option is decided. A tie waits for more votes, or for the decide-by.

Pure: no clock, no storage. ``services.decisions`` applies it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from asyncfirst.domain.errors import AsyncfirstError, InputError

__all__ = [
    "CONSENT_CHOICES",
    "DECISION_MODES",
    "REASON_DEADLINE",
    "REASON_URGENT",
    "Ballot",
    "DecisionClosedError",
    "DecisionMode",
    "DecisionState",
    "Outcome",
    "check_choice",
    "check_rules",
    "outcome",
    "reason_objections",
    "require_open",
]

DecisionMode = Literal["consent", "vote"]
DecisionState = Literal["open", "decided", "escalated", "withdrawn"]
DECISION_MODES: tuple[DecisionMode, ...] = ("consent", "vote")
CONSENT_CHOICES = ("consent", "object")

REASON_DEADLINE = "decide-by passed without a result"
REASON_URGENT = "marked urgent and critical"


def reason_objections(rounds: int) -> str:
    """The reason for a consent decision whose objections outlived its rounds."""
    return f"objections persisted after {rounds} round{'s' if rounds != 1 else ''}"


class DecisionClosedError(AsyncfirstError):
    """The decision is no longer open (decided, escalated or withdrawn); HTTP 409."""

    code = "decision_closed"


@dataclass(frozen=True, slots=True)
class Ballot:
    """One decider's response in one round: an option (vote), or consent / object."""

    person: str
    choice: str
    round: int


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the responses so far mean.

    ``state`` is the decision's next state; ``round`` its round afterwards (one more when a
    consent round ended with objections); ``option`` the result of a decided decision.
    """

    state: DecisionState
    round: int
    option: str | None = None
    reason: str | None = None


def require_open(decision_id: int, state: DecisionState) -> None:
    """Raise ``DecisionClosedError`` unless the decision can still change."""
    if state != "open":
        raise DecisionClosedError(
            f"decision {decision_id} is {state}; only an open decision can change",
            id=decision_id,
            state=state,
        )


def check_rules(
    mode: DecisionMode, options: Sequence[str], deciders: Sequence[str], quorum: int
) -> None:
    """Refuse a decision that could never be decided: too few options, an impossible quorum."""
    if not deciders:
        raise InputError("a decision needs at least one decider", field="deciders")
    if len(set(options)) != len(options):
        raise InputError("the options must differ from each other", field="options")
    if mode == "vote" and len(options) < 2:
        raise InputError("a vote needs at least two options", field="options")
    if mode == "consent" and len(options) > 1:
        raise InputError(
            "consent is given to one proposal; give at most one option, or use a vote",
            field="options",
        )
    if not 1 <= quorum <= len(deciders):
        raise InputError(
            f"the quorum must be between 1 and the {len(deciders)} decider(s), got {quorum}",
            field="quorum",
            value=quorum,
        )


def check_choice(mode: DecisionMode, options: Sequence[str], choice: str) -> None:
    """Refuse a response that this decision does not accept."""
    allowed = CONSENT_CHOICES if mode == "consent" else tuple(options)
    if choice not in allowed:
        raise InputError(
            f'"{choice}" is not one of: {", ".join(allowed)}', field="choice", value=choice
        )


def _current(ballots: Iterable[Ballot], round_: int) -> dict[str, str]:
    """Each decider's latest choice in ``round_`` (ballots come oldest first)."""
    return {b.person: b.choice for b in ballots if b.round == round_}


def outcome(
    mode: DecisionMode,
    options: Sequence[str],
    quorum: int,
    round_: int,
    max_rounds: int,
    ballots: Iterable[Ballot],
) -> Outcome:
    """The state an open decision moves to after its responses (oldest first)."""
    choices = _current(ballots, round_)
    if len(choices) < quorum:
        return Outcome("open", round_)
    if mode == "consent":
        if "object" not in choices.values():
            return Outcome("decided", round_, options[0] if options else None)
        if round_ >= max_rounds:
            return Outcome("escalated", round_, reason=reason_objections(max_rounds))
        return Outcome("open", round_ + 1)
    ranked = Counter(choices.values()).most_common()
    if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
        return Outcome("decided", round_, ranked[0][0])
    return Outcome("open", round_)
