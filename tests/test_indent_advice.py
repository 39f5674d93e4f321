"""Indentation mistakes in the knowledge files: the advice given is the one that fixes the file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeError, load

ADVICE = re.compile(
    r"'(?P<key>[^']+)' is indented by (?P<found>\d+) spaces?, which lines up with nothing above: "
    r"indent it by (?P<wanted>\d+) spaces"
)


@pytest.mark.parametrize(
    ("line", "wrong"),
    [
        # after a nested block: 2 is right
        (
            "  theme: Stronger Regions, Greater Impact",
            "   theme: Stronger Regions, Greater Impact",
        ),
        ("    nl: België", "   nl: België"),  # inside a nested block: 4 is right
        ("  end_date: null", "   end_date: null"),  # among flat keys: 2 is right
    ],
)
def test_following_the_indent_advice_makes_event_yaml_valid(kb_dir: Path, line: str, wrong: str) -> None:
    """A key indented by 3 spaces is reported with the indentation that, once applied, makes the file load."""
    event = kb_dir / "event.yaml"
    text = event.read_text(encoding="utf-8")
    assert f"\n{line}" in text
    event.write_text(text.replace(f"\n{line}", f"\n{wrong}", 1), encoding="utf-8")
    with pytest.raises(KnowledgeError) as raised:
        load(kb_dir)
    advice = ADVICE.search(str(raised.value.problems[0]))
    assert advice is not None, raised.value.problems
    assert (advice["key"], advice["found"]) == (wrong.split(":", maxsplit=1)[0].strip(), "3")
    event.write_text(text.replace(f"\n{line}", f"\n{' ' * int(advice['wanted'])}{line.lstrip()}", 1), encoding="utf-8")
    assert load(kb_dir).event.name
