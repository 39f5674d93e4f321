"""Exactly once through the real ``python -m bot run``: reloads, a second process, an announcement during a reminder."""

from __future__ import annotations

import asyncio
import re
import signal
import sqlite3
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.knowledge import load
from bot.store import Store
from tests.e2e.test_process import BotProcess, bot_env, start_bot
from tests.fakes.botapi import CONFLICT, FakeBotApi, LoopbackServer

SUBSCRIBERS = range(5000, 5300)
ADMIN = 42
MARK = "Reminder for"  # the reminder text this test writes, so it never depends on the shipped facts


def reminder_due_ten_minutes_ago(kb_dir: Path) -> None:
    """Make the copied knowledge's only reminder fall due ten minutes ago (real time, the event's timezone)."""
    tz = load(kb_dir).event.tz
    due = (datetime.now(tz) - timedelta(minutes=10)).replace(second=0, microsecond=0)
    event = kb_dir / "event.yaml"
    text = re.sub(
        r"^(\s*)date: \d{4}-\d{2}-\d{2}",
        rf"\g<1>date: {due.date() + timedelta(days=1)}",
        event.read_text(encoding="utf-8"),
        count=1,
        flags=re.M,
    )
    event.write_text(text, encoding="utf-8")
    (kb_dir / "reminders.yaml").write_text(
        f'reminders:\n- id: day-before\n  days_before: 1\n  at: "{due:%H:%M}"\n  text:\n    en: "{MARK} {{name}}."\n',
        encoding="utf-8",
    )


def subscribe(data: Path, chats: range) -> None:
    """Subscribe ``chats`` in the bot's database before it starts."""
    store = Store(data / "bot.sqlite3")
    store.add_subscribers(chats, datetime.now(UTC))
    store.close()


def received(api: FakeBotApi, starts: str = MARK) -> Counter[int]:
    """How many messages starting with ``starts`` each chat received."""
    return Counter(c.chat_id or 0 for c in api.sent() if c.text.startswith(starts))


async def until(api: FakeBotApi, condition: Callable[[], bool], timeout: float = 60) -> None:
    """Wait (on the fake's call log, no sleeping) until ``condition()`` holds."""
    async with api.changed:
        await asyncio.wait_for(api.changed.wait_for(condition), timeout)


def delivery_states(data: Path) -> dict[str, int]:
    """Deliveries per state in the bot's database."""
    with sqlite3.connect(data / "bot.sqlite3") as db:
        return dict(db.execute("SELECT state, COUNT(*) FROM deliveries GROUP BY state").fetchall())


async def stop(process: BotProcess) -> str:
    """SIGINT the bot, wait for it to exit cleanly, and return its log."""
    process.send_signal(signal.SIGINT)
    _, stderr = await asyncio.wait_for(process.communicate(), 30)
    log = stderr.decode()
    assert process.returncode == 0, log
    return log


async def test_reload_slash_reload_and_learning_mid_reminder_send_each_subscriber_one(
    tmp_path: Path, kb_dir: Path
) -> None:
    """A file edit, /reload and a "+ entry" tap during a 300-subscriber reminder: each gets it exactly once."""
    reminder_due_ten_minutes_ago(kb_dir)
    data = tmp_path / "data"
    subscribe(data, SUBSCRIBERS)
    store = Store(data / "bot.sqlite3")
    store.record_question("Is there a cloakroom at the venue?", "en", None, 0.0, "decline", datetime.now(UTC))
    store.close()
    api = FakeBotApi()
    for chat_id in SUBSCRIBERS:
        api.user(chat_id)
    admin = api.user(ADMIN)
    env = bot_env(
        "",
        data,
        KNOWLEDGE_DIR=str(kb_dir),
        BROADCAST_RATE="30",
        LOG_LEVEL="INFO",
        ADMIN_IDS=str(ADMIN),
        RELOAD_INTERVAL_SECONDS="0.5",
    )
    async with LoopbackServer(api) as server:
        env["TELEGRAM_API_URL"] = server.url
        process = await start_bot(env)
        try:
            await until(api, lambda: sum(received(api).values()) >= 20)
            api.slow_down(SUBSCRIBERS)  # the rest crawls until the three reloads are done, however slow the machine
            # 1. An organiser edits a file (a comment): the watcher reloads and tells the admin.
            mark = len(api.calls)
            with (kb_dir / "faq.yaml").open("a", encoding="utf-8") as faq:
                faq.write("\n# edited while a reminder goes out\n")
            await api.wait_for(
                lambda c: api.calls.index(c) >= mark and c.chat_id == ADMIN and c.method == "sendMessage", timeout=30
            )
            # 2. Another edit, applied by /reload.
            with (kb_dir / "faq.yaml").open("a", encoding="utf-8") as faq:
                faq.write("# and edited again\n")
            await api.ask("/reload", admin)
            # 3. A "+ entry" tap under /unanswered writes faq.yaml and reloads.
            listing = await api.ask("/unanswered", admin)
            await api.press(listing, listing.button_texts[0], admin)
            await api.wait_for(lambda c: c.chat_id == ADMIN and c.text.startswith("Added “"), timeout=30)
            assert sum(received(api).values()) < len(SUBSCRIBERS), "the reloads must land mid-broadcast"
            api.release()
            await until(api, lambda: set(received(api)) >= set(SUBSCRIBERS))
        finally:
            api.release()  # a failed step above must not leave the shutdown crawling
            log = await stop(process)
    counts = received(api)
    assert set(counts) == set(SUBSCRIBERS)
    assert set(counts.values()) == {1}  # nobody twice
    assert delivery_states(data) == {"sent": len(SUBSCRIBERS)}
    assert log.count("is already running: not starting it twice") >= 3  # each reload's reschedule joined the run


