"""Runs the real Application (polling, handlers, rate limiter, jobs) against the fake Bot API, in-process."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from telegram import Update
from telegram.ext import Job

from bot.config import Settings
from bot.telegram_app.app import build_application
from bot.telegram_app.broadcast import broadcasts
from bot.telegram_app.context import App, Runtime
from bot.telegram_app.ratelimit import Limits
from tests.conftest import BEFORE, KNOWLEDGE
from tests.fakes.botapi import TOKEN, FakeBotApi, InProcessRequest


class Clock:
    """A wall clock and a monotonic clock that tests move by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.seconds = 1000.0

    def __call__(self) -> datetime:
        """The current (fake) time."""
        return self.now

    def monotonic(self) -> float:
        """The current (fake) monotonic seconds."""
        return self.seconds

    def advance(self, delta: timedelta) -> None:
        """Move both clocks forward."""
        self.now += delta
        self.seconds += delta.total_seconds()


@dataclass
class Harness:
    """A running bot and the fake it talks to."""

    api: FakeBotApi
    app: App
    clock: Clock
    settings: Settings

    @property
    def runtime(self) -> Runtime:
        """The bot's shared runtime (store, live knowledge)."""
        return self.app.bot_data["runtime"]  # type: ignore[no-any-return]

    def job(self, name: str) -> Job:  # type: ignore[type-arg]
        """The scheduled job called ``name`` (a test runs it with ``await bot.job(name).run(bot.app)``)."""
        assert self.app.job_queue is not None
        return next(j for j in self.app.job_queue.jobs() if j.name == name)

    async def broadcasts_done(self) -> None:
        """Wait until every background broadcast has finished (and its report was sent)."""
        await broadcasts(self.app).wait()


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    """Settings for a test bot: the fake's token, a fast rate limit, a private data folder."""
    values: dict[str, object] = {
        "token": TOKEN,
        "api_url": "http://fake-bot-api.invalid",
        "knowledge_dir": KNOWLEDGE,
        "data_dir": data_dir,
        "broadcast_rate": 1000.0,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@asynccontextmanager
async def running_bot(
    data_dir: Path, now: datetime = BEFORE, api: FakeBotApi | None = None, **overrides: object
) -> AsyncIterator[Harness]:
    """Build, initialise and start the bot with polling; stop it cleanly afterwards."""
    api = api or FakeBotApi()
    settings = make_settings(data_dir, **overrides)
    clock = Clock(now)
    # Per-chat limits relaxed so that a test's quick exchanges are not paced at one message a second.
    limits = Limits(overall=settings.broadcast_rate, chat=(1000, 1.0), group=(1000, 1.0))
    app = build_application(
        settings, request=InProcessRequest(api), clock=clock, monotonic=clock.monotonic, limits=limits
    )
    async with app:
        assert app.post_init is not None
        await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=5, allowed_updates=Update.ALL_TYPES)
        try:
            yield Harness(api, app, clock, settings)
        finally:
            await app.updater.stop()
            await app.stop()
            assert app.post_shutdown is not None
            await app.post_shutdown(app)
        # Every button press the test made was answered: no spinner is left turning in any client.
        assert api.unanswered_callbacks() == [], "button presses never answered with answerCallbackQuery"
