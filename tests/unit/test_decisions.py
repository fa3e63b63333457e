"""The decision state machine: quorum, results, rounds and the words of each escalation."""

from __future__ import annotations

import pytest

from asyncfirst.domain.decisions import (
    Ballot,
    DecisionClosedError,
    Outcome,
    check_choice,
    check_rules,
    outcome,
    reason_objections,
    require_open,
)
from asyncfirst.domain.errors import InputError
from asyncfirst.services.access import Actor, DecisionRef, Role, can

OPTIONS = ("list", "cards")


def votes(*pairs: tuple[str, str], round_: int = 1) -> list[Ballot]:
    return [Ballot(person, choice, round_) for person, choice in pairs]


def test_a_vote_waits_for_the_quorum() -> None:
    assert outcome("vote", OPTIONS, 2, 1, 2, votes(("a", "list"))) == Outcome("open", 1)


def test_a_vote_with_a_leading_option_is_decided() -> None:
    result = outcome("vote", OPTIONS, 2, 1, 2, votes(("a", "list"), ("b", "list")))
    assert result == Outcome("decided", 1, "list")


def test_a_tie_stays_open() -> None:
    assert outcome("vote", OPTIONS, 2, 1, 2, votes(("a", "list"), ("b", "cards"))).state == "open"


def test_a_later_response_in_the_round_replaces_the_earlier() -> None:
    ballots = votes(("a", "cards"), ("a", "list"), ("b", "list"))
    assert outcome("vote", OPTIONS, 2, 1, 2, ballots) == Outcome("decided", 1, "list")


def test_consent_without_objection_decides_the_proposal() -> None:
    ballots = votes(("a", "consent"), ("b", "consent"))
    assert outcome("consent", ("cards",), 2, 1, 2, ballots) == Outcome("decided", 1, "cards")


def test_an_objection_opens_the_next_round_then_escalates_after_the_last() -> None:
    first = votes(("a", "consent"), ("b", "object"))
    assert outcome("consent", (), 2, 1, 2, first) == Outcome("open", 2)
    second = first + votes(("a", "consent"), ("b", "object"), round_=2)
    assert outcome("consent", (), 2, 2, 2, second) == Outcome(
        "escalated", 2, reason="objections persisted after 2 rounds"
    )


def test_responses_of_an_earlier_round_do_not_count() -> None:
    ballots = votes(("a", "consent"), ("b", "object"))
    assert outcome("consent", (), 2, 2, 2, ballots) == Outcome("open", 2)


def test_reasons_are_words() -> None:
    assert reason_objections(1) == "objections persisted after 1 round"


@pytest.mark.parametrize(
    ("mode", "options", "deciders", "quorum"),
    [
        ("vote", ("a",), ["x"], 1),
        ("vote", ("a", "a"), ["x"], 1),
        ("consent", ("a", "b"), ["x"], 1),
        ("vote", ("a", "b"), ["x"], 2),
        ("vote", ("a", "b"), ["x"], 0),
        ("vote", ("a", "b"), [], 1),
    ],
)
def test_rules_that_could_never_decide_are_refused(
    mode: str, options: tuple[str, ...], deciders: list[str], quorum: int
) -> None:
    with pytest.raises(InputError):
        check_rules(mode, options, deciders, quorum)  # type: ignore[arg-type]


def test_choices_must_fit_the_mode() -> None:
    check_choice("consent", (), "object")
    check_choice("vote", OPTIONS, "cards")
    with pytest.raises(InputError, match='"yes" is not one of: consent, object'):
        check_choice("consent", (), "yes")
    with pytest.raises(InputError):
        check_choice("vote", OPTIONS, "consent")


def test_only_an_open_decision_changes() -> None:
    require_open(1, "open")
    with pytest.raises(DecisionClosedError, match="decision 3 is withdrawn"):
        require_open(3, "withdrawn")


DESIGN_DECISION = DecisionRef(1, "design", author="maria", deciders=frozenset({"kenji"}))


@pytest.mark.parametrize(
    ("actor", "action", "allowed"),
    [
        (Actor("chloe", frozenset({Role("member", "design")})), "decision.read", True),
        (Actor("james", frozenset({Role("member", "qa")})), "decision.read", False),
        (Actor("kenji", frozenset({Role("member", "coding")})), "decision.read", True),
        (Actor("maria", frozenset({Role("member", "qa")})), "decision.read", True),
        (Actor("chloe", frozenset({Role("member", "design")})), "decision.respond", False),
        (Actor("kenji", frozenset({Role("member", "coding")})), "decision.respond", True),
        (Actor("maria", frozenset({Role("member", "qa")})), "decision.respond", False),
        (Actor("maria", frozenset({Role("member", "qa")})), "decision.withdraw", True),
        (Actor("kenji", frozenset({Role("member", "coding")})), "decision.withdraw", False),
        (Actor("amelie", frozenset({Role("team_lead", "design")})), "decision.withdraw", True),
        (Actor("ava", frozenset({Role("org_admin")})), "decision.withdraw", True),
    ],
)
def test_who_may_do_what_to_a_decision(actor: Actor, action: str, allowed: bool) -> None:
    assert can(actor, action, DESIGN_DECISION) is allowed  # type: ignore[arg-type]
