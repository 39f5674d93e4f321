"""Who may use the organisers' commands: ADMIN_IDS only; everyone else gets the unknown-command reply, revealing nothing."""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update

from bot.telegram_app.answers import unknown_command
from bot.telegram_app.context import Context

Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]


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
