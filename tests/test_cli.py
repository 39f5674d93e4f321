"""The command line, end to end in subprocesses: ``ask``, ``check`` and ``chat`` as a user runs them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, time
from pathlib import Path

from bot.assistant import Assistant
from bot.knowledge import Lang, load
from tests.conftest import AFTER, BEFORE, KB, KNOWLEDGE, ROOT, entry_for, fill, line_of


def run_bot(
    *args: str, stdin: str = "", env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m bot ARGS`` from the project root, on the fixture knowledge unless told otherwise; capture it."""
    env = env or {**os.environ, "KNOWLEDGE_DIR": str(KNOWLEDGE)}
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        env=env,
        check=False,
    )


def test_ask_json_answers_in_the_past_tense_after_the_event() -> None:
    """The issue's acceptance example: asked in 2026, the answer says the event took place."""
    result = run_bot("ask", "--json", "--now", AFTER.isoformat(), "when is science for health?")
    assert result.returncode == 0, result.stderr
    reply = json.loads(result.stdout)
    assert reply["faq_id"] == entry_for("when")
    assert fill("took place on {date}") in reply["answer"]
    assert set(reply) >= {"question", "answer", "faq_id", "score", "suggestions", "lang"}


def test_ask_reads_every_stdin_line_and_prints_one_json_object_each() -> None:
    """Without a question argument, each input line gets exactly one JSON line, in order."""
    questions = ["venue?", "qwerty uiop", "", "money", "wanneer is het"]
    result = run_bot("ask", "--json", "--lang", "nl", "--now", BEFORE.isoformat(), stdin="\n".join(questions) + "\n")
    assert result.returncode == 0, result.stderr
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["question"] for r in replies] == questions
    assert [r["faq_id"] for r in replies] == [entry_for("where"), None, None, None, entry_for("when")]
    assert replies[3]["suggestions"][0] == {
        "faq_id": "capital_solutions",
        "question": "Hoe dichten we de financieringskloof?",
    }
    assert all(r["lang"] == "nl" for r in replies)
    assert "over 15 dagen" in replies[4]["answer"]


def test_ask_plain_text_prints_the_answer_and_numbered_suggestions() -> None:
    """Without --json the answer text is printed, with numbered "did you mean" choices."""
    result = run_bot("ask", "--now", BEFORE.isoformat(), "money")
    expected = Assistant(KB).answer("money", "en", BEFORE)
    assert expected.outcome == "suggest"
    assert result.stdout.splitlines() == [
        "I'm not sure I understood. Did you mean:",
        *(f"  {number}. {choice.question}" for number, choice in enumerate(expected.suggestions, 1)),
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
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60, check=False
    )
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr


def test_check_summarises_the_knowledge() -> None:
    """``check`` prints a one-line summary and exits 0 on a valid knowledge base."""
    result = run_bot("check")
    assert result.returncode == 0
    summary = result.stdout.splitlines()[-1]  # after any warnings (a fixture may lack a translation)
    assert summary.startswith(f"OK: {len(load(KNOWLEDGE).entries)} entries, ")
    assert summary.endswith("languages en, nl, fr, 3 reminders")


def test_check_lists_every_problem_and_exits_1(kb_dir: Path, edit: Callable[[str, str, str], None]) -> None:
    """On a broken knowledge base ``check`` prints every located error and exits 1, without a traceback."""
    edit("faq.yaml", "- id: price\n", "- id: theme\n")
    edit("event.yaml", f"date: {KB.event.date.isoformat()}", "date: 2025-13-04")
    result = run_bot("check", "--kb", str(kb_dir))
    assert result.returncode == 1
    line = line_of(kb_dir / "event.yaml", "  date: 2025-13-04")
    assert f"knowledge/event.yaml:{line}: 'event.date' must be a date like 2025-11-04" in result.stderr
    assert "Traceback" not in result.stderr


def test_chat_converses_offers_numbered_choices_and_exits_on_eof() -> None:
    """``chat`` greets, answers, lets the user pick a suggestion by number, and says goodbye on Ctrl-D."""
    result = run_bot("chat", "--now", BEFORE.isoformat(), stdin="where is it?\nmoney\n2\n")
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert out.startswith(fill("{name} {edition} assistant. Ask a question; Ctrl-D to quit.\n"))
    assert "Topics I can help with: Date, Venue, Theme, Registration, Keynote, Funding gap" in out
    assert fill("takes place in {city} ({country})") in out
    assert "  2. What is Belgium's biggest problem?" in out
    assert "“If I had a magic wand and could fix one thing about Europe" in out
    assert out.rstrip().endswith("Goodbye!")


def test_check_warns_but_passes_when_a_translation_is_missing(
    kb_dir: Path, edit: Callable[[str, str, str], None]
) -> None:
    """A missing French translation is a warning (the bot falls back to English), not a failure."""
    edit("faq.yaml", "    fr:\n    - qu'est-ce que le VIB\n    - qui dirige le vib\n", "")
    result = run_bot("check", "--kb", str(kb_dir))
    assert result.returncode == 0
    assert f"warning: {kb_dir / 'faq.yaml'}:" in result.stdout  # the path as given with --kb
    assert "entry 'vib': no 'fr' phrasings or answer; English is used instead" in result.stdout
    assert result.stdout.splitlines()[-1].startswith(f"OK: {len(load(KNOWLEDGE).entries)} entries")


