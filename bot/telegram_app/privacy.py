"""Privacy: /privacy says what is stored and why, /forget deletes it, and old questions are purged."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatID, ChatMemberStatus, ChatType
from telegram.error import BadRequest

from bot.telegram_app.context import Context, reader
from bot.telegram_app.replies import reply, say

log = logging.getLogger(__name__)

PURGE_JOB = "purge-questions"
GROUP_ADMINS = (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)


async def privacy(update: Update, context: Context) -> None:
    """/privacy: what the bot keeps, for how long, how to delete it, and who is responsible for it."""
    _, render = reader(update, context)
    text = render.ui("privacy", retention_days=str(context.runtime.settings.retention_days))
    await reply(update, context, f"{text}\n\n{render.ui('privacy_responsible')}")


async def forget(update: Update, context: Context) -> None:
    """/forget: delete this chat's rows and the questions this user asked; in groups, for chat administrators only."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return
    _, render = reader(update, context)  # read the language before it is forgotten
    message = update.effective_message
    # An anonymous administrator writes as the group itself (Telegram's placeholder user GroupAnonymousBot):
    # only administrators can, and the placeholder is nobody's account, so there are no questions of theirs to delete.
    anonymous = message is not None and message.sender_chat is not None and message.sender_chat.id == chat.id
    if chat.type != ChatType.PRIVATE and not anonymous and not await _group_admin(context, chat.id, user.id):
        await say(update, context, "forget_admins_only")
        return
    asker = None if anonymous or user.id == ChatID.ANONYMOUS_ADMIN else user.id
    context.runtime.store.forget(chat.id, asker)
    log.info("forgot a chat on request")
    await reply(update, context, render.ui("forgotten"))


async def _group_admin(context: Context, chat_id: int, user_id: int) -> bool:
    """Whether ``user_id`` administers the group (``False`` if Telegram cannot say, e.g. for a placeholder account)."""
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except BadRequest:  # "user not found": not a member we can check, so not an administrator
        return False
    return member.status in GROUP_ADMINS


async def purge_job(context: Context) -> None:
    """Delete questions older than the retention period."""
    runtime = context.runtime
    removed = runtime.store.purge_questions(runtime.settings.retention_days, runtime.clock())
    if removed:
        log.info("purged %s question(s) older than %s days", removed, runtime.settings.retention_days)
