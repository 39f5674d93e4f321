"""The assistant: a question, a language and a moment in, an answer out. Pure; no Telegram."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import cache, cached_property, lru_cache
from typing import TYPE_CHECKING, Literal, TypeVar

from bot.calibration import Calibration, CalibrationError, Signals, load_calibration
from bot.knowledge import (
    DEFAULT_LANG,
    LANGS,
    PLACEHOLDER,
    Entry,
    Knowledge,
    Lang,
    LanguageVocabulary,
    Passage,
    PastEdition,
    Phase,
    Variants,
)
from bot.languages import in_language, language_in
from bot.matcher import Candidate, Matcher, Phrasing
from bot.proposals import (
    ALTERNATIVES,
    BELIEF_WORDS,
    BELIEVERS,
    CHECK_WORDS,
    DURATION_UNITS,
    FUNCTION_WORDS,
    NEGATION_WORDS,
    PERSONS,
    RELATIVE_DAYS,
    SUBJECT_QUESTIONS,
    Proposed,
    about_a_person,
    asked_text,
    asked_words,
    asks_to_act,
    asks_to_book,
    asks_to_translate,
    asks_whether_exists,
    figure_kinds,
    is_check,
    is_negated,
    is_passive,
    names_another_edition,
    numbers_in,
    offers_alternatives,
    proposed,
    proposed_numbers,
    proposed_subject,
    proposes_a_value,
    proposes_a_year_of_this_edition,
    said_not_asked,
    weekday_numbers,
    without_hedges,
    without_tag,
)
from bot.render import Renderer, local_day, phase_at
from bot.text import (
    YEAR,
    Normaliser,
    asks_for_something,
    fold,
    forget_sentences,
    month_numbers,
    sentences,
    without_phrases,
)

if TYPE_CHECKING:
    from bot.decision import DecisionModel, Example, Guess

log = logging.getLogger(__name__)

# Scores are 0-100. At or above ANSWER_AT the best entry is answered; from
# SUGGEST_AT up, the best few are offered as "did you mean"; below, the
# assistant declines. Chosen by measurement: see docs/developers.md, "How the matcher decides".
ANSWER_AT = 66.0
SUGGEST_AT = 45.0
# A suggestion must come within this many points of the best one to be offered.
SUGGEST_WITHIN = 20.0
# Below CLEAR_AT, a runner-up within AMBIGUOUS_WITHIN points makes the question
# ambiguous ("europe" fits three themes): the assistant asks instead of guessing.
CLEAR_AT = 85.0
AMBIGUOUS_WITHIN = 5.0
MAX_SUGGESTIONS = 3
MAX_QUESTION = 1000
# The second tier: when no entry reaches ANSWER_AT, the best article passage is quoted at
# or above PASSAGE_AT, unless an entry scores as high (then the entries are offered as "did you mean").
PASSAGE_AT = 60.0
# Where the matcher is unsure ("did you mean"), its first choice is answered when the learned
# model (bot/decision.py) also puts that entry first with at least AGREE_AT confidence: two
# rankers built differently agreeing is better evidence than either score. Chosen by benchmarks/tune_matcher.py on the
# tune part and every spent first-sight set, by the rule in docs/developers.md, "How the matcher decides".
AGREE_AT = 60.0
# Where the matcher is unsure (below CLEAR_AT), the model may also choose among the matcher's CHOOSE_FROM first
# entries (each scored CHOOSE_FLOOR or more): the one it puts first with at least CHOOSE_AT confidence is answered.
# Near entries share words ("his fix for the manufacturing issue" ranks the capital entry first); the model learned
# each entry whole. Chosen by benchmarks/tune_matcher.py on the same parts and by the same rule as AGREE_AT.
CHOOSE_AT = 70.0
CHOOSE_FROM = 3
CHOOSE_FLOOR = 30.0
# The other way round: a matcher answer below CLEAR_AT is withheld when the learned model puts its off-topic class first
# with at least VETO_AT confidence and the question names nothing specific ("hoe gaat het met je?" shares only "hoe"
# with the registration entry). Chosen on the same parts by the same rule, among values that keep it on: the spent sets
# hold little such small talk, and without the veto they answer a few more questions right.
VETO_AT = 40.0
# A weak "did you mean" is declined when the model puts its off-topic class first with at least SUGGEST_VETO_AT
# ("who won the match yesterday" is no date question). Not tuned: the tuner's measure, like score.py's, counts a
# "did you mean" and a decline alike (nothing answered), so it cannot tell them apart; 50 is the veto's value before
# the eighth wave, when both were one threshold.
SUGGEST_VETO_AT = 50.0
# A question whose known words all ask for one entry, the rest being words no phrasing uses, proposes something the
# entry answers ("is the keynote by a minister?": "minister" is unknown, "keynote" asks for the keynote entry). Where
# nothing else is answered, that entry is, when its known words score KNOWN_AT or more with no other entry within
# KNOWN_MARGIN, and the learned model's off-topic confidence stays under KNOWN_OFF_TOPIC ("send me the keynote slides"
# is a request the model knows from bot/training/). Small talk ("thanks") is never chosen so: it is answered for its own
# words. KNOWN_AT, KNOWN_OFF_TOPIC, LIKELY_AT and SURE_AT are chosen together by benchmarks/tune_matcher.py, on the tune
# part and every spent first-sight set (docs/developers.md, "How the matcher decides"). In the fourteenth wave its grid
# chose (101, 5, 20, 70), the known words' choice off for the likely one; measured with the last look refitted, that
# answers and declines as these do (pooled net 2,687 against 2,683), so the checks of a value keep their tier. In the
# sixteenth, with AC, AD and AF spent, it chose (70, 10, 30, 70).
KNOWN_AT = 70.0
KNOWN_MARGIN = 10.0
KNOWN_OFF_TOPIC = 10.0
# Where the model's off-topic confidence is KNOWN_OFF_TOPIC or more, the known words' entry may still be answered for a
# check proposing a value of its fact ("Is de focus digitale gezondheid?", "the main speaker is from imec, isn't he?":
# the value is the asker's, words no phrasing uses, which the model reads as off-topic): when the whole message reads
# under VALUE_CHECK_OFF_TOPIC off-topic, its words name a topic then a value (``bot.proposals.proposes_a_value``), it
# does not ask whether something exists ("is there parking at the venue?"), and the model, reading the known words
# alone, gives that entry VALUE_CHECK_AGREE or more and off-topic under KNOWN_OFF_TOPIC. Measured on every spent set
# (60, 75 and none: 75 answers two more, none also answered "Is VIB hiring postdocs at the moment?"); not tuned.
VALUE_CHECK_OFF_TOPIC = 75.0
VALUE_CHECK_AGREE = 20.0
# A figure check's entry (``Assistant.figure_choice``) must score this much with the matcher: "Biovia raised 20 million,
# right?" finds no entry of its own, and the one listing every figure of the article shares none of its words.
FIGURE_FLOOR = 10.0
# The words of a check that neither name its topic nor propose a value ("right", "klopt", "heard", "c'est bien").
CHECKS_OWN_WORDS = CHECK_WORDS | BELIEF_WORDS
# Where nothing above answers, a question the model calls no off-topic (under KNOWN_OFF_TOPIC) gets the matcher's first
# entry when it scores LIKELY_AT or more with no runner-up within LIKELY_MARGIN ("quel jour faut-il réserver dans mon
# agenda ?": "agenda" is the calendar entry's word, the rest the asker's). Off (101) from U, V and W's joining the spent
# sets (their declines fell under 95 % with it on) until AC, AD and AF joined them: the tuner then chose 30, with
# KNOWN_OFF_TOPIC 10 (sixteenth wave).
LIKELY_AT = 30.0
LIKELY_MARGIN = 5.0
# ... unless the model puts another entry first with LIKELY_DISSENT or more: then the two rankers disagree.
LIKELY_DISSENT = 40.0
# Where nothing above answers, the learned model's first class is answered when it is an entry the model is SURE_AT
# confident of: a question of stop words and generic words ("has there been one before?") leaves the matcher nothing to
# rank by, while the model learned each entry's phrasings whole. Small talk is never chosen so.
SURE_AT = 70.0
# A passage found through a sentence of its translation must score TRANSLATION_AT, the passages' bar before they had
# translations: the other languages have fewer phrasings, so a short sentence of common words ("hoe kunnen we het beter
# doen?") scores high on them.
TRANSLATION_AT = 70.0
# ... unless the question names a concept (vocabulary.yaml) at most this many entries use: then it asks about them.
SPECIFIC_ENTRIES = 2
# The decision model learns a topic's answer sentences of at least this many words (``training_examples``).
MIN_ANSWER_WORDS = 3
# Answers quoting a passage carry this prefix before the passage id in ``faq_id``.
PASSAGE_PREFIX = "passage:"
# Answers about a past edition, from the archive: ``archive:<edition>/<faq_id>``.
ARCHIVE_PREFIX = "archive:"
# Decisions are kept for this many (question, language) pairs at most (then forgotten all at once).
MAX_DECISIONS = 4096
# A message's question sentences, decided without its context (``Assistant.asked_alone``), must have this many
# distinct words the knowledge knows: "what time does the ceremony start?" (two: "time", "start") is too little to
# answer without what came before ("My daughter's wedding is next month."). Measured on the spent sets and on 145
# off-topic messages of that shape written to attack the rule, each read in the three languages: 3 keeps 25 of the
# 29 answers the rule adds to the spent sets (2: 31) and answers 10 of those 435 readings more than without the rule
# (2: 51; 4: 17 and 3; counting every word but the reader's language's stop words, 50): the bar is a judgement.
ASKED_ALONE_WORDS = 3
# Placeholder values are kept for this many (language, day) pairs at most.
MAX_RENDER_DAYS = 16

Outcome = Literal["answer", "suggest", "decline", "empty"]
# The learned model's ranking of one question, computed when first asked for.
Guesses = Callable[[], "list[Guess]"]


@dataclass(frozen=True)
class Suggestion:
    """A "did you mean" choice: the entry, a natural question for it and its short title."""

    faq_id: str
    question: str
    title: str


@dataclass(frozen=True)
class Decision:
    """What the assistant decided about a question for a reader's language, before any text is written for a moment.

    ``kind``: ``entry`` (``target`` is its id), ``passage`` (``target`` is its id), ``archive`` (``past``),
    ``suggest`` (``close``: the candidates offered), ``decline``, ``unable`` (a request to book or register: declined,
    ``close`` offered beside it) or ``empty``.
    """

    kind: Literal["entry", "passage", "archive", "suggest", "decline", "unable", "empty"]
    score: float = 0.0
    target: str | None = None
    past: PastEdition | None = None
    close: tuple[Candidate, ...] = ()


@dataclass(frozen=True)
class Answer:
    """What the assistant replies: the text, the entry answered (if confident) and the alternatives."""

    question: str
    text: str
    faq_id: str | None
    score: float
    lang: Lang
    outcome: Outcome
    suggestions: tuple[Suggestion, ...] = field(default_factory=tuple)
    # A decline saying an entry's "missing" text (``Assistant.says_nothing``): that entry's id.
    silent_entry: str | None = None

    def as_json(self) -> dict[str, object]:
        """The ``ask --json`` contract."""
        return {
            "question": self.question,
            "answer": self.text,
            "faq_id": self.faq_id,
            "score": round(self.score, 1),
            "suggestions": [{"faq_id": s.faq_id, "question": s.question} for s in self.suggestions],
            "lang": self.lang,
            "outcome": self.outcome,
        }


K = TypeVar("K")
V = TypeVar("V")


def kept(store: dict[K, V], key: K, make: Callable[[], V], limit: int) -> V:
    """``store[key]``, made by ``make`` the first time; the store is emptied once it holds ``limit`` values."""
    found = store.get(key)
    if found is None:
        if len(store) >= limit:
            store.clear()
        found = store[key] = make()
    return found


def first_question(entry: Entry, lang: Lang) -> str:
    """The entry's first phrasing in ``lang``, else in the first language it has."""
    return in_language(entry.questions, lang, fallback=next(iter(entry.questions)))[0]


