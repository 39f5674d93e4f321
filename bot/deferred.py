"""Writes that may wait: while SQLite cannot take them (a lock, a full disk) they queue in a thread, off the event loop.

A question must never be lost and never delay an answer: ``Store.write_questions`` (and a
helpdesk ticket) tries once without waiting; if the database is locked or full the inserts are
handed to this queue, kept in memory, whose thread (with its own connection) retries until
the database takes it, for as long as the process runs. ``discard`` drops a
user's queued rows (for /forget); ``close`` waits a bounded time for the queue to empty.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


# SQLite's primary result codes for faults that pass: another connection's lock, a full disk, an I/O error.
PASSING_FAULTS = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR})


def unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` is a passing storage fault (locked, full, I/O error) to wait out, rather than a bug."""
    return isinstance(exc, sqlite3.OperationalError) and (getattr(exc, "sqlite_errorcode", 0) & 0xFF) in PASSING_FAULTS


@dataclass
class _Write:
    table: str
    sql: str
    params: tuple[Any, ...]
    owner: str | None
    undo: tuple[str, tuple[Any, ...]] | None = None  # how to remove it again if /forget came while it was written
    dropped: bool = False


class DeferredWrites:
    """A queue of inserts retried in one background thread until the database accepts them."""

    def __init__(self, path: Path, retry_seconds: float = 0.2) -> None:
        self.path = path
        self.retry_seconds = retry_seconds
        self._pending: deque[_Write] = deque()
        self._current: _Write | None = None
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closing = False

    def submit(
        self,
        table: str,
        sql: str,
        params: tuple[Any, ...],
        owner: str | None = None,
        undo: tuple[str, tuple[Any, ...]] | None = None,
    ) -> None:
        """Queue a write to ``table`` (``owner``: whose row, for ``discard``; ``undo``: SQL removing it); returns now.

        Without ``undo``, a write discarded while being stored is removed by the rowid its insert got.
        """
        self._queue([_Write(table, sql, params, owner, undo)])

    def submit_all(self, table: str, sql: str, rows: Sequence[tuple[tuple[Any, ...], str | None]]) -> None:
        """Queue one insert per (params, owner) of ``rows`` into ``table``; returns now."""
        self._queue([_Write(table, sql, params, owner) for params, owner in rows])

    def _queue(self, writes: list[_Write]) -> None:
        """Append ``writes`` to the queue, starting its thread if needed, and say so once in the log."""
        with self._changed:
            self._pending.extend(writes)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="deferred-writes", daemon=True)
                self._thread.start()
            self._changed.notify_all()
        log.warning(
            "the database cannot be written (locked or full): %s %s row(s) queued, to be stored when it can",
            len(writes),
            writes[0].table,
        )

    def discard(self, owner: str) -> None:
        """Drop every queued row of ``owner`` (the one being written is deleted right after)."""
        with self._changed:
            self._pending = deque(w for w in self._pending if w.owner != owner)
            if self._current is not None and self._current.owner == owner:
                self._current.dropped = True

    @property
    def waiting(self) -> int:
        """Rows not stored yet."""
        with self._changed:
            return len(self._pending) + (self._current is not None)

    def flush(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for every queued row to be stored; whether it was."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._pending and self._current is None, timeout)

    def close(self, timeout: float = 10.0) -> int:
        """Stop after storing what is queued (waiting at most ``timeout`` s); returns how many rows were not stored."""
        done = self.flush(timeout)
        with self._changed:
            self._closing = True
            self._changed.notify_all()
            left = 0 if done else len(self._pending) + (self._current is not None)
        if left:
            log.error("the database stayed locked: %s queued question(s) could not be stored", left)
        return left

    def _run(self) -> None:
        db = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
        db.execute(f"PRAGMA busy_timeout={int(self.retry_seconds * 1000)}")
        db.execute("PRAGMA secure_delete=ON")
        try:
            while True:
                with self._changed:
                    self._changed.wait_for(lambda: bool(self._pending) or self._closing)
                    if self._closing:
                        return
                    write = self._current = self._pending.popleft()
                stored = self._store(db, write)
                with self._changed:
                    if not stored and not write.dropped:
                        self._pending.appendleft(write)  # still locked: try again after the busy timeout
                    self._current = None
                    self._changed.notify_all()
        finally:
            db.close()

    def _store(self, db: sqlite3.Connection, write: _Write) -> bool:
        """Insert one row (and delete it again if /forget came meanwhile); ``False`` while the database is locked."""
        try:
            rowid = db.execute(write.sql, write.params).lastrowid
            with self._changed:
                dropped = write.dropped
            if dropped and write.undo is not None:
                db.execute(*write.undo)
            elif dropped:
                db.execute(f"DELETE FROM {write.table} WHERE rowid = ?", (rowid,))  # noqa: S608 - table from our code
        except sqlite3.OperationalError as exc:
            if unavailable(exc):
                return False
            log.error("a queued %s row could not be stored: %s", write.table, exc)
        return True
