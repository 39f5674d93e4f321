"""Text normalisation for matching: folding, synonyms and stop words, per language."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

_NON_WORD = re.compile(r"[^0-9a-z]+")
# Where a message breaks into sentences: end punctuation, semicolons, line breaks and dashes between words.
_SENTENCE_END = re.compile(r"[.!?;:\n\u2026]+(?=\s|$)|\n|\s[-\u2013\u2014]+\s|[!?]+")
MAX_SENTENCES = 6
# A clause (a sentence's part between commas) is read alone from this many words on: "before I take a day off, could
# you tell me the date" asks for the date whatever the first clause says.
MIN_CLAUSE_WORDS = 3
# From this length on, a typo may have two slips ("confrance" for "conference").
LONG_WORD = 8
# Or a typo is this alike (rapidfuzz ``ratio``, 0-100) and one letter longer or shorter at most.
TYPO_RATIO = 80
# Words shorter than this are typos only of a word with one more letter, this alike ("wen" for "when").
SHORT_WORD = 4
SHORT_TYPO_RATIO = 85
# A year in a question ("the 2022 edition"). One that is neither the current edition's nor a past
# edition's in event.yaml asks about an edition the knowledge does not hold (the assistant declines it);
# as a word it names an edition, never a topic.
YEAR = re.compile(r"(?<![\d.,])(?:19|20)\d{2}(?![\d.,]\d)")
# A day of the month beside a month's name ("5 november", "nov 14th", "le 4 novembre", "the 11th of november") is a
# value the asker proposes, like a year never a topic: the month says what is asked. Month names come from Babel.
DAY = re.compile(r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th|e|de|ste|er|eme|ieme)?")
DAY_LINKS = frozenset({"of", "van", "de", "du", "or", "en", "et", "ou", "to", "tot", "au"})
MONTH_LOCALES = ("en", "nl", "fr")
# A normaliser keeps the readings of at most this many texts (then forgets them all at once).
MAX_KEPT_READINGS = 4096
# Month names that are also everyday words beside a number: "may 2 people register?" is no date.
MONTH_LOOKALIKES = frozenset({"may"})


@lru_cache(maxsize=16_384)
def fold(text: str) -> str:
    """Lower-case, strip accents and turn punctuation into single spaces."""
    if text.isascii():  # nothing to decompose: most questions and phrasings
        return _NON_WORD.sub(" ", text.casefold()).strip()
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _NON_WORD.sub(" ", bare).strip()


# The words that open a question asking for something ("where is ASCO held?"), rather than checking a value the asker
# proposes ("is it in Ghent?"), in English, Dutch and French, lower case and with their accents ("ou" is "or", "où"
# "where"); French "qu'est" and "qu'a" ("qu'est-ce", "qu'a-t-il dit") too, never "est-ce qu'il" (a check). A
# language's facts, not an event's.
QUESTION_WORDS = frozenset(
    {
        *("who", "whom", "whose", "what", "whats", "when", "where", "which", "why", "how"),
        *("wie", "wat", "wanneer", "waar", "waarom", "welk", "welke", "hoe", "hoeveel", "hoelang"),
        *("qui", "quoi", "quand", "où", "quel", "quelle", "quels", "quelles", "pourquoi", "comment", "combien"),
        *("qu'est", "qu'a"),
    }
)
# Dutch "waar" is also "true" ("is het waar dat ...?"): after these words it asks nothing.
_TRUE_BEFORE = frozenset({"het", "niet", "echt", "wel"})
_WORDS = re.compile(r"[\w']+")
# French elisions before a question word ("d'où", "jusqu'où") and English "'s" after one ("who's", "when's").
_ELIDED = re.compile(r"^(?:d|l|jusqu|s)'|'s$")


def asks_for_something(text: str) -> bool:
    """Whether ``text`` has a question word (``QUESTION_WORDS``): it asks for something, not only whether."""
    words = _WORDS.findall(unicodedata.normalize("NFC", text).casefold().replace("\u2019", "'"))
    for before, written in zip(["", *words], words, strict=False):
        word = written if written in QUESTION_WORDS else _ELIDED.sub("", written)
        if word in QUESTION_WORDS and not (word == "waar" and before in _TRUE_BEFORE):
            return True
    return False


def sentences(text: str, questions_only: bool = True) -> list[str]:
    """The sentences of ``text`` worth scoring on their own, at most ``MAX_SENTENCES``.

    When some sentences end with a question mark (and ``questions_only``), only those: the
    others are context ("I'm travelling from Ghent by train tomorrow.") never answered by itself.
    """
    return list(_sentences(text, questions_only))  # a copy: the caller may change its list


def forget_sentences() -> None:
    """Forget the sentences read so far (``Assistant.forget_decisions``: benchmarks measure the reading)."""
    _sentences.cache_clear()


@lru_cache(maxsize=4096)
def _sentences(text: str, questions_only: bool) -> tuple[str, ...]:
    """``sentences``, kept: one answer reads the same message's sentences about twenty times (the tiers, the model)."""
    chunks = _SENTENCE_END.split(text)
    ends = [*_SENTENCE_END.findall(text), ""]
    parts = [
        (chunk.strip(), "?" in end) for chunk, end in zip(chunks, ends, strict=False) if any(c.isalnum() for c in chunk)
    ]
    if questions_only:  # "I run a biotech in Leuven and I was wondering when it is": the context, then the question
        parts = [split for part, asked in parts for split in _after_lead(part, asked)]
    if questions_only and any(asked for _, asked in parts):
        parts = [(part, asked) for part, asked in parts if asked]
    found = [part for part, _ in parts]
    if len(found) > MAX_SENTENCES:
        found = [*found[: MAX_SENTENCES - 1], " ".join(found[MAX_SENTENCES - 1 :])]
    return tuple(found)