def as_question(phrasing: str, lang: str) -> str:
    """A phrasing written as a question: capital first letter, English "I" capitalised, a question mark."""
    text = phrasing.strip().rstrip("?").rstrip()
    if lang == "en":
        text = re.sub(r"\bi\b", "I", text)
    return text[:1].upper() + text[1:] + "?"


def supported_lang(code: str | None) -> Lang:
    """Map a Telegram ``language_code`` ("nl-BE", "fr", "de") to a supported language, English otherwise."""
    base = (code or "").split("-")[0].lower()
    return language_in(LANGS, base)


class Assistant:
    """Answers questions from one knowledge base; build a new one to change the knowledge."""

    def __init__(self, knowledge: Knowledge, learned: bool = True, archived: bool = False) -> None:
        """Index ``knowledge``; with ``learned``, also use its decision model (trained now unless it has one).

        ``archived``: the knowledge of a past edition, asked about by year; "last year" then names nothing more.
        """
        self.knowledge = knowledge
        self.relative_years = {} if archived else knowledge.relative_years
        self.edition_phrases = frozenset() if archived else knowledge.edition_phrases
        self._packed = knowledge.decision if learned else None
        self._model: DecisionModel | None = (
            trained_or_none(knowledge) if learned and knowledge.decision is None else None
        )
        if self._model is not None:
            share_readings(self._model, knowledge.normalisers)
        # the index a cached knowledge base came with (``bot ask``), else built now
        self.matcher = knowledge.index if knowledge.index is not None else index_of(knowledge)
        self.passages: dict[str, Passage] = {p.id: p for p in knowledge.passages}
        editions = [knowledge.event.date, *(past.date for past in knowledge.past_editions)]
        self.years = frozenset(str(day.year) for day in editions)
        # Past editions by year (the newest of a year first), answered from the archive.
        self.past_years: dict[str, PastEdition] = {}
        for past in knowledge.past_editions:
            self.past_years.setdefault(str(past.date.year), past)
        self._archives: dict[str, Assistant] = {}
        # What was decided about each question lately, by reader's language: none of it depends on the moment.
        self._decisions: dict[tuple[str, Lang, tuple[int, bool]], Decision] = {}
        self._guessed: dict[str, list[Guess]] = {}  # the model's reading of each text lately (``guessed``)
        # the main topics' titles as a decline lists them, by reader's language and moment (none with nothing to say)
        self._topics: dict[tuple[Lang, Phase], str] = {}
        # Placeholder values (the date, the countdown: Babel calls) by reader's language and event-local day.
        self._values: dict[tuple[Lang, date], dict[str, str | None]] = {}

    @cached_property
    def passage_matcher(self) -> Matcher:
        """The second tier, built on first use: passages ranked among entries (a word common to many weighs less)."""
        phrasings = [*self.matcher.phrasings, *passage_phrasings(self.knowledge.passages)]
        return Matcher(phrasings, self.matcher.normalisers, rank_only=is_passage)

    def renderer(self, lang: Lang, now: datetime) -> Renderer:
        """A renderer for this knowledge, reader and moment (sharing placeholder values with the same language, day)."""
        key = (lang, local_day(self.knowledge.event, now))
        values = kept(self._values, key, dict, MAX_RENDER_DAYS)  # a long-running bot moves on from day to day
        return Renderer(self.knowledge, lang, now, values)

    def answer(self, question: str, lang: Lang, now: datetime) -> Answer:
        """Answer ``question`` for a reader of ``lang`` at moment ``now``."""
        return self.answer_for(question, self.renderer(lang, now))

    def answer_for(self, question: str, render: Renderer) -> Answer:
        """Answer ``question`` for ``render``'s reader and moment (a renderer of this assistant's knowledge)."""
        printable = question if question.isprintable() else "".join(c if c.isprintable() else " " for c in question)
        clean = printable[:MAX_QUESTION].strip()
        return self.said(question, self.decision(clean, render), render)

    def decision(self, clean: str, render: Renderer) -> Decision:
        """``decide``, kept: the same question in the same language is decided once per knowledge and year reading.

        The moment only counts through the years relative phrases name (``year_reading``); the text is written afresh.
        """
        key = (clean, render.lang, self.year_reading(render.now))
        return kept(self._decisions, key, lambda: self.decide(clean, render.lang, render.now), MAX_DECISIONS)

    def forget_decisions(self) -> None:
        """Forget the decisions and readings kept so far (benchmarks measure the deciding, not the look-up)."""
        self._decisions.clear()
        self._guessed.clear()
        forget_sentences()
        model_normalisers = self._model.featuriser.normalisers.values() if self._model is not None else ()
        for normaliser in (*self.matcher.normalisers.values(), *model_normalisers):
            normaliser.forget_readings()

    def decide(self, clean: str, lang: Lang, now: datetime) -> Decision:
        """How to answer ``clean`` (a question already cleaned) for a reader of ``lang`` around moment ``now``.

        The rankers' decision (``decide_by_rankers``). A check of the event's day, year or city alone gets the entry
        stating it (``check_choice``): where the rankers answer nothing ("it's on a monday isnt it"), and where their
        entry states none of it ("c'est le 4 ou le 5 ?" read "ou" as "où": the venue, not the date). Only the years
        relative phrases name (``year_reading``) depend on the moment.
        """
        if asks_to_translate(clean):  # the text to translate asks the bot nothing, whatever it names
            return Decision("decline")
        clean = without_hedges(clean)  # "..., if I'm not mistaken?": the check, read without its hedge
        if asks_to_book(clean):  # "book me a seat", "kun jij me inschrijven?": only a person or a form can
            ranked = self.matcher.rank(YEAR.sub(" ", clean), limit=1, prefer_lang=lang)
            offered = tuple(c for c in ranked if c.score >= ANSWER_AT and self.knowledge.by_id[c.entry_id].topic)
            return Decision("unable", offered[0].score if offered else 0.0, close=offered)
        decided = self.decide_by_rankers(clean, lang, now)
        if decided.kind == "entry" and decided.target is not None:
            checked = self.check_choice(clean, lang, now, first=decided.target)
            if checked is None or checked[0] == decided.target:
                return decided
            return Decision("entry", decided.score, checked[0])  # as sure of the question, answered by its entry
        if decided.kind not in ("decline", "suggest"):
            return decided
        checked = self.check_choice(clean, lang, now)
        if checked is not None:
            return Decision("entry", checked[1], checked[0])
        subject = self.subject_choice(clean, lang)  # "is it mostly about AI?": what it is about
        if subject is not None:
            return Decision("entry", subject[1], subject[0])
        figure = self.figure_choice(clean, lang)  # "most funds are around 500 million, right?": the entry stating it
        if figure is not None:
            return Decision("entry", figure[1], figure[0])
        asked = self.asked_alone(clean, lang, now)  # "Hoe laat begint het programma? Dan kan ik de opvang regelen."
        return decided if asked is None else asked

    def asked_alone(self, clean: str, lang: Lang, now: datetime) -> Decision | None:
        """For a message of context and questions no tier answers whole, its question sentences' entry, if sure.

        Context the asker gives about themselves ("Retired clinical pharmacologist here.", "Dan kan ik de opvang van
        de kinderen regelen.") is words no phrasing uses, which the model reads as off-topic, holding back a question
        it would answer alone. Its question sentences (``sentences``) are decided alone, and their entry answered when
        the model's reading of the whole message still puts that entry first among the entries, and the questions
        have ``ASKED_ALONE_WORDS`` distinct words the knowledge knows (``word_readings``: a phrasing's word or a typo
        of one, in any language): "My car broke down. How do I fix it?" and "My daughter's wedding is next month.
        What time does the ceremony start?" are declined whole.
        """
        asked = " ".join(sentences(clean))
        if not asked or asked == " ".join(sentences(clean, questions_only=False)) or self.model is None:
            return None  # no context beside the questions
        if sum(bool(known) for known in dict(self.word_readings(asked)).values()) < ASKED_ALONE_WORDS:
            return None  # in every language: the reader's may differ from the message's
        alone = self.decide(asked, lang, now)
        whole = first_entry(self.guessed(YEAR.sub(" ", clean)))  # as ``decide_by_rankers`` read it (kept)
        if alone.kind != "entry" or whole is None or whole.label != alone.target:
            return None
        return alone

    def figure_choice(self, question: str, lang: Lang) -> tuple[str, float] | None:
        """For a check of a figure ("most VC funds are around 500 million, right?"), the entry stating one of its kind.

        The entry: the first that the question's known words ask for, else the learned model's likeliest, if its
        answer states a figure of the kind proposed (``figure_kinds``: money or a multiple); scored as the matcher
        scores it. None where the model calls the question off-topic (``VALUE_CHECK_OFF_TOPIC``): "the hotel costs 120
        euros a night, right?".
        """
        from bot.decision import OFF_TOPIC

        # the words first: most messages propose no figure, and the model is then never unpacked for them
        kinds = figure_kinds(asked_text(question)) if is_check(question) else frozenset()
        if not kinds or self.model is None:
            return None
        guesses = self.guesses_of(question)
        if self.off_topic_confidence(guesses) >= VALUE_CHECK_OFF_TOPIC:
            return None
        stating = self.figure_entries.get(lang, {})
        known = self.matcher.rank(question, limit=2, prefer_lang=lang, known_only=True)
        guessed = [guess.label for guess in guesses() if guess.label != OFF_TOPIC]
        candidates = [*(c.entry_id for c in known[:1]), *guessed]
        chosen = next((entry_id for entry_id in candidates if not kinds.isdisjoint(stating.get(entry_id, ()))), None)
        # "VIB gets 100 million, right?": the known words clearly name a topic stating no such figure
        if chosen is None or (clearly_first(known) and known[0].entry_id != chosen):
            return None
        ranked = self.matcher.rank(question, limit=len(self.knowledge.entries), prefer_lang=lang)
        score = next((c.score for c in ranked if c.entry_id == chosen), 0.0)
        return (chosen, score) if score >= FIGURE_FLOOR else None  # the matcher must see something of it

    @cached_property
    def figure_entries(self) -> dict[str, dict[str, frozenset[str]]]:
        """Per language, each topic entry's kinds of figure its answer states (``figure_kinds``)."""
        return {
            lang: {
                entry.id: kinds
                for entry in self.knowledge.entries
                if entry.topic and (kinds := figure_kinds(" ".join(answer_texts(entry, lang)), multiple_words=False))
            }
            for lang in LANGS
        }

    def subject_choice(self, question: str, lang: Lang) -> tuple[str, float] | None:
        """For a yes/no question whether the event is about something, the entry saying what it is about, if any.

        The entry: the matcher's clear answer to the language's ``SUBJECT_QUESTIONS``, scored as the matcher scores it
        for ``question``. None where the question is no such check (``proposed_subject``), or where the known words of
        what it names clearly ask for another entry ("is it only about Brussels or about the regions?": the theme's).
        """
        subject = self.subject_entries.get(lang)
        named = proposed_subject(question) if subject is not None else None
        if subject is None or named is None:
            return None
        known = self.matcher.rank(named, limit=1, prefer_lang=lang, known_only=True) if named else []
        if known and known[0].entry_id != subject and known[0].score >= KNOWN_AT:
            return None
        ranked = self.matcher.rank(question, limit=len(self.knowledge.entries), prefer_lang=lang)
        return subject, next((c.score for c in ranked if c.entry_id == subject), 0.0)

    @cached_property
    def subject_entries(self) -> dict[str, str]:
        """Per language, the entry the matcher clearly answers ``SUBJECT_QUESTIONS`` with (what the event is about)."""
        found = {}
        for lang, question in SUBJECT_QUESTIONS.items():
            answering = self.matcher.rank(question, limit=1, prefer_lang=lang)
            if answering and answering[0].score >= CLEAR_AT:
                found[lang] = answering[0].entry_id
        return found

    def decide_by_rankers(self, clean: str, lang: Lang, now: datetime) -> Decision:
        """The tiers' decision about ``clean`` for a reader of ``lang`` around ``now`` (``decide`` without checks)."""
        # a known edition's year says nothing about the topic; another one is declined below
        words = YEAR.sub(" ", clean)
        this_edition = self.names_this_edition(clean, now)
        if this_edition:  # "is it in October this year, like last year?": the other years only compare
            words = self.without_relative_years(words)
        ranked = self.matcher.rank(words, limit=MAX_SUGGESTIONS + 1, prefer_lang=lang) if words.strip() else []
        if not clean or (not ranked and not any(ch.isalnum() for ch in clean)):
            return Decision("empty")
        if not this_edition:
            years = self.years_named(clean, now)
            if self.names_other_edition(years):
                return Decision("decline", ranked[0].score if ranked else 0.0)
            past = self.past_edition_named(years)
            if past is not None:
                return Decision("archive", past=past)
        best = ranked[0] if ranked else None
        guesses = self.guesses_of(words)  # the learned model, consulted only where the matcher is unsure
        ambiguous = (
            best is not None
            and best.score < CLEAR_AT
            and len(ranked) > 1
            and ranked[1].score >= best.score - AMBIGUOUS_WITHIN
        )
        if best is not None and best.score >= ANSWER_AT and not ambiguous:
            if self.vetoed(words, best.score, lang, guesses=guesses):
                return Decision("decline", best.score)
            chosen = self.learned_choice(words, ranked, guesses) if best.score < CLEAR_AT else None
            if chosen is not None:
                return Decision("entry", max(best.score, chosen.score), chosen.label)
            return Decision("entry", best.score, best.entry_id)
        # An ambiguous question ("money") is vague: it gets "did you mean", not a quote.
        vague = best is not None and best.score >= ANSWER_AT
        # a question of stop words in a language ("is it in 2025?", whoever reads it) asks nothing a sentence answers
        wordless = any(not normaliser.tokens(words) for normaliser in self.matcher.normalisers.values())
        quotable = self.passages and not vague and not wordless
        passages = self.passage_matcher.rank(words, limit=1, keep=is_passage) if quotable else []
        passage = passages[0] if passages else None
        score = best.score if best else 0.0
        # a yes/no question of what is done to a topic ("will the keynote be streamed?") asks of no fact its entry
        # gives: neither the model's agreement nor a guess answers it
        passive = is_passive(words) and not asks_for_something(words)
        agreed = self.learned_choice(words, ranked, guesses) if ranked and not passive else None
        # a passage is quoted unless an entry scores higher or the model agrees on one with more confidence
        if (
            passage is not None
            and passage.score >= passage_bar(passage)
            and passage.score >= max(score, agreed.score if agreed else 0.0)
        ):
            if self.vetoed(words, passage.score, lang, passage=True, guesses=guesses):
                return Decision("decline", passage.score)
            return Decision("passage", passage.score, passage.entry_id.removeprefix(PASSAGE_PREFIX))
        if agreed is not None:
            return Decision("entry", max(score, agreed.score), agreed.label)
        close = [c for c in ranked if c.score >= SUGGEST_AT and best and c.score >= best.score - SUGGEST_WITHIN]
        # nor does a guess; and a command asks nothing: no tier guesses an entry for it
        guessed = (
            None if passive or self.commands(words) else self.guessed_choice(words, lang, ranked, guesses, passage)
        )
        if guessed is not None:
            return guessed
        # A weak "did you mean" for what the model calls off-topic is declined: "who won the match yesterday" is no date
        # question. A strong but ambiguous match ("money": two entries) names something the knowledge holds.
        if close and (score >= ANSWER_AT or not self.off_topic_first(words, guesses, SUGGEST_VETO_AT)):
            return Decision("suggest", score, close=tuple(close[:MAX_SUGGESTIONS]))
        return Decision("decline", score)

    def commands(self, question: str) -> bool:
        """Whether ``question`` tells the bot to act: a command with an action verb ("stuur de slides", "book ...").

        No guess answers a command (``guessed_choice``): "send me the keynote slides" names the keynote, asks nothing.
        """
        # most messages name no action at all: the folded words (kept by ``fold``) say so before any sentence is read
        return asks_to_act(fold(question).split()) and is_check(question) and asks_to_act(asked_words(question))

    def guessed_choice(
        self, question: str, lang: Lang, ranked: list[Candidate], guesses: Guesses, passage: Candidate | None
    ) -> Decision | None:
        """The tiers that guess where the matcher is unsure: known words, the likely, sure and calibrated choices."""
        proposed = self.known_words_choice(question, lang, guesses) if ranked else None
        if proposed is not None:
            return Decision("entry", proposed.score, proposed.entry_id)
        likely = self.likely_choice(ranked, guesses) if ranked else None
        if likely is not None:
            return Decision("entry", likely.score, likely.entry_id)
        sure = self.sure_choice(guesses)
        if sure is not None:
            return Decision("entry", sure.score, sure.label)
        rescued = self.calibrated_choice(question, ranked, guesses, passage)
        return None if rescued is None else Decision("entry", rescued[1], rescued[0])

    def check_choice(
        self, question: str, lang: Lang, now: datetime, first: str | None = None
    ) -> tuple[str, float] | None:
        """For a check of the event's day, year or city alone (``pure_check``), the entry stating it, if any.

        "c'est un lundi non ?", "Quick check: Tuesday 4 Nov, correct?": the rankers miss these, the model having learned
        the check's own words from off-topic requests ("could you confirm my booking"). The entry: ``first`` (the
        rankers' answer) if it states the date (a day, or a year and no city, proposed) or else the city, then the
        knowledge's first such entry (unscored: the rankers' score stands); without ``first``, the matcher's likeliest
        such entry, and where it ranks none ("c'est le 4 ?"), the knowledge's first, scored as the matcher scored it.
        """
        found = self.pure_check(question, lang, now)  # first: it reads no model (most questions propose no value)
        # where the rankers declined, the model must have read the check's words (off-topic requests share them);
        # where they answered (``first``), the check only picks the entry stating what it proposes
        if found is None or (first is None and self.model is None):
            return None
        render = self.renderer(lang, now)
        # a year beside a city ("is Science for Health 2025 in Ghent?") names the edition: the city is checked
        stated = render.value("date") if found.proposes_a_day or (found.years and not found.places) else None
        if first is not None:  # the rankers' entry, else the knowledge's own entry for the date or the city
            in_order = [(entry_id, 0.0) for entry_id in (first, *(entry.id for entry in self.knowledge.entries))]
        else:
            ranked = self.matcher.rank(question, limit=len(self.knowledge.entries), prefer_lang=lang)
            in_order = [(c.entry_id, c.score) for c in ranked]
            in_order += [(entry.id, 0.0) for entry in self.knowledge.entries]
        for entry_id, score in in_order:
            entry = self.knowledge.by_id.get(entry_id)
            text = self.entry_text(entry, render) if entry is not None and entry.topic else ""
            if (stated and stated in text) or (not stated and self.names_the_city(text)):
                return entry_id, score
        return None

    def names_the_city(self, text: str) -> bool:
        """Whether ``text`` (an answer) names the event's city, in any language, as a whole word."""
        own, _ = self.place_names
        padded = f" {fold(text)} "
        return any(f" {name} " in padded for name in own)

    def pure_check(self, question: str, lang: Lang, now: datetime) -> Proposed | None:
        """What ``question`` proposes when it checks the event's day, year or city and nothing else; else ``None``.

        A check (no question word, ``bot/proposals.py``) that proposes a value, names no other edition ("last year", a
        year outside a date), speaks of no person's own doings ("I have a meeting on Tuesday", unless reporting a
        belief: "my colleague thinks it is on the 5th"), and whose other words, read by the reader's language, are the
        event's (its name, "the conference") or the check's own ("right?", "klopt", "c'est bien", a negation): "is it
        on the 5th?", not "can I still register on the 4th?", "is the other conference in Ghent?" nor "is the train
        from Ghent at 8, correct?".
        """
        asked = asked_text(question)
        if asks_for_something(asked):
            return None  # a question, not a check: most messages, told before the value words are needed (Babel)
        if (
            not any(ch.isdigit() for ch in question)
            and self.value_words.isdisjoint(fold(question).split())
            and not self.relative_phrases(question)
        ):
            return None  # no value at all
        if said_not_asked(question):
            return None  # "see you tomorrow!", "tot morgen": said, not asked
        words = fold(asked).split()
        if about_a_person(words):
            return None
        event = self.knowledge.event
        other_year = names_another_edition(words, event.date)
        if other_year and not proposes_a_year_of_this_edition(words, event.date, phase_at(event, now) != "after"):
            return None
        found = self.with_relative_years(asked, self.proposal(asked, lang, now), now)
        normaliser = self.matcher.normalisers.get(lang)
        if found is None or normaliser is None or not (found.proposes_a_day or found.places or found.years):
            return None
        if other_year and (found.proposes_a_day or found.places or asks_whether_exists(asked)):
            return None  # "is it in Brussels in 2026?", "is there one in 2026?": that edition's place, or whether it is
        believed = not BELIEF_WORDS.isdisjoint(words)
        rest = " ".join(
            word
            for word in without_tag(asked_words(self.without_relative_years(question)))  # "this time" names it
            if word not in found.words
            and word not in CHECK_WORDS
            and word not in BELIEF_WORDS
            and word not in NEGATION_WORDS
            and word not in ALTERNATIVES.get(lang, ())  # "today or not?", "c'est le 4 ou le 5 ?"
            and not (believed and word in BELIEVERS)
        )
        event_words = set(normaliser.tokens(self.knowledge.event.name))
        if not set(normaliser.tokens(rest, keep_neutral=False)) <= event_words:
            return None
        function_words = FUNCTION_WORDS.get(lang, frozenset()) | PERSONS  # a person here reports a belief
        unread = [word for word in rest.split() if word not in function_words and not normaliser.tokens(word)]
        return None if unread else found  # "is it online tomorrow?": "online" reads as nothing, yet is no filler

    def with_relative_years(self, asked: str, found: Proposed, now: datetime) -> Proposed | None:
        """``found`` with the years ``asked``'s relative phrases propose ("is it this year?"); None: another edition.

        Another edition is asked about when a relative year other than this edition's comes with a day or a city
        ("will it be in Brussels next year?"), when a later year is named once the edition took place ("is it next
        year?"), or when the message asks whether one exists ("is there an edition next year?").
        """
        relative = self.relative_phrases(asked)
        if not relative:
            return found
        years = tuple(self.year_named_by(phrase, now) == self.edition_year for phrase in relative)
        if not all(years) and (found.proposes_a_day or found.places):
            return None
        if phase_at(self.knowledge.event, now) == "after" and any(self.relative_years.get(p, 0) > 0 for p in relative):
            return None
        if asks_whether_exists(asked):
            return None
        return replace(found, years=(*found.years, *years))

    def proposal(self, asked: str, lang: Lang, now: datetime) -> Proposed:
        """What ``asked`` (question sentences in ``lang``, asked at ``now``) proposes of the event's day and city."""
        own, others = self.place_names
        event = self.knowledge.event
        return proposed(asked, event.date, own, others, today=now.astimezone(event.tz).date(), lang=lang)

    @cached_property
    def value_words(self) -> frozenset[str]:
        """The words that carry a value a check may propose: weekdays, months, places, relative days, units; folded.

        Weekdays and months come from Babel; units are those of a time from now ("in three weeks", ``DURATION_UNITS``).
        """
        own, others = self.place_names
        # a pre-filter only: "hui" stands for "aujourd hui" (``proposed`` reads the whole name)
        relative = (name.split()[-1] for names in RELATIVE_DAYS.values() for name in names)
        return frozenset({*month_numbers(), *weekday_numbers(), *own, *others, *relative, *DURATION_UNITS})

    @cached_property
    def place_names(self) -> tuple[frozenset[str], frozenset[str]]:
        """The event's place names (its location facts, every language) and other places' names, folded.

        Other places: the words read as the same concept as the event's city in every language's synonyms ("ghent",
        "gent" and "gand" are in each list; "town" is English only): names, not words for a place.
        """
        event = self.knowledge.event
        noon = datetime.combine(event.date, time(12), tzinfo=event.tz)  # a place's name depends on no moment
        values = [Renderer(self.knowledge, lang, noon).value(name) for name in event.location for lang in LANGS]
        own = {fold(value) for value in values if value and " " not in fold(value)}
        lists = []
        for normaliser in self.knowledge.normalisers.values():
            concepts = {normaliser.word_replacements.get(name) for name in own} - {None}
            lists.append(
                {word for word, c in normaliser.word_replacements.items() if c in concepts and " " not in word}
            )
        others = set.intersection(*lists) - own if lists and all(lists) else set()
        return frozenset(own), frozenset(others)

    def verdict_of(self, question: str, text: str, render: Renderer) -> str | None:
        """The reader's "Yes."/"No." for a check of the event alone whose answer ``text`` states what it proposes.

        ``None`` where the check is no ``pure_check``, is negated ("it isn't on a Monday, is it?"), or the answer states
        none of its values.
        """
        question = without_hedges(question)  # as decided: "if I'm not mistaken" neither asks nor negates
        found = self.pure_check(question, render.lang, render.now)
        if found is None:
            return None
        words = asked_words(question)
        if is_negated(words):
            return None
        stated = render.value("date")
        verdict = found.verdict(
            date_stated=stated is not None and stated in text,
            place_stated=self.names_the_city(text),
            alternatives=offers_alternatives(words, render.lang),
        )
        return None if verdict is None else render.ui(f"check_{verdict}")

    def said(self, question: str, decision: Decision, render: Renderer) -> Answer:
        """The answer to ``question`` that ``decision`` calls for, written for ``render``'s reader and moment."""
        kind, score = decision.kind, decision.score
        if kind == "empty":
            return Answer(question, render.ui("empty_question"), None, 0.0, render.lang, "empty")
        if kind == "archive" and decision.past is not None:
            return self.from_archive(question, decision.past, render)
        if kind == "entry" and decision.target is not None:
            entry = self.knowledge.by_id[decision.target]
            silent = self.says_nothing(entry, render)
            if silent and (taught := self.taught(question, render)) is not None:
                entry, silent = taught, False  # an entry taught this very question answers instead
            text = self.entry_text(entry, render)
            if silent:  # "no contact details are given": declined, the organisers offered
                return Answer(question, text, None, score, render.lang, "decline", silent_entry=entry.id)
            verdict = self.verdict_of(question, text, render)
            return Answer(question, f"{verdict} {text}" if verdict else text, entry.id, score, render.lang, "answer")
        if kind == "passage" and decision.target is not None:
            quoted = self.passages[decision.target]
            translated = quoted.translations.get(render.lang)
            text = (
                render.ui("passage_answer_translated", text=translated)
                if translated
                else render.ui("passage_answer", text=quoted.text)
            )
            return Answer(question, text, PASSAGE_PREFIX + quoted.id, score, render.lang, "answer")
        if kind == "suggest" and (offered := self.offered(decision.close, render)):
            suggestions = tuple(self.suggestion(c, render) for c in offered)
            return Answer(question, render.ui("did_you_mean"), None, score, render.lang, "suggest", suggestions)
        if kind == "unable":  # declined (the organisers may act on it), with the topic it names offered
            suggestions = tuple(self.suggestion(c, render) for c in self.offered(decision.close, render))
            return Answer(question, render.ui("unable_to_book"), None, score, render.lang, "decline", suggestions)
        return self.decline(question, render, score)

    def decline(self, question: str, render: Renderer, score: float) -> Answer:
        """The honest decline, listing the main topics."""
        topics = self._topics.get((render.lang, render.phase))
        if topics is None:
            offered = self.speaking(self.knowledge.menu, render)
            topics = self._topics[(render.lang, render.phase)] = ", ".join(render.title(e) for e in offered)
        return Answer(question, render.ui("decline", topics=topics), None, score, render.lang, "decline")

    @cached_property
    def calibration(self) -> Calibration | None:
        """The shipped calibration of the last look (``None``: unreadable, logged; the tiers before it still answer)."""
        try:
            return load_calibration()
        except CalibrationError:
            log.exception("the calibration could not be read; answering without the calibrated last look")
            return None

    @property
    def model(self) -> DecisionModel | None:
        """The decision model (unpacked on first use if it came with a cached knowledge base); ``None``: not learned."""
        if self._model is None and self._packed is not None:
            self._model = share_readings(self._packed.unpack(), self.knowledge.normalisers)
        return self._model

    def learned_choice(self, question: str, ranked: list[Candidate], guesses: Guesses | None = None) -> Guess | None:
        """The learned model's entry where the matcher is unsure, if any (``AGREE_AT``, ``CHOOSE_AT``).

        The matcher's first choice when the model agrees; or another of its first ``CHOOSE_FROM`` (scored
        ``CHOOSE_FLOOR`` or more) that the model, sure of it, puts first.
        """
        if not ranked:
            return None
        found = (guesses or self.guesses_of(question))()
        top = first_entry(found)
        if top is None:
            return None
        if top.label == ranked[0].entry_id and top.score >= AGREE_AT and ranked[0].score >= SUGGEST_AT:
            return top
        choices = {c.entry_id for c in ranked[:CHOOSE_FROM] if c.score >= CHOOSE_FLOOR}
        return top if top is found[0] and top.label in choices and top.score >= CHOOSE_AT else None

    def known_words_choice(self, question: str, lang: Lang, guesses: Guesses) -> Candidate | None:
        """The entry ``question``'s known words alone ask for (``KNOWN_AT``), unless the model calls it off-topic.

        Only for a check of a value the asker proposes ("is the keynote by a minister?"): in a question asking for
        something (``asks_for_something``), the unknown words name what is asked about ("where is ASCO held?").
        """
        if self.model is None or asks_for_something(question):  # no model: the off-topic guard is missing
            return None
        off_topic = self.off_topic_confidence(guesses)
        if off_topic >= VALUE_CHECK_OFF_TOPIC:
            return None  # checked first: the model has ranked already, the matcher would rank again
        known = self.matcher.rank(question, limit=2, prefer_lang=lang, known_only=True)
        if not clearly_first(known) or not self.knowledge.by_id[known[0].entry_id].topic:
            return None  # small talk is answered for its own words
        if off_topic < KNOWN_OFF_TOPIC or self.checks_a_value_of(question, known[0].entry_id):
            return known[0]
        return None

    def checks_a_value_of(self, question: str, entry_id: str) -> bool:
        """Whether ``question`` proposes a value of entry ``entry_id``'s fact, read by the model without that value.

        "Is de focus digitale gezondheid?": the topic's words come first, then words no phrasing uses (the asker's
        value), and the model, reading "is de focus?", gives the entry ``VALUE_CHECK_AGREE`` or more and calls it no
        off-topic (``KNOWN_OFF_TOPIC``). Never for "is there ...?": what it names is asked about, not proposed.
        """
        from bot.decision import OFF_TOPIC

        if self.model is None or asks_whether_exists(question) or said_not_asked(question):
            return False
        readings = self.word_readings(question)
        # the check's own words ("right", "klopt", "heard") name no topic and propose no value; nor does a stop word of
        # any language ("klopt het dat ...": "dat" is no typo of "date")
        named = [
            known
            for word, known in readings
            if known is not None and word not in CHECKS_OWN_WORDS and not self.is_stop_word(word)
        ]
        kinds = "".join("k" if known else "u" for known in named)
        if not proposes_a_value(kinds):
            return False
        without_value = " ".join(word for word, known in readings if known is not False)
        found = self.model.rank(without_value + (" ?" if "?" in question else ""), 3)
        says = {guess.label: guess.score for guess in found}
        return says.get(entry_id, 0.0) >= VALUE_CHECK_AGREE and says.get(OFF_TOPIC, 0.0) < KNOWN_OFF_TOPIC

    def is_stop_word(self, word: str) -> bool:
        """Whether ``word`` (folded) is a stop word in one of the knowledge's languages ("dat", "on", "les")."""
        return any(not normaliser.tokens(word) for normaliser in self.matcher.normalisers.values())

    def word_readings(self, question: str) -> list[tuple[str, bool | None]]:
        """``question``'s folded words, each known to the knowledge (a typo of one too), unknown, or a stop word (None).

        A stop word of any language names nothing; a word is known when every token it reads as, in some language, is a
        phrasing's word or corrects to one (``Matcher`` correctors).
        """
        readings: list[tuple[str, bool | None]] = []
        for word in fold(question).split():
            known: bool | None = False
            for lang, normaliser in self.matcher.normalisers.items():
                tokens = normaliser.tokens(word)
                if not tokens:
                    known = None
                    break
                if all(self.matcher.correctors[lang].correct(token) is not None for token in tokens):
                    known = True
                    break
            readings.append((word, known))
        return readings

    def model_dissents(self, entry_id: str, guesses: Guesses) -> bool:
        """Whether the learned model puts another entry than ``entry_id`` first, at ``LIKELY_DISSENT`` or more."""
        top = first_entry(guesses())
        return top is not None and top.label != entry_id and top.score >= LIKELY_DISSENT

    def likely_choice(self, ranked: list[Candidate], guesses: Guesses) -> Candidate | None:
        """The matcher's clear first entry (``LIKELY_AT``) for a question the model calls no off-topic, if any.

        Clear: no runner-up within ``LIKELY_MARGIN``; no off-topic: under ``KNOWN_OFF_TOPIC``; and the model puts no
        other entry first at ``LIKELY_DISSENT`` or more. Where neither ranker is sure alone, the two together are.
        """
        if self.model is None:  # the model's off-topic confidence is the guard: without it, no such choice
            return None
        best = ranked[0]
        if best.score < LIKELY_AT or (len(ranked) > 1 and ranked[1].score > best.score - LIKELY_MARGIN):
            return None
        if self.off_topic_confidence(guesses) >= KNOWN_OFF_TOPIC or self.model_dissents(best.entry_id, guesses):
            return None
        return best

    def sure_choice(self, guesses: Guesses) -> Guess | None:
        """The learned model's first class when it is an entry it is sure of (``SURE_AT``), whatever the matcher says.

        "has there been a science for health before" is all stop words and "event" to the matcher; the model learned
        the entry's phrasings whole.
        """
        found = guesses()
        entry = self.knowledge.by_id.get(found[0].label) if found else None
        # a topic only: small talk ("thanks") is answered for its own words, never guessed from others
        return found[0] if entry is not None and entry.topic and found[0].score >= SURE_AT else None

    def calibrated_choice(
        self, question: str, ranked: list[Candidate], guesses: Guesses, passage: Candidate | None
    ) -> tuple[str, float] | None:
        """The rankers' best entry and its calibrated probability (``bot/calibration.py``), if it reaches the bar."""
        if self.calibration is None:
            return None
        found = self.calibration_signals(question, ranked, guesses, passage)
        if found is None or self.states_not_the_number_checked(question, found[0]):
            return None
        probability = self.calibration.answers(found[1])
        return None if probability is None else (found[0], probability)

    def states_not_the_number_checked(self, question: str, entry_id: str) -> bool:
        """Whether ``question`` checks a number (``proposed_numbers``, not a date's) entry ``entry_id`` never states.

        "le VIB a été fondé il y a 30 ans, non ?": the entry about VIB says nothing of its age, and the last look, which
        weighs the rankers' scores alone, would answer it as a question about VIB.
        """
        if not is_check(question):
            return False
        asked = asked_text(question)
        checked = proposed_numbers(asked)
        if not checked or not checked.isdisjoint(self.numbers_stated.get(entry_id, ())):
            return False
        # "most VC funds are around 500 million, right?": the entry stating the real sum corrects it
        kinds = figure_kinds(asked)
        return all(kinds.isdisjoint(stating.get(entry_id, ())) for stating in self.figure_entries.values())

    @cached_property
    def numbers_stated(self) -> dict[str, frozenset[str]]:
        """Each entry's numbers, in figures (``numbers_in``), in any of its answers' texts and languages."""
        return {
            entry.id: frozenset(
                number
                for variants in entry.answer.values()
                for text in variants.all_texts()
                for number in numbers_in(text)
            )
            for entry in self.knowledge.entries
        }

    def calibration_signals(
        self, question: str, ranked: list[Candidate], guesses: Guesses, passage: Candidate | None
    ) -> tuple[str, Signals] | None:
        """The entry a question no tier answered would get, and what the rankers said (``None``: no such entry).

        The entry: the model's first if the matcher has it among its first three, else the matcher's first; a topic
        only (small talk is answered for its own words). Without the model, none.
        """
        from bot.decision import words_of

        if self.model is None or not ranked:
            return None
        found = guesses()
        top = first_entry(found)
        first_three = [c.entry_id for c in ranked[:3]]
        candidate = top.label if top is not None and top.label in first_three else ranked[0].entry_id
        entry = self.knowledge.by_id.get(candidate)
        if entry is None or not entry.topic:
            return None
        model_says = {guess.label: guess.score for guess in found}
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        return candidate, Signals(
            matcher=ranked[0].score,
            margin=ranked[0].score - runner_up,
            model_entry=top.score if top is not None else 0.0,
            off_topic=self.off_topic_confidence(guesses),
            agree=top is not None and top.label == ranked[0].entry_id,
            words=len(words_of(question)),  # as the model reads it: a day beside a month is no word
            asks=asks_for_something(question),
            candidate_model=model_says.get(candidate, 0.0),
            candidate_matcher=next((c.score for c in ranked if c.entry_id == candidate), 0.0),
            passage=passage.score if passage is not None else 0.0,
        )

    def off_topic_confidence(self, guesses: Guesses) -> float:
        """The learned model's confidence (0-100) that the question ``guesses`` ranks is off-topic (0: no model)."""
        from bot.decision import OFF_TOPIC

        return next((guess.score for guess in guesses() if guess.label == OFF_TOPIC), 0.0)

    def has_specific_word(self, question: str, lang: Lang, matcher: Matcher, concepts_only: bool) -> bool:
        """Whether ``question`` has a word (``concepts_only``: a vocabulary concept) few ``matcher`` entries use."""
        normaliser = matcher.normalisers.get(lang)
        tokens = normaliser.tokens(question) if normaliser is not None else ()
        threshold = self.specific_idf(matcher)
        return any(
            (token in self.knowledge.concepts or not concepts_only) and matcher.idf.get(token, 0.0) >= threshold
            for token in tokens
        )

    def specific_idf(self, matcher: Matcher) -> float:
        """The IDF of a word that ``SPECIFIC_ENTRIES`` of ``matcher``'s entries (or passages) use."""
        return math.log(
            1
            + (len(self.knowledge.entries) + (len(self.passages) if matcher is not self.matcher else 0))
            / SPECIFIC_ENTRIES
        )

    def vetoed(
        self, question: str, score: float, lang: Lang, passage: bool = False, guesses: Guesses | None = None
    ) -> bool:
        """Whether the model holds back an answer of ``score``: off-topic first at ``VETO_AT``+, and no specific word.

        The model learns from the entries only: for a ``passage`` answer any word few passages or entries use is
        specific; for an entry, only a concept of vocabulary.yaml ("how" is no concept).
        """
        matcher = self.passage_matcher if passage else self.matcher
        if score >= CLEAR_AT or self.has_specific_word(question, lang, matcher, concepts_only=not passage):
            return False  # decided without unpacking the model: a clear question stays cheap
        return self.off_topic_first(question, guesses)

    def off_topic_first(self, question: str, guesses: Guesses | None = None, at: float | None = None) -> bool:
        """Whether the learned model puts its off-topic class first for ``question`` at ``at`` (``VETO_AT``) or more."""
        from bot.decision import OFF_TOPIC

        top = (guesses or self.guesses_of(question))()
        return bool(top) and top[0].label == OFF_TOPIC and top[0].score >= (VETO_AT if at is None else at)

    def guesses_of(self, question: str) -> Guesses:
        """The learned model's three likeliest classes for ``question``, ranked on first call only (none: no model).

        One answer may consult the model twice (the veto, then the choice) and never at all (a clear question).
        """
        return cache(lambda: self.guessed(question))

    def guessed(self, question: str) -> list[Guess]:
        """The learned model's three likeliest classes for ``question``, kept: ``asked_alone`` reads it again."""

        def ranked() -> list[Guess]:
            return self.model.rank(question, 3) if self.model is not None else []

        found: list[Guess] = kept(self._guessed, question, ranked, MAX_DECISIONS)
        return list(found)  # a copy: the kept list stays as the model ranked it

    def years_named(self, question: str, now: datetime) -> list[str]:
        """The years ``question`` names: written out ("2022"), or relative ("last year", vocabulary.yaml).

        A relative year counts from the calendar year of the moment asked (``year_named_by``): in December of the
        edition's year "last year" is the year before it, a year later it is the edition's own.
        In a message with question sentences, only those count: "I loved last year's. Who speaks this time?".
        """
        asked = " ".join(sentences(question)) or question
        years = YEAR.findall(asked)
        for phrase in self.relative_phrases(asked):
            year = self.year_named_by(phrase, now)
            # a phrase naming the current edition ("this year", "this edition") names no other: ``names_this_edition``
            if self.relative_years.get(phrase) or year != self.edition_year:
                years.append(str(year))
        return years

    def names_this_edition(self, question: str, now: datetime) -> bool:
        """Whether ``question`` names the current edition: its year written out, "this year" or "this edition".

        A ``years: 0`` phrase names it while it is the year asked in, or still to come; a ``this_edition`` phrase
        always (``year_named_by``).
        Not "last year" asked a year after: that names it too, but as the past it is (its own answer).
        """
        asked = " ".join(sentences(question)) or question
        if str(self.edition_year) in YEAR.findall(asked):
            return True
        return any(
            not self.relative_years.get(phrase) and self.year_named_by(phrase, now) == self.edition_year
            for phrase in self.relative_phrases(asked)
        )

    def relative_phrases(self, text: str) -> list[str]:
        """The relative-year and edition phrases of vocabulary.yaml that ``text`` holds, folded ("last year")."""
        if not self.relative_years and not self.edition_phrases:
            return []
        padded = f" {fold(text)} "
        return [phrase for phrase in (*self.relative_years, *self.edition_phrases) if f" {phrase} " in padded]

    def year_named_by(self, phrase: str, now: datetime) -> int:
        """The year relative ``phrase`` names at ``now``: the calendar year, moved by its offset ("last year": -1).

        A ``years: 0`` phrase ("this year") asked in a year with no edition, before the current one has taken
        place, is the current edition's year: it is the one to come. Asked in December after the next edition was
        published, "this year" is still the one that took place (a past edition). A ``this_edition`` phrase ("this
        edition", "this time") is the current edition's year at any moment.
        """
        if phrase in self.edition_phrases:
            return self.edition_year
        offset = self.relative_years[phrase]
        year = local_day(self.knowledge.event, now).year + offset
        if offset == 0 and str(year) not in self.years and phase_at(self.knowledge.event, now) != "after":
            return self.edition_year
        return year

    @property
    def edition_year(self) -> int:
        """The current edition's year."""
        return self.knowledge.event.date.year

    def year_reading(self, now: datetime) -> tuple[int, bool]:
        """What of ``now`` a decision depends on: the calendar year asked in, and whether the edition took place."""
        return local_day(self.knowledge.event, now).year, phase_at(self.knowledge.event, now) == "after"

    def without_relative_years(self, question: str) -> str:
        """``question`` without its relative years (each sentence folded): they named an edition or compared one."""
        found = self.relative_phrases(question)
        return without_phrases(question, found) if found else question

    def names_other_edition(self, years: list[str]) -> bool:
        """Whether one of ``years`` is neither this edition's nor a past edition's in the knowledge."""
        return any(year not in self.years for year in years)

    def past_edition_named(self, years: list[str]) -> PastEdition | None:
        """The past edition of one of ``years`` (none if the current edition's year is among them)."""
        if str(self.knowledge.event.date.year) in years:
            return None
        return next((self.past_years[year] for year in years if year in self.past_years), None)

    def archive(self, past: PastEdition) -> Assistant:
        """An assistant over past edition ``past`` (its facts and article content), built on first use; not learned."""
        found = self._archives.get(past.edition)
        if found is None:
            found = self._archives[past.edition] = Assistant(
                self.knowledge.archived(past), learned=False, archived=True
            )
        return found

    def from_archive(self, question: str, past: PastEdition, render: Renderer) -> Answer:
        """Answer about past edition ``past`` from the archive, in the past tense; otherwise the honest decline."""
        archive = self.archive(past)
        after = datetime.combine(past.date + timedelta(days=1), time(12, 0), tzinfo=self.knowledge.event.tz)
        reply = archive.answer(self.without_relative_years(question), render.lang, max(render.now, after))
        then = archive.renderer(render.lang, max(render.now, after))
        if reply.silent_entry is not None:  # "the announcement gave no contact details": said, as a decline
            text = then.ui("archive_answer", text=reply.text)
            return Answer(question, text, None, reply.score, reply.lang, "decline", silent_entry=reply.silent_entry)
        if reply.outcome != "answer" or reply.faq_id is None:
            return self.decline(question, render, reply.score)
        text = then.ui("archive_answer", text=reply.text)
        return Answer(
            question, text, f"{ARCHIVE_PREFIX}{past.edition}/{reply.faq_id}", reply.score, reply.lang, "answer"
        )

    def answer_entry(self, faq_id: str, lang: Lang, now: datetime) -> Answer | None:
        """The answer of entry ``faq_id`` (a button, a command, a deep link), or ``None`` if unknown."""
        entry = self.knowledge.by_id.get(faq_id)
        if entry is None:
            return None
        render = self.renderer(lang, now)
        if self.says_nothing(entry, render):  # chosen by name, it says so; as a decline, with no entry answered
            asked = as_question(first_question(entry, render.lang), render.lang)
            text = self.entry_text(entry, render)
            return Answer(asked, text, None, 100.0, render.lang, "decline", silent_entry=entry.id)
        return Answer(faq_id, self.entry_text(entry, render), entry.id, 100.0, render.lang, "answer")

    def entry_text(self, entry: Entry, render: Renderer) -> str:
        """The entry's answer in the reader's language; with no translation, all in English (facts too), never a mix."""
        render, variants = self.answer_variants(entry, render)
        return render.text(variants)

    def answer_variants(self, entry: Entry, render: Renderer) -> tuple[Renderer, Variants]:
        """The entry's answer in the reader's language with its renderer; with no translation, both in English."""
        if render.lang not in entry.answer:
            render = self.renderer(DEFAULT_LANG, render.now)
        return render, in_language(entry.answer, render.lang)

    def says_nothing(self, entry: Entry, render: Renderer) -> bool:
        """Whether ``entry`` has nothing to say now: marked ``when_missing: decline``, saying its "missing" text."""
        if entry.when_missing != "decline":
            return False
        render, variants = self.answer_variants(entry, render)
        return render.falls_back(variants)

    def speaking(self, entries: Iterable[Entry], render: Renderer) -> tuple[Entry, ...]:
        """The ``entries`` worth offering now (as topics, buttons, results): none that has nothing to say."""
        return tuple(e for e in entries if not self.says_nothing(e, render))

    def taught(self, question: str, render: Renderer) -> Entry | None:
        """An entry with something to say now having ``question`` itself as a phrasing (an organiser taught it), if any.

        An organiser's reply added as an answer to "who organises the event?" is a new entry with that very phrasing,
        which the contact entry's own phrasings match as well: while no contact is known, it is the one attendees get.
        """
        for entry_id in self.phrasing_owners.get(phrasing_key(question), ()):
            entry = self.knowledge.by_id[entry_id]
            if not self.says_nothing(entry, render):
                return entry
        return None

    @cached_property
    def phrasing_owners(self) -> dict[str, tuple[str, ...]]:
        """The entries having each phrasing (by ``phrasing_key``), in the knowledge's order."""
        owners: dict[str, list[str]] = {}
        for entry in self.knowledge.entries:
            for texts in entry.questions.values():
                for text in texts:
                    found = owners.setdefault(phrasing_key(text), [])
                    if entry.id not in found:
                        found.append(entry.id)
        return {key: tuple(ids) for key, ids in owners.items()}

    def silent(self, faq_id: str, render: Renderer) -> bool:
        """Whether entry ``faq_id`` exists and has nothing to say now: no choice to offer (``says_nothing``)."""
        entry = self.knowledge.by_id.get(faq_id)
        return entry is not None and self.says_nothing(entry, render)

    def offered(self, candidates: Iterable[Candidate], render: Renderer) -> tuple[Candidate, ...]:
        """The ``candidates`` worth offering as choices now: none whose entry has nothing to say."""
        return tuple(c for c in candidates if not self.silent(c.entry_id, render))

    def suggestion(self, candidate: Candidate, render: Renderer) -> Suggestion:
        """A "did you mean" choice for ``candidate``, phrased in the reader's language."""
        entry = self.knowledge.by_id[candidate.entry_id]
        questions = in_language(entry.questions, render.lang, default=[candidate.phrasing.text])
        return Suggestion(entry.id, as_question(questions[0], render.lang), render.title(entry))

    def topics(self, lang: Lang, now: datetime) -> list[Suggestion]:
        """The main topics as choices, in the reader's language."""
        render = self.renderer(lang, now)
        return [
            Suggestion(
                e.id,
                first_question(e, render.lang),
                render.title(e),
            )
            for e in self.speaking(self.knowledge.menu, render)
        ]


