"""Request bodies (unknown fields refused) and the error shape, as the OpenAPI document shows them."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "ERROR_RESPONSES",
    "MAX_ID",
    "BandIn",
    "CheckinIn",
    "DecisionIn",
    "DecisionResponseIn",
    "ErrorOut",
    "HandoffIn",
    "IdPath",
    "PulseIn",
    "ReplyIn",
    "RouteIn",
    "ThreadIn",
    "TokenIn",
]


MAX_ID = 2**31 - 1  # the largest id a database row has (a 32-bit integer column)
IdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="A numeric id, as returned on creation")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ThreadIn(_Strict):
    kind: Literal["update", "question"] = Field(
        description="An update to read, or a question to answer."
    )
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=20_000)
    recipients: list[str] | None = Field(
        default=None,
        max_length=200,
        description="Person ids; by default every member of the team except the author.",
    )
    respond_within_hours: float | None = Field(
        default=None,
        gt=0,
        le=720,
        description="Working hours each recipient has; by default their team's respond-by hours.",
    )


class ReplyIn(_Strict):
    body: str = Field(min_length=1, max_length=20_000)


class RouteIn(_Strict):
    text: str | None = Field(default=None, max_length=5_000, description="The work, in words.")
    kind: str | None = Field(default=None, description="e.g. update, review, workshop, kick-off")
    urgency: str | None = Field(default=None, description="low, normal or high")
    people: int = Field(default=2, ge=1, le=1_000)
    sensitive: bool = False
    rounds: int = Field(default=0, ge=0, le=1_000, description="Async rounds already spent.")
    critical: bool = False


class TokenIn(_Strict):
    person: str | None = Field(default=None, description="Whose token; by default your own.")


class DecisionIn(_Strict):
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=20_000, description="The proposal, in words.")
    mode: Literal["consent", "vote"] = Field(
        description="consent: deciders consent to or object to one proposal; vote: pick an option."
    )
    options: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="A vote's options (two or more); at most one (the proposal) for consent.",
    )
    deciders: list[str] = Field(
        min_length=1, max_length=200, description="Person or team ids of those who decide."
    )
    quorum: int | None = Field(
        default=None,
        ge=1,
        le=10_000,
        description="Deciders who must respond; by default all of them.",
    )
    decide_within_hours: float | None = Field(
        default=None,
        gt=0,
        le=720,
        description="Working hours each decider has; by default the team's decision deadline.",
    )
    decide_within_days: float | None = Field(
        default=None,
        gt=0,
        le=30,
        description="Working days each decider has (one = the length of their working day).",
    )
    urgent: bool = False
    critical: bool = Field(
        default=False, description="Urgent and critical together escalate to sync at once."
    )
    max_rounds: int = Field(
        default=2, ge=1, le=10, description="Consent rounds with objections before escalating."
    )
    thread_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="A thread to read beforehand."
    )


class DecisionResponseIn(_Strict):
    choice: str = Field(
        min_length=1,
        max_length=200,
        description="For a vote, one of the options; for consent, consent or object.",
    )


class CheckinIn(_Strict):
    answers: dict[str, str] = Field(
        default_factory=dict,
        max_length=20,
        description='Answers keyed by question: "What did you finish?", "What\'s next?".',
    )
    blockers: str = Field(
        default="",
        max_length=5_000,
        description='The answer to "Anything blocking?"; empty: nothing is blocking you.',
    )
    mood: int | None = Field(
        default=None, ge=1, le=5, description="1 (low) to 5 (great); only you ever read it."
    )
    day_mode: Literal["heads-down", "normal", "social", "low-energy"] | None = Field(
        default=None, description="How your day is set; only you ever read it."
    )


class HandoffIn(_Strict):
    note: str = Field(min_length=1, max_length=20_000, description="The end-of-day note, in words.")
    open_items: list[str] = Field(
        default_factory=list,
        max_length=50,
        description="What the receiving team should pick up, one item each (at most 500 characters).",
    )


class PulseIn(_Strict):
    verdict: Literal["too_much_sync", "about_right", "too_little_sync"] = Field(
        description="Our balance is: too much sync, about right, or too little sync."
    )
    suggestion: str | None = Field(
        default=None,
        max_length=2_000,
        description="What to change, in words; the team reads it without your name.",
    )


class BandIn(_Strict):
    low: float = Field(ge=0, le=1, description="The lowest async share the team aims for.")
    high: float = Field(ge=0, le=1, description="The highest async share; at least low.")
    reason: str = Field(
        min_length=1, max_length=2_000, description="Why; kept in the team's policy history."
    )


class _ErrorBody(BaseModel):
    code: str = Field(description="Stable, e.g. not_found, invalid_input, unauthenticated.")
    message: str
    fields: dict[str, Any]


class ErrorOut(BaseModel):
    error: _ErrorBody


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": text}
    for status, text in (
        (400, "The body cannot be read (not UTF-8, or not the declared content type)"),
        (401, "No token, or an unknown or revoked one"),
        (403, "Not allowed"),
        (404, "Not found, or not visible to you"),
        (409, "The resource's state does not allow this (e.g. a closed decision)"),
        (413, "Request body too large"),
        (422, "Invalid request; `fields` names each problem"),
        (429, "Too many requests with this token or from this address; see Retry-After"),
    )
}
