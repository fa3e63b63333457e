"""Notification payloads, signatures and the retry schedule, without a network."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest

from asyncfirst.domain.notifications import Notification
from asyncfirst.services.notifications import RetryPolicy, emailed_to
from asyncfirst.services.notify_payloads import (
    email_message,
    matrix_txn_id,
    sign,
    verify_signature,
    webhook_request,
)
from asyncfirst.services.notify_ports import WebhookRecord

AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
KEY = "whsec_k"  # a made-up signing secret (and Matrix token)
N = Notification("pulse:coding:2026-11-23", "pulse", "coding", "Pulse <open>", "How is it & why?",
                 AT, link="/api/v1/pulse")  # fmt: skip


def _hook(fmt: str, **extra: str) -> WebhookRecord:
    return WebhookRecord(4, "coding", fmt, "https://example.org/in", True, "kenji", AT, **extra)  # type: ignore[arg-type]


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body() -> None:
    body = b'{"a":1}'
    expected = hmac.new(b"whsec_x", b"1764000000." + body, hashlib.sha256).hexdigest()
    assert sign("whsec_x", 1764000000, body) == f"sha256={expected}"


def test_verification_refuses_a_wrong_secret_a_changed_body_and_an_old_timestamp() -> None:
    now = datetime.fromtimestamp(1764000000, UTC)
    good = sign("s", 1764000000, b"{}")
    assert verify_signature("s", "1764000000", b"{}", good, now)
    assert not verify_signature("t", "1764000000", b"{}", good, now)
    assert not verify_signature("s", "1764000000", b"{ }", good, now)
    assert not verify_signature("s", "1764000000", b"{}", good, now + timedelta(seconds=301))
    assert not verify_signature("s", "yesterday", b"{}", good, now)


def test_json_request_is_signed_over_its_exact_bytes() -> None:
    request = webhook_request(_hook("json", secret=KEY), N, delivery_id=9, now=AT,
                              base_url="https://hub.example.org/")  # fmt: skip
    assert request.method == "POST"
    stamp = request.headers["X-Asyncfirst-Timestamp"]
    assert stamp == str(int(AT.timestamp()))
    assert request.headers["X-Asyncfirst-Signature"] == sign(KEY, int(stamp), request.body)
    assert request.headers["X-Asyncfirst-Delivery"] == "9"
    payload = json.loads(request.body)
    assert payload["link"] == "https://hub.example.org/api/v1/pulse"
    assert payload["created_at"] == "2026-11-23T09:00:00+00:00"


def test_matrix_request_escapes_html_and_keeps_one_txn_per_key_and_room() -> None:
    hook = _hook("matrix", matrix_room_id="!r:example.org", matrix_access_token=KEY)
    first = webhook_request(hook, N, delivery_id=1, now=AT)
    again = webhook_request(hook, N, delivery_id=1, now=AT + timedelta(hours=1))
    assert first.method == "PUT" and first.url == again.url
    assert first.url.endswith(f"/send/m.room.message/{matrix_txn_id(N.key, 4)}")
    assert matrix_txn_id(N.key, 4) != matrix_txn_id(N.key, 5)
    content = json.loads(first.body)
    assert "Pulse &lt;open&gt;" in content["formatted_body"]
    assert content["body"] == "Pulse <open>\nHow is it & why?\n/api/v1/pulse"


def test_email_message_id_is_stable_per_key_and_address() -> None:
    one = email_message(N, "kenji@example.org")
    assert one == email_message(N, "kenji@example.org")
    assert one.message_id != email_message(N, "yuki@example.org").message_id
    assert one.text == "How is it & why?\n\nOpen in asyncfirst: /api/v1/pulse\n"


def test_who_gets_email() -> None:
    digest = Notification("d", "digest", "coding", "s", "t", AT)
    assert emailed_to(digest) == ()  # the whole team
    assert emailed_to(Notification("r", "reminder", "coding", "s", "t", AT, ("yuki",))) == ("yuki",)
    assert emailed_to(N) is None  # a team-wide pulse prompt goes to the team's channels


def test_the_backoff_schedule() -> None:
    policy = RetryPolicy()
    waits = [policy.delay(n, 0).total_seconds() for n in range(1, 10)]
    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
    assert sum(waits) / 3600 == pytest.approx(3.06, abs=0.01)  # before the 10th and last try
    assert policy.delay(1, 0.999).total_seconds() == pytest.approx(37.49, abs=0.01)
    assert policy.delay(9, 1).total_seconds() == 4500  # the cap, plus at most 25 %
