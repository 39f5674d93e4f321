"""An organiser's common YAML mistakes, reported by /reload in plain words at the line to change."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeError, load
from tests.e2e.harness import running_bot

ADMIN = 42
REJECTED = "The knowledge edit was rejected; I keep answering with the last good version. Problems:\n"


def first(lines: list[str], pattern: str) -> int:
    """The index of the first line matching ``pattern``."""
    return next(i for i, line in enumerate(lines) if re.match(pattern, line))


def _dedent_item(lines: list[str]) -> int:
    index = first(lines, r"^    - \w") + 1  # the second phrasing of an entry, dedented
    lines[index] = lines[index][2:]
    return index


def _five_spaces(lines: list[str]) -> int:
    index = first(lines, r"^  title: ")
    lines[index] = "   " + lines[index]
    return index


def _unclosed_quote(lines: list[str]) -> int:
    index = first(lines, r'^ +\w+: ".*"$')
    lines[index] = lines[index][:-1]
    return index


def _unopened_quote(lines: list[str]) -> int:
    index = first(lines, r'^ +\w+: ".*"$')
    lines[index] = lines[index].replace(': "', ": ", 1)
    return index


def _colon_in_text(lines: list[str]) -> int:
    index = first(lines, r'^ +\w+: ".*"$')
    key, _, value = lines[index].partition(': "')
    lines[index] = f"{key}: Note: {value[:-1]}"
    return index


def _colon_in_item(lines: list[str]) -> int:
    index = first(lines, r"^    - \w")
    lines[index] = lines[index].replace("- ", "- Note: ", 1)
    return index


def _tab(lines: list[str]) -> int:
    index = first(lines, r"^    - \w")
    lines[index] = "\t" + lines[index].lstrip()
    return index


def _duplicate_key(lines: list[str]) -> int:
    index = first(lines, r"^  title: ")
    lines.insert(index + 1, lines[index])
    return index + 1


MISTAKES: dict[str, tuple[Callable[[list[str]], int], str]] = {
    "dedented list item": (
        _dedent_item,
        "this list item is indented by 2 spaces but the items above by 4: indent it by 4 spaces, like them",
    ),
    "five-space key": (
        _five_spaces,
        "'title' is indented by 5 spaces, which lines up with nothing above: "
        "indent it by 2 spaces, like the keys around it",
    ),
    "missing closing quote": (
        _unclosed_quote,
        'the text opens a double quote (") but never closes it: add " at the end of the text',
    ),
    "missing opening quote": (
        _unopened_quote,
        'the text ends with a double quote (") but does not start with one: add " right after the colon',
    ),
    "colon in unquoted text": (
        _colon_in_text,
        'contains ": ", which YAML cannot read: put the whole text in double quotes, like',
    ),
    "colon in a list item": (
        _colon_in_item,
        'the text contains ": ", which YAML reads as a key and a value: put the whole text in double quotes',
    ),
    "tab": (_tab, "this line is indented with a tab; indent with spaces only (YAML does not allow tabs)"),
    "duplicate key": (_duplicate_key, "is defined twice (first on line"),
}  # fmt: skip


def broken(kb_dir: Path, mistake: str) -> tuple[str, int, str]:
    """Make ``mistake`` in a copy of faq.yaml; returns the original text, the 1-based changed line, expected words."""
    path = kb_dir / "faq.yaml"
    original = path.read_text(encoding="utf-8")
    lines = original.splitlines()
    make, words = MISTAKES[mistake]
    index = make(lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return original, index + 1, words


@pytest.mark.parametrize("mistake", MISTAKES)
def test_each_mistake_is_explained_at_its_line(kb_dir: Path, mistake: str) -> None:
    """``load`` (and so ``check``) names the line that was changed and says what to do, in plain words."""
    _, line, words = broken(kb_dir, mistake)
    with pytest.raises(KnowledgeError) as caught:
        load(kb_dir)
    problems = [str(p) for p in caught.value.problems]
    assert any(p.startswith(f"{kb_dir / 'faq.yaml'}:{line}: ") and words in p for p in problems), problems
    assert not any("while parsing" in p or "mapping values" in p or "must be text" in p for p in problems), problems


async def test_reload_reports_each_mistake_to_the_organiser(tmp_path: Path, kb_dir: Path) -> None:
    """Through the running bot: /reload gives each mistake's plain message at the changed line."""
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir, admin_ids=frozenset({ADMIN})) as bot:
        admin = bot.api.user(ADMIN)
        for mistake in MISTAKES:
            original, line, words = broken(kb_dir, mistake)
            reply = await bot.api.ask("/reload", admin)
            assert reply.text.startswith(f"{REJECTED}{kb_dir / 'faq.yaml'}:{line}: "), (mistake, reply.text)
            assert words in reply.text.replace("&quot;", '"'), (mistake, reply.text)
            (kb_dir / "faq.yaml").write_text(original, encoding="utf-8")
