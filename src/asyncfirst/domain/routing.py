"""The router: should a piece of work happen async, sync, or hybrid (async pre-read + short sync)?

The decision is an ordered list of small named rules. Each rule is a function whose docstring
states it and whose result names it with a stable id, so every recommendation says *which*
rule decided and *why*:

1. The *baseline* rules, first match wins:

   - ``hybrid:many-people``   a decision, workshop or kick-off with many people goes hybrid;
   - ``kind-default:<kind>``  the product's default mode for the kind of work, or
     ``charter:<kind>`` when the team's charter overrides it.

2. The *escalations*, in order; the first that applies turns a baseline that is not already
   sync into sync:

   - ``escalate:urgent-critical``  urgent and critical work;
   - ``escalate:sensitive``        emotionally sensitive work;
   - ``escalate:stalled-rounds``   work that has taken too many async rounds.

   When the baseline is already sync, an applicable escalation does not change the rule; its
   reason is added as support.

The defaults follow the product brief; a team overrides them in its charter (see
``router_policy_from_mapping``).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from types import MappingProxyType

from asyncfirst.domain.errors import CharterError

__all__ = [
    "BASELINE_RULES",
    "ESCALATION_RULES",
    "Mode",
    "Recommendation",
    "RouterPolicy",
    "Sensitivity",
    "Urgency",
    "WorkItem",
    "WorkKind",
    "describe_rules",
    "kind_hint",
    "parse_kind",
    "route",
    "router_policy_from_mapping",
]


class WorkKind(StrEnum):
    """The kinds of work the router knows; values are what people type."""

    UPDATE = "update"
    QUESTION = "question"
    REVIEW = "review"
    DECISION = "decision"
    WORKSHOP = "workshop"  # brainstorms too
    KICK_OFF = "kick-off"
    TROUBLESHOOTING = "troubleshooting"
    PAIR_PROGRAMMING = "pair-programming"
    ONE_ON_ONE = "one-on-one"
    SOCIAL = "social"
    INCIDENT = "incident"


class Mode(StrEnum):
    ASYNC = "async"
    SYNC = "sync"
    HYBRID = "hybrid"  # async pre-read, then a short sync


class Urgency(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


class Sensitivity(StrEnum):
    NORMAL = "normal"
    SENSITIVE = "sensitive"


# Other names people use for a kind; looked up after normalising case, spaces and underscores.
KIND_ALIASES: Mapping[str, WorkKind] = MappingProxyType(
    {
        "brainstorm": WorkKind.WORKSHOP,
        "brainstorming": WorkKind.WORKSHOP,
        "kickoff": WorkKind.KICK_OFF,
        "pairing": WorkKind.PAIR_PROGRAMMING,
        "pair": WorkKind.PAIR_PROGRAMMING,
        "mob-programming": WorkKind.PAIR_PROGRAMMING,
        "1:1": WorkKind.ONE_ON_ONE,
        "1-1": WorkKind.ONE_ON_ONE,
        "1-on-1": WorkKind.ONE_ON_ONE,
        "one-to-one": WorkKind.ONE_ON_ONE,
        "coffee": WorkKind.SOCIAL,
        "debugging": WorkKind.TROUBLESHOOTING,
        "code-review": WorkKind.REVIEW,
    }
)


def _normalise_name(name: str) -> str:
    return "-".join(name.strip().lower().replace("_", " ").split())


def parse_kind(name: str) -> WorkKind | None:
    """The kind a name stands for (``"Pair programming"``, ``"1:1"``, ``"brainstorm"``), or None."""
    key = _normalise_name(name)
    try:
        return WorkKind(key)
    except ValueError:
        return KIND_ALIASES.get(key)


def kind_hint(name: str) -> str:
    """A "did you mean" sentence for an unknown kind name, listing the valid kinds."""
    valid = [kind.value for kind in WorkKind]
    close = difflib.get_close_matches(_normalise_name(name), [*valid, *KIND_ALIASES], n=1)
    guess = f'did you mean "{parse_kind(close[0])}"? ' if close else ""
    return f"{guess}valid kinds: {', '.join(valid)}"


@dataclass(frozen=True, slots=True)
class WorkItem:
    """A described piece of work: what it is and the facts that can escalate it."""

    kind: WorkKind
    urgency: Urgency = Urgency.NORMAL
    people: int = 2
    sensitivity: Sensitivity = Sensitivity.NORMAL
    async_rounds: int = 0
    critical: bool = False

    def __post_init__(self) -> None:
        if self.people < 1:
            raise ValueError(f"a piece of work involves at least one person, not {self.people}")
        if self.async_rounds < 0:
            raise ValueError(f"async rounds cannot be negative: {self.async_rounds}")


@dataclass(frozen=True, slots=True)
class KindDefault:
    """The product's default mode for a kind of work, with the reason in words."""

    mode: Mode
    reason: str


