"""The terminal commands: ``chat``, ``ask``, ``check``, ``unanswered``, ``backup``, ``restore``. No Telegram import."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime, time, timedelta, tzinfo
from pathlib import Path

from bot.knowledge import DEFAULT_LANG, Knowledge, KnowledgeError, Lang


def _knowledge_dir(arg: str | None) -> Path:
    return Path(arg or os.environ.get("KNOWLEDGE_DIR") or "knowledge")


def _load_or_report(arg: str | None, cached: bool = False) -> Knowledge | None:
    """The knowledge base (from the validated-knowledge cache if ``cached``), or ``None`` after printing problems."""
    directory = _knowledge_dir(arg)
    if not directory.is_dir():  # typically a command run outside the project folder
        what = "is not a folder" if directory.exists() else "does not exist"
        print(
            f"error: the knowledge folder {directory.absolute()} {what}: run this in the project folder, "
            "or point --kb or KNOWLEDGE_DIR at the knowledge folder",
            file=sys.stderr,
        )
        return None
    try:
        if cached:
            from bot.knowledge.cache import load_cached

            return load_cached(_knowledge_dir(arg))
        from bot.knowledge.loading import load

        return load(_knowledge_dir(arg))
    except KnowledgeError as exc:
        print(f"The knowledge base has {len(exc.problems)} problem(s):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return None


RELATIVE = {"now": 0, "today": 0, "tomorrow": 1, "yesterday": -1}
# A bare date means this time of day, in the event's timezone.
DATE_ONLY_AT = time(9, 0)


def parse_now(value: str | None, tz: tzinfo = UTC) -> datetime:
    """``--now`` as an aware datetime: ISO 8601 with offset, a date (09:00 event time), now/today/tomorrow/yesterday."""
    current = datetime.now(UTC)
    if not value:
        return current
    word = value.strip().lower()
    if word in RELATIVE:
        return current + timedelta(days=RELATIVE[word])
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise SystemExit(
            f"--now {value!r} is not a moment I can read: use a date (2025-11-04), a date and time with its UTC offset "
            "(2025-11-04T09:00+01:00), or now, today, tomorrow, yesterday"
        ) from None
    if moment.tzinfo is None:
        if len(value.strip()) == 10:  # a date alone
            return datetime.combine(moment.date(), DATE_ONLY_AT, tzinfo=tz)
        offset = moment.replace(tzinfo=tz).strftime("%z")
        fixed = f"{moment.isoformat(timespec='minutes')}{offset[:3]}:{offset[3:]}"
        raise SystemExit(f"--now {value!r}: add a UTC offset, e.g. {fixed}")
    return moment


def _lang(value: str | None, question: str, knowledge: Knowledge, fallback: Lang = DEFAULT_LANG) -> Lang:
    """``--lang`` when given, else the language ``question`` is written in, else ``fallback``."""
    if value:
        return value  # type: ignore[return-value]
    from bot.languages import written_in

    return written_in(question, knowledge) or fallback


def ask(args: argparse.Namespace) -> int:
    """Answer the question argument, or each line of standard input, as text or JSON lines."""
    from bot.assistant import Assistant

    knowledge = _load_or_report(args.kb, cached=True)
    if knowledge is None:
        return 1
    assistant = Assistant(knowledge)
    now = parse_now(args.now, knowledge.event.tz)
    words = " ".join(args.question or [])
    questions = [words] if words else (line.rstrip("\r\n") for line in sys.stdin)
    for question in questions:
        answer = assistant.answer(question, _lang(args.lang, question, knowledge), now)
        if args.json:
            print(json.dumps(answer.as_json(), ensure_ascii=False), flush=True)
        else:
            print(answer.text)
            for number, suggestion in enumerate(answer.suggestions, 1):
                print(f"  {number}. {suggestion.question}")
    return 0


def chat(args: argparse.Namespace) -> int:
    """A conversation in the terminal, with numbered "did you mean" choices; each answer in the question's language."""
    from bot.assistant import Assistant

    knowledge = _load_or_report(args.kb, cached=True)
    if knowledge is None:
        return 1
    assistant = Assistant(knowledge)
    render = assistant.renderer(args.lang or DEFAULT_LANG, parse_now(args.now, knowledge.event.tz))
    print(render.ui("chat_greeting"))
    print(render.ui("welcome"))
    topics = assistant.topics(render.lang, render.now)
    print(render.ui("topics_header") + " " + ", ".join(t.title for t in topics))
    choices: list[str] = []
    lang: Lang = render.lang
    while True:
        try:
            line = input(render.ui("chat_prompt"))
        except (EOFError, KeyboardInterrupt):
            print()
            print(render.ui("chat_bye"))
            return 0
        now = parse_now(args.now, knowledge.event.tz)
        picked = line.strip()
        if picked.isdigit() and choices:
            if 1 <= int(picked) <= len(choices):
                reply = assistant.answer_entry(choices[int(picked) - 1], lang, now)
                choices = []
                if reply is not None:
                    print(reply.text)
            else:  # out of range: say so and keep the same choices
                print(assistant.renderer(lang, now).ui("chat_choose_range", count=str(len(choices))))
            continue
        lang = _lang(args.lang, line, knowledge, lang)
        render = assistant.renderer(lang, now)
        answer = assistant.answer(line, lang, now)
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


