"""Sign in (a password or a personal API token), sign out, and ``/`` leading to My day."""

from __future__ import annotations

import hmac
import math
import secrets
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from asyncfirst.domain.access_errors import UnauthenticatedError
from asyncfirst.entrypoints.web.errors import error_page
from asyncfirst.entrypoints.web.limits import SignInLimiter
from asyncfirst.entrypoints.web.render import render
from asyncfirst.entrypoints.web.session import (
    COOKIE,
    CsrfDep,
    HubDep,
    clear_session_cookie,
    local_path,
    optional_person,
    session_cache,
    set_session_cookie,
)
from asyncfirst.services.web_sessions import (
    SESSION_LIFETIME,
    NewSession,
    sign_in_with_password,
    sign_in_with_token,
    sign_out,
)

__all__ = ["router"]

router = APIRouter()

SIGN_IN_COOKIE = "af_signin"  # a per-browser token the sign-in forms post back (login CSRF)
_FORM_EXPIRED = "The sign-in form had expired. It has been reloaded: please try again."


def _form(
    request: Request, next_path: str, *, error: str = "", person: str = "", status: int = 200
) -> Response:
    token = request.cookies.get(SIGN_IN_COOKIE) or secrets.token_urlsafe(24)
    response = render(
        request,
        "sign_in.html",
        {"next": next_path, "error": error, "person": person, "form_token": token},
        status_code=status,
    )
    response.set_cookie(
        SIGN_IN_COOKIE, token, max_age=3600, httponly=True, samesite="lax", path="/sign-in",
        secure=request.url.scheme == "https" or bool(request.app.state.web_secure_cookies),
    )  # fmt: skip
    return response


@router.get("/")
def home() -> Response:
    return RedirectResponse("/day", status_code=303)


@router.get("/sign-in")
def sign_in_page(request: Request, next: str = "/day") -> Response:
    if optional_person(request) is not None:  # already signed in: straight on
        return RedirectResponse(local_path(next), status_code=303)
    request.state.signed_in = None
    return _form(request, local_path(next))


def _limited(
    request: Request, limiter: SignInLimiter, address: str, account: str, now: datetime
) -> Response | None:
    wait = limiter.retry_after(address, account, now)
    if wait is None:
        return None
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return error_page(
        request,
        429,
        f"Too many failed sign-ins for this account from your address. "
        f"Wait {minutes} minute{'s' if minutes != 1 else ''} and try again.",
        {"Retry-After": str(math.ceil(wait.total_seconds()))},
    )


@router.post("/sign-in")
def sign_in(
    request: Request,
    hub: HubDep,
    method: Annotated[str, Form()] = "password",
    person: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    token: Annotated[str, Form()] = "",
    form_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/day",
) -> Response:
    target = local_path(next)
    expected = request.cookies.get(SIGN_IN_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, form_token):
        return _form(request, target, error=_FORM_EXPIRED, person=person, status=403)
    limiter: SignInLimiter = request.app.state.sign_in_limiter
    address = request.client.host if request.client else "unknown"
    account = person.strip().lower() if method == "password" else "token"
    now = hub.clock.now()
    refused = _limited(request, limiter, address, account, now)
    if refused is not None:
        return refused
    session: NewSession
    try:
        if method == "token":
            session = sign_in_with_token(hub.unit_of_work(), hub.clock, token)
        else:
            session = sign_in_with_password(hub.unit_of_work(), hub.clock, person, password)
    except UnauthenticatedError as error:
        limiter.failed(address, account, now)
        message = error.message[:1].upper() + error.message[1:] + "."
        return _form(request, target, error=message, person=person, status=401)
    limiter.succeeded(address, account)
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(request, response, session.cookie, int(SESSION_LIFETIME.total_seconds()))
    response.delete_cookie(SIGN_IN_COOKIE, path="/sign-in")
    return response


@router.post("/sign-out")
def sign_out_page(request: Request, hub: HubDep, me: CsrfDep) -> Response:
    sign_out(hub.unit_of_work(), hub.clock, request.cookies.get(COOKIE, ""), session_cache(request))
    response = RedirectResponse("/sign-in", status_code=303)
    clear_session_cookie(request, response)
    return response
