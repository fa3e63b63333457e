"""Use case: recommend async, sync or hybrid for a described piece of work or a line of text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from asyncfirst.domain.classify import Classification, classify
from asyncfirst.domain.errors import InputError
from asyncfirst.domain.routing import (
    Recommendation,
    RouterPolicy,
    Sensitivity,
    Urgency,
    WorkItem,
    WorkKind,
    kind_hint,
    parse_kind,
    route,
)

__all__ = ["RouteResult", "route_work"]


@dataclass(frozen=True, slots=True)
class RouteResult:
    """The recommendation, the facts it was made from, and the text classification if any."""

    recommendation: Recommendation
    item: WorkItem
    classification: Classification | None = None

    def to_dict(self) -> dict[str, Any]:
        rec = self.recommendation
        data: dict[str, Any] = {
            "mode": rec.mode.value,
            "rule": rec.rule,
            "reasons": list(rec.reasons),
            "kind": rec.kind.value,
            "confidence": rec.confidence,
            "optional": rec.optional,
            "item": {
                "kind": self.item.kind.value,
                "urgency": self.item.urgency.value,
                "people": self.item.people,
                "sensitivity": self.item.sensitivity.value,
                "async_rounds": self.item.async_rounds,
                "critical": self.item.critical,
            },
        }
        if self.classification is not None:
            data["classification"] = _classification_dict(self.classification)
        return data


def _classification_dict(c: Classification) -> dict[str, Any]:
    return {
        "kind": c.kind.value,
        "confidence": c.confidence,
        "matched": list(c.matched),
        "scores": {kind.value: points for kind, points in c.scores},
        "urgency": c.urgency.value,
        "urgency_cues": list(c.urgency_cues),
        "critical": c.critical,
        "critical_cues": list(c.critical_cues),
        "sensitivity": c.sensitivity.value,
        "sensitivity_cues": list(c.sensitivity_cues),
        "fallback": c.fallback,
        "explanation": c.explanation,
    }


def route_work(
    text: str | None = None,
    *,
    kind: str | None = None,
    urgency: str | None = None,
    people: int = 2,
    sensitive: bool = False,
    rounds: int = 0,
    critical: bool = False,
    policy: RouterPolicy | None = None,
) -> RouteResult:
    """Recommend a mode for work given as a ``kind`` name, as free ``text``, or both.

    A given kind or urgency wins over what the text suggests; sensitivity and criticality
    hold when either the caller or the text says so. Without a policy the product defaults
    apply. Raises ``InputError`` for an unknown kind or urgency, fewer than one person,
    negative rounds, or when neither text nor kind is given.
    """
    if people < 1:
        raise InputError(f"people must be at least 1, got {people}", field="people", value=people)
    if rounds < 0:
        raise InputError(f"rounds cannot be negative, got {rounds}", field="rounds", value=rounds)
    given_kind = _parse_kind(kind) if kind is not None else None
    given_urgency = _parse_urgency(urgency) if urgency is not None else None
    has_text = text is not None and text.strip() != ""
    if given_kind is None and not has_text:
        raise InputError("nothing to route: give a text or a kind", field="kind")
    guess = classify(text) if text is not None and has_text else None

    item = WorkItem(
        kind=given_kind or (guess.kind if guess else WorkKind.QUESTION),
        urgency=given_urgency or (guess.urgency if guess else Urgency.NORMAL),
        people=people,
        sensitivity=(
            Sensitivity.SENSITIVE
            if sensitive or (guess is not None and guess.sensitivity is Sensitivity.SENSITIVE)
            else Sensitivity.NORMAL
        ),
        async_rounds=rounds,
        critical=critical or (guess is not None and guess.critical),
    )
    recommendation = route(item, policy or RouterPolicy.default())
    if guess is not None:
        recommendation = _with_guess(recommendation, guess, kind_given=given_kind is not None)
    return RouteResult(recommendation, item, guess)


def _with_guess(rec: Recommendation, guess: Classification, *, kind_given: bool) -> Recommendation:
    """Add what the text contributed to the reasons; the confidence when the kind was guessed."""
    notes: list[str] = []
    if kind_given:
        notes.append(f"kind given as {rec.kind}; the text alone suggests {guess.kind}")
    elif guess.fallback:
        notes.append("no known phrase in the text: treated as a question (low confidence)")
    else:
        matched = _quoted(guess.matched)
        notes.append(
            f"kind {guess.kind} guessed from the text with confidence {guess.confidence:.2f}"
            f" (matched {matched})"
        )
    for label, cues in (
        ("urgency " + guess.urgency.value, guess.urgency_cues),
        ("critical", guess.critical_cues),
        ("sensitive", guess.sensitivity_cues),
    ):
        if cues:
            notes.append(f"{label} read from the text: {_quoted(cues)}")
    return Recommendation(
        rec.mode,
        rec.rule,
        (*rec.reasons, *notes),
        rec.kind,
        confidence=None if kind_given else guess.confidence,
        optional=rec.optional,
    )


def _quoted(phrases: tuple[str, ...]) -> str:
    return ", ".join(f'"{phrase}"' for phrase in phrases)


def _parse_kind(name: str) -> WorkKind:
    kind = parse_kind(name)
    if kind is None:
        raise InputError(f'unknown kind "{name}"; {kind_hint(name)}', field="kind", value=name)
    return kind


def _parse_urgency(name: str) -> Urgency:
    try:
        return Urgency(name.strip().lower())
    except ValueError:
        valid = ", ".join(u.value for u in Urgency)
        raise InputError(
            f'unknown urgency "{name}"; valid urgencies: {valid}', field="urgency", value=name
        ) from None
