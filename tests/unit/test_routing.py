"""The router's rules, the charter's router table, and the ``route_work`` use case."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asyncfirst.domain.errors import CharterError, InputError
from asyncfirst.domain.routing import (
    BASELINE_RULES,
    ESCALATION_RULES,
    Mode,
    RouterPolicy,
    Sensitivity,
    Urgency,
    WorkItem,
    WorkKind,
    describe_rules,
    parse_kind,
    route,
    router_policy_from_mapping,
)
from asyncfirst.services.routing import route_work

K = WorkKind
DEFAULT = RouterPolicy.default()
WHERE = 'charter.toml: team "qa": router'


# --- kind defaults ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "mode"),
    [
        (K.UPDATE, Mode.ASYNC),
        (K.QUESTION, Mode.ASYNC),
        (K.REVIEW, Mode.ASYNC),
        (K.DECISION, Mode.ASYNC),
        (K.WORKSHOP, Mode.SYNC),
        (K.KICK_OFF, Mode.SYNC),
        (K.TROUBLESHOOTING, Mode.SYNC),
        (K.PAIR_PROGRAMMING, Mode.SYNC),
        (K.ONE_ON_ONE, Mode.SYNC),
        (K.SOCIAL, Mode.SYNC),
        (K.INCIDENT, Mode.SYNC),
    ],
)
def test_each_kind_has_the_product_default(kind: WorkKind, mode: Mode) -> None:
    rec = route(WorkItem(kind), DEFAULT)
    assert rec.mode is mode
    assert rec.rule == f"kind-default:{kind}"
    assert rec.kind is kind
    assert rec.reasons[0].startswith(f"{kind}: ")
    assert rec.confidence is None


def test_social_is_sync_but_optional_and_nothing_else_is() -> None:
    assert route(WorkItem(K.SOCIAL), DEFAULT).optional is True
    assert not any(route(WorkItem(k), DEFAULT).optional for k in K if k is not K.SOCIAL)


# --- escalations -----------------------------------------------------------------------------


def test_stalled_decision_escalates_at_the_round_limit() -> None:
    assert route(WorkItem(K.DECISION, async_rounds=2), DEFAULT).mode is Mode.ASYNC
    rec = route(WorkItem(K.DECISION, async_rounds=3), DEFAULT)
    assert (rec.mode, rec.rule) == (Mode.SYNC, "escalate:stalled-rounds")
    assert "3 async rounds (limit 3" in rec.reasons[0]
    assert rec.reasons[-1] == "without it: async (kind-default:decision)"


def test_urgent_and_critical_escalates_but_either_alone_does_not() -> None:
    both = route(WorkItem(K.QUESTION, urgency=Urgency.HIGH, critical=True), DEFAULT)
    assert (both.mode, both.rule) == (Mode.SYNC, "escalate:urgent-critical")
    urgent = route(WorkItem(K.QUESTION, urgency=Urgency.HIGH), DEFAULT)
    assert urgent.mode is Mode.ASYNC
    assert any("short respond-by" in reason for reason in urgent.reasons)
    assert route(WorkItem(K.QUESTION, critical=True), DEFAULT).mode is Mode.ASYNC


def test_sensitive_work_escalates_to_sync() -> None:
    rec = route(WorkItem(K.REVIEW, sensitivity=Sensitivity.SENSITIVE), DEFAULT)
    assert (rec.mode, rec.rule) == (Mode.SYNC, "escalate:sensitive")


def test_escalations_apply_in_order() -> None:
    item = WorkItem(
        K.DECISION,
        urgency=Urgency.HIGH,
        critical=True,
        sensitivity=Sensitivity.SENSITIVE,
        async_rounds=9,
    )
    assert route(item, DEFAULT).rule == "escalate:urgent-critical"
    no_rush = WorkItem(K.DECISION, sensitivity=Sensitivity.SENSITIVE, async_rounds=9)
    assert route(no_rush, DEFAULT).rule == "escalate:sensitive"


def test_escalation_on_sync_work_supports_the_kind_default() -> None:
    rec = route(WorkItem(K.ONE_ON_ONE, sensitivity=Sensitivity.SENSITIVE), DEFAULT)
    assert (rec.mode, rec.rule) == (Mode.SYNC, "kind-default:one-on-one")
    assert any("emotionally sensitive" in reason for reason in rec.reasons)


# --- hybrid ------------------------------------------------------------------------------------


def test_a_decision_with_many_people_goes_hybrid() -> None:
    assert route(WorkItem(K.DECISION, people=5), DEFAULT).mode is Mode.ASYNC
    rec = route(WorkItem(K.DECISION, people=6), DEFAULT)
    assert (rec.mode, rec.rule) == (Mode.HYBRID, "hybrid:many-people")
    assert "pre-read" in rec.reasons[0]


def test_a_large_workshop_gets_a_pre_read_unless_urgent_and_critical() -> None:
    assert route(WorkItem(K.WORKSHOP, people=10), DEFAULT).mode is Mode.HYBRID
    rush = WorkItem(K.WORKSHOP, people=10, urgency=Urgency.HIGH, critical=True)
    assert route(rush, DEFAULT).rule == "escalate:urgent-critical"


def test_a_stalled_large_decision_goes_sync_not_hybrid() -> None:
    rec = route(WorkItem(K.DECISION, people=12, async_rounds=4), DEFAULT)
    assert (rec.mode, rec.rule) == (Mode.SYNC, "escalate:stalled-rounds")
    assert rec.reasons[-1] == "without it: hybrid (hybrid:many-people)"


def test_large_incidents_and_updates_are_not_made_hybrid() -> None:
    assert route(WorkItem(K.INCIDENT, people=40), DEFAULT).mode is Mode.SYNC
    assert route(WorkItem(K.UPDATE, people=40), DEFAULT).mode is Mode.ASYNC


# --- totality and the rule list -----------------------------------------------------------


def test_route_is_total_over_every_combination_of_enums() -> None:
    for kind, urgency, sensitivity, critical, rounds, people in itertools.product(
        K, Urgency, Sensitivity, (False, True), (0, 3), (1, 6)
    ):
        item = WorkItem(kind, urgency, people, sensitivity, rounds, critical)
        rec = route(item, DEFAULT)
        assert rec.mode in Mode
        assert rec.reasons
        assert rec.kind is kind
        assert rec.rule.split(":")[0] in {"kind-default", "hybrid", "escalate"}
        if sensitivity is Sensitivity.SENSITIVE or (urgency is Urgency.HIGH and critical):
            assert rec.mode is Mode.SYNC


@given(
    kind=st.sampled_from(K),
    urgency=st.sampled_from(Urgency),
    sensitivity=st.sampled_from(Sensitivity),
    critical=st.booleans(),
    rounds=st.integers(0, 50),
    people=st.integers(1, 500),
    modes=st.lists(st.sampled_from(Mode), min_size=len(K), max_size=len(K)),
)
def test_route_is_total_under_any_policy(
    kind: WorkKind,
    urgency: Urgency,
    sensitivity: Sensitivity,
    critical: bool,
    rounds: int,
    people: int,
    modes: list[Mode],
) -> None:
    policy = RouterPolicy(dict(zip(K, modes, strict=True)), max_async_rounds=2)
    rec = route(WorkItem(kind, urgency, people, sensitivity, rounds, critical), policy)
    assert rec.mode in Mode
    assert rec.reasons
    if rounds >= 2:
        assert rec.mode is Mode.SYNC


def test_every_rule_states_itself_in_a_docstring() -> None:
    described = describe_rules()
    assert len(described) == len(BASELINE_RULES) + len(ESCALATION_RULES)
    assert [name for name, _ in described][-3:] == [
        "escalate_urgent_critical",
        "escalate_sensitive",
        "escalate_stalled_rounds",
    ]
    assert all(summary for _, summary in described)


def test_work_items_refuse_impossible_values() -> None:
    with pytest.raises(ValueError, match="at least one person"):
        WorkItem(K.UPDATE, people=0)
    with pytest.raises(ValueError, match="negative"):
        WorkItem(K.UPDATE, async_rounds=-1)


@pytest.mark.parametrize(
    ("name", "kind"),
    [("Pair programming", K.PAIR_PROGRAMMING), ("1:1", K.ONE_ON_ONE), ("kickoff", K.KICK_OFF),
     ("brainstorm", K.WORKSHOP), ("KICK_OFF", K.KICK_OFF), ("standup", None)],
)  # fmt: skip
def test_parse_kind_accepts_aliases(name: str, kind: WorkKind | None) -> None:
    assert parse_kind(name) is kind


# --- the charter's router table ---------------------------------------------------------------


def test_charter_overrides_kinds_and_thresholds() -> None:
    policy = router_policy_from_mapping(
        {"sync_kinds": ["review"], "hybrid_kinds": ["brainstorm"], "max_async_rounds": 2},
        WHERE,
    )
    assert policy.mode_for(K.REVIEW) is Mode.SYNC
    assert policy.mode_for(K.WORKSHOP) is Mode.HYBRID
    assert policy.mode_for(K.UPDATE) is Mode.ASYNC  # untouched kinds keep the default
    assert policy.max_async_rounds == 2
    assert policy.hybrid_min_people == DEFAULT.hybrid_min_people
    rec = route(WorkItem(K.REVIEW), policy)
    assert (rec.mode, rec.rule) == (Mode.SYNC, "charter:review")
    assert WHERE in rec.reasons[0]
    assert "product default is async" in rec.reasons[0]
    stalled = route(WorkItem(K.QUESTION, async_rounds=2), policy)
    assert stalled.rule == "escalate:stalled-rounds"


def test_an_empty_router_table_is_the_product_default() -> None:
    policy = router_policy_from_mapping({}, WHERE)
    assert dict(policy.kind_modes) == dict(DEFAULT.kind_modes)
    assert route(WorkItem(K.REVIEW), policy).rule == "kind-default:review"


@pytest.mark.parametrize(
    ("data", "fragments"),
    [
        ({"sync_kind": ["review"]}, ['unknown key "sync_kind"', 'did you mean "sync_kinds"']),
        ({"sync_kinds": ["reveiw"]}, ['unknown kind "reveiw"', 'did you mean "review"']),
        ({"sync_kinds": "review"}, ['"sync_kinds" must be a list of kind names']),
        ({"async_kinds": [3]}, ['"async_kinds" must be a list']),
        ({"max_async_rounds": "2"}, ['"max_async_rounds" must be a whole number']),
        ({"max_async_rounds": True}, ['"max_async_rounds" must be a whole number']),
        ({"max_async_rounds": 0}, ["at least 1"]),
        ({"hybrid_min_people": 1}, ["at least 2"]),
        (
            {"sync_kinds": ["review"], "async_kinds": ["review"]},
            ['"review" is in both "sync_kinds" and "async_kinds"'],
        ),
    ],
)
def test_charter_errors_name_the_place_the_key_and_the_fix(
    data: dict[str, object], fragments: list[str]
) -> None:
    with pytest.raises(CharterError) as caught:
        router_policy_from_mapping(data, WHERE)
    assert caught.value.message.startswith(WHERE + ": ")
    for fragment in fragments:
        assert fragment in caught.value.message
    assert caught.value.fields["where"] == WHERE


def test_unknown_kind_message_lists_the_valid_kinds() -> None:
    with pytest.raises(CharterError, match="valid kinds: update, question, review"):
        router_policy_from_mapping({"hybrid_kinds": ["planning"]}, WHERE)


# --- the use case -----------------------------------------------------------------------------


def test_route_work_from_text_shows_the_guess() -> None:
    result = route_work("can we hop on a call to debug the prod outage?")
    assert result.recommendation.mode is Mode.SYNC
    assert result.item.urgency is Urgency.HIGH
    assert result.item.critical is True
    data = result.to_dict()
    assert data["mode"] == "sync"
    assert data["kind"] in {"incident", "troubleshooting"}
    assert data["confidence"] == result.classification.confidence  # type: ignore[union-attr]
    assert data["classification"]["matched"] == ["prod outage"]
    assert any("guessed from the text" in reason for reason in data["reasons"])


@pytest.mark.parametrize(
    ("text", "people", "mode"),
    [
        ("FYI: release notes for 2.3 are up", 2, Mode.ASYNC),
        ("please review my PR", 2, Mode.ASYNC),
        ("let's brainstorm the Q3 roadmap", 4, Mode.SYNC),
        ("let's brainstorm the Q3 roadmap", 8, Mode.HYBRID),
        ("we need to decide between Postgres and Mongo", 3, Mode.ASYNC),
        ("we need to decide between Postgres and Mongo", 9, Mode.HYBRID),
        ("I have some feedback about how the review went, it got personal", 2, Mode.SYNC),
    ],
)
def test_route_work_on_the_brief_examples(text: str, people: int, mode: Mode) -> None:
    assert route_work(text, people=people).recommendation.mode is mode


def test_route_work_with_a_kind_has_no_confidence_and_no_classification() -> None:
    result = route_work(kind="pair_programming")
    assert result.recommendation.rule == "kind-default:pair-programming"
    data = result.to_dict()
    assert data["confidence"] is None
    assert "classification" not in data


def test_a_given_kind_and_urgency_win_over_the_text() -> None:
    result = route_work("the site is down asap", kind="update", urgency="low")
    assert result.item.kind is K.UPDATE
    assert result.item.urgency is Urgency.LOW
    assert result.recommendation.confidence is None
    assert any("the text alone suggests incident" in r for r in result.recommendation.reasons)


def test_flags_escalate_and_a_policy_is_used() -> None:
    assert route_work(kind="review", sensitive=True).recommendation.rule == "escalate:sensitive"
    assert route_work(kind="decision", rounds=3).recommendation.mode is Mode.SYNC
    policy = router_policy_from_mapping({"max_async_rounds": 5}, WHERE)
    assert route_work(kind="decision", rounds=3, policy=policy).recommendation.mode is Mode.ASYNC


@pytest.mark.parametrize(
    ("kwargs", "fragments"),
    [
        ({"kind": "standup"}, ['unknown kind "standup"', "valid kinds: update"]),
        ({"kind": "reveiw"}, ['did you mean "review"']),
        ({"kind": "review", "urgency": "soon"}, ['unknown urgency "soon"', "low, normal, high"]),
        ({"kind": "review", "people": 0}, ["people must be at least 1"]),
        ({"kind": "review", "rounds": -1}, ["rounds cannot be negative"]),
        ({"text": "   "}, ["nothing to route"]),
        ({}, ["nothing to route"]),
    ],
)
def test_route_work_refuses_bad_input_with_a_helpful_message(
    kwargs: dict[str, object], fragments: list[str]
) -> None:
    with pytest.raises(InputError) as caught:
        route_work(**kwargs)  # type: ignore[arg-type]
    for fragment in fragments:
        assert fragment in caught.value.message
