"""/version (admins): which release of the bot is running, so an organiser can tell whether an upgrade went live."""

from __future__ import annotations

from telegram import Update

from bot import __version__
from bot.telegram_app.context import Context
from bot.telegram_app.replies import say


async def version(update: Update, context: Context) -> None:
    """/version: the running version (the package's one version, ``bot.__version__``)."""
    await say(update, context, "version", version=__version__)
