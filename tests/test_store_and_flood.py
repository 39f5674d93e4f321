"""The SQLite store's schema and durability, and the flood guard's window."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.flood import FloodGuard, Verdict
from bot.store import MIGRATIONS, QUESTION_BATCH, Store

NOW = datetime(2025, 10, 20, 8, tzinfo=UTC)


def test_store_is_created_migrated_and_durable(tmp_path: Path) -> None:
    """A new database is created at the latest schema in WAL mode; subscriptions survive reopening."""
    path = tmp_path / "new" / "bot.sqlite3"
    store = Store(path)
    assert store.schema_version == len(MIGRATIONS)
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    store.subscribe(5, NOW, "nl")
    store.claim("reminder:x", 5, NOW)
    store.mark("reminder:x", 5, "sent", NOW)
    store.close()
    reopened = Store(path)
    assert reopened.schema_version == len(MIGRATIONS)
    assert reopened.subscribers() == [(5, "nl")]
    assert reopened.pending("reminder:x") == []
    assert reopened.claim("reminder:x", 5, NOW) is False  # sent once means never again
    reopened.close()


def stored_questions(path: Path) -> list[str]:
    """The question texts another connection (a backup, ``bot stats``) reads from the database file."""
    with sqlite3.connect(path) as other:
        return [row[0] for row in other.execute("SELECT text FROM questions ORDER BY id")]


def test_answered_questions_are_written_together_and_one_that_keeps_its_text_at_once(tmp_path: Path) -> None:
    """Answered questions (no text kept) reach the file in batches; a declined one at once; /stats counts them all."""
    path = tmp_path / "bot.sqlite3"
    store = Store(path)
    store.record_question("", "en", "date", 95.0, "answer", NOW, asker=6)
    assert stored_questions(path) == []  # noted, not yet written
    assert store.stats(NOW, NOW).questions_total == 1  # reading writes what is noted first
    assert stored_questions(path) == [""]
    store.record_question("", "en", "date", 95.0, "answer", NOW, asker=6)
    store.record_question("is there parking", "en", None, 10.0, "decline", NOW, asker=5)
    assert stored_questions(path) == ["", "", "is there parking"]  # written at once, with those noted before
    for _ in range(QUESTION_BATCH - 1):
        store.record_question("", "en", "venue", 95.0, "answer", NOW, asker=7)
    assert len(stored_questions(path)) == 3
    store.record_question("", "en", "venue", 95.0, "answer", NOW, asker=7)
    assert len(stored_questions(path)) == 3 + QUESTION_BATCH  # a full batch is written without being asked
    store.close()


def test_forget_drops_the_users_answered_questions_not_yet_written_and_close_writes_the_rest(tmp_path: Path) -> None:
    """/forget right after asking: that user's noted question is never written; the others are when the store closes."""
    path = tmp_path / "bot.sqlite3"
    store = Store(path)
    store.record_question("", "en", "date", 95.0, "answer", NOW, asker=5)
    store.record_question("", "en", "venue", 95.0, "answer", NOW, asker=6)
    store.forget(5, 5)
    assert store.rows_about(5, 5) == 0
    store.close()
    with sqlite3.connect(path) as other:
        assert [row[0] for row in other.execute("SELECT faq_id FROM questions")] == ["venue"]


def test_a_question_the_database_refuses_is_lost_alone_and_the_others_are_kept(tmp_path: Path) -> None:
    """A row SQLite refuses for no passing reason (a trigger) raises; the answered ones noted before it are kept."""
    path = tmp_path / "bot.sqlite3"
    store = Store(path)
    store.db.execute(
        "CREATE TRIGGER refuse BEFORE INSERT ON questions WHEN NEW.text = 'boom' BEGIN SELECT RAISE(ABORT, 'no'); END"
    )
    for asker in range(3):
        store.record_question("", "en", "date", 95.0, "answer", NOW, asker=asker)
    with pytest.raises(sqlite3.Error):
        store.record_question("boom", "en", None, 10.0, "decline", NOW, asker=9)
    assert stored_questions(path) == ["", "", ""]
    store.close()


def test_failed_deliveries_are_retried_until_the_attempt_limit(tmp_path: Path) -> None:
    """A failed delivery stays pending for a retry, up to five attempts, then is given up on."""
    store = Store(tmp_path / "bot.sqlite3")
    store.subscribe(9, NOW)
    for _ in range(5):
        assert store.pending("k") == [(9, None)]
        assert store.claim("k", 9, NOW)
        store.mark("k", 9, "failed", NOW)
    assert store.pending("k") == []
    assert store.delivery_counts("k") == {"failed": 1}


def test_flood_guard_allows_the_limit_notices_once_then_drops_until_the_window_passes() -> None:
    """Three per minute: the fourth gets one notice, the fifth is dropped, a minute later all is well."""
    guard = FloodGuard(limit_per_minute=3)
    verdicts = [guard.check(1, 100.0 + i) for i in range(5)]
    assert verdicts == [Verdict.ALLOW, Verdict.ALLOW, Verdict.ALLOW, Verdict.NOTICE, Verdict.DROP]
    assert guard.check(2, 104.0) is Verdict.ALLOW  # other users are unaffected
    assert guard.check(1, 161.0) is Verdict.ALLOW


def test_flood_guard_forgets_idle_users() -> None:
    """Users silent for a minute are dropped from memory; active users keep their count."""
    guard = FloodGuard(limit_per_minute=3)
    guard.check(1, 0.0)
    for second in (50.0, 51.0, 52.0):
        guard.check(2, second)
    assert guard.tracked == 2
    guard.forget_idle(61.0)
    assert guard.tracked == 1
    assert guard.check(2, 61.0) is Verdict.NOTICE  # user 2 was not forgotten: still over the limit
    assert guard.check(1, 61.0) is Verdict.ALLOW


def test_subscriptions_and_languages_are_remembered_per_chat() -> None:
    """Subscribing twice or unsubscribing twice says so; a chosen language survives subscribing in another."""
    store = Store(":memory:")
    assert (store.is_subscribed(1), store.language(1)) == (False, None)
    store.set_language(1, "fr")
    assert store.subscribe(1, NOW, "nl") is True
    assert store.subscribe(1, NOW, "nl") is False
    assert (store.is_subscribed(1), store.language(1)) == (True, "fr")  # the chat's own choice wins
    assert store.subscribe(2, NOW, "nl") is True
    assert store.subscribers() == [(1, "fr"), (2, "nl")]
    assert store.unsubscribe(1) is True
    assert store.unsubscribe(1) is False
    assert (store.is_subscribed(1), store.subscribers()) == (False, [(2, "nl")])
    assert store.subscribe(1, NOW) is True  # subscribing again after /stop works
    store.set_language(2, "en")
    assert store.subscribers() == [(1, "fr"), (2, "en")]
    store.add_subscribers([3, 2], NOW)
    assert [chat for chat, _ in store.subscribers()] == [1, 2, 3]
