"""Measure the matcher on the project's regression set across scorer settings and thresholds.

    python benchmarks/tune_matcher.py

Prints, for each setting, the share of in-scope questions whose best entry is
right and scores at or above the threshold, and the share of off-topic
questions scoring below it. This is how ANSWER_AT, SUGGEST_AT and the matcher's
defaults were chosen (see README).
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.assistant import Assistant
from bot.knowledge import load
from bot.matcher import Matcher


def cases() -> tuple[list[tuple[str, set[str]]], list[str]]:
    """The regression set as (question, acceptable ids) pairs and off-topic questions."""
    data = yaml.safe_load((ROOT / "tests" / "quality" / "questions.yaml").read_text(encoding="utf-8"))
    inside = [(q, set(ids.split("|"))) for by_lang in data["in"].values() for ids, qs in by_lang.items() for q in qs]
    outside = [q for qs in data["out"].values() for q in qs]
    return inside, outside


def main() -> None:
    """Print the grid."""
    knowledge = load(ROOT / "knowledge")
    base = Assistant(knowledge)
    inside, outside = cases()
    print(f"{len(inside)} in-scope, {len(outside)} off-topic questions")
    print("unknown  beta2  threshold  in-scope  off-topic  margin(min in - max out)")
    for unknown, beta2 in itertools.product((0.6, 0.8, 1.0, 1.2), (0.25, 0.5, 1.0)):
        matcher = Matcher(base.matcher.phrasings, {lang: idx.normaliser for lang, idx in base.matcher.indexes.items()},
                          unknown_factor=unknown, beta_squared=beta2)  # fmt: skip
        tops_in = [(matcher.rank(q, 1) or [None])[0] for q, _ in inside]
        tops_out = [(matcher.rank(q, 1) or [None])[0] for q in outside]
        right = [c.score if c and c.entry_id in ids else 0.0 for c, (_, ids) in zip(tops_in, inside, strict=False)]
        wrong = [c.score if c else 0.0 for c in tops_out]
        for threshold in (50, 55, 60, 62, 65, 70):
            rate_in = sum(s >= threshold for s in right) / len(right)
            rate_out = sum(s < threshold for s in wrong) / len(wrong)
            print(f"{unknown:7.1f} {beta2:6.2f} {threshold:10d} {rate_in:9.0%} {rate_out:10.0%}")
    misses = [(q, ids, c) for (q, ids), c in zip(inside, [(base.matcher.rank(q, 1) or [None])[0] for q, _ in inside], strict=False)
              if c is None or c.entry_id not in ids or c.score < 62]  # fmt: skip
    print("\nmisses with the shipped settings:")
    for q, ids, c in misses:
        print(f"  {q!r}: want {sorted(ids)}, got {c.entry_id if c else None} {c.score if c else 0:.0f}")
    print("off-topic scoring 40 or more:")
    for q in outside:
        c = (base.matcher.rank(q, 1) or [None])[0]
        if c and c.score >= 40:
            print(f"  {q!r}: {c.entry_id} {c.score:.0f}")


if __name__ == "__main__":
    main()
