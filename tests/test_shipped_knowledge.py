"""The shipped knowledge/ folder (the 2025 content): valid, complete, and inventing nothing.

Tests about the shipped content live in ``test_shipped_*`` files; behaviour tests run on fixtures.
"""

from __future__ import annotations

from bot.knowledge import LANGS, load
from tests.conftest import SHIPPED

KNOWLEDGE = SHIPPED


def test_shipped_knowledge_is_valid_and_complete() -> None:
    """The shipped knowledge base loads without errors or warnings, in all three languages."""
    knowledge = load(KNOWLEDGE)
    assert knowledge.warnings == ()
    assert knowledge.languages() == list(LANGS)
    assert {"when", "where", "keynote", "themes", "register"} <= set(knowledge.by_command)  # the commands the docs promise
    assert all(set(e.answer) == set(LANGS) and set(e.questions) == set(LANGS) for e in knowledge.entries)


def test_facts_the_article_does_not_give_stay_empty() -> None:
    """No venue, address, time, price or link is invented for the 2025 edition: its article gives none; the city is in every language."""
    knowledge = load(KNOWLEDGE)
    event = knowledge.event
    assert set(knowledge.facts["city"]) == set(LANGS)
    if event.edition == "2025":  # the edition the source article describes; a later one brings its own facts
        assert (event.venue, event.address, event.start_time, event.price, event.registration_url) == (None,) * 5
