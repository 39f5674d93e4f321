"""The command line, end to end in subprocesses: ``ask``, ``check`` and ``chat`` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from bot.knowledge import load
from tests.conftest import KNOWLEDGE, ROOT


def run_bot(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m bot ARGS`` from the project root and capture its output."""
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=60, env=env, check=False
    )


def test_ask_json_answers_in_the_past_tense_after_the_event() -> None:
    """The issue's acceptance example: asked in 2026, the answer says the event took place."""
    result = run_bot("ask", "--json", "--now", "2026-11-27T10:00:00+01:00", "when is science for health?")
    assert result.returncode == 0, result.stderr
    reply = json.loads(result.stdout)
    assert reply["faq_id"] == "date"
    assert "took place on Tuesday 4 November 2025" in reply["answer"]
    assert set(reply) >= {"question", "answer", "faq_id", "score", "suggestions", "lang"}


def test_ask_reads_every_stdin_line_and_prints_one_json_object_each() -> None:
    """Without a question argument, each input line gets exactly one JSON line, in order."""
    questions = ["venue?", "qwerty uiop", "", "money", "wanneer is het"]
    result = run_bot("ask", "--json", "--lang", "nl", "--now", "2025-10-20T10:00:00+02:00", stdin="\n".join(questions) + "\n")
    assert result.returncode == 0, result.stderr
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["question"] for r in replies] == questions
    assert [r["faq_id"] for r in replies] == ["venue", None, None, None, "date"]
    assert replies[3]["suggestions"][0] == {"faq_id": "capital_solutions", "question": "Hoe dichten we de financieringskloof?"}
    assert all(r["lang"] == "nl" for r in replies)
    assert "over 15 dagen" in replies[4]["answer"]


def test_ask_plain_text_prints_the_answer_and_numbered_suggestions() -> None:
    """Without --json the answer text is printed, with numbered "did you mean" choices."""
    result = run_bot("ask", "--now", "2025-10-20T10:00:00+02:00", "money")
    assert result.stdout.splitlines() == [
        "I'm not sure I understood. Did you mean:",
        "  1. How can the funding gap be closed?",
        "  2. What is Belgium's biggest problem?",
    ]


def test_ask_rejects_a_naive_now_with_a_clear_message() -> None:
    """--now without a UTC offset is refused with one line, not a traceback."""
    result = run_bot("ask", "--now", "2025-10-20T10:00", "when")
    assert result.returncode != 0
    assert "add a UTC offset" in result.stderr
    assert "Traceback" not in result.stderr


def test_ask_does_not_import_the_telegram_stack() -> None:
    """``ask`` stays fast: answering a question never imports telegram or httpx."""
    code = (
        "import runpy, sys\n"
        "sys.argv = ['bot', 'ask', 'when']\n"
        "try:\n    runpy.run_module('bot', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('telegram', 'httpx')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60, check=False)  # noqa: S603
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr


def test_check_summarises_the_shipped_knowledge() -> None:
    """``check`` prints a one-line summary and exits 0 on the shipped knowledge base."""
    result = run_bot("check")
    assert result.returncode == 0
    assert result.stdout.startswith(f"OK: {len(load(KNOWLEDGE).entries)} entries, ")
    assert "languages en, nl, fr, 3 reminders" in result.stdout


def test_check_lists_every_problem_and_exits_1(kb_dir: Path, edit: Callable[[str, str, str], None]) -> None:
    """On a broken knowledge base ``check`` prints every located error and exits 1, without a traceback."""
    edit("faq.yaml", "- id: price\n", "- id: theme\n")
    edit("event.yaml", "date: 2025-11-04", "date: 2025-13-04")
    result = run_bot("check", "--kb", str(kb_dir))
    assert result.returncode == 1
    assert "knowledge/event.yaml:12: 'event.date' must be a date like 2025-11-04" in result.stderr
    assert "Traceback" not in result.stderr


def test_chat_converses_offers_numbered_choices_and_exits_on_eof() -> None:
    """``chat`` greets, answers, lets the user pick a suggestion by number, and says goodbye on Ctrl-D."""
    result = run_bot("chat", "--now", "2025-10-20T10:00:00+02:00", stdin="where is it?\nmoney\n2\n")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert out.startswith("Science for Health 2025 assistant. Ask a question; Ctrl-D to quit.\n")
    assert "Topics I can help with: Date, Venue, Theme, Registration, Keynote, Funding gap" in out
    assert "takes place in Brussels (Belgium)" in out
    assert "  2. What is Belgium's biggest problem?" in out
    assert "“If I had a magic wand and could fix one thing about Europe" in out
    assert out.rstrip().endswith("Goodbye!")


def test_check_warns_but_passes_when_a_translation_is_missing(kb_dir: Path, edit: Callable[[str, str, str], None]) -> None:
    """A missing French translation is a warning (the bot falls back to English), not a failure."""
    edit("faq.yaml", "    fr:\n    - qu'est-ce que le VIB\n    - qui dirige le vib\n", "")
    result = run_bot("check", "--kb", str(kb_dir))
    assert result.returncode == 0
    assert "warning: knowledge/faq.yaml:" in result.stdout
    assert "entry 'vib': no 'fr' phrasings or answer; English is used instead" in result.stdout
    assert result.stdout.splitlines()[-1].startswith(f"OK: {len(load(kb_dir).entries)} entries")
