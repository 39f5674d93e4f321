"""The whole behaviour suite also passes on another edition's knowledge (tests/fixtures/edition_b).

That fixture has another year, date, city (in three languages) and keynote, an entry
renamed, one removed and one answer without its Dutch translation: if any behaviour
depended on the 2025 content, or any code named an entry or a fact, this run would fail.
The suite runs in a child pytest (``TEST_EDITION=edition_b``) because the fixture edition
is read once, when ``tests/conftest.py`` is imported.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

from tests.conftest import ROOT


def test_the_behaviour_suite_passes_on_another_edition() -> None:
    """Every behaviour test (all but the shipped-content ones and this one) passes on edition_b."""
    # Not measured for coverage: the run above covers the same code, and tracing a second suite costs CI minutes.
    untraced = {k: v for k, v in os.environ.items() if k not in ("COVERAGE_PROCESS_START", "COVERAGE_PROCESS_CONFIG")}
    env = {**untraced, "TEST_EDITION": "edition_b"}
    here = "tests/test_other_edition.py"
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        f"--ignore={here}",
        "--ignore-glob=tests/test_shipped_*",
    ]
    result = subprocess.run(  # noqa: S603
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1500, check=False
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    summary = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"=* ?\d+ passed in .*", summary), summary  # nothing failed, skipped or errored
