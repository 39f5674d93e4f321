"""A second, learned opinion on which entry a question asks for. Pure; no Telegram.

The matcher scores a question against each entry's phrasings. This model learns from the
same knowledge in another way: each entry is a class, trained on its phrasings in every
language and its answer's sentences, and one more class, ``OFF_TOPIC``, is trained on the off-topic
questions that ship with the code (``bot/training/off_topic.yaml``: other events, requests to act,
trivia, small talk, details an announcement does not give; written for any edition) and on the
shipped questions no announcement answers about the names the answers share
(``bot/training/names.yaml``, ``shared_names``). Features survive typos,
inflection and word order: character n-grams inside words, words, word pairs, the concepts of
``vocabulary.yaml`` and the share of words no training question uses; a word seen nowhere is
first corrected to a known word when it is a likely typo (rapidfuzz). The classifier is an
L2-regularised multinomial logistic regression. The assistant uses it where the matcher is
unsure ("did you mean"): when both put the same entry first, that entry is answered
(``bot/assistant.py``). The model is a pure function of the knowledge and the shipped
off-topic set: same knowledge, same model, same answers. Answering needs numpy only; training
also uses scipy's sparse matrices.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from bot.knowledge import PLACEHOLDER
from bot.text import (
    YEAR,
    Normaliser,
    clauses,
    fold,
    joined_particles,
    sentences,
    typo_edits,
    typo_of,
    without_days,
    without_recall,
)

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

Floats = npt.NDArray[np.float64]

OFF_TOPIC = "_off_topic"
OFF_TOPIC_FILE = Path(__file__).parent / "training" / "off_topic.yaml"
FRAMES_FILE = Path(__file__).parent / "training" / "frames.yaml"
NAMES_FILE = Path(__file__).parent / "training" / "names.yaml"
NAME_SLOT = "{name}"
# Each training question is learned once as written and once more inside this many of its language's frames
# (``bot/training/frames.yaml``: greetings, thanks, polite requests, who asks and why).
FRAMED_COPIES = 1
FRAME_SLOT = "{q}"
# Character n-grams inside words (padded with spaces): short enough to survive a typo or an ending. Sizes 2 and 5 added
# a third of the columns and no answers once the model learned the answers' sentences (answers: the leave-one-part-out
# table of benchmarks/fit_calibration.py; training 1.8 s and peak memory 155 MB with them, 1.0 s and 130 MB without).
CHAR_SIZES = (3, 4)
# Words shorter than this are neither corrected nor counted as unknown.
MIN_WORD = 3
# A feature must occur in this many training questions to be kept (rarer ones add noise and time).
MIN_EXAMPLES = 2
# Inverse regularisation strength of the logistic regression: the phrasings are few and clean.
C = 100.0
# A sentence or clause of a longer message scored alone keeps this share of its confidence: a part must be clearly
# surer than the whole to speak for it ("coalition of the willing - who is in it": "who is in it" alone reads as the
# audience question). Measured on the tune part and the spent first-sight sets: 0.8 answers the most net of wrong ones.
SENTENCE_SHARE = 0.8
# ... and only when that entry's share of confidence reaches PART_AT and OFF_TOPIC_SHARE of the whole message's
# off-topic confidence: a part naming no entry, or naming one weakly in a message the model calls off-topic, leaves
# the whole message's reading, off-topic confidence included ("my laptop is broken, the screen is black, how do I fix
# it": "how do I fix it" alone reads as the capital-fix question). Measured like SENTENCE_SHARE: a floor of 20
# answers as many as none. OFF_TOPIC_SHARE was 0.5 until the model learned framed questions (FRAMES_FILE): it is then
# surer of a short generic clause ("how do I fix it": 83 % for the capital fix, was 62 %), and 0.8 of the whole's
# off-topic confidence keeps the reading of the whole, with commas or full stops ("My car broke down on the highway.
# How do I fix it?": an outside review found 0.5 for sentences answering it); against 0.7 it answers 6 fewer of A-O's
# 2,374 in-scope questions, 3 fewer wrong.
PART_AT = 20.0
OFF_TOPIC_SHARE = 0.8
# The n-grams of at most this many distinct words are kept (then all are forgotten at once).
MAX_KEPT_WORDS = 50_000
_UNKNOWN = "u"


@dataclass(frozen=True)
class Example:
    """One training question and the class it belongs to; ``frame``: the words it was wrapped in, if any."""

    text: str
    label: str
    frame: str = ""


@dataclass(frozen=True)
class Guess:
    """A class (entry id or ``OFF_TOPIC``) with the model's confidence in it, 0-100."""

    label: str
    score: float


