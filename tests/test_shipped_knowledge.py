"""The shipped knowledge/ folder (the 2025 content): valid, complete, and inventing nothing.

Tests about the shipped content live in ``test_shipped_*`` files; behaviour tests run on fixtures.
Each also runs on the next edition that ``new-edition`` makes from the shipped folder (``tests/next_edition.py``):
every ``test_shipped_*`` test passes on the result of publishing an edition, as an organiser would.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest

from bot.knowledge import LANGS, Knowledge, load
from tests.conftest import SHIPPED


@pytest.fixture(scope="module", params=["shipped", "next edition"])
def knowledge(request: pytest.FixtureRequest) -> Knowledge:
    """The shipped knowledge base, and the next edition published from it."""
    if request.param == "shipped":
        return load(SHIPPED)
    folder, _ = cast(tuple[Path, str], request.getfixturevalue("next_edition"))
    return load(folder)


def test_shipped_knowledge_is_valid_and_complete(knowledge: Knowledge) -> None:
    """The knowledge base loads without errors or warnings, in all three languages."""
    assert knowledge.warnings == ()
    assert knowledge.languages() == list(LANGS)
    # the commands the docs promise
    assert {"when", "where", "keynote", "themes", "register"} <= set(knowledge.by_command)
    assert all(set(e.answer) == set(LANGS) and set(e.questions) == set(LANGS) for e in knowledge.entries)


def test_facts_the_article_does_not_give_stay_empty(knowledge: Knowledge) -> None:
    """No venue, address, time, price or link invented for 2025: its article has none; the city is in every language."""
    event = knowledge.event
    assert set(knowledge.facts["city"]) == set(LANGS)
    if event.edition == "2025":  # the edition the source article describes; a later one brings its own facts
        assert (event.venue, event.address, event.start_time, event.price, event.registration_url) == (None,) * 5
