"""Webhooks over HTTP with httpx: short timeouts, no redirects, one attempt per call.

A slow or unreachable receiver costs at most ``timeout`` seconds of the background job,
never a request of the API (delivery never runs inside one). Errors are returned as
``SendOutcome`` in words, never with the URL (a Slack or Mattermost URL is a secret).
"""

from __future__ import annotations

import httpx

from asyncfirst.services.notify_ports import SendOutcome, WebhookRequest

__all__ = ["HttpWebhookTransport"]

CONNECT_TIMEOUT_S = 3.0
TIMEOUT_S = 10.0
_USER_AGENT = "asyncfirst-notifications"


class HttpWebhookTransport:
    """One connection pool for the transport's life; ``close`` it when done."""

    def __init__(self, timeout: float = TIMEOUT_S, connect_timeout: float = CONNECT_TIMEOUT_S):
        self.timeout = timeout
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            follow_redirects=False,
            headers={"User-Agent": _USER_AGENT},
        )

    def send(self, request: WebhookRequest) -> SendOutcome:
        try:
            response = self._client.request(
                request.method, request.url, headers=dict(request.headers), content=request.body
            )
        except httpx.TimeoutException:
            return SendOutcome(False, None, f"no answer within {self.timeout:g} s")
        except httpx.ConnectError as error:
            return SendOutcome(False, None, f"could not connect ({_reason(error)})")
        except httpx.HTTPError as error:
            return SendOutcome(False, None, f"{type(error).__name__} ({_reason(error)})")
        answer = f"HTTP {response.status_code}"
        if response.is_success:
            return SendOutcome(True, answer, None)
        snippet = response.text[:200].strip()
        return SendOutcome(False, answer, f"the receiver answered {answer}" + (
            f": {snippet}" if snippet else ""
        ))  # fmt: skip

    def close(self) -> None:
        self._client.close()


def _reason(error: Exception) -> str:
    return str(error).strip() or type(error).__name__
