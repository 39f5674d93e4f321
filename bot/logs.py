"""Logging set-up: secrets are redacted from every record and every uncaught exception, at every level.

Message texts, names and user ids are personal data: the bot's own log lines carry counts
and entry ids only, and python-telegram-bot's loggers (which print whole updates and request
bodies at DEBUG) are kept at INFO. Routine chatter (the scheduler's job runs) is shown at DEBUG
only, so that at INFO a line means a start, a stop, a reload, a broadcast or a failure.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import threading
import traceback
from collections.abc import Iterable
from types import TracebackType

REDACTED = "[redacted]"


_SECRETS: set[str] = set()


def redact(text: str) -> str:
    """``text`` with every registered secret replaced by [redacted]."""
    for secret in sorted(_SECRETS, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


def _print_redacted(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    """An uncaught exception's traceback, with secrets redacted, on stderr."""
    sys.stderr.write(redact("".join(traceback.format_exception(kind, value, tb))))


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    """``threading.excepthook`` with secrets redacted."""
    if args.exc_value is not None:
        _print_redacted(args.exc_type, args.exc_value, args.exc_traceback)


def install_redaction(secrets: Iterable[str]) -> None:
    """Make every log record created from now on, and every uncaught exception, replace ``secrets`` with [redacted].

    A bot token's secret half (after the colon) is redacted on its own too.
    """
    first_time = not _SECRETS
    for secret in secrets:
        if secret:
            _SECRETS.add(secret)
            half = secret.partition(":")[2]
            if len(half) >= 8:
                _SECRETS.add(half)
    if not first_time or not _SECRETS:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed log call must not hide the record
            message = str(record.msg)
        cleaned = redact(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, ()
        return record

    logging.setLogRecordFactory(factory)
    sys.excepthook = _print_redacted
    threading.excepthook = _thread_hook


def _without_traceback(record: logging.LogRecord) -> bool:
    """Keep the record, minus its traceback (the message already says what went wrong)."""
    record.exc_info, record.exc_text = None, None
    return True


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Loggers whose routine INFO lines are chatter, shown at LOG_LEVEL=DEBUG only: the scheduler (every run of every
# job, two lines per knowledge check or question write, ~70,000 a day) and the Application's own start and stop
# lines (the bot logs one line for each: "polling for updates" or "serving webhook on port N", and "stopped").
CHATTY = ("apscheduler", "telegram.ext.Application")


class JsonFormatter(logging.Formatter):
    """One JSON object per line (``LOG_FORMAT=json``): time, level, logger, message and any traceback."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


def _chatter(record: logging.LogRecord) -> bool:
    """Whether ``record`` is routine chatter: a chatty logger's INFO, or a scheduler job reported stop-cancelled."""
    if not record.name.startswith(CHATTY):
        return False
    cancelled = record.exc_info is not None and isinstance(record.exc_info[1], asyncio.CancelledError)
    return record.levelno == logging.INFO or cancelled


def _demote_chatter(record: logging.LogRecord) -> bool:
    """Show chatter as DEBUG, and only when the bot logs at DEBUG; every other record as it is."""
    if not _chatter(record):
        return True
    record.levelno, record.levelname = logging.DEBUG, "DEBUG"
    if record.exc_info is not None and isinstance(record.exc_info[1], asyncio.CancelledError):
        # A job cancelled by the stop is routine: its line stays, its traceback would read as a crash.
        record.exc_info, record.exc_text = None, None
        text = record.getMessage().replace("Error running job", "job", 1)
        record.msg, record.args = f"{text} was cancelled by the stop", ()
    return logging.getLogger().isEnabledFor(logging.DEBUG)


def configure(level: str, secrets: Iterable[str], log_format: str = "text") -> None:
    """Log to stderr at ``level`` as text or JSON lines; secrets redacted, the libraries' chatter and payloads quiet."""
    install_redaction(secrets)
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    handler.addFilter(_demote_chatter)
    logging.basicConfig(level=level, handlers=[handler])
    quiet_libraries(level)


def quiet_libraries(level: str) -> None:
    """Keep the libraries logging URLs (with the token) or whole updates (ids and texts) above ``level`` if needed."""
    # httpx logs every request URL, which contains the token, at INFO: keep it at WARNING (and redacted anyway).
    logging.getLogger("httpx").setLevel(max(logging.WARNING, logging.getLevelName(level)))
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # At DEBUG python-telegram-bot logs whole updates and request bodies (texts, names, user ids): never below INFO.
    logging.getLogger("telegram").setLevel(max(logging.INFO, logging.getLevelName(level)))
    # A garbled answer (an HTML page instead of JSON) is logged there with a JSON-decoder traceback that helps nobody.
    logging.getLogger("telegram.request.BaseRequest").addFilter(_without_traceback)
