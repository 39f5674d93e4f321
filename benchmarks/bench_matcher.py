"""Matching latency: the shipped knowledge base and synthetic ones, beside a naive baseline.

    python benchmarks/bench_matcher.py [--quick]

For each knowledge base it times every query once through ``Matcher.rank`` and
through the baseline ``process.extractOne(query, all_phrasings, scorer=fuzz.WRatio,
processor=utils.default_process)``, in the same run, and prints median and p99 in
milliseconds and the ratio of medians. Then it times the whole ``python -m bot ask``
process. Numbers vary with the machine: compare ratios, not absolutes.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process, utils

from bot.assistant import Assistant
from bot.knowledge import load
from bot.matcher import Matcher, Phrasing
from bot.text import Normaliser


def percentile(samples: list[float], share: float) -> float:
    """The ``share`` quantile of ``samples`` (nearest rank)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed(function: Callable[[str], object], queries: list[str]) -> list[float]:
    """Milliseconds per call of ``function`` on each query."""
    samples = []
    for query in queries:
        start = time.perf_counter()
        function(query)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def typo(word: str, rng: random.Random) -> str:
    """``word`` with one letter dropped, doubled or swapped."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    return rng.choice([word[:i] + word[i + 1 :], word[:i] + word[i] + word[i:], word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]])


def synthetic(entries: int, rng: random.Random) -> tuple[list[Phrasing], list[str]]:
    """``entries`` x 5 phrasings over a 4,000-word vocabulary, and 500 queries (typo'd paraphrases, off-topic)."""
    syllables = ["ka", "lo", "mi", "ter", "van", "bio", "gen", "ro", "sa", "del", "fin", "port", "ex", "ul", "tra", "ne", "sto", "qui"]
    words = sorted({"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(6000)})[:4000]
    fillers = ["what", "is", "the", "when", "where", "who", "how", "about", "for", "of"]
    phrasings = []
    for entry in range(entries):
        topic = rng.sample(words, 3)
        for _ in range(5):
            text = " ".join(rng.sample(fillers, 2) + rng.sample(topic, 2) + rng.sample(words, 2))
            phrasings.append(Phrasing(f"e{entry}", "en", text))
    queries = []
    for _ in range(400):
        parts = rng.choice(phrasings).text.split()
        rng.shuffle(parts)
        queries.append(" ".join(typo(p, rng) for p in parts[:4]))
    queries += [" ".join(rng.sample(fillers, 2) + [typo(rng.choice(words), rng) for _ in range(3)]) for _ in range(100)]
    return phrasings, queries


def compare(label: str, phrasings: list[Phrasing], queries: list[str], normalisers: dict[str, Normaliser]) -> None:
    """Build both matchers over ``phrasings`` and print one table row."""
    start = time.perf_counter()
    matcher = Matcher(phrasings, normalisers)
    build_ms = (time.perf_counter() - start) * 1000
    texts = [p.text for p in phrasings]
    ours = timed(lambda q: matcher.rank(q, 5), queries)
    base = timed(lambda q: process.extractOne(q, texts, scorer=fuzz.WRatio, processor=utils.default_process), queries)
    ratio = statistics.median(base) / statistics.median(ours)
    print(
        f"| {label} | {len(phrasings):,} | {statistics.median(ours):.3f} | {percentile(ours, 0.99):.3f} | "
        f"{statistics.median(base):.3f} | {percentile(base, 0.99):.3f} | {ratio:.1f}x | {build_ms:.0f} |"
    )


def main() -> None:
    """Print the latency table and the ``bot ask`` process time."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="skip the 5,000-entry knowledge base")
    args = parser.parse_args()
    rng = random.Random(2025)
    knowledge = load(ROOT / "knowledge")
    assistant = Assistant(knowledge)
    normalisers = {lang: index.normaliser for lang, index in assistant.matcher.indexes.items()}
    import yaml

    data = yaml.safe_load((ROOT / "tests" / "quality" / "questions.yaml").read_text(encoding="utf-8"))
    shipped = [
        q
        for part in ("in", "out")
        for by_lang in data[part].values()
        for qs in (by_lang.values() if isinstance(by_lang, dict) else [by_lang])
        for q in qs
    ]
    shipped_queries = shipped * 5
    print(
        "| knowledge base | phrasings | ours median ms | ours p99 ms | baseline median ms | baseline p99 ms | speed-up (medians) | build ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    compare("shipped (30 entries, en+nl+fr)", assistant.matcher.phrasings, shipped_queries, normalisers)
    for entries in (100, 1000) if args.quick else (100, 1000, 5000):
        phrasings, queries = synthetic(entries, rng)
        compare(f"synthetic {entries:,} x 5", phrasings, queries, {"en": normalisers["en"]})

    runs = []
    for _ in range(7):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bot", "ask", "when is it?"], cwd=ROOT, capture_output=True, check=True)
        runs.append(time.perf_counter() - start)
    print(f'\n`python -m bot ask "when is it?"` whole process: median {statistics.median(runs):.3f} s over {len(runs)} runs')


if __name__ == "__main__":
    main()
