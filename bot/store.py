"""SQLite storage (standard library): chats, deliveries, questions, announcements. Migrations by user_version."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.deferred import DeferredWrites, unavailable

# How long a write on the event loop may wait for another process's lock: briefly, since every update waits meanwhile.
# Questions, tickets and chat settings never wait (bot/deferred.py); broadcasts wait off the loop (broadcast.Ledger).
BUSY_TIMEOUT_MS = 250
OPEN_TIMEOUT_MS = 5000  # opening and migrating, before any update is handled
# A checkpoint held up by another reader is retried this often, for at most this long (docs/organisers.md, "Privacy").
SCRUB_RETRY_SECONDS = 0.2
SCRUB_PATIENCE_SECONDS = 600.0
# How long closing the store waits for queued questions and a checkpoint in progress.
CLOSE_WAIT_SECONDS = 5.0
# Pages the write-ahead log may hold before a commit copies them into the database (SQLite's default: 1000). Each
# copy waits for the disk twice, on the event loop, whatever its size; a question adds three or four pages, mostly
# the same few again, so a longer log (16 MB) makes those waits four times rarer for little more copying.
WAL_CHECKPOINT_PAGES = 4000
# The longest question passed on to the organisers, in characters (a longer one is cut, and both sides are told).
MAX_TICKET_QUESTION = 1000
# Answered questions (kept only as counts, without their text) are kept in memory and written together: one
# transaction for this many costs little more than one alone (about 12 µs a question against 40). They are written
# when this many wait, with the next question whose text is kept (one the bot could not answer, which organisers may
# act on: written at once), before anything reads or deletes questions, by the bot every QUESTION_WRITE_SECONDS
# (bot/telegram_app/answers.py) and when the store closes.
QUESTION_BATCH = 64
QUESTION_WRITE_SECONDS = 5.0  # the knowledge check's pace: two scheduler lines each time at LOG_LEVEL=DEBUG
QUESTION_INSERT = (
    "INSERT INTO questions (asked_at, lang, text, faq_id, score, outcome, asker) VALUES (?, ?, ?, ?, ?, ?, ?)"
)
# A delivery that failed this many times is given up on (and counted as failed in reports and logs).
MAX_ATTEMPTS = 5

# Each step upgrades the schema by one version; never edit a released step, append a new one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE chats (
        chat_id INTEGER PRIMARY KEY,
        lang TEXT,
        subscribed INTEGER NOT NULL DEFAULT 0,
        subscribed_at TEXT
    );
    CREATE TABLE deliveries (
        message_key TEXT NOT NULL,
        chat_id INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'failed', 'blocked')),
        attempts INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (message_key, chat_id)
    );
    CREATE TABLE questions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        asked_at TEXT NOT NULL,
        lang TEXT NOT NULL,
        text TEXT NOT NULL,
        faq_id TEXT,
        score REAL NOT NULL,
        outcome TEXT NOT NULL
    );
    CREATE INDEX questions_asked_at ON questions (asked_at);
    CREATE TABLE announcements (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at TEXT NOT NULL,
        author_id INTEGER NOT NULL,
        text TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'sending', 'done', 'cancelled'))
    );
    """,
    # 2: questions carry a pseudonymous key of who asked (an HMAC of the user id), so /forget can delete them.
    """
    ALTER TABLE questions ADD COLUMN asker TEXT;
    CREATE INDEX questions_asker ON questions (asker);
    """,
    # 3: helpdesk tickets (who to answer, until answered or purged) and edits made from Telegram (for /undo).
    """
    CREATE TABLE tickets (
        token TEXT PRIMARY KEY,
        asker_id INTEGER NOT NULL,
        lang TEXT NOT NULL,
        question TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'offered' CHECK (state IN ('offered', 'sent', 'answered')),
        organiser_chat_id INTEGER,
        organiser_message_id INTEGER,
        answer TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX tickets_message ON tickets (organiser_chat_id, organiser_message_id);
    CREATE TABLE edits (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at TEXT NOT NULL,
        key TEXT NOT NULL UNIQUE,
        file TEXT NOT NULL,
        before TEXT NOT NULL,
        after TEXT NOT NULL,
        question_ids TEXT NOT NULL DEFAULT '',
        undone INTEGER NOT NULL DEFAULT 0
    );
    """,
    # 4: 'interrupted' (in flight when the process died: resent once at restart) and
    # 'unconfirmed' (Telegram never answered: never resent blindly); see docs/developers.md, "Reminders and broadcasts".
    """
    CREATE TABLE deliveries_v2 (
        message_key TEXT NOT NULL,
        chat_id INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'failed', 'blocked', 'interrupted', 'unconfirmed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (message_key, chat_id)
    );
    INSERT INTO deliveries_v2 SELECT message_key, chat_id, state, attempts, updated_at FROM deliveries;
    DROP TABLE deliveries;
    ALTER TABLE deliveries_v2 RENAME TO deliveries;
    """,
    # 5: teaching's "write the answer" prompts awaiting an admin's reply (they survive a restart), and whether
    # a ticket's question was cut to MAX_TICKET_QUESTION characters (both sides are told).
    """
    CREATE TABLE prompts (
        chat_id INTEGER NOT NULL,
        message_id INTEGER NOT NULL,
        question_id INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (chat_id, message_id)
    );
    ALTER TABLE tickets ADD COLUMN cut INTEGER NOT NULL DEFAULT 0;
    """,
    # 6: how many parts of a long message (split at Telegram's 4,096 characters) Telegram confirmed, so a retry sends
    # only the rest.
    """
    ALTER TABLE deliveries ADD COLUMN parts INTEGER NOT NULL DEFAULT 0;
    """,
)

