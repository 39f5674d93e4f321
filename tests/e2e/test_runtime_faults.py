"""Faults while the real ``python -m bot run`` is up: a revoked token, Ctrl-C in start-up, a reply Telegram refuses."""

from __future__ import annotations

import signal
import time
from pathlib import Path

from tests.conftest import fill
from tests.e2e.test_process import bot_env, start_bot
from tests.e2e.test_startup import REJECTED, assert_one_line_failure, closed_port
from tests.fakes.botapi import FakeBotApi, LoopbackServer


async def test_a_token_revoked_while_running_stops_the_process_with_the_start_up_line(tmp_path: Path) -> None:
    """The token is revoked while the bot runs: it exits 2 within 30 s with the start-up's one line, no traceback."""
    api = FakeBotApi()
    async with LoopbackServer(api) as server:
        process = await start_bot(bot_env(server.url, tmp_path / "data", LOG_LEVEL="INFO"))
        try:
            assert fill("{city}") in (await api.ask("where is science for health?")).text  # up and answering
            revoked_at = time.monotonic()
            await api.revoke()
            code = await process.wait(timeout=30)
        finally:
            if process.returncode is None:
                await process.interrupt()
    assert time.monotonic() - revoked_at < 30
    assert code == 2, process.stderr
    assert_one_line_failure(process.stdout + process.stderr, REJECTED)
    assert "Task was destroyed" not in process.stderr
    assert "Task exception was never retrieved" not in process.stderr


async def test_a_reply_refused_by_a_5xx_storm_is_retried_until_it_arrives_once(tmp_path: Path) -> None:
    """Telegram answers 502 to a reply four times running: the bot retries with backoff and the answer arrives, once."""
    api = FakeBotApi()
    user = api.user(3131)
    async with LoopbackServer(api) as server:
        process = await start_bot(bot_env(server.url, tmp_path / "data", TELEGRAM_RETRY_SECONDS="0.05"))
        try:
            await api.wait_for(lambda c: c.method == "setMyShortDescription", timeout=30)
            api.fail("sendMessage", 502, "Bad Gateway", chat_id=3131, times=4)
            reply = await api.ask("where is science for health?", user)
            assert fill("{city}") in reply.text
            assert [c.status for c in api.calls if c.method == "sendMessage" and c.chat_id == 3131] == [
                502,
                502,
                502,
                502,
                200,
            ]
        finally:
            code = await process.interrupt()
    assert code == 0, process.stderr


async def test_ctrl_c_during_the_start_up_retries_stops_quietly(tmp_path: Path) -> None:
    """Ctrl-C while waiting to retry an unreachable Telegram: exits at once with 130, no traceback, no task pending."""
    env = bot_env(
        f"http://127.0.0.1:{closed_port()}",
        tmp_path / "data",
        TELEGRAM_CONNECT_ATTEMPTS="5",
        TELEGRAM_RETRY_SECONDS="60",
    )
    process = await start_bot(env)
    await process.log_line("retrying in")
    process.send_signal(signal.SIGINT)
    assert await process.wait(timeout=10) == 130
    for noise in ("Traceback", "KeyboardInterrupt", "Task was destroyed", "never awaited"):
        assert noise not in process.stderr, process.stderr


async def test_a_database_locked_at_start_up_makes_the_bot_wait_then_answer(tmp_path: Path) -> None:
    """Another process holds the write lock at start: the bot waits (and says so) instead of failing, then answers."""
    import sqlite3

    from bot.store import Store

    data = tmp_path / "data"
    Store(data / "bot.sqlite3").close()
    other = sqlite3.connect(data / "bot.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    api = FakeBotApi()
    async with LoopbackServer(api) as server:
        process = await start_bot(bot_env(server.url, data))
        try:
            await process.log_line("start-up paused: the database cannot be written")
            other.execute("COMMIT")
            other.close()
            assert fill("{city}") in (await api.ask("where is science for health?")).text
        finally:
            code = await process.interrupt()
    assert code == 0, process.stderr
    assert "Traceback" not in process.stderr
