"""Live knowledge: a whole snapshot is swapped, or nothing; and what organisers see from the command line."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.live import LiveKnowledge
from bot.store import Store
from tests.conftest import BEFORE, ROOT


def test_invalid_edit_leaves_the_live_snapshot_untouched(kb_dir: Path) -> None:
    """A rejected reload keeps the very same snapshot object and reports located problems."""
    live = LiveKnowledge(kb_dir)
    before = live.current
    (kb_dir / "faq.yaml").write_text("entries: [\n", encoding="utf-8")
    result = live.reload()
    assert live.current is before
    assert not result.ok
    assert str(result.problems[0]).startswith(f"{kb_dir / 'faq.yaml'}:1: ")


def test_valid_edit_swaps_a_complete_new_snapshot(kb_dir: Path) -> None:
    """A reader holding the old snapshot keeps consistent old answers while new readers get the new ones."""
    live = LiveKnowledge(kb_dir)
    old = live.current
    path = kb_dir / "event.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("venue: null", "venue: Flagey"), encoding="utf-8")
    result = live.reload()
    assert result.changed
    assert result.ok
    assert "at Flagey" in live.current.assistant.answer("where is it", "en", BEFORE).text
    assert "not the exact venue" in old.assistant.answer("where is it", "en", BEFORE).text
    assert old.knowledge.event.venue is None


def test_unanswered_command_lists_grouped_misses(tmp_path: Path) -> None:
    """``python -m bot unanswered`` shows recent misses grouped, most frequent first, with the nearest entry."""
    store = Store(tmp_path / "bot.sqlite3")
    now = datetime.now(UTC)
    for text in ("is there a cloakroom at the venue", "Is there a cloakroom at the venue?", "do you sell pizza"):
        store.record_question(text, "en", None, 30.0, "decline", now)
    store.record_question("ancient question", "en", None, 30.0, "decline", now - timedelta(days=90))
    store.close()
    result = subprocess.run(
        [sys.executable, "-m", "bot", "unanswered"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
        env={"DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "   2x  Is there a cloakroom at the venue? (nearest: venue)"
    assert lines[1].startswith("   1x  do you sell pizza")
    assert "ancient" not in result.stdout