def is_current(faq_id: str) -> bool:
    """Whether a phrasing's id is the current knowledge's (an entry or a passage), not a past edition's."""
    return not faq_id.startswith(ARCHIVE_PREFIX)


def passage_bar(passage: Candidate) -> float:
    """The score ``passage`` must reach to be quoted: ``TRANSLATION_AT`` if a sentence of a translation found it."""
    found_by = passage.phrasing
    return TRANSLATION_AT if found_by.loose and found_by.lang != DEFAULT_LANG else PASSAGE_AT


_WORDS = re.compile(r"\w+")


def phrasing_key(text: str) -> str:
    """``text``'s folded words, one space apart: a question and the phrasing it was added as read alike."""
    return " ".join(_WORDS.findall(fold(text)))


def clearly_first(known: list[Candidate]) -> bool:
    """Whether the first of ``known`` (a known-words ranking, best first) is clearly asked for: ``KNOWN_AT``, alone.

    Alone: no runner-up within ``KNOWN_MARGIN``.
    """
    return (
        bool(known)
        and known[0].score >= KNOWN_AT
        and (len(known) < 2 or known[1].score <= known[0].score - KNOWN_MARGIN)
    )


def first_entry(guesses: list[Guess]) -> Guess | None:
    """The learned model's likeliest entry among ``guesses`` (best first), its off-topic class left out."""
    from bot.decision import OFF_TOPIC  # here, not at the top: numpy is imported only when the model is needed

    return next((guess for guess in guesses if guess.label != OFF_TOPIC), None)


