"""Sending one message to many chats, exactly once each, in the background, with what replies leave of the limit.

The rule (README, "Reminders"): a delivery is claimed with one atomic SQL statement
('sending') just before its request; when Telegram confirms, it becomes 'sent' and is
never sent again. Telegram refusing it (429 past retries, 5xx) makes it 'failed':
retried later. No answer at all (a timeout or a dropped connection after the request
left) makes it 'unconfirmed': Telegram may have delivered it, so it is never resent.
At start-up, deliveries still 'sending' (the process died with them in flight, at most
WORKERS) become 'interrupted' and are sent again: the only duplicates possible.

Public entry point (for any feature): ``broadcasts(application).start(key, text_for)``
sends ``text_for(chat's language)`` to every subscriber (or ``audience``) exactly once
for ``key``, as a background task; a second start of a running ``key`` joins the run.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

import httpx
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError, TimedOut
from telegram.ext import ExtBot

from bot.store import Store
from bot.telegram_app.context import App, Runtime
from bot.telegram_app.ratelimit import BULK, TwoLaneRateLimiter
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
    unconfirmed: int = 0

    @property
    def done(self) -> int:
        """Deliveries finished one way or another."""
        return self.sent + self.blocked + self.failed + self.unconfirmed


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


async def broadcast(
    bot: Bot,
    store: Store,
    key: str,
    text_for: Callable[[str | None], str],
    clock: Callable[[], datetime],
    progress: Callable[[Report], None] | None = None,
    *,
    stop: Callable[[], bool] = lambda: False,
    audience: Iterable[int] | None = None,
) -> Report:
    """Send ``text_for(chat's language)`` to every subscriber (of ``audience``) not yet sent ``key``; returns the counts.

    ``stop()`` is checked before each claim: when it turns true (the bot is shutting
    down) no new delivery starts and the ones in flight finish.
    """
    targets = store.pending(key, chat_ids=audience)
    # Each broadcast in its own (stable) order: two running together rarely meet in one chat and its per-chat limit.
    random.Random(key).shuffle(targets)
    report = Report(total=len(targets))
    queue = deque(targets)  # shared by all workers: each chat is taken once
    limiter = bot.rate_limiter if isinstance(bot, ExtBot) else None
    put_off: set[int] = set()

    async def worker() -> None:
        while queue:
            chat_id, lang = queue.popleft()
            if stop():
                return
            if isinstance(limiter, TwoLaneRateLimiter) and chat_id not in put_off and limiter.chat_busy(chat_id):
                put_off.add(chat_id)  # this chat just got a message (another broadcast, a reply): others first
                queue.append((chat_id, lang))
                continue
            if not store.claim(key, chat_id, clock()):
                continue  # sent, given up on, or being sent by another run
            await _deliver(bot, store, key, chat_id, text_for(lang), clock, report)
            if progress is not None:
                progress(report)

    await asyncio.gather(*(worker() for _ in range(min(WORKERS, len(targets)))))
    log.info(
        "broadcast %s: %s sent, %s unsubscribed (blocked), %s failed, %s unconfirmed",
        key, report.sent, report.blocked, report.failed, report.unconfirmed,
    )  # fmt: skip
    return report


async def _deliver(bot: Bot, store: Store, key: str, chat_id: int, text: str, clock: Callable[[], datetime], report: Report) -> None:
    """Send one claimed delivery and record how it ended."""
    try:
        if isinstance(bot, ExtBot):  # the Application's bot: mark the send for the broadcast lane
            await bot.send_message(chat_id, escape(text), parse_mode=ParseMode.HTML, rate_limit_args=BULK)
        else:
            await bot.send_message(chat_id, escape(text), parse_mode=ParseMode.HTML)
    except Forbidden:
        _gone(store, key, chat_id, clock(), report)
    except BadRequest as exc:
        if "chat not found" in exc.message.lower():
            _gone(store, key, chat_id, clock(), report)
        else:
            _failed(store, key, chat_id, clock(), report, exc)
    except TelegramError as exc:
        if never_confirmed(exc):
            store.mark(key, chat_id, "unconfirmed", clock())
            report.unconfirmed += 1
            log.warning("broadcast %s to one chat: no answer from Telegram (%s); not resent, it may have arrived", key, exc)  # no chat id
        else:  # 429 past the limiter's retries, 5xx, never sent: retried later
            _failed(store, key, chat_id, clock(), report, exc)
    else:
        store.mark(key, chat_id, "sent", clock())
        report.sent += 1


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


class Broadcasts:
    """The broadcasts in progress: at most one run per key, each a background task of the Application."""

    def __init__(self, application: App) -> None:
        self.application = application
        self._runs: dict[str, asyncio.Task[Report]] = {}

    def running(self, key: str) -> bool:
        """Whether a run of ``key`` is in progress."""
        task = self._runs.get(key)
        return task is not None and not task.done()

    def start(
        self,
        key: str,
        text_for: Callable[[str | None], str],
        *,
        on_done: Callable[[Report], Awaitable[None]] | None = None,
        progress: Callable[[Report], None] | None = None,
        audience: Iterable[int] | None = None,
    ) -> asyncio.Task[Report]:
        """Start sending ``key`` in the background (or return the run already in progress); ``on_done`` gets the report."""
        current = self._runs.get(key)
        if current is not None and not current.done():
            log.info("broadcast %s is already running: not starting it twice", key)
            return current
        runtime: Runtime = self.application.bot_data["runtime"]
        chats = None if audience is None else list(audience)

        async def run() -> Report:
            report = await broadcast(
                self.application.bot, runtime.store, key, text_for, runtime.clock, progress,
                stop=lambda: not self.application.running, audience=chats,
            )  # fmt: skip
            if on_done is not None:
                await on_done(report)
            return report

        task = self.application.create_task(run(), name=f"broadcast:{key}")
        self._runs[key] = task
        return task

    async def wait(self) -> None:
        """Wait until no broadcast is running (tests, benchmarks)."""
        while pending := [t for t in self._runs.values() if not t.done()]:
            await asyncio.gather(*pending, return_exceptions=True)


def broadcasts(application: App) -> Broadcasts:
    """The application's broadcast registry (created on first use)."""
    found = application.bot_data.get("broadcasts")
    if found is None:
        found = application.bot_data["broadcasts"] = Broadcasts(application)
    return found
