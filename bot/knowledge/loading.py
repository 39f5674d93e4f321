"""``load``: read every knowledge file, validate it, check it across files, and return one ``Knowledge``."""

from __future__ import annotations

from pathlib import Path

from bot.knowledge.checks import check_neutral, check_unused_concepts, cross_check
from bot.knowledge.files import EventFile, FaqFile, PassagesFile, RemindersFile, VocabularyFile
from bot.knowledge.locales import load_locales
from bot.knowledge.model import Knowledge
from bot.knowledge.problems import KnowledgeError, Problem
from bot.knowledge.reading import parse
from bot.knowledge.schema import Lang, LanguageVocabulary


def load(directory: str | Path) -> Knowledge:
    """Load and validate the knowledge base in ``directory``; raise ``KnowledgeError`` listing every problem."""
    directory = Path(directory)
    problems: list[Problem] = []
    warnings: list[Problem] = []
    if not directory.is_dir():
        where = f"{directory.absolute()} is not a folder" if directory.exists() else f"{directory.absolute()} does not exist"
        advice = "run in the project folder, or set KNOWLEDGE_DIR to the knowledge folder"
        raise KnowledgeError([Problem(str(directory), 1, f"{where}: {advice}")])
    event_file, event_lines = parse(EventFile, directory / "event.yaml", str(directory / "event.yaml"), problems)
    faq_file, faq_lines = parse(FaqFile, directory / "faq.yaml", str(directory / "faq.yaml"), problems)
    vocab_file, vocab_lines = (
        parse(VocabularyFile, directory / "vocabulary.yaml", str(directory / "vocabulary.yaml"), problems)
        if (directory / "vocabulary.yaml").exists() else (VocabularyFile({}), {})
    )  # fmt: skip
    reminders_file, reminder_lines = (
        parse(RemindersFile, directory / "reminders.yaml", str(directory / "reminders.yaml"), problems)
        if (directory / "reminders.yaml").exists() else (RemindersFile(), {})
    )  # fmt: skip
    passages_file, passage_lines = (
        parse(PassagesFile, directory / "passages.yaml", str(directory / "passages.yaml"), problems)
        if (directory / "passages.yaml").exists() else (PassagesFile(), {})
    )  # fmt: skip
    if event_file is None or faq_file is None or reminders_file is None or vocab_file is None or passages_file is None:
        raise KnowledgeError(problems)
    passage_ids: set[str] = set()
    for index, passage in enumerate(passages_file.passages):
        if passage.id in passage_ids:
            line = passage_lines.get(("passages", index), 1)
            problems.append(Problem(str(directory / "passages.yaml"), line, f"passage '{passage.id}': duplicate id"))
        passage_ids.add(passage.id)
    vocabulary: dict[Lang, LanguageVocabulary] = dict(vocab_file.root)
    known = Knowledge(
        directory=directory, event=event_file.event, facts=event_file.facts, entries=tuple(faq_file.entries),
        vocabulary=vocabulary, reminders=tuple(reminders_file.reminders), locales={},
        past_editions=tuple(event_file.past_editions),
    )  # fmt: skip
    cross_check(known, event_lines, faq_lines, reminder_lines, problems, warnings)
    check_neutral(vocabulary, str(directory / "vocabulary.yaml"), vocab_lines, warnings)
    phrasings = [
        *(text for entry in known.entries for texts in entry.questions.values() for text in texts),
        *(text for passage in passages_file.passages for texts in passage.questions.values() for text in texts),
    ]
    check_unused_concepts(vocabulary, phrasings, str(directory / "vocabulary.yaml"), vocab_lines, warnings)
    locales = load_locales(directory, known, problems, warnings)
    if problems:
        raise KnowledgeError(problems)
    return Knowledge(
        directory=directory, event=known.event, facts=known.facts, entries=known.entries, vocabulary=vocabulary,
        reminders=known.reminders, locales=locales, warnings=tuple(warnings), past_editions=known.past_editions,
        passages=tuple(passages_file.passages),
    )  # fmt: skip
