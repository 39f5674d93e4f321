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
    assert {"date", "venue", "keynote", "theme", "registration", "atmp", "vib", "ema", "vc"} <= set(knowledge.by_id)
    assert all(set(e.answer) == set(LANGS) and set(e.questions) == set(LANGS) for e in knowledge.entries)


def test_facts_the_article_does_not_give_stay_empty() -> None:
    """No venue, address, time, price or link is invented: the article gives none."""
    knowledge = load(KNOWLEDGE)
    event = knowledge.event
    assert knowledge.facts["city"]["en"] == "Brussels"
    assert (event.venue, event.address, event.start_time, event.price, event.registration_url) == (None,) * 5
