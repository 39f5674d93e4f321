"""``python -m bot run``: read the environment, build the bot, poll (or serve a webhook) until stopped."""

from __future__ import annotations

import hashlib
import logging
import sys

from telegram import Update

from bot.config import ConfigError, Settings
from bot.knowledge import KnowledgeError
from bot.logs import configure
from bot.telegram_app.app import build_application

log = logging.getLogger(__name__)


def run() -> int:
    """Run the bot until SIGINT/SIGTERM; a bad setting or knowledge base is one clear message, no traceback."""
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    configure(settings.log_level, [settings.token])
    try:
        application = build_application(settings)
    except KnowledgeError as exc:
        print(f"error: the knowledge base has {len(exc.problems)} problem(s):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    if settings.webhook_url:
        # The path and secret derive from the token without revealing it.
        digest = hashlib.sha256(settings.token.encode()).hexdigest()
        path = f"telegram-{digest[:24]}"
        log.info("serving webhook on port %s", settings.port)
        application.run_webhook(
            listen="0.0.0.0",  # noqa: S104 - a webhook must be reachable from outside
            port=settings.port,
            url_path=path,
            webhook_url=f"{settings.webhook_url.rstrip('/')}/{path}",
            secret_token=digest[24:56],
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        log.info("polling for updates")
        application.run_polling(allowed_updates=Update.ALL_TYPES)
    log.info("stopped")
    return 0
