"""Turning answers into Telegram messages: HTML escaping, splitting, keyboards."""

from __future__ import annotations

import asyncio
import hashlib
import html
import logging
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import httpx
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest, NetworkError, TelegramError, TimedOut

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
# A reply Telegram failed to take is tried this many times in all (waits doubling from TELEGRAM_RETRY_SECONDS: 2 s gives
# about a minute).
REPLY_ATTEMPTS = 6


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


# One token of escaped text: a character entity or a single character (never cut inside an entity).
_TOKEN = re.compile(r"&#?[0-9A-Za-z]+;|.", re.DOTALL)
_BREAKS = ("\n\n", "\n", " ")  # preferred cut points: paragraph, then line, then word


def units(text: str) -> int:
    """The length Telegram counts: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _width(token: str) -> int:
    """How many UTF-16 units a token shows once Telegram has parsed the HTML (an entity shows one character)."""
    return units(html.unescape(token)) if len(token) > 2 and token[0] == "&" else units(token)


def split(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Cut escaped ``text`` (every caller passes ``escape``'s output) into messages of at most ``limit`` UTF-16 units.

    Units are counted as Telegram counts them, after parsing the entities. Cuts at a paragraph break,
    else a line break, else a word break (the last one in the second half of the part; failing that,
    the last one at all), else between characters; never inside an entity.
    """
    if units(text) <= limit:  # entities only shorten what Telegram counts: fits as it is
        return [text]
    tokens = _TOKEN.findall(text)
    parts: list[str] = []
    start = 0
    while start < len(tokens):
        while start < len(tokens) and tokens[start].isspace():
            start += 1
        width, end, halfway, best = 0, start, len(tokens), dict.fromkeys(_BREAKS, 0)
        while end < len(tokens) and width + _width(tokens[end]) <= limit:
            piece = tokens[end]
            width += _width(piece)
            end += 1
            if width * 2 > limit:
                halfway = min(halfway, end)
            if piece == "\n" and end - 2 >= start and tokens[end - 2] == "\n":
                best["\n\n"] = end
            elif piece in _BREAKS:
                best[piece] = end
        cut = end
        if end < len(tokens):  # more follows: the best break in the second half of the part, else any break
            cut = next((best[b] for b in _BREAKS if best[b] > halfway), 0) or next(
                (best[b] for b in _BREAKS if best[b] > start), end
            )
        body = "".join(tokens[start:cut]).rstrip()
        if body:
            parts.append(body)
        start = cut
    return parts or [text]


def never_confirmed(exc: TelegramError) -> bool:
    """Whether the request may have reached Telegram without an answer (so resending could duplicate it).

    Telegram's own error answers (4xx, 5xx) and requests that never left (no free
    connection, no connection at all) are safe to retry; a timeout or a connection
    dropped after sending is not.
    """
    cause = exc.__cause__
    if isinstance(cause, httpx.PoolTimeout | httpx.ConnectTimeout | httpx.ConnectError):
        return False
    if isinstance(exc, TimedOut):
        return True
    return isinstance(exc, NetworkError) and isinstance(cause, httpx.HTTPError)


def worth_retrying(exc: TelegramError) -> bool:
    """Whether a failed send is safe and worth retrying: Telegram (or the way to it) failed, surely not delivering."""
    return isinstance(exc, NetworkError) and not isinstance(exc, BadRequest) and not never_confirmed(exc)


def thread_of(update: Update) -> int | None:
    """The forum topic the update came from (replies go back there), ``None`` outside topics."""
    message = update.effective_message
    if message is None or not getattr(message, "is_topic_message", False):
        return None
    return message.message_thread_id


async def send(
    bot: Bot, chat_id: int, text: str, keyboard: InlineKeyboardMarkup | None = None, thread_id: int | None = None
) -> Message:
    """Send escaped ``text`` (split if long; in topic ``thread_id``), ``keyboard`` under the last part (returned)."""
    return await _send_parts(bot, chat_id, split(escape(text)), keyboard, thread_id, [0])


async def reply(
    update: Update, context: Context, text: str, keyboard: InlineKeyboardMarkup | None = None
) -> Message | None:
    """Send ``text`` to the chat, and forum topic, the update came from.

    If Telegram fails (a 5xx, no connection) in a way that surely delivered nothing, the parts
    not sent yet are retried in the background with backoff (``TELEGRAM_RETRY_SECONDS``, doubling,
    ``REPLY_ATTEMPTS`` tries in all), so the handler returns and other people's answers go on; ``None`` then.
    """
    if update.effective_chat is None:
        return None
    chat_id, thread = update.effective_chat.id, thread_of(update)
    chunks = split(escape(text))
    done = [0]
    try:
        return await _send_parts(context.bot, chat_id, chunks, keyboard, thread, done)
    except TelegramError as exc:
        if not worth_retrying(exc):
            raise
        log.warning("a reply failed (%s): retrying in the background", exc)  # no chat id: it is a user id
    delay = context.runtime.settings.retry_seconds
    context.application.create_task(
        _retry_reply(context.bot, chat_id, chunks, keyboard, thread, done, delay), update=update
    )
    return None


async def _send_parts(
    bot: Bot,
    chat_id: int,
    chunks: list[str],
    keyboard: InlineKeyboardMarkup | None,
    thread_id: int | None,
    done: list[int],
) -> Message:
    """Send ``chunks`` from ``done[0]`` on (HTML), counting in ``done[0]`` the parts Telegram confirmed; the last."""
    message: Message | None = None
    for index in range(done[0], len(chunks)):
        last = index == len(chunks) - 1
        message = await bot.send_message(
            chat_id,
            chunks[index],
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard if last else None,
            message_thread_id=thread_id,
        )
        done[0] = index + 1
    assert message is not None
    return message


