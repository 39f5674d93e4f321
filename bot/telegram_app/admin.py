"""Organisers' commands, for ADMIN_IDS only: everyone else gets the unknown-command reply, revealing nothing."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Bot, Update
from telegram.constants import ParseMode

from bot.telegram_app.answers import unknown_command
from bot.telegram_app.broadcast import Report, broadcast
from bot.telegram_app.context import App, Context, Runtime, reader
from bot.telegram_app.replies import buttons, escape, send

log = logging.getLogger(__name__)

Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]
ANNOUNCE = "an:"


def admin_only(handler: Handler) -> Handler:
    """Run ``handler`` for admins; answer anyone else exactly as an unknown command would."""

    @functools.wraps(handler)
    async def guarded(update: Update, context: Context) -> None:
        user = update.effective_user
        if context.runtime.is_admin(user.id if user else None):
            await handler(update, context)
        elif update.callback_query is not None:
            await update.callback_query.answer()
        else:
            await unknown_command(update, context)

    return guarded


def announcement_key(announcement_id: int) -> str:
    """The delivery-log key of an announcement."""
    return f"announce:{announcement_id}"


@admin_only
async def announce(update: Update, context: Context) -> None:
    """/announce <text>: a preview with Send and Cancel buttons."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None or update.effective_user is None:
        return
    runtime = context.runtime
    _, render = reader(update, context)
    text = (message.text or "").partition(" ")[2].strip()
    if not text:
        await send(context.bot, chat.id, render.ui("announce_usage"))
        return
    announcement_id = runtime.store.create_announcement(update.effective_user.id, text, runtime.clock())
    preview = render.ui("announce_preview", subscribers=str(len(runtime.store.subscribers())), text=text)
    keyboard = buttons([[(render.ui("announce_send_button"), f"{ANNOUNCE}send:{announcement_id}"),
                         (render.ui("announce_cancel_button"), f"{ANNOUNCE}cancel:{announcement_id}")]])  # fmt: skip
    await send(context.bot, chat.id, preview, keyboard)


@admin_only
async def announce_button(update: Update, context: Context) -> None:
    """Send or Cancel under a preview."""
    query = update.callback_query
    chat = update.effective_chat
    if query is None or query.data is None or chat is None:
        return
    await query.answer()
    runtime = context.runtime
    _, render = reader(update, context)
    action, _, raw_id = query.data.removeprefix(ANNOUNCE).partition(":")
    found = runtime.store.announcement(int(raw_id)) if raw_id.isdigit() else None
    if found is None or found[1] != "draft":
        await send(context.bot, chat.id, render.ui("announce_gone"))
        return
    announcement_id = int(raw_id)
    if action == "cancel":
        runtime.store.set_announcement_state(announcement_id, "cancelled")
        await send(context.bot, chat.id, render.ui("announce_cancelled"))
        return
    runtime.store.set_announcement_state(announcement_id, "sending")
    total = len(runtime.store.pending(announcement_key(announcement_id)))
    status = await send(context.bot, chat.id, render.ui("announce_progress", sent="0", total=f"{total:,}"))
    step = max(1, total // 20)

    async def progress(report: Report) -> None:
        if report.done % step == 0 and report.done < report.total:
            await context.bot.edit_message_text(
                escape(render.ui("announce_progress", sent=f"{report.done:,}", total=f"{report.total:,}")),
                chat_id=chat.id, message_id=status.message_id, parse_mode=ParseMode.HTML,
            )  # fmt: skip

    report = await send_announcement(context.bot, runtime, announcement_id, found[0], progress)
    final = render.ui("announce_report", sent=f"{report.sent:,}", blocked=f"{report.blocked:,}", failed=f"{report.failed:,}")
    await context.bot.edit_message_text(escape(final), chat_id=chat.id, message_id=status.message_id, parse_mode=ParseMode.HTML)


async def send_announcement(
    bot: Bot, runtime: Runtime, announcement_id: int, text: str, progress: Callable[[Report], Awaitable[None]] | None = None
) -> Report:
    """Broadcast an announcement (as written, in every language) and mark it done."""
    report = await broadcast(bot, runtime.store, announcement_key(announcement_id), lambda _lang: text, runtime.clock, progress)
    runtime.store.set_announcement_state(announcement_id, "done")
    return report


async def resume_announcements(application: App) -> None:
    """Finish broadcasts interrupted by a crash or restart (exactly once, like reminders)."""
    runtime: Runtime = application.bot_data["runtime"]
    for announcement_id in runtime.store.unfinished_announcements():
        found = runtime.store.announcement(announcement_id)
        if found is not None:
            log.info("resuming announcement %s", announcement_id)
            await send_announcement(application.bot, runtime, announcement_id, found[0])