KIND_DEFAULTS: Mapping[WorkKind, KindDefault] = MappingProxyType(
    {
        WorkKind.UPDATE: KindDefault(
            Mode.ASYNC, "updates are one-way information: written once, read in everyone's hours"
        ),
        WorkKind.QUESTION: KindDefault(
            Mode.ASYNC, "most questions are answered well in writing, and the answer stays findable"
        ),
        WorkKind.REVIEW: KindDefault(
            Mode.ASYNC,
            "reviews need focused reading at each reviewer's pace; comments stay traceable",
        ),
        WorkKind.DECISION: KindDefault(
            Mode.ASYNC, "a written proposal with options and a decide-by lets every zone weigh in"
        ),
        WorkKind.WORKSHOP: KindDefault(
            Mode.SYNC, "brainstorms and workshops build on each other's ideas in real time"
        ),
        WorkKind.KICK_OFF: KindDefault(
            Mode.SYNC, "a kick-off aligns people and builds the trust later async work relies on"
        ),
        WorkKind.TROUBLESHOOTING: KindDefault(
            Mode.SYNC,
            "troubleshooting needs fast back-and-forth; async rounds stretch it over days",
        ),
        WorkKind.PAIR_PROGRAMMING: KindDefault(
            Mode.SYNC, "pair programming is two people on one problem at the same time"
        ),
        WorkKind.ONE_ON_ONE: KindDefault(
            Mode.SYNC, "a 1:1 is about the person: tone and trust carry better live"
        ),
        WorkKind.SOCIAL: KindDefault(
            Mode.SYNC, "social time is for real-time contact; it is optional, join if you want"
        ),
        WorkKind.INCIDENT: KindDefault(
            Mode.SYNC, "an incident needs people together now to restore service; write it up after"
        ),
    }
)


@dataclass(frozen=True)
class RouterPolicy:
    """The router's settings for a team: a mode per kind and the thresholds of the rules."""

    kind_modes: Mapping[WorkKind, Mode]
    max_async_rounds: int = 3
    hybrid_min_people: int = 6
    large_group_kinds: frozenset[WorkKind] = frozenset(
        {WorkKind.DECISION, WorkKind.WORKSHOP, WorkKind.KICK_OFF}
    )
    optional_kinds: frozenset[WorkKind] = frozenset({WorkKind.SOCIAL})
    charter_kinds: frozenset[WorkKind] = field(default_factory=frozenset)
    source: str = "product defaults"

    def __post_init__(self) -> None:
        missing = [kind.value for kind in WorkKind if kind not in self.kind_modes]
        if missing:
            raise ValueError(f"router policy has no mode for: {', '.join(missing)}")
        if self.max_async_rounds < 1:
            raise ValueError(f"max_async_rounds must be at least 1, not {self.max_async_rounds}")
        if self.hybrid_min_people < 2:
            raise ValueError(f"hybrid_min_people must be at least 2, not {self.hybrid_min_people}")
        object.__setattr__(self, "kind_modes", MappingProxyType(dict(self.kind_modes)))

    def __hash__(self) -> int:
        return hash((frozenset(self.kind_modes.items()), self.max_async_rounds, self.source))

    @classmethod
    def default(cls) -> RouterPolicy:
        """The product brief's defaults."""
        return cls({kind: default.mode for kind, default in KIND_DEFAULTS.items()})

    def mode_for(self, kind: WorkKind) -> Mode:
        return self.kind_modes[kind]


@dataclass(frozen=True, slots=True)
class Recommendation:
    """What the router recommends, the rule that decided and the reasons in words.

    ``confidence`` is how sure the kind is when it was guessed from free text, None when the
    kind was given. ``optional`` marks sync that people may skip (social time).
    """

    mode: Mode
    rule: str
    reasons: tuple[str, ...]
    kind: WorkKind
    confidence: float | None = None
    optional: bool = False


