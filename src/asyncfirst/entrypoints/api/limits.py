"""A request body limit, enforced before the body is read into memory: 413 in our shape."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from asyncfirst.entrypoints.api.errors import error_response

__all__ = ["DEFAULT_MAX_BODY_BYTES", "BodyLimitMiddleware"]

DEFAULT_MAX_BODY_BYTES = 64 * 1024


class BodyLimitMiddleware:
    """Refuse bodies over ``limit`` bytes: by Content-Length at once, or while a chunked
    body streams (an HTTP 413 raised from ``receive``, which the error handlers shape)."""

    def __init__(self, app: ASGIApp, limit: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    def _message(self) -> str:
        return f"the request body is over the limit of {self.limit} bytes"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            response = error_response(
                413, "payload_too_large", self._message(), {"limit_bytes": self.limit}
            )
            await response(scope, receive, send)
            return
        seen = 0

        async def counted_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise HTTPException(413, self._message())
            return message

        await self.app(scope, counted_receive, send)
