"""Storage errors: what a user sees when the database cannot be used (CLI exit 3).

AsyncfirstError
└── StorageError              storage_error         the database refused or failed
    ├── DatabaseUnavailable   database_unavailable  cannot connect or open the file
    ├── SchemaOutOfDate       schema_out_of_date    migrations have not been run
    └── BackupError           backup_error          a backup or restore refused or failed
"""

from __future__ import annotations

from asyncfirst.domain.errors import AsyncfirstError

__all__ = ["BackupError", "DatabaseUnavailable", "SchemaOutOfDate", "StorageError"]


class StorageError(AsyncfirstError):
    """The database refused or failed an operation; the message names the URL (no password)."""

    code = "storage_error"


class DatabaseUnavailable(StorageError):
    """The database cannot be reached or opened; the message says what to check."""

    code = "database_unavailable"


class SchemaOutOfDate(StorageError):
    """The database's schema is behind the code; ``asyncfirst db upgrade`` brings it up."""

    code = "schema_out_of_date"


class BackupError(StorageError):
    """A backup or restore that cannot be done; the message names the file and what to do."""

    code = "backup_error"
