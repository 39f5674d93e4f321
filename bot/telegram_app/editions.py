"""A new edition published: offer admins to notify the subscribers, and send it once each when they press the button."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot.editions import notify_key, published
from bot.languages import language_in
from bot.live import Snapshot
from bot.render import phase_at
from bot.telegram_app.broadcast import Report, broadcasts
from bot.telegram_app.context import App, Context, Runtime, button_tap, reader
from bot.telegram_app.menu import register_menu
from bot.telegram_app.replies import buttons, reply, send

log = logging.getLogger(__name__)

NOTIFY = "ne:"


async def after_reload(application: App, before: Snapshot) -> None:
    """After a reload: refresh the command menu if faq.yaml's commands changed; offer a new edition's notification."""
    runtime: Runtime = application.bot_data["runtime"]
    now = runtime.snapshot
    if tuple(now.knowledge.by_command) != tuple(before.knowledge.by_command):
        try:
            await register_menu(application)
        except TelegramError as exc:  # the menu is registered again at every start; the offer below must still go
            log.warning("could not refresh the command menu after a reload: %s", exc)
    if not published(before.knowledge, now.knowledge, runtime.clock()):
        return
    waiting = str(len(runtime.store.pending(notify_key(now.knowledge))))
    for admin_id in sorted(runtime.settings.admin_ids):
        render = now.assistant.renderer(runtime.lang_for(admin_id, None), runtime.clock())
        preview = render.ui("new_edition_preview", subscribers=waiting, text=render.ui("new_edition_message"))
        keyboard = buttons([[(render.ui("new_edition_notify_button"), NOTIFY + now.knowledge.event.edition[:60])]])
        try:
            await send(application.bot, admin_id, preview, keyboard)
        except TelegramError as exc:  # an admin who never pressed Start cannot be messaged
            log.warning("could not tell an admin about the new edition: %s", exc)  # no user id in the log


async def notify_button(update: Update, context: Context) -> None:
    """An admin pressed "Notify subscribers": each subscriber gets the message once (the delivery log sees to it)."""
    tap = await button_tap(update, context)
    if tap is None:
        return
    snapshot, render = reader(update, context)
    knowledge = snapshot.knowledge
    if (
        tap.data.removeprefix(NOTIFY) != knowledge.event.edition[:60]
        or phase_at(knowledge.event, tap.runtime.clock()) == "after"
    ):
        await reply(update, context, render.ui("new_edition_gone"))
        return

    def text_for(lang: str | None) -> str:
        return snapshot.assistant.renderer(language_in(knowledge.locales, lang), tap.runtime.clock()).ui(
            "new_edition_message"
        )

    application = context.application

    async def on_done(report: Report) -> None:
        await send(application.bot, tap.chat.id, report.text(render, "new_edition_report"))

    # In the background, like every broadcast: the delivery log sends it once per chat, however often it is pressed.
    broadcasts(application).start(notify_key(knowledge), text_for, on_done=on_done)  # type: ignore[arg-type]
