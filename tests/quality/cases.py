"""Read the project's answer-quality sets (tests/quality/*.yaml) into plain cases."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).parent
# The part thresholds are tuned on, the part only checked, and the long chatty messages.
TUNE = HERE / "questions.yaml"
CHECK = HERE / "check.yaml"
LONG = HERE / "long_messages.yaml"
EQUIVALENTS = HERE / "equivalents.yaml"


@dataclass(frozen=True)
class Case:
    """One question; ``ids`` holds the acceptable answers (entry ids or "passage:<id>"), empty when off-topic."""

    lang: str
    question: str
    ids: frozenset[str]

    @property
    def in_scope(self) -> bool:
        """Whether the question should be answered."""
        return bool(self.ids)


def load_cases(path: Path) -> list[Case]:
    """The cases of one set, in-scope first; accepts the by-id layout and the long-message list layout."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    groups: list[list[str]] = yaml.safe_load(EQUIVALENTS.read_text(encoding="utf-8"))
    cases: list[Case] = []
    for lang, items in data["in"].items():
        pairs = items.items() if isinstance(items, dict) else [(ids, [q]) for ids, q in items]
        for ids, questions in pairs:
            accepted = set(ids.split("|"))
            accepted.update(*(group for group in groups if accepted & set(group)))
            cases += [Case(lang, q, frozenset(accepted)) for q in questions]
    cases += [Case(lang, q, frozenset()) for lang, qs in data["out"].items() for q in qs]
    return cases
