"""Subscriptions, reminder delivery and announcements through the real Application and JobQueue."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from tests.conftest import KB, at_day, fill, moment, shown
from tests.e2e.harness import Harness, running_bot
from tests.fakes.botapi import FakeBotApi

AFTER_LAST = at_day(0, 10)
WEEK_BEFORE = moment(at_day(-7, 9))


async def run_job(bot: Harness, name: str) -> None:
    """Run the job called ``name`` now and wait for the broadcast it starts in the background."""
    await bot.job(name).run(bot.app)
    await bot.broadcasts_done()


async def test_remind_subscribes_and_status_says_when(bot: Harness) -> None:
    """/remind subscribes with the next reminder's local time; /status repeats it; /stop unsubscribes."""
    reply = await bot.api.ask("/remind")
    assert (
        reply.text
        == fill("Done! I'll remind you before {name} {edition}.")
        + f" Next reminder: {WEEK_BEFORE}. Send /stop to unsubscribe."
    )
    assert (await bot.api.ask("/remind")).text == f"You're already subscribed. Next reminder: {WEEK_BEFORE}."
    assert (await bot.api.ask("/status")).text == f"You're subscribed. Next reminder: {WEEK_BEFORE}."
    assert (await bot.api.ask("/stop")).text == "You won't get reminders any more. Send /remind to subscribe again."
    assert (await bot.api.ask("/status")).text.startswith("You're not subscribed.")
    assert (await bot.api.ask("/stop")).text == "You weren't subscribed to reminders."
    assert bot.runtime.store.subscribers() == []


async def test_remind_me_button_under_the_date_subscribes(bot: Harness) -> None:
    """The "Remind me" button under /when subscribes the chat."""
    when = await bot.api.ask("/when")
    await bot.api.press(when, "Remind me")
    reply = await bot.api.wait_for(lambda c: c.method == "sendMessage" and c.text.startswith("Done!"))
    assert reply.chat_id == 1001
    assert bot.runtime.store.is_subscribed(1001)


async def test_subscribing_too_late_is_refused_honestly(tmp_path: Path) -> None:
    """After the last reminder (on the day), /remind explains instead of subscribing."""
    async with running_bot(tmp_path / "a", now=AFTER_LAST) as bot:
        reply = await bot.api.ask("/remind")
        assert reply.text == fill(
            "All reminders for {name} {edition} have already gone out ({date}), so I haven't subscribed you."
        )
        assert bot.runtime.store.subscribers() == []


async def test_reminder_jobs_are_scheduled_with_stable_names(bot: Harness) -> None:
    """At start-up each reminder from knowledge/ becomes a job named after it, carrying its local time."""
    assert bot.app.job_queue is not None
    jobs = {
        j.name: cast("dict[str, str]", j.data)["at"]
        for j in bot.app.job_queue.jobs()
        if j.name and j.name.startswith("reminder:")
    }
    assert jobs == {
        "reminder:week-before": at_day(-7, 9).isoformat(),
        "reminder:day-before": at_day(-1, 9).isoformat(),
        "reminder:morning-of": at_day(0, 8).isoformat(),
    }


async def test_a_reminder_reaches_each_subscriber_once_in_their_language(bot: Harness) -> None:
    """Running the day-before job sends each subscriber one reminder in their language; running it again sends none."""
    for user_id, lang in ((1, "en"), (2, "nl"), (3, "fr")):
        await bot.api.ask("/remind", bot.api.user(user_id, lang))
    start = len(bot.api.calls)
    await run_job(bot, "reminder:day-before")
    sent = {c.chat_id: c.text for c in bot.api.calls[start:] if c.method == "sendMessage"}
    assert sent == {
        1: shown("Tomorrow: {name} {edition}, {date}, in {city}. Theme: “{theme}”, focus: “{focus}”. See you there!"),
        2: shown("Morgen: {name} {edition}, {date}, in {city}. Thema: “{theme}”, focus: “{focus}”. Tot dan!", "nl"),
        3: shown(
            "Demain : {name} {edition}, le {date}, à {city}. Thème : « {theme} », focus : « {focus} ». À demain !", "fr"
        ),
    }
    start = len(bot.api.calls)
    await run_job(bot, "reminder:day-before")
    assert [c for c in bot.api.calls[start:] if c.method == "sendMessage"] == []


