"""Command line: ``run`` the bot, ``chat`` in the terminal, ``ask``, ``check`` the knowledge, ``backup``/``restore``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn


class Parser(argparse.ArgumentParser):
    """An argument parser whose mistakes are one line: what is wrong and where to look."""

    def error(self, message: str) -> NoReturn:
        """Print one line and exit 2."""
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The ``python -m bot`` argument parser."""
    from bot.knowledge import LANGS

    parser = Parser(prog="python -m bot", description="Science for Health assistant.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    kb_help = "knowledge folder (default: $KNOWLEDGE_DIR or ./knowledge)"
    lang_help = "answer language: en, nl or fr (default: the language each question is written in)"
    now_help = (
        "pretend it is this moment: 2025-11-04T09:00+01:00, a date "
        "(09:00 event time), today, tomorrow or yesterday (default: now)"
    )

    run = commands.add_parser("run", help="run the Telegram bot (needs TELEGRAM_BOT_TOKEN)")
    run.set_defaults(handler="run")

    chat = commands.add_parser("chat", help="talk to the assistant in the terminal")
    chat.add_argument("--lang", choices=LANGS, help=lang_help)
    chat.add_argument("--now", help=now_help)
    chat.add_argument("--kb", help=kb_help)

    ask = commands.add_parser("ask", help="answer one question, or every line of standard input")
    ask.add_argument(
        "question", nargs="*", help="the question, quoted or not (default: read lines from standard input)"
    )
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    ask.add_argument("--lang", choices=LANGS, help=lang_help)
    ask.add_argument("--now", help=now_help)
    ask.add_argument("--kb", help=kb_help)

    check = commands.add_parser("check", help="validate the knowledge base and summarise it")
    check.add_argument("--kb", help=kb_help)

    new_edition = commands.add_parser(
        "new-edition",
        help=(
            "start the next edition from its announcement: archive "
            "the current one, quote the article, list what to fill"
        ),
    )
    new_edition.add_argument(
        "announcement", help="the new edition's announcement, a UTF-8 text file (one paragraph a line)"
    )
    new_edition.add_argument("--edition", help="the new edition (default: the year the announcement names)")
    new_edition.add_argument(
        "--date", help="the new edition's date, YYYY-MM-DD (default: the date the announcement gives)"
    )
    new_edition.add_argument("--kb", help=kb_help)

    unanswered = commands.add_parser("unanswered", help="list the questions the bot could not answer")
    unanswered.add_argument("--days", type=int, default=30, help="how far back to look (default: 30)")

    backup = commands.add_parser(
        "backup", help="copy the database and its key into a new folder, safely while the bot runs"
    )
    backup.add_argument("dest", help="a new (or empty) folder for the backup")
    restore = commands.add_parser("restore", help="put a backup into DATA_DIR (the bot must be stopped)")
    restore.add_argument("src", help="a folder written by `backup`")
    restore.add_argument(
        "--replace", action="store_true", help="DATA_DIR already has a database: keep it aside (renamed) and restore"
    )
    return parser


def load_env_file() -> None:
    """Read ``.env`` (or $ENV_FILE) from the working directory into the environment; variables already set win."""
    path = os.environ.get("ENV_FILE") or ".env"
    if not os.path.isfile(path):  # nothing to read (python-dotenv would read nothing either): spare its import
        return
    from dotenv import load_dotenv

    load_dotenv(path, override=False)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the chosen command; return the exit status."""
    args = build_parser().parse_args(argv)
    load_env_file()
    if args.command == "run":
        try:
            from bot.telegram_app.runner import run  # the Telegram stack loads only here

            return run()
        except KeyboardInterrupt:
            # Ctrl-C at any stage of start-up (loading, connecting, retrying): quietly, no traceback
            print(file=sys.stderr)
            return 130
    from bot import cli

    try:
        status = int(getattr(cli, args.command.replace("-", "_"))(args))
        sys.stdout.flush()  # a reader gone early shows here, not in a message at exit
        return status
    except KeyboardInterrupt:  # Ctrl-C while answering: stop quietly, no traceback
        print(file=sys.stderr)
        return 130
    except BrokenPipeError:  # `bot ask ... | head -1`: the reader has what it wanted; stop quietly, as `cat` does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # what is still buffered goes nowhere
        return 128 + 13  # as a shell reports a command stopped by SIGPIPE
    except Exception as exc:
        from bot.backup import BackupError
        from bot.store import StoreError  # imported only on failure: `ask` never needs the database

        if not isinstance(exc, StoreError | BackupError):
            raise
        print(f"error: {exc}", file=sys.stderr)  # DATA_DIR or the database unusable: one line, as for `run`
        return 1


if __name__ == "__main__":
    sys.exit(main())
