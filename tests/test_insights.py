"""Grouping unanswered questions: near-duplicates together, different questions apart, most frequent first."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.assistant import Assistant
from bot.insights import cluster, group_unanswered, key
from bot.store import Question


def asked(*texts: str) -> list[Question]:
    """Stored unanswered questions with these texts (newest first, as the store returns them)."""
    return [
        Question(i, datetime(2025, 1, 1, tzinfo=UTC), "en", t, None, 30.0, "decline") for i, t in enumerate(texts, 1)
    ]


def test_near_duplicates_share_a_group_and_other_questions_do_not() -> None:
    """Case, punctuation, word order and a typo do not split a group; a different question starts its own."""
    keys = [
        key(t)
        for t in (
            "Is there a cloakroom?",
            "is there a cloakroom",
            "a cloakroom is there",
            "is ther a cloakroom",
            "do you sell pizza",
        )
    ]
    assert sorted(cluster(keys)) == [[0, 1, 2, 3], [4]]


def test_groups_are_most_frequent_first_with_languages_and_ranked_entries(assistant: Assistant) -> None:
    """The biggest group comes first, keeps every language it was asked in, and lists the closest entries."""
    questions = asked("do you sell pizza", "waar is de garderobe", "where is the cloakroom", "Where is the cloakroom?")
    questions[1] = Question(2, questions[1].asked_at, "nl", "where is the cloakroom!", None, 30.0, "decline")
    groups = group_unanswered(questions, assistant, candidates=2, top=1)
    assert len(groups) == 1
    assert groups[0].count == 3
    assert groups[0].langs == ("nl", "en")
    assert len(groups[0].nearest) == 2


def test_empty_questions_form_no_group() -> None:
    """Questions with no words (or none stored) give no group."""
    assert cluster(["", ""]) == []
    assert group_unanswered([]) == []
