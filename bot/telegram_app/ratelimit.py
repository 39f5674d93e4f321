"""Two lanes to Telegram: messages that answer a person go first; broadcasts take what the limit leaves.

Every request that targets a chat counts against the overall limit, a ceiling checked
over a sliding window: no window of ``WINDOW`` seconds ever holds more than the
configured rate. Requests marked ``rate_limit_args=BULK`` (broadcast sends) wait while
any interactive request is waiting, and are paced: every request, of either lane, pushes
the next broadcast send one step (``WINDOW/rate``) later, so broadcasts get exactly what
replies leave, the window is never filled by a burst, and a reply waits about one step.
Per-chat limits: ``group`` (20 per minute) for both lanes, ``chat`` (Telegram: about one
message per second in a private chat) for broadcasts. A reply in a private chat is counted
but not delayed: python-telegram-bot handles one update at a time, so a reply waiting for
its chat would hold up every other person's answer; flood control bounds those chats. Requests without
a chat (callback answers, inline answers, getUpdates) are never delayed. A 429 pauses
every lane for ``retry_after`` and the request is retried (``max_retries`` times).
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram._utils.types import JSONDict
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

BULK = "bulk"  # ``rate_limit_args`` of a broadcast send: it yields to every reply
# The overall window is a little longer than a second so that event-loop jitter between
# granting a request and Telegram receiving it can never put more than the rate in one second.
WINDOW = 1.01
CATCH_UP = 0.05  # seconds of late timers a broadcast may make up for


@dataclass(frozen=True)
class Limits:
    """Telegram's limits as (messages, seconds) per chat, and the overall messages per second."""

    overall: float = 25.0
    chat: tuple[int, float] = (1, 1.0)
    group: tuple[int, float] = (20, 60.0)


class TwoLaneRateLimiter(BaseRateLimiter[str]):
    """A ``BaseRateLimiter``: interactive requests first, broadcasts (``BULK``) with the capacity left."""

    def __init__(
        self,
        limits: Limits,
        *,
        max_retries: int = 3,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.limits = limits
        self.max_retries = max_retries
        self._clock = clock
        self._sleep = sleep
        self._capacity = max(1, math.floor(limits.overall))
        self._pace = WINDOW / self._capacity  # even spacing that exactly fills the window
        self._recent: deque[float] = deque()  # grant times within the last WINDOW seconds
        self._per_chat: dict[int | str, deque[float]] = {}
        self._interactive_waiting = 0
        self._next_bulk = -math.inf  # a broadcast send may go from then on: every grant pushes it one pace later
        self._paused_until = -math.inf

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: str | None,
    ) -> bool | JSONDict | list[JSONDict]:
        """Wait for a slot in this request's lane (if it targets a chat), then call Telegram; retry after a 429."""
        chat_id = data.get("chat_id")
        bulk = rate_limit_args == BULK
        for attempt in range(self.max_retries + 1):
            if chat_id is not None:
                await self._acquire(_chat_key(chat_id), bulk)
            else:
                await self._wait_pause()
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == self.max_retries:
                    raise
                pause = exc.retry_after if isinstance(exc.retry_after, int | float) else exc.retry_after.total_seconds()
                log.info("Telegram asked to slow down (%s): every lane waits %.1f s", endpoint, pause)
                self._paused_until = max(self._paused_until, self._clock() + pause + 0.1)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _wait_pause(self) -> None:
        while (delay := self._paused_until - self._clock()) > 0:
            await self._sleep(delay)

    async def _acquire(self, chat: int | str, bulk: bool) -> None:
        """Block until this chat and the overall window allow one more request in this lane; then count it.

        Only a reply waiting for the overall limit holds broadcasts back; one waiting for
        its group's limit does not. Replies in private chats never wait for their chat.
        """
        group = isinstance(chat, str) or chat < 0
        while True:
            now = self._clock()
            if (bulk or group) and (delay := self._chat_delay(chat, now)) > 0:
                await self._sleep(delay)
                continue
            if (delay := self._overall_delay(bulk, now)) <= 0:
                break
            if bulk:
                await self._sleep(delay)
                continue
            self._interactive_waiting += 1
            try:
                await self._sleep(delay)
            finally:
                self._interactive_waiting -= 1
        now = self._clock()
        self._recent.append(now)
        self._chat_window(chat).append(now)
        # From the planned time, not the (later) wake-up time, so that timer lateness (up to CATCH_UP)
        # does not slow the pace down; the window above stays the ceiling.
        self._next_bulk = max(self._next_bulk, now - max(self._pace, CATCH_UP)) + self._pace

    def _chat_delay(self, chat: int | str, now: float) -> float:
        """Seconds until this chat's own limit allows one more message (0: now)."""
        count, period = self.limits.group if isinstance(chat, str) or chat < 0 else self.limits.chat
        window = self._chat_window(chat)
        while window and window[0] <= now - period:
            window.popleft()
        return window[0] + period - now + 1e-6 if len(window) >= count else 0.0

    def _overall_delay(self, bulk: bool, now: float) -> float:
        """Seconds until the overall limit (for broadcasts also pace and waiting replies) allows a request (0: now)."""
        waits = [self._paused_until - now]
        recent = self._recent
        while recent and recent[0] <= now - WINDOW:
            recent.popleft()
        if len(recent) >= self._capacity:
            waits.append(recent[0] + WINDOW - now)
        if bulk:
            waits.append(self._next_bulk - now)
            if self._interactive_waiting:
                waits.append(self._pace / 2)  # a reply is waiting for the limit: it takes the next slot
        wait = max(waits)
        return wait + 1e-6 if wait > 0 else 0.0

    def chat_busy(self, chat_id: int) -> bool:
        """Whether a message to this chat would wait for its per-chat limit now (a broadcast sends to others first)."""
        window = self._per_chat.get(chat_id)
        if not window:
            return False
        count, period = self.limits.group if chat_id < 0 else self.limits.chat
        now = self._clock()
        return sum(1 for t in window if t > now - period) >= count

    def _chat_window(self, chat: int | str) -> deque[float]:
        window = self._per_chat.get(chat)
        if window is None:
            if len(self._per_chat) > 50_000:  # forget idle chats so memory stays bounded
                horizon = self._clock() - max(self.limits.chat[1], self.limits.group[1])
                self._per_chat = {k: v for k, v in self._per_chat.items() if v and v[-1] > horizon}
            window = self._per_chat[chat] = deque()
        return window


def _chat_key(chat_id: object) -> int | str:
    """Chat ids arrive as int or str; a channel username stays a string (counted like a group)."""
    try:
        return int(chat_id)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        return str(chat_id)
