"""Which of several server processes on one SQLite file runs the background jobs.

The process that holds an exclusive ``flock`` of ``<database>-jobs`` (beside the database,
like SQLite's own ``-wal`` and ``-shm``) runs them; the lock is held until that process
ends, when the kernel lets it go (even after ``kill -9``), so another process takes over
at its next try.
"""

from __future__ import annotations

import fcntl
import os
import threading
import weakref
from pathlib import Path

from sqlalchemy import make_url

__all__ = ["JobLeader", "sqlite_job_leader"]


class JobLeader:
    """``try_lead()``: whether this process runs the jobs (once true, true until it ends)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._lock = threading.Lock()

    def try_lead(self) -> bool:
        with self._lock:
            if self._fd is not None:
                return True
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # another process leads
                os.close(fd)
                return False
            except BaseException:
                os.close(fd)
                raise
            self._fd = fd
            weakref.finalize(self, os.close, fd)  # closing it releases the flock
            return True


# One leader per file in a process (apps on the same file in one process share it), kept
# alive by the apps that hold its ``try_lead``.
_LEADERS: weakref.WeakValueDictionary[str, JobLeader] = weakref.WeakValueDictionary()
_LEADERS_LOCK = threading.Lock()


def sqlite_job_leader(url: str) -> JobLeader | None:
    """The leader lock of a SQLite file; ``None`` for any other database (nothing to share)."""
    parsed = make_url(url)
    name = parsed.database or ""
    if (
        parsed.get_backend_name() != "sqlite"
        or name in ("", ":memory:")
        or name.startswith("file:")
    ):
        return None
    path = str(Path(name).resolve()) + "-jobs"
    with _LEADERS_LOCK:
        leader = _LEADERS.get(path)
        if leader is None:
            leader = _LEADERS[path] = JobLeader(Path(path))
        return leader
