"""Questions written while another process holds the database lock: queued, never lost, dropped by /forget."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from bot.store import Store

NOW = datetime(2025, 10, 20, 10, 0, tzinfo=UTC)


def test_a_locked_database_queues_questions_and_forget_drops_the_users_own(tmp_path: Path) -> None:
    """Under another process's write lock questions queue; /forget drops one user's; the rest are saved later."""
    store = Store(tmp_path / "bot.sqlite3")
    assert store.deferred is not None
    other = sqlite3.connect(tmp_path / "bot.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    store.record_question("is there parking for bikes", "en", None, 10.0, "decline", NOW, asker=5)
    store.record_question("do you sell pizza", "en", None, 10.0, "decline", NOW, asker=6)
    assert store.deferred.waiting == 2
    store.deferred.discard(store.pseudonym(5))  # what /forget does first
    other.execute("COMMIT")
    other.close()
    assert store.deferred.flush(10)
    assert [q.text for q in store.unanswered(since_days=1, now=NOW)] == ["do you sell pizza"]
    # unlocked: stored at once
    store.record_question("and coffee?", "en", None, 10.0, "decline", NOW, asker=6)
    assert store.deferred.waiting == 0
    with sqlite3.connect(tmp_path / "bot.sqlite3") as reader:
        assert reader.execute("SELECT COUNT(*) FROM questions").fetchone()[0] == 2
    store.close()


def test_closing_while_still_locked_reports_what_could_not_be_stored(tmp_path: Path) -> None:
    """Shutting down while the lock is still held waits a bounded time and says how many questions were not stored."""
    store = Store(tmp_path / "bot.sqlite3")
    assert store.deferred is not None
    other = sqlite3.connect(tmp_path / "bot.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        store.record_question("is there parking for bikes", "en", None, 10.0, "decline", NOW, asker=5)
        assert store.deferred.close(timeout=0.1) == 1
    finally:
        other.execute("ROLLBACK")
        other.close()
        store.db.close()
