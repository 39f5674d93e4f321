"""What organisers learn from misses: unanswered questions grouped by near-duplicates, with the entries closest to them.

Grouping compares every question with every other, so it runs as one rapidfuzz ``cdist`` call
(C++, on all cores) over short keys, never as a Python double loop: 2,000 questions take well
under a second even on a busy machine (see ``benchmarks/bench_grouping.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from rapidfuzz import fuzz, process

from bot.assistant import Assistant
from bot.knowledge import DEFAULT_LANG
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
    neighbours = _similar_pairs(distinct)
    owner = np.full(len(distinct), -1)
    for index in range(len(distinct)):
        if owner[index] == -1:
            near = neighbours.get(index)
            if near is not None:
                owner[near[owner[near] == -1]] = index
            owner[index] = index
    position = {k: i for i, k in enumerate(distinct)}
    groups: dict[int, list[int]] = {}
    for index, text_key in enumerate(keys):
        if text_key:
            groups.setdefault(int(owner[position[text_key]]), []).append(index)
    return list(groups.values())


# A ratio of SAME_QUESTION needs lengths within this factor (2·min / (a + b) >= r): longer pairs are never compared.
_LENGTH_FACTOR = (200 - SAME_QUESTION) / SAME_QUESTION
_BLOCK = 256


def _similar_pairs(distinct: list[str]) -> dict[int, np.ndarray]:
    """For each key, the other keys at least SAME_QUESTION similar: cdist over blocks of keys of similar length only."""
    order = np.argsort([len(k) for k in distinct], kind="stable")
    ordered = [distinct[i] for i in order]
    lengths = np.array([len(k) for k in ordered])
    found_rows: list[np.ndarray] = []
    found_cols: list[np.ndarray] = []
    for start in range(0, len(ordered), _BLOCK):
        end = min(start + _BLOCK, len(ordered))
        stop = int(np.searchsorted(lengths, lengths[end - 1] * _LENGTH_FACTOR, side="right"))
        scores = process.cdist(
            ordered[start:end],
            ordered[start:stop],
            scorer=fuzz.ratio,
            score_cutoff=SAME_QUESTION,
            dtype=np.uint8,
            workers=-1,
        )
        rows, cols = np.nonzero(scores)
        found_rows.append(order[rows + start])
        found_cols.append(order[cols + start])
    rows_all = np.concatenate([*found_rows, *found_cols])  # symmetric: each pair both ways
    cols_all = np.concatenate([*found_cols, *found_rows])
    keep = rows_all != cols_all
    rows_all, cols_all = rows_all[keep], cols_all[keep]
    sort = np.argsort(rows_all, kind="stable")
    rows_all, cols_all = rows_all[sort], cols_all[sort]
    starts = np.searchsorted(rows_all, np.arange(len(distinct) + 1))
    return {
        i: np.unique(cols_all[starts[i] : starts[i + 1]]) for i in range(len(distinct)) if starts[i] < starts[i + 1]
    }


def group_unanswered(
    questions: Sequence[Question],
    assistant: Assistant | None = None,
    candidates: int = 2,
    top: int | None = None,
    now: datetime | None = None,
) -> list[UnansweredGroup]:
    """Cluster ``questions`` by similarity, most frequent first (the first ``top``); with an assistant, rank entries.

    The entries ranked are those with something to say at ``now`` (default: the present): filing a question under
    one whose answer is its "missing" text, declined, would mark it answered while attendees still get no answer.
    """
    clusters = [[questions[i] for i in indices] for indices in cluster([key(q.text) for q in questions])]
    clusters.sort(key=lambda members: (-len(members), members[0].text))
    render = assistant.renderer(DEFAULT_LANG, now or datetime.now(UTC)) if assistant is not None else None
    groups = []
    for members in clusters[:top]:
        example = members[0].text
        ranked = (
            assistant.offered(assistant.matcher.rank(example, limit=candidates * 2), render)[:candidates]
            if assistant is not None and render is not None
            else ()
        )
        groups.append(
            UnansweredGroup(
                text=example,
                count=len(members),
                nearest=tuple(c.entry_id for c in ranked),
                question_ids=tuple(q.id for q in members),
                texts=tuple(dict.fromkeys(q.text for q in members)),
                langs=tuple(dict.fromkeys(q.lang for q in members)),
            )
        )
    return groups
