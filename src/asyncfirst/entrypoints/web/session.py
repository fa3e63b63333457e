"""Who is signed in, and the CSRF check every POST form goes through.

Use in a page module::

    from asyncfirst.entrypoints.web.session import CsrfDep, SignedInDep

    @router.get("/team")
    def team_page(request: Request, hub: HubDep, me: SignedInDep) -> HTMLResponse: ...

    @router.post("/team/something")
    def post_something(request: Request, hub: HubDep, me: CsrfDep) -> Response: ...

``SignedInDep`` redirects to ``/sign-in?next=<this page>`` when nobody is signed in (or the
session was revoked or expired). ``CsrfDep`` is the same person, after checking that the
form's ``csrf_token`` field (or an ``X-CSRF-Token`` header, for htmx) is this session's
token; otherwise the answer is the 403 page.
"""

from __future__ import annotations

from typing import Annotated, cast
from urllib.parse import quote

from fastapi import Depends, Request, Response
from fastapi.concurrency import run_in_threadpool

from asyncfirst.domain.access_errors import ForbiddenError, UnauthenticatedError
from asyncfirst.domain.errors import AsyncfirstError
from asyncfirst.entrypoints.api.deps import HubDep
from asyncfirst.services.web_sessions import SessionCache, SignedIn, csrf_matches, signed_in

__all__ = [
    "COOKIE",
    "CsrfDep",
    "HubDep",
    "SignInRequired",
    "SignedInDep",
    "clear_session_cookie",
    "current_person",
    "local_path",
    "optional_person",
    "require_csrf",
    "session_cache",
    "set_session_cookie",
]

COOKIE = "af_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


class SignInRequired(Exception):
    """Nobody is signed in: the web error handler answers with a redirect to the sign-in page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def local_path(value: str | None, default: str = "/day") -> str:
    """``value`` when it is a path on this site (``/team?week=3``), else ``default``."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    return value


def sign_in_url(next_path: str) -> str:
    return "/sign-in" if next_path in ("/", "/day") else f"/sign-in?next={quote(next_path)}"


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or bool(
        getattr(request.app.state, "web_secure_cookies", False)
    )


def set_session_cookie(request: Request, response: Response, cookie: str, max_age: int) -> None:
    """HttpOnly, SameSite=Lax, Secure over https or when configured (production)."""
    response.set_cookie(
        COOKIE, cookie, max_age=max_age, httponly=True, samesite="lax", secure=_secure(request),
        path="/",
    )  # fmt: skip


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(COOKIE, httponly=True, samesite="lax", secure=_secure(request), path="/")


def session_cache(request: Request) -> SessionCache | None:
    """The app's cache of live sessions (``install_web`` makes one)."""
    return cast(SessionCache | None, getattr(request.app.state, "web_sessions", None))


async def current_person(request: Request, hub: HubDep) -> SignedIn:
    """The signed-in person (also kept on ``request.state.signed_in`` for ``render``).

    A session seen in the last few seconds comes from the app's ``SessionCache`` without a
    hop to the thread pool; otherwise it is read on the pool, in a read-only transaction.
    """
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    cookie = request.cookies.get(COOKIE)
    if not cookie:
        raise SignInRequired(path)
    cache = session_cache(request)
    me = cache.get(cookie, hub.clock.now()) if cache is not None else None
    if me is None:
        try:
            me = await run_in_threadpool(
                signed_in, hub.read_unit_of_work(), hub.clock, cookie, cache
            )
        except UnauthenticatedError:
            raise SignInRequired(path) from None
    request.state.signed_in = me
    return me


SignedInDep = Annotated[SignedIn, Depends(current_person)]


def optional_person(request: Request) -> SignedIn | None:
    """The signed-in person if there is one (error pages show the nav then), else None."""
    found: SignedIn | None = getattr(request.state, "signed_in", None)
    cookie = request.cookies.get(COOKIE)
    if found is None and cookie:
        hub = request.app.state.hub
        try:
            found = signed_in(hub.read_unit_of_work(), hub.clock, cookie, session_cache(request))
        except AsyncfirstError:
            return None
        request.state.signed_in = found
    return found


async def require_csrf(request: Request, me: SignedInDep) -> SignedIn:
    """The signed-in person, once the form's CSRF token is shown to be theirs (403 otherwise)."""
    submitted = request.headers.get(CSRF_HEADER)
    if submitted is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        submitted = value if isinstance(value, str) else None
    if not csrf_matches(me, submitted):
        raise ForbiddenError(
            "this form was not sent from an asyncfirst page you have open, or it is out of "
            "date; go back, reload the page and send it again",
            reason="csrf",
        )
    return me


CsrfDep = Annotated[SignedIn, Depends(require_csrf)]
