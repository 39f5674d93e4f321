"""Updates per second through the real Application answering real questions.

    python benchmarks/bench_bot.py [--updates N]

Queues N private-chat questions (from the regression set, many users) on the fake
Bot API, starts the real Application (polling, handlers, store, rate limiter set
high so that it does not pace), and times until the N-th reply arrives; once with
the in-process transport and once over loopback HTTP (httpx, as in production).
Median of 3 runs each.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from telegram import Update

from bot.config import Settings
from bot.telegram_app.app import build_application
from tests.fakes.botapi import TOKEN, FakeBotApi, InProcessRequest, LoopbackServer


def questions() -> list[tuple[str, str]]:
    """(language, question) pairs from the regression set."""
    data = yaml.safe_load((ROOT / "tests" / "quality" / "questions.yaml").read_text(encoding="utf-8"))
    pairs = [(lang, q) for lang, by_id in data["in"].items() for qs in by_id.values() for q in qs]
    return pairs + [(lang, q) for lang, qs in data["out"].items() for q in qs]


async def one_run(updates: int, over_http: bool) -> float:
    """Seconds to answer ``updates`` questions."""
    api = FakeBotApi()
    pool = questions()
    for i in range(updates):
        lang, text = pool[i % len(pool)]
        api.updates.append({"update_id": i + 1, "message": api.message(text, api.user(10_000 + i % 500, lang))})
    with tempfile.TemporaryDirectory() as data:
        async with LoopbackServer(api) as server:
            settings = Settings(token=TOKEN, api_url=server.url, knowledge_dir=ROOT / "knowledge", data_dir=Path(data),
                                broadcast_rate=1_000_000, flood_limit=1_000_000)  # fmt: skip
            app = build_application(settings, request=None if over_http else InProcessRequest(api))
            async with app:
                await app.start()
                assert app.updater is not None
                started = time.perf_counter()
                await app.updater.start_polling(poll_interval=0, timeout=5, allowed_updates=Update.ALL_TYPES)
                await api.count("sendMessage", updates, timeout=600)
                elapsed = time.perf_counter() - started
                await app.updater.stop()
                await app.stop()
            app.bot_data["runtime"].store.close()
    return elapsed


async def main() -> None:
    """Print updates/s in-process and over loopback HTTP."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--updates", type=int, default=3000)
    args = parser.parse_args()
    print("| transport | updates | median seconds | updates/s |")
    print("|---|---:|---:|---:|")
    for label, over_http in (("in-process", False), ("loopback HTTP", True)):
        runs = [await one_run(args.updates, over_http) for _ in range(3)]
        median = statistics.median(runs)
        print(f"| {label} | {args.updates:,} | {median:.2f} | {args.updates / median:,.0f} |")


if __name__ == "__main__":
    asyncio.run(main())