def words_of(text: str) -> list[str]:
    """The folded words of ``text`` but years (they name an edition) and days beside a month (``without_days``).

    A Dutch separable verb split around "te" is one word (``joined_particles``); a request to be told again goes
    ("remind me who ...": ``without_recall``).
    """
    return without_days(
        joined_particles(without_recall([word for word in fold(text).split() if not YEAR.fullmatch(word)]))
    )


class Featuriser:
    """Text -> sparse, L2-normalised TF-IDF features, plus the share of words no training question uses."""

    def __init__(self, normalisers: Mapping[str, Normaliser]) -> None:
        self.normalisers = dict(normalisers)
        self.concepts = frozenset(
            target
            for n in self.normalisers.values()
            for target in (*n.word_replacements.values(), *n.phrase_replacements.values())
        )
        self.columns: dict[str, int] = {}
        self.idf: npt.NDArray[np.float32] = np.zeros(0, dtype=np.float32)
        # Known words by (first letter, length): a typo keeps its first letter and about its length.
        self.words_by_start: dict[tuple[str, int], list[str]] = {}
        self._grams: dict[str, tuple[str, ...]] = {}  # each word's character n-grams and word feature, once
        self._closest: dict[str, str | None] = {}  # each unseen word's typo correction, once

    def __getstate__(self) -> dict[str, object]:
        """What a packed model keeps: all but the n-grams of the words seen so far (rebuilt on use)."""
        return {**self.__dict__, "_grams": {}, "_closest": {}}

    def grams(self, word: str) -> tuple[str, ...]:
        """The character n-grams of ``word`` and its word feature (kept: words recur from question to question)."""
        found = self._grams.get(word)
        if found is None:
            if len(self._grams) >= MAX_KEPT_WORDS:
                self._grams.clear()
            padded = f" {word} "
            found = self._grams[word] = (
                *("c" + padded[start : start + size] for size in CHAR_SIZES for start in range(len(padded) - size + 1)),
                "w " + word,
            )
        return found

    def _surface(self, text: str, words: list[str]) -> Counter[str]:
        """Character n-grams, words, word pairs and concepts of ``text``."""
        found: Counter[str] = Counter()
        for word in words:
            found.update(self.grams(word))
        for first, second in pairwise(words):
            found[f"b {first} {second}"] += 1
        for normaliser in self.normalisers.values():
            for token in normaliser.tokens(text):
                if token in self.concepts:
                    found["k " + token] = 1
        return found

    def features(
        self, text: str, surface: Counter[str] | None = None, corrected: dict[str, str | None] | None = None
    ) -> tuple[Counter[str], float]:
        """The features of ``text`` (unseen words replaced by the known word they are a typo of); its unknown share.

        ``corrected`` receives each unseen word's correction (``None``: none), for the caller to reuse.
        """
        words = words_of(text)
        found = self._surface(text, words) if surface is None else surface
        unknown = 0
        distinct = dict.fromkeys(words)
        for word in distinct:
            if "w " + word in self.columns or len(word) < MIN_WORD or word.isdigit():
                continue
            known = self.closest(word)
            if corrected is not None:
                corrected[word] = known
            if known is None:
                unknown += 1
            else:
                found["w " + known] += 1
        return found, unknown / max(len(distinct), 1)

    def closest(self, word: str) -> str | None:
        """The known word ``word`` is most likely a typo of (``bot.text.typo_of``), with the same first letter."""
        if word in self._closest:
            return self._closest[word]
        edits = typo_edits(word)
        candidates = [
            w
            for size in range(len(word) - edits, len(word) + edits + 1)
            for w in self.words_by_start.get((word[0], size), ())
        ]
        found = typo_of(word, candidates)
        corrected = found[0] if found else None
        if len(self._closest) >= MAX_KEPT_WORDS:
            self._closest.clear()
        self._closest[word] = corrected
        return corrected

    def fit(self, texts: Sequence[str], frames: Sequence[str] = ()) -> list[tuple[Counter[str], float]]:
        """Learn the columns, known words and IDF from ``texts``; returns their features.

        ``frames``: for each text wrapped in a frame, the frame (``FRAME_SLOT`` where the question stands; else "").
        Such a text counts towards ``MIN_EXAMPLES`` with its frame's words only, each side apart: its question is
        counted once, where it stands unwrapped.
        """
        surfaces = [self._surface(text, words_of(text)) for text in texts]
        frequency: Counter[str] = Counter()
        frame_features: dict[str, set[str]] = {}  # the frame's own words, on each side of its question (few frames)
        for surface, frame in zip(surfaces, frames or [""] * len(texts), strict=True):
            if not frame:
                frequency.update(surface.keys())
                continue
            sides = frame_features.get(frame)
            if sides is None:
                sides = frame_features[frame] = {
                    feature for side in frame.split(FRAME_SLOT) for feature in self._surface(side, words_of(side))
                }
            frequency.update(sides)
        kept = sorted(feature for feature, count in frequency.items() if count >= MIN_EXAMPLES)
        self.columns = {feature: column for column, feature in enumerate([*kept, _UNKNOWN])}
        self.words_by_start = {}
        self._closest = {}
        for feature in kept:
            if feature.startswith("w ") and len(feature) - 2 >= MIN_WORD:
                self.words_by_start.setdefault((feature[2], len(feature) - 2), []).append(feature[2:])
        found = [self.features(text, surface) for text, surface in zip(texts, surfaces, strict=True)]
        frequency = Counter()
        for counts, _ in found:
            frequency.update(counts.keys())
        self.idf = np.array(
            [math.log((1 + len(texts)) / (1 + frequency[feature])) + 1.0 for feature in self.columns], dtype=np.float32
        )
        return found

    def vector(self, counts: Counter[str], unknown: float) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float32]]:
        """Columns and values: L2-normalised TF-IDF of the known features, then the unknown share (out of the norm)."""
        known = self.columns
        pairs = [(column, n) for f, n in counts.items() if (column := known.get(f)) is not None]
        columns = np.array([column for column, _ in pairs], dtype=np.intp)
        values = (np.log(np.array([n for _, n in pairs], dtype=np.float32)) + np.float32(1.0)) * self.idf[columns]
        values /= float(np.linalg.norm(values)) or 1.0
        if unknown:
            columns = np.append(columns, self.columns[_UNKNOWN])
            values = np.append(values, np.float32(unknown))
        return columns, values


