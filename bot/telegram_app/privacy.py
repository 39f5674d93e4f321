"""Privacy: /privacy says what is stored and why, /forget deletes it, and old questions are purged."""

from __future__ import annotations

import logging

from telegram import Update

from bot.telegram_app.context import Context, reader
from bot.telegram_app.replies import say, send

log = logging.getLogger(__name__)

PURGE_JOB = "purge-questions"


async def privacy(update: Update, context: Context) -> None:
    """/privacy: what the bot keeps, for how long, and how to delete it."""
    await say(update, context, "privacy", retention_days=str(context.runtime.settings.retention_days))


async def forget(update: Update, context: Context) -> None:
    """/forget: delete the subscription, deliveries and everything else about this chat, then confirm."""
    if update.effective_chat is None:
        return
    _, render = reader(update, context)  # read the language before it is forgotten
    context.runtime.store.forget(update.effective_chat.id)
    await send(context.bot, update.effective_chat.id, render.ui("forgotten"))


async def purge_job(context: Context) -> None:
    """Delete questions older than the retention period."""
    runtime = context.runtime
    removed = runtime.store.purge_questions(runtime.settings.retention_days, runtime.clock())
    if removed:
        log.info("purged %s question(s) older than %s days", removed, runtime.settings.retention_days)
