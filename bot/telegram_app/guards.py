"""Before and after the handlers: flood control per kind, expired buttons, and an error handler keeping the bot up."""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.flood import Verdict
from bot.telegram_app.context import Context, reader
from bot.telegram_app.replies import say

log = logging.getLogger(__name__)


async def flood_control(update: Update, context: Context) -> None:
    """Stop updates past the per-minute limits: messages, commands and taps per chat; inline queries per user, apart.

    A chat over its limit gets one notice (a refused button tap is always answered);
    refused inline queries are dropped and never count against anyone's chat.
    """
    runtime = context.runtime
    if update.inline_query is not None:
        if runtime.inline_flood.check(update.inline_query.from_user.id, runtime.monotonic()) is not Verdict.ALLOW:
            raise ApplicationHandlerStop
        return
    chat, user, query = update.effective_chat, update.effective_user, update.callback_query
    if chat is None and user is None:
        return
    # Per chat, and per member in groups: one member's flood never silences the group (a button under an inline message
    # has no chat).
    key = (chat.id if chat else None, user.id if user and (chat is None or chat.type != ChatType.PRIVATE) else None)
    verdict = runtime.flood.check(key, runtime.monotonic())
    if verdict is Verdict.ALLOW:
        return
    if query is not None:
        _, render = reader(update, context)
        await query.answer(render.ui("flood_notice"))
    elif verdict is Verdict.NOTICE:
        await say(update, context, "flood_notice")
    raise ApplicationHandlerStop


async def expired_button(update: Update, context: Context) -> None:
    """A button no handler recognises (stale, from an older version, or forged): say so, never leave a spinner."""
    query = update.callback_query
    if query is not None:
        _, render = reader(update, context)
        await query.answer(render.ui("button_expired"), show_alert=True)


async def on_error(update: object, context: Context) -> None:
    """Log the failure (update id and kind only), answer a pending button, apologise in private; never re-raise."""
    summary = "no update"
    if isinstance(update, Update):
        kind = next(
            (k for k in ("message", "callback_query", "inline_query", "edited_message") if getattr(update, k, None)),
            "update",
        )
        summary = f"update {update.update_id} ({kind})"
    log.error("error while handling %s", summary, exc_info=context.error)
    if not isinstance(update, Update):
        return
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):  # already answered, or too old: nothing more to do
            _, render = reader(update, context)
            await update.callback_query.answer(render.ui("button_expired"), show_alert=True)
    if update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE:
        try:
            await say(update, context, "error")
        except Exception:  # the apology itself failed (network down): it is logged, and that is all we can do
            log.warning("could not tell the user about the error in update %s", update.update_id, exc_info=True)