class DecisionModel:
    """A trained classifier over the knowledge's entries plus ``OFF_TOPIC``."""

    def __init__(
        self,
        featuriser: Featuriser,
        labels: Sequence[str],
        weights: npt.NDArray[np.float32],
        word_weight: Mapping[str, float],
        in_scope: frozenset[str],
    ) -> None:
        self.featuriser = featuriser
        self.labels = tuple(labels)
        self.weights = weights
        self.word_weight = dict(word_weight)
        self.unknown_weight = max(word_weight.values(), default=1.0)
        self.in_scope = in_scope
        self.off_topic = np.array([label == OFF_TOPIC for label in self.labels])

    def probabilities(self, text: str, corrected: dict[str, str | None] | None = None) -> Floats:
        """The probability of each class (in ``labels`` order) for ``text`` (``corrected``: see ``features``)."""
        columns, values = self.featuriser.vector(*self.featuriser.features(text, corrected=corrected))
        logits: Floats = (
            (values @ self.weights[columns]).astype(np.float64) if len(columns) else np.zeros(len(self.labels))
        )
        logits -= logits.max()
        exp = np.exp(logits)
        return exp / exp.sum()  # type: ignore[no-any-return]

    def coverage(self, text: str, corrected: dict[str, str | None] | None = None) -> float:
        """How much of ``text`` (IDF-weighted words) the knowledge's own questions use: 1 if all of it, 0 if none."""
        total = known = 0.0
        corrections = corrected or {}
        for word in dict.fromkeys(words_of(text)):
            weight = self.word_weight.get(word, self.unknown_weight)
            total += weight
            if word in self.in_scope:
                known += weight
            elif word not in self.word_weight:
                typo_of = corrections[word] if word in corrections else self.featuriser.closest(word)
                known += weight if typo_of in self.in_scope else 0.0
        return known / total if total else 0.0

    def confidences(self, text: str) -> Floats:
        """Each class's confidence for ``text``, 0-100: its probability, entries' scaled by the coverage."""
        corrected: dict[str, str | None] = {}  # unseen words are corrected once, for both
        probabilities = self.probabilities(text, corrected)
        return 100.0 * np.where(self.off_topic, probabilities, probabilities * self.coverage(text, corrected))

    def rank(self, question: str, limit: int = 5) -> list[Guess]:
        """The likeliest classes for ``question``, best first: the whole message's or its most confident part's.

        The parts are its sentences and their clauses (``clauses``): context around a question lowers no entry.
        """
        best = self.confidences(question)
        best_entry = float(np.where(self.off_topic, 0.0, best).max())
        off_topic = float(best[self.off_topic].max(initial=0.0))
        if best_entry < 100.0 * SENTENCE_SHARE:  # else no part, scored at most that, can be surer than the whole
            floor = max(PART_AT, OFF_TOPIC_SHARE * off_topic)
            parts = sentences(question)
            for piece in dict.fromkeys([*parts, *(clause for part in parts for clause in clauses(part))]):
                if piece == question:
                    continue
                scores = self.confidences(piece) * SENTENCE_SHARE
                entry = float(np.where(self.off_topic, 0.0, scores).max())
                if entry > best_entry and entry >= floor:
                    best, best_entry = scores, entry
        order = np.argsort(-best, kind="stable")[:limit]
        return [Guess(self.labels[i], float(best[i])) for i in order]


