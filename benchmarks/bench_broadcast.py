"""Broadcasts through the real Application's rate-limited bot, against the in-process fake Bot API.

    python benchmarks/bench_broadcast.py            # both tables (about a minute)
    python benchmarks/bench_broadcast.py --seconds 10

Table 1, throughput: N subscribers at a configured limit; the achieved rate as a share
of the limit, the busiest one-second window, duplicates and losses (from the fake's log).

Table 2, replies during a broadcast: the running bot (polling, handlers, store) answers
questions from distinct users at 10/s, first with no broadcast, then while a
10,000-subscriber broadcast runs at the default rate (25/s); reply latency (question
pushed → reply received by the fake) p50/p99, the broadcast's rate as a share of what
the replies leave of the limit, and the busiest one-second window of all messages.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from telegram import Update

from bot.config import Settings
from bot.telegram_app.app import build_application
from bot.telegram_app.broadcast import broadcast, broadcasts
from tests.fakes.botapi import TOKEN, Call, FakeBotApi, InProcessRequest

TEXT = "Reminder: the event is tomorrow."


def busiest_second(times: list[float]) -> int:
    """The most messages in any one-second window [t, t + 1)."""
    times = sorted(times)
    best, j = 0, 0
    for i, t in enumerate(times):
        while j < len(times) and times[j] < t + 1:
            j += 1
        best = max(best, j - i)
    return best


def settings(data: str, rate: float) -> Settings:
    """Settings for a benchmark bot on a scratch data folder."""
    return Settings(
        token=TOKEN,
        api_url="http://fake.invalid",
        knowledge_dir=ROOT / "knowledge",
        data_dir=Path(data),
        broadcast_rate=rate,
    )


async def throughput(subscribers: int, rate: float) -> str:
    """One broadcast of ``subscribers`` messages at ``rate``/s; a table row."""
    api = FakeBotApi()
    arrivals: list[float] = []
    api.before_result = lambda call: arrivals.append(time.perf_counter()) if call.method == "sendMessage" else None
    chats = range(10_000_000, 10_000_000 + subscribers)
    for chat in chats:
        api.user(chat)
    with tempfile.TemporaryDirectory() as data:
        app = build_application(settings(data, rate), request=InProcessRequest(api))
        runtime = app.bot_data["runtime"]
        runtime.store.add_subscribers(chats, datetime.now(UTC))
        async with app:
            started = time.perf_counter()
            report = await broadcast(app.bot, runtime.store, "bench", lambda _: TEXT, runtime.clock)
            elapsed = time.perf_counter() - started
        runtime.store.close()
    received = Counter(c.chat_id for c in api.sent())
    duplicates = sum(n - 1 for n in received.values() if n > 1)
    lost = sum(1 for chat in chats if chat not in received)
    achieved = subscribers / elapsed
    return (
        f"| {subscribers:,} | {rate:,.0f}/s | {elapsed:.2f} | {achieved:,.1f}/s | {achieved / rate:.1%} | "
        f"{busiest_second(arrivals):,} | {duplicates} | {lost} | {report.sent:,} |"
    )


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def replies_during_broadcast(
    subscribers: int, rate: float, questions_per_second: float, seconds: float
) -> list[str]:
    """Reply latency with no broadcast, then during one; table rows."""
    api = FakeBotApi()
    asked: dict[int, float] = {}
    answered: dict[int, float] = {}
    bulk: list[float] = []
    every: list[float] = []

    def arrived(call: Call) -> None:
        if call.method != "sendMessage" or call.chat_id is None:
            return
        now = time.perf_counter()
        every.append(now)
        if call.chat_id in asked:
            answered.setdefault(call.chat_id, now)
        else:
            bulk.append(now)

    api.before_result = arrived
    chats = range(10_000_000, 10_000_000 + subscribers)
    for chat in chats:
        api.user(chat)
    rows = []
    with tempfile.TemporaryDirectory() as data:
        app = build_application(settings(data, rate), request=InProcessRequest(api))
        runtime = app.bot_data["runtime"]
        runtime.store.add_subscribers(chats, datetime.now(UTC))
        async with app:
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(poll_interval=0, timeout=5, allowed_updates=Update.ALL_TYPES)
            next_user = iter(range(2_000_000, 3_000_000))

            async def ask_for(duration: float) -> tuple[list[float], float, float]:
                users: list[int] = []
                start = time.perf_counter()
                for n in range(round(duration * questions_per_second)):
                    await asyncio.sleep(max(0.0, start + n / questions_per_second - time.perf_counter()))
                    user = api.user(next(next_user))
                    asked[user["id"]] = time.perf_counter()
                    users.append(user["id"])
                    await api.send("when is it?", user)
                end = time.perf_counter()
                async with api.changed:
                    await asyncio.wait_for(api.changed.wait_for(lambda: all(u in answered for u in users)), 60)
                return [answered[u] - asked[u] for u in users], start, end

            quiet, _, _ = await ask_for(min(seconds, 10))
            rows.append(_row("no broadcast", quiet, None, rate, questions_per_second, []))
            run = broadcasts(app).start("bench", lambda _: TEXT)
            busy, start, end = await ask_for(seconds)
            during = [t for t in bulk if start <= t <= end]
            window = [t for t in every if start <= t <= end]
            rows.append(
                _row(
                    f"{subscribers:,}-subscriber broadcast",
                    busy,
                    len(during) / (end - start),
                    rate,
                    questions_per_second,
                    window,
                )
            )
            await app.updater.stop()
            await app.stop()  # stops the broadcast after the sends in flight (its unsent rows stay pending)
            await run
        runtime.store.close()
    return rows


def _row(
    label: str, latencies: list[float], broadcast_rate: float | None, rate: float, qps: float, window: list[float]
) -> str:
    """One row of the replies table."""
    p50, p99 = percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000
    if broadcast_rate is None:
        return f"| {label} | {qps:g}/s | {len(latencies)} | {p50:,.0f} | {p99:,.0f} | – | – | – |"
    left = rate - qps
    return (
        f"| {label} | {qps:g}/s | {len(latencies)} | {p50:,.0f} | {p99:,.0f} | {broadcast_rate:.1f}/s | "
        f"{broadcast_rate / left:.1%} of {left:g}/s | {busiest_second(window)} (limit {rate:g}) |"
    )


async def main(args: Any) -> None:
    """Print both tables."""
    print(
        "| subscribers | limit | seconds | achieved | share of limit "
        "| busiest second | duplicates | lost | reported sent |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(await throughput(10_000, 1000))
    print(await throughput(300, 30))
    print()
    print(
        "| replies while | questions | replies | p50 ms | p99 ms "
        "| broadcast rate | share of what replies leave | busiest second |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for row in await replies_during_broadcast(10_000, 25.0, 10.0, args.seconds):
        print(row)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=float, default=30.0, help="how long questions are asked during the broadcast (default: 30)"
    )
    asyncio.run(main(parser.parse_args()))
