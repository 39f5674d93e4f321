"""Quiet logs through the real process: an idle hour writes a handful of lines; LOG_FORMAT=json writes JSON lines."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from tests.e2e.test_process import bot_env, start_bot
from tests.fakes.botapi import TOKEN, FakeBotApi, LoopbackServer

# The knowledge watcher runs every RELOAD_INTERVAL_SECONDS (5 s by default): 720 times an hour.
RUNS_PER_HOUR = 3600 // 5
WATCHER_RAN = 'Running job "knowledge-watch'
# At a 5 ms interval a check can still be running when the next is due; the scheduler then warns that it skipped one.
# At the real 5 s interval that means a check took over 5 s, worth a warning: only this test's interval is excused.
FAST_INTERVAL_ONLY = "skipped: maximum number of running instances reached"


async def test_an_idle_hour_writes_fewer_than_ten_lines_at_info(tmp_path: Path) -> None:
    """An hour of knowledge checks (720, every 5 ms) plus a start and stop write under 10 lines at INFO and above."""
    api = FakeBotApi()
    async with LoopbackServer(api) as server:
        # DEBUG so that the scheduler's (demoted) lines show how many times the watcher ran; INFO and above are counted.
        env = bot_env(server.url, tmp_path / "data", LOG_LEVEL="DEBUG", RELOAD_INTERVAL_SECONDS="0.005")
        process = await start_bot(env)
        try:
            async with process.changed:
                await asyncio.wait_for(
                    process.changed.wait_for(
                        lambda: process.stderr.count(WATCHER_RAN) >= RUNS_PER_HOUR or process.returncode is not None
                    ),
                    120,
                )
        finally:
            code = await process.interrupt()
    assert code == 0, process.stderr
    lines = process.stderr.splitlines()
    assert sum(WATCHER_RAN in line for line in lines) >= RUNS_PER_HOUR
    levels = ("INFO", "WARNING", "ERROR", "CRITICAL")
    shown_at_info = [
        line
        for line in lines
        if line.split(" ", 3)[2:3] and line.split(" ", 3)[2] in levels and FAST_INTERVAL_ONLY not in line
    ]
    assert len(shown_at_info) < 10, "\n".join(shown_at_info)
    assert [line.split(": ", 1)[1] for line in shown_at_info] == ["polling for updates", "stopped"]
    assert "Traceback" not in process.stderr


async def test_log_format_json_writes_one_json_object_per_line(tmp_path: Path) -> None:
    """With LOG_FORMAT=json each log line is a JSON object with time, level, logger and message; no token appears."""
    api = FakeBotApi()
    async with LoopbackServer(api) as server:
        process = await start_bot(bot_env(server.url, tmp_path / "data", LOG_LEVEL="INFO", LOG_FORMAT="json"))
        try:
            await api.wait_for(lambda c: c.method == "setMyShortDescription", timeout=30)
            await api.ask("where is it?")
        finally:
            code = await process.interrupt()
    assert code == 0, process.stderr
    records = [json.loads(line) for line in process.stderr.splitlines()]
    assert {tuple(sorted(record)) for record in records} == {("level", "logger", "message", "time")}
    assert ("INFO", "bot.telegram_app.runner", "polling for updates") in [
        (r["level"], r["logger"], r["message"]) for r in records
    ]
    assert records[-1]["message"] == "stopped"
    assert TOKEN not in process.stderr


async def test_log_format_other_than_text_or_json_is_one_clear_line(tmp_path: Path) -> None:
    """LOG_FORMAT=xml is refused with one line naming the variable and the values it takes, exit 2."""
    process = await start_bot(bot_env("http://127.0.0.1:9", tmp_path, LOG_FORMAT="xml"))
    assert await process.wait() == 2
    assert process.stderr == "error: LOG_FORMAT must be text or json, got 'xml'\n"
