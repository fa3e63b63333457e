"""The one place that turns errors into HTTP answers, all in one shape, never a traceback.

    {"error": {"code": "not_found", "message": "thread 7 not found", "fields": {...}}}

``code`` is the stable code of the ``AsyncfirstError`` subclass (``domain/errors.py``,
``domain/access_errors.py``) or of the HTTP condition; ``fields`` holds the error's
structured details, or for a 422 each offending field's path and what was wrong with it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from asyncfirst.domain.errors import AsyncfirstError
from asyncfirst.entrypoints.api.security import security_headers

__all__ = ["STATUS_BY_CODE", "error_response", "install_error_handlers", "status_of"]

log = logging.getLogger("asyncfirst.api")

STATUS_BY_CODE: dict[str, int] = {
    "unauthenticated": 401,
    "forbidden": 403,
    "auth_error": 403,
    "not_found": 404,
    "decision_closed": 409,
    "rate_limited": 429,
    "invalid_input": 422,
    "invalid_charter": 422,
    "invalid_calendar": 422,
    "invalid_requests": 422,
    "invalid_config": 500,
    "storage_error": 503,
}
_HTTP_CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
               415: "unsupported_media_type", 429: "too_many_requests"}  # fmt: skip
_LOCATIONS = ("body", "path", "query", "header", "cookie")


def status_of(error: AsyncfirstError) -> int:
    """The status of the nearest class in the error's ancestry that has one (else 400)."""
    for cls in type(error).__mro__:
        code = cls.__dict__.get("code")
        if isinstance(code, str) and code in STATUS_BY_CODE:
            return STATUS_BY_CODE[code]
    return 400


def error_response(
    status: int,
    code: str,
    message: str,
    fields: dict[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "fields": jsonable_encoder(fields or {})}}
    return JSONResponse(body, status_code=status, headers=headers)


def _domain(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AsyncfirstError)  # noqa: S101 - registered for this class only
    status = status_of(exc)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    if status == 429 and "retry_after_seconds" in exc.fields:
        headers["Retry-After"] = str(exc.fields["retry_after_seconds"])
    return error_response(status, exc.code, exc.message, exc.fields, headers)


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = list(loc[1:] if loc and loc[0] in _LOCATIONS else loc)
    name = ""
    for part in parts:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or (str(loc[0]) if loc else "request")


def _problem(error: dict[str, Any]) -> tuple[str, str]:
    loc, kind = tuple(error.get("loc", ())), error.get("type", "")
    if kind == "json_invalid":
        return "body", f"not valid JSON ({error.get('ctx', {}).get('error', 'parse error')})"
    if kind == "extra_forbidden":
        return _field_name(loc), "unknown field; remove it (see /docs for the fields)"
    if kind == "missing":
        return _field_name(loc), "required"
    return _field_name(loc), str(error.get("msg", "invalid"))


def _validation(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101 - registered for this class only
    fields: dict[str, str] = {}
    for error in exc.errors():
        name, problem = _problem(error)
        fields.setdefault(name, problem)
    unknown = [name for name, problem in fields.items() if problem.startswith("unknown field")]
    if unknown:
        message = f"unknown field(s): {', '.join(unknown)}"
    else:
        message = "; ".join(f"{name}: {problem}" for name, problem in fields.items())
    return error_response(422, "invalid_input", f"invalid request: {message}", fields)


def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)  # noqa: S101 - registered for this class only
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    if exc.status_code == 404:
        message = f"{request.url.path} is not a route of this API; see /docs"
    elif exc.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path}"
    else:
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    return error_response(exc.status_code, code, message, headers=exc.headers)


def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    # Answered by Starlette's outermost middleware, outside SecurityHeadersMiddleware.
    return error_response(500, "internal_error", "an unexpected error occurred; it was logged",
                          headers=security_headers(request.scope))  # fmt: skip


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AsyncfirstError, _domain)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(Exception, _unexpected)
