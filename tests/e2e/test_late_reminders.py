"""Reminders are never dropped for being late: a stalled loop, a clock jump or a locked database only delays them."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.telegram_app.reminders import JOB_PREFIX
from bot.telegram_app.replies import escape
from tests.conftest import at_day, fill
from tests.e2e.harness import Harness, running_bot

SUBSCRIBERS = range(7000, 7010)
REMINDER = "One week to go"  # the fixture's week-before reminder, due at_day(-7, 9)


class Seen(logging.Handler):
    """A log handler that sets ``event`` when a record containing ``needle`` is logged (to wait on, not to sleep)."""

    def __init__(self, needle: str) -> None:
        super().__init__()
        self.needle = needle
        self.event = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        """Set the event on a matching record."""
        if self.needle in record.getMessage():
            self.event.set()


def reminded(bot: Harness) -> Counter[int]:
    """How many times each chat got the week-before reminder."""
    return Counter(c.chat_id or 0 for c in bot.api.sent() if c.text.startswith(fill(REMINDER)))


def subscribe(bot: Harness) -> None:
    """Subscribe ``SUBSCRIBERS`` (as an import would) and let the fake know them."""
    bot.runtime.store.add_subscribers(SUBSCRIBERS, bot.clock())
    for chat_id in SUBSCRIBERS:
        bot.api.user(chat_id)


def fire_as_if_late(bot: Harness, late: timedelta) -> None:
    """Make the scheduler find the reminder's job ``late`` past its time, as after a clock jump or a paused VM."""
    assert bot.app.job_queue is not None
    job = next(j for j in bot.app.job_queue.jobs() if j.name == f"{JOB_PREFIX}week-before")
    job.job.modify(next_run_time=datetime.now(UTC) - late)  # wakes the scheduler, which sees a run time 10 minutes ago
    bot.clock.advance(late)


async def everyone_reminded(bot: Harness, timeout: float = 30) -> None:
    """Wait, on the fake's call log, until every subscriber has the reminder."""
    async with bot.api.changed:
        await asyncio.wait_for(bot.api.changed.wait_for(lambda: set(reminded(bot)) >= set(SUBSCRIBERS)), timeout)
    await bot.broadcasts_done()


async def test_a_clock_jump_of_ten_minutes_before_a_reminder_still_sends_it_to_everyone_once(tmp_path: Path) -> None:
    """The wall clock jumps 10 minutes ahead just before a reminder: it goes out at once to all 10, each once."""
    async with running_bot(tmp_path / "data", now=at_day(-7, 8, 59)) as bot:
        subscribe(bot)
        fire_as_if_late(bot, timedelta(minutes=10))
        await everyone_reminded(bot)
        assert reminded(bot) == Counter(dict.fromkeys(SUBSCRIBERS, 1))


async def test_a_reminder_due_while_the_database_is_locked_reaches_everyone_once_when_it_frees(tmp_path: Path) -> None:
    """A reminder falls due while another process holds the write lock: answers go on; all 10 get it once after."""
    async with running_bot(tmp_path / "data", now=at_day(-7, 8, 59)) as bot:
        subscribe(bot)
        other = sqlite3.connect(tmp_path / "data" / "bot.sqlite3", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            paused = Seen("paused: the database cannot be written")
            logging.getLogger("bot.telegram_app.broadcast").addHandler(paused)
            try:
                fire_as_if_late(bot, timedelta(seconds=2))  # due now: the scheduler runs it while the lock is held
                await asyncio.wait_for(paused.event.wait(), 30)
            finally:
                logging.getLogger("bot.telegram_app.broadcast").removeHandler(paused)
            started = time.monotonic()
            reply = await bot.api.ask("where is it?", bot.api.user(99))
            assert time.monotonic() - started < 3.0
            assert reply.text == escape(bot.runtime.snapshot.assistant.answer("where is it?", "en", bot.clock()).text)
            assert reminded(bot) == Counter()
        finally:
            other.execute("COMMIT")
            other.close()
        await everyone_reminded(bot)
        assert reminded(bot) == Counter(dict.fromkeys(SUBSCRIBERS, 1))
