"""The two-lane rate limiter, on virtual time: replies first, broadcasts with what is left, a ceiling per second."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable
from typing import Any

from telegram.error import RetryAfter

from bot.telegram_app.ratelimit import BULK, Limits, TwoLaneRateLimiter


class VirtualTime:
    """A clock and a sleep that jump straight to the next wake-up once every task is waiting."""

    def __init__(self) -> None:
        self.now = 0.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def clock(self) -> float:
        """The virtual monotonic time."""
        return self.now

    async def sleep(self, delay: float) -> None:
        """Wait ``delay`` virtual seconds."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + max(delay, 0.0), next(self._order), future))
        await future

    async def run(self, main: Awaitable[Any]) -> Any:
        """Run ``main`` to completion, advancing virtual time whenever nothing else can run."""
        task = asyncio.ensure_future(main)
        while not task.done():
            for _ in range(50):
                await asyncio.sleep(0)
            if task.done() or not self._sleepers:
                continue
            wake = self._sleepers[0][0]
            self.now = max(self.now, wake)
            while self._sleepers and self._sleepers[0][0] <= wake:
                heapq.heappop(self._sleepers)[2].set_result(None)
        return task.result()


def limiter(time: VirtualTime, **limits: Any) -> TwoLaneRateLimiter:
    """A limiter at 25/s on virtual time."""
    return TwoLaneRateLimiter(Limits(**{"overall": 25.0, **limits}), clock=time.clock, sleep=time.sleep)


async def send(
    rl: TwoLaneRateLimiter, time: VirtualTime, log: list[tuple[float, int, bool]], chat: int, bulk: bool
) -> float:
    """One sendMessage through the limiter; logs (grant time, chat, bulk) and returns how long it waited."""
    asked = time.now

    async def callback() -> bool:
        log.append((time.now, chat, bulk))
        return True

    await rl.process_request(callback, (), {}, "sendMessage", {"chat_id": chat}, BULK if bulk else None)
    return time.now - asked


def busiest_second(times: list[float]) -> int:
    """The most requests in any one-second window [t, t + 1)."""
    times = sorted(times)
    return max(sum(1 for u in times[i:] if u < t + 1) for i, t in enumerate(times))


async def test_a_broadcast_never_exceeds_the_limit_in_any_second_and_keeps_pace() -> None:
    """300 broadcast sends at 25/s: no one-second window holds over 25, and the pace stays ≥ 97 % of the limit."""
    time = VirtualTime()
    rl = limiter(time)
    log: list[tuple[float, int, bool]] = []
    await time.run(asyncio.gather(*(send(rl, time, log, chat, True) for chat in range(1, 301))))
    times = [t for t, _, _ in log]
    assert len(times) == 300
    assert busiest_second(times) <= 25
    assert 300 / max(times) >= 0.97 * 25


async def test_replies_jump_the_broadcast_queue_and_the_broadcast_takes_what_is_left() -> None:
    """10 replies/s during a 25/s broadcast wait at most 0.1 s; the broadcast gets ≥ 95 % of the 15/s left."""
    time = VirtualTime()
    rl = limiter(time)
    log: list[tuple[float, int, bool]] = []
    waits: list[float] = []

    async def attendees() -> None:
        for n in range(100):  # 10 s of questions, 10 per second, each from a new person
            await time.sleep(0.1)
            waits.append(await send(rl, time, log, 100_000 + n, False))

    async def everything() -> None:
        broadcast = asyncio.gather(*(send(rl, time, log, chat, True) for chat in range(1, 1001)))
        await attendees()
        bulk_done = sum(1 for _, _, bulk in log if bulk)
        assert bulk_done / time.now >= 0.95 * (25 - 10)
        await broadcast

    await time.run(everything())
    assert max(waits) <= 0.1
    assert busiest_second([t for t, _, _ in log]) <= 25


async def test_per_chat_limits_one_a_second_for_broadcasts_and_twenty_a_minute_in_groups() -> None:
    """Broadcasts to a chat that just got one wait 1 s; replies there do not; a group's 21st message waits a minute."""
    time = VirtualTime()
    rl = limiter(time)
    log: list[tuple[float, int, bool]] = []
    await time.run(asyncio.gather(*(send(rl, time, log, 7, True) for _ in range(3))))
    bulk = sorted(t for t, _, _ in log)
    assert all(b - a >= 1.0 for a, b in itertools.pairwise(bulk))
    log.clear()
    start = time.now
    await time.run(asyncio.gather(*(send(rl, time, log, 8, False) for _ in range(3))))
    assert max(t for t, _, _ in log) - start < 0.2  # replies in a private chat are not held up
    log.clear()
    start = time.now
    await time.run(asyncio.gather(*(send(rl, time, log, -100, False) for _ in range(21))))
    group = sorted(t for t, _, _ in log)
    assert group[19] - start < 1.0
    assert group[20] - group[0] >= 60.0


async def test_a_429_pauses_every_lane_for_retry_after_and_retries() -> None:
    """Telegram's 429 with retry_after 3: the request is retried after 3 s, and nothing else goes out meanwhile."""
    time = VirtualTime()
    rl = limiter(time)
    granted: list[tuple[float, str]] = []
    refused = [True]

    async def first() -> bool:
        granted.append((time.now, "first"))
        if refused.pop() if refused else False:
            raise RetryAfter(3)
        return True

    async def other() -> bool:
        granted.append((time.now, "other"))
        return True

    async def both() -> None:
        one = asyncio.ensure_future(rl.process_request(first, (), {}, "sendMessage", {"chat_id": 1}, None))
        await time.sleep(0.5)
        await rl.process_request(other, (), {}, "sendMessage", {"chat_id": 2}, None)
        await one

    await time.run(both())
    assert [name for _, name in granted] == ["first", "other", "first"] or [name for _, name in granted] == [
        "first",
        "first",
        "other",
    ]
    assert all(t >= 3.0 for t, _ in granted[1:])


async def test_requests_without_a_chat_are_never_delayed() -> None:
    """Callback and inline answers (no chat_id) go straight through, even while the limit is used up."""
    time = VirtualTime()
    rl = limiter(time)
    log: list[tuple[float, int, bool]] = []
    answered: list[float] = []

    async def answer() -> bool:
        answered.append(time.now)
        return True

    async def scenario() -> None:
        broadcast = asyncio.gather(*(send(rl, time, log, chat, True) for chat in range(1, 101)))
        await time.sleep(1.5)
        await rl.process_request(answer, (), {}, "answerCallbackQuery", {"callback_query_id": "1"}, None)
        await broadcast

    await time.run(scenario())
    assert answered == [1.5]


async def test_a_reply_waiting_for_its_group_does_not_hold_back_broadcasts() -> None:
    """The 21st reply in a group waits for the minute; meanwhile the broadcast to others keeps its pace."""
    time = VirtualTime()
    rl = limiter(time)
    log: list[tuple[float, int, bool]] = []

    async def scenario() -> None:
        await asyncio.gather(*(send(rl, time, log, -100, False) for _ in range(20)))
        await asyncio.gather(
            send(rl, time, log, -100, False), *(send(rl, time, log, chat, True) for chat in range(100, 120))
        )

    await time.run(scenario())
    bulk = [t for t, _, is_bulk in log if is_bulk]
    last_reply = max(t for t, chat, _ in log if chat == -100)
    assert last_reply >= 60.0
    assert max(bulk) < 3.0  # all 20 went out while the reply waited for its group
