"""Grouping unanswered questions for /unanswered: 2,000 questions, target at most 100 ms.

    python benchmarks/bench_grouping.py [--questions 2000] [--runs 5]

The questions are the shipped phrasings with typos, extra words and changed case, plus
unrelated questions, so that groups of every size occur. It times ``cluster`` (one
rapidfuzz ``cdist`` over all pairs) and the whole ``group_unanswered`` with the ten
groups /unanswered shows ranked by the matcher, and, for comparison, the greedy Python
loop with ``fuzz.token_set_ratio`` that it replaced (on a tenth of the questions).
Prints the median of the runs in milliseconds.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz

from bot.assistant import Assistant
from bot.insights import SAME_QUESTION, cluster, group_unanswered, key
from bot.knowledge import load
from bot.store import Question
from bot.text import fold

NOISE = ["is there", "please", "tell me", "can i", "by the way", "urgent", "thanks", "quick question", "hello"]


def questions(count: int, seed: int = 7) -> list[Question]:
    """``count`` varied questions built from the shipped phrasings."""
    rng = random.Random(seed)
    knowledge = load(ROOT / "knowledge")
    phrasings = [(lang, text) for e in knowledge.entries for lang, texts in e.questions.items() for text in texts]
    made = []
    for number in range(count):
        lang, text = rng.choice(phrasings)
        words = text.split()
        if rng.random() < 0.5:
            words.insert(rng.randrange(len(words) + 1), rng.choice(NOISE))
        if rng.random() < 0.3 and words:
            spot = rng.randrange(len(words))
            word = words[spot]
            if len(word) > 3:
                cut = rng.randrange(1, len(word) - 1)
                words[spot] = word[:cut] + word[cut + 1 :]
        text = " ".join(words)
        text = text.capitalize() + "?" if rng.random() < 0.5 else text
        made.append(Question(number, datetime.now(UTC), lang, text, None, 30.0, "decline"))
    return made


def naive(items: list[Question]) -> int:
    """The former greedy double loop (each question against every group's first member); returns the group count."""
    keys: list[str] = []
    for item in items:
        folded = fold(item.text)
        if folded and not any(fuzz.token_set_ratio(folded, other) >= SAME_QUESTION for other in keys):
            keys.append(folded)
    return len(keys)


def median_ms(function: Callable[[], object], runs: int) -> float:
    """The median wall time of ``function`` over ``runs`` runs, in milliseconds."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    """Print the grouping figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    items = questions(args.questions)
    assistant = Assistant(load(ROOT / "knowledge"))
    keys = [key(q.text) for q in items]
    groups = len(cluster(keys))
    print(f"{len(items):,} questions, {len(set(keys)):,} distinct, {groups:,} groups")
    print(f"cluster (rapidfuzz cdist):             {median_ms(lambda: cluster(keys), args.runs):8.1f} ms  (target <= 100 ms)")
    whole = median_ms(lambda: group_unanswered(items, assistant, 2, 10), args.runs)
    print(f"group_unanswered, top 10 ranked:       {whole:8.1f} ms")
    tenth = items[: len(items) // 10]
    print(f"old Python loop, {len(tenth):,} questions only:  {median_ms(lambda: naive(tenth), 1):8.1f} ms")


if __name__ == "__main__":
    main()
