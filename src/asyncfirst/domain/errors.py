"""The one error hierarchy of asyncfirst.

Every error a user can cause is an ``AsyncfirstError`` with a stable ``code`` and structured
``fields``. Entry points map the tree in one place each (CLI exit code, later HTTP status):

    AsyncfirstError                 code            CLI exit
    ├── InputError                  invalid_input   3   a value given on the command line or API
    │   ├── UnknownZoneError        unknown_zone    3   a time-zone name that IANA does not know
    │   └── UnknownEntityError      unknown_entity  3   a person or team id not in the charter
    ├── CharterError                invalid_charter 3   a charter file that cannot be used
    ├── CalendarError               invalid_calendar 3  a calendar file or URL that cannot be read
    ├── RequestsError               invalid_requests 3  a meeting-requests file (domain/requests.py)
    ├── ConfigError                 invalid_config   3  a setting that cannot be used (config.py)
    ├── DecisionClosedError         decision_closed     409: a decision no longer open (domain/decisions.py)
    ├── AuthError                   auth_error          unauthenticated 401, forbidden 403,
    │                                                   not_found 404 (domain/access_errors.py)
    └── StorageError                storage_error    3  the database refused or failed (adapters/db)
        ├── DatabaseUnavailable     database_unavailable  cannot connect or open the file
        └── SchemaOutOfDate         schema_out_of_date    run: asyncfirst db upgrade

The message of each error is complete on its own: it names the file, entry and key where
it applies, says what was wrong and, where possible, what would be valid.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AsyncfirstError",
    "CalendarError",
    "CharterError",
    "InputError",
    "UnknownEntityError",
    "UnknownZoneError",
]


class AsyncfirstError(Exception):
    """Base of every error a user can cause; never raised for a programming mistake."""

    code = "error"

    def __init__(self, message: str, **fields: Any) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, **self.fields}


class InputError(AsyncfirstError):
    """A value given on the command line or through the API is not valid."""

    code = "invalid_input"


class UnknownZoneError(InputError):
    """A time-zone name that the IANA database does not know."""

    code = "unknown_zone"


class UnknownEntityError(InputError):
    """A person or team id that the charter does not define."""

    code = "unknown_entity"


class CharterError(AsyncfirstError):
    """A charter that cannot be used; the message names file, entry and key."""

    code = "invalid_charter"


class CalendarError(AsyncfirstError):
    """A calendar file or URL that cannot be read as a calendar at all."""

    code = "invalid_calendar"
