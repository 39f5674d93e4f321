"""Turning answers into Telegram messages: HTML escaping, splitting, keyboards."""

from __future__ import annotations

import html
from collections.abc import Sequence

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import MessageLimit, ParseMode

from bot.assistant import Answer
from bot.live import Snapshot
from bot.render import Renderer
from bot.telegram_app.context import Context, reader

# Callback data: short prefixes, an id after the colon (at most 64 bytes in all).
ANSWER, TOPICS, REMIND, CALENDAR, ORGANISERS, LANGUAGE = "a:", "topics", "remind", "calendar", "o:", "lang:"


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


async def send(bot: Bot, chat_id: int, text: str, keyboard: InlineKeyboardMarkup | None = None) -> Message:
    """Send escaped ``text`` (split if long) with ``keyboard`` under the last part; returns the last message."""
    chunks = split(escape(text))
    message: Message | None = None
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        message = await bot.send_message(chat_id, chunk, parse_mode=ParseMode.HTML, reply_markup=keyboard if last else None)
    assert message is not None
    return message


async def say(update: Update, context: Context, key: str, **extra: str) -> None:
    """Reply in this chat with the UI string ``key``, in the reader's language."""
    if update.effective_chat is None:
        return
    _, render = reader(update, context)
    await send(context.bot, update.effective_chat.id, render.ui(key, **extra))


def buttons(rows: Sequence[Sequence[tuple[str, str]]]) -> InlineKeyboardMarkup:
    """An inline keyboard from rows of (label, callback data)."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows])


def pairs(items: Sequence[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """Lay buttons out two per row."""
    return [list(items[i : i + 2]) for i in range(0, len(items), 2)]


def topics_keyboard(snapshot: Snapshot, render: Renderer, everything: bool = False) -> InlineKeyboardMarkup:
    """The main topics (or every entry) as buttons, with reminders and calendar while they make sense."""
    entries = snapshot.knowledge.entries if everything else snapshot.knowledge.menu
    rows = pairs([(render.localised(dict(e.title)), ANSWER + e.id) for e in entries])
    extra = [(render.ui("calendar_button"), CALENDAR)]
    if render.phase == "before" and snapshot.knowledge.reminders:
        extra.insert(0, (render.ui("remind_button"), REMIND))
    if render.phase != "after":
        rows.append(extra)
    if not everything:
        rows.append([(render.ui("more_topics_button"), TOPICS)])
    return buttons(rows)


def answer_keyboard(answer: Answer, snapshot: Snapshot, render: Renderer, question_id: int | None = None) -> InlineKeyboardMarkup | None:
    """The buttons that fit an answer: follow-ups, "did you mean" choices, or a way to the organisers."""
    if answer.outcome == "answer":
        if answer.faq_id in ("date", "time", "venue") and render.phase == "before":
            row = [(render.ui("calendar_button"), CALENDAR)]
            if snapshot.knowledge.reminders:
                row.insert(0, (render.ui("remind_button"), REMIND))
            return buttons([row])
        return None
    if answer.outcome == "suggest":
        return buttons([*([(s.title, ANSWER + s.faq_id)] for s in answer.suggestions), [(render.ui("more_topics_button"), TOPICS)]])
    if answer.outcome == "decline":
        rows = [[(render.ui("more_topics_button"), TOPICS)]]
        if question_id is not None:
            rows.insert(0, [(render.ui("ask_organisers_button"), f"{ORGANISERS}{question_id}")])
        return buttons(rows)
    return topics_keyboard(snapshot, render)
