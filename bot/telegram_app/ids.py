"""/id: the numeric ids an organiser needs for ADMIN_IDS and ORGANISER_CHAT_ID, from the bot itself.

Anyone may send it, in a private chat or a group; the answer holds only the ids of that
chat and of the sender, goes only to that chat, and nothing is stored or logged.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.telegram_app.context import Context
from bot.telegram_app.replies import say


async def ids(update: Update, context: Context) -> None:
    """/id: in a private chat the sender's user id; in a group also the group's chat id."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return
    if chat.type == ChatType.PRIVATE:
        await say(update, context, "ids_private", user_id=str(user.id))
    else:
        await say(update, context, "ids_group", chat_id=str(chat.id), user_id=str(user.id))
