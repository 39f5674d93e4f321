"""Before and after the handlers: per-user flood control, and an error handler that keeps the bot up."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.flood import Verdict
from bot.telegram_app.context import Context, reader
from bot.telegram_app.replies import send

log = logging.getLogger(__name__)


async def flood_control(update: Update, context: Context) -> None:
    """Stop a user's updates past the per-minute limit; tell them once, in a private chat."""
    user = update.effective_user
    if user is None:
        return
    runtime = context.runtime
    verdict = runtime.flood.check(user.id, runtime.monotonic())
    if verdict is Verdict.ALLOW:
        return
    chat = update.effective_chat
    if verdict is Verdict.NOTICE and chat is not None and chat.type == ChatType.PRIVATE:
        _, render = reader(update, context)
        await send(context.bot, chat.id, render.ui("flood_notice"))
    raise ApplicationHandlerStop


async def on_error(update: object, context: Context) -> None:
    """Log the failure with the update that caused it and apologise to the user; never re-raise."""
    summary = "no update"
    if isinstance(update, Update):
        kind = next((k for k in ("message", "callback_query", "inline_query", "edited_message") if getattr(update, k, None)), "update")
        chat = update.effective_chat.id if update.effective_chat else None
        summary = f"update {update.update_id} ({kind}, chat {chat})"
    log.error("error while handling %s", summary, exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE:
        try:
            _, render = reader(update, context)
            await send(context.bot, update.effective_chat.id, render.ui("error"))
        except Exception:  # the apology itself failed (network down): it is logged, and that is all we can do
            log.warning("could not tell chat %s about the error", update.effective_chat.id, exc_info=True)
