"""Matching latency: the shipped knowledge base and synthetic ones, beside a naive baseline.

    python benchmarks/bench_matcher.py [--quick]

First the shipped knowledge base through the whole answer (``Assistant.answer``: entries,
then passages) and through ``Matcher.rank`` alone, on every question of tests/quality:
cold (every question seen for the first time: the typo and folding caches are emptied
before each one, and the passage tier is built before timing starts) and warm (the
same questions again), each the best of three runs so that other processes' noise
stays out of the tail. Then, for each knowledge base, every query once through
``Matcher.rank`` and through the baseline ``process.extractOne(query, all_phrasings,
scorer=fuzz.WRatio, processor=utils.default_process)``, in the same run: median and
p99 in milliseconds and the ratio of medians. Last, the whole ``python -m bot ask``
process with the knowledge cache hit, missed (first run after an edit) and off, beside a
bare interpreter start, interleaved (measured first, while the benchmark process is
small). Numbers vary with the machine (and its load): compare ratios, not absolutes.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process, utils

from bot.assistant import Assistant
from bot.knowledge import load
from bot.matcher import Matcher, Phrasing
from bot.text import Normaliser, fold
from tests.quality.cases import CHECK, LONG, TUNE, load_cases


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
    return rng.choice(
        [word[:i] + word[i + 1 :], word[:i] + word[i] + word[i:], word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]]
    )


def synthetic(entries: int, rng: random.Random) -> tuple[list[Phrasing], list[str]]:
    """``entries`` x 5 phrasings over a 4,000-word vocabulary, and 500 queries (typo'd paraphrases, off-topic)."""
    syllables = ["ka", "lo", "mi", "ter", "van", "bio", "gen", "ro", "sa", "del", "fin", "port", "ex", "ul", "tra"]
    syllables += ["ne", "sto", "qui"]
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


def forget(assistant: Assistant) -> None:
    """Empty every cache the answer path fills, so the next question is seen for the first time."""
    fold.cache_clear()
    assistant.forget_decisions()
    for matcher in (assistant.matcher, assistant.passage_matcher):
        for corrector in matcher.correctors.values():
            corrector.clear()


def cold_and_warm(assistant: Assistant, questions: list[tuple[str, str]]) -> None:
    """Print median and p99 of the whole answer and of ``Matcher.rank``, cold then warm."""
    from datetime import datetime

    now = datetime.fromisoformat("2025-10-20T10:00:00+02:00")
    assistant.passage_matcher  # noqa: B018 - built on first use; built before timing

    def answer(item: tuple[str, str]) -> None:
        assistant.forget_decisions()  # warm too: the deciding is measured, not the look-up of a question decided before
        assistant.answer(item[0], item[1], now)  # type: ignore[arg-type]

    def rank(item: tuple[str, str]) -> None:
        assistant.matcher.rank(item[0], 4, item[1])

    print("| shipped knowledge base | questions | median ms | p99 ms |")
    print("|---|---:|---:|---:|")
    for label, function in (("whole answer", answer), ("Matcher.rank", rank)):
        cold, warm = [], []
        for item in questions:  # best of three, to keep other processes' noise out of the tail
            runs = []
            for _ in range(3):
                forget(assistant)
                start = time.perf_counter()
                function(item)
                runs.append((time.perf_counter() - start) * 1000)
            cold.append(min(runs))
            runs = []
            for _ in range(3):
                start = time.perf_counter()
                function(item)
                runs.append((time.perf_counter() - start) * 1000)
            warm.append(min(runs))
        for state, samples in (("cold", cold), ("warm", warm)):
            print(
                f"| {label}, {state} | {len(samples)} | "
                f"{statistics.median(samples):.3f} | {percentile(samples, 0.99):.3f} |"
            )


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
    process_table = process_times()  # first, while this process is small: forking a large one slows every child down
    rng = random.Random(2025)
    knowledge = load(ROOT / "knowledge")
    assistant = Assistant(knowledge)
    normalisers = dict(assistant.matcher.normalisers)
    cases = [case for path in (TUNE, CHECK, LONG) for case in load_cases(path)]
    cold_and_warm(assistant, [(case.question, case.lang) for case in cases])
    print()
    shipped_queries = [case.question for case in cases] * 3
    print(
        "| knowledge base | phrasings | ours median ms | ours p99 ms "
        "| baseline median ms | baseline p99 ms | speed-up (medians) | build ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    entries = len(knowledge.entries)
    compare(f"shipped ({entries} entries, en+nl+fr)", assistant.matcher.phrasings, shipped_queries, normalisers)
    for entries in (100, 1000) if args.quick else (100, 1000, 5000):
        phrasings, queries = synthetic(entries, rng)
        compare(f"synthetic {entries:,} x 5", phrasings, queries, {"en": normalisers["en"]})
    print(process_table)


def process_run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, capture_output=True, check=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def process_times(runs: int = 9) -> str:
    """The table of the whole ``python -m bot ask`` process time: cache hit, miss and off, beside a bare interpreter."""
    ask = [sys.executable, "-m", "bot", "ask", "when is it?"]
    with tempfile.TemporaryDirectory() as folder:
        warm = {**os.environ, "BOT_CACHE_DIR": str(Path(folder) / "warm")}
        process_run(ask, warm)  # fills the cache, as the first run after an edit does
        bare = [sys.executable, "-c", "pass"]
        cases: list[tuple[str, list[str], Callable[[int], dict[str, str]]]] = [
            ("bare interpreter (`python -c pass`), the baseline", bare, lambda _: dict(os.environ)),
            ("`ask`, knowledge cache hit (every run after the first)", ask, lambda _: warm),
            (
                "`ask`, cache miss (the first run after an edit)",
                ask,
                lambda n: {**os.environ, "BOT_CACHE_DIR": f"{folder}/miss{n}"},
            ),
            ("`ask`, cache off (`BOT_CACHE_DIR=off`)", ask, lambda _: {**os.environ, "BOT_CACHE_DIR": "off"}),
        ]
        samples: dict[str, tuple[list[float], list[float]]] = {label: ([], []) for label, _, _ in cases}
        for number in range(runs):  # interleaved, so that a burst of load colours every case alike
            for label, command, env in cases:
                wall, cpu = process_run(command, env(number))
                samples[label][0].append(wall)
                samples[label][1].append(cpu)
    base = statistics.median(samples[cases[0][0]][0])
    lines = [
        '\n| `python -m bot ask "when is it?"`, whole process '
        "| runs | median s wall | median s CPU | minus bare interpreter, s |",
        "|---|---:|---:|---:|---:|",
    ]
    for label, (walls, cpus) in samples.items():
        wall = statistics.median(walls)
        extra = "" if label == cases[0][0] else f"{wall - base:.3f}"
        lines.append(f"| {label} | {len(walls)} | {wall:.3f} | {statistics.median(cpus):.3f} | {extra} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