@dataclass(frozen=True, slots=True)
class Verdict:
    """One rule's outcome: the mode it asks for, its id and its reasons."""

    mode: Mode
    rule: str
    reasons: tuple[str, ...]


Rule = Callable[[WorkItem, RouterPolicy], Verdict | None]


# --- baseline rules ------------------------------------------------------------------------


def hybrid_many_people(item: WorkItem, policy: RouterPolicy) -> Verdict | None:
    """A decision, workshop or kick-off with ``hybrid_min_people`` or more people goes hybrid.

    An async pre-read lets everyone arrive prepared, so the sync part can be short.
    """
    if item.kind not in policy.large_group_kinds or item.people < policy.hybrid_min_people:
        return None
    if policy.mode_for(item.kind) is Mode.HYBRID:
        return None  # the kind default already says so, and names the charter
    return Verdict(
        Mode.HYBRID,
        "hybrid:many-people",
        (
            f"{item.people} people (hybrid from {policy.hybrid_min_people}, {policy.source}): "
            "share an async pre-read first so the sync part can be short",
        ),
    )


def kind_default(item: WorkItem, policy: RouterPolicy) -> Verdict:
    """Otherwise the kind decides: the product default, or the team charter's override."""
    mode = policy.mode_for(item.kind)
    product = KIND_DEFAULTS[item.kind]
    if item.kind in policy.charter_kinds:
        reason = f"the team's charter routes {item.kind} work {mode} ({policy.source})"
        if mode is not product.mode:
            reason += f"; the product default is {product.mode}"
        return Verdict(mode, f"charter:{item.kind}", (reason,))
    return Verdict(mode, f"kind-default:{item.kind}", (f"{item.kind}: {product.reason}",))


BASELINE_RULES: tuple[Rule, ...] = (hybrid_many_people, kind_default)


# --- escalations ---------------------------------------------------------------------------


def escalate_urgent_critical(item: WorkItem, policy: RouterPolicy) -> Verdict | None:
    """Urgent and critical work goes sync: waiting for async replies costs more than a call."""
    if item.urgency is not Urgency.HIGH or not item.critical:
        return None
    return Verdict(
        Mode.SYNC,
        "escalate:urgent-critical",
        ("it is urgent and critical: waiting for async replies across zones costs too much",),
    )


def escalate_sensitive(item: WorkItem, policy: RouterPolicy) -> Verdict | None:
    """Emotionally sensitive work goes sync: nuance and emotion get lost in text."""
    if item.sensitivity is not Sensitivity.SENSITIVE:
        return None
    return Verdict(
        Mode.SYNC,
        "escalate:sensitive",
        ("it is emotionally sensitive: tone and nuance get lost in text",),
    )


def escalate_stalled_rounds(item: WorkItem, policy: RouterPolicy) -> Verdict | None:
    """Work that has taken ``max_async_rounds`` async rounds or more has stalled: go sync."""
    if item.async_rounds < policy.max_async_rounds:
        return None
    return Verdict(
        Mode.SYNC,
        "escalate:stalled-rounds",
        (
            f"it has taken {item.async_rounds} async rounds (limit {policy.max_async_rounds}, "
            f"{policy.source}): a short sync unblocks it",
        ),
    )


ESCALATION_RULES: tuple[Rule, ...] = (
    escalate_urgent_critical,
    escalate_sensitive,
    escalate_stalled_rounds,
)


def _baseline(item: WorkItem, policy: RouterPolicy) -> Verdict:
    for rule in BASELINE_RULES:
        verdict = rule(item, policy)
        if verdict is not None:
            return verdict
    return kind_default(item, policy)  # unreachable: kind_default always decides


def _notes(item: WorkItem, mode: Mode) -> tuple[str, ...]:
    """Facts that did not decide but that the reader should see."""
    notes: list[str] = []
    if mode is not Mode.SYNC and item.urgency is Urgency.HIGH and not item.critical:
        notes.append("urgent but not critical: keep it async with a short respond-by")
    return tuple(notes)


