"""Fixtures for end-to-end tests through the real Application."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.e2e.harness import Harness, running_bot


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Harness]:
    """A running bot before the event, no admins, no organiser chat."""
    async with running_bot(tmp_path / "data") as harness:
        yield harness
