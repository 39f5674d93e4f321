"""Who may use the organisers' commands and buttons: ADMIN_IDS only (``Runtime.is_admin``, the one check).

Commands and the reply to a "write the answer" prompt are routed by the ``Admins`` filter, so
anyone else's message goes on to the handlers after them (an organisers' command then gets the
unknown-command reply, revealing nothing). Buttons, which have no filters, are wrapped by
``admin_only``: anyone else's tap is answered and does nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import filters

from bot.telegram_app.context import Context, Runtime

Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]


class Admins(filters.UpdateFilter):
    """Updates from one of ADMIN_IDS."""

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(name="Admins")
        self.runtime = runtime

    def filter(self, update: Update) -> bool:
        """Whether the sender is an admin."""
        user = update.effective_user
        return self.runtime.is_admin(user.id if user else None)


def admin_only(handler: Handler) -> Handler:
    """Run the button handler ``handler`` for admins; answer anyone else's tap and do nothing."""

    @functools.wraps(handler)
    async def guarded(update: Update, context: Context) -> None:
        user = update.effective_user
        if context.runtime.is_admin(user.id if user else None):
            await handler(update, context)
        elif update.callback_query is not None:
            await update.callback_query.answer()

    return guarded