def train(examples: Iterable[Example], normalisers: Mapping[str, Normaliser], c: float = C) -> DecisionModel:
    """Fit the decision model on ``examples``: TF-IDF features, then a multinomial logistic regression."""
    from scipy.sparse import csr_matrix

    items = list(examples)
    featuriser = Featuriser(normalisers)
    found = featuriser.fit([e.text for e in items], [e.frame for e in items])
    labels = sorted({e.label for e in items})
    index = {label: i for i, label in enumerate(labels)}
    frequency: Counter[str] = Counter()
    in_scope: set[str] = set()
    for item, (counts, _) in zip(items, found, strict=True):
        words = set(words_of(item.text))
        frequency.update(words)
        if item.label != OFF_TOPIC:
            in_scope.update(words)
            in_scope.update(feature[2:] for feature in counts if feature.startswith("k "))
    for normaliser in normalisers.values():  # a synonym of a concept the entries use is the knowledge's word too
        for surface, concept in (*normaliser.word_replacements.items(), *normaliser.phrase_replacements.items()):
            if concept in in_scope:
                in_scope.update(surface.split())
    vectors = [featuriser.vector(counts, unknown) for counts, unknown in found]
    del found  # each question's features as strings: the fitting below is training's peak of memory
    indptr = np.cumsum([0, *(len(columns) for columns, _ in vectors)])
    matrix = csr_matrix(
        (np.concatenate([v for _, v in vectors]), np.concatenate([c for c, _ in vectors]), indptr),
        shape=(len(items), len(featuriser.columns)),
        dtype=np.float32,
    )
    del vectors
    weights = fit_softmax(matrix, np.array([index[e.label] for e in items]), len(labels), c)
    word_weight = {word: math.log((1 + len(items)) / (1 + count)) + 1.0 for word, count in frequency.items()}
    return DecisionModel(featuriser, labels, weights.astype(np.float32), word_weight, frozenset(in_scope))


