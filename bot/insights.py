"""What organisers learn from misses: unanswered questions grouped by near-duplicates, with the nearest entry."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.assistant import Assistant
from bot.store import Question
from bot.text import fold

# Two questions this similar (token_set_ratio on folded text) count as one.
SAME_QUESTION = 85


@dataclass(frozen=True)
class UnansweredGroup:
    """Near-identical unanswered questions: one example, how often, and the entry they came closest to."""

    text: str
    count: int
    nearest: str | None
    question_ids: tuple[int, ...]
    texts: tuple[str, ...]


def group_unanswered(questions: Sequence[Question], assistant: Assistant) -> list[UnansweredGroup]:
    """Cluster ``questions`` greedily by similarity, most frequent first."""
    clusters: list[list[Question]] = []
    keys: list[str] = []
    for question in questions:
        key = fold(question.text)
        if not key:
            continue
        for index, other in enumerate(keys):
            if fuzz.token_set_ratio(key, other) >= SAME_QUESTION:
                clusters[index].append(question)
                break
        else:
            clusters.append([question])
            keys.append(key)
    groups = []
    for members in clusters:
        example = members[0].text
        ranked = assistant.matcher.rank(example, limit=1)
        groups.append(
            UnansweredGroup(
                text=example,
                count=len(members),
                nearest=ranked[0].entry_id if ranked else None,
                question_ids=tuple(q.id for q in members),
                texts=tuple(dict.fromkeys(q.text for q in members)),
            )
        )
    return sorted(groups, key=lambda g: (-g.count, g.text))