async def test_missed_reminder_within_grace_is_sent_at_start_up(tmp_path: Path) -> None:
    """Back up 30 minutes after a reminder was due: it goes out at start-up to those who have not had it."""
    from bot.store import Store

    store = Store(tmp_path / "data" / "bot.sqlite3")
    store.add_subscribers([11, 12], at_day(-30, 10))
    store.close()
    api = FakeBotApi()
    api.user(11)  # both chats exist before the bot starts: the start-up catch-up finds them whenever it runs
    api.user(12)
    async with running_bot(tmp_path / "data", now=at_day(-1, 9, 30), api=api) as bot:
        calls = await bot.api.count("sendMessage", 2)
        assert {c.chat_id for c in calls} == {11, 12}
        assert all(c.text.startswith(fill("Tomorrow: {name} {edition}")) for c in calls)


async def test_stale_reminder_is_skipped_not_burst(tmp_path: Path) -> None:
    """Back up two hours after a reminder was due: it is skipped, and the next one stays scheduled."""
    from bot.store import Store

    store = Store(tmp_path / "data" / "bot.sqlite3")
    store.add_subscribers([11], at_day(-30, 10))
    store.close()
    async with running_bot(tmp_path / "data", now=at_day(-1, 11)) as bot:
        bot.api.user(11)
        assert bot.app.job_queue is not None
        names = sorted(j.name or "" for j in bot.app.job_queue.jobs() if (j.name or "").startswith("reminder:"))
        assert names == ["reminder:morning-of"]
        reply = await bot.api.ask("/status", bot.api.users[11])
        assert reply.text == f"You're subscribed. Next reminder: {moment(at_day(0, 8))}."
        assert [c for c in bot.api.sent() if c.text.startswith("Tomorrow")] == []


async def test_broadcast_survives_429_403_and_5xx(bot: Harness) -> None:
    """A 429 waits and continues, a 403 unsubscribes, a 5xx is retried later: everyone else gets exactly one."""
    for user_id in range(1, 6):
        await bot.api.ask("/remind", bot.api.user(user_id))
    bot.api.fail("sendMessage", 429, "Too Many Requests: retry after 1", chat_id=2, retry_after=1)
    bot.api.fail("sendMessage", 403, "Forbidden: bot was blocked by the user", chat_id=3)
    bot.api.fail("sendMessage", 502, "Bad Gateway", chat_id=4)
    start = len(bot.api.calls)
    await run_job(bot, "reminder:week-before")
    delivered = [
        c.chat_id
        for c in bot.api.calls[start:]
        if c.method == "sendMessage" and c.status == 200 and c.chat_id is not None
    ]
    assert sorted(delivered) == [1, 2, 5]
    assert not bot.runtime.store.is_subscribed(3)
    assert bot.runtime.store.delivery_counts(f"reminder:{KB.event.edition}:week-before") == {
        "sent": 3,
        "blocked": 1,
        "failed": 1,
    }
    await run_job(bot, "reminder-retry:week-before")
    delivered = [
        c.chat_id
        for c in bot.api.calls[start:]
        if c.method == "sendMessage" and c.status == 200 and c.chat_id is not None
    ]
    assert sorted(delivered) == [1, 2, 4, 5]


