"""Rank the knowledge base's entries against a free-text question (rapidfuzz; no I/O).

Each phrasing is reduced to canonical tokens (synonyms applied, stop words dropped)
by its language's normaliser. Synonym groups share their canonical word across
languages, so all phrasings live in one index: a question is normalised by every
language's normaliser and compared with the phrasings of every language ("one
vocabulary"). Unknown words are corrected to the nearest known word when close
enough (typos), and each phrasing sharing a token is scored by an IDF-weighted
F-measure: how much of the question the phrasing explains (precision) and how
much of the phrasing the question covers (recall), precision weighted higher.
A question made mostly of words the knowledge base has never seen scores low,
which is how off-topic questions are declined.

A long message is scored as a whole and sentence by sentence; the best counts,
so a clear question inside greetings and travel context is still found. A
sentence alone scores a little lower than the same words asked alone
(``SENTENCE_PENALTY``), as the rest of the message may change its meaning.

Phrasings marked ``loose`` (the sentences of an article passage) are long texts,
not questions: they are scored almost on precision alone (``LOOSE_BETA_SQUARED``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.text import Normaliser, sentences

# How close an unknown word must be to a known one to count as a typo of it (0-100).
TYPO_CUTOFF = 80
# Words shorter than this are corrected only when nearly identical ("wen" -> "when").
TYPO_MIN_LENGTH = 4
SHORT_TYPO_CUTOFF = 85
# Synonym variants are many and varied, so a typo must be closer to reach one.
VARIANT_TYPO_CUTOFF = 90
# Precision counts more than recall (F-beta, beta = 0.71): a short question may cover a long phrasing.
BETA_SQUARED = 0.5
# A passage's text is long: a question covers little of it, so recall counts for very little.
LOOSE_BETA_SQUARED = 0.08
# Points taken from a sentence's score when it is scored apart from the rest of its message.
SENTENCE_PENALTY = 4.0
# Each word of the rest of the message weighs this share of an unknown word when a sentence is scored
# apart: context lowers a sentence's score a little, so a lone topic word in a long off-topic message
# ("... what medicine should I give her?") does not become a confident match.
CONTEXT_FACTOR = 0.0
# A question word that the best phrasing lacks but another phrasing of the same entry has counts this
# share as explained ("where exactly is the venue": "where" and "venue" in different phrasings).
ENTRY_SHARE = 0.25
# A word no phrasing uses weighs this share of log(1 + entries), about the weight of the rarest known word.
UNKNOWN_FACTOR = 0.8
# Tokens of a question considered (longer messages are cut).
MAX_TOKENS = 64


@dataclass(frozen=True)
class Phrasing:
    """One way of asking an entry's question, in one language (``loose``: a passage text, not a question)."""

    entry_id: str
    lang: str
    text: str
    loose: bool = False


@dataclass(frozen=True)
class Candidate:
    """An entry with its best score (0-100) and the phrasing that earned it."""

    entry_id: str
    score: float
    phrasing: Phrasing


class _Corrector:
    """Maps a word the index has never seen to the known word it most likely stands for (typos, inflections)."""

    def __init__(self, tokens: list[str], variants: dict[str, str]) -> None:
        self.tokens = tokens
        self.known = set(tokens)
        self.variants = variants
        self.variant_words = list(variants)
        self._cache: dict[str, tuple[str, float] | None] = {}

    def correct(self, token: str) -> tuple[str, float] | None:
        """The known word ``token`` most likely stands for, with a similarity in [0, 1]."""
        if token in self.known:
            return token, 1.0
        if len(token) < TYPO_MIN_LENGTH - 1 or token.isdigit() or token.startswith("_"):
            return None
        if token not in self._cache:
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
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[token] = found
        return self._cache[token]


