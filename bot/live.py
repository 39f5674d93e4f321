"""The live knowledge: one immutable snapshot at a time, replaced whole so readers never see a mix."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from bot.assistant import Assistant
from bot.knowledge import Knowledge, KnowledgeError, Problem, load


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

    @property
    def ok(self) -> bool:
        """Whether the new knowledge was accepted (or nothing had changed)."""
        return not self.problems


def fingerprint(directory: Path) -> str:
    """A hash of every YAML file's name and content under ``directory``."""
    digest = hashlib.sha256()
    for path in sorted(directory.rglob("*.yaml")):
        digest.update(str(path.relative_to(directory)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build(directory: Path) -> Snapshot:
    """Load, validate and index ``directory``; raises ``KnowledgeError``."""
    before = fingerprint(directory)
    knowledge = load(directory)
    return Snapshot(knowledge, Assistant(knowledge), before)


class LiveKnowledge:
    """Holds the current snapshot; ``reload`` swaps in a new one only if it is valid."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.current = build(directory)

    def reload(self) -> ReloadResult:
        """Validate the files on disk and, if valid, make them live in one assignment."""
        old = self.current
        try:
            new = build(self.directory)
        except KnowledgeError as exc:
            return ReloadResult(changed=False, problems=tuple(exc.problems))
        except OSError as exc:
            return ReloadResult(changed=False, problems=(Problem(str(self.directory), 1, f"cannot be read: {exc}"),))
        if new.fingerprint == old.fingerprint:
            return ReloadResult(changed=False)
        old_entries = {e.id: e for e in old.knowledge.entries}
        new_entries = {e.id: e for e in new.knowledge.entries}
        self.current = new
        return ReloadResult(
            changed=True,
            added=tuple(sorted(new_entries.keys() - old_entries.keys())),
            modified=tuple(sorted(i for i in new_entries.keys() & old_entries.keys() if new_entries[i] != old_entries[i])),
            removed=tuple(sorted(old_entries.keys() - new_entries.keys())),
        )
