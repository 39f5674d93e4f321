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

import bisect
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.text import SHORT_TYPO_RATIO, SHORT_WORD, Normaliser, fold, sentences, typo_of

# A word of 4+ letters is a typo of a known word one slip away (``typo_of``); the lengths worth comparing.
TYPO_LENGTH_CUTOFF = 60
# Synonym variants are many and varied, so a typo must be closer to reach one.
VARIANT_TYPO_CUTOFF = 90
# Precision counts more than recall (F-beta, beta = 0.71): a short question may cover a long phrasing.
BETA_SQUARED = 0.5
# A passage's text is long: a question covers little of it, so recall counts for very little.
LOOSE_BETA_SQUARED = 0.08
# Points taken from a sentence's score when it is scored apart from the rest of its message.
SENTENCE_PENALTY = 4.0
# A question word that the best phrasing lacks but another phrasing of the same entry has counts this
# share as explained ("where exactly is the venue": "where" and "venue" in different phrasings).
ENTRY_SHARE = 0.25
# A word no phrasing uses weighs this share of log(1 + entries), about the weight of the rarest known word.
UNKNOWN_FACTOR = 1.0
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


# Plural endings of English, Dutch and French, and what the singular ends with instead.
_PLURALS = (("ies", "y"), ("es", ""), ("s", ""), ("en", ""), ("x", ""), ("", "s"))


