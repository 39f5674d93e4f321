"""Settings from the environment: defaults, parsing, and one clear message per mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, Settings
from tests.fakes.botapi import TOKEN


def test_defaults_with_only_a_token() -> None:
    """With just a token, every other setting has its documented default."""
    settings = Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN})
    assert (settings.api_url, settings.admin_ids, settings.organiser_chat_id) == (
        "https://api.telegram.org",
        frozenset(),
        None,
    )
    assert (settings.knowledge_dir, settings.data_dir, settings.broadcast_rate, settings.reminder_grace_minutes) == (
        Path("knowledge"),
        Path("data"),
        25.0,
        60,
    )
    assert TOKEN not in repr(settings)


def test_values_are_parsed() -> None:
    """Admins, the organiser chat, rates and the API root are read from their variables."""
    settings = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "ADMIN_IDS": "42, 7",
            "ORGANISER_CHAT_ID": "-100123",
            "BROADCAST_RATE": "12.5",
            "TELEGRAM_API_URL": "http://127.0.0.1:8081/",
            "LOG_LEVEL": "debug",
            "PORT": "8080",
        }
    )
    assert settings.admin_ids == frozenset({42, 7})
    assert settings.organiser_chat_id == -100123
    assert settings.broadcast_rate == 12.5
    assert settings.api_url == "http://127.0.0.1:8081"
    assert (settings.log_level, settings.port) == ("DEBUG", 8080)


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("ADMIN_IDS", "42,alice", "ADMIN_IDS must be comma-separated Telegram user ids, got 'alice'"),
        ("ORGANISER_CHAT_ID", "organisers", "ORGANISER_CHAT_ID must be a chat id (a number), got 'organisers'"),
        ("BROADCAST_RATE", "fast", "BROADCAST_RATE must be a number, got 'fast'"),
        ("BROADCAST_RATE", "0", "BROADCAST_RATE must be positive, got 0"),
        ("BROADCAST_RATE", "nan", "BROADCAST_RATE must be a finite number, got 'nan'"),
        ("BROADCAST_RATE", "inf", "BROADCAST_RATE must be a finite number, got 'inf'"),
        ("BROADCAST_RATE", "-Infinity", "BROADCAST_RATE must be a finite number, got '-Infinity'"),
        ("PORT", "-1", "PORT must be at least 0, got -1"),
        ("PORT", "70000", "PORT must be at most 65535, got 70000"),
        ("REMINDER_GRACE_MINUTES", "1.5", "REMINDER_GRACE_MINUTES must be a whole number, got '1.5'"),
        ("LOG_LEVEL", "chatty", "LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got 'CHATTY'"),
        ("TELEGRAM_API_URL", "api.telegram.org", "TELEGRAM_API_URL must be an http(s) URL, got 'api.telegram.org'"),
    ],
)
def test_each_mistake_gets_one_clear_message(variable: str, value: str, message: str) -> None:
    """A malformed variable is named with what it should be."""
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, variable: value})
    assert str(caught.value) == message
