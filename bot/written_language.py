"""Which language a text is written in, judged by the words of the knowledge base (no heavy imports: ``ask`` uses it)."""

from __future__ import annotations

from bot.knowledge import LANGS, Knowledge, Lang
from bot.text import fold


def written_in(text: str, knowledge: Knowledge) -> Lang | None:
    """The language ``text`` is written in, judged by the words of each language's phrasings and vocabulary; ``None`` if unclear."""
    words = set(fold(text).split())
    if not words:
        return None
    scores: dict[Lang, int] = {}
    for lang in LANGS:
        known = _lexicon(knowledge, lang)
        scores[lang] = sum(1 for w in words if w in known)
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    if ranked[0][1] == 0 or ranked[0][1] == ranked[1][1]:
        return None
    return ranked[0][0]


_LEXICONS: dict[tuple[int, str], frozenset[str]] = {}


def _lexicon(knowledge: Knowledge, lang: Lang) -> frozenset[str]:
    """Every word used in ``lang``'s phrasings and stop words (cached per knowledge base).

    Synonym lists are left out: they share English concept keys and deliberately repeat
    English phrases in every language, so they say little about the language a text is in.
    """
    key = (id(knowledge), lang)
    if key not in _LEXICONS:
        if len(_LEXICONS) > 64:
            _LEXICONS.clear()
        words: set[str] = set()
        for entry in knowledge.entries:
            for text in entry.questions.get(lang, []):
                words.update(fold(text).split())
        vocabulary = knowledge.vocabulary.get(lang)
        if vocabulary is not None:
            for text in vocabulary.stopwords:
                words.update(fold(text).split())
        _LEXICONS[key] = frozenset(words)
    return _LEXICONS[key]
