"""The bot's own commands, in one table: the handlers, the menus, /help and ``check`` are all made from it.

Adding a command is one row here, its handler in a feature module under ``bot/telegram_app/``, and
its texts (``cmd_<name>`` for the menu, and what it says) in ``bot/locales/``. The table names each
handler as ``"module.function"`` under ``bot.telegram_app``, so this module (and ``check``, which
keeps faq.yaml's topic commands off these names) never imports Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Who = Literal["anyone", "admins"]
Where = Literal["everywhere", "private"]
# Which menus list the command: "first" is the private menu's head (before faq.yaml's topic commands), "private"
# and "everywhere" come after them. Admins' commands are listed in each admin's own menu whatever this says.
Menu = Literal["first", "private", "everywhere"]


@dataclass(frozen=True)
class Command:
    """One of the bot's own commands."""

    name: str
    handler: str  # "module.function" under bot.telegram_app: an ``async def (update, context) -> None``
    who: Who = "anyone"  # "admins": ADMIN_IDS only; anyone else gets the unknown-command reply
    where: Where = "everywhere"  # the chats it works in ("/when@bot" works in groups)
    menu: Menu = "private"
    in_help: bool = True  # listed by /help (with a description from ``text``)

    @property
    def text(self) -> str:
        """The interface string that describes it in the menus and in /help."""
        return f"cmd_{self.name}"


COMMANDS: tuple[Command, ...] = (
    Command("start", "answers.start", menu="first", in_help=False),
    Command("calendar", "calendar.calendar", menu="everywhere"),
    Command("faq", "answers.topics", menu="everywhere"),
    Command("remind", "reminders.remind"),
    Command("stop", "reminders.stop"),
    Command("status", "reminders.status"),
    Command("language", "language.language"),
    Command("privacy", "privacy.privacy"),
    Command("forget", "privacy.forget"),
    Command("id", "ids.ids", menu="everywhere"),  # the ids ADMIN_IDS and ORGANISER_CHAT_ID need
    Command("help", "answers.help_command", menu="everywhere", in_help=False),
    Command("reload", "live_reload.reload", who="admins", where="private"),
    Command("stats", "stats.stats", who="admins", where="private"),
    Command("unanswered", "teaching.unanswered", who="admins", where="private"),
    Command("undo", "teaching.undo", who="admins", where="private"),
    Command("announce", "announcements.announce", who="admins", where="private"),
    Command("version", "about.version", who="admins", where="private"),
)
# An entry's ``command:`` in faq.yaml must use another name.
BUILT_IN_COMMANDS = tuple(command.name for command in COMMANDS)


def menu(private: bool, topics: tuple[str, ...], admin: bool = False) -> tuple[str, ...]:
    """The command names a menu lists, in order: private chats' (with the admins' for an admin) or groups'."""
    anyone = [c for c in COMMANDS if c.who == "anyone"]
    first = tuple(c.name for c in anyone if c.menu == "first" and private)
    last = tuple(c.name for c in anyone if c.menu == "everywhere" or (private and c.menu == "private"))
    admins = tuple(c.name for c in COMMANDS if c.who == "admins") if admin else ()
    return first + topics + last + admins


def help_list(private: bool, topics: tuple[str, ...]) -> tuple[str, ...]:
    """The commands /help describes in a private chat or a group: its menu's, but for those not meant for it."""
    hidden = {c.name for c in COMMANDS if not c.in_help}
    return tuple(name for name in menu(private, topics) if name not in hidden)
