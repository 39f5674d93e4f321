"""Publish the next edition on a copy of the shipped knowledge as an organiser would: the command, then the facts.

The announcement (tests/fixtures/new_edition/announcement.txt) is written for the test: another year, city,
speaker and argument. Its year is moved to the year after the shipped edition, so the run keeps working
once the shipped knowledge itself moves on.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import yaml

from bot.__main__ import main
from bot.knowledge import load
from bot.new_edition import _yaml
from tests.conftest import FIXTURES, SHIPPED

HERE = FIXTURES / "new_edition"
WRITTEN_FOR = "2026"  # the year the test announcement names


def new_year() -> str:
    """The edition the test publishes: the year after the shipped edition's."""
    return str(load(SHIPPED).event.date.year + 1)


def announcement(folder: Path) -> Path:
    """The test announcement, moved to ``new_year()``, written into ``folder``."""
    path = folder / "announcement.txt"
    path.write_text(
        (HERE / "announcement.txt").read_text(encoding="utf-8").replace(WRITTEN_FOR, new_year()), encoding="utf-8"
    )
    return path


def fill_facts(event_file: Path, values: dict[str, object]) -> None:
    """Write fact values into ``event.yaml`` as an organiser does (comments and order kept)."""
    yaml_rt = _yaml()
    document = yaml_rt.load(event_file.read_text(encoding="utf-8"))
    for name, value in values.items():
        document["facts"][name] = value
    with event_file.open("w", encoding="utf-8") as out:
        yaml_rt.dump(document, out)


def publish(target: Path) -> tuple[Path, str]:
    """Copy the shipped knowledge to ``target``, run ``new-edition``, fill the facts; the folder and command output."""
    shutil.copytree(SHIPPED, target)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        status = main(["new-edition", str(announcement(target.parent)), "--kb", str(target)])
    assert status == 0, printed.getvalue()
    fill_facts(target / "event.yaml", yaml.safe_load((HERE / "facts.yaml").read_text(encoding="utf-8")))
    # the article's questions travel with it
    shutil.copytree(HERE / "quality", target / "editions" / new_year() / "quality")
    return target, printed.getvalue()
