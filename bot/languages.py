"""Languages: the rule for choosing one (the reader's, else English) and which one a text is in. Pure; no Telegram.

Light on imports: ``ask`` uses it for every question.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

from bot.knowledge import DEFAULT_LANG, LANGS, Knowledge, Lang
from bot.text import fold

T = TypeVar("T")


def language_in(available: Iterable[Lang], lang: str | None, fallback: Lang = DEFAULT_LANG) -> Lang:
    """``lang`` if it is one of ``available``, else ``fallback`` (English unless told)."""
    return next((have for have in available if have == lang), fallback)


def in_language(
    texts: Mapping[Lang, T], lang: str | None, *, fallback: Lang = DEFAULT_LANG, default: T | None = None
) -> T:
    """``texts`` in ``lang``, else in ``fallback`` (English unless told), else ``default`` (a KeyError without one)."""
    chosen = language_in(texts, lang, fallback)
    if chosen in texts or default is None:
        return texts[chosen]
    return default


def written_in(text: str, knowledge: Knowledge) -> Lang | None:
    """The language ``text`` is in, judged by the words of each language's phrasings and vocabulary; else ``None``."""
    words = set(fold(text).split())
    if not words:
        return None
    scores: dict[Lang, int] = {}
    for lang in LANGS:
        known = knowledge.lexicons[lang]
        scores[lang] = sum(1 for w in words if w in known)
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    if ranked[0][1] == 0 or ranked[0][1] == ranked[1][1]:
        return None
    return ranked[0][0]
