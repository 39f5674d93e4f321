"""Checks across files: placeholders name facts, ids and phrasings are unique, commands are free, fallbacks exist."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from bot.commands import BUILT_IN_COMMANDS
from bot.knowledge.model import Knowledge
from bot.knowledge.problems import Problem
from bot.knowledge.schema import (
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
    pending: dict[str, str] | None = None,
) -> None:
    """Every placeholder names a fact, every moment has a text, and empty facts have a fallback.

    With ``pending``, a fact still to fill (a new edition's) is noted there with where it is needed, not reported here.
    """
    for text in [*variants.all_texts(), *(variants.missing.all_texts() if variants.missing else [])]:
        for name in PLACEHOLDER.findall(text):
            if not known.is_placeholder(name) and name not in extra:
                problems.append(Problem(shown, line, f"{where}placeholder {{{name}}} names no fact in event.yaml"))
                return
    phases: tuple[Phase, ...] = ("before", "today", "after")
    for phase in phases:
        chosen = variants.for_phase(phase)
        if chosen is None:
            problems.append(
                Problem(shown, line, f"{where}no answer for the moment '{phase}' (add 'text' or '{phase}')")
            )
            return
        empty = [n for n in PLACEHOLDER.findall(chosen) if n not in extra and not known.fact_is_set(n)]
        if not empty:
            continue
        fallback = variants.missing.for_phase(phase) if variants.missing else None
        still = [n for n in PLACEHOLDER.findall(fallback or "") if n not in extra and not known.fact_is_set(n)]
        unset = [n for n in (still if fallback else empty) if n in known.unset_facts]
        if pending is not None and unset:  # a new edition's fact still to fill: reported once, with the fact
            pending.setdefault(unset[0], f"{where.rstrip(': ')}")
            return
        if fallback is None:
            problems.append(
                Problem(
                    shown, line, f"{where}uses {{{empty[0]}}}, which is empty in event.yaml: add a 'missing' answer"
                )
            )
            return
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
    pending: dict[str, str],
) -> None:
    """Check what no single file can: unique ids, phrasings and commands, placeholders, fallbacks, event dates.

    Facts still to fill that a text needs are noted in ``pending`` (see ``check_unset``).
    """
    from bot.text import fold  # local: text is a leaf module, kept out of import cycles

    rem = str(known.directory / "reminders.yaml")
    first_line: dict[str, int] = {}
    owner: dict[tuple[str, str], str] = {}
    normalisers = known.normalisers
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
                    problems.append(
                        Problem(faq, q_line, f"{where}phrasing '{question}' has only stop words; add a meaningful word")
                    )
        for lang, variants in entry.answer.items():
            a_line = faq_lines.get(("entries", index, "answer", lang), line)
            check_texts(variants, known, faq, a_line, f"{where}answer.{lang}: ", problems, pending=pending)
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
            check_texts(
                variants,
                known,
                rem,
                reminder_lines.get(("reminders", index, "text", lang), line),
                f"{where}text.{lang}: ",
                problems,
                pending=pending,
            )
        if DEFAULT_LANG not in reminder.text:
            problems.append(Problem(rem, line, f"{where}'text.{DEFAULT_LANG}' is required (the fallback language)"))
    event_file = str(known.directory / "event.yaml")
    if known.event.end_date and known.event.end_date < known.event.date:
        line = event_lines.get(("event", "end_date"), 1)
        problems.append(Problem(event_file, line, "'event.end_date' is before 'event.date'"))
    for index, name in enumerate(known.event.location):
        if not known.is_placeholder(name) or name.startswith(PREVIOUS):
            line = event_lines.get(("event", "location", index), event_lines.get(("event", "location"), 1))
            problems.append(
                Problem(event_file, line, f"'event.location' names '{name}', which is no fact in event.yaml")
            )
    for index, past in enumerate(known.past_editions):
        if past.date >= known.event.date:
            line = event_lines.get(("past_editions", index), 1)
            problems.append(Problem(event_file, line, f"past edition '{past.edition}' is not before the current date"))


def check_unset(
    known: Knowledge,
    event_lines: Mapping[tuple[Any, ...], int],
    pending: Mapping[str, str],
    problems: list[Problem],
    warnings: list[Problem],
) -> None:
    """One message per fact left empty (a new edition's): an error where a text needs it, else a warning."""
    event_file = str(known.directory / "event.yaml")
    for name in sorted(known.unset_facts):
        line = event_lines.get(("facts", name), 1)
        if name in pending:
            problems.append(
                Problem(event_file, line, f"fact '{name}' has no value yet: fill it in ({pending[name]} needs it)")
            )
        else:
            warnings.append(
                Problem(
                    event_file,
                    line,
                    f"fact '{name}' has no value yet: fill it in (answers that use it say it is not known)",
                )
            )


def check_neutral(
    vocabulary: Mapping[Lang, LanguageVocabulary],
    shown: str,
    lines: Mapping[tuple[Any, ...], int],
    warnings: list[Problem],
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
                warnings.append(
                    Problem(
                        shown,
                        line,
                        f"{lang}: neutral word '{word}' is a synonym of "
                        f"'{concept}', so '{concept}' is ignored next to other "
                        f"words in every language; remove it from one list (or make '{concept}' neutral on purpose)",
                    )
                )


def check_unused_concepts(
    known: Knowledge,
    phrasings: Iterable[str],
    shown: str,
    lines: Mapping[tuple[Any, ...], int],
    warnings: list[Problem],
) -> None:
    """Warn about a synonym group whose concept no phrasing uses: it helps no question, pulls its words from entries."""
    from bot.text import fold  # local: text is a leaf module, kept out of import cycles

    normalisers = known.normalisers.values()
    used = {token for text in phrasings for normaliser in normalisers for token in normaliser.tokens(text)}
    unused = known.concepts - used
    for lang, words in known.vocabulary.items():
        for key in words.synonyms:
            missing = [concept for concept in fold(key).split() if concept in unused]
            if missing:
                line = lines.get((lang, "synonyms", key), lines.get((lang, "synonyms"), 1))
                warnings.append(
                    Problem(
                        shown,
                        line,
                        f"{lang}: no phrasing in faq.yaml or passages.yaml "
                        f"uses '{missing[0]}', so a question with one of "
                        f"the words of '{key}' matches no entry better for "
                        "it and every entry worse; add a phrasing that "
                        "uses one of them, or remove the group",
                    )
                )


def _old_values(known: Knowledge) -> list[tuple[str, str]]:
    """The previous edition's literal values that the current knowledge no longer has: (folded value, what it was)."""
    from babel.dates import format_date

    from bot.text import fold  # local: text is a leaf module, kept out of import cycles

    previous = known.previous
    if previous is None:
        return []
    current = {fold(text) for texts in known.facts.values() for text in texts.values()}
    found: dict[str, str] = {}
    if previous.edition != known.event.edition:
        found[fold(previous.edition)] = "the year"
    if previous.date != known.event.date:
        found[previous.date.isoformat()] = "the date"
        for lang in LANGS:
            found.setdefault(fold(format_date(previous.date, "d MMMM", locale=lang)), "the date")
    for name, texts in previous.facts.items():
        for text in texts.values():
            words = text.split()
            forms = (
                [text, " ".join(words[1:])]
                if 2 < len(words) + 1 <= 5 and all(w[:1].isupper() for w in words)
                else [text]
            )
            for form in forms:
                folded = fold(form)
                if len(folded) >= 4 and folded not in current and not any(folded in value for value in current):
                    found.setdefault(folded, f"the {name}")
    return list(found.items())


def check_leftovers(known: Knowledge, files: Sequence[Path], warnings: list[Problem]) -> None:
    """Warn where the knowledge still names the last edition's year, date or facts as is (new-edition leftovers)."""
    from bot.text import fold  # local: text is a leaf module, kept out of import cycles

    old = _old_values(known)
    if not old:
        return
    previous = known.previous.edition if known.previous else ""
    # A vocabulary group that holds a current value too is a list of names people may ask (cities): not a leftover.
    current = {fold(text) for texts in known.facts.values() for text in texts.values()}
    listed = {
        fold(word)
        for words in known.vocabulary.values()
        for key, variants in words.synonyms.items()
        if current & {fold(v) for v in (key, *variants)}
        for word in (key, *variants)
    }
    for path in files:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue  # unreadable files are reported by the loader
        vocabulary = path.name == "vocabulary.yaml"
        seen: dict[str, list[int]] = {}
        for number, line in enumerate(lines, 1):
            if line.lstrip().startswith("#"):
                continue
            folded = f" {fold(line)} "
            for value, _ in old:
                if f" {value} " in folded or (value[:4].isdigit() and value in line):
                    seen.setdefault(value, []).append(number)
        for value, what in old:
            if vocabulary and value in listed:
                continue
            if value in seen and not any(
                value != other and other.endswith(value) and seen.get(other) == seen[value] for other in seen
            ):
                first, *more = seen[value]
                where = f" (and {len(more)} more line(s))" if more else ""
                advice = (
                    "remove it unless people still ask about it" if vocabulary else "replace it, or refer to the fact"
                )
                message = f"names '{value}'{where}, {what} of the previous edition ({previous}): {advice}"
                warnings.append(Problem(str(path), first, message))
