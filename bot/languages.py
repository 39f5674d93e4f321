"""The language rule, in one place: the reader's language, else English (the default language). Pure; no Telegram."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

from bot.knowledge import DEFAULT_LANG, Lang

T = TypeVar("T")


def language_in(available: Iterable[Lang], lang: str | None, fallback: Lang = DEFAULT_LANG) -> Lang:
    """``lang`` if it is one of ``available``, else ``fallback`` (English unless told)."""
    return next((have for have in available if have == lang), fallback)


def in_language(texts: Mapping[Lang, T], lang: str | None, *, fallback: Lang = DEFAULT_LANG, default: T | None = None) -> T:
    """``texts`` in ``lang``, else in ``fallback`` (English unless told), else ``default`` (a KeyError without one)."""
    chosen = language_in(texts, lang, fallback)
    if chosen in texts or default is None:
        return texts[chosen]
    return default
