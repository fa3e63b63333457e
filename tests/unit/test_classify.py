"""The free-text classifier: realistic phrases, cues, confidence and totality."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asyncfirst.domain.classify import FALLBACK_CONFIDENCE, KIND_PHRASES, classify
from asyncfirst.domain.routing import Sensitivity, Urgency, WorkKind

K = WorkKind

REALISTIC: list[tuple[str, WorkKind]] = [
    ("can we hop on a call to debug the prod outage?", K.INCIDENT),
    ("FYI: release notes for 2.3 are up", K.UPDATE),
    ("please review my PR", K.REVIEW),
    ("let's brainstorm the Q3 roadmap", K.WORKSHOP),
    ("we need to decide between Postgres and Mongo", K.DECISION),
    ("Heads up: the staging deploy is shipped, status update in the doc", K.UPDATE),
    ("Weekly progress report for the payments team", K.UPDATE),
    ("Quick question: where can I find the VPN config?", K.QUESTION),
    ("Does anyone know how to rotate the API keys?", K.QUESTION),
    ("Can someone take a look at the pull request for the login page?", K.REVIEW),
    ("Could you proofread the blog post draft before Friday?", K.REVIEW),
    ("RFC for the new caching layer is ready for comments", K.REVIEW),
    ("Should we use Kafka or RabbitMQ? We need a decision this week", K.DECISION),
    ("Vote on the new logo options by Thursday", K.DECISION),
    ("Workshop to map out the onboarding journey", K.WORKSHOP),
    ("Sprint retrospective on Friday", K.WORKSHOP),
    ("Kick-off for the mobile app project next Monday", K.KICK_OFF),
    ("Project kickoff with the new client, meet the team", K.KICK_OFF),
    ("The integration tests are failing with a timeout error", K.TROUBLESHOOTING),
    ("The app keeps crashing on startup, can you help me troubleshoot?", K.TROUBLESHOOTING),
    (
        "I can't reproduce this flaky bug, need help to investigate the root cause",
        K.TROUBLESHOOTING,
    ),
    ("Want to pair on the migration script this afternoon?", K.PAIR_PROGRAMMING),
    ("Pair programming session on the parser refactor", K.PAIR_PROGRAMMING),
    ("Let's do our 1:1 on Thursday", K.ONE_ON_ONE),
    ("Monthly one-on-one with my manager about career growth", K.ONE_ON_ONE),
    ("Virtual coffee anyone? Just to hang out", K.SOCIAL),
    ("Team lunch to celebrate the launch!", K.SOCIAL),
    ("Friday game night for the whole org", K.SOCIAL),
    ("SEV1: checkout is down for all users", K.INCIDENT),
    ("We got paged, the database is degraded, war room now", K.INCIDENT),
    ("Security breach suspected on the admin panel, emergency", K.INCIDENT),
]


@pytest.mark.parametrize(("text", "kind"), REALISTIC)
def test_realistic_phrases_get_the_expected_kind(text: str, kind: WorkKind) -> None:
    result = classify(text)
    assert result.kind is kind, result.explanation
    assert result.matched, "a recognised kind names the phrases behind it"
    assert result.confidence > FALLBACK_CONFIDENCE


def test_the_outage_call_is_urgent_critical_and_explained() -> None:
    result = classify("can we hop on a call to debug the prod outage?")
    assert result.kind in {K.INCIDENT, K.TROUBLESHOOTING}
    assert result.urgency is Urgency.HIGH
    assert result.critical is True
    assert "prod outage" in result.matched
    assert dict(result.scores)[K.TROUBLESHOOTING] == 3  # "debug"
    assert "prod outage" in result.explanation


def test_clear_text_has_full_confidence_and_mixed_text_less() -> None:
    clear = classify("FYI: release notes for 2.3 are up")
    mixed = classify("FYI: can you review the release notes?")
    assert clear.confidence == 1.0
    assert clear.matched == ("fyi", "release notes", "are up")
    assert 0 < mixed.confidence < clear.confidence


def test_one_weak_word_gives_low_confidence() -> None:
    result = classify("roadmap")
    assert result.kind is K.WORKSHOP
    assert result.confidence == pytest.approx(1 / 3, abs=0.01)


def test_unknown_text_falls_back_to_question_and_says_so() -> None:
    result = classify("hello there")
    assert result.kind is K.QUESTION
    assert result.fallback is True
    assert result.confidence == FALLBACK_CONFIDENCE
    assert result.matched == ()
    assert "no known phrase" in result.explanation


def test_a_question_mark_alone_counts_for_question() -> None:
    result = classify("are we still on for tomorrow?")
    assert result.kind is K.QUESTION
    assert result.matched == ("?",)
    assert not result.fallback


def test_longer_phrase_wins_over_the_words_inside_it() -> None:
    assert classify("we need to decide between A and B").matched == ("decide between",)
    assert classify("this is not urgent").urgency is Urgency.LOW
    assert classify("no rush, review when you have time").urgency is Urgency.LOW


@pytest.mark.parametrize(
    "text",
    ["please fix this asap", "URGENT: the site is down", "need this right now", "blocker!"],
)
def test_urgency_words_make_it_high(text: str) -> None:
    result = classify(text)
    assert result.urgency is Urgency.HIGH
    assert result.urgency_cues


def test_no_urgency_word_means_normal() -> None:
    result = classify("please review my PR")
    assert result.urgency is Urgency.NORMAL
    assert result.urgency_cues == ()
    assert result.critical is False


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("I have some feedback about how Sam runs the standups", "feedback about"),
        ("there is a conflict between the two leads", "conflict"),
        ("I'm upset about the reorg", "upset"),
        ("can we talk about something personal", "personal"),
        ("rumours about layoffs are going around", "layoff"),
    ],
)
def test_sensitivity_words_are_detected(text: str, cue: str) -> None:
    result = classify(text)
    assert result.sensitivity is Sensitivity.SENSITIVE
    assert cue in result.sensitivity_cues


@pytest.mark.parametrize(
    "text",
    ["this is time sensitive", "I have a merge conflict in main", "it is not critical"],
)
def test_shielding_phrases_do_not_count(text: str) -> None:
    result = classify(text)
    assert result.sensitivity is Sensitivity.NORMAL
    assert result.critical is False


def test_matching_is_whole_word_and_allows_plain_inflections() -> None:
    assert classify("the product page").critical is False  # "prod" is not inside "product"
    assert classify("reviewed and approved").kind is K.REVIEW
    assert "kick off" in classify("kick-off on Monday").matched


def test_every_kind_has_phrases() -> None:
    assert set(KIND_PHRASES) == set(WorkKind)
    assert all(weight > 0 for table in KIND_PHRASES.values() for weight in table.values())


@given(st.text())
def test_classify_never_raises_and_confidence_is_a_share(text: str) -> None:
    result = classify(text)
    assert 0.0 <= result.confidence <= 1.0
    assert result.kind in WorkKind
    assert result.explanation
    assert set(result.matched) <= {*KIND_PHRASES[result.kind], "?"}


@given(st.lists(st.sampled_from([p for t in KIND_PHRASES.values() for p in t]), max_size=6))
def test_phrase_soup_is_classified_into_a_scored_kind(phrases: list[str]) -> None:
    result = classify(" and ".join(phrases))
    assert 0.0 <= result.confidence <= 1.0
    if phrases:
        assert not result.fallback
        assert result.kind is max(result.scores, key=lambda pair: pair[1])[0]
