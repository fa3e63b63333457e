"""Coffee pairing: a maximum-weight matching of opt-in people, with a third for the odd one.

Rules (each stated once, here):

- A pair is *allowed* when the two share at least ``min_shared`` minutes of working time
  in the week (stretch included; see ``shared_time``) and were not in the same group in
  any of the last ``avoid_rounds`` rounds of ``history``.
- Among allowed pairs, a matching with the most pairs is chosen, and among those the one
  of greatest total weight (``networkx.max_weight_matching`` with ``maxcardinality``, on
  integer weights in hundredths so the optimum is exact).
- Each person left over (an odd count, or no allowed partner left) joins the pair where
  the triple scores best (the weights of the two new pairs, both of which must be allowed);
  a pair takes at most one extra person. Isolated, then keener, people choose first. Anyone
  still alone is reported as unpaired, with the reason in words.

The weight of an allowed pair (``pair_weight``):

    BASE_WEIGHT         1.0   every allowed pair; keeps every weight positive
    CROSS_TEAM_BONUS    0.6   the two are in different teams: meeting across teams is the point
    ISOLATION_BONUS     1.5   per member at risk of isolation
    APPETITE_WEIGHT     0.5   per unit of each member's social appetite (0..1)
    FRESH_PAIR_BONUS    0.3   the two have never been grouped in the whole history

The sizes set the priorities when they conflict. An isolated person outweighs anything
the other terms can change by swapping one partner (0.6 + 0.5 + 0.3 = 1.4 < 1.5), so they
are left out only when no matching keeps them in. A different team outweighs the widest
appetite difference of one swapped person (0.5) and a fresh pair (0.3). Appetite and
isolation add the same amount to every matching that includes the same people, so they
decide *who* is matched when not everyone can be; the cross-team and fresh-pair bonuses
decide *how* they are matched.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from asyncfirst.domain.model import Person
from asyncfirst.scheduling.bands import format_minutes

__all__ = [
    "APPETITE_WEIGHT",
    "BASE_WEIGHT",
    "CROSS_TEAM_BONUS",
    "FRESH_PAIR_BONUS",
    "ISOLATION_BONUS",
    "Group",
    "Pairing",
    "pair_people",
    "pair_weight",
]

BASE_WEIGHT = 1.0
CROSS_TEAM_BONUS = 0.6
ISOLATION_BONUS = 1.5
APPETITE_WEIGHT = 0.5
FRESH_PAIR_BONUS = 0.3

Pair = frozenset[str]
History = Sequence[Collection[frozenset[str]]]
"""Past rounds, oldest first; each round is the groups (sets of person ids) it formed."""


@dataclass(frozen=True, slots=True)
class Group:
    """Two or three person ids who meet for coffee, their weight and why they were grouped."""

    members: tuple[str, ...]
    weight: float
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Pairing:
    """The groups, the people left alone (id, reason) and the weights.

    ``matching_weight`` is the weight of the maximum-weight matching alone; ``total_weight``
    adds the pairs made when a leftover person joined a group.
    """

    groups: tuple[Group, ...]
    unpaired: tuple[tuple[str, str], ...]
    total_weight: float
    matching_weight: float


def pair_weight(a: Person, b: Person, *, isolated: Collection[str], met_before: bool) -> float:
    """The weight of an allowed pair (see the module's table), rounded to hundredths."""
    weight = BASE_WEIGHT + APPETITE_WEIGHT * (_appetite(a) + _appetite(b))
    weight += CROSS_TEAM_BONUS if a.team_id != b.team_id else 0.0
    weight += ISOLATION_BONUS * ((a.id in isolated) + (b.id in isolated))
    weight += 0.0 if met_before else FRESH_PAIR_BONUS
    return round(weight, 2)


def _appetite(person: Person) -> float:
    return min(max(person.social_appetite, 0.0), 1.0)


def _points(weight: float) -> int:
    return round(weight * 100)


@dataclass(frozen=True)
class _Context:
    people: Mapping[str, Person]
    shared: Mapping[Pair, float]
    rounds_ago: Mapping[Pair, int]
    avoid_rounds: int
    isolated: frozenset[str]
    min_shared: float

    def shared_with(self, a: str, b: str) -> float:
        return self.shared.get(frozenset((a, b)), 0.0)

    def recent(self, a: str, b: str) -> bool:
        ago = self.rounds_ago.get(frozenset((a, b)))
        return ago is not None and ago <= self.avoid_rounds

    def allowed(self, a: str, b: str) -> bool:
        return self.shared_with(a, b) >= self.min_shared and not self.recent(a, b)

    def weight(self, a: str, b: str) -> float:
        met = frozenset((a, b)) in self.rounds_ago
        return pair_weight(self.people[a], self.people[b], isolated=self.isolated, met_before=met)


def _rounds_ago(history: History) -> dict[Pair, int]:
    """For each pair ever grouped, how many rounds ago they last met (1 = the last round)."""
    result: dict[Pair, int] = {}
    for ago, groups in enumerate(reversed(history), start=1):
        for group in groups:
            members = sorted(group)
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    result.setdefault(frozenset((a, b)), ago)
    return result


def _pair_reasons(ctx: _Context, a: str, b: str) -> list[str]:
    pa, pb = ctx.people[a], ctx.people[b]
    teams = (
        f"different teams ({pa.team_id}, {pb.team_id})"
        if pa.team_id != pb.team_id
        else f"same team ({pa.team_id})"
    )
    ago = ctx.rounds_ago.get(frozenset((a, b)))
    met = "first coffee together" if ago is None else f"last met {ago} rounds ago"
    shared = format_minutes(ctx.shared_with(a, b))
    return [f"{pa.name} and {pb.name}: {teams}, {shared} of shared working time, {met}"]


def _group(ctx: _Context, members: tuple[str, ...]) -> Group:
    pairs = [(a, b) for i, a in enumerate(members) for b in members[i + 1 :]]
    reasons = [r for a, b in pairs for r in _pair_reasons(ctx, a, b)]
    if len(members) == 3:
        third = ctx.people[members[2]].name
        reasons.append(f"{third} joined as a third: no partner of their own was left")
    reasons += [
        f"{ctx.people[m].name} is at risk of isolation" for m in members if m in ctx.isolated
    ]
    appetites = ", ".join(f"{ctx.people[m].name} {_appetite(ctx.people[m]):.1f}" for m in members)
    reasons.append(f"social appetite: {appetites}")
    weight = round(sum(ctx.weight(a, b) for a, b in pairs), 2)
    return Group(members, weight, tuple(reasons))


def _unpaired_reason(ctx: _Context, person: str, everyone: Sequence[str]) -> str:
    others = [o for o in everyone if o != person]
    if not others:
        return "the only person who opted in"
    sharing = [o for o in others if ctx.shared_with(person, o) >= ctx.min_shared]
    if not sharing:
        return (
            f"shares less than {ctx.min_shared:g} minutes of working time (stretch included) "
            "with every other opt-in person this week"
        )
    names = ", ".join(ctx.people[o].name for o in sharing)
    if all(ctx.recent(person, o) for o in sharing):
        return (
            f"already met everyone they share working time with ({names}) "
            f"in the last {ctx.avoid_rounds} rounds"
        )
    return (
        f"everyone they could meet ({names}) is already in a group of three "
        "or paired with someone they cannot meet"
    )


def _leftover_order(ctx: _Context, ids: Sequence[str]) -> list[str]:
    position = {pid: n for n, pid in enumerate(ids)}
    return sorted(
        ids,
        key=lambda p: (p not in ctx.isolated, -_appetite(ctx.people[p]), position[p]),
    )


def _max_weight_pairs(ctx: _Context, ids: Sequence[str], seed: int | None) -> list[tuple[str, str]]:
    """The maximum-weight matching of most pairs, each pair and the list in ``ids`` order."""
    insertion = list(ids)
    if seed is not None:
        random.Random(seed).shuffle(insertion)  # noqa: S311 - a tie-breaker, not a secret
    import networkx as nx  # here, not at import: it costs about 0.4 s of start-up

    graph = nx.Graph()
    graph.add_nodes_from(insertion)
    for i, a in enumerate(insertion):
        for b in insertion[i + 1 :]:
            if ctx.allowed(a, b):
                graph.add_edge(a, b, weight=_points(ctx.weight(a, b)))
    matching: set[tuple[str, str]] = nx.max_weight_matching(graph, maxcardinality=True)
    position = {pid: n for n, pid in enumerate(ids)}
    ordered = [(a, b) if position[a] < position[b] else (b, a) for a, b in matching]
    return sorted(ordered, key=lambda pair: position[pair[0]])


def _join_leftovers(
    ctx: _Context, ids: Sequence[str], pairs: Sequence[tuple[str, str]]
) -> tuple[list[tuple[str, ...]], list[tuple[str, str]]]:
    """Each person outside ``pairs`` joins the pair where the triple scores best, or stays
    unpaired with the reason; returns the groups and the unpaired, both in ``ids`` order."""
    position = {pid: n for n, pid in enumerate(ids)}
    matched = {m for pair in pairs for m in pair}
    groups: dict[tuple[str, str], tuple[str, ...]] = {pair: pair for pair in pairs}
    unpaired: list[tuple[str, str]] = []
    for person in _leftover_order(ctx, [p for p in ids if p not in matched]):
        options = [
            (ctx.weight(person, a) + ctx.weight(person, b), -position[a], (a, b))
            for (a, b), members in groups.items()
            if len(members) == 2 and ctx.allowed(person, a) and ctx.allowed(person, b)
        ]
        if options:
            best = max(options)[2]
            groups[best] = (*best, person)
        else:
            unpaired.append((person, _unpaired_reason(ctx, person, ids)))
    unpaired.sort(key=lambda item: position[item[0]])
    return list(groups.values()), unpaired


def pair_people(
    people: Sequence[Person],
    shared_minutes: Mapping[frozenset[str], float],
    history: History = (),
    *,
    avoid_rounds: int = 4,
    isolated: frozenset[str] = frozenset(),
    min_shared: float = 30,
    seed: int | None = None,
) -> Pairing:
    """Group ``people`` in pairs (and at most one extra per pair) by the module's rules.

    ``shared_minutes`` maps each pair of ids (``frozenset``) to their shared minutes in the
    week; a missing pair shares none. ``history`` lists past rounds, oldest first. A
    ``seed`` shuffles the order in which the graph is built, which only changes the choice
    between equally good matchings. Groups and members come out in the order of ``people``.
    """
    ids = [p.id for p in people]
    if len(set(ids)) != len(ids):
        raise ValueError("pair_people needs people with distinct ids")
    if avoid_rounds < 0:
        raise ValueError(f"avoid_rounds must not be negative, got {avoid_rounds}")
    ctx = _Context(
        {p.id: p for p in people},
        shared_minutes,
        _rounds_ago(history),
        avoid_rounds,
        isolated,
        min_shared,
    )
    pairs = _max_weight_pairs(ctx, ids, seed)
    matching_weight = round(sum(ctx.weight(a, b) for a, b in pairs), 2)
    groups, unpaired = _join_leftovers(ctx, ids, pairs)
    built = tuple(_group(ctx, members) for members in groups)
    return Pairing(
        groups=built,
        unpaired=tuple(unpaired),
        total_weight=round(sum(g.weight for g in built), 2),
        matching_weight=matching_weight,
    )