async def test_announcement_preview_send_progress_and_report(tmp_path: Path) -> None:
    """An admin's /announce shows a preview; Send broadcasts once to all, with a progress message ending in a report."""
    async with running_bot(tmp_path / "data", admin_ids=frozenset({42})) as bot:
        admin = bot.api.user(42)
        for user_id in range(100, 125):
            await bot.api.ask("/remind", bot.api.user(user_id))
        bot.api.blocked.add(110)
        preview = await bot.api.ask("/announce Doors open at <b>9:00</b> & coffee is served.", admin)
        assert preview.text == (
            "Preview of the announcement to 25 subscriber(s):\n\n"
            "Doors open at &lt;b&gt;9:00&lt;/b&gt; &amp; coffee is served."
        )
        assert preview.button_texts == ["Send", "Cancel"]
        await bot.api.press(preview, "Send", admin)
        final = await bot.api.wait_for(
            lambda c: c.method == "editMessageText" and c.text.startswith("Announcement sent")
        )
        assert (
            final.text == "Announcement sent: 24 delivered, 1 unsubscribed because they blocked the bot, "
            "0 failed (retried automatically), "
            "0 unconfirmed (Telegram did not answer; not resent, to avoid duplicates)."
        )
        deliveries = [
            c for c in bot.api.sent() if c.text == "Doors open at &lt;b&gt;9:00&lt;/b&gt; &amp; coffee is served."
        ]
        assert sorted(c.chat_id or 0 for c in deliveries) == [u for u in range(100, 125) if u != 110]
        progress = [c.text for c in bot.api.sent("editMessageText")]
        assert progress[0].startswith("Sending… ")
        assert progress[0].endswith(" / 25")
        await bot.api.press(preview, "Send", admin)  # pressing again sends nothing
        await bot.api.wait_for(lambda c: c.text == "That announcement was already sent or cancelled.")
        assert len([c for c in bot.api.sent() if c.text.startswith("Doors open")]) == 24


async def test_announcement_can_be_cancelled_and_is_admin_only(tmp_path: Path) -> None:
    """Cancel sends nothing; a non-admin's /announce looks like an unknown command."""
    async with running_bot(tmp_path / "data", admin_ids=frozenset({42})) as bot:
        await bot.api.ask("/remind", bot.api.user(7))
        stranger = await bot.api.ask("/announce Free beer!", bot.api.user(7))
        assert stranger.text == "I don't know that command. Send /help to see what I can do."
        preview = await bot.api.ask("/announce Free beer!", bot.api.user(42))
        await bot.api.press(preview, "Send", bot.api.users[7])  # a non-admin pressing the button does nothing
        await bot.api.press(preview, "Cancel", bot.api.users[42])
        await bot.api.wait_for(lambda c: c.text == "Announcement cancelled; nothing was sent.")
        assert [c for c in bot.api.sent() if c.text == "Free beer!"] == []
        usage = await bot.api.ask("/announce", bot.api.users[42])
        assert usage.text.startswith("Write the announcement after the command")


async def test_announcement_as_long_as_telegram_allows_is_previewed_and_sent(tmp_path: Path) -> None:
    """An emoji announcement that fills a whole message previews in two parts Telegram accepts and arrives intact."""
    async with running_bot(tmp_path / "data", admin_ids=frozenset({42})) as bot:
        admin = bot.api.user(42)
        await bot.api.ask("/remind", bot.api.user(7))
        text = "🎉" * 2040  # 4,080 UTF-16 units: with "/announce " the longest message Telegram delivers
        start = len(bot.api.calls)
        await bot.api.send(f"/announce {text}", admin)
        await bot.api.count("sendMessage", 3)  # /remind's reply and the preview's two parts
        preview = [c for c in bot.api.calls[start:] if c.method == "sendMessage"]
        assert [c.text for c in preview] == ["Preview of the announcement to 1 subscriber(s):", text]
        assert preview[-1].button_texts == ["Send", "Cancel"]
        await bot.api.press(preview[-1], "Send", admin)
        delivered = await bot.api.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == 7 and c.text == text)
        assert delivered.status == 200