async def test_second_process_on_the_same_data_dir_refuses_and_a_killed_one_is_replaced(
    tmp_path: Path, kb_dir: Path
) -> None:
    """A second bot on the same DATA_DIR exits with one clear line; after the first is SIGKILLed, a new one finishes."""
    reminder_due_ten_minutes_ago(kb_dir)
    data = tmp_path / "data"
    subscribe(data, SUBSCRIBERS)
    api = FakeBotApi()
    for chat_id in SUBSCRIBERS:
        api.user(chat_id)
    env = bot_env("", data, KNOWLEDGE_DIR=str(kb_dir), BROADCAST_RATE="60", LOG_LEVEL="INFO")
    async with LoopbackServer(api) as server:
        env["TELEGRAM_API_URL"] = server.url
        first = await start_bot(env)
        await until(api, lambda: sum(received(api).values()) >= 20)
        api.slow_down(SUBSCRIBERS)  # the broadcast crawls while the second process starts, however slow the machine
        second = await start_bot(env)
        _, stderr = await asyncio.wait_for(second.communicate(), 30)
        assert second.returncode == 1
        lines = stderr.decode().strip().splitlines()
        assert len(lines) == 1, lines
        assert lines[0].startswith("error: another bot process (pid ")
        assert f"is already running with DATA_DIR {data}: stop it first" in lines[0]
        assert sum(received(api).values()) < len(SUBSCRIBERS), "the second process must try mid-broadcast"
        api.release()

        first.send_signal(signal.SIGKILL)  # the OS releases the lock with the process
        await asyncio.wait_for(first.wait(), 30)
        with sqlite3.connect(data / "bot.sqlite3") as db:
            in_flight = {r[0] for r in db.execute("SELECT chat_id FROM deliveries WHERE state = 'sending'")}
        third = await start_bot(env)
        try:
            await until(api, lambda: set(received(api)) >= set(SUBSCRIBERS))
        finally:
            await stop(third)
    counts = received(api)
    assert set(counts) == set(SUBSCRIBERS)
    assert {chat for chat, n in counts.items() if n > 1} <= in_flight  # only what was in flight at the kill
    assert max(counts.values()) <= 2
    assert delivery_states(data) == {"sent": len(SUBSCRIBERS)}


