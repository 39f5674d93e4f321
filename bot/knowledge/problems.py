"""What is wrong in a knowledge base: one ``Problem`` per place, all of them in a ``KnowledgeError``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in the knowledge base, with its place."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        """Render as ``file:line: message``, the form editors and terminals link."""
        return f"{self.file}:{self.line}: {self.message}"


class KnowledgeError(Exception):
    """The knowledge base is invalid; ``problems`` lists every error found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