def is_passage(faq_id: str | None) -> bool:
    """Whether an answer's ``faq_id`` names an article passage rather than an entry."""
    return faq_id is not None and faq_id.startswith(PASSAGE_PREFIX)


def passage_phrasings(passages: tuple[Passage, ...]) -> list[Phrasing]:
    """What the passage tier matches: each passage's sentences and heading (English), translations and questions."""
    found: list[Phrasing] = []
    for passage in passages:
        texts = [*sentences(passage.text, questions_only=False), *([passage.heading] if passage.heading else [])]
        found += [Phrasing(PASSAGE_PREFIX + passage.id, DEFAULT_LANG, text, loose=True) for text in texts]
        found += [
            Phrasing(PASSAGE_PREFIX + passage.id, lang, sentence, loose=True)
            for lang, translated in passage.translations.items()
            for sentence in sentences(translated, questions_only=False)
        ]
        found += [
            Phrasing(PASSAGE_PREFIX + passage.id, lang, text)
            for lang, texts in passage.questions.items()
            for text in texts
        ]
    return found


def training_examples(knowledge: Knowledge) -> list[Example]:
    """What the decision model learns from: every entry's phrasings and answers, and the off-topic questions.

    Past editions' article entries are classes too (``archive:<edition>/<id>``): a question about an old article is
    then told apart from the current entries, and the model keeps the same number of classes from one edition to
    the next. An archive class is never an entry the matcher offers, so the model never agrees on it. Every question
    but small talk's is also learned inside one of its language's shipped frames ("hi, ...", "could you tell me
    ...": ``bot/training/frames.yaml``), on both sides alike: the wrapping says nothing about the topic.

    A topic's answer, sentence by sentence, is learned as its own: an attendee asks in the answer's words as often as
    in the phrasings' ("over what time frame should the capital grow?"). And the names the answers write alike in
    every language ("VIB", the speaker's) are learned inside the shipped questions an announcement never answers
    about a name (``bot/training/names.yaml``: age, studies, contact details), as off-topic.
    """
    from bot.decision import (
        NAME_SLOT,
        OFF_TOPIC,
        Example,
        in_frames,
        name_templates,
        off_topic_questions,
        shared_names,
        shipped_frames,
    )

    frames = shipped_frames()

    def learned(
        label: str, questions: Mapping[Lang, Sequence[str]] | Mapping[str, Sequence[str]], framed: bool = True
    ) -> list[Example]:
        return [
            Example(text, label, frame)
            for lang, texts in questions.items()
            for question in texts
            for text, frame in ((question, ""), *(in_frames(question, frames.get(lang, ())) if framed else ()))
        ]

    found = [example for entry in knowledge.entries for example in learned(entry.id, entry.questions, entry.topic)]
    answered = [
        (entry.id, lang, text)
        for entry in knowledge.entries
        if entry.topic
        for lang in LANGS
        for text in answer_texts(entry, lang)
    ]
    found += [
        Example(sentence, entry_id)
        for entry_id, _, text in answered
        for sentence in sentences(PLACEHOLDER.sub(" ", text), questions_only=False)
        if len(sentence.split()) >= MIN_ANSWER_WORDS
    ]
    for edition, content in knowledge.archive.items():
        label = f"{ARCHIVE_PREFIX}{edition}/"
        found += [example for entry in content.entries for example in learned(label + entry.id, entry.questions)]
    names = shared_names({lang: [text for _, written, text in answered if written == lang] for lang in LANGS})
    about_names = {
        lang: [template.replace(NAME_SLOT, name) for template in templates for name in names]
        for lang, templates in name_templates().items()
    }
    return found + learned(OFF_TOPIC, off_topic_questions()) + learned(OFF_TOPIC, about_names, framed=False)


