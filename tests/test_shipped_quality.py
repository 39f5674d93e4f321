"""The shipped knowledge's answer-quality regression set (tests/quality/questions.yaml) must stay above its floor.

About the shipped 2025 content (knowledge/), not about behaviour: behaviour tests run on fixtures.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
import yaml

from bot.assistant import Assistant
from bot.knowledge import load
from tests.conftest import SHIPPED

QUESTIONS = Path(__file__).parent / "quality" / "questions.yaml"
_EVENT = load(SHIPPED).event
BEFORE = datetime.combine(_EVENT.date - timedelta(days=15), time(10, 0), tzinfo=_EVENT.tz)
# The floors sit a little under today's figures (README, "Answer quality"), so noise
# in one question does not fail CI but a real regression does.
MIN_IN_SCOPE = 0.93
MIN_DECLINED = 0.95


@pytest.fixture(scope="module")
def assistant() -> Assistant:
    """An assistant over the shipped knowledge base."""
    return Assistant(load(SHIPPED))


def load_cases() -> tuple[list[tuple[str, str, set[str]]], list[tuple[str, str]]]:
    """In-scope (lang, question, acceptable ids) and off-topic (lang, question) cases."""
    data = yaml.safe_load(QUESTIONS.read_text(encoding="utf-8"))
    inside = [(lang, q, set(ids.split("|"))) for lang, by_id in data["in"].items() for ids, qs in by_id.items() for q in qs]
    outside = [(lang, q) for lang, qs in data["out"].items() for q in qs]
    return inside, outside


def test_regression_set_answers_in_scope_questions(assistant: Assistant) -> None:
    """At least 93% of our in-scope questions are answered confidently from an acceptable entry."""
    inside, _ = load_cases()
    misses = [(q, ids, a.faq_id) for lang, q, ids in inside if (a := assistant.answer(q, lang, BEFORE)).faq_id not in ids]  # type: ignore[arg-type]
    rate = 1 - len(misses) / len(inside)
    assert rate >= MIN_IN_SCOPE, f"{rate:.0%} answered; misses: {misses}"


def test_regression_set_declines_off_topic_questions(assistant: Assistant) -> None:
    """At least 95% of our off-topic questions get no confident answer."""
    _, outside = load_cases()
    wrong = [(q, a.faq_id) for lang, q in outside if (a := assistant.answer(q, lang, BEFORE)).faq_id is not None]  # type: ignore[arg-type]
    rate = 1 - len(wrong) / len(outside)
    assert rate >= MIN_DECLINED, f"{rate:.0%} declined; confidently answered: {wrong}"


def test_regression_set_has_every_language_and_enough_cases() -> None:
    """The set covers en, nl and fr and is large enough for its rates to mean something."""
    inside, outside = load_cases()
    assert {lang for lang, _, _ in inside} == {"en", "nl", "fr"}
    assert len(inside) >= 150
    assert len(outside) >= 30
