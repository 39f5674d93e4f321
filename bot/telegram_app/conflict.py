"""Telegram's 409 Conflict (the same token polled by another process): stop with one clear line, no retry loop."""

from __future__ import annotations

import logging

from telegram.error import Conflict
from telegram.ext import ApplicationHandlerStop

from bot.telegram_app.context import Context

log = logging.getLogger(__name__)

CONFLICT = "conflict"  # bot_data flag: the runner exits non-zero when set


async def on_conflict(update: object, context: Context) -> None:
    """On a 409, log one line (once), stop polling and tell the runner to exit non-zero; other errors go on."""
    if not isinstance(context.error, Conflict):
        return
    if not context.bot_data.get(CONFLICT):
        context.bot_data[CONFLICT] = True
        log.error("another process is polling with this bot token (Telegram: 409 Conflict): stopping this one")
        context.application.stop_running()
    raise ApplicationHandlerStop