def fit_softmax(
    matrix: csr_matrix, target: npt.NDArray[np.intp], classes: int, c: float, max_iter: int = 150
) -> Floats:
    """Weights of an L2-regularised multinomial logistic regression, no intercepts, classes weighted equally, by L-BFGS.

    No intercept: a class is chosen for what a question says, never by default (the off-topic
    class, many and varied, would otherwise win every short question). Written out in numpy
    rather than taken from scikit-learn, whose L-BFGS bookkeeping costs several times the loss
    itself at this size (3-8 s against about 1 s): training must fit in a reload.
    """
    rows, features = matrix.shape
    transposed = matrix.T.tocsr()
    sample_weight = (rows / (classes * np.bincount(target, minlength=classes)))[target]
    onehot = np.zeros((rows, classes), dtype=np.float32)
    onehot[np.arange(rows), target] = 1.0
    sample_weight = sample_weight.astype(np.float32)
    penalty = 1.0 / c

    def loss_and_gradient(flat: Floats) -> tuple[float, Floats]:
        weights = flat.reshape(features, classes)
        logits = matrix @ weights
        logits -= logits.max(axis=1, keepdims=True)
        probabilities = np.exp(logits)
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        chosen = probabilities[np.arange(rows), target]
        floor = np.finfo(chosen.dtype).tiny  # in single precision 1e-300 would round to 0
        loss = -float(sample_weight @ np.log(np.maximum(chosen, floor))) + 0.5 * penalty * float(
            np.vdot(weights, weights)
        )
        residual = (probabilities - onehot) * sample_weight[:, None]
        return loss, (transposed @ residual + penalty * weights).ravel()

    # Single precision halves the memory of the weights, the gradients and the L-BFGS history (training's peak).
    return _lbfgs(loss_and_gradient, np.zeros(features * classes, dtype=np.float32), max_iter).reshape(
        features, classes
    )


def _lbfgs(
    evaluate: Callable[[Floats], tuple[float, Floats]], start: Floats, max_iter: int, memory: int = 5, tol: float = 1e-5
) -> Floats:
    """Minimise ``evaluate`` (the loss and its gradient) from ``start`` by L-BFGS with a backtracking line search.

    Stops when a step lowers the loss by less than ``tol`` (relative), or when no step along the
    direction lowers it at all (then the last point is kept, never a worse one).
    """
    flat = start
    loss, gradient = evaluate(flat)
    steps: list[tuple[Floats, Floats, float]] = []
    for _ in range(max_iter):
        direction = -_two_loop(gradient, steps)
        slope = float(gradient @ direction)
        size = 1.0
        while True:  # halve the step until the loss falls enough (Armijo)
            candidate = flat + size * direction
            new_loss, new_gradient = evaluate(candidate)
            if new_loss <= loss + 1e-4 * size * slope:
                break
            size *= 0.5
            if size < 1e-8:
                return flat
        step, change = candidate - flat, new_gradient - gradient
        curvature = float(step @ change)
        if curvature > 1e-10:
            steps = [*steps[-(memory - 1) :], (step, change, 1.0 / curvature)]
        done = abs(loss - new_loss) <= tol * max(abs(new_loss), 1.0)
        flat, loss, gradient = candidate, new_loss, new_gradient
        if done:
            break
    return flat


