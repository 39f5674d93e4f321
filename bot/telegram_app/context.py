"""What every handler can reach: the runtime (settings, live knowledge, store, clock), typed, and the update's parts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from telegram import CallbackQuery, Chat, Message, Update
from telegram.ext import Application, CallbackContext, ExtBot

from bot.assistant import supported_lang
from bot.config import Settings
from bot.flood import FloodGuard
from bot.knowledge import Lang
from bot.live import LiveKnowledge, Snapshot
from bot.render import Renderer
from bot.store import Store


@dataclass
class ReloadWatch:
    """The file watcher's memory between polls: the version waiting to settle and the broken one already reported."""

    pending: str | None = None
    reported: str | None = None


@dataclass
class Runtime:
    """The bot's state shared by all handlers; built once by ``build_application``."""

    settings: Settings
    live: LiveKnowledge
    store: Store
    clock: Callable[[], datetime]
    monotonic: Callable[[], float]
    flood: FloodGuard
    inline_flood: FloodGuard
    watch: ReloadWatch = field(default_factory=ReloadWatch)

    @property
    def snapshot(self) -> Snapshot:
        """The knowledge to use for this update (read once per update: never a mix)."""
        return self.live.current

    def lang_for(self, chat_id: int | None, language_code: str | None) -> Lang:
        """The chat's chosen language, else the user's Telegram language, else English."""
        chosen = self.store.language(chat_id) if chat_id is not None else None
        return supported_lang(chosen or language_code)

    def is_admin(self, user_id: int | None) -> bool:
        """Whether ``user_id`` is one of ``ADMIN_IDS``."""
        return user_id is not None and user_id in self.settings.admin_ids


class Context(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """The callback context with a typed ``runtime``."""

    @property
    def runtime(self) -> Runtime:
        """The shared runtime."""
        return self.application.bot_data["runtime"]  # type: ignore[no-any-return]


App = Application[ExtBot[None], Context, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any]


def reader(update: Update, context: Context) -> tuple[Snapshot, Renderer]:
    """The knowledge snapshot and a renderer in this update's language, at the runtime's clock."""
    runtime = context.runtime
    snapshot = runtime.snapshot
    chat_id = update.effective_chat.id if update.effective_chat else None
    code = update.effective_user.language_code if update.effective_user else None
    return snapshot, snapshot.assistant.renderer(runtime.lang_for(chat_id, code), runtime.clock())


@dataclass(frozen=True)
class ButtonTap:
    """A pressed inline button in a chat: the query, its data, the chat and the runtime."""

    query: CallbackQuery
    data: str
    chat: Chat
    runtime: Runtime


async def button_tap(update: Update, context: Context, *, answer: bool = True) -> ButtonTap | None:
    """The button pressed, answered at once (no spinner left) unless ``answer=False``; ``None`` without data or chat."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or query.data is None or chat is None:
        return None
    if answer:
        await query.answer()
    return ButtonTap(query, query.data, chat, context.runtime)


@dataclass(frozen=True)
class TextMessage:
    """A text message in a chat: the message, its text and the chat."""

    message: Message
    text: str
    chat: Chat


def text_message(update: Update) -> TextMessage | None:
    """The update's text message and its chat; ``None`` without a message, a text or a chat."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or message.text is None or chat is None:
        return None
    return TextMessage(message, message.text, chat)
