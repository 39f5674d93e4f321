"""Updates per second through the real Application answering real questions.

    python benchmarks/bench_bot.py [--updates N]

Queues N private-chat questions (from the regression set, many users) on the fake
Bot API, starts the real Application (polling, handlers, store, rate limiter set
high so that it does not pace), and times until the N-th reply arrives; once with
the in-process transport and once over loopback HTTP (httpx, as in production).
In the same run and through the same transport, a bare python-telegram-bot
Application with one echo handler answers the same updates: the ratio says what
the bot's work (matching, rendering, store, rate limiter) costs on this machine,
which travels better between machines than the absolute figure. Runs alternate
bot and baseline; medians of 3 runs each.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.config import Settings
from bot.telegram_app.app import build_application
from tests.fakes.botapi import TOKEN, FakeBotApi, InProcessRequest, LoopbackServer


def questions() -> list[tuple[str, str]]:
    """(language, question) pairs from the regression set."""
    data = yaml.safe_load((ROOT / "tests" / "quality" / "questions.yaml").read_text(encoding="utf-8"))
    pairs = [(lang, q) for lang, by_id in data["in"].items() for qs in by_id.values() for q in qs]
    return pairs + [(lang, q) for lang, qs in data["out"].items() for q in qs]


def echo_application(api_url: str, request: InProcessRequest | None) -> Application:  # type: ignore[type-arg]
    """The baseline: a bare Application whose only handler echoes each text message back."""
    builder = ApplicationBuilder().token(TOKEN).base_url(f"{api_url}/bot")
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    application = builder.build()

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_chat is not None and update.effective_message is not None and update.effective_message.text:
            # HTML like the bot's replies: same work in the fake
            text = html.escape(update.effective_message.text, quote=False)
            await context.bot.send_message(update.effective_chat.id, text, parse_mode="HTML")

    application.add_handler(MessageHandler(filters.TEXT, echo))
    return application


async def one_run(updates: int, over_http: bool, baseline: bool = False) -> float:
    """Seconds to answer ``updates`` questions (with the bare echo Application when ``baseline``)."""
    api = FakeBotApi()
    pool = questions()
    for i in range(updates):
        lang, text = pool[i % len(pool)]
        api.updates.append({"update_id": i + 1, "message": api.message(text, api.user(10_000 + i % 500, lang))})
    with tempfile.TemporaryDirectory() as data:
        async with LoopbackServer(api) as server:
            request = None if over_http else InProcessRequest(api)
            if baseline:
                app = echo_application(server.url, request)
            else:
                settings = Settings(
                    token=TOKEN,
                    api_url=server.url,
                    knowledge_dir=ROOT / "knowledge",
                    data_dir=Path(data),
                    broadcast_rate=1_000_000,
                    flood_limit=1_000_000,
                )
                app = build_application(settings, request=request)
            async with app:
                await app.start()
                assert app.updater is not None
                started = time.perf_counter()
                await app.updater.start_polling(poll_interval=0, timeout=5, allowed_updates=Update.ALL_TYPES)
                await api.count("sendMessage", updates, timeout=600)
                elapsed = time.perf_counter() - started
                await app.updater.stop()
                await app.stop()
            if not baseline:
                app.bot_data["runtime"].store.close()
    return elapsed


async def main() -> None:
    """Print updates/s in-process and over loopback HTTP, beside a bare echo Application's, and their ratio."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--updates", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print("| transport | updates | bot median s | bot updates/s | bare PTB echo updates/s | bot ÷ echo |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, over_http in (("in-process", False), ("loopback HTTP (httpx)", True)):
        bot_runs, echo_runs = [], []
        for _ in range(args.runs):  # alternate, so a noisy neighbour hurts both sides alike
            bot_runs.append(await one_run(args.updates, over_http))
            echo_runs.append(await one_run(args.updates, over_http, baseline=True))
        bot, echo = args.updates / statistics.median(bot_runs), args.updates / statistics.median(echo_runs)
        print(
            f"| {label} | {args.updates:,} | {statistics.median(bot_runs):.2f} "
            f"| {bot:,.0f} | {echo:,.0f} | {bot / echo:.2f} |"
        )


if __name__ == "__main__":
    asyncio.run(main())
