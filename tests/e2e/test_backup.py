"""Backup and restore in real processes: ``python -m bot backup`` while ``run`` broadcasts, ``restore``, restart."""

from __future__ import annotations

import asyncio
import json
import signal
import sqlite3
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from bot.store import Store
from bot.telegram_app.broadcast import WORKERS
from tests.conftest import ROOT, fill
from tests.e2e.test_crash import reminder_due_ten_minutes_ago
from tests.e2e.test_process import bot_env, start_bot
from tests.fakes.botapi import FakeBotApi, LoopbackServer

SUBSCRIBERS = range(7000, 7300)


async def command(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    """Run ``python -m bot ARGS`` to the end: its exit status, stdout and stderr."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def rows(database: Path, query: str) -> list[tuple[object, ...]]:
    """The rows ``query`` returns from a database file."""
    with sqlite3.connect(database) as db:
        return db.execute(query).fetchall()


def seed(data: Path) -> None:
    """A DATA_DIR with every test subscriber in it."""
    store = Store(data / "bot.sqlite3")
    store.add_subscribers(SUBSCRIBERS, datetime.now(UTC))
    store.close()


def fake_with_subscribers() -> FakeBotApi:
    """A fake Bot API that knows every subscriber (so sends to them succeed)."""
    api = FakeBotApi()
    for chat_id in SUBSCRIBERS:
        api.user(chat_id)
    return api


def reminders_to(api: FakeBotApi) -> Counter[int]:
    """How many reminders each chat received from ``api``'s bot."""
    return Counter(c.chat_id or 0 for c in api.sent() if c.text.startswith(fill("Tomorrow: {name} in")))


async def test_backup_during_a_broadcast_restores_every_record_and_sends_nothing_twice(
    tmp_path: Path, kb_dir: Path
) -> None:
    """A mid-broadcast backup restored to a new DATA_DIR keeps every subscriber and delivery; nothing sent is resent."""
    reminder_due_ten_minutes_ago(kb_dir)
    data, copy, restored = tmp_path / "data", tmp_path / "backup", tmp_path / "restored"
    seed(data)
    first_api = fake_with_subscribers()
    env = bot_env("", data, KNOWLEDGE_DIR=str(kb_dir), BROADCAST_RATE="25", LOG_LEVEL="INFO")
    async with LoopbackServer(first_api) as server:
        env["TELEGRAM_API_URL"] = server.url
        first = await start_bot(env)
        async with first_api.changed:
            await asyncio.wait_for(first_api.changed.wait_for(lambda: sum(reminders_to(first_api).values()) >= 30), 60)
        received_before_backup = sum(reminders_to(first_api).values())
        status, out, err = await command(env, "backup", str(copy))
        assert (status, err) == (0, "")
        assert out.startswith(f"backed up {copy}: {len(SUBSCRIBERS)} chat(s), ")
        # SIGTERM: the bot stops cleanly, mid-broadcast; what it sent is recorded, the rest waits for the next start.
        first.send_signal(signal.SIGTERM)
        assert await first.wait() == 0, first.stderr
    sent_by_first = reminders_to(first_api)
    assert sum(sent_by_first.values()) < len(SUBSCRIBERS), "the stop must land mid-broadcast"
    assert max(sent_by_first.values()) == 1
    recorded = {row[0] for row in rows(data / "bot.sqlite3", "SELECT chat_id FROM deliveries WHERE state = 'sent'")}
    assert recorded == set(sent_by_first)  # SIGTERM lost nothing: every message that arrived is recorded as sent
    assert rows(data / "bot.sqlite3", "SELECT COUNT(*) FROM deliveries WHERE state NOT IN ('sent')") == [(0,)]

    # The backup: owner-only files, taken while the broadcast ran.
    assert {p.name: p.stat().st_mode & 0o777 for p in copy.iterdir()} == {
        "bot.sqlite3": 0o600,
        "pseudonym.key": 0o600,
        "backup.json": 0o600,
    }
    assert (copy / "pseudonym.key").read_bytes() == (data / "pseudonym.key").read_bytes()
    backed_up_sent = {
        row[0] for row in rows(copy / "bot.sqlite3", "SELECT chat_id FROM deliveries WHERE state = 'sent'")
    }
    assert len(backed_up_sent) >= received_before_backup - WORKERS
    assert backed_up_sent <= set(sent_by_first)

    restore_env = {**env, "DATA_DIR": str(restored), "BROADCAST_RATE": "500"}
    status, out, err = await command(restore_env, "restore", str(copy))
    assert (status, err) == (0, "")
    assert out.startswith(f"restored into {restored}: {len(SUBSCRIBERS)} chat(s), ")
    assert rows(restored / "bot.sqlite3", "SELECT chat_id FROM chats WHERE subscribed = 1 ORDER BY chat_id") == [
        (c,) for c in SUBSCRIBERS
    ]
    assert rows(restored / "bot.sqlite3", "SELECT * FROM deliveries ORDER BY chat_id") == rows(
        copy / "bot.sqlite3", "SELECT * FROM deliveries ORDER BY chat_id"
    )

    second_api = fake_with_subscribers()
    async with LoopbackServer(second_api) as server:
        restore_env["TELEGRAM_API_URL"] = server.url
        second = await start_bot(restore_env)
        try:
            missing = set(SUBSCRIBERS) - backed_up_sent
            async with second_api.changed:
                await asyncio.wait_for(
                    second_api.changed.wait_for(lambda: set(reminders_to(second_api)) >= missing), 60
                )
        finally:
            second.send_signal(signal.SIGTERM)
            assert await second.wait() == 0, second.stderr
    sent_by_second = reminders_to(second_api)
    assert set(sent_by_second) == set(SUBSCRIBERS) - backed_up_sent  # nothing the backup records as sent went out again
    assert max(sent_by_second.values()) == 1
    assert rows(restored / "bot.sqlite3", "SELECT state, COUNT(*) FROM deliveries GROUP BY state") == [
        ("sent", len(SUBSCRIBERS))
    ]


async def test_restore_is_refused_while_a_bot_runs_on_the_data_dir(tmp_path: Path) -> None:
    """``restore`` into a running bot's DATA_DIR exits 1 with one line naming the bot's pid, and changes nothing."""
    data = tmp_path / "data"
    seed(data)
    env = bot_env("", data)
    assert (await command(env, "backup", str(tmp_path / "backup")))[0] == 0
    api = FakeBotApi()
    async with LoopbackServer(api) as server:
        env["TELEGRAM_API_URL"] = server.url
        bot = await start_bot(env)
        try:
            await api.wait_for(lambda c: c.method == "setMyShortDescription", timeout=30)
            before = (data / "bot.sqlite3").read_bytes()
            status, out, err = await command(env, "restore", str(tmp_path / "backup"), "--replace")
        finally:
            await bot.interrupt()
    assert (status, out) == (1, "")
    assert err == (
        f"error: another bot process (pid {bot.process.pid}) is already running with DATA_DIR {data}: "
        "stop it first, or give this one its own DATA_DIR; then restore\n"
    )
    assert (data / "bot.sqlite3").read_bytes() == before
    assert sorted(p.name for p in data.iterdir() if "before-restore" in p.name) == []


async def test_restore_refuses_a_database_and_key_from_different_backups(tmp_path: Path) -> None:
    """A backup whose key comes from another backup is refused with one line, and DATA_DIR is left untouched."""
    first, second = tmp_path / "one", tmp_path / "two"
    seed(first)
    seed(second)
    for source, dest in ((first, "backup-one"), (second, "backup-two")):
        assert (await command(bot_env("", source), "backup", str(tmp_path / dest)))[0] == 0
    mixed = tmp_path / "backup-one" / "pseudonym.key"
    mixed.chmod(0o600)
    mixed.write_bytes((tmp_path / "backup-two" / "pseudonym.key").read_bytes())
    target = tmp_path / "new"
    status, out, err = await command(bot_env("", target), "restore", str(tmp_path / "backup-one"))
    assert (status, out) == (1, "")
    assert err == (
        f"error: the database and the key in {tmp_path / 'backup-one'} do not belong together "
        "(or one was changed since the backup): restore both files from the same backup\n"
    )
    assert not target.exists()
    manifest = json.loads((tmp_path / "backup-two" / "backup.json").read_text(encoding="utf-8"))
    assert set(manifest) == {"format", "created_at", "schema_version", "database_sha256", "key_sha256"}
