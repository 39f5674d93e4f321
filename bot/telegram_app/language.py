"""/language: choose English, Dutch or French with buttons; remembered in the store."""

from __future__ import annotations

from telegram import Update

from bot.assistant import supported_lang
from bot.knowledge import LANGS
from bot.telegram_app.context import Context, button_tap, reader
from bot.telegram_app.guards import expired_button
from bot.telegram_app.replies import LANGUAGE, buttons, reply, say


async def language(update: Update, context: Context) -> None:
    """Offer the three languages as buttons."""
    if update.effective_chat is None:
        return
    _, render = reader(update, context)
    keyboard = buttons([[(render.ui(f"language_button_{lang}"), f"{LANGUAGE}{lang}") for lang in LANGS]])
    await reply(update, context, render.ui("language_prompt"), keyboard)


async def choose_language(update: Update, context: Context) -> None:
    """A language button: remember it for this chat (answers, menus, reminders) and confirm in it."""
    tap = await button_tap(update, context, answer=False)  # answered once the data is known to be a language
    if tap is None:
        return
    chosen = tap.data.removeprefix(LANGUAGE)
    if chosen not in LANGS:  # forged data
        await expired_button(update, context)
        return
    await tap.query.answer()
    tap.runtime.store.set_language(tap.chat.id, supported_lang(chosen))
    await say(update, context, "language_set")  # read after the change: confirmed in the new language
