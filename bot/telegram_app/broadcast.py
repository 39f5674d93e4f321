"""Sending one message to many chats, exactly once each, within Telegram's limits.

The rule (README, "Reminders"): before each send the delivery is logged as
'sending'; when Telegram confirms, it becomes 'sent' and is never sent again.
After a crash, deliveries still 'sending' are sent again: only the messages in
flight at the moment of the crash (at most WORKERS) can arrive twice, and none is lost.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.store import Store
from bot.telegram_app.replies import escape

log = logging.getLogger(__name__)

# Sends in flight at once: enough to hide network latency; the rate limiter sets the pace.
WORKERS = 8


@dataclass
class Report:
    """How a broadcast went."""

    total: int = 0
    sent: int = 0
    blocked: int = 0
    failed: int = 0

    @property
    def done(self) -> int:
        """Deliveries finished one way or another."""
        return self.sent + self.blocked + self.failed


async def broadcast(
    bot: Bot,
    store: Store,
    key: str,
    text_for: Callable[[str | None], str],
    clock: Callable[[], datetime],
    progress: Callable[[Report], Awaitable[None]] | None = None,
) -> Report:
    """Send ``text_for(chat's language)`` to every subscriber not yet sent ``key``; returns the counts."""
    targets = store.pending(key)
    report = Report(total=len(targets))
    queue = iter(targets)

    async def worker() -> None:
        for chat_id, lang in queue:  # one iterator shared by all workers: each chat is taken once
            if not store.claim(key, chat_id, clock()):
                continue
            try:
                await bot.send_message(chat_id, escape(text_for(lang)), parse_mode=ParseMode.HTML)
            except Forbidden:
                _gone(store, key, chat_id, clock(), report)
            except BadRequest as exc:
                if "chat not found" in exc.message.lower():
                    _gone(store, key, chat_id, clock(), report)
                else:
                    _failed(store, key, chat_id, clock(), report, exc)
            except TelegramError as exc:  # 429 past the limiter's retries, 5xx, network: retried later
                _failed(store, key, chat_id, clock(), report, exc)
            else:
                store.mark(key, chat_id, "sent", clock())
                report.sent += 1
            if progress is not None:
                await progress(report)

    await asyncio.gather(*(worker() for _ in range(min(WORKERS, len(targets)))))
    log.info("broadcast %s: %s sent, %s unsubscribed (blocked), %s failed", key, report.sent, report.blocked, report.failed)
    return report


def _gone(store: Store, key: str, chat_id: int, now: datetime, report: Report) -> None:
    """The user blocked the bot or the chat no longer exists: unsubscribe, never retry."""
    store.mark(key, chat_id, "blocked", now)
    store.unsubscribe(chat_id)
    report.blocked += 1


def _failed(store: Store, key: str, chat_id: int, now: datetime, report: Report, exc: TelegramError) -> None:
    """A failure worth retrying later; counted and logged, never silently dropped."""
    store.mark(key, chat_id, "failed", now)
    report.failed += 1
    log.warning("broadcast %s to one chat failed, will retry: %s", key, exc)  # no chat id: it is a user id
