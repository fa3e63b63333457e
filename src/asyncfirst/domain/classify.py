"""Guess the kind of work, its urgency and its sensitivity from a line of free text.

The method is transparent on purpose, so a person can check every guess:

1. The text is lower-cased; each kind has a list of weighted phrases (below). A phrase
   matches as whole words, with "-", "_" and spaces interchangeable and a plain inflection
   allowed ("review" matches "reviewed", "reviews", "reviewing").
2. Where phrases of one vocabulary overlap, the longest wins: "prod outage" counts once,
   not also as "outage"; "not urgent" is not read as "urgent".
3. A kind's score is the sum of its matched weights; a trailing "?" adds 1 to question.
4. Confidence = *share* × *strength*: the winner's share of all points, times its points
   over ``STRONG_EVIDENCE`` (capped at 1). One weak word gives low confidence, two
   kinds with equal points give at most 0.5.
5. Text that matches nothing is a question with confidence ``FALLBACK_CONFIDENCE``, and the
   explanation says it was a fallback.

Urgency, criticality and sensitivity are read from their own phrase lists the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache
from types import MappingProxyType

from asyncfirst.domain.routing import Sensitivity, Urgency, WorkKind

__all__ = [
    "FALLBACK_CONFIDENCE",
    "KIND_PHRASES",
    "STRONG_EVIDENCE",
    "Classification",
    "classify",
]

STRONG_EVIDENCE = 3.0
FALLBACK_CONFIDENCE = 0.1
QUESTION_MARK_WEIGHT = 1.0

_K = WorkKind
# Weighted phrases per kind; on equal points the kind listed first (the more specific) wins.
KIND_PHRASES: Mapping[WorkKind, Mapping[str, float]] = MappingProxyType(
    {
        _K.INCIDENT: {
            "incident": 3.5, "outage": 3.5, "prod outage": 4, "production outage": 4,
            "is down": 3, "are down": 3, "went down": 3, "sev1": 3.5,
            "sev2": 3, "p0": 3, "on fire": 3, "paged": 3, "pagerduty": 3,
            "customers affected": 3, "data loss": 3, "security breach": 3.5, "breach": 2.5,
            "emergency": 3, "rollback": 2, "hotfix": 2, "degraded": 2.5,
            "war room": 3.5,
        },
        _K.TROUBLESHOOTING: {
            "debug": 3, "debugging": 3, "troubleshoot": 3, "bug": 2, "error": 2,
            "failing": 2, "fails": 2, "broken": 2, "crash": 2.5, "crashing": 2.5,
            "stack trace": 2.5, "traceback": 2.5, "not working": 2.5, "doesn't work": 2.5,
            "does not work": 2.5, "flaky": 2, "investigate": 2, "root cause": 2, "fix": 1.5,
            "exception": 2, "timeout": 2, "times out": 2, "regression": 2, "repro": 2,
            "reproduce": 2,
        },
        _K.PAIR_PROGRAMMING: {
            "pair programming": 3.5, "pair program": 3.5, "pair on": 3, "pairing": 3,
            "pair up": 3, "mob programming": 3, "ensemble programming": 3,
            "code together": 3, "screen share": 2, "walk me through": 1.5,
        },
        _K.ONE_ON_ONE: {
            "1:1": 3.5, "1-on-1": 3.5, "one on one": 3.5, "my manager": 1.5,
            "career": 2, "growth plan": 2, "mentoring": 2, "mentor": 2, "promotion": 2,
            "check in with you": 2, "private chat": 2,
        },
        _K.KICK_OFF: {
            "kick off": 3, "project start": 2.5, "new project": 2,
            "inception": 2.5, "meet the team": 2, "onboarding": 2, "introductions": 1.5,
            "get started on": 1.5, "starting a new": 2,
        },
        _K.WORKSHOP: {
            "brainstorm": 3, "workshop": 3, "ideation": 3, "whiteboard": 2.5,
            "design sprint": 3, "retro": 2.5, "retrospective": 3, "postmortem": 2,
            "planning session": 2.5, "ideas": 1.5, "offsite": 2, "map out": 1.5, "roadmap": 1,
        },
        _K.DECISION: {
            "decide": 3, "decide between": 3.5, "decision": 3, "choose between": 3.5,
            "choose": 1.5, "pick": 1.5, "which one": 1.5, "vote": 2.5, "go/no-go": 3,
            "go no go": 3, "trade off": 2, "options": 1.5, "vs": 2,
            "versus": 2, "agree on": 2, "settle on": 2.5, "should we": 2, "proposal": 1.5,
        },
        _K.REVIEW: {
            "review": 2.5, "code review": 3, "pr": 2, "pull request": 3, "merge request": 3,
            "look over": 2, "proofread": 3, "take a look": 1.5, "have a look": 1.5,
            "approve": 2, "lgtm": 2, "comments on": 1.5, "feedback on": 1.5, "draft": 1.5,
            "rfc": 2, "design doc": 1.5, "sign off": 1.5,
        },
        _K.SOCIAL: {
            "coffee": 3, "virtual coffee": 3.5, "lunch": 2.5, "happy hour": 3, "social": 2.5,
            "team building": 2.5, "game night": 3, "games": 1.5, "drinks": 2, "hang out": 2.5,
            "celebrate": 2.5, "birthday": 2.5, "farewell": 2, "watercooler": 2.5,
            "get to know": 2.5, "party": 2,
        },
        _K.UPDATE: {
            "fyi": 3, "for your information": 3, "heads up": 2, "status update": 3,
            "update": 1.5, "release notes": 2.5, "are up": 1, "is live": 1.5, "shipped": 2,
            "announcement": 2, "announce": 2, "progress": 1.5, "weekly report": 2,
            "changelog": 2, "just so you know": 2, "recap": 1.5, "newsletter": 2,
            "standup": 2, "stand up": 1.5, "status": 1,
        },
        _K.QUESTION: {
            "question": 2, "quick question": 3, "does anyone know": 3, "anyone know": 2.5,
            "how do i": 2.5, "how do we": 2, "where is": 1.5, "where can i find": 2.5,
            "what is": 1, "is there a way": 2, "can someone explain": 2.5, "wondering": 1.5,
            "clarify": 1.5, "who knows": 2, "any idea": 2, "how to": 1.5, "what's the": 1,
        },
    }
)  # fmt: skip

# Urgency: "not urgent" and friends are longer than "urgent", so they win where they overlap.
URGENCY_PHRASES: Mapping[str, Urgency] = MappingProxyType(
    {
        **dict.fromkeys(
            ("asap", "urgent", "urgently", "immediately", "right now", "right away",
             "prod outage", "production outage", "outage", "is down", "are down",
             "went down", "emergency", "blocker", "blocking", "on fire", "sev1", "p0",
             "by eod", "time sensitive", "time-critical"),
            Urgency.HIGH,
        ),
        **dict.fromkeys(
            ("not urgent", "no rush", "low priority", "when you have time",
             "when you get a chance", "no hurry", "not blocking", "whenever you can"),
            Urgency.LOW,
        ),
    }
)  # fmt: skip

# Phrase -> counts (True) or shields its words from a shorter phrase (False): "not critical"
# is longer than "critical", so it wins where they overlap and says the opposite.
CRITICAL_PHRASES: Mapping[str, bool] = MappingProxyType(
    {
        **dict.fromkeys(
            ("prod", "production", "outage", "customers", "customer facing", "data loss",
             "security", "breach", "critical", "sev1", "p0", "revenue", "payments",
             "all users", "is down", "are down", "went down"),
            True,
        ),
        **dict.fromkeys(("not critical", "non critical", "not in production"), False),
    }
)  # fmt: skip

SENSITIVITY_PHRASES: Mapping[str, bool] = MappingProxyType(
    {
        **dict.fromkeys(
            ("conflict", "feedback about", "upset", "personal", "layoff", "let go", "fired",
             "harassment", "complaint", "frustrated", "burnout", "burned out", "grief",
             "bereavement", "sick leave", "mental health", "resign", "resignation",
             "salary", "compensation", "difficult conversation", "tension", "hurt", "angry",
             "confidential", "sensitive", "performance issue", "underperforming",
             "disciplinary"),
            True,
        ),
        **dict.fromkeys(
            ("time sensitive", "case sensitive", "not sensitive", "merge conflict",
             "personal access token"),
            False,
        ),
    }
)  # fmt: skip

_WORD = r"[a-z0-9]"
_INFLECTION = r"(?:s|es|d|ed|ing)?"


@cache
def _pattern(phrase: str) -> re.Pattern[str]:
    """Whole-word regex for a phrase: spaces/hyphens/underscores interchangeable."""
    parts = [re.escape(word) for word in re.split(r"[\s\-_]+", phrase)]
    body = r"[\s\-_]*".join(parts)
    suffix = _INFLECTION if phrase[-1].isalpha() else ""
    return re.compile(rf"(?<!{_WORD}){body}{suffix}(?!{_WORD})")


@dataclass(frozen=True, slots=True)
class _Match:
    phrase: str
    start: int
    end: int


def _longest_matches(text: str, phrases: list[str]) -> list[_Match]:
    """All phrase matches, dropping any that overlaps a longer (earlier-kept) match."""
    found = [
        _Match(phrase, m.start(), m.end())
        for phrase in phrases
        for m in _pattern(phrase).finditer(text)
    ]
    found.sort(key=lambda m: (-(m.end - m.start), m.start, m.phrase))
    kept: list[_Match] = []
    for match in found:
        if all(match.end <= k.start or match.start >= k.end for k in kept):
            kept.append(match)
    return sorted(kept, key=lambda m: m.start)


@dataclass(frozen=True, slots=True)
class Classification:
    """A guess from free text, with everything that led to it.

    ``matched`` are the phrases that counted for ``kind``; ``scores`` the points of every
    kind that scored; the ``*_cues`` the phrases behind urgency, criticality, sensitivity.
    """

    kind: WorkKind
    confidence: float
    matched: tuple[str, ...]
    urgency: Urgency
    critical: bool
    sensitivity: Sensitivity
    explanation: str
    scores: tuple[tuple[WorkKind, float], ...] = ()
    urgency_cues: tuple[str, ...] = ()
    critical_cues: tuple[str, ...] = ()
    sensitivity_cues: tuple[str, ...] = ()
    fallback: bool = False


def _normalise(text: str) -> str:
    return " ".join(text.lower().replace("\u2019", "'").split())


def _kind_scores(text: str) -> tuple[dict[WorkKind, float], dict[WorkKind, list[str]]]:
    owner = {phrase: kind for kind, table in KIND_PHRASES.items() for phrase in table}
    scores: dict[WorkKind, float] = {}
    matched: dict[WorkKind, list[str]] = {}
    for match in _longest_matches(text, list(owner)):
        kind = owner[match.phrase]
        scores[kind] = scores.get(kind, 0.0) + KIND_PHRASES[kind][match.phrase]
        matched.setdefault(kind, []).append(match.phrase)
    if text.rstrip().endswith("?"):
        scores[WorkKind.QUESTION] = scores.get(WorkKind.QUESTION, 0.0) + QUESTION_MARK_WEIGHT
        matched.setdefault(WorkKind.QUESTION, []).append("?")
    return scores, matched


def _urgency(text: str) -> tuple[Urgency, tuple[str, ...]]:
    cues = [m.phrase for m in _longest_matches(text, list(URGENCY_PHRASES))]
    levels = {URGENCY_PHRASES[cue] for cue in cues}
    for level in (Urgency.HIGH, Urgency.LOW):
        if level in levels:
            return level, tuple(cue for cue in cues if URGENCY_PHRASES[cue] is level)
    return Urgency.NORMAL, ()


def _cues(text: str, phrases: Mapping[str, bool]) -> tuple[str, ...]:
    """The phrases that count, after longer shielding phrases took their words."""
    return tuple(m.phrase for m in _longest_matches(text, list(phrases)) if phrases[m.phrase])


def classify(text: str) -> Classification:
    """Guess kind, urgency, criticality and sensitivity of ``text``; never raises."""
    norm = _normalise(text)
    scores, matched = _kind_scores(norm)
    urgency, urgency_cues = _urgency(norm)
    critical_cues = _cues(norm, CRITICAL_PHRASES)
    sensitivity_cues = _cues(norm, SENSITIVITY_PHRASES)
    fallback = Classification(
        kind=WorkKind.QUESTION,
        confidence=FALLBACK_CONFIDENCE,
        matched=(),
        urgency=urgency,
        critical=bool(critical_cues),
        sensitivity=Sensitivity.SENSITIVE if sensitivity_cues else Sensitivity.NORMAL,
        explanation="no known phrase matched: assumed a question, with low confidence",
        urgency_cues=urgency_cues,
        critical_cues=critical_cues,
        sensitivity_cues=sensitivity_cues,
        fallback=True,
    )
    if not scores:
        return fallback
    order = list(KIND_PHRASES)  # on equal points the kind listed first wins
    ranked = sorted(scores.items(), key=lambda item: (-item[1], order.index(item[0])))
    kind, top = ranked[0]
    total = sum(scores.values())
    confidence = round((top / total) * min(1.0, top / STRONG_EVIDENCE), 2)
    return replace(
        fallback,
        kind=kind,
        confidence=confidence,
        matched=tuple(matched[kind]),
        explanation=_explain(kind, top, total, ranked, matched[kind], confidence),
        scores=tuple(ranked),
        fallback=False,
    )


def _explain(
    kind: WorkKind,
    top: float,
    total: float,
    ranked: list[tuple[WorkKind, float]],
    phrases: list[str],
    confidence: float,
) -> str:
    quoted = ", ".join(f'"{p}"' for p in phrases)
    text = f"{kind}: {top:g} of {total:g} points ({top / total:.0%}) from {quoted}"
    if len(ranked) > 1:
        runner, points = ranked[1]
        text += f"; next {runner} with {points:g}"
    strength = min(1.0, top / STRONG_EVIDENCE)
    return f"{text}; strength {strength:.2f} (full at {STRONG_EVIDENCE:g}) → {confidence:.2f}"
