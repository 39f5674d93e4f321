"""Broadcasts under storage faults and changing audiences: a locked or full database pauses a run, never kills it."""

from __future__ import annotations

import contextlib
import errno
import os
import random
import sqlite3
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.telegram_app.announcements import ANNOUNCE_RETRY_PREFIX, announcement_key
from bot.telegram_app.replies import escape, split
from tests.e2e.harness import Harness, running_bot
from tests.fakes.botapi import Call

ADMIN = 42
TEXT = "Doors open at nine."
REPORT = "Announcement sent"


def delivered(bot: Harness, text: str = TEXT) -> Counter[int]:
    """How many times each chat received ``text``."""
    return Counter(c.chat_id or 0 for c in bot.api.sent() if c.text == text)


def reports(bot: Harness) -> list[Call]:
    """The announcement reports the admin received (as new messages or as the edited status)."""
    return [c for c in bot.api.calls if c.status == 200 and c.chat_id == ADMIN and c.text.startswith(REPORT)]


async def subscribers(bot: Harness, chats: range) -> None:
    """Subscribe ``chats`` (as an import would) and let the fake know them."""
    bot.runtime.store.add_subscribers(chats, bot.clock())
    for chat_id in chats:
        bot.api.user(chat_id)


async def announce(bot: Harness, text: str = TEXT) -> None:
    """The admin announces ``text`` and presses Send under the preview."""
    bot.api.user(ADMIN)
    preview = await bot.api.ask(f"/announce {text}", bot.api.users[ADMIN])
    await bot.api.press(preview, preview.button_texts[0], bot.api.users[ADMIN])


async def until(bot: Harness, condition: object, timeout: float = 30) -> None:
    """Wait, on the fake's call log, until ``condition()`` holds."""
    import asyncio

    async with bot.api.changed:
        await asyncio.wait_for(bot.api.changed.wait_for(condition), timeout)  # type: ignore[arg-type]


def at_send(number: int, fault: Callable[[], object]) -> Callable[[Call], None]:
    """A ``before_result`` hook bringing on ``fault`` just before the ``number``-th announcement send is answered."""
    seen = 0

    def hook(call: Call) -> None:
        nonlocal seen
        if call.text != TEXT:
            return
        seen += 1
        if seen == number:
            fault()

    return hook


async def answered_quickly(bot: Harness, question: str, user_id: int) -> float:
    """Ask ``question``; check the reply is its real answer; how many seconds it took."""
    started = time.monotonic()
    reply = await bot.api.ask(question, bot.api.user(user_id))
    took = time.monotonic() - started
    assert reply.text == escape(bot.runtime.snapshot.assistant.answer(question, "en", bot.clock()).text)
    return took


async def test_a_write_lock_during_an_announcement_pauses_it_answers_go_on_and_all_get_it_once(tmp_path: Path) -> None:
    """Write lock taken mid-announcement: questions get answers within 3 s; once free, all 100 get it once; 1 report."""
    async with running_bot(tmp_path / "data", admin_ids=frozenset({ADMIN})) as bot:
        await subscribers(bot, range(2000, 2100))
        other = sqlite3.connect(tmp_path / "data" / "bot.sqlite3", isolation_level=None)
        # a backup or a manual sqlite3 session
        bot.api.before_result = at_send(30, lambda: other.execute("BEGIN IMMEDIATE"))
        await announce(bot)
        await until(bot, lambda: other.in_transaction)
        try:
            for n, question in enumerate(["who gives the keynote?", "where is it?", "is there parking for bikes?"]):
                assert await answered_quickly(bot, question, 500 + n) < 3.0
            assert sum(delivered(bot).values()) < 100  # paused: no claim can be written
            assert reports(bot) == []
        finally:
            other.execute("COMMIT")
        await until(bot, lambda: bool(reports(bot)))
        await bot.broadcasts_done()
        other.close()
        assert delivered(bot) == Counter({chat: 1 for chat in range(2000, 2100)})
        assert [r.text.split(":")[1].split(",")[0] for r in reports(bot)] == [" 100 delivered"]
        assert bot.runtime.store.delivery_counts(announcement_key(1)) == {"sent": 100}
        assert bot.runtime.store.unfinished_announcements() == []


