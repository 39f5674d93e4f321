"""The command menu and the bot's descriptions, registered per scope and language at start-up."""

from __future__ import annotations

from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats, BotCommandScopeChat

from bot.commands import help_list, menu
from bot.knowledge import DEFAULT_LANG, LANGS
from bot.live import Snapshot
from bot.render import Renderer
from bot.telegram_app.context import App, Runtime


def describe(snapshot: Snapshot, render: Renderer, name: str) -> str:
    """A command's description: ``cmd_<name>`` from the locale files, else the title of the entry it opens."""
    entry = snapshot.knowledge.by_command.get(name)
    has_text = any(f"cmd_{name}" in strings for strings in snapshot.knowledge.locales.values())
    return render.ui(f"cmd_{name}") if has_text or entry is None else render.title(entry)


def commands(snapshot: Snapshot, runtime: Runtime, lang: str, names: tuple[str, ...]) -> list[BotCommand]:
    """``names`` as BotCommands described in ``lang``."""
    render = snapshot.assistant.renderer(lang, runtime.clock())  # type: ignore[arg-type]
    return [BotCommand(name, describe(snapshot, render, name)[:256]) for name in names]


def commands_text(snapshot: Snapshot, render: Renderer, private: bool) -> str:
    """The commands of a chat's menu, for /help: "/when (Date of the event), /where (Venue), /calendar (...)"."""
    names = help_list(private, tuple(snapshot.knowledge.by_command))
    return ", ".join(f"/{name} ({describe(snapshot, render, name)})" for name in names)


async def register_menu(application: App) -> None:
    """SetMyCommands for private chats, groups and each admin, and setMyDescription, in every language."""
    runtime: Runtime = application.bot_data["runtime"]
    snapshot = runtime.snapshot
    bot = application.bot
    topics = tuple(snapshot.knowledge.by_command)
    private, group = menu(True, topics), menu(False, topics)
    for lang in LANGS:
        code = None if lang == DEFAULT_LANG else lang
        await bot.set_my_commands(
            commands(snapshot, runtime, lang, private), scope=BotCommandScopeAllPrivateChats(), language_code=code
        )
        await bot.set_my_commands(
            commands(snapshot, runtime, lang, group), scope=BotCommandScopeAllGroupChats(), language_code=code
        )
        render = snapshot.assistant.renderer(lang, runtime.clock())
        await bot.set_my_description(render.ui("bot_description")[:512], language_code=code)
        await bot.set_my_short_description(render.ui("bot_short_description")[:120], language_code=code)
    admins_menu = commands(snapshot, runtime, DEFAULT_LANG, menu(True, topics, admin=True))
    for admin in sorted(runtime.settings.admin_ids):
        await bot.set_my_commands(admins_menu, scope=BotCommandScopeChat(admin))
