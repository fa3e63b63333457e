"""Read calendar bytes from a file, a folder of ``.ics`` files, or an http(s)/webcal URL.

A calendar URL is usually a person's *secret* address, so messages name only its scheme
and host, never the path or query that holds the secret. Downloads have a time-out (per
operation and overall), a size limit and at most five redirects; every failure is one
``CalendarError`` that says what went wrong.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from asyncfirst.domain.errors import CalendarError

__all__ = ["DEFAULT_LIMITS", "Limits", "RawCalendar", "fetch_url", "read_source", "redact"]

_MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """How long and how much a download may take."""

    timeout_seconds: float = 20.0
    max_bytes: int = 10 * _MIB
    max_redirects: int = 5
    max_file_bytes: int = 64 * _MIB


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class RawCalendar:
    """The bytes of one calendar and a name for it that is safe to show."""

    name: str
    data: bytes


def read_source(
    source: str, limits: Limits = DEFAULT_LIMITS, transport: httpx.BaseTransport | None = None
) -> list[RawCalendar]:
    """The calendars at ``source``: one for a file or URL, each ``*.ics`` of a folder."""
    scheme = urlsplit(source).scheme.lower()
    if scheme in ("http", "https", "webcal", "webcals"):
        return [fetch_url(source, limits, transport)]
    if scheme and len(scheme) > 1:
        raise CalendarError(
            f"cannot read calendars from a {scheme}: address; use a file, a folder "
            "or an http(s) URL",
            source=scheme,
        )
    path = Path(source).expanduser()
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".ics" and p.is_file())
        if not files:
            raise CalendarError(f"folder {path} holds no .ics files", source=str(path))
        return [_read_file(file, limits) for file in files]
    return [_read_file(path, limits)]


def _read_file(path: Path, limits: Limits) -> RawCalendar:
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise CalendarError(
                f"{path} is {size / _MIB:.1f} MiB, more than the "
                f"{limits.max_file_bytes / _MIB:.0f} MiB a calendar may have",
                source=str(path),
            )
        return RawCalendar(str(path), path.read_bytes())
    except FileNotFoundError:
        raise CalendarError(f"no such calendar file: {path}", source=str(path)) from None
    except OSError as error:
        raise CalendarError(
            f"cannot read {path}: {error.strerror or error}", source=str(path)
        ) from error


def redact(url: str) -> str:
    """``https://host/…`` — the address without the path and query that hold the secret."""
    parts = urlsplit(url)
    host = parts.hostname or "?"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}/…"


def fetch_url(
    url: str, limits: Limits = DEFAULT_LIMITS, transport: httpx.BaseTransport | None = None
) -> RawCalendar:
    """Download one calendar, within ``limits``; ``webcal://`` is read as ``https://``."""
    if url.lower().startswith("webcal"):
        url = "https" + url[url.index(":") :]
    shown = redact(url)
    deadline = time.monotonic() + limits.timeout_seconds
    try:
        with (
            httpx.Client(
                follow_redirects=True,
                max_redirects=limits.max_redirects,
                timeout=limits.timeout_seconds,
                transport=transport,
                headers={"Accept": "text/calendar, */*;q=0.5"},
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code != httpx.codes.OK:
                raise CalendarError(
                    f"{shown} answered HTTP {response.status_code} "
                    f"{response.reason_phrase}".rstrip(),
                    source=shown,
                    status=response.status_code,
                )
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limits.max_bytes:
                raise _too_large(shown, limits)
            chunks: list[bytes] = []
            received = 0
            for chunk in response.iter_bytes():
                received += len(chunk)
                if received > limits.max_bytes:
                    raise _too_large(shown, limits)
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout("overall time-out", request=response.request)
                chunks.append(chunk)
            return RawCalendar(shown, b"".join(chunks))
    except httpx.TooManyRedirects:
        raise CalendarError(
            f"{shown} redirected more than {limits.max_redirects} times", source=shown
        ) from None
    except httpx.TimeoutException:
        raise CalendarError(
            f"{shown} did not answer within {limits.timeout_seconds:g} s", source=shown
        ) from None
    except httpx.HTTPError as error:
        raise CalendarError(
            f"cannot download {shown}: {type(error).__name__}", source=shown
        ) from None


def _too_large(shown: str, limits: Limits) -> CalendarError:
    return CalendarError(
        f"{shown} sent more than {limits.max_bytes / _MIB:g} MiB; "
        "that is too large for one calendar",
        source=shown,
    )
