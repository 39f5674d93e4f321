"""Settings from the environment, validated once at start-up; secrets never leave it."""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TOKEN_PATTERN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")
DEFAULT_API_URL = "https://api.telegram.org"


class ConfigError(Exception):
    """A setting is missing or malformed; the message says which and how to fix it."""


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """Where the bot keeps its SQLite database ($DATA_DIR, default ./data)."""
    return Path((env if env is not None else os.environ).get("DATA_DIR") or "data")


def _number(
    env: Mapping[str, str],
    name: str,
    default: float,
    kind: type[int] | type[float] = int,
    minimum: float = 0,
    maximum: float | None = None,
) -> Any:
    """``env[name]`` as an int (or float), ``default`` when unset; a clear ``ConfigError`` otherwise."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a {'whole number' if kind is int else 'number'}, got {raw!r}") from None
    if not math.isfinite(value):  # float() accepts "nan" and "inf"; neither is a rate or a duration
        raise ConfigError(f"{name} must be a finite number, got {raw!r}")
    if value < minimum or (kind is float and value <= 0):
        raise ConfigError(f"{name} must be {'positive' if kind is float else f'at least {minimum}'}, got {raw}")
    if maximum is not None and value > maximum:
        raise ConfigError(f"{name} must be at most {maximum}, got {raw}")
    return value


@dataclass(frozen=True)
class Settings:
    """Everything the bot reads from its environment."""

    token: str = field(repr=False)
    api_url: str = DEFAULT_API_URL
    admin_ids: frozenset[int] = frozenset()
    organiser_chat_id: int | None = None
    knowledge_dir: Path = Path("knowledge")
    data_dir: Path = Path("data")
    log_level: str = "INFO"
    log_format: str = "text"
    webhook_url: str | None = None
    port: int = 8443
    broadcast_rate: float = 25.0
    reminder_grace_minutes: int = 60
    retention_days: int = 30
    flood_limit: int = 20
    inline_flood_limit: int = 60
    reload_interval_seconds: float = 5.0
    connect_attempts: int = 5
    retry_seconds: float = 2.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read and validate the settings; raise ``ConfigError`` with a one-line reason."""
        env = os.environ if env is None else env
        token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
        if not token:
            raise ConfigError("TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and export its token")
        if not TOKEN_PATTERN.match(token):
            raise ConfigError("TELEGRAM_BOT_TOKEN does not look like a bot token (digits, a colon, then 20+ letters)")
        api_url = (env.get("TELEGRAM_API_URL") or DEFAULT_API_URL).strip().rstrip("/")
        if not re.match(r"^https?://[^/\s]+", api_url):
            raise ConfigError(f"TELEGRAM_API_URL must be an http(s) URL, got {api_url!r}")
        admins: set[int] = set()
        for part in (env.get("ADMIN_IDS") or "").replace(" ", "").split(","):
            if part:
                if not re.fullmatch(r"-?\d+", part):
                    raise ConfigError(f"ADMIN_IDS must be comma-separated Telegram user ids, got {part!r}")
                admins.add(int(part))
        organiser = (env.get("ORGANISER_CHAT_ID") or "").strip()
        if organiser and not re.fullmatch(r"-?\d+", organiser):
            raise ConfigError(f"ORGANISER_CHAT_ID must be a chat id (a number), got {organiser!r}")
        level = (env.get("LOG_LEVEL") or "INFO").strip().upper()
        if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ConfigError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {level!r}")
        log_format = (env.get("LOG_FORMAT") or "text").strip().lower()
        if log_format not in ("text", "json"):
            raise ConfigError(f"LOG_FORMAT must be text or json, got {log_format!r}")
        return cls(
            token=token,
            api_url=api_url,
            admin_ids=frozenset(admins),
            organiser_chat_id=int(organiser) if organiser else None,
            knowledge_dir=Path(env.get("KNOWLEDGE_DIR") or "knowledge"),
            data_dir=data_dir(env),
            log_level=level,
            log_format=log_format,
            webhook_url=(env.get("WEBHOOK_URL") or "").strip() or None,
            port=_number(env, "PORT", 8443, minimum=0, maximum=65535),
            broadcast_rate=_number(env, "BROADCAST_RATE", 25.0, float),
            reminder_grace_minutes=_number(env, "REMINDER_GRACE_MINUTES", 60),
            retention_days=_number(env, "UNANSWERED_RETENTION_DAYS", 30, minimum=1),
            flood_limit=_number(env, "FLOOD_LIMIT_PER_MINUTE", 20, minimum=1),
            reload_interval_seconds=_number(env, "RELOAD_INTERVAL_SECONDS", 5.0, float),
            inline_flood_limit=_number(env, "INLINE_FLOOD_LIMIT_PER_MINUTE", 60, minimum=1),
            connect_attempts=_number(env, "TELEGRAM_CONNECT_ATTEMPTS", 5, minimum=1),
            retry_seconds=_number(env, "TELEGRAM_RETRY_SECONDS", 2.0, float),
        )
