"""``python -m bot backup DEST`` and ``restore SRC``: the database and its pseudonym key, copied together and safely.

A backup is a folder holding ``bot.sqlite3`` (a consistent copy made with SQLite's online
backup API, so the bot may keep running and writing), ``pseudonym.key`` (without it stored
questions can no longer be found by /forget) and ``backup.json``, which records the SHA-256
of both files: a restore refuses a database and a key that were not backed up together.
Every file is owner-only. A restore refuses while a bot holds the ``DATA_DIR`` lock, and
holds the lock itself while it writes, so no bot can start on half a restore.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.instance import AlreadyRunning, lock_data_dir
from bot.store import DATABASE_FILE, KEY_FILE

MANIFEST = "backup.json"
FORMAT = 1
BUSY_TIMEOUT_MS = 10_000


class BackupError(Exception):
    """A backup or restore cannot be done; the message is one line saying why and what to do."""


@dataclass(frozen=True)
class Summary:
    """What a backup holds, for the one line the commands print."""

    folder: Path
    chats: int
    deliveries: int
    questions: int
    schema_version: int

    def line(self) -> str:
        """``<folder>: N chat(s), N delivery record(s), N question(s), schema version N``."""
        return (
            f"{self.folder}: {self.chats} chat(s), {self.deliveries} delivery record(s), {self.questions} question(s), "
            f"schema version {self.schema_version}"
        )


def _sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to a new owner-only file at ``path`` (refusing to replace one)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())


def _summary(folder: Path, database: Path) -> Summary:
    """Counts of what ``database`` holds (opened read-only)."""
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:

        def count(table: str) -> int:
            return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # noqa: S608 - fixed table names

        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        return Summary(folder, count("chats"), count("deliveries"), count("questions"), version)
    finally:
        db.close()


def backup(data_dir: Path, dest: Path, now: datetime | None = None) -> Summary:
    """Copy DATA_DIR's database (online, while the bot may run) and its key into the new folder ``dest``."""
    database, key = data_dir / DATABASE_FILE, data_dir / KEY_FILE
    if not database.is_file():
        raise BackupError(f"no database at {database}: set DATA_DIR to the folder the bot runs with")
    if not key.is_file():
        raise BackupError(
            f"no {KEY_FILE} beside {database}: a backup without it "
            "cannot serve /forget; start the bot once to create it"
        )
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BackupError(f"{dest} already exists and is not an empty folder: give a new folder for the backup")
    if not dest.absolute().parent.is_dir():
        raise BackupError(f"{dest} cannot be created because {dest.absolute().parent} does not exist")
    dest.mkdir(mode=0o700, exist_ok=True)
    copy = dest / DATABASE_FILE
    try:
        source = sqlite3.connect(str(database), timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            descriptor = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # owner-only from the first byte
            os.close(descriptor)
            target = sqlite3.connect(str(copy))
            try:
                source.backup(target)  # SQLite's online backup: a consistent snapshot while the bot writes
                target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
                if target.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                    raise BackupError(f"the copy in {copy} failed SQLite's check: try again")
            finally:
                target.close()
        finally:
            source.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"cannot back up {database} ({exc}): is it a database the bot wrote?") from None
    _write_private(dest / KEY_FILE, key.read_bytes())
    summary = _summary(dest, copy)
    manifest = {
        "format": FORMAT,
        "created_at": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "schema_version": summary.schema_version,
        "database_sha256": _sha256(copy),
        "key_sha256": _sha256(dest / KEY_FILE),
    }
    _write_private(dest / MANIFEST, (json.dumps(manifest, indent=2) + "\n").encode())
    return summary


def _check_backup(src: Path) -> None:
    """``BackupError`` unless ``src`` is a complete backup whose database and key belong together."""
    if not src.is_dir():
        raise BackupError(f"{src} is not a folder: give a folder written by `python -m bot backup`")
    missing = [name for name in (DATABASE_FILE, KEY_FILE, MANIFEST) if not (src / name).is_file()]
    if missing:
        raise BackupError(f"{src} has no {', '.join(missing)}: give a folder written by `python -m bot backup`")
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
        expected_database, expected_key = str(manifest["database_sha256"]), str(manifest["key_sha256"])
    except (ValueError, KeyError, TypeError):
        raise BackupError(f"{src / MANIFEST} is damaged: give a folder written by `python -m bot backup`") from None
    if _sha256(src / DATABASE_FILE) != expected_database or _sha256(src / KEY_FILE) != expected_key:
        raise BackupError(
            f"the database and the key in {src} do not belong together (or one was changed since the backup): "
            "restore both files from the same backup"
        )


def restore(src: Path, data_dir: Path, replace: bool = False, now: datetime | None = None) -> Summary:
    """Put the backup ``src`` into DATA_DIR, refusing while a bot runs there or if its files do not belong together.

    A DATA_DIR that already holds a database is refused unless ``replace``; then its files are
    kept beside, renamed ``*.before-restore-<time>``.
    """
    _check_backup(src)
    if data_dir.exists() and not data_dir.is_dir():
        raise BackupError(f"DATA_DIR {data_dir} is a file, not a folder")
    if not data_dir.absolute().parent.is_dir():
        raise BackupError(f"DATA_DIR {data_dir} cannot be created because {data_dir.absolute().parent} does not exist")
    try:
        lock = lock_data_dir(data_dir)  # held while restoring: no bot starts on half-copied files
    except AlreadyRunning as exc:
        raise BackupError(f"{exc}; then restore") from None
    try:
        database = data_dir / DATABASE_FILE
        current = [
            data_dir / name for name in (DATABASE_FILE, f"{DATABASE_FILE}-wal", f"{DATABASE_FILE}-shm", KEY_FILE)
        ]
        if database.exists() and not replace:
            raise BackupError(
                f"DATA_DIR {data_dir} already has a database: restore "
                "into an empty folder, or add --replace to keep it aside"
            )
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
        for path in current:
            if path.exists():
                path.rename(path.with_name(f"{path.name}.before-restore-{stamp}"))
        partial = data_dir / f"{DATABASE_FILE}.restoring"
        partial.unlink(missing_ok=True)
        _write_private(partial, b"")
        shutil.copyfile(src / DATABASE_FILE, partial)
        _write_private(data_dir / KEY_FILE, (src / KEY_FILE).read_bytes())
        partial.rename(database)
        return _summary(data_dir, database)
    finally:
        lock.close()
