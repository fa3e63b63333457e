"""Delivering notifications to real servers on loopback, on SQLite and on PostgreSQL.

An HTTP receiver (``http.server`` in a thread) stands in for Slack, Mattermost, Matrix and
a generic JSON endpoint; aiosmtpd stands in for the mail server. The clock is set by hand
and the jitter draw fixed at 0.5, so the backoff figures are exact.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from asyncfirst import bootstrap, bootstrap_api, bootstrap_db
from asyncfirst.adapters.notify.http import HttpWebhookTransport
from asyncfirst.adapters.notify.smtp import SmtpMailTransport
from asyncfirst.domain.model import Organisation
from asyncfirst.domain.notifications import Notification, NotificationKind
from asyncfirst.services.access import Actor, Role
from asyncfirst.services.charter_sync import apply_charter
from asyncfirst.services.hub_ports import HubContext
from asyncfirst.services.notifications import DeliveryReport, RetryPolicy, Transports, deliver_due
from asyncfirst.services.notify_payloads import matrix_txn_id, verify_signature
from asyncfirst.services.webhooks import WebhookView, add_webhook, remove_webhook
from tests.integration.receivers import HttpReceiver, SmtpReceiver

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
LEAD = Actor("kenji", frozenset({Role("team_lead", "coding"), Role("member", "coding")}))
BASE = "https://hub.example.org"
SYT = "syt_secret_token"  # a Matrix access token, made up


class Clock:
    def __init__(self, instant: datetime) -> None:
        self.instant = instant

    def now(self) -> datetime:
        return self.instant

    def advance(self, **delta: float) -> None:
        self.instant += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
def hub(database_url: str, demo_org: Organisation, clock: Clock) -> Iterator[HubContext]:
    bootstrap_db.upgrade_database(database_url)
    apply_charter(demo_org, "demo", uow=bootstrap_db.charter_unit_of_work(database_url),
                  clock=bootstrap.FixedClock(T0), changed_by="tests")  # fmt: skip
    context = bootstrap_api.hub_context(demo_org, database_url, clock)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def receiver() -> Iterator[HttpReceiver]:
    server = HttpReceiver()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def http() -> Iterator[HttpWebhookTransport]:
    transport = HttpWebhookTransport(timeout=5)
    try:
        yield transport
    finally:
        transport.close()


def _notify(hub: HubContext, key: str = "escalation:decision:7",
            kind: NotificationKind = "escalation", recipients: tuple[str, ...] = ()) -> None:  # fmt: skip
    with hub.unit_of_work() as uow:
        uow.outbox.enqueue(
            Notification(
                key=key, kind=kind, team="coding", subject="Decision 7 escalated",
                text="No result by the decide-by: a 30-minute sync is proposed.",
                created_at=T0, recipients=recipients, link="/api/v1/decisions/7",
                data={"decision": 7},
            )
        )  # fmt: skip
        uow.commit()


def _hook(hub: HubContext, fmt: str, url: str, **matrix: str) -> WebhookView:
    return add_webhook(hub.unit_of_work(), hub.clock, LEAD, "coding", fmt, url, **matrix)


def _deliver(hub: HubContext, http: HttpWebhookTransport, **options: object) -> DeliveryReport:
    return deliver_due(
        hub.unit_of_work, hub.clock, Transports(http), random=lambda: 0.5, base_url=BASE,
        **options,  # type: ignore[arg-type]  # keyword options of deliver_due, per test
    )  # fmt: skip


def _log(hub: HubContext, webhook_id: int) -> list[dict[str, object]]:
    from asyncfirst.services.webhooks import webhook_deliveries

    return webhook_deliveries(hub.unit_of_work(), LEAD, webhook_id)["deliveries"]  # type: ignore[no-any-return]


def test_json_webhook_down_then_failing_then_back_retries_with_backoff_and_delivers_signed(
    hub: HubContext, clock: Clock, receiver: HttpReceiver, http: HttpWebhookTransport
) -> None:
    view = _hook(hub, "json", f"{receiver.url}/hooks/asyncfirst")
    assert view.secret is not None and view.secret.startswith("whsec_")
    _notify(hub)

    # The receiver is down (closed port): refused, retried after 30 s * 1.125 (jitter 0.5).
    report = _deliver(hub, http)
    assert (report.fanned_out, report.queued, report.attempted, report.failed) == (1, 1, 1, 1)
    [entry] = _log(hub, view.record.id)
    assert entry["status"] == "failed" and entry["attempts"] == 1
    assert "could not connect" in str(entry["last_error"])
    assert entry["next_attempt_at"] == "2026-11-23T09:00:33.750000Z"

    clock.advance(seconds=30)  # not due yet: nothing is sent
    assert _deliver(hub, http).attempted == 0

    # It comes back, but answers 500: the second wait doubles (60 s * 1.125).
    receiver.status = 500
    receiver.start()
    clock.advance(seconds=4)
    assert _deliver(hub, http).failed == 1
    [entry] = _log(hub, view.record.id)
    assert (entry["status"], entry["attempts"], entry["last_response"]) == ("failed", 2, "HTTP 500")
    assert entry["next_attempt_at"] == "2026-11-23T09:01:41.500000Z"

    receiver.status = 204
    clock.advance(seconds=67)
    assert _deliver(hub, http).attempted == 0
    clock.advance(seconds=1)
    report = _deliver(hub, http)
    assert (report.attempted, report.delivered) == (1, 1)
    [entry] = _log(hub, view.record.id)
    assert (entry["status"], entry["attempts"], entry["last_response"]) == (
        "delivered", 3, "HTTP 204"
    )  # fmt: skip
    assert entry["delivered_at"] == "2026-11-23T09:01:42Z" and entry["next_attempt_at"] is None

    assert [r.answered for r in receiver.requests] == [500, 204]
    last = receiver.requests[-1]
    assert (last.method, last.path) == ("POST", "/hooks/asyncfirst")
    assert last.headers["X-Asyncfirst-Timestamp"] == str(int(clock.now().timestamp()))
    assert verify_signature(
        view.secret, last.headers["X-Asyncfirst-Timestamp"], last.body,
        last.headers["X-Asyncfirst-Signature"], now=clock.now(),
    )  # fmt: skip
    assert not verify_signature(
        "whsec_wrong", last.headers["X-Asyncfirst-Timestamp"], last.body,
        last.headers["X-Asyncfirst-Signature"], now=clock.now(),
    )  # fmt: skip
    payload = json.loads(last.body)
    assert payload["key"] == "escalation:decision:7" and payload["kind"] == "escalation"
    assert payload["link"] == f"{BASE}/api/v1/decisions/7"
    assert payload["data"] == {"decision": 7}

    assert _deliver(hub, http).attempted == 0  # delivered stays delivered
    assert len(receiver.requests) == 2


def test_a_receiver_that_keeps_failing_is_given_up_after_max_attempts_and_logged(
    hub: HubContext, clock: Clock, receiver: HttpReceiver, http: HttpWebhookTransport,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    receiver.status = 503
    receiver.start()
    view = _hook(hub, "slack", f"{receiver.url}/services/T0/B0/x")
    _notify(hub)
    policy = RetryPolicy(max_attempts=3)
    waits = []
    with caplog.at_level(logging.WARNING, logger="asyncfirst.notifications"):
        for _ in range(3):
            _deliver(hub, http, policy=policy)
            [entry] = _log(hub, view.record.id)
            if entry["next_attempt_at"] is not None:
                due = datetime.fromisoformat(str(entry["next_attempt_at"]))
                waits.append((due - clock.now()).total_seconds())
                clock.instant = due
    assert waits == [33.75, 67.5]
    [entry] = _log(hub, view.record.id)
    assert (entry["status"], entry["attempts"]) == ("gave_up", 3)
    assert "gave up delivering escalation:decision:7 to webhook" in caplog.text
    clock.advance(hours=5)
    assert _deliver(hub, http, policy=policy).attempted == 0
    assert len(receiver.requests) == 3


def test_matrix_put_uses_the_room_token_and_one_txn_id_across_retries(
    hub: HubContext, clock: Clock, receiver: HttpReceiver, http: HttpWebhookTransport
) -> None:
    receiver.status = 502
    receiver.start()
    view = _hook(hub, "matrix", receiver.url, matrix_room_id="!ops:example.org",
                 matrix_access_token=SYT)  # fmt: skip
    assert view.to_dict().get("secret") is None and "syt_" not in json.dumps(view.to_dict())
    _notify(hub)
    _deliver(hub, http)
    receiver.status = 200
    clock.advance(minutes=1)
    assert _deliver(hub, http).delivered == 1
    txn = matrix_txn_id("escalation:decision:7", view.record.id)
    expected = f"/_matrix/client/v3/rooms/%21ops%3Aexample.org/send/m.room.message/{txn}"
    assert [(r.method, r.path) for r in receiver.requests] == [("PUT", expected)] * 2
    sent = receiver.requests[-1]
    assert sent.headers["Authorization"] == f"Bearer {SYT}"
    content = json.loads(sent.body)
    assert content["msgtype"] == "m.text"
    assert content["body"].startswith("Decision 7 escalated\n")
    assert f'<a href="{BASE}/api/v1/decisions/7">' in content["formatted_body"]


def test_slack_and_mattermost_get_text_with_a_link_each_in_its_own_markup(
    hub: HubContext, receiver: HttpReceiver, http: HttpWebhookTransport
) -> None:
    receiver.start()
    _hook(hub, "slack", f"{receiver.url}/slack")
    _hook(hub, "mattermost", f"{receiver.url}/mattermost")
    _notify(hub)
    report = _deliver(hub, http)
    assert (report.queued, report.delivered) == (2, 2)
    bodies = {r.path: json.loads(r.body) for r in receiver.requests}
    assert bodies["/slack"] == {
        "text": "*Decision 7 escalated*\nNo result by the decide-by: a 30-minute sync is "
        f"proposed.\n<{BASE}/api/v1/decisions/7|Open in asyncfirst>"
    }
    assert bodies["/mattermost"]["text"].endswith(
        f"[Open in asyncfirst]({BASE}/api/v1/decisions/7)"
    )
    assert all(r.headers["Content-Type"] == "application/json" for r in receiver.requests)


def test_fan_out_is_once_per_notification_and_only_to_active_webhooks_of_its_team(
    hub: HubContext, clock: Clock, receiver: HttpReceiver, http: HttpWebhookTransport
) -> None:
    receiver.start()
    kept = _hook(hub, "slack", f"{receiver.url}/kept")
    removed = _hook(hub, "slack", f"{receiver.url}/removed")
    add_webhook(hub.unit_of_work(), hub.clock, Actor("amelie", frozenset({Role("org_admin")})),
                "design", "slack", f"{receiver.url}/design")  # fmt: skip
    remove_webhook(hub.unit_of_work(), hub.clock, LEAD, removed.record.id)
    _notify(hub)
    _notify(hub)  # the same key again: kept once
    assert _deliver(hub, http).queued == 1
    assert _deliver(hub, http).queued == 0
    assert [r.path for r in receiver.requests] == ["/kept"]
    assert len(_log(hub, kept.record.id)) == 1 and _log(hub, removed.record.id) == []


def test_a_webhook_removed_while_its_delivery_waits_gives_up_without_sending(
    hub: HubContext, clock: Clock, receiver: HttpReceiver, http: HttpWebhookTransport
) -> None:
    view = _hook(hub, "json", f"{receiver.url}/down")
    _notify(hub)
    assert _deliver(hub, http).failed == 1  # down
    remove_webhook(hub.unit_of_work(), hub.clock, LEAD, view.record.id)
    receiver.start()
    clock.advance(minutes=5)
    assert _deliver(hub, http).gave_up == 1
    [entry] = _log(hub, view.record.id)
    assert (entry["status"], entry["last_error"]) == ("gave_up", "the webhook was removed")
    assert receiver.requests == []


def test_a_claimed_delivery_is_not_claimed_again_by_a_second_worker(
    hub: HubContext, database_url: str
) -> None:
    """Two workers at the same moment: the second finds nothing (PostgreSQL skips the
    locked rows; SQLite waits for the first's write lock, then sees the lease)."""
    _hook(hub, "slack", "http://127.0.0.1:9/never")
    _notify(hub)
    with hub.unit_of_work() as uow:
        _fanned = uow.deliveries.unfanned(10)
        for stored in _fanned:
            uow.deliveries.add(stored.id, T0, webhook_id=uow.webhooks.listed("coding")[0].id)
            uow.deliveries.mark_fanned_out(stored.id, T0)
        uow.commit()
    second: list[int] = []

    def other_worker() -> None:
        with hub.unit_of_work() as uow:
            second.extend(
                d.id for d in uow.deliveries.claim_due(T0, T0 + timedelta(minutes=10), 10)
            )
            uow.commit()

    with hub.unit_of_work() as uow:
        first = uow.deliveries.claim_due(T0, T0 + timedelta(minutes=10), 10)
        racer = threading.Thread(target=other_worker)
        racer.start()
        racer.join(2)
        # PostgreSQL: SKIP LOCKED answers at once; SQLite: the second waits for the lock.
        assert racer.is_alive() is database_url.startswith("sqlite")
        uow.commit()
    racer.join(10)
    assert len(first) == 1 and first[0].attempts == 1
    assert second == []
    with hub.unit_of_work() as uow:  # after the lease it comes back, with its attempt counted
        [again] = uow.deliveries.claim_due(T0 + timedelta(minutes=10), T0 + timedelta(hours=1), 10)
        assert again.attempts == 2


def test_a_digest_is_emailed_to_every_member_over_smtp(
    hub: HubContext, http: HttpWebhookTransport, demo_org: Organisation
) -> None:
    smtp = SmtpReceiver().start()
    try:
        mail = SmtpMailTransport("127.0.0.1", smtp.port, "hub@demo.asyncfirst.example",
                                 starttls=False, timeout=5)  # fmt: skip
        _notify(hub, key="digest:coding:2026-11-23", kind="digest")
        _notify(hub, key="escalation:decision:8")  # no recipients: webhooks only, no email
        report = deliver_due(hub.unit_of_work, hub.clock, Transports(http, mail), base_url=BASE)
    finally:
        smtp.stop()
    addresses = sorted(p.emails[0] for p in demo_org.members("coding"))
    assert len(addresses) == 5
    assert (report.queued, report.delivered, report.without_email) == (5, 5, [])
    messages = smtp.messages
    assert sorted(to[0] for _sender, to, _msg in messages) == addresses
    sender, _to, message = messages[0]
    assert sender == "hub@demo.asyncfirst.example"
    assert message["Subject"] == "Decision 7 escalated"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"].endswith("@asyncfirst.notifications>")
    assert f"Open in asyncfirst: {BASE}/api/v1/decisions/7" in message.get_payload()
    with hub.unit_of_work() as uow:
        assert uow.deliveries.claim_due(T0 + timedelta(days=1), T0, 10) == []


def test_email_to_a_closed_smtp_port_fails_and_is_retried(
    hub: HubContext, clock: Clock, http: HttpWebhookTransport
) -> None:
    smtp = SmtpReceiver()  # not started: its port is closed
    mail = SmtpMailTransport("127.0.0.1", smtp.port, "hub@demo.asyncfirst.example",
                             starttls=False, timeout=5)  # fmt: skip
    _notify(hub, key="reminder:thread:3:yuki", kind="reminder", recipients=("yuki",))
    report = deliver_due(hub.unit_of_work, hub.clock, Transports(http, mail), random=lambda: 0)
    assert (report.queued, report.failed) == (1, 1)
    smtp.start()
    try:
        clock.advance(seconds=30)
        report = deliver_due(hub.unit_of_work, hub.clock, Transports(http, mail), random=lambda: 0)
    finally:
        smtp.stop()
    assert report.delivered == 1
    assert [to for _s, to, _m in smtp.messages] == [["yuki@demo.asyncfirst.example"]]
