"""Per-person secret calendar feeds: issue (and rotate) the secret, read the feed behind it.

A feed secret looks like ``afc_`` + 43 URL-safe characters (32 random bytes). Like an API
token (``services/tokens.py``) it is shown once and kept only as a SHA-256 digest, found
by its first 12 characters and compared in constant time. It is the only credential of
``GET /feeds/<secret>.ics`` (calendar apps send no header), so it is read-only and shows
only its owner's calendar: their meetings (from ``FEED_PAST_DAYS`` ago on, cancelled ones
marked so) and their charter focus blocks for the next ``FEED_FOCUS_DAYS`` local days.

Issuing a new secret revokes the old ones (rotation): a calendar subscribed with the old
URL then gets 404. Any unknown, malformed or revoked secret gets the same bare 404.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from asyncfirst.domain.access_errors import NotFoundError
from asyncfirst.domain.meetings import FocusOccurrence, focus_occurrences
from asyncfirst.domain.model import Organisation, Person
from asyncfirst.domain.worktime import local_day_bounds
from asyncfirst.services.access import Actor, PersonRef, require
from asyncfirst.services.hub_ports import HubUnitOfWork
from asyncfirst.services.meeting_ports import MeetingRecord
from asyncfirst.services.ports import Clock

__all__ = [
    "FEED_FOCUS_DAYS",
    "FEED_MARK",
    "FEED_PAST_DAYS",
    "IssuedFeed",
    "PersonFeed",
    "feed_path",
    "issue_feed",
    "read_feed",
    "revoke_feed",
]

FEED_MARK = "afc_"
FEED_FOCUS_DAYS = 28
FEED_PAST_DAYS = 30
FEED_FUTURE_DAYS = 366
_PREFIX_LENGTH = 12
_SECRET_LENGTH = len(FEED_MARK) + 43


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def feed_path(secret: str) -> str:
    """The path of the feed behind ``secret`` (the API prefixes its own address)."""
    return f"/feeds/{secret}.ics"


@dataclass(frozen=True, slots=True)
class IssuedFeed:
    """A new feed secret: shown once, not recoverable afterwards; older ones are revoked."""

    secret: str
    prefix: str
    person: str
    revoked: int

    def to_dict(self, base_url: str) -> dict[str, Any]:
        url = base_url.rstrip("/") + feed_path(self.secret)
        return {
            "person": self.person,
            "url": url,
            "webcal": "webcal://" + url.split("://", 1)[1],
            "prefix": self.prefix,
            "revoked": self.revoked,
        }


def _person(uow: HubUnitOfWork, actor: Actor) -> PersonRef:
    info = uow.threads.person(actor.person_id)
    if info is None or not info.active:
        raise NotFoundError(
            f'person "{actor.person_id}" not found', resource="person", id=actor.person_id
        )
    return PersonRef(info.key, info.team)


def issue_feed(uow: HubUnitOfWork, clock: Clock, actor: Actor) -> IssuedFeed:
    """A new feed secret for the actor, revoking their earlier ones (rotate)."""
    with uow:
        require(actor, "feed.issue", _person(uow, actor))
        now = clock.now()
        revoked = uow.feeds.revoke_all(actor.person_id, now)
        secret = FEED_MARK + secrets.token_urlsafe(32)
        uow.feeds.add(actor.person_id, secret[:_PREFIX_LENGTH], _digest(secret), now)
        uow.commit()
    return IssuedFeed(secret, secret[:_PREFIX_LENGTH], actor.person_id, revoked)


def revoke_feed(uow: HubUnitOfWork, clock: Clock, actor: Actor) -> int:
    """Revoke the actor's feed secrets; how many were live."""
    with uow:
        require(actor, "feed.issue", _person(uow, actor))
        revoked = uow.feeds.revoke_all(actor.person_id, clock.now())
        uow.commit()
    return revoked


@dataclass(frozen=True, slots=True)
class PersonFeed:
    """What a person's feed shows, and when it last changed (for ETag and Last-Modified)."""

    person: Person
    org: Organisation
    meetings: tuple[MeetingRecord, ...]
    focus: tuple[FocusOccurrence, ...]
    first_day: date
    last_modified: datetime


def _nothing() -> NotFoundError:
    return NotFoundError("not found")


def read_feed(uow: HubUnitOfWork, clock: Clock, org: Organisation, secret: str) -> PersonFeed:
    """The feed behind ``secret``; one bare ``NotFoundError`` for any secret that is not live."""
    if not secret.startswith(FEED_MARK) or len(secret) != _SECRET_LENGTH:
        raise _nothing()
    digest = _digest(secret)
    now = clock.now()
    with uow:
        match = None
        for stored in uow.feeds.with_prefix(secret[:_PREFIX_LENGTH]):
            if hmac.compare_digest(stored.digest, digest):
                match = stored
        if match is None or match.revoked_at is not None:
            raise _nothing()
        info = uow.threads.person(match.person)
        if info is None or not info.active or info.key not in {p.id for p in org.people}:
            raise _nothing()
        person = org.person(info.key)
        meetings = uow.meetings.attended_by(
            person.id,
            now - timedelta(days=FEED_PAST_DAYS),
            now + timedelta(days=FEED_FUTURE_DAYS),
            cancelled=True,
        )
        applied = uow.charter.last_apply()
    today = now.astimezone(person.schedule.tz).date()
    focus = tuple(focus_occurrences(person, today, FEED_FOCUS_DAYS))
    changes = [match.created_at, local_day_bounds(today, person.schedule.tz).start]
    changes += [m.cancelled_at or m.created_at for m in meetings]
    if applied is not None:
        changes.append(applied.applied_at)
    return PersonFeed(person, org, tuple(meetings), focus, today, max(changes))