async def _retry_reply(
    bot: Bot,
    chat_id: int,
    chunks: list[str],
    keyboard: InlineKeyboardMarkup | None,
    thread_id: int | None,
    done: list[int],
    delay: float,
) -> None:
    """Try a failed reply's remaining parts again with backoff; logged (without the chat) if every attempt fails."""
    for attempt in range(2, REPLY_ATTEMPTS + 1):
        await asyncio.sleep(delay)
        try:
            await _send_parts(bot, chat_id, chunks, keyboard, thread_id, done)
        except TelegramError as exc:
            if not worth_retrying(exc) or attempt == REPLY_ATTEMPTS:
                log.warning("a reply could not be delivered after %s attempt(s): %s", attempt, exc)
                return
            delay *= 2
        else:
            log.info("a reply was delivered at attempt %s", attempt)
            return


async def say(update: Update, context: Context, key: str, **extra: str) -> None:
    """Reply in this chat (and forum topic) with the UI string ``key``, in the reader's language."""
    _, render = reader(update, context)
    await reply(update, context, render.ui(key, **extra))


def buttons(rows: Sequence[Sequence[tuple[str, str]]]) -> InlineKeyboardMarkup:
    """An inline keyboard from rows of (label, callback data); a button whose data would exceed 64 bytes is left out.

    Telegram refuses the whole message for one such button, so dropping it (and logging it) keeps the reply.
    A keyboard whose every button fits is built once and shared (it is immutable): the same few are sent again
    and again.
    """
    key = tuple(tuple(row) for row in rows)
    if all(len(data.encode()) <= MAX_CALLBACK_BYTES for row in key for _, data in row):
        return _fitting_keyboard(key)
    return _keyboard(rows)


class KeptKeyboard(InlineKeyboardMarkup):
    """A keyboard sent again and again: immutable, so its JSON form is worked out once, at its first send."""

    __slots__ = ("_json",)

    def to_dict(self, recursive: bool = True) -> dict[str, Any]:
        """The Bot API form of the keyboard, kept after the first call (the request only reads it)."""
        if not recursive:
            return super().to_dict(recursive=False)
        kept: dict[str, Any] | None = getattr(self, "_json", None)
        if kept is None:
            kept = self._json = super().to_dict()
        return kept


@lru_cache(maxsize=1024)
def _fitting_keyboard(rows: tuple[tuple[tuple[str, str], ...], ...]) -> InlineKeyboardMarkup:
    """``_keyboard(rows)``, kept: a pure function of its (label, data) rows, whatever the knowledge."""
    return _keyboard(rows, KeptKeyboard)


def _keyboard(
    rows: Sequence[Sequence[tuple[str, str]]], kind: type[InlineKeyboardMarkup] = InlineKeyboardMarkup
) -> InlineKeyboardMarkup:
    """The keyboard of ``buttons``, built (logging the buttons left out)."""
    kept = []
    for row in rows:
        fitting = [
            InlineKeyboardButton(label, callback_data=data)
            for label, data in row
            if len(data.encode()) <= MAX_CALLBACK_BYTES
        ]
        if len(fitting) < len(row):
            log.warning(
                "left out %s button(s) whose callback data exceeds %s bytes",
                len(row) - len(fitting),
                MAX_CALLBACK_BYTES,
            )
        if fitting:
            kept.append(fitting)
    return kind(kept)


def pairs(items: Sequence[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """Lay buttons out two per row."""
    return [list(items[i : i + 2]) for i in range(0, len(items), 2)]


def topics_keyboard(snapshot: Snapshot, render: Renderer, everything: bool = False) -> InlineKeyboardMarkup:
    """The main topics (or every entry) as buttons, with reminders and calendar while they make sense."""
    entries = snapshot.knowledge.topics if everything else snapshot.knowledge.menu
    rows = pairs([(render.title(e), entry_data(e.id)) for e in snapshot.assistant.speaking(entries, render)])
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


def answer_keyboard(
    answer: Answer, snapshot: Snapshot, render: Renderer, ticket: str | None = None
) -> InlineKeyboardMarkup | None:
    """The buttons fitting an answer: follow-ups, "did you mean" choices, or a way to the organisers (``ticket``)."""
    if answer.outcome == "answer":
        entry = snapshot.knowledge.by_id.get(answer.faq_id or "")
        if entry is None or not entry.buttons:  # most answers: no button to label
            return None
        offered = {
            "remind": render.ui("remind_button")
            if render.phase == "before" and snapshot.knowledge.reminders
            else render.ui("next_edition_button")
            if render.phase == "after"
            else None,
            "calendar": render.ui("calendar_button") if render.phase == "before" else None,
        }
        data = {"remind": REMIND, "calendar": CALENDAR}
        row = [(label, data[name]) for name in entry.buttons if (label := offered[name]) is not None]
        return buttons([row]) if row else None
    if answer.outcome == "suggest":
        return buttons(
            [
                *([(s.title, entry_data(s.faq_id))] for s in answer.suggestions),
                [(render.ui("more_topics_button"), TOPICS)],
            ]
        )
    if answer.outcome == "decline":  # a request to book declined offers the topic it names ("How do I register?")
        rows = [
            *([(s.title, entry_data(s.faq_id))] for s in answer.suggestions),
            [(render.ui("more_topics_button"), TOPICS)],
        ]
        if ticket is not None:
            rows.insert(len(answer.suggestions), [(render.ui("ask_organisers_button"), f"{ORGANISERS}{ticket}")])
        return buttons(rows)
    return topics_keyboard(snapshot, render)
