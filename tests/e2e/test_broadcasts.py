"""Honest broadcasts: failures retried as reported, unconfirmed never resent, one run per key, background resumption."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

from bot.store import Store
from bot.telegram_app.announcements import ANNOUNCE_RETRY_PREFIX, announcement_key
from bot.telegram_app.broadcast import broadcasts
from bot.telegram_app.replies import escape
from tests.e2e.harness import Harness, running_bot
from tests.fakes.botapi import Call

ADMIN = 42
TEXT = "Doors open at nine."


async def subscribe(bot: Harness, users: range) -> None:
    """Each user sends /remind (and so can be messaged)."""
    for user_id in users:
        await bot.api.ask("/remind", bot.api.user(user_id))


async def announce(bot: Harness, text: str = TEXT) -> Call:
    """The admin announces ``text`` and presses Send; returns the preview."""
    preview = await bot.api.ask(f"/announce {text}", bot.api.users[ADMIN])
    await bot.api.press(preview, preview.button_texts[0], bot.api.users[ADMIN])
    return preview


def delivered(bot: Harness, text: str = TEXT) -> list[int]:
    """Chats that received ``text``, in order, repeats included."""
    return [c.chat_id or 0 for c in bot.api.sent() if c.text == text]


async def test_a_failed_announcement_delivery_is_retried_as_the_report_says(tmp_path: Path) -> None:
    """A 502 for one subscriber: the report counts it as retried, the retry job delivers it, then the run is done."""
    async with running_bot(tmp_path / "data", admin_ids=frozenset({ADMIN})) as bot:
        bot.api.user(ADMIN)
        await subscribe(bot, range(100, 105))
        bot.api.fail("sendMessage", 502, "Bad Gateway", chat_id=102)
        await announce(bot)
        report = await bot.api.wait_for(lambda c: c.text.startswith("Announcement sent"))
        assert report.text.startswith(
            "Announcement sent: 4 delivered, 0 unsubscribed because they blocked the bot, "
            "1 failed (retried automatically)"
        )
        await bot.broadcasts_done()
        assert sorted(delivered(bot)) == [100, 101, 103, 104]
        assert bot.app.job_queue is not None
        retry = next(j for j in bot.app.job_queue.jobs() if (j.name or "").startswith(ANNOUNCE_RETRY_PREFIX))
        await retry.run(bot.app)
        await bot.broadcasts_done()
        assert sorted(delivered(bot)) == [100, 101, 102, 103, 104]
        assert bot.runtime.store.unfinished_announcements() == []


async def test_a_send_whose_answer_never_came_is_reported_and_never_resent(tmp_path: Path) -> None:
    """Telegram delivers a message but the request times out: counted as unconfirmed; no retry or reload resends it."""
    async with running_bot(tmp_path / "data", admin_ids=frozenset({ADMIN})) as bot:
        bot.api.user(ADMIN)
        await subscribe(bot, range(100, 104))
        bot.api.lose_answer("sendMessage", chat_id=101)
        await announce(bot)
        report = await bot.api.wait_for(lambda c: c.text.startswith("Announcement sent"))
        assert report.text.endswith(
            "0 failed (retried automatically), "
            "1 unconfirmed (Telegram did not answer; not resent, to avoid duplicates)."
        )
        await bot.broadcasts_done()
        assert sorted(delivered(bot)) == [100, 101, 102, 103]  # it did arrive
        assert bot.runtime.store.unfinished_announcements() == []  # nothing left to resume
        assert bot.runtime.store.delivery_counts(announcement_key(1)) == {"sent": 3, "unconfirmed": 1}
        # Nothing brings it back: a resumption attempt and a second start find nothing to send.
        broadcasts(bot.app).start(announcement_key(1), lambda _lang: TEXT)
        await bot.broadcasts_done()
        assert sorted(delivered(bot)) == [100, 101, 102, 103]


async def test_progress_and_report_survive_failing_edits(tmp_path: Path) -> None:
    """When the status message cannot be edited, the broadcast still completes and the report comes as a new message."""
    async with running_bot(tmp_path / "data", admin_ids=frozenset({ADMIN})) as bot:
        bot.api.user(ADMIN)
        await subscribe(bot, range(100, 130))
        bot.api.fail("editMessageText", 400, "Bad Request: message to edit not found", times=100)
        await announce(bot)
        report = await bot.api.wait_for(lambda c: c.method == "sendMessage" and c.text.startswith("Announcement sent"))
        assert report.chat_id == ADMIN
        assert report.text.startswith("Announcement sent: 30 delivered")
        assert sorted(delivered(bot)) == list(range(100, 130))


async def test_starting_a_running_broadcast_again_joins_it(bot: Harness) -> None:
    """Two starts of the same key while it runs are one run: one task, each subscriber once."""
    await subscribe(bot, range(1, 21))
    first = broadcasts(bot.app).start("test:key", lambda _lang: TEXT)
    second = broadcasts(bot.app).start("test:key", lambda _lang: TEXT)
    assert first is second
    report = await first
    assert report.sent == 20
    assert sorted(delivered(bot)) == list(range(1, 21))


async def test_two_runs_never_claim_the_same_delivery(bot: Harness) -> None:
    """Even two runs of one key side by side (as two processes would be) send to each once: claims are atomic."""
    from bot.telegram_app.broadcast import broadcast

    await subscribe(bot, range(1, 41))
    store = bot.runtime.store
    reports = await asyncio.gather(
        *(broadcast(bot.app.bot, store, "test:twice", lambda _lang: TEXT, bot.clock) for _ in range(2))
    )
    assert sum(r.sent for r in reports) == 40
    assert sorted(delivered(bot)) == list(range(1, 41))


async def test_an_interrupted_announcement_resumes_in_the_background_after_start_up(tmp_path: Path) -> None:
    """An announcement left 'sending' by a crash goes out after start-up (not during it); its author gets the report."""
    store = Store(tmp_path / "data" / "bot.sqlite3")
    store.add_subscribers([11, 12, 13], datetime.fromisoformat("2025-10-01T10:00:00+02:00"))
    announcement_id = store.create_announcement(ADMIN, TEXT, datetime.fromisoformat("2025-10-01T10:00:00+02:00"))
    assert store.start_announcement(announcement_id)
    # in flight at the crash
    assert store.claim(announcement_key(announcement_id), 11, datetime.fromisoformat("2025-10-01T10:00:00+02:00"))
    store.close()
    async with running_bot(tmp_path / "data", admin_ids=frozenset({ADMIN})) as bot:
        for user_id in (11, 12, 13, ADMIN):
            bot.api.user(user_id)
        report = await bot.api.wait_for(lambda c: c.chat_id == ADMIN and c.text.startswith("Announcement sent"))
        assert report.text.startswith("Announcement sent: 3 delivered")
        assert sorted(delivered(bot)) == [11, 12, 13]
        await bot.broadcasts_done()
        assert bot.runtime.store.unfinished_announcements() == []


async def test_a_locked_database_delays_no_answer_and_loses_no_question(tmp_path: Path) -> None:
    """While another process holds the write lock, questions are answered at once and stored once it is free."""
    import sqlite3

    async with running_bot(tmp_path / "data") as bot:
        other = sqlite3.connect(tmp_path / "data" / "bot.sqlite3", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process (a backup, the CLI…) holds the write lock
        try:
            for n in range(3):
                question = f"do you sell pizza number {n}"
                reply = await bot.api.ask(question, bot.api.user(300 + n))
                expected = bot.runtime.snapshot.assistant.answer(question, "en", bot.clock()).text
                assert reply.text == escape(expected)  # the answer itself, not an apology for an error
            assert bot.runtime.store.deferred is not None
            assert bot.runtime.store.deferred.waiting == 3  # queued, not lost
        finally:
            other.execute("COMMIT")
            other.close()
        assert await asyncio.to_thread(bot.runtime.store.deferred.flush, 10)
        stored = {q.text for q in bot.runtime.store.unanswered(since_days=1, now=bot.clock())}
        assert {f"do you sell pizza number {n}" for n in range(3)} <= stored


async def test_one_delivery_failing_unexpectedly_neither_silences_the_run_nor_loses_that_chat(bot: Harness) -> None:
    """A bug in one chat's delivery (no text can be made): the others get it; it is reported as failed and retried."""
    from bot.telegram_app.broadcast import broadcast

    await subscribe(bot, range(1, 11))
    bot.runtime.store.set_language(7, "fr")

    def text_for(lang: str | None) -> str:
        if lang == "fr":
            raise RuntimeError("no French text")
        return TEXT

    report = await broadcast(bot.app.bot, bot.runtime.store, "test:bug", text_for, bot.clock)
    assert (report.sent, report.failed) == (9, 1)
    assert sorted(delivered(bot)) == [1, 2, 3, 4, 5, 6, 8, 9, 10]
    assert bot.runtime.store.retry_left("test:bug") == 1
    again = await broadcast(bot.app.bot, bot.runtime.store, "test:bug", lambda _lang: TEXT, bot.clock)
    assert (again.total, again.sent) == (1, 1)
    assert sorted(delivered(bot)) == list(range(1, 11))
