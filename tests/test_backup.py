"""``backup`` and ``restore`` mistakes: each is one line and exit 1; nothing is overwritten without ``--replace``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.store import MIGRATIONS, Store


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A DATA_DIR with one subscriber, set as $DATA_DIR."""
    folder = tmp_path / "data"
    store = Store(folder / "bot.sqlite3")
    store.subscribe(42, datetime.now(UTC))
    store.close()
    monkeypatch.setenv("DATA_DIR", str(folder))
    monkeypatch.setenv("ENV_FILE", str(tmp_path / "no.env"))
    return folder


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``python -m bot ARGS`` in-process: exit status, stdout, stderr."""
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_backup_of_a_data_dir_without_database_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Backing up a DATA_DIR that has no database names the file and what to set."""
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "nothing"))
    assert run(capsys, "backup", str(tmp_path / "b")) == (
        1,
        "",
        f"error: no database at {tmp_path / 'nothing' / 'bot.sqlite3'}: set DATA_DIR to the folder the bot runs with\n",
    )
    assert not (tmp_path / "b").exists()


def test_backup_never_writes_into_a_folder_that_holds_files(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second backup into the same folder is refused: a backup is never overwritten."""
    assert run(capsys, "backup", str(tmp_path / "b"))[0] == 0
    assert run(capsys, "backup", str(tmp_path / "b")) == (
        1,
        "",
        f"error: {tmp_path / 'b'} already exists and is not an empty folder: give a new folder for the backup\n",
    )


def test_restore_of_a_folder_that_is_not_a_backup_says_what_is_missing(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Restoring a folder with only a database (copied by hand) is refused: the key and manifest are missing."""
    source = tmp_path / "by-hand"
    source.mkdir()
    (source / "bot.sqlite3").write_bytes((data / "bot.sqlite3").read_bytes())
    assert run(capsys, "restore", str(source)) == (
        1,
        "",
        f"error: {source} has no pseudonym.key, backup.json: give a folder written by `python -m bot backup`\n",
    )


def test_restore_over_a_database_needs_replace_and_keeps_the_old_files(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --replace a DATA_DIR with a database is refused; with it the old files are set aside, the backup's in."""
    assert run(capsys, "backup", str(tmp_path / "b"))[0] == 0
    store = Store(data / "bot.sqlite3")
    store.subscribe(43, datetime.now(UTC))  # a change after the backup
    store.close()
    assert run(capsys, "restore", str(tmp_path / "b")) == (
        1,
        "",
        f"error: DATA_DIR {data} already has a database: "
        "restore into an empty folder, or add --replace to keep it aside\n",
    )
    status, out, _ = run(capsys, "restore", str(tmp_path / "b"), "--replace")
    assert (status, out) == (
        0,
        f"restored into {data}: 1 chat(s), 0 delivery record(s), 0 question(s), schema version {len(MIGRATIONS)}\n",
    )
    store = Store(data / "bot.sqlite3")
    assert [chat for chat, _ in store.subscribers()] == [42]
    store.close()
    kept = sorted(p.name.split(".before-restore-")[0] for p in data.iterdir() if ".before-restore-" in p.name)
    assert kept == ["bot.sqlite3", "pseudonym.key"]


def test_restore_refuses_a_damaged_manifest(data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A backup whose backup.json is not the one the backup wrote is refused with one line."""
    assert run(capsys, "backup", str(tmp_path / "b"))[0] == 0
    manifest = tmp_path / "b" / "backup.json"
    manifest.write_text("{not json", encoding="utf-8")
    assert run(capsys, "restore", str(tmp_path / "b"), "--replace") == (
        1,
        "",
        f"error: {manifest} is damaged: give a folder written by `python -m bot backup`\n",
    )