def _two_loop(gradient: Floats, steps: list[tuple[Floats, Floats, float]]) -> Floats:
    """The L-BFGS two-loop recursion: the inverse-Hessian estimate applied to ``gradient``."""
    q = gradient.copy()
    alphas = []
    for step, change, rho in reversed(steps):
        alpha = rho * float(step @ q)
        q -= alpha * change
        alphas.append(alpha)
    if steps:
        step, change, _ = steps[-1]
        q *= float(step @ change) / float(change @ change)
    else:
        q /= max(float(np.linalg.norm(gradient)), 1e-12)
    for (step, change, rho), alpha in zip(steps, reversed(alphas), strict=True):
        q += step * (alpha - rho * float(change @ q))
    return q


def off_topic_questions(path: Path = OFF_TOPIC_FILE) -> dict[str, list[str]]:
    """The shipped off-topic questions, by language."""
    return {lang: list(texts) for lang, texts in _read_yaml(path)["examples"].items()}


def shipped_frames(path: Path = FRAMES_FILE) -> dict[str, list[str]]:
    """The shipped frames a question is wrapped in (``{q}``: the question), by language."""
    return {lang: list(texts) for lang, texts in _read_yaml(path)["frames"].items()}


def name_templates(path: Path = NAMES_FILE) -> dict[str, list[str]]:
    """The shipped questions about a name that an announcement does not answer (``{name}``: the name), by language."""
    return {lang: list(texts) for lang, texts in _read_yaml(path)["templates"].items()}


# A word, and what ends a sentence before one; quotations (titles: their words name no one) and placeholders.
_WORD = re.compile(r"(?:\b[^\W\d_A-Z]{1,5}['’])?([^\W\d_][\w'’-]*)")  # after an elision: "l'EMA" is "EMA"
_OPENS = frozenset(".!?:;(")
_QUOTED = re.compile(r"[“«\"][^”»\"]*[”»\"]")


def shared_names(texts: Mapping[str, Sequence[str]]) -> list[str]:
    """The names ``texts`` (by language) write the same in every language: capitalised, not opening a sentence.

    A name keeps its spelling across languages ("VIB", "Biovia", a speaker's name); common nouns do not ("Belgium",
    "België", "Belgique"). A name is a run of capitalised words; placeholders and quotations (titles) are left out.
    """
    found: list[set[str]] = []
    for written in texts.values():
        names: set[str] = set()
        for text in written:
            plain = _QUOTED.sub(" . ", PLACEHOLDER.sub(" . ", text))
            run: list[str] = []
            previous_end = None  # where the word before ended: none yet, so the first word opens a sentence
            for match in _WORD.finditer(plain):
                gap = plain[previous_end or 0 : match.start()]
                joined = bool(run) and not gap.strip()
                opens = previous_end is None or any(mark in _OPENS for mark in gap)
                word = match.group(1)
                if word[0].isupper() and (joined or not opens):
                    run = [*run, word] if joined else [word]
                else:
                    names.update([" ".join(run)] if run else [])
                    run = []
                previous_end = match.end()
            names.update([" ".join(run)] if run else [])
        found.append(names)
    return sorted(set.intersection(*found)) if found else []


def in_frames(text: str, frames: Sequence[str], copies: int = FRAMED_COPIES) -> list[tuple[str, str]]:
    """``text`` inside ``copies`` of ``frames`` (those with one ``FRAME_SLOT``), each with the frame it is in.

    The frames are chosen by the text itself (crc32, never ``hash``: the same on every training and process).
    """
    usable = [frame for frame in frames if frame.count(FRAME_SLOT) == 1 and frame.replace(FRAME_SLOT, "").strip()]
    if not usable:
        return []
    start = zlib.crc32(text.encode("utf-8"))
    chosen = dict.fromkeys(usable[(start + step) % len(usable)] for step in range(min(copies, len(usable))))
    return [(frame.replace(FRAME_SLOT, text), frame) for frame in chosen]


def _read_yaml(path: Path) -> dict[str, Any]:
    """A shipped training file, read with the fastest safe loader."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # type: ignore[no-any-return]  # noqa: S506
