"""The live knowledge: one immutable snapshot at a time, replaced whole so readers never see a mix."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bot.assistant import Assistant
from bot.knowledge import DEFAULT_LANG, Knowledge, KnowledgeError, Problem, load
from bot.knowledge.cache import knowledge_digest, with_decision
from bot.knowledge.safe_read import RefusedFile, read_capped
from bot.languages import in_language
from bot.schedule import reminder_times


@dataclass(frozen=True)
class Snapshot:
    """A validated knowledge base with the assistant built over it."""

    knowledge: Knowledge
    assistant: Assistant
    fingerprint: str


@dataclass(frozen=True)
class ReloadResult:
    """What a reload did: the entries added, changed and removed, or the problems that stopped it."""

    changed: bool
    added: tuple[str, ...] = ()
    modified: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    facts: tuple[tuple[str, str, str], ...] = ()  # (name, old value, new value)
    reminders: tuple[tuple[str, datetime | None], ...] = ()  # (id, its new moment; None when removed)
    texts: tuple[str, ...] = ()  # "nl: welcome": locale texts that changed
    fixed: bool = False  # valid again after a rejected edit
    previous: Snapshot | None = field(default=None, compare=False, repr=False)  # the snapshot this reload replaced

    @property
    def ok(self) -> bool:
        """Whether the new knowledge was accepted (or nothing had changed)."""
        return not self.problems


def fingerprint(directory: Path) -> str:
    """A hash of every YAML file's name and content under ``directory`` (never blocking: see ``read_capped``).

    A file ``load`` would refuse (a pipe, or over the size limit) is hashed as the reason
    it is refused, so the watcher notices it once, and it is never read.
    """
    digest = hashlib.sha256()
    for path in sorted(directory.rglob("*.yaml")):
        digest.update(str(path.relative_to(directory)).encode())
        try:
            digest.update(b"+" + read_capped(path))
        except RefusedFile as exc:
            digest.update(b"!" + str(exc).encode())
    return digest.hexdigest()


def build(directory: Path) -> Snapshot:
    """Load, validate, index ``directory``, train (or take from the cache) its decision model; ``KnowledgeError``."""
    before = fingerprint(directory)
    digest = knowledge_digest(directory)
    knowledge = with_decision(directory, load(directory), digest)
    assistant = Assistant(knowledge)
    assistant.model  # noqa: B018 - unpacked here, in the reload's thread, not at the first question
    assistant.passage_matcher  # noqa: B018 - the passage tier too: the first question it answers would wait for it
    return Snapshot(knowledge, assistant, before)


class LiveKnowledge:
    """Holds the current snapshot; ``reload`` swaps in a new one only if it is valid."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._reloading = threading.Lock()  # reloads run in worker threads: one at a time
        self.current = build(directory)
        self.broken = False  # the files on disk were rejected at the last reload

    def reload(self) -> ReloadResult:
        """Validate the files on disk and, if valid, make them live in one assignment (one reload at a time)."""
        with self._reloading:
            return self._reload()

    def _reload(self) -> ReloadResult:
        old = self.current
        try:
            new = build(self.directory)
        except KnowledgeError as exc:
            self.broken = True
            return ReloadResult(changed=False, problems=tuple(exc.problems))
        except OSError as exc:
            self.broken = True
            return ReloadResult(changed=False, problems=(Problem(str(self.directory), 1, f"cannot be read: {exc}"),))
        fixed, self.broken = self.broken, False
        if new.fingerprint == old.fingerprint:
            return ReloadResult(changed=False, fixed=fixed)
        old_entries = {e.id: e for e in old.knowledge.entries}
        new_entries = {e.id: e for e in new.knowledge.entries}
        self.current = new
        return ReloadResult(
            changed=True,
            added=tuple(sorted(new_entries.keys() - old_entries.keys())),
            modified=tuple(
                sorted(i for i in new_entries.keys() & old_entries.keys() if new_entries[i] != old_entries[i])
            ),
            removed=tuple(sorted(old_entries.keys() - new_entries.keys())),
            facts=changed_facts(old.knowledge, new.knowledge),
            reminders=moved_reminders(old.knowledge, new.knowledge),
            texts=changed_texts(old.knowledge, new.knowledge),
            fixed=fixed,
            previous=old,
        )


def changed_facts(old: Knowledge, new: Knowledge) -> tuple[tuple[str, str, str], ...]:
    """Every event field and fact whose value changed, as (name, old, new) in English ("–" for empty)."""

    def values(knowledge: Knowledge) -> dict[str, str]:
        found = {name: "–" if value is None else str(value) for name, value in knowledge.event.model_dump().items()}
        for name, texts in knowledge.facts.items():
            found[name] = in_language(texts, DEFAULT_LANG, default=next(iter(texts.values()), "–"))
        return found

    before, after = values(old), values(new)
    return tuple(
        (name, before.get(name, "–"), after.get(name, "–"))
        for name in sorted(before.keys() | after.keys())
        if before.get(name, "–") != after.get(name, "–")
    )


def moved_reminders(old: Knowledge, new: Knowledge) -> tuple[tuple[str, datetime | None], ...]:
    """Reminders whose moment or text changed (with their new moment), added, or removed (``None``)."""
    before = {d.reminder.id: d for d in reminder_times(old)}
    after = {d.reminder.id: d for d in reminder_times(new)}
    changes: list[tuple[str, datetime | None]] = []
    for reminder_id in sorted(before.keys() | after.keys()):
        was, now = before.get(reminder_id), after.get(reminder_id)
        if now is None:
            changes.append((reminder_id, None))
        elif was is None or was.at != now.at or was.reminder != now.reminder:
            changes.append((reminder_id, now.at))
    return tuple(changes)


def changed_texts(old: Knowledge, new: Knowledge) -> tuple[str, ...]:
    """The locale texts (``lang: key``) that were added, changed or removed."""
    changes: list[str] = []
    for lang in sorted(old.locales.keys() | new.locales.keys()):
        was, now = old.locales.get(lang, {}), new.locales.get(lang, {})
        changes.extend(f"{lang}: {key}" for key in sorted(was.keys() | now.keys()) if was.get(key) != now.get(key))
    return tuple(changes)
