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


def test_a_scheduler_job_cancelled_by_the_stop_is_one_debug_line_without_a_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """At LOG_LEVEL=DEBUG, the scheduler's report of a job cancelled by the stop is one line, not a traceback."""
    import asyncio
    import io

    from bot.logs import TEXT_FORMAT, _demote_chatter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    handler.addFilter(_demote_chatter)
    scheduler = logging.getLogger("apscheduler.executors.default")
    scheduler.addHandler(handler)
    try:
        with caplog.at_level(logging.DEBUG):
            try:
                raise asyncio.CancelledError
            except asyncio.CancelledError as exc:
                scheduler.error("Error running job %s", "watch-knowledge", exc_info=(type(exc), exc, exc.__traceback__))
    finally:
        scheduler.removeHandler(handler)
    printed = stream.getvalue()
    assert printed.endswith(" DEBUG apscheduler.executors.default: job watch-knowledge was cancelled by the stop\n")
    assert "Traceback" not in printed
    assert printed.count("\n") == 1
