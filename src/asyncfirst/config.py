"""Typed settings, read once from the environment; insecure defaults refused outside development.

ASYNCFIRST_ENV            development (default) | production
ASYNCFIRST_DATA_DIR       where the embedded SQLite database lives
                          (default: the platform's user data folder + "asyncfirst")
ASYNCFIRST_DATABASE_URL   a SQLAlchemy URL; postgresql://… uses psycopg 3
                          (default: sqlite:///<data dir>/asyncfirst.db)
ASYNCFIRST_PUBLIC_URL     the service's address as people reach it, for links in
                          notifications (e.g. https://hub.example.org); optional
ASYNCFIRST_SMTP_HOST      the SMTP server for email notifications (unset: no email)
ASYNCFIRST_SMTP_PORT      its port (default 587)
ASYNCFIRST_SMTP_FROM      the sender address (required with a host)
ASYNCFIRST_SMTP_USER      optional login, with ASYNCFIRST_SMTP_PASSWORD
ASYNCFIRST_SMTP_STARTTLS  true (default) | false; production refuses a login without it
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from asyncfirst.domain.errors import AsyncfirstError

__all__ = ["ConfigError", "Settings", "SmtpSettings", "load_settings", "settings"]

Environment = Literal["development", "production"]
_ENVIRONMENTS: tuple[Environment, ...] = ("development", "production")
_TEMP_ROOTS = ("/tmp", "/var/tmp", "/dev/shm")  # noqa: S108 - the point is to refuse them


class ConfigError(AsyncfirstError):
    """A setting that cannot be used; the message names the variable and what would do."""

    code = "invalid_config"


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    sender: str
    port: int = 587
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = True


@dataclass(frozen=True, slots=True)
class Settings:
    env: Environment
    data_dir: Path
    database_url: str
    smtp: SmtpSettings | None = None
    public_url: str | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def sqlite_path(self) -> Path | None:
        """The database file of a ``sqlite:///path`` URL (``None`` for memory or other backends)."""
        prefix = "sqlite:///"
        if not self.database_url.startswith(prefix):
            return None
        path = self.database_url[len(prefix) :].split("?", 1)[0]
        return Path(path) if path and path != ":memory:" else None


def _default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("asyncfirst", appauthor=False))


def _under_temp(path: Path) -> bool:
    roots = {Path(root) for root in _TEMP_ROOTS} | {Path(tempfile.gettempdir())}
    resolved = path.expanduser().absolute()
    return any(resolved == root or root in resolved.parents for root in roots)


_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def _smtp(environ: Mapping[str, str], environment: Environment) -> SmtpSettings | None:
    def get(name: str) -> str:
        return environ.get(f"ASYNCFIRST_SMTP_{name}", "").strip()

    host = get("HOST")
    if not host:
        return None
    sender = get("FROM")
    if "@" not in sender:
        raise ConfigError(
            f'ASYNCFIRST_SMTP_FROM="{sender}" must be the sender\'s email address '
            "(e.g. asyncfirst@example.org) when ASYNCFIRST_SMTP_HOST is set",
            variable="ASYNCFIRST_SMTP_FROM",
        )
    port_text = get("PORT") or "587"
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ConfigError(
            f'ASYNCFIRST_SMTP_PORT="{port_text}" is not a port number (1-65535; usually 587)',
            variable="ASYNCFIRST_SMTP_PORT",
        )
    starttls_text = get("STARTTLS").lower() or "true"
    if starttls_text not in _TRUE + _FALSE:
        raise ConfigError(
            f'ASYNCFIRST_SMTP_STARTTLS="{starttls_text}" is not true or false',
            variable="ASYNCFIRST_SMTP_STARTTLS",
        )
    user, password = get("USER") or None, environ.get("ASYNCFIRST_SMTP_PASSWORD") or None
    starttls = starttls_text in _TRUE
    if environment == "production" and user is not None and not starttls:
        raise ConfigError(
            "ASYNCFIRST_SMTP_STARTTLS=false would send the SMTP password in clear text; "
            "in production keep STARTTLS on",
            variable="ASYNCFIRST_SMTP_STARTTLS",
        )
    return SmtpSettings(host, sender, int(port_text), user, password, starttls)


def _public_url(environ: Mapping[str, str]) -> str | None:
    url = environ.get("ASYNCFIRST_PUBLIC_URL", "").strip().rstrip("/")
    if url and not url.startswith(("http://", "https://")):
        raise ConfigError(
            f'ASYNCFIRST_PUBLIC_URL="{url}" must start with https:// (or http://)',
            variable="ASYNCFIRST_PUBLIC_URL",
        )
    return url or None


def load_settings(environ: Mapping[str, str]) -> Settings:
    """Settings from ``environ``; raises ``ConfigError`` for a value that cannot be used."""
    env = environ.get("ASYNCFIRST_ENV", "development").strip().lower() or "development"
    if env not in _ENVIRONMENTS:
        raise ConfigError(
            f'ASYNCFIRST_ENV="{env}" is not one of: {", ".join(_ENVIRONMENTS)}',
            variable="ASYNCFIRST_ENV",
        )
    environment: Environment = "production" if env == "production" else "development"
    data_dir_text = environ.get("ASYNCFIRST_DATA_DIR", "").strip()
    data_dir = Path(data_dir_text).expanduser() if data_dir_text else _default_data_dir()
    url = environ.get("ASYNCFIRST_DATABASE_URL", "").strip()
    result = Settings(
        environment, data_dir, url or f"sqlite:///{data_dir / 'asyncfirst.db'}",
        _smtp(environ, environment), _public_url(environ),
    )  # fmt: skip
    if environment == "production":
        if result.database_url in ("sqlite://", "sqlite:///:memory:"):
            raise ConfigError(
                "ASYNCFIRST_DATABASE_URL is an in-memory SQLite database, which loses "
                "everything on exit; in production give a file or a PostgreSQL URL",
                variable="ASYNCFIRST_DATABASE_URL",
            )
        path = result.sqlite_path
        if path is not None and _under_temp(path):
            variable = "ASYNCFIRST_DATABASE_URL" if url else "ASYNCFIRST_DATA_DIR"
            raise ConfigError(
                f"{variable} puts the database in a temporary folder ({path}), which the "
                "system may empty; in production choose a persistent folder",
                variable=variable,
            )
    return result


@cache
def settings() -> Settings:
    """The process's settings, read from the environment the first time they are needed."""
    return load_settings(os.environ)
