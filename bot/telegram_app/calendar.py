"""/calendar: the event as an .ics file, in the reader's language."""

from __future__ import annotations

from telegram import InputFile, Update
from telegram.constants import ChatAction, ParseMode

from bot.calendar_file import build_ics, ics_filename
from bot.telegram_app.context import Context, reader
from bot.telegram_app.replies import escape, thread_of


async def calendar(update: Update, context: Context) -> None:
    """Send the event as a calendar file (all-day when no start time is known)."""
    chat = update.effective_chat
    if chat is None:
        return
    if update.callback_query is not None:  # the "Add to calendar" button
        await update.callback_query.answer()
    _, render = reader(update, context)
    thread = thread_of(update)
    await context.bot.send_chat_action(chat.id, ChatAction.UPLOAD_DOCUMENT, message_thread_id=thread)
    document = InputFile(build_ics(render, context.runtime.clock()), filename=ics_filename(render))
    caption = escape(render.ui("calendar_caption"))
    await context.bot.send_document(
        chat.id, document, caption=caption, parse_mode=ParseMode.HTML, message_thread_id=thread
    )
