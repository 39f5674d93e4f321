"""Telegram's 409 Conflict (the same token polled by another process): stop with one clear line, no retry loop."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import Conflict
from telegram.ext import ApplicationHandlerStop

from bot.telegram_app.context import Context

log = logging.getLogger(__name__)

ErrorHandler = Callable[[object, Context], Coroutine[Any, Any, None]]

CONFLICT = "conflict"  # bot_data flag: the runner exits non-zero when set


def stopping_on(error: type[Exception], flag: str, line: str, logger: logging.Logger) -> ErrorHandler:
    """An error handler that, on ``error``, logs ``line`` once, stops the Application, sets ``flag`` for the runner."""

    async def handler(update: object, context: Context) -> None:
        """On the fatal error, log one line (once), stop and tell the runner; other errors go on to the next handler."""
        if not isinstance(context.error, error):
            return
        if not context.bot_data.get(flag):
            context.bot_data[flag] = True
            logger.error(line)
            context.application.stop_running()
        raise ApplicationHandlerStop

    return handler


# On a 409, log one line (once), stop polling and tell the runner to exit non-zero.
on_conflict = stopping_on(
    Conflict,
    CONFLICT,
    "another process is polling with this bot token (Telegram: 409 Conflict): stopping this one",
    log,
)
