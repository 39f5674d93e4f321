"""Exactly-once reminders across a crash: SIGKILL the bot mid-broadcast, restart it, count what arrived."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.store import Store
from bot.telegram_app.broadcast import WORKERS
from tests.conftest import KB, fill, move_event
from tests.e2e.test_process import bot_env, start_bot
from tests.fakes.botapi import FakeBotApi, LoopbackServer

SUBSCRIBERS = range(5000, 5300)


def reminder_due_ten_minutes_ago(kb_dir: Path) -> None:
    """Rewrite the copied knowledge so that its only reminder fell due ten minutes ago (real time)."""
    due = (datetime.now(KB.event.tz) - timedelta(minutes=10)).replace(second=0, microsecond=0)
    move_event(kb_dir, str(due.date() + timedelta(days=1)))
    (kb_dir / "reminders.yaml").write_text(
        "reminders:\n- id: day-before\n  days_before: 1\n"
        f'  at: "{due:%H:%M}"\n  text:\n    en: "Tomorrow: {{name}} in {{city}}."\n',
        encoding="utf-8",
    )


async def test_sigkill_mid_broadcast_then_restart_delivers_each_reminder_once(tmp_path: Path, kb_dir: Path) -> None:
    """After a SIGKILL mid-broadcast and a restart, all 300 have the reminder; only sends in flight then may repeat."""
    reminder_due_ten_minutes_ago(kb_dir)
    data = tmp_path / "data"
    store = Store(data / "bot.sqlite3")
    store.add_subscribers(SUBSCRIBERS, datetime.now(ZoneInfo("UTC")))
    store.close()
    api = FakeBotApi()
    for chat_id in SUBSCRIBERS:
        api.user(chat_id)
    env = bot_env("", data, KNOWLEDGE_DIR=str(kb_dir), BROADCAST_RATE="150", LOG_LEVEL="INFO")

    def reminders_sent() -> list[int]:
        return [c.chat_id or 0 for c in api.sent() if c.text.startswith(fill("Tomorrow: {name} in"))]

    async with LoopbackServer(api) as server:
        env["TELEGRAM_API_URL"] = server.url
        first = await start_bot(env)
        async with api.changed:
            await asyncio.wait_for(api.changed.wait_for(lambda: len(reminders_sent()) >= 100), 60)
        first.send_signal(signal.SIGKILL)
        await asyncio.wait_for(first.wait(), 30)
        before_restart = Counter(reminders_sent())
        assert 100 <= sum(before_restart.values()) < len(SUBSCRIBERS), "the kill must land mid-broadcast"
        with sqlite3.connect(data / "bot.sqlite3") as db:
            in_flight = {r[0] for r in db.execute("SELECT chat_id FROM deliveries WHERE state = 'sending'")}
        assert len(in_flight) <= WORKERS

        second = await start_bot(env)
        try:
            async with api.changed:
                await asyncio.wait_for(api.changed.wait_for(lambda: set(reminders_sent()) >= set(SUBSCRIBERS)), 60)
        finally:
            second.send_signal(signal.SIGINT)
            await second.wait()

    received = Counter(reminders_sent())
    assert set(received) == set(SUBSCRIBERS)  # nobody lost
    twice = {chat for chat, n in received.items() if n > 1}
    assert max(received.values()) <= 2
    assert twice <= in_flight  # only messages in flight at the kill were sent again
    assert twice <= set(before_restart)
    with sqlite3.connect(data / "bot.sqlite3") as db:
        states = dict(db.execute("SELECT state, COUNT(*) FROM deliveries GROUP BY state").fetchall())
    assert states == {"sent": len(SUBSCRIBERS)}
