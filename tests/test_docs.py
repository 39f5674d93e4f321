"""The documentation a newcomer reads: a short README, and links that all lead somewhere."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))  # the benchmark runner is a script beside its siblings, not a package
import run_all

DOCUMENTS = [
    ROOT / "README.md",
    ROOT / "CHANGELOG.md",
    ROOT / "knowledge" / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
]
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")


def markdown_links(text: str) -> list[str]:
    """The targets of the Markdown links in ``text``, outside code blocks and inline code."""
    text = re.sub(r"(?ms)^```.*?^```", "", text)
    text = re.sub(r"`[^`\n]*`", "", text)
    return LINK.findall(text)


def anchors(path: Path) -> set[str]:
    """The #anchors GitHub makes for the headings of a Markdown file."""
    text = re.sub(r"(?ms)^```.*?^```", "", path.read_text(encoding="utf-8"))
    slugs = set()
    for heading in re.findall(r"(?m)^#{1,6} +(.+?) *$", text):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        slugs.add(slug)
    return slugs


def test_the_readme_is_short_enough_for_a_newcomer() -> None:
    """The top README stays at most 150 lines: the rest is in docs/, by reader."""
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 150


def test_the_readme_points_each_reader_to_their_guide_and_sets_up_ids_with_the_id_command() -> None:
    """The README links the organisers', operators' and developers' guides, and its set-up steps use /id."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for guide in ("docs/organisers.md", "docs/operators.md", "docs/developers.md"):
        assert f"]({guide})" in readme
    assert "send `/id`" in readme


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves_to_a_file_and_heading(document: Path) -> None:
    """Each relative link in README, changelog, knowledge/README.md and docs/ names an existing file and heading."""
    broken = []
    for target in markdown_links(document.read_text(encoding="utf-8")):
        if re.match(r"^[a-z]+:", target):  # https:, mailto: ... are not ours to check offline
            continue
        file, _, anchor = target.partition("#")
        path = (document.parent / file).resolve() if file else document
        if not path.exists():
            broken.append(f"{target}: no such file")
        elif anchor and path.suffix == ".md" and anchor not in anchors(path):
            broken.append(f"{target}: no heading #{anchor} in {path.relative_to(ROOT)}")
    assert broken == []


def test_link_checker_catches_a_missing_file_and_a_missing_heading(tmp_path: Path) -> None:
    """The link check can fail: a link to a missing file or heading is found, one in inline code is not a link."""
    (tmp_path / "a.md").write_text("# Title\n\n## The part\n", encoding="utf-8")
    text = "[ok](a.md#the-part) [gone](b.md) [bad](a.md#nowhere) `[code](c.md)`"
    assert markdown_links(text) == ["a.md#the-part", "b.md", "a.md#nowhere"]
    assert anchors(tmp_path / "a.md") == {"title", "the-part"}


def test_every_benchmark_table_has_one_marked_block_in_the_docs() -> None:
    """run_all.py finds a block for the machine line and for each benchmark, exactly once across README.md and docs/."""
    texts = [path.read_text(encoding="utf-8") for path in run_all.documents()]
    for name in ["machine", *(name for name, _, _ in run_all.BENCHMARKS)]:
        assert sum(text.count(f"<!-- bench:{name} -->\n") for text in texts) == 1, name
        assert sum(text.count(f"\n<!-- /bench:{name} -->") for text in texts) == 1, name


def test_run_all_rewrites_a_block_wherever_it_moved(tmp_path: Path) -> None:
    """Fresh figures replace the marked block in whichever file holds it; the text around it and other files stay."""
    readme, guide = tmp_path / "README.md", tmp_path / "guide.md"
    readme.write_text("# Read me\n", encoding="utf-8")
    guide.write_text("before\n<!-- bench:bot -->\n| old |\n<!-- /bench:bot -->\nafter\n", encoding="utf-8")
    missing = run_all.write_blocks({"bot": "| new |", "grouping": "| g |"}, [readme, guide])
    assert missing == ["grouping"]
    assert guide.read_text(encoding="utf-8") == "before\n<!-- bench:bot -->\n| new |\n<!-- /bench:bot -->\nafter\n"
    assert readme.read_text(encoding="utf-8") == "# Read me\n"
