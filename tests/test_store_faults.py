"""Store fault paths: outcomes kept at a locked shutdown are applied once at next start; a damaged line is skipped."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.store import UNRECORDED_FILE, Store

NOW = datetime(2025, 10, 20, 10, 0, tzinfo=UTC)


def test_outcomes_kept_beside_a_locked_database_are_recorded_at_the_next_start_and_the_file_removed(
    tmp_path: Path,
) -> None:
    """Two deliveries sent while the database was locked are 'sent' after recovery; damaged line skipped; file gone."""
    store = Store(tmp_path / "bot.sqlite3")
    store.add_subscribers([5, 6, 7], NOW)
    for chat_id in (5, 6, 7):
        assert store.claim("announce:1", chat_id, NOW)
    assert store.keep_unrecorded("announce:1", {5: ("sent", 2), 6: ("blocked", None)})
    with (tmp_path / UNRECORDED_FILE).open("a", encoding="utf-8") as journal:
        journal.write("not json at all\n")
    assert store.recover_unrecorded() == 2
    assert not (tmp_path / UNRECORDED_FILE).exists()
    assert store.delivery_counts("announce:1") == {"sent": 1, "blocked": 1, "sending": 1}
    assert store.parts_sent("announce:1", 5) == 2
    assert store.release_interrupted() == 1  # only chat 7, truly in flight, may be resent
    assert store.recover_unrecorded() == 0
    store.close()


def test_keeping_outcomes_fails_cleanly_where_the_folder_cannot_be_written(tmp_path: Path) -> None:
    """If even the file beside the database cannot be written, ``keep_unrecorded`` says so instead of raising."""
    store = Store(tmp_path / "bot.sqlite3")
    (tmp_path / UNRECORDED_FILE).mkdir()  # a folder where the file should go: opening it fails like a full disk would
    assert store.keep_unrecorded("announce:1", {5: ("sent", None)}) is False
    store.close()
    assert Store(":memory:").keep_unrecorded("k", {1: ("sent", None)}) is False
