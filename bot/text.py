"""Text normalisation for matching: folding, synonyms and stop words, per language."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower-case, strip accents and turn punctuation into single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _NON_WORD.sub(" ", bare).strip()


@dataclass(frozen=True)
class Normaliser:
    """Turns free text into the canonical tokens of one language's vocabulary."""

    phrase_pattern: re.Pattern[str] | None
    phrase_replacements: Mapping[str, str]
    word_replacements: Mapping[str, str]
    stopwords: frozenset[str]
    stopword_letters: frozenset[str] = frozenset()

    @classmethod
    def build(cls, synonyms: Mapping[str, Iterable[str]], stopwords: Iterable[str]) -> Normaliser:
        """Compile synonym groups (canonical -> variants) and stop words into a normaliser."""
        phrases: dict[str, str] = {}
        words: dict[str, str] = {}
        stop: set[str] = set()
        for raw in stopwords:
            folded = fold(raw)
            if " " in folded:
                phrases[folded] = ""
            elif folded:
                stop.add(folded)
        for canonical, variants in synonyms.items():
            target = fold(canonical)
            for variant in variants:
                folded = fold(variant)
                if not folded or folded == target:
                    continue
                (phrases if " " in folded else words)[folded] = target
        pattern = None
        if phrases:
            ordered = sorted(phrases, key=len, reverse=True)
            pattern = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in ordered) + r")\b")
        letters = frozenset("".join(sorted(w)) for w in stop if len(w) >= 3)
        return cls(pattern, phrases, words, frozenset(stop), letters)

    def surface_words(self) -> dict[str, str]:
        """Single words a question may contain, mapped to the canonical token they stand for."""
        return {word: target for word, target in self.word_replacements.items() if target}

    def is_stopword_typo(self, word: str) -> bool:
        """Whether ``word`` is a stop word with two letters swapped ("teh", "adn")."""
        return "".join(sorted(word)) in self.stopword_letters

    def tokens(self, text: str) -> tuple[str, ...]:
        """Return the distinct meaningful tokens of ``text``, in order."""
        folded = fold(text)
        if self.phrase_pattern is not None:
            folded = self.phrase_pattern.sub(lambda m: " " + self.phrase_replacements[m.group(0)] + " ", folded)
        seen: dict[str, None] = {}
        for word in folded.split():
            for part in self.word_replacements.get(word, word).split():
                if part not in self.stopwords:
                    seen.setdefault(part, None)
        return tuple(seen)
