"""Per-person secret calendar feeds over HTTP on SQLite and PostgreSQL: the served iCalendar
parses back (icalendar, recurring-ical-events) with the right local times on both sides of
a daylight-saving change, cancelled meetings are marked, the feed is cacheable, and a
rotated or revoked secret answers a bare 404."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import recurring_ical_events
from fastapi.testclient import TestClient
from icalendar import Calendar

from tests.integration.api.conftest import SettableClock, TokenFor

PARIS = ZoneInfo("Europe/Paris")
# Monday 15 March 2027: New York is already on summer time (since 14 March), Paris not
# until Sunday 28 March; the feed's four weeks of focus blocks span Europe's change.
MONDAY = datetime(2027, 3, 15, 10, 0, tzinfo=PARIS)
BARE_404 = {"error": {"code": "not_found", "message": "not found", "fields": {}}}


def meeting(client: TestClient, headers: dict[str, str], start: str, title: str) -> dict[str, Any]:
    body = {
        "team": "design", "title": title, "kind": "workshop",
        "why_sync": "Sketching together is faster than comments.",
        "starts_at": start,
        "ends_at": (datetime.fromisoformat(start) + timedelta(hours=1)).isoformat(),
        "attendees": ["chloe", "maria"],
    }  # fmt: skip
    response = client.post("/api/v1/meetings", json=body, headers=headers)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


def subscribe(client: TestClient, headers: dict[str, str]) -> str:
    response = client.post("/api/v1/me/feed", headers=headers)
    assert response.status_code == 201, response.text
    issued = response.json()
    assert issued["url"].startswith("http://testserver/feeds/afc_")
    assert issued["webcal"] == "webcal://" + issued["url"].removeprefix("http://")
    path: str = issued["url"].removeprefix("http://testserver")
    return path


def test_the_feed_parses_back_with_local_times_across_the_dst_change(
    client: TestClient, token: TokenFor, clock: SettableClock
) -> None:
    clock.instant = MONDAY
    amelie = token("amelie")
    before = meeting(client, amelie, "2027-03-22T14:00:00+00:00", "Before the change")
    after = meeting(client, amelie, "2027-03-30T13:00:00+00:00", "After the change")
    dropped = meeting(client, amelie, "2027-03-31T13:00:00+00:00", "Dropped")
    assert client.delete(f"/api/v1/meetings/{dropped['id']}", headers=amelie).status_code == 200
    path = subscribe(client, token("chloe"))

    response = client.get(path)  # no Authorization header: the secret is the credential
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert calendar["X-WR-TIMEZONE"] == "Europe/Paris"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]

    events = recurring_ical_events.of(calendar).between(date(2027, 3, 15), date(2027, 4, 12))
    focus = sorted((e for e in events if str(e["SUMMARY"]).startswith("Focus")),
                   key=lambda e: e["DTSTART"].dt)  # fmt: skip
    # Chloe: Tue and Thu 09:00–12:00 Paris, protected; eight of them in four weeks.
    assert [e["DTSTART"].dt.date() for e in focus] == [
        date(2027, 3, d) for d in (16, 18, 23, 25, 30)
    ] + [date(2027, 4, d) for d in (1, 6, 8)]
    assert {e["DTSTART"].params["TZID"] for e in focus} == {"Europe/Paris"}
    assert {e["DTSTART"].dt.astimezone(PARIS).strftime("%H:%M") for e in focus} == {"09:00"}
    utc_hours = [e["DTSTART"].dt.astimezone(UTC).hour for e in focus]
    assert utc_hours == [8, 8, 8, 8, 7, 7, 7, 7]  # CET then CEST
    assert {str(e["TRANSP"]) for e in focus} == {"OPAQUE"}

    by_uid = {str(e["UID"]): e for e in events if not str(e["SUMMARY"]).startswith("Focus")}
    assert set(by_uid) == {f"meeting-{m['id']}@asyncfirst" for m in (before, after, dropped)}
    first = by_uid[f"meeting-{before['id']}@asyncfirst"]
    second = by_uid[f"meeting-{after['id']}@asyncfirst"]
    assert first["DTSTART"].params["TZID"] == "Europe/Paris"
    assert f"{first['DTSTART'].dt:%H:%M %Z}" == "15:00 CET"
    assert f"{second['DTSTART'].dt:%H:%M %Z}" == "15:00 CEST"
    assert first["DTSTART"].dt == datetime(2027, 3, 22, 14, tzinfo=UTC)
    assert second["DTEND"].dt == datetime(2027, 3, 30, 14, tzinfo=UTC)
    text = str(first["DESCRIPTION"])
    assert "Why sync: Sketching together is faster than comments." in text
    assert "- Maria Garcia (America/New_York): Mon 22 Mar 10:00–11:00 EDT (New York)" in text
    assert "- Chloé Dubois (Europe/Paris): Mon 22 Mar 15:00–16:00 CET (Paris)" in text
    assert (str(first["STATUS"]), first["SEQUENCE"]) == ("CONFIRMED", 0)
    assert len(first.get("ATTENDEE")) == 3
    cancelled = by_uid[f"meeting-{dropped['id']}@asyncfirst"]
    assert (str(cancelled["STATUS"]), cancelled["SEQUENCE"]) == ("CANCELLED", 1)


def test_the_feed_is_cacheable_and_changes_when_a_meeting_does(
    client: TestClient, token: TokenFor, clock: SettableClock
) -> None:
    clock.instant = MONDAY
    path = subscribe(client, token("chloe"))
    first = client.get(path)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert first.headers["cache-control"] == "private, max-age=300"
    assert client.get(path).content == first.content  # the same bytes, no clock inside
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 304

    clock.instant += timedelta(minutes=10)
    meeting(client, token("amelie"), "2027-03-17T10:00:00+00:00", "New one")
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert changed.headers["last-modified"] != modified
    assert b"New one" in changed.content
    assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 200


def test_a_rotated_or_revoked_secret_answers_a_bare_404(
    client: TestClient, token: TokenFor, clock: SettableClock
) -> None:
    clock.instant = MONDAY
    chloe = token("chloe")
    old = subscribe(client, chloe)
    assert client.get(old).status_code == 200
    new = subscribe(client, chloe)  # rotate: the old URL stops working at once
    assert new != old
    assert client.get(old).json() == BARE_404
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert client.delete("/api/v1/me/feed", headers=chloe).status_code == 204
    assert client.get(new).status_code == 404
    for wrong in ("/feeds/afc_nothing.ics", "/feeds/" + "x" * 47 + ".ics",
                  new.replace("afc_", "afk_"), new[:-6] + "AAAA.ics"):  # fmt: skip
        response = client.get(wrong)
        assert (response.status_code, response.json()) == (404, BARE_404), wrong
