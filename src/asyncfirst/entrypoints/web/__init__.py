"""The web app: server-rendered pages on the hub's service (Jinja2, a little htmx).

``install_web(app, hub)`` adds to the API's app: the vendored assets at ``/static``, the
HTML error pages for page paths, and every page module in ``web/pages/``. A page module
is any ``pages/<name>.py`` with a module-level ``router = APIRouter()``; it is found and
included automatically, in file-name order, so adding a page touches no other file.

Building blocks for a page: ``render.render`` (templates with ``me``, ``csrf_token`` and
``nav``), ``session.SignedInDep`` (redirects to sign-in) and ``session.CsrfDep`` (every
POST form), ``session.HubDep`` (the hub's context). Templates extend ``base.html``.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from asyncfirst.services.hub_ports import HubContext

__all__ = ["STATIC", "install_web", "page_routers"]

STATIC = Path(__file__).parent / "static"


def page_routers() -> list[APIRouter]:
    """The ``router`` of every module in ``web/pages/``, in file-name order."""
    from asyncfirst.entrypoints.web import pages

    routers = []
    for info in sorted(pkgutil.iter_modules(pages.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{pages.__name__}.{info.name}")
        router = getattr(module, "router", None)
        if isinstance(router, APIRouter):
            routers.append(router)
    return routers


def install_web(app: FastAPI, hub: HubContext, *, secure_cookies: bool | None = None) -> None:
    """Serve the pages on ``app`` (call after the API's error handlers are installed).

    Cookies are marked Secure over https, and always when ``secure_cookies`` is true (by
    default: when ``ASYNCFIRST_ENV=production``).
    """
    from asyncfirst.config import settings
    from asyncfirst.entrypoints.web.errors import install_web_error_handlers
    from asyncfirst.entrypoints.web.limits import SignInLimiter
    from asyncfirst.services.web_sessions import SessionCache

    if secure_cookies is None:
        secure_cookies = settings().env == "production"
    app.state.web_secure_cookies = secure_cookies
    app.state.sign_in_limiter = SignInLimiter()
    app.state.web_sessions = SessionCache()
    if getattr(app.state, "hub", None) is None:
        app.state.hub = hub
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    install_web_error_handlers(app)
    for router in page_routers():
        app.include_router(router, include_in_schema=False)
