"""Security headers on every response: the API's JSON, the pages, static files, redirects, errors.

A header the route already set (a page with its own policy) is kept; the rest are added.
The policy fits server-rendered pages with vendored assets: everything from this site,
no inline script, no framing, no plugins. ``/docs`` (Swagger UI, which loads its script
and styles from a CDN and starts with an inline script) gets a policy that allows just
that. HSTS is sent only on requests that came over https (behind a proxy: run uvicorn
with ``--proxy-headers`` so the scheme is the client's).
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "DOCS_CONTENT_SECURITY_POLICY",
    "HSTS",
    "SecurityHeadersMiddleware",
    "security_headers",
]

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)
_CDN = "https://cdn.jsdelivr.net"
DOCS_CONTENT_SECURITY_POLICY = (
    f"default-src 'self'; script-src 'self' 'unsafe-inline' {_CDN}; "
    f"style-src 'self' 'unsafe-inline' {_CDN}; img-src 'self' data: https://fastapi.tiangolo.com; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"
_DOCS_PATHS = ("/docs", "/docs/oauth2-redirect")
_COMMON: Mapping[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
        "microphone=(), payment=(), usb=()"
    ),
    "Cross-Origin-Opener-Policy": "same-origin",
}


def security_headers(scope: Scope) -> dict[str, str]:
    """The headers every response to this request carries."""
    headers = dict(_COMMON)
    docs = scope.get("path", "") in _DOCS_PATHS
    headers["Content-Security-Policy"] = (
        DOCS_CONTENT_SECURITY_POLICY if docs else CONTENT_SECURITY_POLICY
    )
    if scope.get("scheme") == "https":
        headers["Strict-Transport-Security"] = HSTS
    return headers


class SecurityHeadersMiddleware:
    """Adds ``security_headers`` to each HTTP response, keeping any the app already set."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = security_headers(scope)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
