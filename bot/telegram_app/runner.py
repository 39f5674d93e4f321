"""``python -m bot run``: read the environment, build the bot, poll (or serve a webhook) until stopped.

Every start-up failure ends with one line on stderr that says what to do, and a non-zero
exit status; never a traceback, never the token (docs/operators.md, "When the bot does not start").
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import socket
import sys
from typing import IO

from telegram import Update
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.config import ConfigError, Settings
from bot.instance import AlreadyRunning, lock_data_dir
from bot.knowledge import KnowledgeError
from bot.logs import configure, redact
from bot.store import StoreError, prepare_data_dir
from bot.telegram_app.app import build_application
from bot.telegram_app.conflict import CONFLICT
from bot.telegram_app.context import App
from bot.telegram_app.health import serve_health
from bot.telegram_app.revoked import REVOKED, quiet_revocation

log = logging.getLogger(__name__)

# The longest wait between two attempts to reach Telegram at start-up.
MAX_RETRY_SECONDS = 60.0


# The one line for a token Telegram rejects, at start-up or while running.
UNAUTHORIZED_LINE = (
    "Telegram rejected TELEGRAM_BOT_TOKEN (401 Unauthorized): "
    "copy the current token from @BotFather (/mybots → API Token)"
)


class StartupError(Exception):
    """Start-up cannot go on; the message is the one line the user reads, ``status`` the exit status."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def fail(message: str) -> None:
    """Print the one line that ends a failed start-up (secrets redacted)."""
    print(f"error: {redact(message)}", file=sys.stderr)


async def connect(application: App, settings: Settings) -> None:
    """Check the token with getMe, retrying an unreachable or garbled Telegram with backoff; else ``StartupError``."""
    delay = settings.retry_seconds
    for attempt in range(1, settings.connect_attempts + 1):
        try:
            await application.bot.initialize()
            return
        except InvalidToken:
            raise StartupError(UNAUTHORIZED_LINE, status=2) from None
        except TelegramError as exc:
            reason = "unreachable" if isinstance(exc, NetworkError) else "an unexpected answer"
            if attempt == settings.connect_attempts:
                if isinstance(exc, NetworkError):
                    raise StartupError(
                        f"cannot reach Telegram at {settings.api_url} after {attempt} attempt(s): "
                        "check the network connection and TELEGRAM_API_URL, then start again"
                    ) from None
                raise StartupError(
                    f"Telegram at {settings.api_url} gave an answer that is not the Bot API's, {attempt} time(s): "
                    "check TELEGRAM_API_URL (a proxy or a wrong address?), then start again"
                ) from None
            log.warning(
                "Telegram %s (attempt %s of %s): retrying in %.3g s", reason, attempt, settings.connect_attempts, delay
            )
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_RETRY_SECONDS)


def claim_data_dir(settings: Settings) -> IO[str]:
    """Take DATA_DIR for this process (an OS lock, released however it exits); ``StartupError`` if another has it."""
    try:
        prepare_data_dir(settings.data_dir)
        return lock_data_dir(settings.data_dir)
    except (StoreError, AlreadyRunning) as exc:
        raise StartupError(str(exc)) from None


def start(settings: Settings) -> App:
    """Build the bot and check it reaches Telegram with its token; ``StartupError`` with the line to print otherwise."""
    try:
        application = build_application(settings)
    except KnowledgeError as exc:
        first = exc.problems[0] if exc.problems else "unknown problem"
        raise StartupError(
            f"the knowledge base in {settings.knowledge_dir} has {len(exc.problems)} problem(s), the first: {first} "
            "(`python -m bot check` lists them all)"
        ) from None
    except StoreError as exc:
        raise StartupError(str(exc)) from None
    # The loop run_polling/run_webhook will use: the token is checked on it first.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(connect(application, settings))
    except (StartupError, KeyboardInterrupt):  # Ctrl-C while retrying: close what was opened, leave no task pending
        pending = asyncio.all_tasks(loop)
        for task in pending:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.run_until_complete(application.bot.shutdown())
        application.bot_data["runtime"].store.close()
        raise
    return application


def run() -> int:
    """Run the bot until SIGINT/SIGTERM; every start-up failure is one clear line and a non-zero exit, no traceback."""
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        fail(str(exc))
        return 2
    configure(settings.log_level, [settings.token], settings.log_format)
    quiet_revocation()
    try:
        lock = claim_data_dir(settings)  # noqa: F841 - held open until the process exits
        application = start(settings)
        serve(application, settings)
    except StartupError as exc:
        fail(str(exc))
        return exc.status
    except InvalidToken:
        fail(UNAUTHORIZED_LINE)
        return 2
    except OSError as exc:  # the webhook's port is taken or not ours to use
        log.debug("the webhook server could not start", exc_info=True)
        fail(
            f"cannot serve the webhook on port {settings.port} "
            f"({exc.strerror or exc}): choose another PORT or stop what uses it"
        )
        return 1
    except TelegramError as exc:
        log.debug("stopped by a Telegram error", exc_info=True)
        fail(f"stopped: Telegram answered {type(exc).__name__}: {exc}; start again once it is resolved")
        return 1
    if application.bot_data.get(REVOKED):
        fail(UNAUTHORIZED_LINE)
        return 2
    if application.bot_data.get(CONFLICT):
        fail("another process is polling with this bot token (Telegram: 409 Conflict); stopped")
        return 1
    log.info("stopped")
    return 0


def listening_socket(port: int) -> socket.socket:
    """A non-blocking TCP socket listening on every interface at ``port`` (0: a free port the OS picks)."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("0.0.0.0", port))  # noqa: S104 - a webhook must be reachable from outside
        server.listen(128)
    except OSError:
        server.close()
        raise
    server.setblocking(False)
    return server


def serve(application: App, settings: Settings) -> None:
    """Poll for updates, or serve the webhook when WEBHOOK_URL is set, until stopped."""
    if settings.webhook_url:
        # The path and secret derive from the token without revealing it.
        digest = hashlib.sha256(settings.token.encode()).hexdigest()
        path = f"telegram-{digest[:24]}"
        # Bound here so PORT=0 (any free port, e.g. in tests) logs the port the OS chose.
        server = listening_socket(settings.port)
        serve_health(application)  # GET /healthz on the same port, for the host's health checks
        log.info("serving webhook on port %s", server.getsockname()[1])  # and GET /healthz
        application.run_webhook(
            unix=server,  # python-telegram-bot serves any listening socket passed this way
            url_path=path,
            webhook_url=f"{settings.webhook_url.rstrip('/')}/{path}",
            secret_token=digest[24:56],
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        log.info("polling for updates")
        application.run_polling(allowed_updates=Update.ALL_TYPES)
