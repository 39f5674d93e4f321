"""Logging set-up: secrets are redacted from every record, whoever logs it, at every level."""

from __future__ import annotations

import logging
from collections.abc import Iterable

REDACTED = "[redacted]"


_SECRETS: set[str] = set()


def _redact(text: str) -> str:
    for secret in _SECRETS:
        text = text.replace(secret, REDACTED)
    return text


def install_redaction(secrets: Iterable[str]) -> None:
    """Make every log record created from now on replace ``secrets`` (the bot token) with [redacted]."""
    first_time = not _SECRETS
    _SECRETS.update(s for s in secrets if s)
    if not first_time or not _SECRETS:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed log call must not hide the record
            message = str(record.msg)
        cleaned = _redact(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = _redact(record.exc_text)
        if cleaned != message or record.args:
            record.msg, record.args = cleaned, ()
        return record

    logging.setLogRecordFactory(factory)


def configure(level: str, secrets: Iterable[str]) -> None:
    """Log to stderr at ``level``, with secrets redacted and the HTTP client's URL logging kept quiet."""
    install_redaction(secrets)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # httpx logs every request URL, which contains the token, at INFO: keep it at WARNING (and redacted anyway).
    logging.getLogger("httpx").setLevel(max(logging.WARNING, logging.getLevelName(level)))
    logging.getLogger("httpcore").setLevel(logging.WARNING)