log = logging.getLogger(__name__)

DATABASE_FILE = "bot.sqlite3"
# Delivery outcomes the database could not take at shutdown (locked), applied and deleted at the next start.
UNRECORDED_FILE = "unrecorded-deliveries.jsonl"
# The secret behind the pseudonymous keys; kept beside the database, never inside it.
KEY_FILE = "pseudonym.key"


class StoreError(Exception):
    """DATA_DIR or the database cannot be used; the message is one line saying what to do."""


def prepare_data_dir(directory: Path) -> None:
    """Create ``directory`` if missing (its parent must exist), check it is a writable folder; else ``StoreError``."""
    if directory.exists() and not directory.is_dir():
        raise StoreError(
            f"DATA_DIR {directory} is a file, not a folder: set DATA_DIR to a folder (it is created if missing)"
        )
    if not directory.exists():
        parent = directory.absolute().parent
        if not parent.is_dir():
            raise StoreError(
                f"DATA_DIR {directory} cannot be created because {parent} does not exist: create it or fix DATA_DIR"
            )
        try:
            directory.mkdir()
        except OSError as exc:
            reason = exc.strerror
            raise StoreError(
                f"DATA_DIR {directory} cannot be created ({reason}): fix the permissions or choose another folder"
            ) from None
    probe = directory / ".write-test"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise StoreError(
            f"DATA_DIR {directory} is not writable ({exc.strerror}): fix its permissions or choose another folder"
        ) from None


def _load_key(path: Path) -> bytes:
    """The pseudonym secret stored at ``path``, created (owner-only) on first use."""
    try:
        if not path.exists():
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as file:
                file.write(secrets.token_bytes(32))
        key = path.read_bytes()
    except OSError as exc:
        raise StoreError(f"{path} cannot be read ({exc.strerror}): make it a readable file, or delete it") from None
    if len(key) < 16:
        raise StoreError(
            f"{path} is damaged (too short): delete it (stored questions can then no longer be linked to /forget)"
        )
    return key


@dataclass(frozen=True)
class Question:
    """A question as asked (no user id is ever stored with it)."""

    id: int
    asked_at: datetime
    lang: str
    text: str
    faq_id: str | None
    score: float
    outcome: str


@dataclass(frozen=True)
class Ticket:
    """A question an attendee may pass on to the organisers: who to answer (their private chat) and what."""

    token: str
    asker_id: int
    lang: str
    question: str
    state: str
    cut: bool = False  # the question was longer than MAX_TICKET_QUESTION characters: only its start is kept


@dataclass(frozen=True)
class Stats:
    """Usage figures for organisers."""

    subscribers: int
    questions_total: int
    questions_today: int
    answered_share: float
    top_entries: list[tuple[str, int]]
    unanswered: int


