"""A group that becomes a supergroup gets a new chat id: its subscription, language and deliveries follow it."""

from __future__ import annotations

import logging

from telegram import Update

from bot.telegram_app.context import Context

log = logging.getLogger(__name__)


async def migrated(update: Update, context: Context) -> None:
    """Telegram's message about a migration (in the old group and in the new supergroup): move the chat's rows once."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id is not None:  # in the old group
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id is not None:  # in the new supergroup
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    if context.runtime.store.migrate_chat(old, new):
        log.info("a group became a supergroup: its subscription and language moved to the new chat")  # no chat ids
