"""Knowledge files of odd size or shape: a file:line refusal at start-up, in ``check``, on reload; no crash or wait."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.knowledge import KnowledgeError, load
from bot.knowledge.reading import MAX_DEPTH
from bot.knowledge.safe_read import MAX_FILE_BYTES
from bot.telegram_app.live_reload import RELOAD_JOB
from tests.conftest import ROOT, SHIPPED, line_of
from tests.e2e.harness import running_bot
from tests.e2e.test_process import bot_env, start_bot

ADMIN = 42
DEEP = 990  # the depth that crashed the loader with RecursionError


def nest_deeply(kb_dir: Path, depth: int = DEEP) -> int:
    """Append an entry whose answer is a list nested ``depth`` levels deep to faq.yaml; the line where it starts."""
    faq = kb_dir / "faq.yaml"
    text = faq.read_text(encoding="utf-8").rstrip("\n") + "\n"
    faq.write_text(
        text
        + "- id: deep\n  title: {en: Deep}\n  questions: {en: [deep]}\n  answer: "
        + "[" * depth
        + "]" * depth
        + "\n"
    )
    return line_of(faq, "  answer: [[[")


def check(kb_dir: Path, *, pure: bool = False, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``python -m bot check --kb kb_dir`` in a separate process; with ``pure``, PyYAML's libyaml is hidden."""
    if pure:  # as on a machine where PyYAML was built without libyaml
        command = [
            "-c",
            "import runpy, sys; sys.modules['yaml._yaml'] = None; sys.argv[0] = 'bot'; "
            "runpy.run_module('bot', run_name='__main__')",
        ]
    else:
        command = ["-m", "bot"]
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, *command, "check", "--kb", str(kb_dir)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        check=False,
        env={**os.environ, "BOT_CACHE_DIR": "off"},
    )


def test_shipped_knowledge_checks_without_libyaml() -> None:
    """The shipped knowledge passes ``bot check`` with PyYAML's pure-Python parser (no libyaml), as with the C one."""
    result = check(SHIPPED, pure=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_the_pure_parser_reads_a_question_mark_in_a_flow_mapping_as_libyaml_does(kb_dir: Path) -> None:
    """A title written ``{en: What is an ATMP?, nl: ...}`` loads the same without libyaml: no error, same text."""
    faq = kb_dir / "faq.yaml"
    faq.write_text(
        faq.read_text(encoding="utf-8").rstrip("\n")
        + "\n- id: atmp-x\n  title: {en: Is it an ATMP?, nl: Is het een ATMP?}\n"
        "  questions: {en: [is it an atmp x]}\n  answer: {en: Yes.}\n",
        encoding="utf-8",
    )
    assert load(kb_dir).by_id["atmp-x"].title["en"] == "Is it an ATMP?"
    result = check(kb_dir, pure=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_deep_nesting_is_one_problem_at_its_line(kb_dir: Path) -> None:
    """YAML nested past the limit is refused with file:line and the limit, not a RecursionError."""
    line = nest_deeply(kb_dir)
    with pytest.raises(KnowledgeError) as caught:
        load(kb_dir)
    assert [str(p) for p in caught.value.problems] == [
        f"{kb_dir / 'faq.yaml'}:{line}: nested more than {MAX_DEPTH} levels deep: "
        "knowledge files need a handful of levels, flatten it"
    ]


@pytest.mark.parametrize("pure", [False, True], ids=["libyaml", "pure-python"])
def test_check_reports_deep_nesting_without_a_traceback(kb_dir: Path, pure: bool) -> None:
    """``bot check`` on a 990-level nesting prints the file:line problem and exits 1, with either parser."""
    line = nest_deeply(kb_dir)
    result = check(kb_dir, pure=pure)
    assert result.returncode == 1
    assert f"{kb_dir / 'faq.yaml'}:{line}: nested more than {MAX_DEPTH} levels deep" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "RecursionError" not in result.stdout + result.stderr


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(kb_dir: Path) -> None:
    """A faq.yaml over the limit is one problem stating its size and the limit."""
    faq = kb_dir / "faq.yaml"
    text = faq.read_text(encoding="utf-8")
    padded = text + "#" * (MAX_FILE_BYTES - len(text.encode()) + 1) + "\n"
    faq.write_text(padded, encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load(kb_dir)
    size = len(padded.encode())
    assert [str(p) for p in caught.value.problems] == [
        f"{faq}:1: is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,} bytes per knowledge file: keep it smaller"
    ]


def test_check_never_waits_on_a_fifo_in_place_of_faq_yaml(kb_dir: Path) -> None:
    """A named pipe where faq.yaml should be is reported at once (nobody ever writes to it)."""
    (kb_dir / "faq.yaml").unlink()
    os.mkfifo(kb_dir / "faq.yaml")
    result = check(kb_dir, timeout=20)
    assert result.returncode == 1
    assert f"{kb_dir / 'faq.yaml'}:1: is not a regular file" in result.stdout + result.stderr


async def test_start_up_with_deep_nesting_is_one_clear_line(tmp_path: Path, kb_dir: Path) -> None:
    """``python -m bot run`` on a 990-level nesting exits 1 with the file:line problem as last line, no traceback."""
    line = nest_deeply(kb_dir)
    process = await start_bot(bot_env("http://127.0.0.1:9", tmp_path / "data", KNOWLEDGE_DIR=str(kb_dir)))
    assert await process.wait() == 1
    last = process.stderr.strip().splitlines()[-1]
    assert last.startswith(
        f"error: the knowledge base in {kb_dir} has 1 problem(s), the first: {kb_dir / 'faq.yaml'}:{line}: nested more"
    )
    assert "Traceback" not in process.stderr


@pytest.mark.parametrize("shape", ["deep", "fifo", "huge"])
async def test_a_bad_file_on_reload_is_told_to_admins_once_and_answers_go_on(
    tmp_path: Path, kb_dir: Path, shape: str
) -> None:
    """The watcher meets a deep, piped or huge faq.yaml: admins get the problem once; questions are answered at once."""
    faq = kb_dir / "faq.yaml"
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir, admin_ids=frozenset({ADMIN})) as bot:
        bot.api.user(ADMIN)
        before = (await bot.api.ask("where is it?")).text
        if shape == "deep":
            nest_deeply(kb_dir)
        elif shape == "fifo":
            faq.unlink()
            os.mkfifo(faq)
        else:
            faq.write_text(faq.read_text(encoding="utf-8") + "#" * MAX_FILE_BYTES, encoding="utf-8")
        assert bot.app.job_queue is not None
        (watch,) = bot.app.job_queue.get_jobs_by_name(RELOAD_JOB)
        for _ in range(4):  # the change settles over two polls, then stays the same: one report only
            await asyncio.wait_for(watch.run(bot.app), 10)
        told = bot.api.sent(chat_id=ADMIN)
        assert len(told) == 1, [c.text for c in told]
        expected = {"deep": "nested more than", "fifo": "is not a regular file", "huge": "over the limit of"}[shape]
        assert told[0].text.startswith(
            "The knowledge edit was rejected; I keep answering with the last good version. Problems:\n"
        )
        assert f"{faq}:" in told[0].text
        assert expected in told[0].text
        assert (await asyncio.wait_for(bot.api.ask("where is it?"), 5)).text == before  # the last good version answers
