"""Sending one message to many chats, exactly once each, in the background, with what replies leave of the limit.

The rule (docs/developers.md, "Reminders and broadcasts"): a delivery is claimed with one atomic SQL statement
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
import sqlite3
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TypeVar

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ExtBot

from bot.deferred import unavailable
from bot.render import Renderer
from bot.store import Store
from bot.telegram_app.context import App, Runtime
from bot.telegram_app.ratelimit import BULK, TwoLaneRateLimiter
from bot.telegram_app.replies import escape, never_confirmed, split

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

    def text(self, render: Renderer, key: str) -> str:
        """The outcome in words for the organiser: the interface string ``key`` (per broadcast kind), counts filled."""
        counts = {"sent": self.sent, "blocked": self.blocked, "failed": self.failed, "unconfirmed": self.unconfirmed}
        return render.ui(key, **{name: f"{count:,}" for name, count in counts.items()})


T = TypeVar("T")

# Waiting out a locked or full database: the first retry after this many seconds, doubling up to the maximum.
STORE_RETRY_SECONDS = 0.2
STORE_RETRY_MAX_SECONDS = 5.0
# At shutdown, how long a run waits for the store to record deliveries it sent, before keeping them in a file beside it.
SETTLE_SECONDS = 2.0


class Stopping(Exception):
    """The bot is shutting down while the store cannot be written: no new delivery is claimed."""


class Ledger:
    """A broadcast's writes to the store: never waiting on the event loop; a locked or full database pauses the run.

    A claim that cannot be written is retried with backoff (the run pauses, then resumes by
    itself). A mark that cannot be written after a send is kept in memory and written before
    anything else as soon as the store takes writes again, so a delivery Telegram confirmed is
    never left 'sending' (and so never sent twice) because its mark failed.
    """

    def __init__(self, store: Store, key: str, clock: Callable[[], datetime], stop: Callable[[], bool]) -> None:
        self.store, self.key, self.clock, self.stop = store, key, clock, stop
        self.owed: dict[
            int, tuple[str, int | None]
        ] = {}  # chat id -> (state, parts) Telegram's answer decided, not written yet
        self.paused = False
        self.pauses = 0
        self.what = f"broadcast {key}"  # for the log

    def _settle_owed(self) -> None:
        """Write the marks owed, oldest first (raises while the store cannot take them)."""
        while self.owed:
            chat_id, (state, parts) = next(iter(self.owed.items()))
            self.store.mark(self.key, chat_id, state, self.clock(), parts)
            if state == "blocked":
                self.store.unsubscribe(chat_id)
            del self.owed[chat_id]

    def _try(self, action: Callable[[], T]) -> T:
        with self.store.no_wait():
            self._settle_owed()
            result = action()
        if self.paused:
            self.paused = False
            log.info("%s: the database takes writes again; resuming", self.what)
        return result

    async def write(self, action: Callable[[], T], *, patience: float | None = None) -> T:
        """Run ``action`` (a store write) after the marks owed, waiting out a locked or full database with backoff.

        Raises ``Stopping`` when the bot shuts down meanwhile (after ``patience`` seconds if given).
        """
        delay = STORE_RETRY_SECONDS
        waited = 0.0
        while True:
            try:
                return self._try(action)
            except sqlite3.OperationalError as exc:
                if not unavailable(exc):
                    raise
                if not self.paused:
                    self.paused = True
                    self.pauses += 1
                    log.warning("%s paused: the database cannot be written (%s); it resumes by itself", self.what, exc)
            if self.stop() and (patience is None or waited >= patience):
                raise Stopping
            await asyncio.sleep(delay)
            waited += delay
            delay = min(delay * 2, STORE_RETRY_MAX_SECONDS)

    def mark(self, chat_id: int, state: str, parts: int | None = None) -> None:
        """Record a delivery's outcome now if the store allows, else keep it to write first when it does."""
        self.owed.pop(chat_id, None)
        self.owed[chat_id] = (state, parts)
        try:
            self._try(lambda: None)
        except sqlite3.OperationalError as exc:
            if not unavailable(exc):
                raise

    async def settle(self) -> None:
        """Write every mark still owed, waiting for the store (at shutdown at most ``SETTLE_SECONDS``)."""
        if not self.owed:
            return
        try:
            await self.write(lambda: None, patience=SETTLE_SECONDS)
        except Stopping:
            if self.store.keep_unrecorded(self.key, self.owed):
                log.warning(
                    "broadcast %s: the database stayed unwritable at shutdown; %s outcome(s) kept for the next start",
                    self.key,
                    len(self.owed),
                )
            else:
                log.error(
                    "broadcast %s: the database stayed unwritable at shutdown; "
                    "%s sent deliveries are not recorded and may be sent again",
                    self.key,
                    len(self.owed),
                )


