"""Broadcast throughput against a configured rate limit, through the real Application's rate-limited bot.

    python benchmarks/bench_broadcast.py

Subscribes N chats in the store, then runs the reminder broadcast through the
Application's bot (AIORateLimiter at the configured rate) against the in-process
fake Bot API; reports the achieved rate as a share of the limit, and duplicates and
losses counted from the fake's call log.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings
from bot.telegram_app.app import build_application
from bot.telegram_app.broadcast import broadcast
from tests.fakes.botapi import TOKEN, FakeBotApi, InProcessRequest


async def run(subscribers: int, rate: float) -> str:
    """One broadcast of ``subscribers`` messages at ``rate``/s; a table row."""
    api = FakeBotApi()
    chats = range(10_000_000, 10_000_000 + subscribers)
    for chat in chats:
        api.user(chat)
    with tempfile.TemporaryDirectory() as data:
        settings = Settings(
            token=TOKEN, api_url="http://fake.invalid", knowledge_dir=ROOT / "knowledge", data_dir=Path(data), broadcast_rate=rate
        )
        app = build_application(settings, request=InProcessRequest(api))
        runtime = app.bot_data["runtime"]
        runtime.store.add_subscribers(chats, datetime.now(UTC))
        async with app:
            started = time.perf_counter()
            report = await broadcast(app.bot, runtime.store, "bench", lambda _: "Reminder: Science for Health is tomorrow.", runtime.clock)
            elapsed = time.perf_counter() - started
        runtime.store.close()
    received = Counter(c.chat_id for c in api.sent())
    duplicates = sum(n - 1 for n in received.values() if n > 1)
    lost = sum(1 for chat in chats if chat not in received)
    achieved = subscribers / elapsed
    return (f"| {subscribers:,} | {rate:,.0f}/s | {elapsed:.2f} | {achieved:,.1f}/s | {achieved / rate:.1%} | "
            f"{duplicates} | {lost} | {report.sent:,} |")  # fmt: skip


async def main() -> None:
    """Print the table."""
    print("| subscribers | limit | seconds | achieved | share of limit | duplicates | lost | reported sent |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(await run(10_000, 1000))
    print(await run(300, 30))


if __name__ == "__main__":
    asyncio.run(main())
