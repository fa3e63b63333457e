"""Secrets never reach the logs: API tokens and passwords are masked in every log record.

Nothing in asyncfirst logs a token or a password on purpose; this is the safety net for
what it does not control: uvicorn's access log writes each request's full URL, so a client
that puts a token in a query string (``?token=afk_…``) would otherwise have it written
down. ``install_log_redaction`` wraps the process's log record factory, so every record of
every logger (uvicorn's, the app's, a library's) has its message, arguments and traceback
text rewritten when it is created, before any handler or formatter sees it.
A token keeps its public prefix (``afk_`` and 8 characters), so a log line still says
which token was used.
"""

from __future__ import annotations

import logging
import re
from typing import Any

__all__ = ["RedactSecrets", "install_log_redaction", "redact"]

_TOKEN = re.compile(r"(afk_[A-Za-z0-9_-]{8})[A-Za-z0-9_-]+")
_SECRET_PAIR = re.compile(
    r"(?i)\b((?:password|passwd|pass|token|secret|api_key|access_token|form_token|"
    r"csrf_token|[a-z_]*session)=)[^&;\s\"']+"
)
_SET_COOKIE = re.compile(r"(?i)(\bset-cookie\W{1,6}[\w.-]+=)[^;'\"\s]+")
_COOKIE = re.compile(r"(?i)(\bcookie['\"]?\s*[,:]\s*b?['\"]?)[^'\"\n]+")
_BEARER = re.compile(r"(?i)\b(Bearer\s+)(?!afk_)[A-Za-z0-9._~+/=-]{8,}")


def redact(text: str) -> str:
    """``text`` with tokens cut to their prefix; ``password=…``-style values and cookie
    values masked."""
    text = _TOKEN.sub(r"\1…", text)
    text = _SECRET_PAIR.sub(r"\1***", text)
    text = _SET_COOKIE.sub(r"\1***", text)
    text = _COOKIE.sub(r"\1***", text)
    return _BEARER.sub(r"\1***", text)


def _clean(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


class RedactSecrets(logging.Filter):
    """Masks secrets in a record's message, arguments and traceback; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_clean(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _clean(value) for key, value in record.args.items()}
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the handler's to report
            message = None
        if message is not None and redact(message) != message:
            # An argument that is not a string (a URL object, headers) held a secret.
            record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


_installed: list[Any] = []  # the factory installed by this module, once per process


def install_log_redaction() -> None:
    """Redact every log record from now on (calling it again changes nothing)."""
    current = logging.getLogRecordFactory()
    if current in _installed:
        return
    redactor = RedactSecrets()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = current(*args, **kwargs)
        redactor.filter(record)
        return record

    _installed.append(factory)
    logging.setLogRecordFactory(factory)