@contextlib.contextmanager
def small_tmpfs(where: Path) -> Iterator[Path]:
    """A 4 MB tmpfs mounted at ``where`` (a real full disk); skips where the OS refuses the mount."""
    where.mkdir()
    mount = ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(where)]
    done = subprocess.run(mount, capture_output=True, check=False)  # noqa: S603
    if done.returncode != 0:
        pytest.skip(f"this OS refuses to mount a tmpfs here (not root?): {done.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)  # noqa: S603, S607


def fill(directory: Path) -> Path:
    """Fill the file system of ``directory`` to the last byte; the filler file (delete it to free the space)."""
    filler = directory / "filler"
    with filler.open("wb", buffering=0) as file:
        try:
            while True:
                file.write(b"\0" * 4096)
                file.flush()
        except OSError as exc:
            if exc.errno != errno.ENOSPC:
                raise
    return filler


async def test_a_full_data_dir_during_an_announcement_pauses_it_answers_go_on_and_it_completes_once(
    tmp_path: Path,
) -> None:
    """DATA_DIR fills mid-announcement: questions are still answered; with space back, all 60 get it once, 1 report."""
    with small_tmpfs(tmp_path / "mnt") as mount:
        async with running_bot(mount / "data", admin_ids=frozenset({ADMIN})) as bot:
            await subscribers(bot, range(3000, 3060))
            filler: list[Path] = []
            bot.api.before_result = at_send(22, lambda: filler.append(fill(mount)))
            await announce(bot)
            await until(bot, lambda: bool(filler))
            for n, question in enumerate(["who gives the keynote?", "is there parking for bikes?"]):
                assert await answered_quickly(bot, question, 600 + n) < 3.0
            assert sum(delivered(bot).values()) < 60
            assert reports(bot) == []
            os.unlink(filler[0])  # space returns
            await until(bot, lambda: bool(reports(bot)))
            await bot.broadcasts_done()
            assert delivered(bot) == Counter({chat: 1 for chat in range(3000, 3060)})
            assert len(reports(bot)) == 1
            assert reports(bot)[0].text.startswith(f"{REPORT}: 60 delivered")
            assert bot.runtime.store.delivery_counts(announcement_key(1)) == {"sent": 60}


async def test_stop_and_forget_during_a_broadcast_hold_for_the_rest_of_it(tmp_path: Path) -> None:
    """Two attendees send /stop and /forget mid-announcement: neither gets it; no row on the forgotten chat is saved."""
    chats = range(4000, 4030)
    async with running_bot(tmp_path / "data", admin_ids=frozenset({ADMIN}), broadcast_rate=30.0) as bot:
        for chat_id in chats:
            await bot.api.ask("/remind", bot.api.user(chat_id))
        order = [(chat_id, "en") for chat_id in chats]
        random.Random(announcement_key(1)).shuffle(order)  # the run's own order: the last two are reached last
        stopper, forgetter = order[-1][0], order[-2][0]
        await announce(bot)
        await until(bot, lambda: sum(delivered(bot).values()) >= 1)
        assert (await bot.api.ask("/stop", bot.api.users[stopper])).text.startswith("You won't get reminders")
        await bot.api.ask("/forget", bot.api.users[forgetter])
        await until(bot, lambda: bool(reports(bot)))
        await bot.broadcasts_done()
        assert set(delivered(bot)) == set(chats) - {stopper, forgetter}
        assert bot.runtime.store.rows_about(forgetter, forgetter) == 0


async def test_a_long_announcement_reaches_everyone_in_parts_once_and_the_report_counts_people(tmp_path: Path) -> None:
    """A 6,000-character announcement: the preview shows its parts; each gets each part once; a failed part resends."""
    text = "\n\n".join(f"Paragraph {n}: " + "the programme changes a little " * 9 for n in range(22))
    parts = split(escape(text))
    assert len(parts) == 2
    async with running_bot(tmp_path / "data", admin_ids=frozenset({ADMIN})) as bot:
        await subscribers(bot, range(100, 105))
        bot.api.user(ADMIN)
        start = len(bot.api.calls)

        def fail_103s_second_part(call: Call) -> None:
            if call.chat_id == 103 and call.text == parts[0]:
                bot.api.fail("sendMessage", 502, "Bad Gateway", chat_id=103)

        bot.api.before_result = fail_103s_second_part
        heading = await bot.api.ask(f"/announce {text}", bot.api.users[ADMIN])
        shown = [c for c in bot.api.calls[start:] if c.method == "sendMessage" and c.chat_id == ADMIN]
        assert [c.text for c in shown[-2:]] == parts
        assert shown[-1].button_texts == ["Send", "Cancel"]
        assert shown[0].text.startswith("Preview of the announcement to 5 subscriber(s):")
        await bot.api.press(shown[-1], "Send", bot.api.users[ADMIN])
        await until(bot, lambda: bool(reports(bot)))
        await bot.broadcasts_done()
        assert reports(bot)[0].text.startswith(
            f"{REPORT}: 4 delivered, 0 unsubscribed because they blocked the bot, 1 failed"
        )
        assert bot.app.job_queue is not None
        retry = next(j for j in bot.app.job_queue.jobs() if (j.name or "").startswith(ANNOUNCE_RETRY_PREFIX))
        await retry.run(bot.app)
        await bot.broadcasts_done()
        for chat_id in range(100, 105):
            assert [c.text for c in bot.api.sent(chat_id=chat_id)] == parts, chat_id
        assert heading.text == shown[0].text
        assert bot.runtime.store.unfinished_announcements() == []


async def test_forget_under_another_reader_answers_at_once_and_the_checkpoint_completes_when_it_leaves(
    tmp_path: Path,
) -> None:
    """/forget while a backup holds a read transaction: the reply is instant; once the reader ends, no file has it."""
    import asyncio

    secret = "is there parking for the Zebulon family van"
    async with running_bot(tmp_path / "data") as bot:
        user = bot.api.user(8123)
        await bot.api.ask(secret, user)  # declined: its text is kept for the organisers
        reader = sqlite3.connect(tmp_path / "data" / "bot.sqlite3", isolation_level=None)
        reader.execute("BEGIN")
        # a read snapshot the checkpoint must wait for
        assert reader.execute("SELECT COUNT(*) FROM questions").fetchone()[0] >= 1
        started = time.monotonic()
        reply = await bot.api.ask("/forget", user)
        assert time.monotonic() - started < 2.0
        assert reply.text.startswith("Done")
        reader.execute("COMMIT")
        reader.close()
        assert await asyncio.to_thread(bot.runtime.store.scrubbed, 10)
        for path in (tmp_path / "data").iterdir():
            if path.is_file():
                assert b"Zebulon" not in path.read_bytes(), path.name


async def test_a_declined_question_with_the_helpdesk_on_is_answered_at_once_under_a_lock_and_its_ticket_works_after(
    tmp_path: Path,
) -> None:
    """Helpdesk on, database locked: a declined question gets reply and button at once; once free, the button works."""
    import asyncio

    organisers, question = -100555, "is there a cloakroom for my coat"
    async with running_bot(tmp_path / "data", organiser_chat_id=organisers) as bot:
        bot.api.group(organisers, "Organisers")
        other = sqlite3.connect(tmp_path / "data" / "bot.sqlite3", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            started = time.monotonic()
            reply = await bot.api.ask(question, bot.api.user(1001))
            assert time.monotonic() - started < 3.0
            assert reply.text == escape(bot.runtime.snapshot.assistant.answer(question, "en", bot.clock()).text)
            assert "Ask the organisers" in reply.button_texts
        finally:
            other.execute("COMMIT")
            other.close()
        assert bot.runtime.store.deferred is not None
        assert await asyncio.to_thread(bot.runtime.store.deferred.flush, 10)
        start = len(bot.api.calls)
        await bot.api.press(reply, "Ask the organisers", bot.api.users[1001])
        forwarded = await bot.api.wait_for(lambda c: bot.api.calls.index(c) >= start and c.chat_id == organisers)
        assert question in forwarded.text


async def test_a_clean_stop_while_the_database_is_locked_then_a_restart_sends_nobody_the_announcement_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Clean stop mid-announcement while another process holds the lock; after a restart all 100 have it once."""
    import bot.telegram_app.broadcast as broadcast_module
    from tests.fakes.botapi import FakeBotApi

    # how long the stop waits for the lock before keeping the outcomes
    monkeypatch.setattr(broadcast_module, "SETTLE_SECONDS", 0.2)
    api = FakeBotApi()
    async with running_bot(tmp_path / "data", api=api, admin_ids=frozenset({ADMIN})) as first:
        await subscribers(first, range(2000, 2100))
        other = sqlite3.connect(tmp_path / "data" / "bot.sqlite3", isolation_level=None)
        api.before_result = at_send(30, lambda: other.execute("BEGIN IMMEDIATE"))
        await announce(first)
        await until(first, lambda: other.in_transaction)
    api.before_result = None
    assert reports(first) == []  # stopped before the end: the report comes when it is complete
    other.execute("COMMIT")
    other.close()
    async with running_bot(tmp_path / "data", api=api, admin_ids=frozenset({ADMIN})) as second:
        await until(second, lambda: bool(reports(second)))
        await second.broadcasts_done()
        assert delivered(second) == Counter({chat: 1 for chat in range(2000, 2100)})
        assert len(reports(second)) == 1
        assert second.runtime.store.delivery_counts(announcement_key(1)) == {"sent": 100}


async def test_remind_and_stop_under_a_lock_answer_at_once_and_take_effect_when_it_frees(tmp_path: Path) -> None:
    """While another process holds the lock, /remind and /stop reply at once; subscriptions are saved once it's free."""
    import asyncio

    async with running_bot(tmp_path / "data") as bot:
        staying, leaving = bot.api.user(8801), bot.api.user(8802)
        await bot.api.ask("/remind", leaving)
        other = sqlite3.connect(tmp_path / "data" / "bot.sqlite3", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            started = time.monotonic()
            assert (await bot.api.ask("/remind", staying)).text.startswith("Done!")
            assert (await bot.api.ask("/stop", leaving)).text.startswith("You won't get reminders")
            assert time.monotonic() - started < 3.0
        finally:
            other.execute("COMMIT")
            other.close()
        assert bot.runtime.store.deferred is not None
        assert await asyncio.to_thread(bot.runtime.store.deferred.flush, 10)
        assert bot.runtime.store.subscribers() == [(8801, "en")]