# The words that turn what follows into the question ("I was wondering when ...", "ik vroeg me af wanneer ...",
# "pourriez-vous m'indiquer la date ..."): after the asker's own context they start the question. A language's facts.
_LEADS = re.compile(
    r"\b(?:i (?:was|am) wondering|i['’]?m wondering|i wonder"
    r"|i(?: would|['’]d) (?:like|love) to know|i (?:want|need) to know"
    r"|(?:could|can|would) you (?:please )?(?:tell|let) me(?: know)?|do you (?:happen to )?know|please tell me"
    r"|(?:ik )?vr(?:oe|aa)g (?:me|mij) af|ik (?:wil|zou) graag weten|ik wou weten"
    r"|(?:kun|kan|kunt) (?:je|jij|u) (?:me|mij) (?:zeggen|vertellen)|weet (?:je|jij|u)"
    r"|je me demand(?:ais|e)|je (?:voudrais|souhaiterais) savoir|j['’]\s?aimerais savoir"
    r"|(?:pourriez|pouvez|pourrais|peux)[- ](?:vous|tu) (?:me dire|m['’]\s?indiquer|me confirmer|me pr[ée]ciser)"
    r"|savez[- ]vous|sais[- ]tu)\b[\s,:]*",
    re.IGNORECASE,
)
# The context before a lead must have this many words, and the question after it as many: "do you know when" alone is
# the question itself.
MIN_LEAD_SIDE = 2


def _after_lead(sentence: str, asked: bool) -> list[tuple[str, bool]]:
    """``sentence`` (and whether it is asked), split before its last lead (``_LEADS``) into the context and question.

    The context is no question of its own; the part after the lead is asked as the sentence was.
    """
    leads = list(_LEADS.finditer(sentence))
    if not leads:
        return [(sentence, asked)]
    lead = leads[-1]
    context, question = sentence[: lead.start()].strip(" ,;"), sentence[lead.end() :].strip()
    if len(context.split()) < MIN_LEAD_SIDE or len(question.split()) < MIN_LEAD_SIDE:
        return [(sentence, asked)]
    return [(context, False), (question, asked)]


def clauses(sentence: str) -> list[str]:
    """The parts of ``sentence`` between commas that have ``MIN_CLAUSE_WORDS`` words or more, if two or more do.

    A short part ("hi, how are you") is a greeting or an aside, not a question of its own.
    """
    found = [part.strip() for part in sentence.split(",") if len(part.split()) >= MIN_CLAUSE_WORDS]
    return found if len(found) > 1 else []


