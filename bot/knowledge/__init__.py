"""Load ``knowledge/*.yaml`` into typed, frozen objects; every error names file, line and field.

The package is split by concern: ``schema`` (the shape of each file), ``reading`` (YAML with
line numbers), ``wording`` and ``yaml_wording`` (errors in plain words), ``checks`` (across
files), ``locales`` (UI strings), ``model`` (the loaded ``Knowledge``), ``files`` (whole-file shapes),
``loading`` (``load``) and ``cache`` (validated knowledge kept for ``ask``).
"""

from typing import TYPE_CHECKING

from bot.knowledge.model import Knowledge
from bot.knowledge.problems import KnowledgeError, Problem
from bot.knowledge.schema import (
    DEFAULT_LANG,
    EVENT_PLACEHOLDERS,
    FILES,
    LANGS,
    PLACEHOLDER,
    PREVIOUS,
    Entry,
    EntryButton,
    EventInfo,
    Lang,
    LanguageVocabulary,
    Passage,
    PastEdition,
    Phase,
    Reminder,
    TextVariants,
    Variants,
)

__all__ = [
    "DEFAULT_LANG", "EVENT_PLACEHOLDERS", "FILES", "LANGS", "PLACEHOLDER", "PREVIOUS", "Entry", "EntryButton",
    "EventInfo", "Knowledge", "KnowledgeError", "Lang", "LanguageVocabulary", "Passage", "PastEdition", "Phase",
    "Problem", "Reminder", "TextVariants", "Variants", "load",
]  # fmt: skip

if TYPE_CHECKING:
    from bot.knowledge.loading import load


def __getattr__(name: str) -> object:
    """``load`` is imported on first use: a process answering from the cache never loads the YAML machinery."""
    if name == "load":
        from bot.knowledge.loading import load

        return load
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