def test_now_accepts_tomorrow_and_a_bare_date() -> None:
    """``--now tomorrow`` and ``--now <date>`` work; a date means that day at 09:00 event time."""
    knowledge = load(KNOWLEDGE)
    day = knowledge.event.date.isoformat()
    assert run_bot("ask", "--now", "tomorrow", "when is it").returncode == 0
    on_the_day = run_bot("ask", "--now", day, "when is it")
    offset = datetime.combine(knowledge.event.date, time(9), tzinfo=knowledge.event.tz).isoformat()
    assert on_the_day.returncode == 0, on_the_day.stderr
    assert on_the_day.stdout == run_bot("ask", "--now", offset, "when is it").stdout


def test_now_mistakes_are_one_line_with_a_fix_that_works() -> None:
    """A moment without offset suggests one that is accepted; nonsense says what is accepted; never a traceback."""
    naive = run_bot("ask", "--now", "2025-10-20T10:00", "when")
    [line] = naive.stderr.strip().splitlines()
    suggested = line.rpartition("e.g. ")[2]
    assert run_bot("ask", "--now", suggested, "when").returncode == 0
    nonsense = run_bot("ask", "--now", "next week", "when")
    assert nonsense.returncode != 0
    assert nonsense.stderr.strip().splitlines() == [
        "--now 'next week' is not a moment I can read: use a date (2025-11-04), a date and time with its UTC offset "
        "(2025-11-04T09:00+01:00), or now, today, tomorrow, yesterday"
    ]


def test_an_unknown_language_is_refused_in_one_line() -> None:
    """``--lang de`` is not silently English: one line names the choices."""
    result = run_bot("ask", "--lang", "de", "when")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "python -m bot ask: error: argument --lang: invalid choice: 'de' (choose from 'en', 'nl', 'fr') "
        "(see python -m bot ask --help)"
    ]


def test_ask_takes_an_unquoted_question() -> None:
    """``bot ask when is it`` without quotes asks "when is it"."""
    result = run_bot("ask", "--json", "when", "is", "it")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["question"] == "when is it"
    assert json.loads(result.stdout)["faq_id"] is not None


def test_chat_answers_in_the_language_of_each_question_and_keeps_choices_on_a_wrong_number() -> None:
    """Without --lang, Dutch and French questions get Dutch and French answers; an out-of-range number keeps choices."""
    knowledge = load(KNOWLEDGE)
    assistant = Assistant(knowledge)
    now = datetime.fromisoformat("2025-10-20T10:00:00+02:00")
    questions = ("waar is het congres", "c'est quand la conférence")
    result = run_bot("chat", "--now", now.isoformat(), stdin="\n".join([*questions, "money", "9", "1"]) + "\n")
    assert result.returncode == 0, result.stderr
    languages: tuple[Lang, Lang] = ("nl", "fr")
    for question, lang in zip(questions, languages, strict=True):
        assert assistant.answer(question, lang, now).text in result.stdout
    money = assistant.answer("money", "en", now)
    assert len(money.suggestions) >= 1
    assert f"Type a number from 1 to {len(money.suggestions)}, or ask another question." in result.stdout
    first = assistant.answer_entry(money.suggestions[0].faq_id, "en", now)
    assert first is not None
    assert first.text in result.stdout


def test_ctrl_c_in_ask_stops_without_a_traceback() -> None:
    """Interrupting ``ask`` while it reads questions ends quietly with status 130."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "--json"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None
    assert process.stdout is not None
    process.stdin.write("when is it\n")
    process.stdin.flush()
    assert json.loads(process.stdout.readline())["question"] == "when is it"  # it is reading the next line now
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "Traceback" not in stderr


def test_ask_into_a_pipe_whose_reader_has_gone_stops_without_a_traceback() -> None:
    """``bot ask ... | head -1``: when the reader has stopped reading, ``ask`` ends quietly (status 141)."""
    read, write = os.pipe()
    os.close(read)  # the reader has gone before the answer is written
    try:
        result = subprocess.run(
            [sys.executable, "-m", "bot", "ask", "when is it?"],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            timeout=60,
            env={**os.environ, "KNOWLEDGE_DIR": str(KNOWLEDGE)},
            check=False,
        )
    finally:
        os.close(write)
    assert result.returncode == 141, result.stderr
    assert "Traceback" not in result.stderr
    assert "BrokenPipeError" not in result.stderr  # nor the interpreter's "Exception ignored" at exit


def test_unanswered_with_a_wrong_data_dir_says_so_and_creates_nothing(tmp_path: Path) -> None:
    """``bot unanswered`` pointed at a folder without the bot's database refuses in one line instead of creating one."""
    missing = tmp_path / "typo"
    result = run_bot("unanswered", env={**os.environ, "DATA_DIR": str(missing)})
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: no database at {missing / 'bot.sqlite3'}: set DATA_DIR to the folder the bot runs with"
    ]
    assert not missing.exists()


def test_now_yesterday_is_accepted_and_listed_in_the_help() -> None:
    """``--now yesterday`` answers, and ``ask --help`` lists it beside today and tomorrow."""
    assert run_bot("ask", "--now", "yesterday", "when is it").returncode == 0
    assert "today, tomorrow or yesterday" in " ".join(run_bot("ask", "--help").stdout.split())


def test_check_outside_the_project_folder_names_the_missing_folder_and_what_to_do(tmp_path: Path) -> None:
    """``bot check`` with no knowledge folder names the absolute path it looked at and how to point it elsewhere."""
    env = {k: v for k, v in os.environ.items() if k != "KNOWLEDGE_DIR"}
    env["PYTHONPATH"] = str(ROOT)
    result = run_bot("check", env=env, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        f"error: the knowledge folder {tmp_path / 'knowledge'} does not exist: run this in the project folder, "
        "or point --kb or KNOWLEDGE_DIR at the knowledge folder\n"
    )
    (tmp_path / "file").write_text("", encoding="utf-8")
    assert "error: the knowledge folder" in run_bot("check", "--kb", str(tmp_path / "file")).stderr
