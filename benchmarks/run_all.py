"""Regenerate every benchmark figure in the documentation in one run.

    python benchmarks/run_all.py                 # print the tables
    python benchmarks/run_all.py --write-readme  # and replace them where the docs show them
    python benchmarks/run_all.py --only bot --write-readme  # one benchmark's table alone

Runs each benchmark script as its own process (so one's caches and threads never
colour another's figures), in a fixed order, and prints their Markdown output under
one header naming the machine. With ``--write-readme`` each output replaces the
text between ``<!-- bench:NAME -->`` and ``<!-- /bench:NAME -->`` in whichever of
README.md and docs/*.md holds that block (today docs/developers.md, "Benchmarks"),
so every figure there comes from the same run, wherever the tables move. The machine is often shared: the
scripts report medians, and ratios against a baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"

# (marker name, script, arguments): the order the README shows them in.
BENCHMARKS = [
    ("matcher", "bench_matcher.py", []),
    ("decision", "bench_decision.py", []),
    ("bot", "bench_bot.py", ["--updates", "2000"]),
    ("broadcast", "bench_broadcast.py", []),
    ("grouping", "bench_grouping.py", []),
]


def run(script: str, arguments: list[str]) -> str:
    """The Markdown a benchmark script prints (it fails loudly if the script does)."""
    command = [sys.executable, str(ROOT / "benchmarks" / script), *arguments]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{script} failed ({result.returncode}):\n{result.stderr}")
    seconds = time.perf_counter() - started
    print(f"[{script} took {seconds:.0f} s]", file=sys.stderr)
    return result.stdout.strip()


def machine() -> str:
    """One line saying when and where the figures were measured."""
    today = datetime.now(UTC).date().isoformat()
    return f"{today}, {os.cpu_count()} CPU(s), {platform.machine()}, Python {platform.python_version()}"


def _fill(block: str, match: re.Match[str]) -> str:
    """A marked README block with ``block`` between its markers."""
    return match.group(1) + block + match.group(2)


def documents() -> list[Path]:
    """The files that may hold marked benchmark blocks: README.md and every docs/*.md."""
    return [README, *sorted(DOCS.glob("*.md"))]


def write_blocks(outputs: dict[str, str], files: list[Path]) -> list[str]:
    """Replace each marked block, in whichever of ``files`` holds it, with its fresh output; the names found nowhere."""
    texts = {path: path.read_text(encoding="utf-8") for path in files}
    missing = []
    for name, output in outputs.items():
        pattern = re.compile(rf"(<!-- bench:{name} -->\n).*?(\n<!-- /bench:{name} -->)", re.DOTALL)
        holders = [path for path, text in texts.items() if pattern.search(text)]
        if not holders:
            missing.append(name)
        for path in holders:
            texts[path] = pattern.sub(partial(_fill, output), texts[path])
    for path, text in texts.items():
        if text != path.read_text(encoding="utf-8"):
            path.write_text(text, encoding="utf-8")
    return missing


def write_readme(outputs: dict[str, str], header: str) -> None:
    """Replace each marked block in README.md and docs/*.md with its fresh output."""
    for name in write_blocks({"machine": header, **outputs}, documents()):
        print(f"no <!-- bench:{name} --> block in README.md or docs/*.md: printed only", file=sys.stderr)


def main() -> None:
    """Run every benchmark; print (and optionally write into the README) their tables."""
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--write-readme", action="store_true", help="replace the figures where README.md or docs/*.md show them"
    )
    names = [name for name, _, _ in BENCHMARKS]
    parser.add_argument("--only", nargs="+", choices=names, help="run these alone; each table then names its own run")
    args = parser.parse_args()
    chosen = [(name, script, arguments) for name, script, arguments in BENCHMARKS if not args.only or name in args.only]
    header = f"Measured with `python benchmarks/run_all.py --write-readme` on {machine()}."
    outputs = {name: run(script, arguments) for name, script, arguments in chosen}
    if args.only:  # the machine line speaks for the full run: these tables say when and where they were measured
        mark = (
            f"Measured with `python benchmarks/run_all.py --only {' '.join(args.only)} --write-readme` on {machine()}."
        )
        outputs = {name: f"{output}\n\n{mark}" for name, output in outputs.items()}
    print(header)
    for name, output in outputs.items():
        print(f"\n## {name}\n\n{output}")
    if args.write_readme and args.only:
        write_blocks(outputs, documents())
    elif args.write_readme:
        write_readme(outputs, header)


if __name__ == "__main__":
    main()
