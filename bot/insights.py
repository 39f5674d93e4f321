"""What organisers learn from misses: unanswered questions grouped by near-duplicates, with the entries closest to them.

Grouping compares every question with every other, so it runs as one rapidfuzz ``cdist`` call
(C++, on all cores) over short keys, never as a Python double loop: 2,000 questions take well
under a second even on a busy machine (see ``benchmarks/bench_grouping.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from bot.assistant import Assistant
from bot.store import Question
from bot.text import fold

# Two questions this similar (ratio of their sorted distinct words) count as one.
SAME_QUESTION = 85


@dataclass(frozen=True)
class UnansweredGroup:
    """Near-identical unanswered questions: one example, how often, their languages and the entries closest to them."""

    text: str
    count: int
    nearest: tuple[str, ...]
    question_ids: tuple[int, ...]
    texts: tuple[str, ...]
    langs: tuple[str, ...]


def key(text: str) -> str:
    """The comparable form of a question: its folded distinct words, sorted."""
    return " ".join(sorted(set(fold(text).split())))


def cluster(keys: Sequence[str]) -> list[list[int]]:
    """Indices of ``keys`` grouped greedily: each key joins the first earlier representative it resembles."""
    distinct = list(dict.fromkeys(k for k in keys if k))
    if not distinct:
        return []
    scores = process.cdist(distinct, distinct, scorer=fuzz.ratio, score_cutoff=SAME_QUESTION, dtype=np.uint8, workers=-1)
    owner = np.full(len(distinct), -1)
    for index in range(len(distinct)):
        if owner[index] == -1:
            owner[np.flatnonzero((scores[index] > 0) & (owner == -1))] = index
            owner[index] = index
    position = {k: i for i, k in enumerate(distinct)}
    groups: dict[int, list[int]] = {}
    for index, text_key in enumerate(keys):
        if text_key:
            groups.setdefault(int(owner[position[text_key]]), []).append(index)
    return list(groups.values())


def group_unanswered(questions: Sequence[Question], assistant: Assistant | None = None, candidates: int = 2) -> list[UnansweredGroup]:
    """Cluster ``questions`` by similarity, most frequent first; with an assistant, rank the entries closest to each group."""
    groups = []
    for members in (map(questions.__getitem__, indices) for indices in cluster([key(q.text) for q in questions])):
        chosen = list(members)
        example = chosen[0].text
        ranked = assistant.matcher.rank(example, limit=candidates) if assistant is not None else []
        groups.append(
            UnansweredGroup(
                text=example,
                count=len(chosen),
                nearest=tuple(c.entry_id for c in ranked),
                question_ids=tuple(q.id for q in chosen),
                texts=tuple(dict.fromkeys(q.text for q in chosen)),
                langs=tuple(dict.fromkeys(q.lang for q in chosen)),
            )
        )
    return sorted(groups, key=lambda g: (-g.count, g.text))
