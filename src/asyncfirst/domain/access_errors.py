"""Access errors: who is asking, and whether they may. A branch of the one hierarchy.

    AsyncfirstError
    └── AuthError                 auth_error        HTTP 401/403/404 (entrypoints/api/errors.py)
        ├── UnauthenticatedError  unauthenticated   401  no token, an unknown or a revoked one
        ├── ForbiddenError        forbidden         403  the actor sees the thing but may not do this
        └── NotFoundError         not_found         404  missing, or hidden from this actor

A thing the actor may not see is reported exactly like one that does not exist, so that
the answer never tells a member of one team what another team has.
"""

from __future__ import annotations

from asyncfirst.domain.errors import AsyncfirstError

__all__ = ["AuthError", "ForbiddenError", "NotFoundError", "UnauthenticatedError"]


class AuthError(AsyncfirstError):
    """Base of the errors about identity and permission."""

    code = "auth_error"


class UnauthenticatedError(AuthError):
    """No valid credentials: a missing, malformed, unknown or revoked token."""

    code = "unauthenticated"


class ForbiddenError(AuthError):
    """The actor is known and may see the resource, but may not perform this action on it."""

    code = "forbidden"


class NotFoundError(AuthError):
    """The resource does not exist, or the actor may not know that it does."""

    code = "not_found"
