"""Shared fixtures: the knowledge base the behaviour tests run on, an assistant over it, editable copies.

Behaviour tests never run on the shipped ``knowledge/`` folder: they load a fixture
edition under ``tests/fixtures/`` (``TEST_EDITION``, by default ``edition_2025``, a
copy of the 2025 content) and read the facts they expect from it. The whole suite also
runs on ``edition_b`` (another year, date, city and keynote, an entry renamed, one
removed, a translation missing): see ``tests/test_other_edition.py``. Tests about the
shipped content itself are named ``test_shipped_*``.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from collections.abc import Callable, Iterator
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import settings

from bot.assistant import Assistant
from bot.knowledge import Knowledge, Lang, Variants, load
from bot.render import Renderer
from bot.schedule import format_moment

# As build_application does for the bot: durations such as RetryAfter.retry_after are timedelta. Set for
# the whole test process, since some tests drive parts of the Telegram layer (the rate limiter) without
# an Application; PTB reads it when a duration is read, never at import.
os.environ.setdefault("PTB_TIMEDELTA", "1")

# In CI (CI=true) Hypothesis runs the same examples every time, so a red build is reproducible, never luck.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "default")

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "knowledge"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EDITION = os.environ.get("TEST_EDITION", "edition_2025")
KNOWLEDGE = FIXTURES / EDITION
KB = load(KNOWLEDGE)
_EVENT = KB.event
# Moments relative to the fixture's event day, in the event's timezone.
BEFORE = datetime.combine(_EVENT.date - timedelta(days=15), time(10, 0), tzinfo=_EVENT.tz)
EVENT_DAY = datetime.combine(_EVENT.date, time(9, 30), tzinfo=_EVENT.tz)
AFTER = datetime.combine(_EVENT.date + timedelta(days=388), time(10, 0), tzinfo=_EVENT.tz)


def fill(template: str, lang: Lang = "en", now: datetime = BEFORE, knowledge: Knowledge = KB) -> str:
    """``template`` with the fixture's facts for its ``{placeholders}``, as a ``lang`` reader sees them at ``now``."""
    return Renderer(knowledge, lang, now).text(Variants(text=template))


def shown(template: str, lang: Lang = "en", now: datetime = BEFORE) -> str:
    """Like ``fill``, HTML-escaped as the bot sends it to Telegram."""
    return html.escape(fill(template, lang, now), quote=False)


def moment(at: datetime, lang: Lang = "en") -> str:
    """``at`` as the bot writes a reminder's time in ``lang`` (the locale's datetime_format, event-local)."""
    return format_moment(at, Renderer(KB, lang, BEFORE).ui("datetime_format"), lang, KB)


def entry_for(command: str, knowledge: Knowledge = KB) -> str:
    """The id of the entry that ``/command`` opens in the fixture (ids may differ between editions)."""
    return knowledge.by_command[command].id


def at_day(days: int, hour: int, minute: int = 0, knowledge: Knowledge = KB) -> datetime:
    """An aware moment ``days`` after the fixture's event day, at a local time of the event's timezone."""
    event = knowledge.event
    return datetime.combine(event.date + timedelta(days=days), time(hour, minute), tzinfo=event.tz)


def line_of(path: Path, prefix: str) -> int:
    """The 1-based number of the first line of ``path`` that starts with ``prefix``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, text in enumerate(lines, 1) if text.startswith(prefix))


def move_event(directory: Path, day: str) -> None:
    """Set the event date in a knowledge copy (for tests about a particular calendar, e.g. a DST change)."""
    event = directory / "event.yaml"
    text = re.sub(r"(?m)^  date: \S+", f"  date: {day}", event.read_text(encoding="utf-8"), count=1)
    event.write_text(re.sub(r"(?ms)^past_editions:.*", "past_editions: []\n", text), encoding="utf-8")


@pytest.fixture(scope="session", autouse=True)
def private_knowledge_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Terminal commands that tests run keep their knowledge cache in a temporary folder, never the user's.

    One folder for all the workers of a run: a model is trained once per content and serves every worker.
    """
    root = tmp_path_factory.getbasetemp()
    folder = (root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root) / "knowledge-cache"
    folder.mkdir(mode=0o700, exist_ok=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BOT_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    """The fixture knowledge base, loaded once."""
    return KB


@pytest.fixture(scope="session")
def assistant(knowledge: Knowledge) -> Assistant:
    """An assistant over the fixture knowledge base."""
    return Assistant(knowledge)


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    """A private copy of the fixture knowledge folder that a test may edit."""
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


@pytest.fixture(scope="session")
def next_edition(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Shipped knowledge after ``new-edition`` on the test announcement, facts filled in; what the command printed."""
    from tests.next_edition import publish

    return publish(tmp_path_factory.mktemp("next-edition") / "knowledge")