def route(item: WorkItem, policy: RouterPolicy) -> Recommendation:
    """Recommend async, sync or hybrid for ``item`` under ``policy``, saying which rule decided."""
    base = _baseline(item, policy)
    support: list[str] = []
    for rule in ESCALATION_RULES:
        verdict = rule(item, policy)
        if verdict is None:
            continue
        if base.mode is Mode.SYNC:
            support.extend(verdict.reasons)
            continue
        reasons = (*verdict.reasons, f"without it: {base.mode} ({base.rule})")
        return _recommend(item, policy, replace(verdict, reasons=reasons))
    verdict = replace(base, reasons=(*base.reasons, *support, *_notes(item, base.mode)))
    return _recommend(item, policy, verdict)


def _recommend(item: WorkItem, policy: RouterPolicy, verdict: Verdict) -> Recommendation:
    optional = verdict.mode is Mode.SYNC and item.kind in policy.optional_kinds
    return Recommendation(verdict.mode, verdict.rule, verdict.reasons, item.kind, optional=optional)


def describe_rules() -> list[tuple[str, str]]:
    """Each rule's function name and the first line of its docstring, in evaluation order."""
    return [
        (rule.__name__, (rule.__doc__ or "").strip().splitlines()[0])
        for rule in (*BASELINE_RULES, *ESCALATION_RULES)
    ]


# --- the charter's [teams.<id>.router] table ------------------------------------------------

_KIND_LIST_KEYS: Mapping[str, Mode] = MappingProxyType(
    {"sync_kinds": Mode.SYNC, "async_kinds": Mode.ASYNC, "hybrid_kinds": Mode.HYBRID}
)
_INT_KEYS: Mapping[str, int] = MappingProxyType({"max_async_rounds": 1, "hybrid_min_people": 2})
ROUTER_KEYS: tuple[str, ...] = (*_KIND_LIST_KEYS, *_INT_KEYS)


def router_policy_from_mapping(data: Mapping[str, object], where: str) -> RouterPolicy:
    """The policy a charter's router table describes, on top of the product defaults.

    ``where`` names the table in messages, e.g. ``'charter.toml: team "qa": router'``.
    Raises ``CharterError`` for unknown keys, unknown kinds, a kind listed twice and wrong
    types, suggesting the valid values.
    """
    for key in data:
        if key not in ROUTER_KEYS:
            close = difflib.get_close_matches(key, ROUTER_KEYS, n=1)
            guess = f'did you mean "{close[0]}"? ' if close else ""
            raise CharterError(
                f'{where}: unknown key "{key}"; {guess}valid keys: {", ".join(ROUTER_KEYS)}',
                where=where,
                key=key,
            )
    default = RouterPolicy.default()
    modes = dict(default.kind_modes)
    listed: dict[WorkKind, str] = {}
    for key, mode in _KIND_LIST_KEYS.items():
        for kind in _kinds_at(data, key, where):
            if kind in listed:
                raise CharterError(
                    f'{where}: kind "{kind}" is in both "{listed[kind]}" and "{key}"; '
                    "keep it in one",
                    where=where,
                    key=key,
                    value=kind.value,
                )
            listed[kind] = key
            modes[kind] = mode
    return RouterPolicy(
        modes,
        max_async_rounds=_int_at(data, "max_async_rounds", default.max_async_rounds, where),
        hybrid_min_people=_int_at(data, "hybrid_min_people", default.hybrid_min_people, where),
        charter_kinds=frozenset(listed),
        source=where,
    )


def _kinds_at(data: Mapping[str, object], key: str, where: str) -> list[WorkKind]:
    value = data.get(key, [])
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise CharterError(
            f'{where}: "{key}" must be a list of kind names like ["review", "decision"], '
            f"got {value!r}",
            where=where,
            key=key,
        )
    kinds: list[WorkKind] = []
    for name in value:
        kind = parse_kind(name)
        if kind is None:
            raise CharterError(
                f'{where}: "{key}": unknown kind "{name}"; {kind_hint(name)}',
                where=where,
                key=key,
                value=name,
            )
        kinds.append(kind)
    return kinds


def _int_at(data: Mapping[str, object], key: str, default: int, where: str) -> int:
    if key not in data:
        return default
    value, minimum = data[key], _INT_KEYS[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise CharterError(
            f'{where}: "{key}" must be a whole number of at least {minimum}, got {value!r}',
            where=where,
            key=key,
        )
    return value
