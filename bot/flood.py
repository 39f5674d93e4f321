"""Flood control: a sliding one-minute window per key (a chat, a user), one notice, then silence until it passes."""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable
from enum import Enum

WINDOW_SECONDS = 60.0
# Past this many tracked users, idle ones are forgotten on the next check.
TRACKED_USERS = 10_000


class Verdict(Enum):
    """What to do with a user's update."""

    ALLOW = "allow"
    NOTICE = "notice"  # over the limit for the first time in this window: tell them once
    DROP = "drop"  # still over the limit: ignore


class FloodGuard:
    """Counts each key's updates over the last minute (a key is a chat, or a user); the clock is passed in."""

    def __init__(self, limit_per_minute: int) -> None:
        self.limit = limit_per_minute
        self._seen: dict[Hashable, deque[float]] = {}
        self._noticed: dict[Hashable, float] = {}

    @property
    def tracked(self) -> int:
        """How many keys are remembered (bounded by forgetting idle ones)."""
        return len(self._seen)

    def check(self, user_id: Hashable, now: float) -> Verdict:
        """Record one update from ``user_id`` at ``now`` (seconds) and say whether to handle it."""
        if len(self._seen) > TRACKED_USERS:
            self.forget_idle(now)
        times = self._seen.setdefault(user_id, deque())
        while times and now - times[0] >= WINDOW_SECONDS:
            times.popleft()
        if len(times) < self.limit:
            times.append(now)
            self._noticed.pop(user_id, None)
            return Verdict.ALLOW
        if user_id not in self._noticed:
            self._noticed[user_id] = now
            return Verdict.NOTICE
        return Verdict.DROP

    def forget_idle(self, now: float) -> None:
        """Drop users with no update in the window (keeps memory bounded)."""
        for user_id in [u for u, t in self._seen.items() if not t or now - t[-1] >= WINDOW_SECONDS]:
            self._seen.pop(user_id, None)
            self._noticed.pop(user_id, None)
