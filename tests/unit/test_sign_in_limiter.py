"""The sign-in rate limit: failures per address and account inside a sliding window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from asyncfirst.entrypoints.web.limits import SignInLimiter

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def test_the_sixth_attempt_waits_until_the_oldest_failure_leaves_the_window() -> None:
    limiter = SignInLimiter(attempts=5, window=timedelta(minutes=15))
    for minute in range(5):
        assert limiter.retry_after("10.0.0.1", "kenji", T0 + timedelta(minutes=minute)) is None
        limiter.failed("10.0.0.1", "kenji", T0 + timedelta(minutes=minute))
    assert limiter.retry_after("10.0.0.1", "kenji", T0 + timedelta(minutes=5)) == timedelta(
        minutes=10
    )
    # Another account from the same address, or the same account elsewhere, is not held up.
    assert limiter.retry_after("10.0.0.1", "maria", T0 + timedelta(minutes=5)) is None
    assert limiter.retry_after("10.0.0.2", "kenji", T0 + timedelta(minutes=5)) is None
    assert limiter.retry_after("10.0.0.1", "kenji", T0 + timedelta(minutes=15)) is None


def test_a_success_clears_the_count() -> None:
    limiter = SignInLimiter(attempts=2)
    limiter.failed("::1", "amelie", T0)
    limiter.succeeded("::1", "amelie")
    limiter.failed("::1", "amelie", T0)
    assert limiter.retry_after("::1", "amelie", T0) is None
    limiter.failed("::1", "amelie", T0)
    assert limiter.retry_after("::1", "amelie", T0) is not None