async def patiently(store: Store, action: Callable[[], T], what: str) -> T:
    """Run a store write off the event loop, waiting out a locked or full database with backoff (``what``: for logs)."""
    ledger = Ledger(store, what, lambda: datetime.min, lambda: False)
    ledger.what = what
    return await ledger.write(action)


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
    """Send ``text_for(chat's language)`` to each subscriber (of ``audience``) not yet sent ``key``; returns the counts.

    ``stop()`` is checked before each claim: when it turns true (the bot is shutting
    down) no new delivery starts and the ones in flight finish. A text longer than one
    message goes as several parts, each once; the report counts people, not parts.
    """
    targets = store.pending(key, chat_ids=audience)
    # Each broadcast in its own (stable) order: two running together rarely meet in one chat and its per-chat limit.
    random.Random(key).shuffle(targets)
    report = Report(total=len(targets))
    queue = deque(targets)  # shared by all workers: each chat is taken once
    limiter = bot.rate_limiter if isinstance(bot, ExtBot) else None
    put_off: set[int] = set()
    ledger = Ledger(store, key, clock, stop)

    async def worker() -> None:
        while queue:
            chat_id, lang = queue.popleft()
            if stop():
                return
            if isinstance(limiter, TwoLaneRateLimiter) and chat_id not in put_off and limiter.chat_busy(chat_id):
                put_off.add(chat_id)  # this chat just got a message (another broadcast, a reply): others first
                queue.append((chat_id, lang))
                continue
            try:
                claimed = await ledger.write(partial(_claim, store, key, chat_id, clock))
            except Stopping:
                return
            if claimed is None:
                continue  # sent, given up on, being sent by another run, or no longer subscribed
            try:
                await _deliver(bot, ledger, chat_id, split(escape(text_for(lang))), claimed, report)
            except Exception:  # a bug in one delivery must not silence the run: counted, logged, retried later
                log.exception("broadcast %s: one delivery failed unexpectedly; it will be retried", key)
                ledger.mark(chat_id, "failed")
                report.failed += 1
            if progress is not None:
                progress(report)

    results = await asyncio.gather(*(worker() for _ in range(min(WORKERS, len(targets)))), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            log.error("broadcast %s: a worker stopped unexpectedly", key, exc_info=result)
    await ledger.settle()
    log.info(
        "broadcast %s: %s sent, %s unsubscribed (blocked), %s failed, %s unconfirmed",
        key,
        report.sent,
        report.blocked,
        report.failed,
        report.unconfirmed,
    )
    return report


def _claim(store: Store, key: str, chat_id: int, clock: Callable[[], datetime]) -> int | None:
    """Claim a delivery; the number of its parts already confirmed (a retry sends the rest), ``None`` if not claimed."""
    if not store.claim(key, chat_id, clock()):
        return None
    return store.parts_sent(key, chat_id)


async def _deliver(bot: Bot, ledger: Ledger, chat_id: int, parts: list[str], done: int, report: Report) -> None:
    """Send the parts of one claimed delivery not confirmed yet, in order, and record how it ended."""
    try:
        for index in range(done, len(parts)):
            if isinstance(bot, ExtBot):  # the Application's bot: mark the send for the broadcast lane
                await bot.send_message(chat_id, parts[index], parse_mode=ParseMode.HTML, rate_limit_args=BULK)
            else:
                await bot.send_message(chat_id, parts[index], parse_mode=ParseMode.HTML)
            done = index + 1
            if done < len(parts):
                ledger.mark(chat_id, "sending", done)  # confirmed parts are never sent again
    except Forbidden:
        _gone(ledger, chat_id, report)
    except BadRequest as exc:
        if "chat not found" in exc.message.lower():
            _gone(ledger, chat_id, report)
        else:
            _failed(ledger, chat_id, report, exc)
    except TelegramError as exc:
        if never_confirmed(exc):
            ledger.mark(chat_id, "unconfirmed")
            report.unconfirmed += 1
            log.warning(
                "broadcast %s to one chat: no answer from Telegram (%s); not resent, it may have arrived",
                ledger.key,
                exc,
            )
        else:  # 429 past the limiter's retries, 5xx, never sent: retried later
            _failed(ledger, chat_id, report, exc)
    else:
        ledger.mark(chat_id, "sent", done)
        report.sent += 1


def _gone(ledger: Ledger, chat_id: int, report: Report) -> None:
    """The user blocked the bot or the chat no longer exists: unsubscribe, never retry."""
    ledger.mark(chat_id, "blocked")
    report.blocked += 1


def _failed(ledger: Ledger, chat_id: int, report: Report, exc: TelegramError) -> None:
    """A failure worth retrying later; counted and logged, never silently dropped."""
    ledger.mark(chat_id, "failed")
    report.failed += 1
    log.warning("broadcast %s to one chat failed, will retry: %s", ledger.key, exc)  # no chat id: it is a user id


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
        """Start sending ``key`` in the background (or return the run in progress); ``on_done`` gets the report."""
        current = self._runs.get(key)
        if current is not None and not current.done():
            log.info("broadcast %s is already running: not starting it twice", key)
            return current
        runtime: Runtime = self.application.bot_data["runtime"]
        chats = None if audience is None else list(audience)

        async def run() -> Report:
            report = await broadcast(
                self.application.bot,
                runtime.store,
                key,
                text_for,
                runtime.clock,
                progress,
                stop=lambda: not self.application.running,
                audience=chats,
            )
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
