"""The command menu and the bot's descriptions, registered per scope and language at start-up."""

from __future__ import annotations

from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats, BotCommandScopeChat

from bot.knowledge import DEFAULT_LANG, LANGS
from bot.live import Snapshot
from bot.telegram_app.context import App, Runtime

PRIVATE = ("start", "when", "where", "keynote", "themes", "register", "calendar", "faq", "remind", "stop", "status", "language",
           "privacy", "forget", "help")  # fmt: skip
GROUP = ("when", "where", "keynote", "themes", "register", "calendar", "faq", "help")
ADMIN = ("reload", "stats", "unanswered", "undo", "announce")


def commands(snapshot: Snapshot, runtime: Runtime, lang: str, names: tuple[str, ...]) -> list[BotCommand]:
    """``names`` as BotCommands described in ``lang``."""
    render = snapshot.assistant.renderer(lang, runtime.clock())  # type: ignore[arg-type]
    return [BotCommand(name, render.ui(f"cmd_{name}")[:256]) for name in names]


async def register_menu(application: App) -> None:
    """SetMyCommands for private chats, groups and each admin, and setMyDescription, in every language."""
    runtime: Runtime = application.bot_data["runtime"]
    snapshot = runtime.snapshot
    bot = application.bot
    for lang in LANGS:
        code = None if lang == DEFAULT_LANG else lang
        await bot.set_my_commands(commands(snapshot, runtime, lang, PRIVATE), scope=BotCommandScopeAllPrivateChats(), language_code=code)
        await bot.set_my_commands(commands(snapshot, runtime, lang, GROUP), scope=BotCommandScopeAllGroupChats(), language_code=code)
        render = snapshot.assistant.renderer(lang, runtime.clock())
        await bot.set_my_description(render.ui("bot_description")[:512], language_code=code)
        await bot.set_my_short_description(render.ui("bot_short_description")[:120], language_code=code)
    for admin in sorted(runtime.settings.admin_ids):
        await bot.set_my_commands(commands(snapshot, runtime, DEFAULT_LANG, PRIVATE + ADMIN), scope=BotCommandScopeChat(admin))
