"""The terminal commands: ``chat``, ``ask``, ``check`` and ``unanswered``. No Telegram import."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.knowledge import Knowledge, KnowledgeError, load


def _knowledge_dir(arg: str | None) -> Path:
    return Path(arg or os.environ.get("KNOWLEDGE_DIR") or "knowledge")


def _load_or_report(arg: str | None) -> Knowledge | None:
    try:
        return load(_knowledge_dir(arg))
    except KnowledgeError as exc:
        print(f"The knowledge base has {len(exc.problems)} problem(s):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return None


def parse_now(value: str | None) -> datetime:
    """``--now`` as an aware datetime; the current moment when absent."""
    if not value:
        return datetime.now(UTC)
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise SystemExit(f"--now {value!r}: add a UTC offset, e.g. {value}+01:00")
    return moment


def _lang(value: str) -> str:
    from bot.assistant import supported_lang

    return supported_lang(value)


def ask(args: argparse.Namespace) -> int:
    """Answer the question argument, or each line of standard input, as text or JSON lines."""
    from bot.assistant import Assistant

    knowledge = _load_or_report(args.kb)
    if knowledge is None:
        return 1
    assistant = Assistant(knowledge)
    now = parse_now(args.now)
    lang = _lang(args.lang)
    questions = [args.question] if args.question is not None else (line.rstrip("\r\n") for line in sys.stdin)
    for question in questions:
        answer = assistant.answer(question, lang, now)  # type: ignore[arg-type]
        if args.json:
            print(json.dumps(answer.as_json(), ensure_ascii=False), flush=True)
        else:
            print(answer.text)
            for number, suggestion in enumerate(answer.suggestions, 1):
                print(f"  {number}. {suggestion.question}")
    return 0


def chat(args: argparse.Namespace) -> int:
    """An interactive conversation in the terminal, with numbered "did you mean" choices."""
    from bot.assistant import Assistant

    knowledge = _load_or_report(args.kb)
    if knowledge is None:
        return 1
    assistant = Assistant(knowledge)
    lang = _lang(args.lang)
    render = assistant.renderer(lang, parse_now(args.now))  # type: ignore[arg-type]
    print(render.ui("chat_greeting"))
    print(render.ui("welcome"))
    topics = assistant.topics(render.lang, render.now)
    print(render.ui("topics_header") + " " + ", ".join(t.title for t in topics))
    choices: list[str] = []
    while True:
        try:
            line = input(render.ui("chat_prompt"))
        except (EOFError, KeyboardInterrupt):
            print()
            print(render.ui("chat_bye"))
            return 0
        now = parse_now(args.now)
        picked = line.strip()
        if picked.isdigit() and 1 <= int(picked) <= len(choices):
            reply = assistant.answer_entry(choices[int(picked) - 1], render.lang, now)
            choices = []
            if reply is not None:
                print(reply.text)
            continue
        answer = assistant.answer(line, render.lang, now)
        print(answer.text)
        choices = [s.faq_id for s in answer.suggestions]
        for number, suggestion in enumerate(answer.suggestions, 1):
            print(f"  {number}. {suggestion.question}")
        if choices:
            print(render.ui("chat_choose"))


def check(args: argparse.Namespace) -> int:
    """Validate the knowledge base: a one-line summary and exit 0, or every problem and exit 1."""
    knowledge = _load_or_report(args.kb)
    if knowledge is None:
        return 1
    for warning in knowledge.warnings:
        print(f"warning: {warning}")
    phrasings = sum(len(q) for e in knowledge.entries for q in e.questions.values())
    print(
        f"OK: {len(knowledge.entries)} entries, {phrasings} phrasings, "
        f"languages {', '.join(knowledge.languages())}, {len(knowledge.reminders)} reminders"
    )
    return 0


def unanswered(args: argparse.Namespace) -> int:
    """List recent questions the bot could not answer, grouped, with the nearest entry."""
    from bot.assistant import Assistant
    from bot.config import data_dir
    from bot.insights import group_unanswered
    from bot.store import Store

    knowledge = _load_or_report(None)
    if knowledge is None:
        return 1
    store = Store(data_dir() / "bot.sqlite3")
    try:
        groups = group_unanswered(store.unanswered(since_days=args.days, now=datetime.now(UTC)), Assistant(knowledge))
    finally:
        store.close()
    if not groups:
        print("No unanswered questions.")
    for group in groups:
        nearest = f" (nearest: {group.nearest[0]})" if group.nearest else ""
        print(f"{group.count:4d}x  {group.text}{nearest}")
    return 0