class _Words:
    """Known words grouped for fast fuzzy look-ups: by length (a close word has a similar length), sorted (prefixes)."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = sorted(set(words))
        self.known = set(self.words)
        self._by_length: dict[int, list[str]] = defaultdict(list)
        for word in self.words:
            self._by_length[len(word)].append(word)
        self._near: dict[tuple[int, int], list[str]] = {}
        self._near_from: dict[tuple[str, int, int], list[str]] = {}
        self._closest: dict[tuple[str, float], tuple[str, float] | None] = {}
        self._stems: dict[str, str | None] = {}

    def near(self, length: int, cutoff: float = 80) -> list[str]:
        """Words whose length lets them reach ``cutoff`` (0-100) with a word of ``length`` letters.

        ``fuzz.ratio`` is 200 * common / (both lengths), and the common part is at most the
        shorter word, so a length outside [length * c / (200 - c), length * (200 - c) / c] never reaches c.
        """
        whole = math.floor(cutoff)
        key = (length, whole)
        if key not in self._near:
            lowest, highest = -(-length * whole // (200 - whole)), length * (200 - whole) // whole
            self._near[key] = [w for size in range(lowest, highest + 1) for w in self._by_length.get(size, [])]
        return self._near[key]

    def near_from(self, letter: str, length: int, cutoff: float) -> list[str]:
        """The words of ``near(length, cutoff)`` that begin with ``letter`` (kept per letter, length and cutoff)."""
        key = (letter, length, math.floor(cutoff))
        found = self._near_from.get(key)
        if found is None:
            found = self._near_from[key] = [known for known in self.near(length, cutoff) if known[:1] == letter]
        return found

    def closest(self, word: str, cutoff: float, typo: bool = False) -> tuple[str, float] | None:
        """The most similar known word (same first letter, at least ``cutoff`` 0-100), with its similarity in [0, 1].

        With ``typo``, a word one typing slip away instead (``typo_of``), whatever the cutoff says.
        """
        key = (word, -1.0 if typo else cutoff)
        if key not in self._closest:
            if len(self._closest) > 50_000:
                self._closest.clear()
            # A typo keeps its first letter: "parking" is no typo of "speaking", "wen" is one of "when".
            candidates = self.near_from(word[:1], len(word), TYPO_LENGTH_CUTOFF if typo else cutoff)
            if typo:
                found = typo_of(word, candidates)
                self._closest[key] = (found[0], found[1] / 100) if found else None
            else:
                hit = process.extractOne(word, candidates, scorer=fuzz.ratio, score_cutoff=cutoff)
                self._closest[key] = (hit[0], hit[1] / 100) if hit else None
        return self._closest[key]

    def clear(self) -> None:
        """Forget the look-ups made so far."""
        self._closest.clear()
        self._stems.clear()

    def stem_of(self, word: str) -> str | None:
        """The known word ``word`` inflects: a plural ("countries"), or the longest known 5+ letter word it extends."""
        if word not in self._stems:
            if len(self._stems) > 50_000:
                self._stems.clear()
            self._stems[word] = self._stem_of(word)
        return self._stems[word]

    def _stem_of(self, word: str) -> str | None:
        for ending, replacement in _PLURALS:
            if word.endswith(ending) and word[: len(word) - len(ending)] + replacement in self.known:
                return word[: len(word) - len(ending)] + replacement
        found = [word[:size] for size in range(5, len(word)) if word[:size] in self.known]
        start = bisect.bisect_left(self.words, word)
        while start < len(self.words) and self.words[start].startswith(word):
            if len(self.words[start]) >= 5:
                found.append(self.words[start])
            start += 1
        return max(found, key=len, default=None)


class _Corrector:
    """Maps a word the index has never seen to the known word it most likely stands for (typos, inflections)."""

    def __init__(self, tokens: _Words, variants: dict[str, str]) -> None:
        self.tokens = tokens
        self.known = tokens.known
        self.variants = variants
        self.variant_words = _Words(variants)
        self._cache: dict[str, tuple[str, float] | None] = {}

    def clear(self) -> None:
        """Forget the corrections made so far (benchmarks measure first-seen questions)."""
        self._cache.clear()
        self.tokens.clear()
        self.variant_words.clear()

    def correct(self, token: str) -> tuple[str, float] | None:
        """The known word ``token`` most likely stands for, with a similarity in [0, 1]."""
        if token in self.known:
            return token, 1.0
        if len(token) < SHORT_WORD - 1 or token.isdigit() or token.startswith("_"):
            return None
        if token not in self._cache:
            short = len(token) < SHORT_WORD  # only a letter missing: "wen" for "when"
            direct = self.tokens.closest(token, SHORT_TYPO_RATIO) if short else self.tokens.closest(token, 0, typo=True)
            # A synonym replaces a direct hit only when strictly closer, so it need not be looked for below the hit's
            # score.
            bar = max(VARIANT_TYPO_CUTOFF, math.floor(direct[1] * 100)) if direct else VARIANT_TYPO_CUTOFF
            variant = self.variant_words.closest(token, bar)
            best = variant if variant and (direct is None or variant[1] > direct[1]) else direct
            found: tuple[str, float] | None = (self.variants.get(best[0], best[0]), best[1]) if best else None
            if found is None and not short:  # an inflection: "registering" for "register"
                stem = self.tokens.stem_of(token)
                if stem is not None:
                    found = (stem, 0.85)
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[token] = found
        return self._cache[token]


class Matcher:
    """Question -> ranked entries, across every language's phrasings."""

    def __init__(
        self,
        phrasings: Iterable[Phrasing],
        normalisers: Mapping[str, Normaliser],
        unknown_factor: float = UNKNOWN_FACTOR,
        beta_squared: float = BETA_SQUARED,
        sentence_penalty: float = SENTENCE_PENALTY,
        loose_beta_squared: float = LOOSE_BETA_SQUARED,
        entry_share: float = ENTRY_SHARE,
        rank_only: Callable[[str], bool] | None = None,
    ) -> None:
        """Index ``phrasings``; with ``rank_only``, the other entries only weigh words (IDF) and are never ranked."""
        self.phrasings = list(phrasings)
        self.beta_squared = beta_squared
        self.loose_beta_squared = loose_beta_squared
        self.sentence_penalty = sentence_penalty
        self.entry_share = entry_share
        fallback = Normaliser.build({}, [])
        self.normalisers: dict[str, Normaliser] = dict(normalisers)  # every language reads every question
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
            if rank_only is None or rank_only(entry_id):
                for token in words:
                    self.entries_with[token].append(entry_id)
        # A word no phrasing uses weighs as much as a rare known word: it is unexplained meaning.
        self.unknown_weight = unknown_factor * math.log(1 + entries)
        self.postings: dict[str, list[int]] = defaultdict(list)
        self.weights = [0.0] * len(self.phrasings)
        self.entry_of = [p.entry_id for p in self.phrasings]
        self.beta_of = [loose_beta_squared if p.loose else beta_squared for p in self.phrasings]
        vocabulary = set(self.idf)
        for position, tokens in indexed:
            self.weights[position] = sum(self.idf[t] for t in tokens)
            if rank_only is None or rank_only(self.phrasings[position].entry_id):
                for token in tokens:
                    self.postings[token].append(position)
        # Words that mean nothing in one language may be typed in another: a stop word of any language is
        # dropped, and a word neutral in any language (greeting, thanks) counts only when it is all there is.
        meaningful = vocabulary.union(*(n.surface_words() for n in self.normalisers.values()))
        self.stopwords = frozenset().union(*(n.stopwords for n in self.normalisers.values())) - meaningful
        self.neutral = frozenset().union(*(n.neutral for n in self.normalisers.values()))
        # Typos are corrected towards any word we understand: a phrasing's token, or (more strictly,
        # as there are many and they are varied) a synonym of one ("adress" -> "address" -> venue).
        known = _Words(vocabulary)
        self.correctors = {
            lang: _Corrector(
                known, {w: t for w, t in n.surface_words().items() if t in vocabulary and w not in vocabulary}
            )
            for lang, n in self.normalisers.items()
        }

    def rank(
        self,
        question: str,
        limit: int = 5,
        prefer_lang: str | None = None,
        keep: Callable[[str], bool] | None = None,
        known_only: bool = False,
    ) -> list[Candidate]:
        """The best entries for ``question`` (those ``keep`` accepts), highest score first, one candidate per entry.

        ``known_only``: words no phrasing uses are left out of the question's weight (they lower no score).
        """
        text = question[:1000]
        folded = fold(text)
        # A sentence reading the same words as the whole message is read once, with it.
        pieces = [(piece, fold(piece) == folded) for piece in sentences(text)]
        best: dict[str, tuple[float, int]] = {}
        done: dict[tuple[tuple[str, ...], bool], dict[str, tuple[float, int]]] = {}
        # The reader's language reads first: its spellings correct the unknown words ("wanner": Dutch "wanneer").
        order = sorted(self.normalisers.items(), key=lambda item: item[0] != prefer_lang)
        for lang, normaliser in order:
            bonus = 0.5 if lang == prefer_lang else 0.0
            corrector = self.correctors[lang]
            whole, strict = normaliser.readings(text)
            read = (strict if same else normaliser.tokens(piece, keep_neutral=False) for piece, same in pieces)
            parts = [part for part in read if part != whole]
            scored = [(whole, 0.0)] + [(part, self.sentence_penalty) for part in parts]
            for tokens, penalty in scored:
                if not tokens:
                    continue
                # Words mean the same whichever language read them: score a token list once per message.
                key = (tuple(t for t in tokens if t not in self.stopwords), penalty > 0)
                found = done.get(key)
                if found is None:
                    found = done[key] = self._rank_tokens(corrector, normaliser, tokens, penalty > 0, known_only)
                for entry_id, (raw, position) in found.items():
                    score = min(max(raw + bonus - penalty, 0.0), 100.0)
                    current = best.get(entry_id)
                    if current is None or score > current[0]:
                        best[entry_id] = (score, position)
        ranked = sorted(
            (
                Candidate(entry_id, score, self.phrasings[position])
                for entry_id, (score, position) in best.items()
                if keep is None or keep(entry_id)
            ),
            key=lambda c: (-c.score, c.entry_id),
        )
        return ranked[:limit]

    def _rank_tokens(
        self,
        corrector: _Corrector,
        normaliser: Normaliser,
        tokens: tuple[str, ...],
        strict: bool,
        known_only: bool = False,
    ) -> dict[str, tuple[float, int]]:
        """Each matching entry's best score (0-100, before bonus) and the position of the phrasing that earned it."""
        resolved = [(token, corrector.correct(token)) for token in tokens[:MAX_TOKENS] if token not in self.stopwords]
        content = [(t, c) for t, c in resolved if (c[0] if c else t) not in self.neutral]
        if content or strict:
            resolved = content
        matched: dict[int, float] = {}
        by_entry: dict[str, float] = {}
        question_weight = 0.0
        idf, postings, entries_with = self.idf, self.postings, self.entries_with
        for token, correction in resolved:
            if correction is None:
                if not known_only and not normaliser.is_stopword_typo(token):
                    question_weight += self.unknown_weight
                continue
            known, similarity = correction
            weight = idf[known] * similarity
            question_weight += idf[known]
            for position in postings.get(known, ()):
                matched[position] = matched.get(position, 0.0) + weight
            for entry_id in entries_with.get(known, ()):
                by_entry[entry_id] = by_entry.get(entry_id, 0.0) + weight
        found: dict[str, tuple[float, int]] = {}
        share, weights, entry_of, beta_of = self.entry_share, self.weights, self.entry_of, self.beta_of
        for position, overlap in matched.items():
            entry_id = entry_of[position]
            beta_squared = beta_of[position]
            precision = (overlap + share * (by_entry[entry_id] - overlap)) / question_weight
            recall = min(overlap / weights[position], 1.0)
            score = 100.0 * (1 + beta_squared) * precision * recall / (beta_squared * precision + recall)
            current = found.get(entry_id)
            if current is None or score > current[0]:
                found[entry_id] = (score, position)
        return found
