"""``load``: read every knowledge file, validate it, check it across files, and return one ``Knowledge``."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from bot.knowledge.checks import check_leftovers, check_neutral, check_unset, check_unused_concepts, cross_check
from bot.knowledge.files import EditionFaqFile, EventFile, FaqFile, PassagesFile, RemindersFile, VocabularyFile
from bot.knowledge.locales import load_locales
from bot.knowledge.model import EditionContent, Knowledge
from bot.knowledge.problems import KnowledgeError, Problem
from bot.knowledge.reading import parse
from bot.knowledge.schema import EDITIONS, PLACEHOLDER, Entry, Lang, LanguageVocabulary, Passage

# Where an entry was read: the file as shown in messages, its line map and the entry's index in it.
Source = tuple[str, dict[Any, int], int]


def _edition(folder: Path, problems: list[Problem]) -> tuple[EditionContent, list[Source], dict[Any, int]] | None:
    """Read one edition folder (``faq.yaml``, ``passages.yaml``, both optional); ``None`` after adding its problems."""
    faq_path, passages_path = folder / "faq.yaml", folder / "passages.yaml"
    faq_file: EditionFaqFile | None = EditionFaqFile()
    faq_lines: dict[Any, int] = {}
    if faq_path.exists():
        faq_file, faq_lines = parse(EditionFaqFile, faq_path, str(faq_path), problems)
    passages_file: PassagesFile | None = PassagesFile()
    lines: dict[Any, int] = {}
    if passages_path.exists():
        passages_file, lines = parse(PassagesFile, passages_path, str(passages_path), problems)
    if faq_file is None or passages_file is None:
        return None
    sources = [(str(faq_path), faq_lines, index) for index in range(len(faq_file.entries))]
    return EditionContent(folder.name, tuple(faq_file.entries), tuple(passages_file.passages)), sources, lines


def _editions(
    directory: Path, problems: list[Problem]
) -> dict[str, tuple[EditionContent, list[Source], dict[Any, int]]]:
    """Every edition folder under ``editions/``, by edition (the folder's name)."""
    root = directory / EDITIONS
    found: dict[str, tuple[EditionContent, list[Source], dict[Any, int]]] = {}
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        if folder.is_dir() and (read := _edition(folder, problems)) is not None:
            found[folder.name] = read
    return found


def _fill(values: dict[str, str], match: re.Match[str]) -> str:
    return values[match.group(1)]


def with_facts(
    entries: tuple[Entry, ...], event: EventFile, shown: list[Source], problems: list[Problem]
) -> tuple[Entry, ...]:
    """Entries whose phrasings name facts (``is it in {city}``) with current values, by language; unset facts drop them.

    So a generic entry's phrasings follow the edition: "is it in Brussels" becomes "is it in Antwerp" with the city.
    """
    found: list[Entry] = []
    for entry, (file, lines, index) in zip(entries, shown, strict=True):
        if not any(PLACEHOLDER.search(q) for qs in entry.questions.values() for q in qs):
            found.append(entry)
            continue
        questions: dict[Lang, list[str]] = {}
        for lang, phrasings in entry.questions.items():
            values = {"name": event.event.name, "edition": event.event.edition}
            values.update({n: v[lang] if lang in v else next(iter(v.values())) for n, v in event.facts.items() if v})
            fill = partial(_fill, values)
            kept = []
            for number, question in enumerate(phrasings):
                names = PLACEHOLDER.findall(question)
                unknown = [n for n in names if n not in values and n not in event.facts]
                if unknown:
                    line = lines.get(("entries", index, "questions", lang, number), 1)
                    problems.append(
                        Problem(
                            file,
                            line,
                            f"entry '{entry.id}': phrasing '{question}' names {{{unknown[0]}}}, "
                            "which is no fact in event.yaml (phrasings may name facts, {name} and {edition})",
                        )
                    )
                elif all(n in values for n in names):
                    kept.append(PLACEHOLDER.sub(fill, question))
            if kept:
                questions[lang] = kept
        found.append(entry.model_copy(update={"questions": questions or dict(entry.questions)}))
    return tuple(found)


def load(directory: str | Path) -> Knowledge:
    """Load and validate the knowledge base in ``directory``; raise ``KnowledgeError`` listing every problem."""
    directory = Path(directory)
    problems: list[Problem] = []
    warnings: list[Problem] = []
    if not directory.is_dir():
        where = (
            f"{directory.absolute()} is not a folder"
            if directory.exists()
            else f"{directory.absolute()} does not exist"
        )
        advice = "run in the project folder, or set KNOWLEDGE_DIR to the knowledge folder"
        raise KnowledgeError([Problem(str(directory), 1, f"{where}: {advice}")])
    event_file, event_lines = parse(EventFile, directory / "event.yaml", str(directory / "event.yaml"), problems)
    faq_file, faq_lines = parse(FaqFile, directory / "faq.yaml", str(directory / "faq.yaml"), problems)
    vocab_file, vocab_lines = (
        parse(VocabularyFile, directory / "vocabulary.yaml", str(directory / "vocabulary.yaml"), problems)
        if (directory / "vocabulary.yaml").exists()
        else (VocabularyFile({}), {})
    )
    reminders_file, reminder_lines = (
        parse(RemindersFile, directory / "reminders.yaml", str(directory / "reminders.yaml"), problems)
        if (directory / "reminders.yaml").exists()
        else (RemindersFile(), {})
    )
    passages_file, passage_lines = (
        parse(PassagesFile, directory / "passages.yaml", str(directory / "passages.yaml"), problems)
        if (directory / "passages.yaml").exists()
        else (PassagesFile(), {})
    )
    editions = _editions(directory, problems)
    if event_file is None or faq_file is None or reminders_file is None or vocab_file is None or passages_file is None:
        raise KnowledgeError(problems)
    current = event_file.event.edition
    own, own_sources, own_lines = editions.pop(current, (EditionContent(current), [], {}))
    passage_ids: set[str] = set()
    own_passages = str(directory / EDITIONS / current / "passages.yaml")
    read = (
        (str(directory / "passages.yaml"), passage_lines, passages_file.passages),
        (own_passages, own_lines, own.passages),
    )
    for shown, lines, items in read:
        for index, passage in enumerate(items):
            if passage.id in passage_ids:
                problems.append(
                    Problem(shown, lines.get(("passages", index), 1), f"passage '{passage.id}': duplicate id")
                )
            passage_ids.add(passage.id)
    known_editions = {past.edition for past in event_file.past_editions}
    for edition in editions:
        if edition not in known_editions:
            where = str(directory / EDITIONS / edition)
            unused = (
                f"edition '{edition}' is neither the current edition nor in past_editions of event.yaml: it is not used"
            )
            warnings.append(Problem(where, 1, unused))
    vocabulary: dict[Lang, LanguageVocabulary] = dict(vocab_file.root)
    facts = {name: value for name, value in event_file.facts.items() if value is not None}
    unset = frozenset(name for name, value in event_file.facts.items() if value is None)
    sources: list[Source] = [
        *((str(directory / "faq.yaml"), faq_lines, i) for i in range(len(faq_file.entries))),
        *own_sources,
    ]
    entries = with_facts((*faq_file.entries, *own.entries), event_file, sources, problems)
    passages: tuple[Passage, ...] = (*passages_file.passages, *own.passages)
    known = Knowledge(
        directory=directory,
        event=event_file.event,
        facts=facts,
        entries=entries,
        vocabulary=vocabulary,
        reminders=tuple(reminders_file.reminders),
        locales={},
        past_editions=tuple(event_file.past_editions),
        unset_facts=unset,
        edition_ids=frozenset(e.id for e in own.entries),
        archive={edition: content for edition, (content, _, _) in editions.items() if edition in known_editions},
    )
    pending: dict[str, str] = {}
    cross_check(known, event_lines, sources, reminder_lines, problems, warnings, pending)
    check_neutral(vocabulary, str(directory / "vocabulary.yaml"), vocab_lines, warnings)
    # Past editions' phrasings count too: the matcher keeps their words (a new edition keeps the old article's words).
    entries_and_passages: list[Entry | Passage] = [*known.entries, *passages]
    for content in known.archive.values():
        entries_and_passages += [*content.entries, *content.passages]
    phrasings = [text for item in entries_and_passages for texts in item.questions.values() for text in texts]
    check_unused_concepts(known, phrasings, str(directory / "vocabulary.yaml"), vocab_lines, warnings)
    locales = load_locales(directory, known, problems, warnings, pending)
    check_unset(known, event_lines, pending, problems, warnings)
    current = [directory / name for name in ("faq.yaml", "passages.yaml", "reminders.yaml", "vocabulary.yaml")]
    current += [
        *sorted((directory / EDITIONS / known.event.edition).glob("*.yaml")),
        *sorted((directory / "locales").glob("*.yaml")),
    ]
    check_leftovers(known, [path for path in current if path.is_file()], warnings)
    if problems:
        raise KnowledgeError(problems)
    return replace(known, locales=locales, warnings=tuple(warnings), passages=passages)
