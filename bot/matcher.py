"""Rank the knowledge base's entries against a free-text question (rapidfuzz; no I/O).

Each phrasing is reduced to canonical tokens (synonyms applied, stop words dropped)
by its language's normaliser. A question is normalised the same way for every
language, its unknown words are corrected to the nearest known word when close
enough (typos), and each phrasing sharing a token is scored by an IDF-weighted
F-measure: how much of the question the phrasing explains (precision) and how
much of the phrasing the question covers (recall), precision weighted higher.
A question made mostly of words the knowledge base has never seen scores low,
which is how off-topic questions are declined.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.text import Normaliser

# How close an unknown word must be to a known one to count as a typo of it (0-100).
TYPO_CUTOFF = 80
# Words shorter than this are corrected only when nearly identical ("wen" -> "when").
TYPO_MIN_LENGTH = 4
SHORT_TYPO_CUTOFF = 85
# Synonym variants are many and varied, so a typo must be closer to reach one.
VARIANT_TYPO_CUTOFF = 90
# Precision counts more than recall (F-beta, beta = 0.71): a short question may cover a long phrasing.
BETA_SQUARED = 0.5


@dataclass(frozen=True)
class Phrasing:
    """One way of asking an entry's question, in one language."""

    entry_id: str
    lang: str
    text: str


@dataclass(frozen=True)
class Candidate:
    """An entry with its best score (0-100) and the phrasing that earned it."""

    entry_id: str
    score: float
    phrasing: Phrasing


class _LanguageIndex:
    """The phrasings of one language, with an inverted index from token to phrasings."""

    def __init__(self, normaliser: Normaliser, phrasings: list[tuple[int, tuple[str, ...]]]) -> None:
        self.normaliser = normaliser
        self.phrasings = phrasings
        self.postings: dict[str, list[int]] = defaultdict(list)
        for position, (_, tokens) in enumerate(phrasings):
            for token in tokens:
                self.postings[token].append(position)
        # Typos are corrected towards any word we understand: a phrasing's token, or (more strictly,
        # as there are many and they are varied) a synonym of one ("adress" -> "address" -> venue).
        self.tokens = list(self.postings)
        self.variants = {w: t for w, t in normaliser.surface_words().items() if t in self.postings and w not in self.postings}
        self.variant_words = list(self.variants)
        self._corrections: dict[str, tuple[str, float] | None] = {}

    def correct(self, token: str) -> tuple[str, float] | None:
        """The known word ``token`` most likely stands for, with a similarity in [0, 1]."""
        if token in self.postings:
            return token, 1.0
        if len(token) < TYPO_MIN_LENGTH - 1 or token.isdigit():
            return None
        if token not in self._corrections:
            short = len(token) < TYPO_MIN_LENGTH
            candidates = [
                (hit[0], hit[1] / 100)
                for hit in (
                    process.extractOne(token, self.tokens, scorer=fuzz.ratio, score_cutoff=SHORT_TYPO_CUTOFF if short else TYPO_CUTOFF),
                    process.extractOne(token, self.variant_words, scorer=fuzz.ratio, score_cutoff=VARIANT_TYPO_CUTOFF),
                )
                if hit
            ]
            best = max(candidates, key=lambda c: c[1], default=None)
            found: tuple[str, float] | None = (self.variants.get(best[0], best[0]), best[1]) if best else None
            if found is None and not short:  # an inflection: "registering" for "register"
                stems = [w for w in self.tokens if len(w) >= 5 and (token.startswith(w) or w.startswith(token))]
                if stems:
                    found = (max(stems, key=len), 0.85)
            if len(self._corrections) > 50_000:
                self._corrections.clear()
            self._corrections[token] = found
        return self._corrections[token]


class Matcher:
    """Question -> ranked entries, across every language's phrasings."""

    def __init__(
        self, phrasings: Iterable[Phrasing], normalisers: Mapping[str, Normaliser],
        unknown_factor: float = 1.0, beta_squared: float = BETA_SQUARED,
    ) -> None:  # fmt: skip
        self.phrasings = list(phrasings)
        self.beta_squared = beta_squared
        fallback = Normaliser.build({}, [])
        by_lang: dict[str, list[tuple[int, tuple[str, ...]]]] = defaultdict(list)
        entry_tokens: dict[str, set[str]] = defaultdict(set)
        for position, phrasing in enumerate(self.phrasings):
            tokens = normalisers.get(phrasing.lang, fallback).tokens(phrasing.text)
            if tokens:
                by_lang[phrasing.lang].append((position, tokens))
                entry_tokens[phrasing.entry_id].update(tokens)
        # Inverse document frequency over entries: a word shared by many entries says little.
        entries = max(len(entry_tokens), 1)
        frequency: dict[str, int] = defaultdict(int)
        for words in entry_tokens.values():
            for token in words:
                frequency[token] += 1
        self.idf = {token: math.log(1 + entries / count) for token, count in frequency.items()}
        # A word no phrasing uses weighs as much as a rare known word: it is unexplained meaning.
        self.unknown_weight = unknown_factor * math.log(1 + entries)
        self.indexes = {lang: _LanguageIndex(normalisers.get(lang, fallback), items) for lang, items in by_lang.items()}
        self.weights = [0.0] * len(self.phrasings)
        for items in by_lang.values():
            for position, tokens in items:
                self.weights[position] = sum(self.idf[t] for t in tokens)

    def rank(self, question: str, limit: int = 5, prefer_lang: str | None = None) -> list[Candidate]:
        """The best entries for ``question``, highest score first, one candidate per entry."""
        best: dict[str, Candidate] = {}
        for lang, index in self.indexes.items():
            tokens = index.normaliser.tokens(question[:1000])
            if not tokens:
                continue
            bonus = 0.5 if lang == prefer_lang else 0.0
            for candidate in self._rank_in(index, tokens, bonus):
                current = best.get(candidate.entry_id)
                if current is None or candidate.score > current.score:
                    best[candidate.entry_id] = candidate
        ranked = sorted(best.values(), key=lambda c: (-c.score, c.entry_id))
        return ranked[:limit]

    def _rank_in(self, index: _LanguageIndex, tokens: tuple[str, ...], bonus: float) -> list[Candidate]:
        matched: dict[int, float] = defaultdict(float)
        question_weight = 0.0
        for token in tokens[:64]:
            correction = index.correct(token)
            if correction is None:
                if not index.normaliser.is_stopword_typo(token):
                    question_weight += self.unknown_weight
                continue
            known, similarity = correction
            weight = self.idf[known]
            question_weight += weight
            for position in index.postings[known]:
                matched[position] += weight * similarity
        found: dict[str, Candidate] = {}
        for item, overlap in matched.items():
            position, _ = index.phrasings[item]
            precision = overlap / question_weight
            recall = min(overlap / self.weights[position], 1.0)
            f_score = (1 + self.beta_squared) * precision * recall / (self.beta_squared * precision + recall)
            phrasing = self.phrasings[position]
            score = min(100.0 * f_score + bonus, 100.0)
            current = found.get(phrasing.entry_id)
            if current is None or score > current.score:
                found[phrasing.entry_id] = Candidate(phrasing.entry_id, score, phrasing)
        return list(found.values())