def without_phrases(text: str, phrases: Iterable[str]) -> str:
    """``text`` without the (folded) ``phrases``: each sentence folded, its end ("?", ".") kept for ``sentences``."""
    chunks = _SENTENCE_END.split(text)
    ends = [*_SENTENCE_END.findall(text), ""]
    kept = []
    for chunk, end in zip(chunks, ends, strict=False):
        padded = f" {fold(chunk)} "
        for phrase in phrases:
            padded = padded.replace(f" {phrase} ", " ")
        kept.append(" ".join(padded.split()) + end)
    return " ".join(kept).strip()


@dataclass(frozen=True)
class Normaliser:
    """Turns free text into the canonical tokens of one language's vocabulary."""

    phrase_replacements: Mapping[str, str]
    word_replacements: Mapping[str, str]
    stopwords: frozenset[str]
    stopword_swaps: frozenset[str] = frozenset()  # stop words with two neighbouring letters swapped ("teh")
    neutral: frozenset[str] = frozenset()
    neutral_phrases: frozenset[str] = frozenset()
    longest_phrase: int = 1
    phrase_starts: frozenset[str] = frozenset()
    # The readings of the texts read lately: the matcher, the passage tier and the model read the same question.
    _read: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __getstate__(self) -> dict[str, object]:
        """What a pickled normaliser keeps: all but the readings kept (read again on use)."""
        return {**self.__dict__, "_read": {}}

    def __setstate__(self, state: dict[str, object]) -> None:
        """Restore a pickled normaliser (frozen: its fields are set directly)."""
        self.__dict__.update(state)

    @classmethod
    def build(
        cls, synonyms: Mapping[str, Iterable[str]], stopwords: Iterable[str], neutral: Iterable[str] = ()
    ) -> Normaliser:
        """Compile synonym groups (canonical -> variants), stop words and neutral words into a normaliser.

        Neutral words (greetings, thanks, politeness, travel context) are ignored when a text has any
        other meaningful word, and kept when they are all it has ("hi", "thanks"). The knowledge builds
        its own once (``Knowledge.normalisers``).
        """
        return cls._build(synonyms, stopwords, neutral)

    @classmethod
    def _build(
        cls, synonyms: Mapping[str, Iterable[str]], stopwords: Iterable[str], neutral: Iterable[str]
    ) -> Normaliser:
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
        neutral_tokens: set[str] = set()
        neutral_phrases: set[str] = set()
        for raw in neutral:
            folded = fold(raw)
            if not folded:
                continue
            target = phrases.get(folded, words.get(folded, folded))
            if " " in folded and folded not in phrases:  # a neutral phrase of its own: one marker token
                target = "_" + folded.replace(" ", "_")
                neutral_phrases.add(folded)
                phrases[folded] = target
            neutral_tokens.update(target.split())
        swapped = frozenset(
            w[:i] + w[i + 1] + w[i] + w[i + 2 :] for w in stop if len(w) >= 3 for i in range(len(w) - 1)
        )
        longest = max((p.count(" ") + 1 for p in phrases), default=1)
        starts = frozenset(p.split(" ", 1)[0] for p in phrases)
        return cls(
            phrases,
            words,
            frozenset(stop),
            swapped - stop,
            frozenset(neutral_tokens),
            frozenset(neutral_phrases),
            longest,
            starts,
        )

    def surface_words(self) -> dict[str, str]:
        """Single words a question may contain, mapped to the canonical token they stand for."""
        return {word: target for word, target in self.word_replacements.items() if target}

    def is_stopword_typo(self, word: str) -> bool:
        """Whether ``word`` is a stop word with two neighbouring letters swapped ("teh", "adn"; not "esmo", "night")."""
        return word in self.stopword_swaps

    def tokens(self, text: str, keep_neutral: bool = True) -> tuple[str, ...]:
        """The distinct meaningful tokens of ``text`` in order (neutral ones only if all and ``keep_neutral``)."""
        whole, meaningful = self.readings(text)
        return whole if keep_neutral else meaningful

    def readings(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """``tokens(text)`` and ``tokens(text, keep_neutral=False)``, from one reading of ``text`` (kept a while)."""
        found = self._read.get(text)
        if found is None:
            if len(self._read) >= MAX_KEPT_READINGS:
                self._read.clear()
            found = self._read[text] = self._readings(text)
        return found

    def forget_readings(self) -> None:
        """Forget the readings kept so far (a benchmark reads each question afresh)."""
        self._read.clear()

    def _readings(self, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        words = fold(text).split()
        if any(first in words and last in words for first, last in SPLIT_ADVERBS):  # rare: read sentence by sentence
            words = [word for chunk in _SENTENCE_END.split(text) for word in joined_adverbs(fold(chunk).split())]
        words = without_days(joined_particles(without_recall(words)))
        found = self._tokens(words, with_neutral=True)
        neutral = self.neutral
        meaningful = tuple(t for t in found if t not in neutral)
        if meaningful or not found:
            return meaningful, meaningful
        return self._tokens(words, with_neutral=False), meaningful  # only greetings, thanks...: they are the message

    def _tokens(self, words: list[str], with_neutral: bool) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        position, count = 0, len(words)
        word_replacements, phrase_replacements, starts = (
            self.word_replacements,
            self.phrase_replacements,
            self.phrase_starts,
        )
        stopwords, neutral_phrases = self.stopwords, self.neutral_phrases
        while position < count:
            word = words[position]
            step, replacement = 1, word_replacements.get(word, word)
            if word in starts:
                for size in range(min(self.longest_phrase, count - position), 1, -1):  # the longest phrase first
                    phrase = " ".join(words[position : position + size])
                    if phrase in phrase_replacements and (with_neutral or phrase not in neutral_phrases):
                        step, replacement = size, phrase_replacements[phrase]
                        break
            position += step
            if replacement is word:  # neither replaced nor a phrase: a single word (dict assignment keeps first order)
                if word not in stopwords:
                    seen[word] = None
                continue
            for part in replacement.split():
                if part not in stopwords:
                    seen[part] = None
        return tuple(seen)


@lru_cache(maxsize=1)
def month_names() -> frozenset[str]:
    """The months' names, full and abbreviated, in English, Dutch and French, folded (Babel's locale data)."""
    return frozenset(month_numbers())


@lru_cache(maxsize=1)
def month_numbers() -> dict[str, int]:
    """Each month's names, full and abbreviated, in English, Dutch and French, folded: its number (Babel)."""
    from babel.dates import get_month_names

    return {
        name: number
        for locale in MONTH_LOCALES
        for width in ("wide", "abbreviated")
        for number, month in get_month_names(width, locale=locale).items()
        for name in fold(month).split()
        if name not in MONTH_LOOKALIKES
    }


# Dutch splits "waarover" (about what) around the verb, "over" closing the sentence: "waar gaat het over?" asks what it
# is about, not where ("waar vind ik meer over de keynote?" keeps its "waar": "over" is a preposition there).
SPLIT_ADVERBS = {("waar", "over"): "waarover"}


def joined_adverbs(words: list[str]) -> list[str]:
    """One sentence's ``words`` with a split Dutch adverb joined ("waar gaat het over": "waarover gaat het")."""
    for (first, last), whole in SPLIT_ADVERBS.items():
        if len(words) > 2 and words[-1] == last and first in words[:-1]:
            start = words.index(first)
            words = [*words[:start], whole, *words[start + 1 : -1]]
    return words


# Dutch separable verbs keep their particle apart before "te": "om in te schrijven" is "inschrijven", "op te lossen"
# "oplossen". A language's facts, not an event's: no other language writes a particle before "te".
SEPARABLE_PARTICLES = frozenset(
    {"aan", "af", "bij", "door", "in", "mee", "na", "op", "over", "samen", "terug", "toe", "uit", "vast", "voor", "weg"}
)


def joined_particles(words: list[str]) -> list[str]:
    """``words`` with each Dutch particle before "te" joined to its verb ("in te schrijven": "inschrijven")."""
    if "te" not in words:
        return words  # most questions: no "te" at all
    joined: list[str] = []
    position = 0
    while position < len(words):
        word = words[position]
        after = words[position + 1 : position + 3]
        if word in SEPARABLE_PARTICLES and len(after) == 2 and after[0] == "te" and after[1].isalpha():
            joined.append(word + after[1])
            position += 3
            continue
        joined.append(word)
        position += 1
    return joined


# "Remind me who gives the keynote", "rappelez-moi quel est le thème", "herinner me eraan wanneer het is": asked to be
# told again, not to be sent a reminder. The request's words, by language, then a question word (after at most one of
# the words listed: "herinner me even wie ..."). "Remind me the evening before", "rappelle-moi l'événement",
# "remind me of the event": a reminder.
RECALL_REQUESTS: tuple[tuple[tuple[str, ...], frozenset[str]], ...] = (
    (("remind", "me"), frozenset({"again"})),
    (("rappelle", "moi"), frozenset({"encore"})),
    (("rappelez", "moi"), frozenset({"encore"})),
    (("herinner", "me"), frozenset({"eraan", "nog", "even"})),
    (("herinner", "mij"), frozenset({"eraan", "nog", "even"})),
)
_RECALL_FIRST = frozenset(request[0] for request, _ in RECALL_REQUESTS)


def without_recall(words: list[str]) -> list[str]:
    """``words`` (folded) without a request to be told again ("remind me who ...": "who ..."; ``RECALL_REQUESTS``)."""
    if _RECALL_FIRST.isdisjoint(words):
        return words  # most questions
    for request, between in RECALL_REQUESTS:
        size = len(request)
        for position in range(len(words) - size):
            if tuple(words[position : position + size]) != request:
                continue
            following = words[position + size : position + size + 2]
            skipped = 1 if following[0] in between else 0  # "herinner me eraan wanneer": "eraan" goes too
            asked = following[skipped : skipped + 1]
            if asked and (asked[0] in QUESTION_WORDS or asked[0] == "qu"):
                return words[:position] + words[position + size + skipped :]
    return words


def without_days(words: list[str]) -> list[str]:
    """``words`` without the days of the month written beside a month's name ("is it on 5 november": "5" goes)."""
    if not any(map(str.isdigit, "".join(words))) or not any(DAY.fullmatch(word) for word in words):
        return words  # the first test alone, in C, passes most questions (no digit at all)
    months = month_names()

    def dated(position: int) -> bool:
        """Whether the day at ``position`` stands beside a month (or before another such day: "4 or 5 november")."""
        near = words[max(position - 1, 0) : position] + words[position + 1 : position + 2]
        if any(word in months for word in near):
            return True
        after = words[position + 1 : position + 3]
        return (
            len(after) == 2
            and after[0] in DAY_LINKS
            and (after[1] in months or (DAY.fullmatch(after[1]) is not None and dated(position + 2)))
        )

    return [word for position, word in enumerate(words) if not (DAY.fullmatch(word) and dated(position))]


def typo_edits(word: str) -> int:
    """How many typing slips (a letter wrong, missing, added, or two swapped) a typo of ``word`` may have."""
    return 1 if len(word) < LONG_WORD else 2


def typo_of(word: str, candidates: Iterable[str]) -> tuple[str, float] | None:
    """The candidate ``word`` is most likely a typo of, with its similarity (rapidfuzz ``ratio``, 0-100), or ``None``.

    A typo is at most ``typo_edits`` slips away (optimal string alignment: "whne" is one swap from "when"), or one
    more when of about the same length and at least ``TYPO_RATIO`` alike; further away it is another word ("prevus"
    and "prévues" are French, not "previous"). Ties: the most similar.
    """
    from rapidfuzz import fuzz
    from rapidfuzz.distance import OSA

    edits = typo_edits(word)
    if len(word) < SHORT_WORD:  # a slip in a short word makes another word ("gdp", "gap"): only a letter missing
        close = [c for c in candidates if fuzz.ratio(word, c) >= SHORT_TYPO_RATIO]
    else:
        close = [
            c
            for c in candidates
            if (slips := OSA.distance(word, c, score_cutoff=edits + 1)) <= edits
            or (slips <= edits + 1 and abs(len(c) - len(word)) <= 1 and fuzz.ratio(word, c) >= TYPO_RATIO)
        ]
    if not close:
        return None
    best = max(close, key=lambda c: (fuzz.ratio(word, c), c))
    return best, fuzz.ratio(word, best)
