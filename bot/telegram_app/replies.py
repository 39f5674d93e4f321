"""Turning answers into Telegram messages: HTML escaping, splitting, keyboards."""

from __future__ import annotations

import hashlib
import html
import logging
from collections.abc import Sequence

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import MessageLimit, ParseMode

from bot.assistant import Answer
from bot.live import Snapshot
from bot.render import Renderer
from bot.telegram_app.context import Context, reader

log = logging.getLogger(__name__)

# Callback data: short prefixes, an id after the colon (at most 64 bytes in all).
ANSWER, TOPICS, REMIND, CALENDAR, ORGANISERS, LANGUAGE = "a:", "topics", "remind", "calendar", "o:", "lang:"
# An entry whose id is too long for Telegram's 64 bytes of callback data is named by a digest of its id.
ENTRY_DIGEST = "a#"
MAX_CALLBACK_BYTES = 64


def _digest(entry_id: str) -> str:
    return hashlib.sha256(entry_id.encode()).hexdigest()[:20]


def entry_data(entry_id: str) -> str:
    """The callback data (or inline result id) naming entry ``entry_id``, never more than 64 bytes."""
    data = ANSWER + entry_id
    return data if len(data.encode()) <= MAX_CALLBACK_BYTES else ENTRY_DIGEST + _digest(entry_id)


def entry_of(data: str, snapshot: Snapshot) -> str | None:
    """The entry id a button's callback data names, if that entry exists in ``snapshot``."""
    if data.startswith(ENTRY_DIGEST):
        wanted = data.removeprefix(ENTRY_DIGEST)
        return next((e.id for e in snapshot.knowledge.entries if _digest(e.id) == wanted), None)
    entry_id = data.removeprefix(ANSWER) if data.startswith(ANSWER) else None
    return entry_id if entry_id in snapshot.knowledge.by_id else None


def escape(text: str) -> str:
    """Text safe to send with parse_mode HTML."""
    return html.escape(text, quote=False)


def split(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Cut ``text`` into messages of at most ``limit`` characters, at paragraph, line or word breaks."""
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        if cut < limit // 2:  # no break worth using: a hard cut, never inside an HTML entity
            cut = limit
            amp = window.rfind("&", limit - 8)
            if amp != -1 and ";" not in window[amp:]:
                cut = amp
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not parts:
        parts.append(rest)
    return parts


def thread_of(update: Update) -> int | None:
    """The forum topic the update came from (replies go back there), ``None`` outside topics."""
    message = update.effective_message
    if message is None or not getattr(message, "is_topic_message", False):
        return None
    return message.message_thread_id


async def send(
    bot: Bot, chat_id: int, text: str, keyboard: InlineKeyboardMarkup | None = None, thread_id: int | None = None
) -> Message:
    """Send escaped ``text`` (split if long; in forum topic ``thread_id``), ``keyboard`` under the last part; returns the last part."""
    chunks = split(escape(text))
    message: Message | None = None
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        message = await bot.send_message(
            chat_id, chunk, parse_mode=ParseMode.HTML, reply_markup=keyboard if last else None, message_thread_id=thread_id
        )
    assert message is not None
    return message


async def reply(update: Update, context: Context, text: str, keyboard: InlineKeyboardMarkup | None = None) -> Message | None:
    """Send ``text`` to the chat, and forum topic, the update came from."""
    if update.effective_chat is None:
        return None
    return await send(context.bot, update.effective_chat.id, text, keyboard, thread_of(update))


async def say(update: Update, context: Context, key: str, **extra: str) -> None:
    """Reply in this chat (and forum topic) with the UI string ``key``, in the reader's language."""
    _, render = reader(update, context)
    await reply(update, context, render.ui(key, **extra))


def buttons(rows: Sequence[Sequence[tuple[str, str]]]) -> InlineKeyboardMarkup:
    """An inline keyboard from rows of (label, callback data); a button whose data would exceed 64 bytes is left out.

    Telegram refuses the whole message for one such button, so dropping it (and logging it) keeps the reply.
    """
    kept = []
    for row in rows:
        fitting = [InlineKeyboardButton(label, callback_data=data) for label, data in row if len(data.encode()) <= MAX_CALLBACK_BYTES]
        if len(fitting) < len(row):
            log.warning("left out %s button(s) whose callback data exceeds %s bytes", len(row) - len(fitting), MAX_CALLBACK_BYTES)
        if fitting:
            kept.append(fitting)
    return InlineKeyboardMarkup(kept)


def pairs(items: Sequence[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """Lay buttons out two per row."""
    return [list(items[i : i + 2]) for i in range(0, len(items), 2)]


def topics_keyboard(snapshot: Snapshot, render: Renderer, everything: bool = False) -> InlineKeyboardMarkup:
    """The main topics (or every entry) as buttons, with reminders and calendar while they make sense."""
    entries = snapshot.knowledge.topics if everything else snapshot.knowledge.menu
    rows = pairs([(render.localised(dict(e.title)), entry_data(e.id)) for e in entries])
    extra = [(render.ui("calendar_button"), CALENDAR)]
    if render.phase == "before" and snapshot.knowledge.reminders:
        extra.insert(0, (render.ui("remind_button"), REMIND))
    if render.phase != "after":
        rows.append(extra)
    else:  # between editions: hear when the next one is announced
        rows.append([(render.ui("next_edition_button"), REMIND)])
    if not everything:
        rows.append([(render.ui("more_topics_button"), TOPICS)])
    return buttons(rows)


def answer_keyboard(answer: Answer, snapshot: Snapshot, render: Renderer, ticket: str | None = None) -> InlineKeyboardMarkup | None:
    """The buttons that fit an answer: follow-ups, "did you mean" choices, or a way to the organisers (with a ``ticket``)."""
    if answer.outcome == "answer":
        entry = snapshot.knowledge.by_id.get(answer.faq_id or "")
        offered = {
            "remind": render.ui("remind_button") if render.phase == "before" and snapshot.knowledge.reminders
            else render.ui("next_edition_button") if render.phase == "after" else None,
            "calendar": render.ui("calendar_button") if render.phase == "before" else None,
        }  # fmt: skip
        data = {"remind": REMIND, "calendar": CALENDAR}
        row = [(label, data[name]) for name in (entry.buttons if entry else []) if (label := offered[name]) is not None]
        return buttons([row]) if row else None
    if answer.outcome == "suggest":
        return buttons([*([(s.title, entry_data(s.faq_id))] for s in answer.suggestions), [(render.ui("more_topics_button"), TOPICS)]])
    if answer.outcome == "decline":
        rows = [[(render.ui("more_topics_button"), TOPICS)]]
        if ticket is not None:
            rows.insert(0, [(render.ui("ask_organisers_button"), f"{ORGANISERS}{ticket}")])
        return buttons(rows)
    return topics_keyboard(snapshot, render)
