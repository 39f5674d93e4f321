"""Checks across files: placeholders name facts, ids and phrasings are unique, commands are free, fallbacks exist."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.knowledge.model import Knowledge
from bot.knowledge.problems import Problem
from bot.knowledge.schema import (
    BUILT_IN_COMMANDS,
    DEFAULT_LANG,
    LANGS,
    PLACEHOLDER,
    PREVIOUS,
    Lang,
    LanguageVocabulary,
    Phase,
    Variants,
)


def check_texts(
    variants: Variants,
    known: Knowledge,
    shown: str,
    line: int,
    where: str,
    problems: list[Problem],
    extra: tuple[str, ...] = (),
) -> None:
    """Every placeholder names a fact, every moment has a text, and empty facts have a fallback."""
    for text in [*variants.all_texts(), *(variants.missing.all_texts() if variants.missing else [])]:
        for name in PLACEHOLDER.findall(text):
            if not known.is_placeholder(name) and name not in extra:
                problems.append(Problem(shown, line, f"{where}placeholder {{{name}}} names no fact in event.yaml"))
                return
    phases: tuple[Phase, ...] = ("before", "today", "after")
    for phase in phases:
        chosen = variants.for_phase(phase)
        if chosen is None:
            problems.append(Problem(shown, line, f"{where}no answer for the moment '{phase}' (add 'text' or '{phase}')"))
            return
        empty = [n for n in PLACEHOLDER.findall(chosen) if n not in extra and not known.fact_is_set(n)]
        if not empty:
            continue
        fallback = variants.missing.for_phase(phase) if variants.missing else None
        if fallback is None:
            if empty[0] in known.unset_facts:  # a new edition's fact still to fill
                advice = f"has no value yet in event.yaml: fill in facts.{empty[0]} (or add a 'missing' answer)"
            else:
                advice = "is empty in event.yaml: add a 'missing' answer"
            problems.append(Problem(shown, line, f"{where}uses {{{empty[0]}}}, which {advice}"))
            return
        still = [n for n in PLACEHOLDER.findall(fallback) if n not in extra and not known.fact_is_set(n)]
        if still:
            problems.append(Problem(shown, line, f"{where}'missing' answer uses {{{still[0]}}}, which is empty too"))
            return


def cross_check(
    known: Knowledge,
    event_lines: Mapping[tuple[Any, ...], int],
    sources: Sequence[tuple[str, Mapping[Any, int], int]],
    reminder_lines: Mapping[tuple[Any, ...], int],
    problems: list[Problem],
    warnings: list[Problem],
) -> None:
    """Check what no single file can: unique ids, phrasings and commands, placeholders, fallbacks, event dates."""
    from bot.text import Normaliser, fold  # local: text is a leaf module, kept out of import cycles

    rem = str(known.directory / "reminders.yaml")
    first_line: dict[str, int] = {}
    owner: dict[tuple[str, str], str] = {}
    normalisers = {lang: Normaliser.build(v.synonyms, v.stopwords, v.neutral) for lang, v in known.vocabulary.items()}
    for entry, (faq, faq_lines, index) in zip(known.entries, sources, strict=True):
        line = faq_lines.get(("entries", index), 1)
        where = f"entry '{entry.id}': "
        if entry.id in first_line:
            problems.append(Problem(faq, line, f"{where}duplicate id (first defined on line {first_line[entry.id]})"))
        first_line.setdefault(entry.id, line)
        for lang, phrasings in entry.questions.items():
            normaliser = normalisers.get(lang)
            for q_index, question in enumerate(phrasings):
                q_line = faq_lines.get(("entries", index, "questions", lang, q_index), line)
                key = (lang, fold(question))
                other = owner.setdefault(key, entry.id)
                if other != entry.id:
                    problems.append(Problem(faq, q_line, f"{where}phrasing '{question}' is also under entry '{other}'"))
                if normaliser is not None and not normaliser.tokens(question):
                    problems.append(Problem(faq, q_line, f"{where}phrasing '{question}' has only stop words; add a meaningful word"))
        for lang, variants in entry.answer.items():
            a_line = faq_lines.get(("entries", index, "answer", lang), line)
            check_texts(variants, known, faq, a_line, f"{where}answer.{lang}: ", problems)
        for lang in LANGS:
            if lang not in entry.answer or lang not in entry.questions:
                warnings.append(Problem(faq, line, f"{where}no '{lang}' phrasings or answer; English is used instead"))
        if DEFAULT_LANG not in entry.answer:
            problems.append(Problem(faq, line, f"{where}'answer.{DEFAULT_LANG}' is required (the fallback language)"))
    commands: dict[str, str] = {}
    for entry, (faq, faq_lines, index) in zip(known.entries, sources, strict=True):
        if entry.command is None:
            continue
        c_line = faq_lines.get(("entries", index, "command"), 1)
        where = f"entry '{entry.id}': command /{entry.command}"
        if entry.command in BUILT_IN_COMMANDS:
            problems.append(Problem(faq, c_line, f"{where} is one of the bot's own commands; choose another name"))
        elif entry.command in commands:
            problems.append(Problem(faq, c_line, f"{where} is already used by entry '{commands[entry.command]}'"))
        commands.setdefault(entry.command, entry.id)
    seen_reminders: set[str] = set()
    for index, reminder in enumerate(known.reminders):
        line = reminder_lines.get(("reminders", index), 1)
        where = f"reminder '{reminder.id}': "
        if reminder.id in seen_reminders:
            problems.append(Problem(rem, line, f"{where}duplicate id"))
        seen_reminders.add(reminder.id)
        for lang, variants in reminder.text.items():
            check_texts(variants, known, rem, reminder_lines.get(("reminders", index, "text", lang), line),
                         f"{where}text.{lang}: ", problems)  # fmt: skip
        if DEFAULT_LANG not in reminder.text:
            problems.append(Problem(rem, line, f"{where}'text.{DEFAULT_LANG}' is required (the fallback language)"))
    event_file = str(known.directory / "event.yaml")
    if known.event.end_date and known.event.end_date < known.event.date:
        line = event_lines.get(("event", "end_date"), 1)
        problems.append(Problem(event_file, line, "'event.end_date' is before 'event.date'"))
    for index, name in enumerate(known.event.location):
        if not known.is_placeholder(name) or name.startswith(PREVIOUS):
            line = event_lines.get(("event", "location", index), event_lines.get(("event", "location"), 1))
            problems.append(Problem(event_file, line, f"'event.location' names '{name}', which is no fact in event.yaml"))
    for name in sorted(known.unset_facts):
        line = event_lines.get(("facts", name), 1)
        warnings.append(Problem(event_file, line, f"fact '{name}' has no value yet: fill it in (answers that use it say it is not known)"))
    for index, past in enumerate(known.past_editions):
        if past.date >= known.event.date:
            line = event_lines.get(("past_editions", index), 1)
            problems.append(Problem(event_file, line, f"past edition '{past.edition}' is not before the current date"))


def check_neutral(
    vocabulary: Mapping[Lang, LanguageVocabulary], shown: str, lines: Mapping[tuple[Any, ...], int], warnings: list[Problem]
) -> None:
    """Warn when a neutral word is a synonym of a concept that is not neutral itself: the concept would be ignored."""
    from bot.text import fold  # local: text is a leaf module, kept out of import cycles

    neutral = {fold(w) for words in vocabulary.values() for w in words.neutral}  # neutral in one language, in all
    for lang, words in vocabulary.items():
        concept_of = {fold(v): fold(key) for key, variants in words.synonyms.items() for v in variants}
        for index, word in enumerate(words.neutral):
            concept = concept_of.get(fold(word))
            if concept and concept != fold(word) and concept not in neutral:
                line = lines.get((lang, "neutral", index), lines.get((lang, "neutral"), 1))
                warnings.append(Problem(
                    shown, line,
                    f"{lang}: neutral word '{word}' is a synonym of '{concept}', so '{concept}' is ignored next to other "
                    f"words in every language; remove it from one list (or make '{concept}' neutral on purpose)",
                ))  # fmt: skip
