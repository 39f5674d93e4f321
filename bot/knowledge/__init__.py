"""Load ``knowledge/*.yaml`` into typed, frozen objects; every error names file, line and field.

The package is split by concern: ``schema`` (the shape of each file), ``reading`` (YAML with
line numbers), ``wording`` and ``yaml_wording`` (errors in plain words), ``checks`` (across
files), ``locales`` (UI strings), ``model`` (the loaded ``Knowledge``) and ``loading`` (``load``).
"""

from bot.knowledge.loading import load
from bot.knowledge.model import Knowledge
from bot.knowledge.problems import KnowledgeError, Problem
from bot.knowledge.schema import (
    BUILT_IN_COMMANDS,
    DEFAULT_LANG,
    EVENT_PLACEHOLDERS,
    FILES,
    LANGS,
    PLACEHOLDER,
    PREVIOUS,
    UI_KEYS,
    UI_PLACEHOLDERS,
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
    "BUILT_IN_COMMANDS", "DEFAULT_LANG", "EVENT_PLACEHOLDERS", "FILES", "LANGS", "PLACEHOLDER", "PREVIOUS", "UI_KEYS",
    "UI_PLACEHOLDERS", "Entry", "EntryButton", "EventInfo", "Knowledge", "KnowledgeError", "Lang", "LanguageVocabulary",
    "Passage", "PastEdition", "Phase", "Problem", "Reminder", "TextVariants", "Variants", "load",
]  # fmt: skip
