"""What the learned second opinion costs: training, answering, starting ``ask``, memory.

    python benchmarks/bench_decision.py

Prints one Markdown table (medians; p99 for per-question latencies), on the shipped knowledge:
training the decision model (each run a fresh training, no cache), ranking one question with it,
a whole answer with and without it (the regression-set questions, warm), ``python -m bot ask`` with
the knowledge cache hit for a clear question (no model needed) and an unsure one (the model is
unpacked), and the peak memory of a process that built the live knowledge, beside one without the
model. Targets (issue 18): training <= 2 s, whole answer p99 <= 1 ms warm, ``ask`` <= 0.3 s, RSS <= 150 MB.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.assistant import Assistant, training_examples
from bot.decision import train
from bot.knowledge import LANGS, load
from bot.text import Normaliser
from tests.quality.cases import CHECK, LONG, TUNE, load_cases

NOW = datetime.fromisoformat("2025-10-20T10:00:00+02:00")
RUNS = 5


def percentile(samples: list[float], share: float) -> float:
    """The ``share`` percentile of ``samples`` (nearest rank)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def process_seconds(question: str, cache: str) -> float:
    """Median wall time of ``python -m bot ask QUESTION`` with the knowledge cache in ``cache`` (filled first)."""
    env = {**os.environ, "BOT_CACHE_DIR": cache, "KNOWLEDGE_DIR": str(ROOT / "knowledge")}
    command = [sys.executable, "-m", "bot", "ask", question]
    subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=True)
    times = []
    for _ in range(9):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def decided(assistant: Assistant, question: str, lang: str) -> None:
    """Answer ``question`` with nothing decided before (the decisions kept are forgotten first)."""
    assistant.forget_decisions()
    assistant.answer(question, lang, NOW)  # type: ignore[arg-type]


def peak_megabytes(learned: bool) -> float:
    """Peak RSS (MB, VmHWM: ru_maxrss would carry this process's peak across exec) after building and one answer."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from datetime import datetime\n"
        "from bot.knowledge import load\n"
        "from bot.assistant import Assistant\n"
        f"assistant = Assistant(load(Path({str(ROOT / 'knowledge')!r})), learned={learned})\n"
        "assistant.answer('how do i get myself a seat', 'en', datetime.fromisoformat('2025-10-20T10:00:00+02:00'))\n"
        "hwm = next(line for line in open('/proc/self/status') if line.startswith('VmHWM:'))\n"
        "print(int(hwm.split()[1]) / 1024)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(result.stdout.strip())


def main() -> None:
    """Print the table."""
    knowledge = load(ROOT / "knowledge")
    examples = training_examples(knowledge)
    normalisers: dict[str, Normaliser] = {
        lang: Normaliser.build(v.synonyms, v.stopwords, v.neutral) for lang, v in knowledge.vocabulary.items()
    }
    trainings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        model = train(examples, normalisers)
        trainings.append(time.perf_counter() - started)
    questions = [(c.lang, c.question) for path in (TUNE, CHECK, LONG) for c in load_cases(path) if c.lang in LANGS]
    with_model, without = Assistant(knowledge), Assistant(knowledge, learned=False)
    rows: list[tuple[str, int, float, float]] = []
    for label, timed in (
        ("decision model, rank one question", lambda lang, q: model.rank(q)),
        # the deciding is measured, not the look-up of a question decided before (forgetting costs nothing)
        ("whole answer with the second opinion", lambda lang, q: decided(with_model, q, lang)),
        ("whole answer, matcher alone", lambda lang, q: decided(without, q, lang)),
    ):
        for lang, question in questions:  # warm up
            timed(lang, question)
        samples = []
        for lang, question in questions:
            started = time.perf_counter()
            timed(lang, question)
            samples.append((time.perf_counter() - started) * 1000)
        rows.append((label, len(samples), statistics.median(samples), percentile(samples, 0.99)))
    print("| shipped knowledge base | runs or questions | median | p99 |")
    print("|---|---:|---:|---:|")
    print(
        f"| training the decision model ({len(examples)} questions, {len(model.labels)} classes), s | {RUNS} "
        f"| {statistics.median(trainings):.2f} | {max(trainings):.2f} (max) |"
    )
    for label, count, median, p99 in rows:
        print(f"| {label}, warm, ms | {count} | {median:.3f} | {p99:.3f} |")
    with tempfile.TemporaryDirectory() as cache:
        clear = process_seconds("when is it?", cache)
        unsure = process_seconds("how do i get myself a seat", cache)
    print(f'| `python -m bot ask "when is it?"`, cache hit (no model needed), s | 9 | {clear:.3f} | |')
    print(f'| `python -m bot ask "how do i get myself a seat"`, cache hit (model unpacked), s | 9 | {unsure:.3f} | |')
    print(f"| peak RSS, assistant with the model, MB | 1 | {peak_megabytes(True):.0f} | |")
    print(f"| peak RSS, matcher alone, MB | 1 | {peak_megabytes(False):.0f} | |")


if __name__ == "__main__":
    main()
