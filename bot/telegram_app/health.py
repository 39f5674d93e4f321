"""The health endpoint of webhook mode: ``GET /healthz`` on the webhook's port answers whether the bot is serving.

Hosts and load balancers poll it to restart a stuck bot. python-telegram-bot serves the webhook
with tornado and offers no hook to add a route, so ``HealthUpdater`` adds one to the server its
``start_webhook`` just started (python-telegram-bot is pinned by the lock files; the webhook test
fails loudly if that server ever changes shape).
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import tornado.web
from telegram.ext import Updater

from bot.telegram_app.context import App

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"


class HealthHandler(tornado.web.RequestHandler):
    """``GET /healthz``: 200 ``{"status": "ok"}`` while the bot serves updates, 503 while it starts or stops."""

    def initialize(self, bot_application: App) -> None:
        """Remember the Application whose state is reported."""
        self.application_ = bot_application

    def get(self) -> None:
        """Report whether the bot is running, as JSON."""
        updater = self.application_.updater
        serving = self.application_.running and updater is not None and updater.running
        self.set_status(200 if serving else 503)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps({"status": "ok" if serving else "unavailable"}))


class HealthUpdater(Updater):
    """The Application's Updater, plus ``GET /healthz`` on the webhook server once it listens."""

    def __init__(self, application: App) -> None:
        super().__init__(bot=application.bot, update_queue=application.update_queue)
        self.application = application

    async def start_webhook(self, *args: Any, **kwargs: Any) -> asyncio.Queue[object]:
        """Start the webhook server as python-telegram-bot does, then add the health route to it."""
        queue = await super().start_webhook(*args, **kwargs)
        server = self._httpd._http_server if self._httpd is not None else None  # the tornado HTTPServer PTB started
        app = getattr(server, "request_callback", None)
        if not isinstance(app, tornado.web.Application):
            raise RuntimeError("python-telegram-bot's webhook server changed: the health endpoint cannot be added")
        app.add_handlers(r".*", [(HEALTH_PATH, HealthHandler, {"bot_application": self.application})])
        return queue


def serve_health(application: App) -> None:
    """Give ``application`` an Updater whose webhook server also answers ``GET /healthz``."""
    application.updater = HealthUpdater(application)
