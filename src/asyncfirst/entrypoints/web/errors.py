"""Errors on web pages answer with a clear HTML page (never a traceback); the API keeps its
JSON shape. Installed after ``api.errors.install_error_handlers``: each handler here answers
for page paths and hands API paths (``/api/…``, ``/docs``, ``/openapi.json``, ``/health``)
to the API's handler it replaces.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from starlette.exceptions import HTTPException

from asyncfirst.domain.access_errors import UnauthenticatedError
from asyncfirst.domain.errors import AsyncfirstError
from asyncfirst.entrypoints.api.errors import status_of
from asyncfirst.entrypoints.web.render import render
from asyncfirst.entrypoints.web.session import SignInRequired, optional_person, sign_in_url

__all__ = ["install_web_error_handlers", "is_page_path"]

log = logging.getLogger("asyncfirst.web")

_API_PREFIXES = ("/api/", "/docs", "/openapi.json", "/health", "/static/")
Handler = Callable[[Request, Exception], Any]

TITLES = {
    400: "That request was not understood",
    403: "You may not do that",
    404: "Page not found",
    405: "That is not something this page does",
    413: "That was too large",
    422: "Some of the form was not right",
    429: "Too many attempts",
    500: "Something went wrong on our side",
    503: "The service is unavailable",
}


def is_page_path(path: str) -> bool:
    """Whether ``path`` is a web page (HTML errors) rather than the API (JSON errors)."""
    return path != "/api" and not path.startswith(_API_PREFIXES)


def error_page(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    with contextlib.suppress(Exception):  # the nav is a nicety; the error page must render
        optional_person(request)
    response = render(
        request,
        "error.html",
        {
            "status": status,
            "title": TITLES.get(status, "Something is not right"),
            "message": message,
        },
        status_code=status,
    )
    if headers:
        response.headers.update(headers)
    return response


def _redirect_to_sign_in(request: Request, next_path: str) -> Response:
    url = sign_in_url(next_path)
    if request.headers.get("HX-Request"):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def install_web_error_handlers(app: FastAPI) -> None:
    api: dict[Any, Handler] = dict(app.exception_handlers)

    def delegate(kind: Any, request: Request, exc: Exception) -> Any:
        return api[kind](request, exc)

    def domain(request: Request, exc: Exception) -> Any:
        if not is_page_path(request.url.path):
            return delegate(AsyncfirstError, request, exc)
        assert isinstance(exc, AsyncfirstError)  # noqa: S101 - registered for this class only
        if isinstance(exc, UnauthenticatedError):
            return _redirect_to_sign_in(request, request.url.path)
        return error_page(request, status_of(exc), exc.message)

    def sign_in_required(request: Request, exc: Exception) -> Any:
        assert isinstance(exc, SignInRequired)  # noqa: S101 - registered for this class only
        return _redirect_to_sign_in(request, exc.next_path)

    def validation(request: Request, exc: Exception) -> Any:
        if not is_page_path(request.url.path):
            return delegate(RequestValidationError, request, exc)
        assert isinstance(exc, RequestValidationError)  # noqa: S101 - registered for this class only
        problems = []
        for error in exc.errors():
            loc = [
                str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")
            ]
            problems.append(f"{'.'.join(loc) or 'form'}: {error.get('msg', 'invalid')}")
        return error_page(request, 422, "; ".join(problems) or "the form was not complete")

    def http(request: Request, exc: Exception) -> Any:
        if not is_page_path(request.url.path):
            return delegate(HTTPException, request, exc)
        assert isinstance(exc, HTTPException)  # noqa: S101 - registered for this class only
        if exc.status_code == 404:
            message = f"There is no page at {request.url.path}. Check the address, or go to My day."
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}."
        else:
            message = exc.detail if isinstance(exc.detail, str) else "The request was refused."
        return error_page(request, exc.status_code, message, dict(exc.headers or {}))

    def unexpected(request: Request, exc: Exception) -> Any:
        if not is_page_path(request.url.path):
            return delegate(Exception, request, exc)
        log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        return error_page(
            request, 500, "An unexpected error occurred and was logged. Please try again shortly."
        )

    app.add_exception_handler(AsyncfirstError, domain)
    app.add_exception_handler(SignInRequired, sign_in_required)
    app.add_exception_handler(RequestValidationError, validation)
    app.add_exception_handler(HTTPException, http)
    app.add_exception_handler(Exception, unexpected)
