"""Secrets never leave the process: log records and uncaught exceptions are redacted."""

from __future__ import annotations

import logging
import sys

import pytest

from bot.logs import REDACTED, install_redaction
from tests.fakes.botapi import TOKEN


def test_uncaught_exceptions_and_log_records_never_show_the_token(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """An uncaught exception quoting the token, and a log line with it or its secret half, print [redacted] instead."""
    install_redaction([TOKEN])
    try:
        raise RuntimeError(f"The token `{TOKEN}` was rejected by the server.")
    except RuntimeError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    printed = capsys.readouterr().err
    assert "RuntimeError: The token `[redacted]` was rejected" in printed
    with caplog.at_level(logging.INFO):
        logging.getLogger("any.library").info(
            "calling https://host/bot%s/getMe, secret %s", TOKEN, TOKEN.partition(":")[2]
        )
    assert caplog.records[-1].getMessage() == f"calling https://host/bot{REDACTED}/getMe, secret {REDACTED}"
    assert TOKEN.partition(":")[2] not in printed + caplog.text
