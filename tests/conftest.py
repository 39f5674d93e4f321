"""Shared fixtures: the shipped knowledge base, an assistant over it, and editable copies."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from bot.assistant import Assistant
from bot.knowledge import Knowledge, load

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
BEFORE = datetime.fromisoformat("2025-10-20T10:00:00+02:00")
EVENT_DAY = datetime.fromisoformat("2025-11-04T09:30:00+01:00")
AFTER = datetime.fromisoformat("2026-11-27T10:00:00+01:00")


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    """The shipped knowledge base, loaded once."""
    return load(KNOWLEDGE)


@pytest.fixture(scope="session")
def assistant(knowledge: Knowledge) -> Assistant:
    """An assistant over the shipped knowledge base."""
    return Assistant(knowledge)


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    """A private copy of the shipped knowledge folder that a test may edit."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    return target


@pytest.fixture
def edit(kb_dir: Path) -> Callable[[str, str, str], None]:
    """Replace one exact snippet in a file of the copied knowledge base."""

    def replace(file: str, old: str, new: str) -> None:
        path = kb_dir / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {file}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return replace
