"""The shape of each whole knowledge file; only ``load`` needs them (a cache hit never imports this module)."""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field, RootModel

from bot.knowledge.schema import (
    ClosedModel,
    Entry,
    EventInfo,
    FactName,
    Lang,
    LanguageVocabulary,
    Localised,
    Passage,
    PastEdition,
    Reminder,
)


class EventFile(ClosedModel):
    """The shape of event.yaml."""

    event: EventInfo
    facts: dict[FactName, Localised | None] = Field(default_factory=dict)  # None: still to fill (a new edition)
    past_editions: list[PastEdition] = Field(default_factory=list)


class FaqFile(ClosedModel):
    """The shape of faq.yaml."""

    entries: Annotated[list[Entry], Field(min_length=1)]


class EditionFaqFile(ClosedModel):
    """The shape of an edition's ``editions/<edition>/faq.yaml``: its article entries (none yet for a new edition)."""

    entries: list[Entry] = Field(default_factory=list)


class VocabularyFile(RootModel[dict[Lang, LanguageVocabulary]]):
    """The shape of vocabulary.yaml: one section per language."""

    model_config = ConfigDict(frozen=True, defer_build=True)


class RemindersFile(ClosedModel):
    """The shape of reminders.yaml."""

    reminders: list[Reminder] = Field(default_factory=list)


class PassagesFile(ClosedModel):
    """The shape of passages.yaml."""

    passages: list[Passage] = Field(default_factory=list)