def new_edition(args: argparse.Namespace) -> int:
    """Archive the current edition and start the one the announcement announces; print what is left to fill."""
    from datetime import date

    from bot.new_edition import NewEditionError, start

    directory = _knowledge_dir(args.kb)
    try:
        day = date.fromisoformat(args.date) if args.date else None
    except ValueError:
        print(f"error: --date {args.date!r} is not a date like 2026-11-04", file=sys.stderr)
        return 2
    try:
        started = start(directory, Path(args.announcement), args.edition, day)
    except NewEditionError as exc:
        print(f"error: {exc}; nothing was changed", file=sys.stderr)
        return 1
    print(f"Edition {started.previous} archived (past_editions in event.yaml, editions/{started.previous}/).")
    print(
        f"Edition {started.edition} on {started.day.isoformat()}: "
        f"{started.passages} passages in editions/{started.edition}/passages.yaml."
    )
    print("Still to fill (then run `python -m bot check` until it prints OK):")
    for number, item in enumerate(started.todo, 1):
        print(f"  {number}. {item}")
    return 0


def unanswered(args: argparse.Namespace) -> int:
    """List recent questions the bot could not answer, grouped, with the nearest entry."""
    from bot.assistant import Assistant
    from bot.config import data_dir
    from bot.insights import group_unanswered
    from bot.store import Store, prepare_data_dir

    knowledge = _load_or_report(None)
    if knowledge is None:
        return 1
    database = data_dir() / "bot.sqlite3"
    if data_dir().exists() and not data_dir().is_dir():
        prepare_data_dir(data_dir())  # raises the one-line StoreError
    if not database.is_file():  # a wrong DATA_DIR: say so rather than create an empty database
        print(f"error: no database at {database}: set DATA_DIR to the folder the bot runs with", file=sys.stderr)
        return 1
    store = Store(database)
    try:
        groups = group_unanswered(
            store.unanswered(since_days=args.days, now=datetime.now(UTC)), Assistant(knowledge, learned=False)
        )
    finally:
        store.close()
    if not groups:
        print("No unanswered questions.")
    for group in groups:
        nearest = f" (nearest: {group.nearest[0]})" if group.nearest else ""
        print(f"{group.count:4d}x  {group.text}{nearest}")
    return 0


def backup(args: argparse.Namespace) -> int:
    """Back up DATA_DIR's database and key into a new folder, safely while the bot runs."""
    from bot.backup import backup as make_backup
    from bot.config import data_dir

    summary = make_backup(data_dir(), Path(args.dest))
    print(f"backed up {summary.line()}")
    return 0


def restore(args: argparse.Namespace) -> int:
    """Restore a backup into DATA_DIR, refusing while a bot runs there or if the database and key do not match."""
    from bot.backup import restore as restore_backup
    from bot.config import data_dir

    summary = restore_backup(Path(args.src), data_dir(), replace=args.replace)
    print(f"restored into {summary.line()}")
    return 0
