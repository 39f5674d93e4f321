"""The one language rule: the reader's language, else English (the default language), else what the caller says."""

from __future__ import annotations

import pytest

from bot.knowledge import LANGS, Lang
from bot.languages import in_language, language_in

TEXTS: dict[Lang, str] = {"nl": "Hallo", "en": "Hello"}


def test_the_readers_language_comes_first() -> None:
    """A text written in the reader's language is the one chosen."""
    assert in_language(TEXTS, "nl") == "Hallo"


def test_a_missing_language_falls_back_to_english() -> None:
    """A reader whose language is missing (or unknown, or not given) gets the English text."""
    assert [in_language(TEXTS, lang) for lang in ("fr", "de", None)] == ["Hello"] * 3


def test_without_english_either_it_is_the_default_or_a_key_error() -> None:
    """Neither the reader's language nor English: the caller's default, else a KeyError naming English."""
    assert in_language({"nl": "Hallo"}, "fr", default="–") == "–"
    with pytest.raises(KeyError, match="en"):
        in_language({"nl": "Hallo"}, "fr")


def test_the_default_is_unused_when_english_is_there() -> None:
    """The default only serves when English is missing too."""
    assert in_language(TEXTS, "fr", default="–") == "Hello"


def test_an_explicit_fallback_language_replaces_english() -> None:
    """``fallback`` names another language to fall back to (the first one listed, say)."""
    assert in_language({"fr": "Bonjour", "en": "Hello"}, "nl", fallback="fr") == "Bonjour"


def test_language_in_picks_the_language_the_same_way() -> None:
    """The language chosen follows the same rule: the reader's when available, else English."""
    assert [language_in(LANGS, code) for code in ("nl", "de", None)] == ["nl", "en", "en"]
    assert language_in(TEXTS, "fr") == "en"