async def test_announcement_during_a_reminder_both_complete_exactly_once(tmp_path: Path, kb_dir: Path) -> None:
    """/announce and Send during a reminder: the organiser's reply comes at once; both reach everyone exactly once."""
    reminder_due_ten_minutes_ago(kb_dir)
    data = tmp_path / "data"
    subscribe(data, SUBSCRIBERS)
    api = FakeBotApi()
    for chat_id in SUBSCRIBERS:
        api.user(chat_id)
    admin = api.user(ADMIN)
    env = bot_env("", data, KNOWLEDGE_DIR=str(kb_dir), BROADCAST_RATE="100", LOG_LEVEL="INFO", ADMIN_IDS=str(ADMIN))
    async with LoopbackServer(api) as server:
        env["TELEGRAM_API_URL"] = server.url
        process = await start_bot(env)
        try:
            await until(api, lambda: sum(received(api).values()) >= 20)
            api.slow_down(SUBSCRIBERS)  # both broadcasts crawl until the organiser and the attendee are answered
            preview = await api.ask("/announce Doors open at nine.", admin)
            await api.press(preview, preview.button_texts[0], admin)
            await api.wait_for(
                lambda c: c.chat_id == ADMIN and c.method == "sendMessage" and c.text.startswith("Sending")
            )
            assert sum(received(api).values()) < len(SUBSCRIBERS), "the announcement must start mid-reminder"
            reply = await api.ask("/help", api.user(9999))  # an attendee is answered while both broadcasts run
            assert reply.text
            assert len(received(api, "Doors open at nine.")) < len(SUBSCRIBERS)
            api.release()
            report = await api.wait_for(
                lambda c: c.chat_id == ADMIN and c.text.startswith("Announcement sent"), timeout=60
            )
            await until(api, lambda: set(received(api)) >= set(SUBSCRIBERS))
        finally:
            api.release()
            await stop(process)
    assert report.text.startswith(f"Announcement sent: {len(SUBSCRIBERS)} delivered, 0 unsubscribed")
    reminders, announcements = received(api), received(api, "Doors open at nine.")
    assert set(reminders) == set(announcements) == set(SUBSCRIBERS)
    assert set(reminders.values()) == set(announcements.values()) == {1}
    assert delivery_states(data) == {"sent": 2 * len(SUBSCRIBERS)}


async def test_409_conflict_stops_the_bot_with_one_clear_line(tmp_path: Path) -> None:
    """Another process polling the same token (409 Conflict) stops the bot with one clear line, exit 1, no traceback."""
    api = FakeBotApi()
    async with LoopbackServer(api) as server:
        first = await start_bot(bot_env(server.url, tmp_path / "a", LOG_LEVEL="INFO"))
        await api.wait_for(lambda c: c.method == "setMyShortDescription", timeout=30)
        await until(api, lambda: api.long_polls > 0, timeout=30)  # the first bot is waiting for updates
        second = await start_bot(bot_env(server.url, tmp_path / "b", LOG_LEVEL="INFO"))
        try:
            _, stderr = await asyncio.wait_for(first.communicate(), 30)
            log = stderr.decode()
            assert first.returncode == 1, log
            assert (
                log.strip().splitlines()[-1]
                == "error: another process is polling with this bot token (Telegram: 409 Conflict); stopped"
            )
            assert log.count("409 Conflict") == 2  # the log line and the exit line, once each, however many 409s came
            assert "Traceback" not in log
            assert any(c.status == 409 and c.params.get("timeout") for c in api.calls)
            assert CONFLICT.startswith("Conflict: terminated by other getUpdates request")
            reply = await api.ask("/help")  # the other process carries on
            assert reply.text
        finally:
            await stop(second)


async def test_a_clean_stop_mid_broadcast_then_restart_sends_nobody_anything_twice(
    tmp_path: Path, kb_dir: Path
) -> None:
    """SIGINT mid-reminder lets the sends in flight finish; after a restart everyone has it exactly once."""
    reminder_due_ten_minutes_ago(kb_dir)
    data = tmp_path / "data"
    subscribe(data, SUBSCRIBERS)
    api = FakeBotApi()
    for chat_id in SUBSCRIBERS:
        api.user(chat_id)
    env = bot_env("", data, KNOWLEDGE_DIR=str(kb_dir), BROADCAST_RATE="100", LOG_LEVEL="INFO")
    async with LoopbackServer(api) as server:
        env["TELEGRAM_API_URL"] = server.url
        first = await start_bot(env)
        await until(api, lambda: sum(received(api).values()) >= 50)
        await stop(first)
        assert sum(received(api).values()) < len(SUBSCRIBERS), "the stop must land mid-broadcast"
        assert "sending" not in delivery_states(data)  # nothing left in flight
        second = await start_bot(env)
        try:
            await until(api, lambda: set(received(api)) >= set(SUBSCRIBERS))
        finally:
            await stop(second)
    counts = received(api)
    assert set(counts) == set(SUBSCRIBERS)
    assert set(counts.values()) == {1}
    assert delivery_states(data) == {"sent": len(SUBSCRIBERS)}