def answer_texts(entry: Entry, lang: Lang) -> list[str]:
    """``entry``'s answer in ``lang`` as written for before the event, placeholders and all (none: no answer).

    One moment's only: the day's text ("it is today") would teach "today" as the date's word, and small talk asks it
    ("comment ça va aujourd'hui ?").
    """
    written = entry.answer.get(lang)
    text = written.for_phase("before") if written is not None else None
    return [text] if text else []


def share_readings(model: DecisionModel, normalisers: Mapping[str, Normaliser]) -> DecisionModel:
    """``model``, reading with ``normalisers`` where they hold its own vocabulary: one reading serves both rankers."""
    own = model.featuriser.normalisers
    model.featuriser.normalisers = {
        lang: normalisers[lang] if normalisers.get(lang) == n else n for lang, n in own.items()
    }
    return model


def index_of(knowledge: Knowledge) -> Matcher:
    """The matcher of ``knowledge``'s entries; past editions' article phrasings only weigh its words."""
    phrasings = [
        Phrasing(entry.id, lang, text)
        for entry in knowledge.entries
        for lang, texts in entry.questions.items()
        for text in texts
    ]
    # Past editions' article phrasings weigh words as they did when that edition was current (a new edition's
    # knowledge keeps its word statistics), and are never ranked: only the archive answers them.
    past_phrasings = [
        Phrasing(f"{ARCHIVE_PREFIX}{edition}/{entry.id}", lang, text)
        for edition, content in knowledge.archive.items()
        for entry in content.entries
        for lang, texts in entry.questions.items()
        for text in texts
    ]
    return Matcher(
        [*phrasings, *past_phrasings], knowledge.normalisers, rank_only=is_current if past_phrasings else None
    )


def trained_or_none(knowledge: Knowledge) -> DecisionModel | None:
    """The decision model of ``knowledge``, or ``None`` (logged) if training fails: a second opinion, never a stop."""
    try:
        return build_model(knowledge)
    except Exception:
        log.exception("the decision model could not be trained; answering with the matcher alone")
        return None


def build_model(knowledge: Knowledge) -> DecisionModel:
    """The decision model of ``knowledge``: trained (about a second), or the same one again for the same content."""
    vocabulary = tuple((lang, words.model_dump_json()) for lang, words in sorted(knowledge.vocabulary.items()))
    return _trained(tuple(training_examples(knowledge)), vocabulary)


@lru_cache(maxsize=4)
def _trained(examples: tuple[Example, ...], vocabulary: tuple[tuple[str, str], ...]) -> DecisionModel:
    """Train on ``examples`` with ``vocabulary``'s concepts (a pure function of both: same content, same model)."""
    from bot.decision import train

    normalisers: dict[str, Normaliser] = {}
    for lang, words in vocabulary:
        parsed = LanguageVocabulary.model_validate_json(words)
        normalisers[lang] = Normaliser.build(parsed.synonyms, parsed.stopwords, parsed.neutral)
    return train(examples, normalisers)
