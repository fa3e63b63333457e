"""Server-side rendering: one Jinja2 environment over ``templates/`` and ``render``.

Templates stay dumb: the view models in ``services/`` compute and word everything; a
template only lays it out. Autoescaping is on and undefined names raise (``StrictUndefined``),
so a misspelt field fails a test instead of rendering as an empty string.

Every page gets ``me`` (the signed-in ``SignedIn`` or None), ``csrf_token`` (put it in every
POST form as ``<input type="hidden" name="csrf_token" value="{{ csrf_token }}">``), ``nav``
(the main navigation with the current page marked) and ``request``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from asyncfirst.services.web_sessions import SignedIn

__all__ = ["NAV", "SECURITY_HEADERS", "NavItem", "environment", "render"]

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True, slots=True)
class NavItem:
    label: str
    href: str
    current: bool = False


NAV: tuple[tuple[str, str], ...] = (
    ("My day", "/day"),
    ("Team", "/team"),
    ("Time map", "/time-map"),
    ("Planner", "/planner"),
    ("Coffee", "/coffee"),
)

# Scripts, styles and images only from this site; no inline script; no framing.
SECURITY_HEADERS: Mapping[str, str] = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def _hm(value: datetime) -> str:
    """``14:05`` (the value is already in the zone to show)."""
    return value.strftime("%H:%M")


def _day(value: datetime) -> str:
    """``Fri 27 Nov``."""
    return f"{value:%a} {value.day} {value:%b}"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # the templates ship with the package: no stat() per render
    )
    env.filters["hm"] = _hm
    env.filters["day"] = _day
    return env


def _nav(path: str) -> list[NavItem]:
    return [
        NavItem(label, href, path == href or path.startswith(href + "/")) for label, href in NAV
    ]


def render(
    request: Request,
    template_name: str,
    context: Mapping[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The template rendered with ``context`` plus ``me``, ``csrf_token``, ``nav`` and ``request``."""
    me: SignedIn | None = getattr(request.state, "signed_in", None)
    page = {
        "request": request,
        "me": me,
        "csrf_token": me.csrf if me is not None else "",
        "nav": _nav(request.url.path) if me is not None else [],
        **(context or {}),
    }
    html = environment().get_template(template_name).render(page)
    return HTMLResponse(html, status_code=status_code, headers=dict(SECURITY_HEADERS))