class Store:
    """The bot's durable state; one connection, used from the event loop's thread."""

    def __init__(self, path: Path | str) -> None:
        path = Path(path)
        # Questions the database was too locked to take at once (None in memory: nothing else can lock it).
        self.deferred: DeferredWrites | None = None
        self.path: Path | None = None if str(path) == ":memory:" else path
        self._scrubbing = threading.Condition()
        self._scrubber: threading.Thread | None = None
        self._scrub_again = False
        # Questions recorded and not yet written: (row, owner), owner being the asker's pseudonym (for /forget).
        self._noted: list[tuple[tuple[Any, ...], str | None]] = []
        if str(path) == ":memory:":
            self._key = secrets.token_bytes(32)
        else:
            self.deferred = DeferredWrites(path)
            prepare_data_dir(path.parent)
            self._key = _load_key(path.parent / KEY_FILE)
        try:
            self.db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute(f"PRAGMA wal_autocheckpoint={WAL_CHECKPOINT_PAGES}")
            # opening may wait for a backup; handlers later do not
            self.db.execute(f"PRAGMA busy_timeout={OPEN_TIMEOUT_MS}")
            # Deleted rows are overwritten with zeros, so /forget leaves no text behind in free pages.
            self.db.execute("PRAGMA secure_delete=ON")
            problems = [row[0] for row in self.db.execute("PRAGMA quick_check")]
            if problems != ["ok"]:
                raise sqlite3.DatabaseError(problems[0])
            self._migrate()
            self.db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        except sqlite3.DatabaseError:
            raise StoreError(
                f"the database {path} is damaged or not an SQLite database: "
                "restore it from a backup, or move it away to start afresh"
            ) from None

    def _migrate(self) -> None:
        version = int(self.db.execute("PRAGMA user_version").fetchone()[0])
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.db:
                self.db.execute("BEGIN")
                for statement in filter(str.strip, script.split(";")):
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number}")

    @contextmanager
    def no_wait(self) -> Iterator[None]:
        """Within this block a write never waits for another connection's lock: it fails at once (``unavailable``)."""
        previous = int(self.db.execute("PRAGMA busy_timeout").fetchone()[0])  # blocks nest (a mark that unsubscribes)
        self.db.execute("PRAGMA busy_timeout=0")
        try:
            yield
        finally:
            self.db.execute(f"PRAGMA busy_timeout={previous}")

    @property
    def schema_version(self) -> int:
        """The schema version the database is at."""
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        """Store the questions noted or queued, finish a checkpoint in progress (each for a bounded time); close."""
        self.write_questions()
        if self.deferred is not None:
            self.deferred.close()
        if not self.scrubbed(CLOSE_WAIT_SECONDS):
            log.warning(
                "stopping while a checkpoint waits for another reader: "
                "deleted text may remain in the -wal file until the next start"
            )
        self.db.close()

    # -- chats and subscriptions

    def language(self, chat_id: int) -> str | None:
        """The language this chat chose with /language, if any."""
        row = self.db.execute("SELECT lang FROM chats WHERE chat_id = ?", (chat_id,)).fetchone()
        return row[0] if row else None

    def _chat_write(self, chat_id: int, sql: str, params: tuple[Any, ...]) -> None:
        """Write a chat's row now if the database takes it at once, else queue it (``deferred``): no handler waits."""
        try:
            with self.no_wait():
                self.db.execute(sql, params)
        except sqlite3.OperationalError as exc:
            if self.deferred is None or not unavailable(exc):
                raise
            self.deferred.submit(
                "chats", sql, params, _chat_owner(chat_id), ("DELETE FROM chats WHERE chat_id = ?", (chat_id,))
            )

    def set_language(self, chat_id: int, lang: str) -> None:
        """Remember this chat's language (queued if the database is locked or full)."""
        self._chat_write(
            chat_id,
            "INSERT INTO chats (chat_id, lang) VALUES (?, ?) ON CONFLICT(chat_id) DO UPDATE SET lang = excluded.lang",
            (chat_id, lang),
        )

    def subscribe(self, chat_id: int, now: datetime, lang: str | None = None) -> bool:
        """Subscribe a chat to reminders (in ``lang`` unless it chose one); ``False`` if it already was (may queue)."""
        if self.is_subscribed(chat_id):
            return False
        self._chat_write(
            chat_id,
            "INSERT INTO chats (chat_id, lang, subscribed, subscribed_at) VALUES (?, ?, 1, ?) ON CONFLICT(chat_id) "
            "DO UPDATE SET subscribed = 1, subscribed_at = excluded.subscribed_at, "
            "lang = COALESCE(lang, excluded.lang)",
            (chat_id, lang, now.isoformat()),
        )
        return True

    def unsubscribe(self, chat_id: int) -> bool:
        """Unsubscribe a chat; ``False`` if it was not subscribed (queued if the database is locked or full)."""
        if not self.is_subscribed(chat_id):
            return False
        self._chat_write(chat_id, "UPDATE chats SET subscribed = 0 WHERE chat_id = ? AND subscribed = 1", (chat_id,))
        return True

    def is_subscribed(self, chat_id: int) -> bool:
        """Whether the chat gets reminders."""
        row = self.db.execute("SELECT subscribed FROM chats WHERE chat_id = ?", (chat_id,)).fetchone()
        return bool(row and row[0])

    def subscribers(self) -> list[tuple[int, str | None]]:
        """Every subscribed chat with its chosen language, in a stable order."""
        return [
            (r[0], r[1])
            for r in self.db.execute("SELECT chat_id, lang FROM chats WHERE subscribed = 1 ORDER BY chat_id")
        ]

    def add_subscribers(self, chat_ids: Iterable[int], now: datetime) -> None:
        """Subscribe many chats at once (benchmarks and imports)."""
        with self.db:
            self.db.execute("BEGIN")
            self.db.executemany(
                "INSERT INTO chats (chat_id, subscribed, subscribed_at) VALUES (?, 1, ?) "
                "ON CONFLICT(chat_id) DO UPDATE SET subscribed = 1",
                [(c, now.isoformat()) for c in chat_ids],
            )

    def pseudonym(self, user_id: int) -> str:
        """The key questions are stored under: an HMAC of the user id with the secret in DATA_DIR."""
        return hmac.new(self._key, str(user_id).encode(), hashlib.sha256).hexdigest()[:32]

    def _about(self, chat_id: int, user_id: int | None) -> list[tuple[str, str, object]]:
        """(table, column, value) for every row /forget must delete.

        Every table that keeps a chat id, a user id or a user's text belongs here: /privacy promises it.
        """
        rows: list[tuple[str, str, object]] = [
            ("chats", "chat_id", chat_id),
            ("deliveries", "chat_id", chat_id),
            ("announcements", "author_id", chat_id),
        ]
        if user_id is not None:
            rows.append(("questions", "asker", self.pseudonym(user_id)))
        # questions passed to the organisers
        rows.append(("tickets", "asker_id", user_id if user_id is not None else chat_id))
        rows.append(("prompts", "chat_id", chat_id))  # an admin's open "write the answer" prompts
        return rows

    def forget(self, chat_id: int, user_id: int | None = None) -> None:
        """Delete every row about this chat (and the questions ``user_id`` asked), leaving no trace in the files."""
        if user_id is not None:  # noted and not yet written: never written now
            mine = self.pseudonym(user_id)
            self._noted = [(row, owner) for row, owner in self._noted if owner != mine]
        if self.deferred is not None:  # queued while the database was locked or full
            if user_id is not None:
                self.deferred.discard(self.pseudonym(user_id))
            self.deferred.discard(_ticket_owner(user_id if user_id is not None else chat_id))
            self.deferred.discard(_chat_owner(chat_id))
        with self.db:
            self.db.execute("BEGIN")
            self.db.executemany("DELETE FROM edits WHERE id = ?", [(i,) for i in self._edits_about(chat_id, user_id)])
            for table, column, value in self._about(chat_id, user_id):
                self.db.execute(f"DELETE FROM {table} WHERE {column} = ?", (value,))  # noqa: S608
        self.scrub()

    def _edits_about(self, chat_id: int, user_id: int | None) -> list[int]:
        """The edits from Telegram holding this user's words: from their questions or tickets, undone ones quoting them.

        Such edits are deleted whole (so /undo can no longer take them back). What the organisers adopted stays
        in faq.yaml as the organisers' own text (/privacy says so); the record of where it came from does not.
        """
        mine = self.pseudonym(user_id) if user_id is not None else None
        questions = (
            dict(self.db.execute("SELECT id, text FROM questions WHERE asker = ?", (mine,)).fetchall()) if mine else {}
        )
        tickets = dict(
            self.db.execute(
                "SELECT token, question FROM tickets WHERE asker_id = ?", (user_id if user_id is not None else chat_id,)
            )
        )
        words = [w for w in (*questions.values(), *tickets.values()) if w.strip()]
        found = []
        for edit_id, key, ids, before, after, undone in self.db.execute(
            "SELECT id, key, question_ids, before, after, undone FROM edits"
        ):
            ticket = str(key).removeprefix("hd:").split("/")[0] if str(key).startswith("hd:") else None
            linked = ticket in tickets or any(int(i) in questions for i in str(ids).split(",") if i.isdigit())
            if linked or (undone and any(w in before or w in after for w in words)):
                found.append(int(edit_id))
        return found

    def scrub(self) -> None:
        """Copy the write-ahead log into the database and truncate it, so deleted text survives in no file.

        Tried once at once without waiting; if another reader holds it up, it goes on off
        the event loop, in a thread with its own connection, retried until it completes, for
        at most ``SCRUB_PATIENCE_SECONDS`` (the log says so if it cannot). Never blocks.
        """
        if self.path is None:
            return  # in memory: no file to scrub
        with self._scrubbing:
            running = self._scrubber is not None
        if not running:
            try:
                with self.no_wait():
                    if self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0:
                        return
            except sqlite3.OperationalError as exc:
                if not unavailable(exc):
                    raise
        with self._scrubbing:
            self._scrub_again = True  # a checkpoint already running must go round once more for this deletion
            if self._scrubber is None:
                self._scrubber = threading.Thread(
                    target=self._scrub_until_done, args=(self.path,), name="wal-checkpoint", daemon=True
                )
                self._scrubber.start()

    def scrubbed(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the checkpoint in progress, if any, to end; whether none is left."""
        with self._scrubbing:
            return self._scrubbing.wait_for(lambda: self._scrubber is None, timeout)

    def _scrub_until_done(self, path: Path) -> None:
        """The checkpoint thread: TRUNCATE until SQLite says it completed, waiting between tries."""
        db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        db.execute(f"PRAGMA busy_timeout={int(SCRUB_RETRY_SECONDS * 1000)}")
        deadline = time.monotonic() + SCRUB_PATIENCE_SECONDS
        held_up = False
        try:
            while True:
                with self._scrubbing:
                    self._scrub_again = False
                try:
                    completed = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
                except sqlite3.OperationalError as exc:
                    if not unavailable(exc):
                        log.error("the database checkpoint failed: %s", exc)
                        return
                    completed = False
                with self._scrubbing:
                    if completed and not self._scrub_again:
                        if held_up:
                            log.info("the database checkpoint completed: deleted text is gone from the -wal file")
                        return
                if not completed and not held_up:
                    held_up = True
                    log.info(
                        "the database checkpoint is held up by another reader (a backup?): retrying until it completes"
                    )
                if time.monotonic() >= deadline:
                    log.warning(
                        "the database checkpoint could not complete in %s s (another reader kept the database open): "
                        "deleted text may remain in the -wal file until a later checkpoint",
                        SCRUB_PATIENCE_SECONDS,
                    )
                    return
                time.sleep(SCRUB_RETRY_SECONDS)
        finally:
            db.close()
            with self._scrubbing:
                self._scrubber = None
                self._scrubbing.notify_all()

    def rows_about(self, chat_id: int, user_id: int | None = None) -> int:
        """How many rows anywhere mention this chat or this user's questions (for /forget's guarantee)."""
        self.write_questions()
        about = self._about(chat_id, user_id)
        return sum(
            self.db.execute(f"SELECT COUNT(*) FROM {t} WHERE {c} = ?", (v,)).fetchone()[0]  # noqa: S608
            for t, c, v in about
        )

    def migrate_chat(self, old_id: int, new_id: int) -> bool:
        """A group became a supergroup (new chat id): move its subscription, language, deliveries; ``False`` if none.

        Settings the new id already has win over the old ones; a delivery both ids have is kept once.
        Safe to call twice (Telegram reports a migration in both chats).
        """
        with self.db:
            self.db.execute("BEGIN")
            moved = self.db.execute(
                "INSERT INTO chats (chat_id, lang, subscribed, subscribed_at) "
                "SELECT ?, lang, subscribed, subscribed_at FROM chats "
                "WHERE chat_id = ? ON CONFLICT(chat_id) DO UPDATE SET lang = COALESCE(chats.lang, excluded.lang), "
                "subscribed = MAX(chats.subscribed, excluded.subscribed), "
                "subscribed_at = COALESCE(chats.subscribed_at, excluded.subscribed_at)",
                (new_id, old_id),
            ).rowcount
            self.db.execute("DELETE FROM chats WHERE chat_id = ?", (old_id,))
            self.db.execute("UPDATE OR IGNORE deliveries SET chat_id = ? WHERE chat_id = ?", (new_id, old_id))
            self.db.execute("DELETE FROM deliveries WHERE chat_id = ?", (old_id,))
        return moved > 0

    # -- deliveries (exactly once: see docs/developers.md, "Reminders and broadcasts")

    def claim(self, message_key: str, chat_id: int, now: datetime, max_attempts: int = MAX_ATTEMPTS) -> bool:
        """Take a delivery for sending, atomically: ``False`` if sent, given up, sent by another run, or unsubscribed.

        One statement (an upsert with ``RETURNING``) decides, so two runs, even in two
        processes, can never both take the same row; the same statement checks the chat is
        still subscribed, so a /stop or /forget during a broadcast holds for the rest of it
        and no row about a forgotten chat is written again.
        """
        subscribed = "EXISTS (SELECT 1 FROM chats WHERE chats.chat_id = ? AND chats.subscribed = 1)"
        row = self.db.execute(
            "INSERT INTO deliveries (message_key, chat_id, state, attempts, updated_at) "
            f"SELECT ?, ?, 'sending', 1, ? WHERE {subscribed} "
            "ON CONFLICT(message_key, chat_id) DO UPDATE SET state = 'sending', "
            "attempts = attempts + 1, updated_at = excluded.updated_at "
            "WHERE deliveries.state IN ('failed', 'interrupted') AND deliveries.attempts < ? RETURNING chat_id",
            (message_key, chat_id, now.isoformat(), chat_id, max_attempts),
        ).fetchone()
        return row is not None

    def mark(self, message_key: str, chat_id: int, state: str, now: datetime, parts: int | None = None) -> None:
        """Record how a delivery ended: sent, failed (retry later), blocked (never retry) or unconfirmed (never resent).

        ``parts``: how many parts of a long message Telegram confirmed so far (kept as it was when ``None``).
        """
        self.db.execute(
            "UPDATE deliveries SET state = ?, updated_at = ?, parts = COALESCE(?, parts) "
            "WHERE message_key = ? AND chat_id = ?",
            (state, now.isoformat(), parts, message_key, chat_id),
        )

    def parts_sent(self, message_key: str, chat_id: int) -> int:
        """How many parts of ``message_key`` Telegram confirmed for this chat (a retry starts after them)."""
        row = self.db.execute(
            "SELECT parts FROM deliveries WHERE message_key = ? AND chat_id = ?", (message_key, chat_id)
        ).fetchone()
        return int(row[0]) if row else 0

    def keep_unrecorded(self, message_key: str, marks: dict[int, tuple[str, int | None]]) -> bool:
        """Save, beside the database, outcomes Telegram gave that the database could not take (locked at shutdown).

        Applied by ``recover_unrecorded`` at the next start, before anything is sent: a
        delivery Telegram confirmed is never resent because its mark could not be written.
        ``False`` if even this file cannot be written (a full disk).
        """
        if self.path is None:
            return False
        lines = "".join(
            json.dumps([message_key, chat_id, state, parts]) + "\n" for chat_id, (state, parts) in marks.items()
        )
        try:
            with (self.path.parent / UNRECORDED_FILE).open("a", encoding="utf-8") as file:
                file.write(lines)
                file.flush()
                os.fsync(file.fileno())
        except OSError as exc:
            log.error("could not keep %s unrecorded delivery outcome(s) either (%s)", len(marks), exc.strerror)
            return False
        return True

    def recover_unrecorded(self) -> int:
        """At start-up, before ``release_interrupted``: write the outcomes ``keep_unrecorded`` kept; how many."""
        if self.path is None or not (self.path.parent / UNRECORDED_FILE).exists():
            return 0
        journal = self.path.parent / UNRECORDED_FILE
        marks = []
        for line in journal.read_text(encoding="utf-8").splitlines():
            try:
                key, chat_id, state, parts = json.loads(line)
                marks.append((str(state), parts, str(key), int(chat_id)))
            except (ValueError, TypeError):
                log.warning("skipped a damaged line in %s", UNRECORDED_FILE)
        with self.db:
            self.db.execute("BEGIN")
            self.db.executemany(
                "UPDATE deliveries SET state = ?, parts = COALESCE(?, parts) "
                "WHERE message_key = ? AND chat_id = ? AND state = 'sending'",
                marks,
            )
        journal.unlink()
        return len(marks)

    def release_interrupted(self) -> int:
        """At start-up (this process owns DATA_DIR): deliveries left 'sending' by a dead process become retryable."""
        return self.db.execute("UPDATE deliveries SET state = 'interrupted' WHERE state = 'sending'").rowcount

    def pending(
        self, message_key: str, max_attempts: int = MAX_ATTEMPTS, chat_ids: Iterable[int] | None = None
    ) -> list[tuple[int, str | None]]:
        """Subscribers (or only ``chat_ids``) not yet sent ``message_key``: never tried, failed, or cut by a crash."""
        rows = self.db.execute(
            "SELECT c.chat_id, c.lang FROM chats c "
            "LEFT JOIN deliveries d ON d.chat_id = c.chat_id AND d.message_key = ? "
            "WHERE c.subscribed = 1 "
            "AND (d.state IS NULL OR (d.state IN ('failed', 'interrupted') AND d.attempts < ?)) ORDER BY c.chat_id",
            (message_key, max_attempts),
        )
        wanted = None if chat_ids is None else set(chat_ids)
        return [(r[0], r[1]) for r in rows if wanted is None or r[0] in wanted]

    def retry_left(self, message_key: str, max_attempts: int = MAX_ATTEMPTS) -> int:
        """Failed deliveries of ``message_key`` that will still be retried."""
        row = self.db.execute(
            "SELECT COUNT(*) FROM deliveries WHERE message_key = ? "
            "AND state IN ('failed', 'interrupted') AND attempts < ?",
            (message_key, max_attempts),
        ).fetchone()
        return int(row[0])

    def delivery_counts(self, message_key: str) -> dict[str, int]:
        """How many deliveries of ``message_key`` are in each state."""
        rows = self.db.execute(
            "SELECT state, COUNT(*) FROM deliveries WHERE message_key = ? GROUP BY state", (message_key,)
        )
        return {state: count for state, count in rows}

    # -- questions (never a user id: a pseudonymous key, so /forget can find them)

    def record_question(
        self,
        text: str,
        lang: str,
        faq_id: str | None,
        score: float,
        outcome: str,
        now: datetime,
        asker: int | None = None,
    ) -> None:
        """Keep a question for statistics and learning, under the asker's pseudonym.

        A question whose text is kept is written at once; one kept without text (answered) is noted
        and written with others (``QUESTION_BATCH``). Never waits: if the database is locked by
        another process or full, the rows are queued (``deferred``) and stored as soon as they can be.
        """
        owner = self.pseudonym(asker) if asker is not None else None
        self._noted.append(((now.isoformat(), lang, text[:1000], faq_id, score, outcome, owner), owner))
        if text or len(self._noted) >= QUESTION_BATCH:
            self.write_questions()

    def write_questions(self) -> int:
        """Write the questions noted since the last write, in one transaction; how many (0 if queued or none)."""
        if not self._noted:
            return 0
        noted, self._noted = self._noted, []
        try:
            with self.no_wait(), self.db:
                self.db.execute("BEGIN")
                self.db.executemany(QUESTION_INSERT, [row for row, _ in noted])
        except sqlite3.Error as exc:
            if self.deferred is None or not unavailable(exc):
                return self._write_questions_one_by_one(noted)
            self.deferred.submit_all("questions", QUESTION_INSERT, noted)
            return 0
        return len(noted)

    def _write_questions_one_by_one(self, noted: list[tuple[tuple[Any, ...], str | None]]) -> int:
        """After a batch failed for no passing reason: each row alone, so only a failing one is lost (then raised)."""
        written = 0
        failure: sqlite3.Error | None = None
        for row, owner in noted:
            try:
                with self.no_wait():
                    self.db.execute(QUESTION_INSERT, row)
                written += 1
            except sqlite3.Error as exc:
                if self.deferred is not None and unavailable(exc):
                    self.deferred.submit("questions", QUESTION_INSERT, row, owner)
                else:
                    failure = failure or exc
        if failure is not None:
            raise failure
        return written

    def question(self, question_id: int) -> Question | None:
        """One stored question by id."""
        self.write_questions()
        row = self.db.execute("SELECT * FROM questions WHERE id = ?", (question_id,)).fetchone()
        return _question(row) if row else None

    def unanswered(self, since_days: int, now: datetime) -> list[Question]:
        """Questions without a confident answer asked in the last ``since_days`` days, newest first."""
        self.write_questions()
        since = (now - timedelta(days=since_days)).isoformat()
        rows = self.db.execute(
            "SELECT * FROM questions WHERE faq_id IS NULL AND outcome "
            "!= 'ignored' AND julianday(asked_at) >= julianday(?) "
            "ORDER BY id DESC",
            (since,),
        )
        return [_question(r) for r in rows]

    def resolve_questions(self, question_ids: Iterable[int], faq_id: str) -> None:
        """Mark stored questions as answered by ``faq_id`` (after an organiser attached them)."""
        self.db.executemany(
            "UPDATE questions SET faq_id = ?, outcome = 'learned' WHERE id = ? AND faq_id IS NULL",
            [(faq_id, i) for i in question_ids],
        )

    def purge_questions(self, older_than_days: int, now: datetime) -> int:
        """Delete questions older than the retention period; returns how many."""
        self.write_questions()
        cutoff = (now - timedelta(days=older_than_days)).isoformat()
        self.db.execute("DELETE FROM tickets WHERE created_at < ?", (cutoff,))
        removed = self.db.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,)).rowcount
        if removed:
            self.scrub()
        return removed

    def stats(self, now: datetime, today_start: datetime) -> Stats:
        """Figures for /stats."""
        self.write_questions()
        one = self.db.execute
        total = one("SELECT COUNT(*) FROM questions").fetchone()[0]
        answered = one("SELECT COUNT(*) FROM questions WHERE faq_id IS NOT NULL").fetchone()[0]
        return Stats(
            subscribers=one("SELECT COUNT(*) FROM chats WHERE subscribed = 1").fetchone()[0],
            questions_total=total,
            # Times are compared as instants (julianday reads the offset), not as text: a question at 00:30 local is
            # "today".
            questions_today=one(
                "SELECT COUNT(*) FROM questions WHERE julianday(asked_at) >= julianday(?)", (today_start.isoformat(),)
            ).fetchone()[0],
            answered_share=answered / total if total else 0.0,
            top_entries=[
                (r[0], r[1])
                for r in one(
                    "SELECT faq_id, COUNT(*) n FROM questions WHERE faq_id IS "
                    "NOT NULL GROUP BY faq_id ORDER BY n DESC, faq_id LIMIT 5"
                )
            ],
            unanswered=total - answered,
        )

    # -- helpdesk tickets (the only place a question is tied to who asked, until it is answered or purged)

    def create_ticket(self, asker_id: int, lang: str, question: str, now: datetime) -> str:
        """Remember who may pass ``question`` on; returns an unguessable token for the button."""
        token = secrets.token_urlsafe(12)
        sql = "INSERT INTO tickets (token, asker_id, lang, question, created_at, cut) VALUES (?, ?, ?, ?, ?, ?)"
        params = (
            token,
            asker_id,
            lang,
            question[:MAX_TICKET_QUESTION],
            now.isoformat(),
            len(question) > MAX_TICKET_QUESTION,
        )
        try:
            with self.no_wait():  # answering never waits for the database: a locked or full one queues the ticket
                self.db.execute(sql, params)
        except sqlite3.OperationalError as exc:
            if self.deferred is None or not unavailable(exc):
                raise
            self.deferred.submit("tickets", sql, params, _ticket_owner(asker_id))
        return token

    def ticket(self, token: str) -> Ticket | None:
        """A ticket by its token."""
        row = self.db.execute(
            "SELECT token, asker_id, lang, question, state, cut FROM tickets WHERE token = ?", (token,)
        ).fetchone()
        return Ticket(row[0], row[1], row[2], row[3], row[4], bool(row[5])) if row else None

    def claim_ticket(self, token: str, asker_id: int) -> Ticket | None:
        """Mark the asker's ticket as being passed on; ``None`` unless theirs and not passed on yet (idempotent)."""
        cursor = self.db.execute(
            "UPDATE tickets SET state = 'sent' WHERE token = ? AND asker_id = ? AND state = 'offered'",
            (token, asker_id),
        )
        return self.ticket(token) if cursor.rowcount else None

    def reopen_ticket(self, token: str) -> None:
        """Let the asker try again (the organiser chat could not be reached)."""
        self.db.execute("UPDATE tickets SET state = 'offered' WHERE token = ? AND state = 'sent'", (token,))

    def ticket_sent(self, token: str, organiser_chat_id: int, message_id: int) -> None:
        """Remember which message in the organiser chat carries the ticket (replies to it reach the asker)."""
        self.db.execute(
            "UPDATE tickets SET organiser_chat_id = ?, organiser_message_id = ? WHERE token = ?",
            (organiser_chat_id, message_id, token),
        )

    def ticket_for_message(self, organiser_chat_id: int, message_id: int) -> Ticket | None:
        """The ticket a message in the organiser chat carries, if any."""
        row = self.db.execute(
            "SELECT token, asker_id, lang, question, state, cut FROM tickets "
            "WHERE organiser_chat_id = ? AND organiser_message_id = ?",
            (organiser_chat_id, message_id),
        ).fetchone()
        return Ticket(row[0], row[1], row[2], row[3], row[4], bool(row[5])) if row else None

    def ticket_answered(self, token: str, answer: str) -> None:
        """Mark a ticket as answered with the organisers' reply (kept so an admin can add it as an entry)."""
        self.db.execute("UPDATE tickets SET state = 'answered', answer = ? WHERE token = ?", (answer[:4000], token))

    def ticket_answer(self, token: str) -> tuple[str, str, str] | None:
        """An answered ticket's (question, language, organisers' reply)."""
        row = self.db.execute(
            "SELECT question, lang, answer FROM tickets WHERE token = ? AND answer IS NOT NULL", (token,)
        ).fetchone()
        return (row[0], row[1], row[2]) if row else None

    # -- edits made from Telegram (for /undo and idempotent taps)

    def record_edit(
        self, key: str, file: str, before: str, after: str, now: datetime, question_ids: Iterable[int] = ()
    ) -> bool:
        """Remember a knowledge edit made by a tap (and the questions it resolved); ``False`` if ``key`` was done."""
        cursor = self.db.execute(
            "INSERT INTO edits (created_at, key, file, before, after, "
            "question_ids) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO NOTHING",
            (now.isoformat(), key, file, before, after, ",".join(map(str, question_ids))),
        )
        return cursor.rowcount > 0

    def edit_done(self, key: str) -> bool:
        """Whether the tap ``key`` was already applied."""
        return self.db.execute("SELECT 1 FROM edits WHERE key = ?", (key,)).fetchone() is not None

    def last_edit(self) -> tuple[int, str, str, str] | None:
        """The newest edit not undone yet: (id, file, content before, content after)."""
        row = self.db.execute(
            "SELECT id, file, before, after FROM edits WHERE undone = 0 ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return (row[0], row[1], row[2], row[3]) if row else None

    def mark_undone(self, edit_id: int) -> None:
        """Mark an edit as undone, and put the questions it resolved back on the unanswered list."""
        row = self.db.execute("SELECT question_ids FROM edits WHERE id = ?", (edit_id,)).fetchone()
        ids = [int(i) for i in (row[0] if row else "").split(",") if i]
        with self.db:
            self.db.execute("BEGIN")
            # The key is freed so the same tap can be made again after an undo.
            self.db.execute("UPDATE edits SET undone = 1, key = key || '/undone:' || id WHERE id = ?", (edit_id,))
            self.db.executemany(
                "UPDATE questions SET faq_id = NULL, outcome = 'decline' WHERE id = ?", [(i,) for i in ids]
            )

    def ignore_questions(self, question_ids: Iterable[int]) -> None:
        """Take questions off the unanswered list without teaching anything."""
        self.db.executemany(
            "UPDATE questions SET outcome = 'ignored' WHERE id = ? AND faq_id IS NULL", [(i,) for i in question_ids]
        )

    # -- teaching prompts ("write the answer" messages awaiting an admin's reply)

    def add_prompt(self, chat_id: int, message_id: int, question_id: int, now: datetime) -> None:
        """Remember that a reply to ``message_id`` in ``chat_id`` is the answer for question ``question_id``."""
        self.db.execute(
            "INSERT OR REPLACE INTO prompts (chat_id, message_id, question_id, created_at) VALUES (?, ?, ?, ?)",
            (chat_id, message_id, question_id, now.isoformat()),
        )

    def prompt(self, chat_id: int, message_id: int) -> int | None:
        """The question a prompt message asks the answer for, if it is one."""
        row = self.db.execute(
            "SELECT question_id FROM prompts WHERE chat_id = ? AND message_id = ?", (chat_id, message_id)
        ).fetchone()
        return int(row[0]) if row else None

    def drop_prompt(self, chat_id: int, message_id: int) -> None:
        """Forget a prompt once it was answered."""
        self.db.execute("DELETE FROM prompts WHERE chat_id = ? AND message_id = ?", (chat_id, message_id))

    # -- announcements

    def create_announcement(self, author_id: int, text: str, now: datetime) -> int:
        """Save a draft announcement; returns its id."""
        cursor = self.db.execute(
            "INSERT INTO announcements (created_at, author_id, text) VALUES (?, ?, ?)",
            (now.isoformat(), author_id, text),
        )
        return int(cursor.lastrowid or 0)

    def announcement(self, announcement_id: int) -> tuple[str, str] | None:
        """An announcement's (text, state)."""
        row = self.db.execute("SELECT text, state FROM announcements WHERE id = ?", (announcement_id,)).fetchone()
        return (row[0], row[1]) if row else None

    def start_announcement(self, announcement_id: int) -> bool:
        """Move a draft to 'sending', atomically: ``False`` if it was already sent, sending or cancelled."""
        row = self.db.execute(
            "UPDATE announcements SET state = 'sending' WHERE id = ? AND state = 'draft' RETURNING id",
            (announcement_id,),
        ).fetchone()
        return row is not None

    def announcement_author(self, announcement_id: int) -> int | None:
        """Who wrote an announcement (the organiser to report to)."""
        row = self.db.execute("SELECT author_id FROM announcements WHERE id = ?", (announcement_id,)).fetchone()
        return int(row[0]) if row else None

    def set_announcement_state(self, announcement_id: int, state: str) -> None:
        """Move an announcement to 'sending', 'done' or 'cancelled'."""
        self.db.execute("UPDATE announcements SET state = ? WHERE id = ?", (state, announcement_id))

    def unfinished_announcements(self) -> list[int]:
        """Announcements whose broadcast was interrupted (to resume at start-up)."""
        return [r[0] for r in self.db.execute("SELECT id FROM announcements WHERE state = 'sending' ORDER BY id")]


def _chat_owner(chat_id: int) -> str:
    """Whose queued chat setting a deferred write is (for /forget's discard)."""
    return f"chat:{chat_id}"


def _ticket_owner(asker_id: int) -> str:
    """Whose queued ticket a deferred write is (for /forget's discard)."""
    return f"ticket:{asker_id}"


def _question(row: sqlite3.Row | tuple[Any, ...]) -> Question:
    qid, asked_at, lang, text, faq_id, score, outcome = row[:7]
    return Question(int(qid), datetime.fromisoformat(asked_at), lang, text, faq_id, float(score), outcome)
