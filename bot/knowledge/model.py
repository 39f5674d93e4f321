"""``Knowledge``: everything the bot knows, validated and immutable."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from bot.knowledge.problems import Problem
from bot.knowledge.schema import (
    EDITION_FIELDS,
    EVENT_PLACEHOLDERS,
    LANGS,
    PLACEHOLDER,
    PREVIOUS,
    Entry,
    EventInfo,
    Lang,
    LanguageVocabulary,
    Passage,
    PastEdition,
    Reminder,
    Variants,
)

if TYPE_CHECKING:
    from bot.matcher import Matcher
    from bot.packed import PackedModel
    from bot.text import Normaliser

# What is derived from the knowledge on first use: kept on it, so it dies with it, and never written to the cache file.
_DERIVED = ("normalisers", "lexicons", "concepts", "relative_years", "edition_phrases")


@dataclass(frozen=True)
class EditionContent:
    """One edition's article content (``editions/<edition>/``): its own entries and passages, naming people as is."""

    edition: str
    entries: tuple[Entry, ...] = ()
    passages: tuple[Passage, ...] = ()


@dataclass(frozen=True)
class Knowledge:
    """Everything the bot knows, validated and immutable; swap the whole object to change it."""

    directory: Path
    event: EventInfo
    facts: Mapping[str, Mapping[Lang, str]]
    entries: tuple[Entry, ...]
    vocabulary: Mapping[Lang, LanguageVocabulary]
    reminders: tuple[Reminder, ...]
    locales: Mapping[Lang, Mapping[str, Variants]]
    warnings: tuple[Problem, ...] = ()
    past_editions: tuple[PastEdition, ...] = ()
    by_id: Mapping[str, Entry] = field(default_factory=dict, compare=False)
    by_command: Mapping[str, Entry] = field(default_factory=dict, compare=False)
    passages: tuple[Passage, ...] = ()
    # Facts written in event.yaml without a value yet (a new edition's facts still to fill).
    unset_facts: frozenset[str] = frozenset()
    # The ids of the entries that belong to the current edition's article (``editions/<edition>/faq.yaml``).
    edition_ids: frozenset[str] = frozenset()
    # Past editions' article content, by edition: answered in the past tense when a question names its year.
    archive: Mapping[str, EditionContent] = field(default_factory=dict)
    # The decision model trained on this knowledge, when it was trained with it (the terminal's cache keeps both).
    decision: PackedModel | None = field(default=None, compare=False, repr=False)
    # The matcher built on this knowledge, when it was built with it (the terminal's cache keeps it: ``ask`` starts
    # without tokenising every phrasing again). Its normalisers are this knowledge's.
    index: Matcher | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {e.id: e for e in self.entries})
        object.__setattr__(self, "by_command", {e.command: e for e in self.entries if e.command})

    def __getstate__(self) -> dict[str, object]:
        """What is pickled (the terminal's cache): the knowledge as loaded, without what is derived from it."""
        return {name: value for name, value in self.__dict__.items() if name not in _DERIVED}

    @cached_property
    def concepts(self) -> frozenset[str]:
        """The concepts of vocabulary.yaml: its synonym groups' keys, folded (a key of several words gives several)."""
        from bot.text import fold  # local: text is a leaf module, kept out of import cycles

        return frozenset(part for v in self.vocabulary.values() for key in v.synonyms for part in fold(key).split())

    @cached_property
    def normalisers(self) -> Mapping[str, Normaliser]:
        """Each language's normaliser (synonyms, stop words, neutral words), built once for this knowledge."""
        from bot.text import Normaliser  # local: text is a leaf module, kept out of import cycles

        if self.index is not None:  # cached with its matcher: the normalisers it was built with
            return self.index.normalisers

        return {lang: Normaliser.build(v.synonyms, v.stopwords, v.neutral) for lang, v in self.vocabulary.items()}

    @cached_property
    def relative_years(self) -> Mapping[str, int]:
        """Phrases of every language naming a year relative to now ("last year": -1), folded."""
        from bot.text import fold

        return {
            fold(phrase): offset for v in self.vocabulary.values() for offset, ps in v.years.items() for phrase in ps
        }

    @cached_property
    def edition_phrases(self) -> frozenset[str]:
        """Phrases of every language naming the current edition at any moment ("this edition"), folded."""
        from bot.text import fold

        return frozenset(fold(phrase) for v in self.vocabulary.values() for phrase in v.this_edition)

    @cached_property
    def lexicons(self) -> Mapping[Lang, frozenset[str]]:
        """Every word of each language's phrasings and stop words (to tell which language a text is in).

        Synonym lists are left out: they share English concept keys and deliberately repeat
        English phrases in every language, so they say little about the language a text is in.
        """
        from bot.text import fold

        words: dict[Lang, set[str]] = {lang: set() for lang in LANGS}
        for entry in self.entries:
            for lang, texts in entry.questions.items():
                for text in texts:
                    words[lang].update(fold(text).split())
        for lang, vocabulary in self.vocabulary.items():
            for text in vocabulary.stopwords:
                words[lang].update(fold(text).split())
        return {lang: frozenset(found) for lang, found in words.items()}

    @property
    def previous(self) -> PastEdition | None:
        """The most recent past edition (the first of ``past_editions``), if any."""
        return self.past_editions[0] if self.past_editions else None

    def is_placeholder(self, name: str) -> bool:
        """Whether ``{name}`` names something answers can use: a fact, an event field or a past edition's value."""
        if name in self.facts or name in self.unset_facts or name in EVENT_PLACEHOLDERS:
            return True
        rest = name.removeprefix(PREVIOUS)
        return rest != name and (
            rest in ("edition", "date") or rest in self.facts or any(rest in p.facts for p in self.past_editions)
        )

    def archived(self, past: PastEdition) -> Knowledge:
        """The knowledge of past edition ``past`` as it was: its facts and article content, generic entries saying them.

        Event fields of one edition (venue, times, price...) are unknown for a past one; a generic entry whose
        answer needs a fact the archive lacks is left out rather than shown with a gap.
        """
        content = self.archive.get(past.edition, EditionContent(past.edition))
        unknown = dict.fromkeys(EDITION_FIELDS)
        event = self.event.model_copy(update={"edition": past.edition, "date": past.date, **unknown})
        older = tuple(p for p in self.past_editions if p.date < past.date)
        base = replace(
            self,
            event=event,
            facts=past.facts,
            entries=(),
            past_editions=older,
            unset_facts=frozenset(),
            edition_ids=frozenset(),
            archive={},
            passages=content.passages,
            decision=None,
            index=None,
            reminders=(),
        )
        generic = tuple(e for e in self.generic_entries if _answerable(e, base))
        return replace(base, entries=(*generic, *content.entries), edition_ids=frozenset(e.id for e in content.entries))

    @property
    def generic_entries(self) -> tuple[Entry, ...]:
        """The entries that carry over from one edition to the next (all but the current edition's article entries)."""
        return tuple(e for e in self.entries if e.id not in self.edition_ids)

    @property
    def menu(self) -> tuple[Entry, ...]:
        """The entries shown as main topics."""
        return tuple(e for e in self.entries if e.menu)

    @property
    def topics(self) -> tuple[Entry, ...]:
        """The entries /faq lists: every entry except small talk (``topic: false``)."""
        return tuple(e for e in self.entries if e.topic)

    def languages(self) -> list[Lang]:
        """Languages that at least one entry answers in."""
        return [lang for lang in LANGS if any(lang in e.answer for e in self.entries)]

    def fact_is_set(self, name: str) -> bool:
        """Whether placeholder ``name`` has a value (an empty fact makes answers use "missing")."""
        if name in self.facts:
            return True
        if name == "countdown":
            return True
        if name.startswith(PREVIOUS):
            rest = name.removeprefix(PREVIOUS)
            return self.previous is not None and (rest in ("edition", "date") or rest in self.previous.facts)
        return getattr(self.event, name, None) is not None


def _answerable(entry: Entry, knowledge: Knowledge) -> bool:
    """Whether every answer of ``entry`` can be said after the event with ``knowledge``'s facts (or "missing" text)."""
    for variants in entry.answer.values():
        for chosen in (variants.for_phase("after"), variants.missing.for_phase("after") if variants.missing else None):
            if chosen is not None and all(knowledge.fact_is_set(name) for name in PLACEHOLDER.findall(chosen)):
                break
        else:
            return False
    return True
