"""A token revoked while the bot runs (Telegram answers 401 to getUpdates): stop with the start-up's line and status.

python-telegram-bot ends its polling loop on ``InvalidToken`` but leaves the process up,
answering no one. The getUpdates transport is watched instead: a 401 becomes ``TokenRevoked``,
which the polling loop hands to the error handlers like any other polling error; the first
one stops the Application, and the runner prints the line and exits as it would at start-up.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from telegram.error import NetworkError
from telegram.request import BaseRequest, RequestData

from bot.telegram_app.conflict import stopping_on

log = logging.getLogger(__name__)

REVOKED = "token-revoked"  # bot_data flag: the runner exits as for a rejected token at start-up


class TokenRevoked(NetworkError):
    """Telegram answered 401 Unauthorized to getUpdates while the bot was running."""


class WatchedUpdates(BaseRequest):
    """The getUpdates transport via ``inner``; a 401 raises ``TokenRevoked`` (a polling error, not ``InvalidToken``)."""

    def __init__(self, inner: BaseRequest) -> None:
        self.inner = inner

    @property
    def read_timeout(self) -> float | None:
        """The inner transport's read timeout."""
        return self.inner.read_timeout

    async def initialize(self) -> None:
        """Open the inner transport."""
        await self.inner.initialize()

    async def shutdown(self) -> None:
        """Close the inner transport."""
        await self.inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """One HTTP request through the inner transport; a 401 Unauthorized raises ``TokenRevoked``."""
        status, payload = await self.inner.do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )
        if status == HTTPStatus.UNAUTHORIZED:
            raise TokenRevoked("Telegram rejected the token (401 Unauthorized)")
        return status, payload


# On ``TokenRevoked``, log one line (once), stop the bot and tell the runner.
on_revoked = stopping_on(
    TokenRevoked, REVOKED, "Telegram rejected the token while running (401 Unauthorized): stopping", log
)


def _without_revocation_traceback(record: logging.LogRecord) -> bool:
    """Drop the traceback python-telegram-bot logs when its last getUpdates at shutdown meets the revoked token."""
    if record.exc_info and isinstance(record.exc_info[1], TokenRevoked):
        record.exc_info, record.exc_text = None, None
    return True


def quiet_revocation() -> None:
    """Keep a revoked token's shutdown free of tracebacks in the log."""
    logging.getLogger("telegram.ext.Updater").addFilter(_without_revocation_traceback)