class Matcher:
    """Question -> ranked entries, across every language's phrasings."""

    def __init__(
        self, phrasings: Iterable[Phrasing], normalisers: Mapping[str, Normaliser],
        unknown_factor: float = UNKNOWN_FACTOR, beta_squared: float = BETA_SQUARED,
        sentence_penalty: float = SENTENCE_PENALTY, loose_beta_squared: float = LOOSE_BETA_SQUARED,
        context_factor: float = CONTEXT_FACTOR, entry_share: float = ENTRY_SHARE,
    ) -> None:  # fmt: skip
        self.phrasings = list(phrasings)
        self.beta_squared = beta_squared
        self.loose_beta_squared = loose_beta_squared
        self.sentence_penalty = sentence_penalty
        self.context_factor = context_factor
        self.entry_share = entry_share
        fallback = Normaliser.build({}, [])
        self.normalisers: dict[str, Normaliser] = {}
        indexed: list[tuple[int, tuple[str, ...]]] = []
        entry_tokens: dict[str, set[str]] = defaultdict(set)
        for position, phrasing in enumerate(self.phrasings):
            normaliser = self.normalisers.setdefault(phrasing.lang, normalisers.get(phrasing.lang, fallback))
            tokens = normaliser.tokens(phrasing.text)
            if tokens:
                indexed.append((position, tokens))
                entry_tokens[phrasing.entry_id].update(tokens)
        # Inverse document frequency over entries: a word shared by many entries says little.
        entries = max(len(entry_tokens), 1)
        frequency: dict[str, int] = defaultdict(int)
        for words in entry_tokens.values():
            for token in words:
                frequency[token] += 1
        self.idf = {token: math.log(1 + entries / count) for token, count in frequency.items()}
        self.entries_with: dict[str, list[str]] = defaultdict(list)
        for entry_id, words in entry_tokens.items():
            for token in words:
                self.entries_with[token].append(entry_id)
        # A word no phrasing uses weighs as much as a rare known word: it is unexplained meaning.
        self.unknown_weight = unknown_factor * math.log(1 + entries)
        self.postings: dict[str, list[int]] = defaultdict(list)
        self.weights = [0.0] * len(self.phrasings)
        for position, tokens in indexed:
            self.weights[position] = sum(self.idf[t] for t in tokens)
            for token in tokens:
                self.postings[token].append(position)
        # Words that mean nothing in one language may be typed in another: a stop word of any language is
        # dropped, and a word neutral in any language (greeting, thanks) counts only when it is all there is.
        meaningful = set(self.postings).union(*(n.surface_words() for n in self.normalisers.values()))
        self.stopwords = frozenset().union(*(n.stopwords for n in self.normalisers.values())) - meaningful
        self.neutral = frozenset().union(*(n.neutral for n in self.normalisers.values()))
        # Typos are corrected towards any word we understand: a phrasing's token, or (more strictly,
        # as there are many and they are varied) a synonym of one ("adress" -> "address" -> venue).
        known = list(self.postings)
        self.correctors = {
            lang: _Corrector(known, {w: t for w, t in n.surface_words().items() if t in self.postings and w not in self.postings})
            for lang, n in self.normalisers.items()
        }  # fmt: skip

    @property
    def indexes(self) -> dict[str, _Corrector]:
        """The languages the matcher understands (kept for callers that list them)."""
        return self.correctors

    def rank(
        self, question: str, limit: int = 5, prefer_lang: str | None = None, keep: Callable[[str], bool] | None = None
    ) -> list[Candidate]:
        """The best entries for ``question`` (those ``keep`` accepts), highest score first, one candidate per entry."""
        text = question[:1000]
        pieces = sentences(text)
        best: dict[str, Candidate] = {}
        for lang, normaliser in self.normalisers.items():
            bonus = 0.5 if lang == prefer_lang else 0.0
            seen: set[tuple[str, ...]] = set()
            whole = normaliser.tokens(text)
            parts = [normaliser.tokens(p, keep_neutral=False) for p in pieces] if len(pieces) > 1 else []
            everything = [t for t in whole if t not in self.stopwords]
            scored = [(whole, 0.0, 0.0)] + [
                (part, self.sentence_penalty, self.context_factor * self.unknown_weight * sum(t not in part for t in everything))
                for part in parts
            ]  # fmt: skip
            for tokens, penalty, context in scored:
                if not tokens or tokens in seen:
                    continue
                seen.add(tokens)
                for candidate in self._rank_tokens(self.correctors[lang], normaliser, tokens, bonus - penalty, penalty > 0, context):
                    current = best.get(candidate.entry_id)
                    if current is None or candidate.score > current.score:
                        best[candidate.entry_id] = candidate
        ranked = sorted((c for c in best.values() if keep is None or keep(c.entry_id)), key=lambda c: (-c.score, c.entry_id))
        return ranked[:limit]

    def _rank_tokens(
        self, corrector: _Corrector, normaliser: Normaliser, tokens: tuple[str, ...], bonus: float, strict: bool, context: float
    ) -> list[Candidate]:
        resolved = [(token, corrector.correct(token)) for token in tokens[:MAX_TOKENS] if token not in self.stopwords]
        content = [(t, c) for t, c in resolved if (c[0] if c else t) not in self.neutral]
        if content or strict:
            resolved = content
        matched: dict[int, float] = defaultdict(float)
        by_entry: dict[str, float] = defaultdict(float)
        question_weight = context
        for token, correction in resolved:
            if correction is None:
                if not normaliser.is_stopword_typo(token):
                    question_weight += self.unknown_weight
                continue
            known, similarity = correction
            weight = self.idf[known]
            question_weight += weight
            for position in self.postings[known]:
                matched[position] += weight * similarity
            for entry_id in self.entries_with[known]:
                by_entry[entry_id] += weight * similarity
        found: dict[str, Candidate] = {}
        for position, overlap in matched.items():
            phrasing = self.phrasings[position]
            beta_squared = self.loose_beta_squared if phrasing.loose else self.beta_squared
            precision = (overlap + self.entry_share * (by_entry[phrasing.entry_id] - overlap)) / question_weight
            recall = min(overlap / self.weights[position], 1.0)
            f_score = (1 + beta_squared) * precision * recall / (beta_squared * precision + recall)
            score = max(min(100.0 * f_score + bonus, 100.0), 0.0)
            current = found.get(phrasing.entry_id)
            if current is None or score > current.score:
                found[phrasing.entry_id] = Candidate(phrasing.entry_id, score, phrasing)
        return list(found.values())
