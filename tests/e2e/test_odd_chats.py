"""Chats that change or speak oddly: edited commands, anonymous group administrators, groups that become supergroups."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.harness import Harness, running_bot
from tests.fakes.botapi import ANONYMOUS_ADMIN


async def edit(bot: Harness, text: str, user: dict[str, Any], chat: dict[str, Any] | None = None) -> dict[str, Any]:
    """``user`` edits an earlier message of theirs to read ``text`` (Telegram sends an edited_message update)."""
    message = bot.api.message(text, user, chat, edit_date=int(time.time()))
    return await bot.api.push({"edited_message": message})


async def test_edited_messages_never_run_commands(tmp_path: Path) -> None:
    """Editing a message into /forget, /stop, /start or /remind does nothing: no reply; subscription, language stay."""
    async with running_bot(tmp_path / "data") as bot:
        user = bot.api.user(1001)
        assert (await bot.api.ask("/remind", user)).text.startswith("Done!")
        bot.runtime.store.set_language(user["id"], "fr")
        start = len(bot.api.calls)
        for command in ("/forget", "/stop", "/start", "/remind", "/language"):
            await edit(bot, command, user)
        status = await bot.api.ask("/status", user)  # updates are handled in order: the edits came first
        render = bot.runtime.snapshot.assistant.renderer("fr", bot.clock())
        assert status.text.startswith(render.ui("status_subscribed", when="").split(":")[0])
        assert [c for c in bot.api.calls[start:] if c.chat_id == user["id"] and c.method == "sendMessage"] == [status]
        assert bot.runtime.store.is_subscribed(user["id"])
        assert bot.runtime.store.language(user["id"]) == "fr"


async def test_an_anonymous_group_admin_can_forget_the_group(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """/forget from an anonymous administrator (as the group) deletes the group's settings, replying without error."""
    async with running_bot(tmp_path / "data") as bot:
        group = bot.api.group()
        bot.runtime.store.set_language(group["id"], "nl")
        bot.runtime.store.subscribe(group["id"], bot.clock())
        render = bot.runtime.snapshot.assistant.renderer("nl", bot.clock())
        start = len(bot.api.calls)
        update = await bot.api.send("/forget", ANONYMOUS_ADMIN, group, sender_chat=group)
        update["_seen"] = start
        done = await bot.api.reply_to(update)
        assert done.text == render.ui("forgotten")
        assert bot.runtime.store.rows_about(group["id"]) == 0
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_the_placeholder_account_without_sender_chat_is_refused_politely(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """/forget from the placeholder account Telegram cannot look up gets the "administrators only" reply, no error."""
    async with running_bot(tmp_path / "data") as bot:
        group = bot.api.group()
        bot.runtime.store.set_language(group["id"], "en")
        refused = await bot.api.ask("/forget", ANONYMOUS_ADMIN, group)
        assert refused.text == bot.runtime.snapshot.assistant.renderer("en", bot.clock()).ui("forget_admins_only")
        assert bot.runtime.store.language(group["id"]) == "en"
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_group_that_becomes_a_supergroup_keeps_its_subscription_language_and_reminders(tmp_path: Path) -> None:
    """After migration /status in the supergroup says subscribed (in its language); the reminder reaches the new id."""
    async with running_bot(tmp_path / "data") as bot:
        group: dict[str, Any] = {"id": -4001, "type": "group", "title": "Attendees"}
        bot.api.chats[group["id"]] = group
        member = bot.api.user(501)
        assert (await bot.api.ask("/remind", member, group)).text.startswith("Done!")
        bot.runtime.store.set_language(group["id"], "nl")
        migrated = await bot.api.migrate(group, -1004001, member)
        supergroup = migrated["message"]["chat"]
        status = await bot.api.ask("/status", member, supergroup)
        render = bot.runtime.snapshot.assistant.renderer("nl", bot.clock())
        assert status.text.startswith(render.ui("status_subscribed", when="").split(":")[0])
        assert bot.runtime.store.subscribers() == [(supergroup["id"], "nl")]
        assert bot.runtime.store.rows_about(group["id"]) == 0
        assert bot.app.job_queue is not None
        start = len(bot.api.calls)
        reminder = next(j for j in bot.app.job_queue.jobs() if (j.name or "").startswith("reminder:"))
        await reminder.run(bot.app)
        sent = [c for c in bot.api.calls[start:] if c.method == "sendMessage"]
        assert [c.chat_id for c in sent] == [supergroup["id"]]
        assert sent[0].status == 200
